package app.cruddur.messages.events.wire;

import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.table.Uuids;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * Where an event stands in a user's stream, and its SSE {@code id}: {@code <time>/m/<conversation>}
 * for a message (its created time; one conversation has one message per microsecond) and
 * {@code <time>/g/<conversation>} for a change of the user's conversation-list row (the row's new
 * time; one user has one row per microsecond). Events sort by time, a message before the row move it
 * caused, then by conversation, which is the order a resumed stream replays them in.
 */
public record EventId(Instant time, Kind kind, UUID messageGroupUuid) implements Comparable<EventId> {

    /** The event types, in the order they sort at one time. */
    public enum Kind {
        MESSAGE("m"), MESSAGE_GROUP("g");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    private static final Comparator<EventId> ORDER = Comparator.comparing(EventId::time)
            .thenComparing(EventId::kind)
            .thenComparing(EventId::messageGroupUuid);

    /** Before every event at {@code time} (the start of a stream that resumes nothing). */
    public static EventId before(Instant time) {
        return new EventId(time, Kind.MESSAGE, new UUID(Long.MIN_VALUE, Long.MIN_VALUE));
    }

    /** The id as the stream sends it. */
    public String format() {
        return Timestamps.format(time) + "/" + kind.tag + "/" + messageGroupUuid;
    }

    /** An id this service sent, or empty for anything else. */
    public static Optional<EventId> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        int second = id.lastIndexOf('/');
        int first = second > 0 ? id.lastIndexOf('/', second - 1) : -1;
        if (first <= 0) {
            return Optional.empty();
        }
        Kind kind = switch (id.substring(first + 1, second)) {
            case "m" -> Kind.MESSAGE;
            case "g" -> Kind.MESSAGE_GROUP;
            default -> null;
        };
        Optional<Instant> time = Timestamps.parse(id.substring(0, first));
        Optional<UUID> group = Uuids.parse(id.substring(second + 1));
        if (kind == null || time.isEmpty() || group.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EventId(time.get(), kind, group.get()));
    }

    public boolean isAfter(EventId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(EventId other) {
        return ORDER.compare(this, other);
    }
}
