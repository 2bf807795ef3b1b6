package app.cruddur.messages.read;

import app.cruddur.messages.conversation.repository.ConversationRepository;
import app.cruddur.messages.conversation.service.ConversationMembers;
import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.events.EventPublisher;
import app.cruddur.messages.events.EventsConfig;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.ListEntryItem.Reading;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.ReadReceiptItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.user.User;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The rules of read markers. Each member has one marker per conversation, on their list entry
 * (ListEntryItem's {@code Reading}): the newest message they have read. Marking read moves it forward
 * only, to a message of the conversation (by default the newest); marking unread sets it back to just
 * before a message of the other member's (by default their newest), so that the conversation shows
 * unread again. The unread count is counted again from the table whenever the marker moves (pattern
 * N), never added to. A marker is shared with the other member unless the reader asks for it to stay
 * private; the reader's own streams always hear of it (a {@code read} event, replayed from the
 * receipts after a reconnect).
 */
@ApplicationScoped
public class ReadMarkerService {

    /** Receipts outlive the events' resume window by this much, so that every replay finds them. */
    private static final Duration RECEIPT_MARGIN = Duration.ofHours(1);

    private final TableClient table;
    private final ConversationMembers members;
    private final EventPublisher events;
    private final EventsConfig eventsConfig;
    private final Clock clock;

    public ReadMarkerService(TableClient table, ConversationMembers members, EventPublisher events, EventsConfig eventsConfig,
                             Clock clock) {
        this.table = table;
        this.members = members;
        this.events = events;
        this.eventsConfig = eventsConfig;
        this.clock = clock;
    }

    /** The caller's marker of a conversation of theirs, and the other member's as far as it is shared. */
    public Uni<ReadMarker> marker(User caller, String conversationUuid) {
        return members.ofMember(conversationUuid, caller.uuid())
                .chain(conversation -> entries(caller, conversation.conversationUuid(), 1))
                .map(both -> ReadMarker.of(both.own(), both.other()));
    }

    /**
     * Moves the caller's marker forward to the message sent at {@code through} (by default the newest),
     * never back; shared unless {@code privately}. A marker already there changes nothing and tells nobody.
     */
    public Uni<ReadMarker> markRead(User caller, String conversationUuid, Optional<Instant> through, boolean privately) {
        return members.ofMember(conversationUuid, caller.uuid()).map(ConversationItem::conversationUuid).chain(group -> (through.isPresent()
                        ? message(group, through.get()).replaceWith(group) : Uni.createFrom().item(group)))
                .chain(group -> move(caller, group, own -> {
                    Instant target = through.orElse(own.lastReplyAt());
                    Instant newThrough = later(own.readThrough(), target);
                    Instant shared = own.sharedReadThrough().orElse(null);
                    Instant newShared = privately ? shared : shared == null ? target : later(shared, target);
                    return new Change(newThrough, newShared);
                }, 1));
    }

    /**
     * Sets the caller's marker back to just before the message sent at {@code from} (by default the
     * other member's newest), so that it and what follows count as unread. A marker already before it
     * changes nothing. What the other member sees does not move back.
     */
    public Uni<ReadMarker> markUnread(User caller, String conversationUuid, Optional<Instant> from) {
        return members.ofMember(conversationUuid, caller.uuid()).map(ConversationItem::conversationUuid)
                .chain(group -> from.isPresent() ? message(group, from.get()) : newestOfOther(caller, group))
                .chain(message -> move(caller, message.conversationUuid(), own -> {
                    Instant before = message.createdAt().minus(1, ChronoUnit.MICROS);
                    Instant newThrough = before.isBefore(own.readThrough()) ? before : own.readThrough();
                    return new Change(newThrough, own.sharedReadThrough().orElse(null));
                }, 1));
    }

    /** The caller's unread totals over their whole list (pattern U). */
    public Uni<UnreadTotals> totals(User caller) {
        return ListEntryItem.allOf(table, caller.uuid()).map(entries -> new UnreadTotals(
                (int) entries.stream().filter(entry -> entry.unread() > 0).count(),
                entries.stream().mapToInt(ListEntryItem::unread).sum()));
    }

    /** Where a marker goes: read through, and shared through (null: never shared). */
    private record Change(Instant through, Instant sharedThrough) {
    }

    private record Entries(ListEntryItem own, Optional<ListEntryItem> other) {
    }

    private Uni<ReadMarker> move(User caller, UUID group, Function<ListEntryItem, Change> rule, int attempt) {
        return entries(caller, group, 1).chain(both -> {
            ListEntryItem own = both.own();
            Change change = rule.apply(own);
            boolean recorded = own.reading().through() != null;
            if (recorded && change.through().equals(own.readThrough())
                    && Objects.equals(change.sharedThrough(), own.sharedReadThrough().orElse(null))) {
                return Uni.createFrom().item(ReadMarker.of(own, both.other()));
            }
            // Read through the last reply or later: nothing of the other member's after it is shown yet, and
            // whatever comes is counted by its own move (which meets this write's version and reads again).
            Uni<Integer> unread = change.through().isBefore(own.lastReplyAt())
                    ? MessageItem.countAfter(table, group, change.through(), caller.uuid(), ListEntryItem.UNREAD_CAP)
                    : Uni.createFrom().item(0);
            return unread.chain(count -> {
                Reading reading = own.reading().withThrough(change.through(), change.sharedThrough(), count);
                List<ReadReceiptItem> receipts = receipts(caller, own, reading);
                return ListEntryItem.mark(table, own, reading, receipts.stream().map(ReadReceiptItem::toItem).toList())
                        .chain(outcome -> switch (outcome) {
                            case WRITTEN -> {
                                events.readMoved(receipts);
                                yield Uni.createFrom().item(ReadMarker.of(own.reading(reading), both.other()));
                            }
                            // The entry moved (a message) or its marker changed (another tab) meanwhile: read again.
                            default -> ConversationRepository.afterPause(attempt, () -> move(caller, group, rule, attempt + 1));
                        });
            });
        });
    }

    /** The reader's own receipt (with their count), and the other member's when the shared marker moved. */
    private List<ReadReceiptItem> receipts(User caller, ListEntryItem own, Reading reading) {
        Instant at = Timestamps.truncate(clock.instant());
        Instant expires = at.plus(eventsConfig.resumeWindow()).plus(RECEIPT_MARGIN);
        List<ReadReceiptItem> receipts = new ArrayList<>();
        receipts.add(new ReadReceiptItem(caller.uuid(), at, own.conversationUuid(), caller.uuid(), reading.through(),
                Optional.of(reading.unread()), expires));
        if (reading.sharedThrough() != null && !reading.sharedThrough().equals(own.sharedReadThrough().orElse(null))) {
            receipts.add(new ReadReceiptItem(own.otherUserUuid(), at, own.conversationUuid(), caller.uuid(), reading.sharedThrough(),
                    Optional.empty(), expires));
        }
        return receipts;
    }

    /**
     * Both members' entries through the group index. Just after the conversation was created the
     * index may not list the caller's entry yet: read again after a pause.
     */
    private Uni<Entries> entries(User caller, UUID group, int attempt) {
        return ListEntryItem.ofConversation(table, group).chain(listed -> {
            Map<UUID, ListEntryItem> current = ListEntryItem.currentByOwner(listed);
            ListEntryItem own = current.remove(caller.uuid());
            if (own == null) {
                return ConversationRepository.afterPause(attempt, () -> entries(caller, group, attempt + 1));
            }
            return Uni.createFrom().item(new Entries(own, current.values().stream().findFirst()));
        });
    }

    private Uni<MessageItem> message(UUID group, Instant createdAt) {
        return MessageItem.find(table, group, createdAt).map(found -> found.orElseThrow(() ->
                new NotFoundException(ErrorCode.MESSAGE_NOT_FOUND, "The conversation has no message sent at this time.")));
    }

    /** The newest message of the other member's, from the newest page of the conversation. */
    private Uni<MessageItem> newestOfOther(User caller, UUID group) {
        return MessageItem.pageMessages(table, group, Optional.empty(), 100).map(page -> page.items().stream()
                .filter(message -> !message.userUuid().equals(caller.uuid()))
                .findFirst()
                .orElseThrow(() -> new ApiException(ErrorCode.NOTHING_TO_MARK_UNREAD,
                        "The other member has sent no message to mark unread yet.")));
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }
}
