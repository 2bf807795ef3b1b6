package app.cruddur.messages.tools;

import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.DynamoCalls;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Bulk writes for seeding and tools: BatchWriteItem in chunks of 25, resending whatever DynamoDB
 * returns as UnprocessedItems (with growing pauses) until all is written, or failing loudly.
 * Not for requests: batches are neither conditional nor atomic.
 */
public final class BatchWriter {

    public static final int MAX_BATCH = 25;

    private final Function<BatchWriteItemRequest, CompletableFuture<BatchWriteItemResponse>> send;
    private final int maxAttempts;
    private final Duration firstPause;

    public BatchWriter(Function<BatchWriteItemRequest, CompletableFuture<BatchWriteItemResponse>> send,
                       int maxAttempts, Duration firstPause) {
        this.send = send;
        this.maxAttempts = maxAttempts;
        this.firstPause = firstPause;
    }

    public static BatchWriter of(DynamoDbAsyncClient dynamo) {
        return new BatchWriter(request -> dynamo.batchWriteItem(Caller.TOOLS.tag(request)), 10, Duration.ofMillis(50));
    }

    /** Puts every item; completes with the number written. */
    public Uni<Integer> putAll(String table, List<Map<String, AttributeValue>> items) {
        return write(table, items.stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                .toList());
    }

    /** Deletes every key; completes with the number deleted. */
    public Uni<Integer> deleteAll(String table, List<Map<String, AttributeValue>> keys) {
        return write(table, keys.stream()
                .map(key -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build())
                .toList());
    }

    private Uni<Integer> write(String table, List<WriteRequest> requests) {
        List<List<WriteRequest>> chunks = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += MAX_BATCH) {
            chunks.add(requests.subList(from, Math.min(from + MAX_BATCH, requests.size())));
        }
        return Multi.createFrom().iterable(chunks)
                .onItem().transformToUniAndConcatenate(chunk -> writeChunk(table, chunk, 1))
                .collect().asList()
                .replaceWith(requests.size());
    }

    private Uni<Void> writeChunk(String table, List<WriteRequest> chunk, int attempt) {
        BatchWriteItemRequest request = BatchWriteItemRequest.builder().requestItems(Map.of(table, chunk)).build();
        return DynamoCalls.call(() -> send.apply(request)).chain(response -> {
            List<WriteRequest> unprocessed = response.hasUnprocessedItems()
                    ? response.unprocessedItems().getOrDefault(table, List.of())
                    : List.of();
            if (unprocessed.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            if (attempt >= maxAttempts) {
                return Uni.createFrom().failure(new IllegalStateException(unprocessed.size()
                        + " items still unprocessed after " + attempt + " BatchWriteItem attempts"));
            }
            Duration pause = firstPause.multipliedBy(1L << Math.min(attempt - 1, 6));
            return Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                    .chain(() -> writeChunk(table, unprocessed, attempt + 1));
        });
    }
}
