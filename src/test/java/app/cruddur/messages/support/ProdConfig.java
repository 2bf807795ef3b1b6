package app.cruddur.messages.support;

import app.cruddur.messages.config.PostgresTlsConfigSourceFactory;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The service's configuration as the prod profile resolves it from an environment, without
 * starting the service: application.properties, the environment variables given, and the
 * service's own config source factories that depend on them.
 */
public final class ProdConfig {

    private ProdConfig() {
    }

    public static SmallRyeConfig of(Map<String, String> env) {
        try {
            return new SmallRyeConfigBuilder()
                    .withProfile("prod")
                    .addDefaultInterceptors()
                    .withSources(new PropertiesConfigSource(ProdConfig.class.getResource("/application.properties"), 250))
                    .withSources(new EnvConfigSource(env, 300))
                    .withSources(new PostgresTlsConfigSourceFactory())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw value a property resolves to, null when it has none. */
    public static String value(SmallRyeConfig config, String name) {
        return config.getConfigValue(name).getValue();
    }
}
