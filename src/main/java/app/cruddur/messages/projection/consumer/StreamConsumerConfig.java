package app.cruddur.messages.projection.consumer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The in-service consumer of the table's stream. */
@ConfigMapping(prefix = "cruddur.messages.stream-consumer")
public interface StreamConsumerConfig {

    /** Run the in-service consumer of the table's stream (dev, test, single instance; Lambda does it in AWS). */
    @WithDefault("false")
    boolean enabled();

    /** The longest pause between polls when the stream is idle. */
    @WithDefault("250ms")
    Duration maxIdlePause();

    /** The longest pause after failures, which double it each time. */
    @WithDefault("5s")
    Duration maxErrorPause();

    /**
     * A poll that has not completed by then is given up: logged with the step it was waiting on,
     * counted as a failure and begun again. Each of its calls has a shorter deadline of its own.
     */
    @WithDefault("60s")
    Duration pollDeadline();

    /** Readiness reports the consumer stuck when it has not completed a poll for this long. */
    @WithDefault("30s")
    Duration stuckAfter();
}
