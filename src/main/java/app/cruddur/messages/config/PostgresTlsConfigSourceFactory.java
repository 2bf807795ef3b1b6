package app.cruddur.messages.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives the reactive PostgreSQL client the CA file ({@code POSTGRES_CA_FILE}, default
 * {@value #DEFAULT_CA_FILE}) only when the SSL mode verifies the server. The client loads any
 * configured trust file on every connection, whatever the mode, so with
 * {@code POSTGRES_SSL_MODE=disable} (a database without TLS) a missing file would fail them all.
 * One switch for the operator instead of two that must agree.
 */
public final class PostgresTlsConfigSourceFactory implements ConfigSourceFactory {

    static final String SSL_MODE = "quarkus.datasource.reactive.postgresql.ssl-mode";
    static final String TRUST_PEM = "quarkus.datasource.reactive.trust-certificate-pem";
    static final String TRUST_PEM_CERTS = TRUST_PEM + ".certs";
    static final String TRUST_ALL = "quarkus.datasource.reactive.trust-all";
    static final String HOSTNAME_VERIFICATION = "quarkus.datasource.reactive.hostname-verification-algorithm";
    /** Where the container image puts Amazon RDS's CA bundle (docker/Dockerfile.jvm). */
    static final String DEFAULT_CA_FILE = "/deployments/rds-ca.pem";
    private static final Set<String> VERIFYING = Set.of("verify-ca", "verify-full");
    /** Below application.properties (250): an explicit setting there or in the environment wins. */
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue mode = context.getValue(SSL_MODE);
        String value = mode == null || mode.getValue() == null ? "" : mode.getValue().trim().toLowerCase(Locale.ROOT);
        boolean verifying = VERIFYING.contains(value);
        if (!verifying) {
            // Stated even when unset: Quarkus records the values it saw at build time as defaults,
            // and an empty value here hides a recorded file. "require" means what it means to
            // libpq and JDBC: encrypted, certificate not checked (the reactive client would
            // otherwise check it against the JVM's trust store and refuse a private CA).
            return List.of(new MapBackedConfigSource("cruddur postgres tls", Map.of(TRUST_PEM, "false", TRUST_PEM_CERTS, "",
                    TRUST_ALL, Boolean.toString(value.equals("require"))), ORDINAL) {
            });
        }
        ConfigValue file = context.getValue("POSTGRES_CA_FILE");
        String caFile = file == null || file.getValue() == null || file.getValue().isBlank() ? DEFAULT_CA_FILE : file.getValue().trim();
        // verify-full also checks that the certificate names the host; verify-ca only its issuer.
        return List.of(new MapBackedConfigSource("cruddur postgres tls", Map.of(TRUST_PEM, "true", TRUST_PEM_CERTS, caFile,
                TRUST_ALL, "false", HOSTNAME_VERIFICATION, value.equals("verify-full") ? "HTTPS" : "NONE"), ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
