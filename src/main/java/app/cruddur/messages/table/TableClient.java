package app.cruddur.messages.table;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The messages table as every caller uses it: the service, both drivers of the projection (the
 * in-service consumer and the Lambda) and the tools. This is how a request is sent; what is sent
 * lives with the item it reads or writes, one access pattern per method there ({@link MessageItem},
 * {@link ListEntryItem}, {@link ConversationItem}, {@link PairItem}, {@link IdempotencyItem},
 * {@link BlockItem}, {@link NewConversation}), and docs/data.md lists them with their costs.
 *
 * <p>A write answers with an {@link Outcome} that says what the table did; how to go on (another
 * time, a pause, giving up) is the caller's rule. DynamoDB unreachable, silent or throttling fails
 * the call with a 503 ({@link DynamoCalls#call}); anything else unexpected (a request DynamoDB calls
 * invalid) fails it as the bug it is.
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
        /** A list entry moved meanwhile (another mover was first): nothing written. */
        ENTRIES_MOVED,
        /** The message was edited or deleted meanwhile: nothing written. */
        MESSAGE_CHANGED,
        /** A moved entry's new key holds an entry of another conversation: nothing written. */
        ENTRY_TIME_TAKEN,
        /** Another transaction was writing the same items: nothing written; try again after a pause. */
        CONFLICT,
        /** DynamoDB cancelled it for another reason (throttling, capacity): nothing written. */
        BUSY
    }

    /** Items of one page, newest first, and the sort key to continue below when older items exist. */
    public record Page<T>(List<T> items, Optional<String> olderThanSk) {

        public <R> Page<R> map(Function<T, R> mapper) {
            return new Page<>(items.stream().map(mapper).toList(), olderThanSk);
        }
    }

    /** A put that never replaces an item: the key must be free. */
    public static final String KEY_IS_FREE = "attribute_not_exists(" + MessagesTable.PK + ")";

    /** How often a batch read asks again for the keys DynamoDB left unprocessed (throttling) before it gives up with a 503. */
    private static final int UNPROCESSED_ATTEMPTS = 4;
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

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

    String groupIndex() {
        return groupIndex;
    }

    // --- sending ---------------------------------------------------------------------------------

    /** One item by key, if it is there. */
    <T> Uni<Optional<T>> get(GetItemRequest request, Function<Map<String, AttributeValue>, T> decode) {
        return DynamoCalls.call(() -> dynamo.getItem(caller.tag(request)))
                .map(response -> response.hasItem() && !response.item().isEmpty()
                        ? Optional.of(decode.apply(response.item()))
                        : Optional.empty());
    }

    /** The items of one BatchGetItem that are there, asking again for the keys DynamoDB left unprocessed. */
    <T> Uni<List<T>> getAll(BatchGetItemRequest request, Function<Map<String, AttributeValue>, T> decode) {
        return getAll(request, decode, new ArrayList<>(), 1);
    }

    private <T> Uni<List<T>> getAll(BatchGetItemRequest request, Function<Map<String, AttributeValue>, T> decode, List<T> found,
                                    int attempt) {
        return DynamoCalls.call(() -> dynamo.batchGetItem(caller.tag(request))).chain(response -> {
            response.responses().values().forEach(items -> items.forEach(item -> found.add(decode.apply(item))));
            if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
                return Uni.createFrom().item(List.copyOf(found));
            }
            if (attempt >= UNPROCESSED_ATTEMPTS) {
                return Uni.createFrom().failure(new DynamoCalls.Unavailable(new IllegalStateException("keys left unprocessed " + attempt + " times")));
            }
            return getAll(request.toBuilder().requestItems(response.unprocessedKeys()).build(), decode, found, attempt + 1);
        });
    }

    /** Every item one Query answers (one page of up to 1 MB). */
    <T> Uni<List<T>> query(QueryRequest request, Function<Map<String, AttributeValue>, T> decode) {
        return DynamoCalls.call(() -> dynamo.query(caller.tag(request)))
                .map(response -> response.items().stream().map(decode).toList());
    }

    /** One page of a Query: its items, and where the next page starts (empty: none). */
    Uni<Map.Entry<List<Map<String, AttributeValue>>, Map<String, AttributeValue>>> queryPage(QueryRequest request) {
        return DynamoCalls.call(() -> dynamo.query(caller.tag(request)))
                .map(response -> Map.entry(response.items(), hasMore(response) ? response.lastEvaluatedKey() : Map.of()));
    }

    /** Every item of a Query, one page after another; {@code page} builds the request from where the last one stopped. */
    <T> Uni<List<T>> queryAll(Function<Map<String, AttributeValue>, QueryRequest> page,
                              Function<Map<String, AttributeValue>, T> decode) {
        return queryFrom(page, decode, Map.of(), new ArrayList<>());
    }

    private <T> Uni<List<T>> queryFrom(Function<Map<String, AttributeValue>, QueryRequest> page,
                                       Function<Map<String, AttributeValue>, T> decode,
                                       Map<String, AttributeValue> start, List<T> found) {
        return DynamoCalls.call(() -> dynamo.query(caller.tag(page.apply(start)))).chain(response -> {
            response.items().forEach(item -> found.add(decode.apply(item)));
            return hasMore(response)
                    ? queryFrom(page, decode, response.lastEvaluatedKey(), found)
                    : Uni.createFrom().item(List.copyOf(found));
        });
    }

    /**
     * A page of a Query that asked for {@code limit + 1} items ({@link #newestFirst}): the extra one
     * only says that an older page exists.
     *
     * @param cached whether the read may be served by DAX (eventually consistent reads only)
     */
    <T> Uni<Page<T>> page(QueryRequest request, int limit, boolean cached, Function<Map<String, AttributeValue>, T> decode) {
        DynamoDbAsyncClient client = cached ? cachedReads : dynamo;
        return DynamoCalls.call(() -> client.query(caller.tag(request))).map(response -> {
            List<Map<String, AttributeValue>> items = response.items();
            boolean older = items.size() > limit;
            List<Map<String, AttributeValue>> shown = older ? items.subList(0, limit) : items;
            Optional<String> next = older
                    ? Optional.of(shown.get(shown.size() - 1).get(MessagesTable.SK).s())
                    : Optional.empty();
            return new Page<>(shown.stream().map(decode).toList(), next);
        });
    }

    /**
     * A conditional put: completes with {@code written}, or with what {@code refused} makes of the
     * item that held the key (null unless the request asks for it) when the condition failed.
     */
    <T> Uni<T> put(PutItemRequest request, T written, Function<Map<String, AttributeValue>, T> refused) {
        return DynamoCalls.call(() -> dynamo.putItem(caller.tag(request)))
                .replaceWith(written)
                .onFailure(failure -> DynamoCalls.unwrap(failure) instanceof ConditionalCheckFailedException)
                .recoverWithItem(failure -> refused.apply(((ConditionalCheckFailedException) DynamoCalls.unwrap(failure)).item()));
    }

    Uni<Void> delete(DeleteItemRequest request) {
        return DynamoCalls.call(() -> dynamo.deleteItem(caller.tag(request))).replaceWithVoid();
    }

    /** The reasons a transaction was cancelled, read by the request's own item order. */
    interface Cancellation {
        /** What the failed conditions mean, or null when none of them is the transaction's own. */
        Outcome read(List<CancellationReason> reasons);
    }

    /**
     * A transaction, and what its cancellation means: {@code conditions} reads the failed
     * conditions first, then a conflict, then any other reason.
     */
    Uni<Outcome> transact(TransactWriteItemsRequest request, Cancellation conditions) {
        return DynamoCalls.call(() -> dynamo.transactWriteItems(caller.tag(request)))
                .replaceWith(Outcome.WRITTEN)
                .onFailure(failure -> DynamoCalls.unwrap(failure) instanceof TransactionCanceledException)
                .recoverWithUni(failure -> {
                    TransactionCanceledException cancelled = (TransactionCanceledException) DynamoCalls.unwrap(failure);
                    List<CancellationReason> reasons = cancelled.cancellationReasons();
                    Outcome outcome = conditions.read(reasons);
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

    /** Tools: the keys of every item in one partition, one page after another. */
    public Uni<List<Map<String, AttributeValue>>> partitionKeys(String pk) {
        return queryAll(start -> partitionKeysRequest(table, pk, start), item -> item);
    }

    public static QueryRequest partitionKeysRequest(String table, String pk, Map<String, AttributeValue> start) {
        return partition(table, pk, start).toBuilder()
                .expressionAttributeNames(Map.of("#pk", MessagesTable.PK, "#sk", MessagesTable.SK))
                .projectionExpression("#pk, #sk")
                .build();
    }

    /** Whether the transaction's item at {@code slot} failed its condition. */
    static boolean failed(List<CancellationReason> reasons, int slot) {
        return reasons.size() > slot && CONDITION_FAILED.equals(reasons.get(slot).code());
    }

    // --- the parts of requests ---------------------------------------------------------------

    /** Items of partition {@code pk}, newest first, below {@code beforeSk} when given: {@code limit + 1} of them. */
    static QueryRequest newestFirst(String table, String pk, Optional<String> beforeSk, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(pk));
        String condition = "#pk = :pk";
        Map<String, String> names = new HashMap<>(Map.of("#pk", MessagesTable.PK));
        if (beforeSk.isPresent()) {
            values.put(":before", AttributeValue.fromS(beforeSk.get()));
            names.put("#sk", MessagesTable.SK);
            condition += " AND #sk < :before";
        }
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(false)
                .limit(limit + 1)
                .build();
    }

    /** Up to {@code limit} items of partition {@code pk} from {@code fromSk} on, oldest first, strongly consistent. */
    static QueryRequest oldestFirstSince(String table, String pk, String fromSk, int limit) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk >= :from")
                .expressionAttributeNames(Map.of("#pk", MessagesTable.PK, "#sk", MessagesTable.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":from", AttributeValue.fromS(fromSk)))
                .scanIndexForward(true)
                .consistentRead(true)
                .limit(limit)
                .build();
    }

    /** Every item of partition {@code pk} from {@code start} on (empty: the first page). */
    static QueryRequest partition(String table, String pk, Map<String, AttributeValue> start) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", MessagesTable.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .exclusiveStartKey(start == null || start.isEmpty() ? null : start)
                .build();
    }

    /** A strongly consistent read of one item by key. */
    static GetItemRequest byKey(String table, Map<String, AttributeValue> key) {
        return GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build();
    }

    /**
     * A transaction with a token of its own. The SDK sends the same token with each of its retries,
     * and DynamoDB applies a token once: a retry after a lost answer succeeds without writing again.
     * A new attempt of ours (other keys, after a cancellation) is a new request with a new token.
     */
    static TransactWriteItemsRequest transaction(List<TransactWriteItem> items) {
        return TransactWriteItemsRequest.builder().transactItems(items).clientRequestToken(UUID.randomUUID().toString()).build();
    }

    static TransactWriteItem putIfFree(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item).conditionExpression(KEY_IS_FREE).build())
                .build();
    }

    static boolean hasMore(QueryResponse response) {
        return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
    }

    static boolean conditionFailed(CancellationReason reason) {
        return CONDITION_FAILED.equals(reason.code());
    }
}
