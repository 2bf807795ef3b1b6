package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * A users row written straight into the local stack's PostgreSQL, for code outside the service's
 * JVM (benchmarks, tests of packaged services). The email is {@code handle@cruddur.test}, as the
 * test users' Cognito emails are.
 */
public final class UsersTable {

    private UsersTable() {
    }

    /** A user who signed up: their handle, and an access token of the local pool. */
    public record Member(String handle, String token) {
    }

    /**
     * Signs a new user up, as Cruddur does: a Cognito user who signs in by email, and their users
     * row linked to its sub. The handle starts with {@code prefix} and is unique in the run.
     */
    public static Member signUp(LocalStackProcess stack, String prefix) throws SQLException {
        String handle = prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String email = handle + "@cruddur.test";
        String sub = stack.ensureCognitoUser(handle, email, "Test " + handle);
        insert(stack, UUID.randomUUID(), handle, "Test " + handle, sub);
        return new Member(handle, stack.signIn(email, null).path("AccessToken").asText());
    }

    /** Inserts the row; {@code sub} may be null for a user who never signs in. */
    public static void insert(LocalStackProcess stack, UUID uuid, String handle, String displayName, String sub)
            throws SQLException {
        Map<String, String> config = stack.serviceConfig();
        try (Connection db = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
             PreparedStatement insert = db.prepareStatement(
                     "INSERT INTO users (uuid, handle, display_name, email, cognito_user_id) VALUES (?, ?, ?, ?, ?)")) {
            insert.setObject(1, uuid);
            insert.setString(2, handle);
            insert.setString(3, displayName);
            insert.setString(4, handle + "@cruddur.test");
            insert.setString(5, sub);
            insert.executeUpdate();
        }
    }
}
