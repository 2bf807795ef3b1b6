package app.cruddur.messages.table;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The messages table as every caller uses it: the service, both drivers of the projection (the
 * in-service consumer and the Lambda) and the tools. Each method is one request of
 * {@link AccessPatterns}. A write answers with an {@link Outcome} that says what the table did;
 * how to go on (another time, a pause, giving up) is the caller's rule. DynamoDB unreachable,
 * silent or throttling fails the call with a 503 ({@link DynamoCalls#call}); anything else unexpected
 * (a request DynamoDB calls invalid) fails it as the bug it is.
 */
public final class TableClient {

    /** What a write did. */
    public enum Outcome {
        /** Written, also when a retry of the SDK found its own first attempt applied. */
        WRITTEN,
        /** The message's sort key (its microsecond) holds another message: nothing written. */
        TIME_TAKEN,
        /** The Idempotency-Key was used before: nothing written. */
        IDEMPOTENCY_KEY_TAKEN,
        /** The two users have a conversation already: nothing written. */
        PAIR_TAKEN,
        /** A group row moved meanwhile (another mover was first): nothing written. */
        ROWS_MOVED,
        /** A moved row's new key holds a row of another conversation: nothing written. */
        ROW_TIME_TAKEN,
        /** Another transaction was writing the same items: nothing written; try again after a pause. */
        CONFLICT,
        /** DynamoDB cancelled it for another reason (throttling, capacity): nothing written. */
        BUSY
    }

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    /** The items of {@link AccessPatterns#createConversation}, in their order. */
    private static final int PAIR = 0;
    private static final int FIRST_TIMED = 2;
    private static final int LAST_TIMED = 4;
    private static final int NEW_CONVERSATION_RECORD = 5;
    /** The items of {@link AccessPatterns#putNewMessageOnce}. */
    private static final int MESSAGE = 0;
    private static final int MESSAGE_RECORD = 1;

    private final DynamoDbAsyncClient dynamo;
    private final DynamoDbAsyncClient cachedReads;
    private final String table;
    private final String groupIndex;
    private final Caller caller;

    /**
     * @param cachedReads the client for the eventually consistent message pages (DAX when
     *                    configured, else {@code dynamo})
     * @param caller      the part whose requests these are (named in each one's user agent)
     */
    public TableClient(DynamoDbAsyncClient dynamo, DynamoDbAsyncClient cachedReads, String table, String groupIndex,
                       Caller caller) {
        this.dynamo = dynamo;
        this.cachedReads = cachedReads;
        this.table = table;
        this.groupIndex = groupIndex;
        this.caller = caller;
    }

    /** Without DAX: the projection, the tools. */
    public static TableClient direct(DynamoDbAsyncClient dynamo, String table, String groupIndex, Caller caller) {
        return new TableClient(dynamo, dynamo, table, groupIndex, caller);
    }

    /** The same table and clients, for {@code other}'s requests (the in-service projection uses the service's clients). */
    public TableClient as(Caller other) {
        return new TableClient(dynamo, cachedReads, table, groupIndex, other);
    }

    public String table() {
        return table;
    }

    // --- reads ---------------------------------------------------------------------------------

    /** Pattern A, strongly consistent and never through DAX. */
    public Uni<Page<GroupRowItem>> groupRows(UUID owner, Optional<String> beforeSk, int limit) {
        return page(dynamo, AccessPatterns.groupRowsNewestFirst(table, owner, beforeSk, limit), limit, GroupRowItem::from);
    }

    /** Pattern B, eventually consistent, through DAX when configured. */
    public Uni<Page<MessageItem>> messages(UUID messageGroupUuid, Optional<String> beforeSk, int limit) {
        return page(cachedReads, AccessPatterns.messagesNewestFirst(table, messageGroupUuid, beforeSk, limit), limit,
                MessageItem::from);
    }

    /** Pattern R: up to {@code limit} of the owner's group rows at or after {@code fromSk}, oldest first. */
    public Uni<List<GroupRowItem>> groupRowsSince(UUID owner, String fromSk, int limit) {
        return DynamoCalls.call(() -> dynamo.query(caller.tag(AccessPatterns.groupRowsSince(table, owner, fromSk, limit))))
                .map(response -> response.items().stream().map(GroupRowItem::from).toList());
    }

    /** Pattern R: up to {@code limit} of the conversation's messages at or after {@code fromSk}, oldest first. */
    public Uni<List<MessageItem>> messagesSince(UUID messageGroupUuid, String fromSk, int limit) {
        return DynamoCalls.call(() -> dynamo.query(caller.tag(AccessPatterns.messagesSince(table, messageGroupUuid, fromSk, limit))))
                .map(response -> response.items().stream().map(MessageItem::from).toList());
    }

    /** The conversation item: its members. */
    public Uni<Optional<ConversationItem>> conversation(UUID messageGroupUuid) {
        return item(AccessPatterns.conversation(table, messageGroupUuid), ConversationItem::from);
    }

    /** Pattern D: the conversation of two users, if they have one. */
    public Uni<Optional<UUID>> pairGroup(UUID a, UUID b) {
        return item(AccessPatterns.pair(table, a, b), PairItem::groupOf);
    }

    public Uni<Optional<IdempotencyItem>> idempotencyRecord(UUID userUuid, String key) {
        return item(AccessPatterns.idempotencyRecord(table, userUuid, key), found -> IdempotencyItem.from(userUuid, key, found));
    }

    /** Patterns C and E: the conversation's group rows as the (eventually consistent) index lists them. */
    public Uni<List<GroupRowItem>> groupRowsOfConversation(UUID messageGroupUuid) {
        return DynamoCalls.call(() -> dynamo.query(caller.tag(AccessPatterns.groupRowsOfConversation(table, groupIndex, messageGroupUuid))))
                .map(response -> response.items().stream().map(GroupRowItem::from).toList());
    }

    /** Pattern G: everyone the user blocked, every page. */
    public Uni<List<BlockItem>> blocks(UUID blocker) {
        return blocksFrom(blocker, Map.of(), new java.util.ArrayList<>());
    }

    /** Adds the pages from {@code start} on to {@code found}, one Query after another. */
    private Uni<List<BlockItem>> blocksFrom(UUID blocker, Map<String, AttributeValue> start, List<BlockItem> found) {
        return DynamoCalls.call(() -> dynamo.query(caller.tag(AccessPatterns.blocksOf(table, blocker, start)))).chain(response -> {
            response.items().forEach(item -> found.add(BlockItem.from(item)));
            return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? blocksFrom(blocker, response.lastEvaluatedKey(), found)
                    : Uni.createFrom().item(List.copyOf(found));
        });
    }

    // --- writes --------------------------------------------------------------------------------

    /** Pattern C: a message, where no other is. WRITTEN or TIME_TAKEN. */
    public Uni<Outcome> putMessage(MessageItem message) {
        return DynamoCalls.call(() -> dynamo.putItem(caller.tag(AccessPatterns.putNewMessage(table, message))))
                .replaceWith(Outcome.WRITTEN)
                .onFailure(failure -> DynamoCalls.unwrap(failure) instanceof ConditionalCheckFailedException)
                .recoverWithItem(failure -> {
                    // The answer carries the item that holds the key: the message itself when the SDK
                    // retried a put whose answer was lost.
                    Map<String, AttributeValue> holder = ((ConditionalCheckFailedException) DynamoCalls.unwrap(failure)).item();
                    return message.isStoredAs(holder) ? Outcome.WRITTEN : Outcome.TIME_TAKEN;
                });
    }

    /** Pattern F: the block, unless one is there already; true when this call wrote it. */
    public Uni<Boolean> putBlock(BlockItem block) {
        return DynamoCalls.call(() -> dynamo.putItem(caller.tag(AccessPatterns.block(table, block))))
                .replaceWith(true)
                .onFailure(failure -> DynamoCalls.unwrap(failure) instanceof ConditionalCheckFailedException)
                .recoverWithItem(false);
    }

    /** Pattern F: no block of {@code blocked} by {@code blocker} any longer (also when there was none). */
    public Uni<Void> deleteBlock(UUID blocker, UUID blocked) {
        return DynamoCalls.call(() -> dynamo.deleteItem(caller.tag(AccessPatterns.unblock(table, blocker, blocked)))).replaceWithVoid();
    }

    /** Pattern C with an Idempotency-Key: the message and its record, both or neither. */
    public Uni<Outcome> putMessageOnce(MessageItem message, IdempotencyItem record) {
        return transact(AccessPatterns.putNewMessageOnce(table, message, record), reasons -> {
            if (failed(reasons, MESSAGE_RECORD)) {
                return Outcome.IDEMPOTENCY_KEY_TAKEN;
            }
            return failed(reasons, MESSAGE) ? Outcome.TIME_TAKEN : null;
        });
    }

    /** Pattern D: a new conversation, both group rows and its first message (and record), all or nothing. */
    public Uni<Outcome> createConversation(NewConversation conversation, Optional<IdempotencyItem> record) {
        return transact(AccessPatterns.createConversation(table, conversation, record), reasons -> {
            if (failed(reasons, NEW_CONVERSATION_RECORD)) {
                return Outcome.IDEMPOTENCY_KEY_TAKEN;
            }
            if (failed(reasons, PAIR)) {
                return Outcome.PAIR_TAKEN;
            }
            for (int slot = FIRST_TIMED; slot <= LAST_TIMED; slot++) {
                if (failed(reasons, slot)) {
                    return Outcome.TIME_TAKEN;
                }
            }
            return null;
        });
    }

    /** Patterns C and E: group rows to a newer last reply, each old row deleted and its new one put, all or nothing. */
    public Uni<Outcome> moveGroupRows(List<GroupRowItem> from, List<GroupRowItem> to) {
        return transact(AccessPatterns.moveGroupRows(table, from, to),
                reasons -> collided(reasons, from.size()) ? Outcome.ROW_TIME_TAKEN
                        : reasons.stream().anyMatch(reason -> CONDITION_FAILED.equals(reason.code())) ? Outcome.ROWS_MOVED
                        : null);
    }

    /**
     * Whether a moved row's new key was taken while the row it replaces was still in place. A put
     * that failed together with its delete means another mover got there first, not a collision.
     */
    static boolean collided(List<CancellationReason> reasons, int moved) {
        for (int i = 0; i < moved && moved + i < reasons.size(); i++) {
            boolean deleteHeld = !CONDITION_FAILED.equals(reasons.get(i).code());
            boolean putBlocked = CONDITION_FAILED.equals(reasons.get(moved + i).code());
            if (deleteHeld && putBlocked) {
                return true;
            }
        }
        return false;
    }

    /**
     * A transaction, and what its cancellation reasons mean: {@code conditions} reads the failed
     * conditions (null when none of its own), then a conflict, then any other reason.
     */
    private Uni<Outcome> transact(TransactWriteItemsRequest request, Function<List<CancellationReason>, Outcome> conditions) {
        return DynamoCalls.call(() -> dynamo.transactWriteItems(caller.tag(request)))
                .replaceWith(Outcome.WRITTEN)
                .onFailure(failure -> DynamoCalls.unwrap(failure) instanceof TransactionCanceledException)
                .recoverWithUni(failure -> {
                    TransactionCanceledException cancelled = (TransactionCanceledException) DynamoCalls.unwrap(failure);
                    List<CancellationReason> reasons = cancelled.cancellationReasons();
                    Outcome outcome = conditions.apply(reasons);
                    if (outcome != null) {
                        return Uni.createFrom().item(outcome);
                    }
                    if (reasons.stream().anyMatch(reason -> TRANSACTION_CONFLICT.equals(reason.code()))) {
                        return Uni.createFrom().item(Outcome.CONFLICT);
                    }
                    if (reasons.stream().anyMatch(reason -> "ValidationError".equals(reason.code()))) {
                        return Uni.createFrom().failure(cancelled);
                    }
                    return Uni.createFrom().item(Outcome.BUSY);
                });
    }

    private static boolean failed(List<CancellationReason> reasons, int slot) {
        return reasons.size() > slot && CONDITION_FAILED.equals(reasons.get(slot).code());
    }

    private <T> Uni<Optional<T>> item(GetItemRequest request, Function<Map<String, AttributeValue>, T> mapper) {
        return DynamoCalls.call(() -> dynamo.getItem(caller.tag(request)))
                .map(response -> response.hasItem() && !response.item().isEmpty()
                        ? Optional.of(mapper.apply(response.item()))
                        : Optional.empty());
    }

    private <T> Uni<Page<T>> page(DynamoDbAsyncClient client, QueryRequest request, int limit,
                                  Function<Map<String, AttributeValue>, T> mapper) {
        return DynamoCalls.call(() -> client.query(caller.tag(request))).map(response -> {
            List<Map<String, AttributeValue>> items = response.items();
            boolean older = items.size() > limit;
            List<Map<String, AttributeValue>> shown = older ? items.subList(0, limit) : items;
            Optional<String> next = older
                    ? Optional.of(shown.get(shown.size() - 1).get(MessagesTable.SK).s())
                    : Optional.empty();
            return new Page<>(shown.stream().map(mapper).toList(), next);
        });
    }
}
