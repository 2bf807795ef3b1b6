package app.cruddur.messages.user;

import app.cruddur.messages.postgres.Postgres;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** The users table in PostgreSQL, through the reactive client. */
@ApplicationScoped
public class UserRepository {

    private final Postgres postgres;

    public UserRepository(Postgres postgres) {
        this.postgres = postgres;
    }

    public Uni<Optional<User>> findByCognitoUserId(String cognitoUserId) {
        return postgres.query("SELECT uuid, handle, display_name FROM users WHERE cognito_user_id = $1", Tuple.of(cognitoUserId))
                .map(UserRepository::first);
    }

    public Uni<Optional<User>> findByHandle(String handle) {
        return postgres.query("SELECT uuid, handle, display_name FROM users WHERE handle = $1", Tuple.of(handle))
                .map(UserRepository::first);
    }

    /**
     * Inserts the user, or links an existing user with the same handle to the given Cognito sub.
     * Used by seeding; the uuid of an existing row is kept.
     */
    public Uni<User> upsert(UUID uuid, String handle, String displayName, String email, String cognitoUserId) {
        return postgres.query("""
                INSERT INTO users (uuid, handle, display_name, email, cognito_user_id)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (handle) DO UPDATE SET cognito_user_id = EXCLUDED.cognito_user_id
                RETURNING uuid, handle, display_name
                """, Tuple.of(uuid, handle, displayName, email, cognitoUserId))
                .map(rows -> first(rows).orElseThrow());
    }

    private static Optional<User> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        if (!iterator.hasNext()) {
            return Optional.empty();
        }
        Row row = iterator.next();
        return Optional.of(new User(row.getUUID("uuid"), row.getString("handle"), row.getString("display_name")));
    }
}
