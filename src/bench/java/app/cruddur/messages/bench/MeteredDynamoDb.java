package app.cruddur.messages.bench;

import app.cruddur.messages.table.MessagesTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A DynamoDB client that sends every request with {@code ReturnConsumedCapacity=INDEXES} and keeps,
 * per request, what DynamoDB Local reported and what AWS would charge ({@link PublishedCapacity}).
 * It passes on the requests a message put and the projection send (PutItem, GetItem, Query, and
 * TransactWriteItems of Puts and Deletes); anything else fails, so nothing goes uncounted.
 */
final class MeteredDynamoDb implements DynamoDbAsyncClient {

    /** One request: its operation, and units as reported by DynamoDB Local and as AWS would charge. */
    record Charge(String operation, double reportedWcu, double reportedIndexWcu, double reportedRcu,
                  double tableWcu, double indexWcu, double rcu) {
    }

    private final DynamoDbAsyncClient delegate;
    private final List<Charge> charges = new ArrayList<>();

    MeteredDynamoDb(DynamoDbAsyncClient delegate) {
        this.delegate = delegate;
    }

    /** The requests sent since the last call, oldest first. */
    synchronized List<Charge> takeCharges() {
        List<Charge> taken = List.copyOf(charges);
        charges.clear();
        return taken;
    }

    @Override
    public CompletableFuture<PutItemResponse> putItem(PutItemRequest request) {
        int bytes = ItemSizes.of(request.item());
        // Puts here never replace an item (attribute_not_exists), so only the new item counts.
        double index = inGroupIndex(request.item()) ? PublishedCapacity.indexWrite(bytes) : 0;
        return delegate.putItem(request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build())
                .thenApply(response -> {
                    record("PutItem", List.of(response.consumedCapacity()), true,
                            PublishedCapacity.write(bytes), index, 0);
                    return response;
                });
    }

    @Override
    public CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
        boolean strongly = Boolean.TRUE.equals(request.consistentRead());
        return delegate.getItem(request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build())
                .thenApply(response -> {
                    int bytes = response.hasItem() ? ItemSizes.of(response.item()) : 0;
                    record("GetItem", List.of(response.consumedCapacity()), false, 0, 0,
                            PublishedCapacity.read(bytes, strongly));
                    return response;
                });
    }

    @Override
    public CompletableFuture<QueryResponse> query(QueryRequest request) {
        boolean strongly = Boolean.TRUE.equals(request.consistentRead());
        return delegate.query(request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build())
                .thenApply(response -> {
                    // With projection ALL an index entry is the whole item.
                    int bytes = response.items().stream().mapToInt(ItemSizes::of).sum();
                    record(request.indexName() == null ? "Query" : "Query (GSI)", List.of(response.consumedCapacity()),
                            false, 0, 0, PublishedCapacity.read(bytes, strongly));
                    return response;
                });
    }

    @Override
    public CompletableFuture<TransactWriteItemsResponse> transactWriteItems(TransactWriteItemsRequest request) {
        double table = 0;
        double index = 0;
        for (TransactWriteItem item : request.transactItems()) {
            Map<String, AttributeValue> written;
            if (item.put() != null) {
                written = item.put().item();
            } else if (item.delete() != null) {
                written = deletedItem(item.delete());
            } else {
                throw new UnsupportedOperationException("only Put and Delete are priced: " + item);
            }
            int bytes = ItemSizes.of(written);
            table += PublishedCapacity.transactionalWrite(bytes);
            index += inGroupIndex(written) ? PublishedCapacity.indexWrite(bytes) : 0;
        }
        double tableWcu = table;
        double indexWcu = index;
        return delegate.transactWriteItems(request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build())
                .whenComplete((response, failure) -> {
                    if (failure == null) {
                        record("TransactWriteItems", response.hasConsumedCapacity() ? response.consumedCapacity() : List.of(),
                                true, tableWcu, indexWcu, 0);
                    } else if (unwrap(failure) instanceof TransactionCanceledException) {
                        // A move that lost a race. Charged as if applied: an upper bound for what AWS bills it.
                        record("TransactWriteItems (cancelled)", List.of(), true, tableWcu, indexWcu, 0);
                    }
                });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** A delete is charged by the size of the item it removes: read it (unmetered) to know. */
    private Map<String, AttributeValue> deletedItem(Delete delete) {
        GetItemResponse current = delegate.getItem(GetItemRequest.builder().tableName(delete.tableName())
                .key(delete.key()).consistentRead(true).build()).join();
        return current.hasItem() ? current.item() : delete.key();
    }

    /** The group index is sparse: it holds exactly the items that have a message_group_uuid. */
    private static boolean inGroupIndex(Map<String, AttributeValue> item) {
        return item.containsKey(MessagesTable.MESSAGE_GROUP_UUID);
    }

    private synchronized void record(String operation, List<ConsumedCapacity> reported, boolean write,
                                     double tableWcu, double indexWcu, double rcu) {
        double total = 0;
        double index = 0;
        for (ConsumedCapacity capacity : reported) {
            if (capacity == null) {
                continue;
            }
            total += capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
            if (capacity.hasGlobalSecondaryIndexes()) {
                index += capacity.globalSecondaryIndexes().values().stream()
                        .mapToDouble(c -> c.capacityUnits() == null ? 0 : c.capacityUnits()).sum();
            }
        }
        charges.add(write
                ? new Charge(operation, total, index, 0, tableWcu, indexWcu, rcu)
                : new Charge(operation, 0, 0, total, tableWcu, indexWcu, rcu));
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        // The delegate belongs to the caller.
    }
}
