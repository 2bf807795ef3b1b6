package app.cruddur.messages.postgres;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long the service waits for PostgreSQL (the logins are in {@link ApplicationLoginConfig}). */
@ConfigMapping(prefix = "cruddur.messages.postgres")
public interface PostgresConfig {

    /** One query, the wait for a pooled connection included; then a 503. */
    @WithDefault("2s")
    Duration queryDeadline();

    /**
     * A connection that sends and receives nothing for this long is closed: a query stuck on a
     * silent server ends, and its pool slot comes back.
     */
    @WithDefault("10s")
    Duration silentConnectionTimeout();

    /** Queries that may wait for a connection when all are busy; more fail at once. */
    @WithDefault("200")
    int maxWaiting();
}
