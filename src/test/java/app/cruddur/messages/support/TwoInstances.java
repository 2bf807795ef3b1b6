package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Two packaged services in the prod profile on one local stack (its DynamoDB, PostgreSQL, Cognito
 * and Redis), as two tasks behind a load balancer.
 */
public record TwoInstances(LocalStackProcess stack, ServiceProcess first, ServiceProcess second) implements AutoCloseable {

    public static TwoInstances start(String name) throws IOException {
        return start(name, Map.of());
    }

    /** Both with these settings (environment variables) on top of {@link ServiceProcess}'s. */
    public static TwoInstances start(String name, Map<String, String> settings) throws IOException {
        LocalStackProcess stack = LocalStackTestResource.started();
        Path root = Path.of("").toAbsolutePath();
        ServiceProcess first = ServiceProcess.start(root, stack, Files.createTempFile(name + "-one", ".log"), settings);
        try {
            return new TwoInstances(stack, first, ServiceProcess.start(root, stack, Files.createTempFile(name + "-two", ".log"), settings));
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    @Override
    public void close() {
        second.close();
        first.close();
    }
}
