package app.cruddur.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A real PostgreSQL server from the zonky binaries. Its cluster lives in {@code dataDir}; a restart
 * reuses the cluster, so stopping and starting it keeps the data.
 */
final class PostgresServer {

    static final String DATABASE = "cruddur";
    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final int port;
    private final Path dataDir;
    private final Path tlsDir;
    private boolean clean;
    private EmbeddedPostgres postgres;

    PostgresServer(int port, Path dataDir, Path tlsDir, boolean keepExistingData) {
        this.port = port;
        this.dataDir = dataDir;
        this.tlsDir = tlsDir;
        this.clean = !keepExistingData;
    }

    synchronized void start() throws Exception {
        if (postgres != null) {
            return;
        }
        // TLS is offered, not required: the service's prod verify-full mode can be tried here,
        // and everything else connects as before.
        SelfSignedCertificate tls = SelfSignedCertificate.in(tlsDir);
        postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", tls.certificate.toString())
                .setServerConfig("ssl_key_file", tls.privateKey.toString())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(clean)
                .setServerConfig("fsync", "off")
                .setServerConfig("listen_addresses", "localhost")
                .start();
        // Later starts are restarts of the same cluster.
        clean = false;
        createDatabase();
    }

    synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (Exception e) {
            e.printStackTrace();
        }
        postgres = null;
    }

    int port() {
        return port;
    }

    /** The certificate the server presents, which is also its CA. */
    Path certificate() {
        return tlsDir.resolve("server.crt");
    }

    private void createDatabase() throws Exception {
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER USER " + USER + " PASSWORD '" + PASSWORD + "'");
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }
}
