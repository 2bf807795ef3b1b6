package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service in the prod profile connects to PostgreSQL as it does on AWS: TLS with
 * verify-full against a CA file. The local stack's PostgreSQL offers TLS with a self-signed
 * certificate for localhost, which serves as the CA here (in AWS: Amazon RDS's bundle).
 */
class PostgresTlsIT {

    private static LocalStackProcess stack;

    @BeforeAll
    static void localStack() {
        stack = LocalStackTestResource.started();
    }

    @Test
    void verifyFullConnectsBothClientsOverTls() throws Exception {
        String caFile = (String) stack.coordinates().get("postgresCaFile");
        Path log = Files.createTempFile("service-tls", ".log");
        try (ServiceProcess service = ServiceProcess.start(Path.of("").toAbsolutePath(), stack, log,
                Map.of("POSTGRES_SSL_MODE", "verify-full", "POSTGRES_CA_FILE", caFile))) {
            // Ready means Flyway (JDBC) migrated at start and the reactive pool's health check passed.
            String ssl = sessionsOf(service);
            assertTrue(ssl.startsWith("t"), "the service's open sessions and whether each uses TLS: " + ssl);
            assertEquals(-1, ssl.indexOf('f'), "every session of the service uses TLS: " + ssl);
        }
        assertTrue(Files.readString(log).contains("Migrating schema") || Files.readString(log).contains("is up to date"),
                "Flyway connected at start");
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() throws Exception {
        Path otherCa = otherCertificate();
        Path log = Files.createTempFile("service-tls-refused", ".log");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ServiceProcess.start(Path.of("").toAbsolutePath(), stack,
                log, Map.of("POSTGRES_SSL_MODE", "verify-full", "POSTGRES_CA_FILE", otherCa.toString())).close());
        assertTrue(refused.getMessage().contains("exited"), refused.getMessage());
        assertTrue(Files.readString(log).contains("SSL"), "the start failed on TLS: see " + log);
    }

    /** A valid self-signed certificate for localhost that did not sign the server's. */
    private static Path otherCertificate() throws Exception {
        Path dir = Files.createTempDirectory("other-ca");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", dir.resolve("other.p12").toString(),
                "-storepass", "changeit", "-keypass", "changeit");
        Path pem = dir.resolve("other.pem");
        run(keytool, "-exportcert", "-rfc", "-alias", "other", "-keystore", dir.resolve("other.p12").toString(),
                "-storepass", "changeit", "-file", pem.toString());
        assertTrue(Files.readString(pem).startsWith("-----BEGIN CERTIFICATE-----"));
        return pem;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    /** "t"/"f" per open client session of the service's database user other than this test's own. */
    private static String sessionsOf(ServiceProcess service) throws Exception {
        Map<String, Object> c = stack.coordinates();
        String url = "jdbc:postgresql://" + c.get("postgresHost") + ":" + c.get("postgresPort") + "/" + c.get("postgresDatabase")
                + "?sslmode=disable&ApplicationName=tls-check";
        try (Connection connection = DriverManager.getConnection(url, (String) c.get("postgresUser"), (String) c.get("postgresPassword"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT string_agg(CASE WHEN s.ssl THEN 't' ELSE 'f' END, '' ORDER BY a.pid)
                     FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid
                     WHERE a.datname = current_database() AND a.backend_type = 'client backend'
                       AND a.pid <> pg_backend_pid() AND a.application_name <> 'tls-check'
                     """)) {
            rows.next();
            String ssl = rows.getString(1);
            return ssl == null ? "" : ssl;
        }
    }
}
