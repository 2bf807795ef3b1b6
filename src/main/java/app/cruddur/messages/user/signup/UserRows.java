package app.cruddur.messages.user.signup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Writes a new user's row into {@code users}, once: an INSERT that does nothing on any conflict,
 * then a SELECT that says which conflict it was. Needs INSERT and SELECT on users, nothing more.
 */
final class UserRows {

    /** What registering a user did. */
    enum Outcome {
        /** A new row. */
        CREATED,
        /** The sub already had a row (a delivery repeated, or a row written before): left as it is. */
        ALREADY_REGISTERED,
        /** Another user's row has the handle: nothing written, that row left as it is. */
        HANDLE_TAKEN
    }

    private UserRows() {
    }

    static Outcome register(Connection connection, NewUser user) throws SQLException {
        // Twice at most: a conflicting row that is deleted between the INSERT and the SELECT.
        for (int attempt = 0; attempt < 2; attempt++) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO users (display_name, handle, email, cognito_user_id) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING RETURNING uuid""")) {
                insert.setString(1, user.displayName());
                insert.setString(2, user.handle());
                insert.setString(3, user.email());
                insert.setString(4, user.sub());
                try (ResultSet created = insert.executeQuery()) {
                    if (created.next()) {
                        return Outcome.CREATED;
                    }
                }
            }
            try (PreparedStatement existing = connection.prepareStatement(
                    "SELECT cognito_user_id FROM users WHERE cognito_user_id = ? OR handle = ?")) {
                existing.setString(1, user.sub());
                existing.setString(2, user.handle());
                boolean handleTaken = false;
                try (ResultSet rows = existing.executeQuery()) {
                    while (rows.next()) {
                        if (user.sub().equals(rows.getString(1))) {
                            return Outcome.ALREADY_REGISTERED;
                        }
                        handleTaken = true;
                    }
                }
                if (handleTaken) {
                    return Outcome.HANDLE_TAKEN;
                }
            }
        }
        throw new SQLException("the users row was neither written nor found", "40001");
    }
}
