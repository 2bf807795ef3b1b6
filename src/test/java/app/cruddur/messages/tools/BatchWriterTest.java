package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The resend logic on its own. DynamoDB Local never returns UnprocessedItems, so a scripted
 * answer stands in for a throttled table here; the writes themselves are tested against DynamoDB Local.
 */
class BatchWriterTest {

    private static final String TABLE = "t";

    @Test
    void resendsUnprocessedItemsUntilAllAreWritten() {
        List<Integer> sizes = new ArrayList<>();
        List<String> written = new ArrayList<>();
        BatchWriter writer = new BatchWriter(request -> {
            List<WriteRequest> sent = request.requestItems().get(TABLE);
            sizes.add(sent.size());
            // Accept only the first 10 items of every call, like a table that is being throttled.
            List<WriteRequest> accepted = sent.subList(0, Math.min(10, sent.size()));
            accepted.forEach(w -> written.add(w.putRequest().item().get("pk").s()));
            List<WriteRequest> rest = sent.subList(accepted.size(), sent.size());
            return CompletableFuture.completedFuture(BatchWriteItemResponse.builder()
                    .unprocessedItems(rest.isEmpty() ? Map.of() : Map.of(TABLE, rest)).build());
        }, 10, Duration.ofMillis(1));

        int count = writer.putAll(TABLE, items(60)).await().atMost(Duration.ofSeconds(5));

        assertEquals(60, count);
        assertEquals(IntStream.range(0, 60).mapToObj(i -> "p" + i).sorted().toList(), written.stream().sorted().toList());
        // Chunks of 25: 25 → 15 → 5, 25 → 15 → 5, 10.
        assertEquals(List.of(25, 15, 5, 25, 15, 5, 10), sizes);
    }

    @Test
    void givesUpLoudlyWhenItemsStayUnprocessed() {
        BatchWriter writer = new BatchWriter(request -> CompletableFuture.completedFuture(BatchWriteItemResponse.builder()
                .unprocessedItems(request.requestItems()).build()), 3, Duration.ofMillis(1));

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> writer.putAll(TABLE, items(3)).await().atMost(Duration.ofSeconds(5)));
        assertTrue(failure.getMessage().contains("3 items still unprocessed after 3"), failure.getMessage());
    }

    @Test
    void deletesAreBatchedTheSameWay() {
        List<BatchWriteItemRequest> requests = new ArrayList<>();
        BatchWriter writer = new BatchWriter(request -> {
            requests.add(request);
            return CompletableFuture.completedFuture(BatchWriteItemResponse.builder().build());
        }, 3, Duration.ofMillis(1));

        assertEquals(26, writer.deleteAll(TABLE, items(26)).await().atMost(Duration.ofSeconds(5)));
        assertEquals(2, requests.size());
        assertTrue(requests.get(1).requestItems().get(TABLE).get(0).deleteRequest() != null);
    }

    private static List<Map<String, AttributeValue>> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> Map.of("pk", AttributeValue.fromS("p" + i), "sk", AttributeValue.fromS("s")))
                .toList();
    }
}
