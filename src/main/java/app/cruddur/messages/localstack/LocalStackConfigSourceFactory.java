package app.cruddur.messages.localstack;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In dev mode, starts the embedded local stack before anything connects to it, and points the
 * service at it. Inactive in every other profile and when {@code cruddur.local-stack.enabled=false}.
 * The tests start the same stack through their own lifecycle manager.
 */
public final class LocalStackConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties and the environment: the stack's real ports win. */
    private static final int ORDINAL = 500;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev") || !bool(context, "cruddur.local-stack.enabled", false)) {
            return List.of();
        }
        Path root = LocalStackSettings.findProjectRoot();
        LocalStackSettings settings = LocalStackSettings.developer(root, "dev",
                integer(context, "cruddur.local-stack.dynamodb-port", LocalStackSettings.DEV_DYNAMODB_PORT),
                integer(context, "cruddur.local-stack.postgres-port", LocalStackSettings.DEV_POSTGRES_PORT),
                integer(context, "cruddur.local-stack.cognito-port", LocalStackSettings.DEV_COGNITO_PORT),
                string(context, "cruddur.local-stack.data-dir").map(dir -> root.resolve(dir)));
        LocalStackProcess stack;
        try {
            stack = LocalStackProcess.startOrReuse(settings);
        } catch (LocalStackException e) {
            // One clear line for the developer instead of a stack trace, then stop dev mode.
            System.err.println("ERROR [local stack] " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(1);
            throw e;
        }
        return List.of(new MapBackedConfigSource("cruddur local stack", stack.serviceConfig(), ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static Optional<String> string(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank()
                ? Optional.empty() : Optional.of(value.getValue().trim());
    }

    private static int integer(ConfigSourceContext context, String name, int fallback) {
        return string(context, name).map(Integer::parseInt).orElse(fallback);
    }

    private static boolean bool(ConfigSourceContext context, String name, boolean fallback) {
        return string(context, name).map(Boolean::parseBoolean).orElse(fallback);
    }
}
