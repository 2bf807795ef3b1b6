package app.cruddur.messages.events;

import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.events.wire.EventId;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageChangeItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.ReadReceiptItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a resumed stream missed, read from the table rather than from an event store: the user's
 * list entries that moved after the resume point (pattern R on {@code GRP#{user}}), and in each of
 * those conversations the messages after the point (pattern R on {@code MSG#{group}}), as events,
 * oldest first, and the user's read receipts after the point. Every message moves its conversation's
 * entries, so a conversation with news has an entry after the point. The table keeps everything; {@code resume-window} bounds how far back a
 * replay reads.
 */
@ApplicationScoped
public class EventReplay {

    static final int PAGE = 100;

    private final TableClient table;
    private final ObjectMapper json;
    private final EventsConfig config;
    private final Clock clock;

    public EventReplay(TableClient table, ObjectMapper json, EventsConfig config, Clock clock) {
        this.table = table;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /** The user's events after {@code point} (no further back than the resume window), oldest first. */
    public Uni<List<UserEvent>> since(UUID user, EventId point) {
        EventId windowStart = EventId.before(clock.instant().minus(config.resumeWindow()));
        EventId from = point.isAfter(windowStart) ? point : windowStart;
        String fromSk = Timestamps.format(from.time());
        Uni<List<UserEvent>> receipts = all((sk, limit) -> ReadReceiptItem.replaySince(table, user, sk, limit), ReadReceiptItem::sk, fromSk)
                .map(read -> read.stream().map(receipt -> UserEvent.read(receipt, json)).filter(event -> event.id().isAfter(from)).toList());
        // A change names its message: the replay shows the message as it is now (a later delete wins).
        Uni<List<UserEvent>> changes = all((sk, limit) -> MessageChangeItem.replaySince(table, user, sk, limit), MessageChangeItem::sk, fromSk)
                .chain(changed -> Multi.createFrom().iterable(changed)
                        .onItem().transformToUniAndConcatenate(change -> MessageItem.find(table, change.conversationUuid(),
                                        change.messageCreatedAt())
                                .map(found -> found.map(message -> UserEvent.changed(message, change.at(), json))))
                        .collect().asList())
                .map(found -> found.stream().flatMap(java.util.Optional::stream).filter(event -> event.id().isAfter(from)).toList());
        Uni<List<UserEvent>> moves = all((sk, limit) -> ListEntryItem.replaySince(table, user, sk, limit), ListEntryItem::sk, fromSk)
                .chain(entries -> {
                    List<UserEvent> events = new ArrayList<>();
                    List<ListEntryItem> moved = new ArrayList<>();
                    for (ListEntryItem entry : entries) {
                        UserEvent event = UserEvent.listEntry(entry, json);
                        if (event.id().isAfter(from)) {
                            events.add(event);
                            moved.add(entry);
                        }
                    }
                    if (moved.isEmpty()) {
                        return Uni.createFrom().item(events);
                    }
                    return Multi.createFrom().iterable(moved)
                            .onItem().transformToUniAndConcatenate(entry -> all(
                                    (sk, limit) -> MessageItem.replaySince(table, entry.conversationUuid(), sk, limit), MessageItem::sk, fromSk))
                            .collect().in(() -> events, (all, messages) -> messages.stream()
                                    .map(message -> UserEvent.message(message, json))
                                    .filter(event -> event.id().isAfter(from))
                                    .forEach(all::add));
                });
        return Uni.combine().all().unis(moves, receipts, changes).asTuple()
                .map(all -> java.util.stream.Stream.of(all.getItem1(), all.getItem2(), all.getItem3()).flatMap(List::stream)
                        .sorted(Comparator.comparing(UserEvent::id)).toList());
    }

    /** Every item from {@code fromSk} on, page by page (each next page starts at the last sort key read). */
    private static <T> Uni<List<T>> all(BiFunction<String, Integer, Uni<List<T>>> page, Function<T, String> sk, String fromSk) {
        List<T> read = new ArrayList<>();
        return next(page, sk, fromSk, read).replaceWith(read);
    }

    private static <T> Uni<Void> next(BiFunction<String, Integer, Uni<List<T>>> page, Function<T, String> sk, String fromSk,
                                      List<T> read) {
        return page.apply(fromSk, PAGE + 1).chain(items -> {
            for (T item : items) {
                if (read.isEmpty() || sk.apply(item).compareTo(sk.apply(read.get(read.size() - 1))) > 0) {
                    read.add(item);
                }
            }
            return items.size() <= PAGE ? Uni.createFrom().voidItem() : next(page, sk, sk.apply(items.get(items.size() - 1)), read);
        });
    }
}
