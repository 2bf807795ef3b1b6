package app.cruddur.messages.tools;

import app.cruddur.messages.user.cognito.CognitoUserPool;
import app.cruddur.messages.user.cognito.CognitoUserPool.PoolUser;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The seed's update-cognito-user-ids: sets {@code users.cognito_user_id} to the {@code sub} of the
 * Cognito user whose {@code preferred_username} is the row's handle, and reports what it could not
 * match. The service finds callers by that column, so a user without it gets 403 until it is set.
 */
final class CognitoUserIds {

    /** What one run did. */
    record Outcome(int linked, int unchanged, List<String> problems) {
    }

    private CognitoUserIds() {
    }

    static Outcome sync(CognitoUserPool pool, Connection connection, PrintStream out) throws SQLException {
        Map<String, List<PoolUser>> byHandle = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (PoolUser user : pool.listUsers()) {
            if (user.preferredUsername().isEmpty()) {
                problems.add("Cognito user " + user.signInName() + " has no preferred_username");
            } else {
                byHandle.computeIfAbsent(user.preferredUsername().get(), h -> new ArrayList<>()).add(user);
            }
        }
        Map<String, String> rows = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT handle, cognito_user_id FROM users ORDER BY handle");
             ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2));
            }
        }
        int linked = 0;
        int unchanged = 0;
        try (PreparedStatement update = connection.prepareStatement("UPDATE users SET cognito_user_id = ? WHERE handle = ?")) {
            for (Map.Entry<String, String> row : rows.entrySet()) {
                String handle = row.getKey();
                List<PoolUser> matches = byHandle.getOrDefault(handle, List.of());
                if (matches.isEmpty()) {
                    problems.add("@" + handle + ": no Cognito user has preferred_username " + handle);
                } else if (matches.size() > 1) {
                    problems.add("@" + handle + ": " + matches.size() + " Cognito users have preferred_username " + handle
                            + " (" + String.join(", ", matches.stream().map(PoolUser::signInName).toList()) + "); left as it was");
                } else if (Objects.equals(matches.get(0).sub(), row.getValue())) {
                    unchanged++;
                } else {
                    String sub = matches.get(0).sub();
                    update.setString(1, sub);
                    update.setString(2, handle);
                    try {
                        update.executeUpdate();
                        out.println("@" + handle + " -> " + sub + (row.getValue() == null ? "" : " (was " + row.getValue() + ")"));
                        linked++;
                    } catch (SQLException e) {
                        if (!"23505".equals(e.getSQLState())) {
                            throw e;
                        }
                        problems.add("@" + handle + ": sub " + sub + " is already the cognito_user_id of another user; left as it was");
                    }
                }
            }
        }
        byHandle.forEach((handle, users) -> {
            if (!rows.containsKey(handle)) {
                users.forEach(user -> problems.add("Cognito user " + user.signInName() + " (preferred_username " + handle
                        + ") has no row in users"));
            }
        });
        out.println("cognito_user_id: " + linked + " set, " + unchanged + " already set, " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems"));
        problems.forEach(problem -> out.println("  " + problem));
        return new Outcome(linked, unchanged, List.copyOf(problems));
    }
}
