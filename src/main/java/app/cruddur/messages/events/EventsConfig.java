package app.cruddur.messages.events;

import app.cruddur.messages.events.wire.EventChannelNames;
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

    /** How far back a resumed stream replays what its client missed, from the table. */
    @WithDefault("24h")
    Duration resumeWindow();

    /** How long a ticket from POST /api/events/ticket may be used (once). */
    @WithDefault("30s")
    Duration ticketValidity();


    /**
     * A message published within this time is not published again: the POST that stored it and the
     * stream projection that saw it both publish it, and Redis remembers which came first this long.
     */
    @WithDefault(EventChannelNames.DUPLICATE_WINDOW)
    Duration duplicateWindow();
}
