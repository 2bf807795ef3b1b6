package app.cruddur.messages.projection;

import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.MessageItem;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Moves a conversation's list entries to a message, so that both members' lists show it: the one
 * write that the POST makes before it answers (read-your-writes) and the stream projection makes
 * for every message, whichever comes first. An entry only ever moves forward in time, each move is one
 * transaction (see {@link ListEntryItem#move}), and a mover that finds the entries already
 * at the message or later does nothing, so any number of movers of the same or of newer messages
 * agree on the final entries.
 *
 * <p>When this completes, every member's entry is at the message's time or later. The entries are found
 * through the eventually consistent group index, but that cannot make a move wrong: the index only
 * ever lists an entry's past, a move commits only while the entries it replaces still exist, and a member
 * whose entry the index does not list yet is waited for (the conversation says how many there are).
 */
public final class ListEntryMoves {

    static final int MAX_ATTEMPTS = 10;

    private final TableClient table;
    private final TableChanges changes;

    /** @param changes told of every move this makes (never of one another mover made) */
    public ListEntryMoves(TableClient table, TableChanges changes) {
        this.table = table;
        this.changes = changes;
    }

    /** The moves gave up: the entries kept moving under it, or the index kept lagging. Nothing is half done. */
    public static final class NotSettledException extends RuntimeException {
        NotSettledException(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Moves every member's entry of the message's conversation to the message, unless it already shows
     * it or a newer one.
     *
     * @param members the conversation's members, or empty for a conversation without a conversation
     *                item (written by older tools); then every entry the index lists is moved
     */
    public Uni<Void> show(MessageItem message, Optional<Set<UUID>> members) {
        return show(message, message.createdAt(), members, false, 1);
    }

    /**
     * As {@link #show}, for a message that was edited or deleted: an entry that stands at its time
     * shows it, so its copy of the text follows (the edited text, or none), and the other member's
     * count is counted again (a deleted message no longer counts).
     */
    public Uni<Void> showChanged(MessageItem message, Optional<Set<UUID>> members) {
        return show(message, message.createdAt(), members, true, 1);
    }

    private Uni<Void> show(MessageItem message, Instant at, Optional<Set<UUID>> members, boolean changed, int attempt) {
        return ListEntryItem.ofConversation(table, message.conversationUuid())
                .chain(listed -> {
                    Collection<ListEntryItem> current = ListEntryItem.currentByOwner(listed).values();
                    if (members.isPresent() && current.size() < members.get().size()) {
                        // The index has not caught up with the conversation's creation yet.
                        return later(attempt, "list entries not yet in the index", () -> show(message, at, members, changed, attempt + 1));
                    }
                    return Multi.createFrom().iterable(current)
                            .onItem().transformToUniAndConcatenate(entry -> after(entry, message, at, changed)
                                    .map(next -> Map.entry(entry, next)))
                            .collect().asList()
                            .chain(planned -> write(message, at, members, changed, attempt, planned));
                });
    }

    private Uni<Void> write(MessageItem message, Instant at, Optional<Set<UUID>> members, boolean changed, int attempt,
                            List<Map.Entry<ListEntryItem, Optional<ListEntryItem>>> planned) {
        List<ListEntryItem> from = planned.stream().filter(p -> p.getValue().isPresent()).map(Map.Entry::getKey).toList();
        List<ListEntryItem> to = planned.stream().flatMap(p -> p.getValue().stream()).toList();
        if (from.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return ListEntryItem.move(table, from, to).chain(outcome -> switch (outcome) {
            case WRITTEN -> {
                changes.entriesMoved(to);
                yield Uni.createFrom().voidItem();
            }
            // A member's other conversation has an entry at this very microsecond: take the next one.
            case ENTRY_TIME_TAKEN -> later(attempt, "an entry's new time was taken",
                    () -> show(message, Timestamps.nextFree(at, at), members, changed, attempt + 1));
            // An entry moved meanwhile (another mover was first), or DynamoDB was busy: read again.
            default -> later(attempt, "list entries moved meanwhile", () -> show(message, at, members, changed, attempt + 1));
        });
    }

    /**
     * What an entry becomes after the message, or empty when it stays as it is. It moves to the message
     * when it shows an older one. Its owner's read marker follows the rules of read markers: the sender
     * has read their own message (both markers move to it, never back); for the other member, a message
     * after their marker is counted, by counting again what came after the marker (pattern N), so that
     * a count never depends on how often or in which order messages are shown. Not counted again: a
     * message the entry already shows (the move to it counted it, after it was stored), and a count
     * that is full.
     */
    private Uni<Optional<ListEntryItem>> after(ListEntryItem entry, MessageItem message, Instant at, boolean changed) {
        boolean moves = entry.lastReplyAt().isBefore(at);
        // A changed message's copy follows it wherever an entry stands at its time.
        boolean copyFollows = changed && !moves && entry.lastReplyAt().equals(message.createdAt())
                && !entry.message().equals(message.message());
        ListEntryItem.Reading reading = entry.reading();
        Instant through = entry.readThrough();
        Instant shared = reading.sharedThrough();
        Instant sent = message.createdAt();
        boolean recount;
        if (entry.ownerUserUuid().equals(message.userUuid())) {
            boolean forward = sent.isAfter(through);
            through = forward ? sent : through;
            shared = shared == null || sent.isAfter(shared) ? sent : shared;
            recount = forward && reading.unread() > 0;
        } else {
            boolean shown = !moves && entry.message().equals(message.message());
            recount = sent.isAfter(through) && !shown && (changed || reading.unread() < ListEntryItem.UNREAD_CAP);
        }
        ListEntryItem base = moves ? entry.movedTo(at, message.message())
                : copyFollows ? entry.movedTo(entry.lastReplyAt(), message.message()) : entry;
        Instant newThrough = through;
        Instant newShared = shared;
        boolean markerChanged = !newThrough.equals(reading.through()) || !java.util.Objects.equals(newShared, reading.sharedThrough());
        if (!moves && !copyFollows && !markerChanged && !recount) {
            return Uni.createFrom().item(Optional.empty());
        }
        Uni<Integer> unread = recount
                ? MessageItem.countAfter(table, message.conversationUuid(), newThrough, entry.ownerUserUuid(), ListEntryItem.UNREAD_CAP)
                : Uni.createFrom().item(reading.unread());
        return unread.map(count -> Optional.of(base.reading(reading.withThrough(newThrough, newShared, count))));
    }

    private static Uni<Void> later(int attempt, String why, Supplier<Uni<Void>> next) {
        if (attempt >= MAX_ATTEMPTS) {
            return Uni.createFrom().failure(new NotSettledException(why + " after " + attempt + " attempts"));
        }
        long millis = ThreadLocalRandom.current().nextLong(10, 20L << Math.min(attempt, 5));
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis)).chain(() -> next.get());
    }
}
