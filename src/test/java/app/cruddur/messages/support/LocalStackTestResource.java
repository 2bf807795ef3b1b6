package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.localstack.LocalStackSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the embedded local stack (the same one dev mode uses) on free ports and points the service
 * at it. Data lives on disk in a fresh directory per run, so that stopping and starting DynamoDB
 * Local in a test behaves like an outage, not like a new, empty service.
 */
public class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {

    /** For a test outside Quarkus: the local stack, started or reused as for a Quarkus test. */
    public static LocalStackProcess started() {
        new LocalStackTestResource().start();
        return LocalStackProcess.current();
    }

    @Override
    public Map<String, String> start() {
        Path root = LocalStackSettings.findProjectRoot();
        Path run = root.resolve("target").resolve("local-stack").resolve("test-" + ProcessHandle.current().pid());
        LocalStackProcess stack = LocalStackProcess.startOrReuse(
                new LocalStackSettings(root, 0, 0, 0, 0, 0, Optional.of(run), run, Optional.empty()));
        return stack.serviceConfig();
    }

    @Override
    public void stop() {
        // The stack stops with the test JVM (see LocalStackProcess), so Quarkus restarts reuse it.
    }
}
