package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Logins with exactly what the sign-up trigger may do in AWS: sign in, and SELECT and INSERT on
 * users. Made by the database's owner (a {@link MasterDatabase}'s master, which checks passwords as
 * RDS does) or by the local stack's superuser (whose database trusts local connections).
 */
public final class SignUpRoles {

    private SignUpRoles() {
    }

    /** A new login {@code name} with {@code password} and the trigger's grants only. */
    public static void create(Connection owner, String name, String password) throws SQLException {
        try (Statement statement = owner.createStatement()) {
            statement.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
            statement.execute("GRANT CONNECT ON DATABASE " + owner.getCatalog() + " TO " + name);
            statement.execute("GRANT USAGE ON SCHEMA public TO " + name);
            statement.execute("GRANT SELECT, INSERT ON users TO " + name);
        }
    }

    /** Gives the login a new password, as a rotation does. */
    public static void setPassword(Connection owner, String name, String password) throws SQLException {
        try (Statement statement = owner.createStatement()) {
            statement.execute("ALTER ROLE " + name + " PASSWORD '" + password + "'");
        }
    }

    /** The local stack's service database as the service reads POSTGRES_URL: postgresql://host:port/db. */
    public static String postgresUrl(LocalStackProcess stack) {
        return stack.serviceConfig().get("quarkus.datasource.reactive.url");
    }

    /** The CA of the local stack's PostgreSQL certificate (issued for localhost). */
    public static Path caFile(LocalStackProcess stack) {
        return Path.of((String) stack.coordinates().get("postgresCaFile"));
    }
}
