package app.cruddur.messages.tools;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** A JDBC connection for the tools: the local stack's PostgreSQL, or POSTGRES_URL/USER/PASSWORD with prod. */
final class Postgres {

    private Postgres() {
    }

    static Connection connect(ToolTarget target, Map<String, String> env) throws SQLException {
        if (target.prod()) {
            return DriverManager.getConnection("jdbc:" + required(env, "POSTGRES_URL"), required(env, "POSTGRES_USER"),
                    required(env, "POSTGRES_PASSWORD"));
        }
        var local = target.local();
        return DriverManager.getConnection("jdbc:postgresql://" + local.path("postgresHost").asText() + ":"
                        + local.path("postgresPort").asText() + "/" + local.path("postgresDatabase").asText(),
                local.path("postgresUser").asText(), local.path("postgresPassword").asText());
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
