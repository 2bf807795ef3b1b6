package app.cruddur.messages.postgres;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reactive PostgreSQL pool, as Quarkus configures it, with bounds for a database that stops
 * answering:
 * <ul>
 *   <li>A connection that sends and receives nothing for {@code silent-connection-timeout} is
 *       closed. That ends a query or a handshake stuck on a silent server, and gives its pool slot
 *       back, so the pool recovers by itself; an idle connection is opened again when needed.</li>
 *   <li>Opening a connection gives up after the query deadline.</li>
 *   <li>The pool itself sets no timer on a waiting query: {@link Postgres} bounds every wait.
 *       vertx-sql-client's own timer fails a request a second time when the connection attempt
 *       failed first, and logs {@code IllegalStateException: Result is already complete}
 *       (eclipse-vertx/vertx-sql-client#1706).</li>
 *   <li>At most {@code max-waiting} queries wait for a connection; more fail at once (a 503).</li>
 * </ul>
 */
@Singleton
public class PostgresPool implements PgPoolCreator {

    private final PostgresConfig settings;

    public PostgresPool(PostgresConfig config) {
        this.settings = config;
    }

    @Override
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setConnectionTimeout(0)
                .setMaxWaitQueueSize(settings.maxWaiting())
                .setIdleTimeout((int) settings.silentConnectionTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        List<SqlConnectOptions> servers = new ArrayList<>();
        for (PgConnectOptions connection : input.pgConnectOptionsList()) {
            connection.setConnectTimeout((int) settings.queryDeadline().toMillis())
                    .setIdleTimeout((int) settings.silentConnectionTimeout().toMillis())
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                    .setTcpKeepAlive(true);
            servers.add(connection);
        }
        return PgBuilder.pool().with(pool).connectingTo(servers).using(input.vertx()).build();
    }
}
