package app.cruddur.messages.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The event streams' settings. */
@ConfigMapping(prefix = "cruddur.messages.events")
public interface EventsConfig {

    /** Open streams per user; opening one more ends the oldest. */
    @WithDefault("5")
    int maxStreamsPerUser();

    /** Events that may wait for a slow client; one more ends its stream (the client resumes). */
    @WithDefault("256")
    int bufferedEvents();

    /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
    @WithDefault("15s")
    Duration heartbeat();

    /** The reconnection delay the stream tells clients (SSE {@code retry:}). */
    @WithDefault("3s")
    Duration retry();
}
