package app.cruddur.messages.table;

import app.cruddur.messages.table.TableClient.Outcome;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Everything a first message writes at once: the pair, the members, both list entries and the message.
 *
 * <p>Access pattern: D {@link #create}.
 */
public record NewConversation(PairItem pair, ConversationItem conversation, ListEntryItem senderEntry,
                              ListEntryItem receiverEntry, MessageItem message) {

    /** Builds the items of a conversation that {@code sender} opens with {@code receiver}. */
    public static NewConversation of(UUID conversationUuid, MessageItem first,
                                     UUID receiverUuid, String receiverDisplayName, String receiverHandle) {
        Instant at = first.createdAt();
        return new NewConversation(
                new PairItem(first.userUuid(), receiverUuid, conversationUuid),
                new ConversationItem(conversationUuid, Set.of(first.userUuid(), receiverUuid), at),
                new ListEntryItem(first.userUuid(), at, conversationUuid, first.message(),
                        receiverUuid, receiverDisplayName, receiverHandle, senderReading(at)),
                new ListEntryItem(receiverUuid, at, conversationUuid, first.message(),
                        first.userUuid(), first.userDisplayName(), first.userHandle(), receiverReading(at)),
                first);
    }

    /** The sender has read their first message, and lets the other member see it. */
    private static ListEntryItem.Reading senderReading(Instant at) {
        return ListEntryItem.Reading.of(at, at, 0);
    }

    /** The receiver has read nothing yet: one unread message. */
    private static ListEntryItem.Reading receiverReading(Instant at) {
        return ListEntryItem.Reading.of(at.minus(1, ChronoUnit.MICROS), null, 1);
    }

    /**
     * The same conversation with every time moved to {@code at} (when a sort key was taken); the text
     * is sealed again, since its sent time is bound to it.
     */
    public NewConversation at(Instant at, TextKey key) {
        MessageItem moved = message.at(at, key);
        return new NewConversation(pair,
                new ConversationItem(conversation.conversationUuid(), conversation.memberUuids(), moved.createdAt()),
                senderEntry.movedTo(moved.createdAt(), moved.message()).reading(senderReading(moved.createdAt())),
                receiverEntry.movedTo(moved.createdAt(), moved.message()).reading(receiverReading(moved.createdAt())),
                moved);
    }

    /** The items of {@link #createRequest}, in their order: the pair, the members, the three timed items, the record. */
    private static final int PAIR_SLOT = 0;
    private static final int FIRST_TIMED_SLOT = 2;
    private static final int LAST_TIMED_SLOT = 4;
    private static final int RECORD_SLOT = 5;

    /**
     * Pattern D: the conversation, both list entries and its first message (and the record of its
     * Idempotency-Key), all or nothing. WRITTEN, IDEMPOTENCY_KEY_TAKEN, PAIR_TAKEN (the two users have
     * one already) or TIME_TAKEN (an entry's or the message's microsecond is taken).
     */
    public Uni<Outcome> create(TableClient table, Optional<IdempotencyItem> record) {
        return table.transact(createRequest(table.table(), record), reasons -> {
            if (TableClient.failed(reasons, RECORD_SLOT)) {
                return Outcome.IDEMPOTENCY_KEY_TAKEN;
            }
            if (TableClient.failed(reasons, PAIR_SLOT)) {
                return Outcome.PAIR_TAKEN;
            }
            for (int slot = FIRST_TIMED_SLOT; slot <= LAST_TIMED_SLOT; slot++) {
                if (TableClient.failed(reasons, slot)) {
                    return Outcome.TIME_TAKEN;
                }
            }
            return null;
        });
    }

    public TransactWriteItemsRequest createRequest(String table, Optional<IdempotencyItem> record) {
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                TableClient.putIfFree(table, pair.toItem()),            // PAIR_SLOT
                TableClient.putIfFree(table, conversation.toItem()),
                TableClient.putIfFree(table, senderEntry.toItem()),       // FIRST_TIMED_SLOT
                TableClient.putIfFree(table, receiverEntry.toItem()),
                TableClient.putIfFree(table, record.map(r -> message.postedWith(r.idempotencyKey())).orElse(message).toItem())));  // LAST_TIMED_SLOT
        record.ifPresent(r -> items.add(TableClient.putIfFree(table, r.toItem())));   // RECORD_SLOT
        return TableClient.transaction(items);
    }
}
