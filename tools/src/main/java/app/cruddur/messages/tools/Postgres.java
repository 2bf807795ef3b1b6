package app.cruddur.messages.tools;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** A JDBC connection for the tools: the local stack's PostgreSQL, or POSTGRES_URL/USER/PASSWORD with prod. */
final class Postgres {

    private Postgres() {
    }

    /** Where to connect and as whom. */
    record Login(String jdbcUrl, String user, String password) {
    }

    static Login login(ToolTarget target, Map<String, String> env) {
        if (target.prod()) {
            return new Login("jdbc:" + required(env, "POSTGRES_URL"), required(env, "POSTGRES_USER"),
                    required(env, "POSTGRES_PASSWORD"));
        }
        var local = target.local();
        return new Login("jdbc:postgresql://" + local.path("postgresHost").asText() + ":"
                + local.path("postgresPort").asText() + "/" + local.path("postgresDatabase").asText(),
                local.path("postgresUser").asText(), local.path("postgresPassword").asText());
    }

    static Connection connect(ToolTarget target, Map<String, String> env) throws SQLException {
        Login login = login(target, env);
        return DriverManager.getConnection(login.jdbcUrl(), login.user(), login.password());
    }

    static ToolException failure(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new ToolException(ToolException.FAILED, "PostgreSQL: " + message);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new ToolException(ToolException.USAGE, name + " is not set");
        }
        return value;
    }
}
