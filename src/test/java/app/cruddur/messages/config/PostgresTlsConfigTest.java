package app.cruddur.messages.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static app.cruddur.messages.support.ProdConfig.value;
import static org.junit.jupiter.api.Assertions.assertFalse;

import app.cruddur.messages.support.ProdConfig;
import io.smallrye.config.SmallRyeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL TLS in the prod profile, as the service's application.properties and
 * {@link PostgresTlsConfigSourceFactory} resolve it from the environment: verified against the RDS
 * CA bundle by default, and without a trust file when TLS is off (a missing file would otherwise
 * fail every connection; seen with the packaged service on the local stack).
 */
class PostgresTlsConfigTest {

    private static final String SSL_MODE = "quarkus.datasource.reactive.postgresql.ssl-mode";
    private static final String TRUST = "quarkus.datasource.reactive.trust-certificate-pem";
    private static final String CERTS = TRUST + ".certs";

    @Test
    void byDefaultTheServerIsVerifiedAgainstTheRdsBundle() {
        SmallRyeConfig config = ProdConfig.of(Map.of());
        assertEquals("verify-full", value(config, SSL_MODE));
        assertEquals("true", value(config, TRUST));
        assertEquals("false", value(config, "quarkus.datasource.reactive.trust-all"));
        assertEquals("/deployments/rds-ca.pem", value(config, CERTS));
        assertEquals("HTTPS", value(config, "quarkus.datasource.reactive.hostname-verification-algorithm"));
        assertEquals("verify-full", value(config, "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode"));
        assertEquals("/deployments/rds-ca.pem", value(config, "quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert"));
    }

    @Test
    void anotherCaFileIsUsedByBothClients() {
        SmallRyeConfig config = ProdConfig.of(Map.of("POSTGRES_CA_FILE", "/etc/ssl/db-ca.pem", "POSTGRES_SSL_MODE", "verify-ca"));
        assertEquals("verify-ca", value(config, SSL_MODE));
        // verify-ca checks the issuer, not the host name (as in libpq and JDBC).
        assertEquals("NONE", value(config, "quarkus.datasource.reactive.hostname-verification-algorithm"));
        assertEquals("/etc/ssl/db-ca.pem", value(config, CERTS));
        assertEquals("/etc/ssl/db-ca.pem", value(config, "quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert"));
    }

    @Test
    void withTlsOffNoTrustFileIsConfigured() {
        SmallRyeConfig config = ProdConfig.of(Map.of("POSTGRES_SSL_MODE", "disable"));
        assertEquals("disable", value(config, SSL_MODE));
        assertEquals("false", value(config, TRUST));
        // Empty, which the client reads as no trust file at all (not as a file named "").
        assertFalse(config.getOptionalValue(CERTS, String.class).isPresent());
        assertEquals("disable", value(config, "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode"));
    }

    @Test
    void requireEncryptsWithoutCheckingTheCertificate() {
        SmallRyeConfig config = ProdConfig.of(Map.of("POSTGRES_SSL_MODE", "require"));
        assertEquals("false", value(config, TRUST));
        assertEquals("true", value(config, "quarkus.datasource.reactive.trust-all"));
        assertFalse(config.getOptionalValue(CERTS, String.class).isPresent());
    }
}
