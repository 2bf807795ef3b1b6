package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * Database roles on the local stack's PostgreSQL with exactly what the sign-up trigger may do in
 * AWS: sign in with a password, and SELECT and INSERT on users. The local cluster trusts every
 * local connection, so these roles are put in a group that its pg_hba.conf makes sign in with
 * their password (SCRAM), as RDS does: a wrong or rotated password is refused.
 */
public final class SignUpRoles {

    /** Members must give their password; nobody else is affected. */
    static final String PASSWORD_GROUP = "cruddur_password_login";
    private static final String HBA_RULE = "host all +" + PASSWORD_GROUP + " all scram-sha-256";

    private SignUpRoles() {
    }

    /** A new role {@code name} with {@code password} and the trigger's grants only. */
    public static void create(LocalStackProcess stack, String name, String password) throws SQLException, IOException {
        try (Connection admin = admin(stack); Statement statement = admin.createStatement()) {
            requirePasswords(stack, admin, statement);
            statement.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "' IN ROLE " + PASSWORD_GROUP);
            statement.execute("GRANT CONNECT ON DATABASE " + admin.getCatalog() + " TO " + name);
            statement.execute("GRANT USAGE ON SCHEMA public TO " + name);
            statement.execute("GRANT SELECT, INSERT ON users TO " + name);
        }
    }

    /** Gives the role a new password, as a rotation does. */
    public static void setPassword(LocalStackProcess stack, String name, String password) throws SQLException {
        try (Connection admin = admin(stack); Statement statement = admin.createStatement()) {
            statement.execute("ALTER ROLE " + name + " PASSWORD '" + password + "'");
        }
    }

    /** The local stack's database URL as the service reads POSTGRES_URL: postgresql://host:port/db. */
    public static String postgresUrl(LocalStackProcess stack) {
        return stack.serviceConfig().get("quarkus.datasource.reactive.url");
    }

    /** The CA of the local stack's PostgreSQL certificate (issued for localhost). */
    public static Path caFile(LocalStackProcess stack) {
        return Path.of((String) stack.coordinates().get("postgresCaFile"));
    }

    private static Connection admin(LocalStackProcess stack) throws SQLException {
        Map<String, String> config = stack.serviceConfig();
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }

    private static synchronized void requirePasswords(LocalStackProcess stack, Connection admin, Statement statement)
            throws SQLException, IOException {
        try (ResultSet group = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + PASSWORD_GROUP + "'")) {
            if (!group.next()) {
                statement.execute("CREATE ROLE " + PASSWORD_GROUP + " NOLOGIN");
            }
        }
        Path hba;
        try (ResultSet file = statement.executeQuery("SHOW hba_file")) {
            file.next();
            hba = Path.of(file.getString(1));
        }
        String rules = Files.readString(hba);
        if (rules.contains(HBA_RULE)) {
            return;
        }
        // First: the file's trust rules below would match these roles too.
        Files.writeString(hba, HBA_RULE + "\n" + rules);
        statement.execute("SELECT pg_reload_conf()");
        String probe = "cruddur_password_probe";
        statement.execute("DROP ROLE IF EXISTS " + probe);
        statement.execute("CREATE ROLE " + probe + " LOGIN PASSWORD 'right' IN ROLE " + PASSWORD_GROUP);
        String url = stack.serviceConfig().get("quarkus.datasource.jdbc.url");
        // The postmaster reloads its rules in the background: wait until a wrong password is refused.
        Await.until(Duration.ofSeconds(10), () -> {
            try (Connection ignored = DriverManager.getConnection(url, probe, "wrong")) {
                return false;
            } catch (SQLException e) {
                return "28P01".equals(e.getSQLState());
            }
        }, () -> "pg_hba.conf's password rule for " + PASSWORD_GROUP + " did not take effect");
    }
}
