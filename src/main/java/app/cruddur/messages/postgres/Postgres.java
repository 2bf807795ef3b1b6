package app.cruddur.messages.postgres;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Every query the service sends to PostgreSQL, each within a deadline
 * ({@code cruddur.messages.postgres.query-deadline}) that covers the wait for a pooled connection
 * too. A query that misses it, or finds PostgreSQL unreachable, fails with
 * {@link PostgresUnavailableException} (a 503); an error PostgreSQL answers with (a
 * {@link PgException}: a bug of ours) stays what it is.
 *
 * <p>The query itself is not cancelled when the deadline passes: the pool still returns its
 * connection when the answer comes, and {@link PostgresPool} closes a connection that stays silent.
 */
@ApplicationScoped
public class Postgres {

    private final Pool pool;
    private final Duration deadline;

    public Postgres(Pool pool, PostgresConfig config) {
        this.pool = pool;
        this.deadline = config.queryDeadline();
    }

    public Uni<RowSet<Row>> query(String sql, Tuple arguments) {
        return pool.preparedQuery(sql).execute(arguments)
                .ifNoItem().after(deadline)
                .failWith(() -> new TimeoutException("no answer within " + deadline.toMillis() + " ms"))
                .onFailure(failure -> !(failure instanceof PgException))
                .transform(PostgresUnavailableException::new);
    }
}
