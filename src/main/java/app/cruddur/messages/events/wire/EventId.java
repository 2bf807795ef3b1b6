package app.cruddur.messages.events.wire;

import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.table.Keys;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * Where an event stands in a user's stream, and its SSE {@code id}: {@code <time>/m/<conversation>}
 * for a message (its created time; one conversation has one message per microsecond) and
 * {@code <time>/g/<conversation>} for a move of the user's list entry (the entry's new time; one
 * user has one entry per microsecond) and {@code <time>/r/<conversation>} for a read marker that moved
 * (when it moved); the tags are {@link EventKind}'s. Events sort by time, a
 * message before the list move it caused, then by conversation, which is the order a resumed event
 * stream replays them in.
 */
public record EventId(Instant time, EventKind kind, UUID conversationUuid) implements Comparable<EventId> {

    private static final Comparator<EventId> ORDER = Comparator.comparing(EventId::time)
            .thenComparing(EventId::kind)
            .thenComparing(EventId::conversationUuid);

    /** Before every event at {@code time} (the start of a stream that resumes nothing). */
    public static EventId before(Instant time) {
        return new EventId(time, EventKind.MESSAGE, new UUID(Long.MIN_VALUE, Long.MIN_VALUE));
    }

    /** The id as the stream sends it. */
    public String format() {
        return Timestamps.format(time) + "/" + kind.tag() + "/" + conversationUuid;
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
        Optional<EventKind> kind = EventKind.tagged(id.substring(first + 1, second));
        Optional<Instant> time = Timestamps.parse(id.substring(0, first));
        Optional<UUID> group = Keys.parseUuid(id.substring(second + 1));
        if (kind.isEmpty() || time.isEmpty() || group.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EventId(time.get(), kind.get(), group.get()));
    }

    public boolean isAfter(EventId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(EventId other) {
        return ORDER.compare(this, other);
    }
}
