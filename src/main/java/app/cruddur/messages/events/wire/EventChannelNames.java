package app.cruddur.messages.events.wire;

import java.util.UUID;

/**
 * The names and the script the event fan-out uses in Redis, in one place for the service
 * (the fan-out in the events package) and the projection Lambda, which publish the same events the same way.
 */
public final class EventChannelNames {

    /** A user's channel: {@code cruddur:events:<user uuid>}. */
    public static final String CHANNEL_PREFIX = "cruddur:events:";
    /** The marker of a published message event: {@code cruddur:published:<event id>}. */
    public static final String PUBLISHED_PREFIX = "cruddur:published:";
    /**
     * Publishes a message event to its members' channels unless its marker exists. KEYS[1] the
     * event's marker; ARGV: the marker's lifetime (ms), the event's wire form, then the channels.
     */
    public static final String PUBLISH_ONCE = """
            if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
              for i = 3, #ARGV do redis.call('PUBLISH', ARGV[i], ARGV[2]) end
              return 1
            end
            return 0
            """;

    /**
     * How long a published message's marker stays, so that it is not published again: the service's
     * {@code cruddur.messages.events.duplicate-window} default, and the Lambda's (ISO-8601).
     */
    public static final String DUPLICATE_WINDOW = "PT10M";

    private EventChannelNames() {
    }

    public static String channel(UUID user) {
        return CHANNEL_PREFIX + user;
    }

    public static String published(UserEvent event) {
        return PUBLISHED_PREFIX + event.id().format();
    }
}
