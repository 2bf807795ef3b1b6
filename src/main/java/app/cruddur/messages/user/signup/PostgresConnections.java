package app.cruddur.messages.user.signup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.postgresql.Driver;

/**
 * Connections to the service's PostgreSQL as the service makes them in prod: {@code POSTGRES_URL}
 * ({@code postgresql://host:port/db}), TLS by {@code POSTGRES_SSL_MODE} (verify-full unless set)
 * against the CA bundle {@code POSTGRES_CA_FILE}, and the credentials of a
 * {@link DatabaseCredentials}, asked again once when the server refuses their password.
 */
final class PostgresConnections {

    /** invalid_password, and invalid_authorization_specification (a user that rotation removed). */
    static final Set<String> CREDENTIALS_REFUSED = Set.of("28P01", "28000");
    private static final Set<String> VERIFYING = Set.of("verify-ca", "verify-full");
    private static final Set<String> MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private final String jdbcUrl;
    private final Properties settings;
    private final DatabaseCredentials credentials;
    private final Driver driver = new Driver();

    PostgresConnections(String postgresUrl, String sslMode, Path caFile, DatabaseCredentials credentials) {
        if (postgresUrl == null || !postgresUrl.startsWith("postgresql://")) {
            throw new IllegalArgumentException("POSTGRES_URL must be postgresql://host:port/database");
        }
        String mode = sslMode.trim().toLowerCase(Locale.ROOT);
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("POSTGRES_SSL_MODE must be one of " + MODES + ", not " + sslMode);
        }
        this.jdbcUrl = "jdbc:" + postgresUrl;
        this.credentials = credentials;
        this.settings = new Properties();
        settings.setProperty("sslmode", mode);
        if (VERIFYING.contains(mode)) {
            if (!Files.isReadable(caFile)) {
                throw new IllegalStateException("POSTGRES_SSL_MODE=" + mode + " needs the database's CA bundle, and "
                        + caFile + " cannot be read: build the jar with -Prds-ca, or set POSTGRES_CA_FILE");
            }
            settings.setProperty("sslrootcert", caFile.toString());
        }
        // Cognito gives the whole trigger 5 s: a silent database fails the sign-up instead of timing out.
        settings.setProperty("connectTimeout", "2");
        settings.setProperty("loginTimeout", "3");
        settings.setProperty("socketTimeout", "3");
        settings.setProperty("ApplicationName", "cruddur-messages-sign-up");
        // The server's error details quote the row's values (the email among them): not in exceptions or logs.
        settings.setProperty("logServerErrorDetail", "false");
    }

    /** A new connection; when the password is refused, the credentials are read again and tried once more. */
    Connection open(Consumer<String> log) throws SQLException {
        DatabaseCredentials.Credentials first = credentials.current();
        try {
            return connect(first);
        } catch (SQLException e) {
            if (!CREDENTIALS_REFUSED.contains(e.getSQLState())) {
                throw e;
            }
            DatabaseCredentials.Credentials again = credentials.reread();
            if (again.equals(first)) {
                throw e;
            }
            log.accept("database refused the credentials of " + first.username() + " (" + e.getSQLState()
                    + "); read them again: now " + again.username());
            return connect(again);
        }
    }

    private Connection connect(DatabaseCredentials.Credentials credentials) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.setProperty("user", credentials.username());
        properties.setProperty("password", credentials.password());
        // The driver itself, not DriverManager: Lambda loads the function's classes in a loader of its own.
        Connection connection = driver.connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + jdbcUrl);
        }
        return connection;
    }
}
