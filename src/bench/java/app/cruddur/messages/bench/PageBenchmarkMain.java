package app.cruddur.messages.bench;

import app.cruddur.messages.support.LocalDynamoDb;

import app.cruddur.messages.table.MessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@code bin/bench-pages}: the newest page of a conversation of 100 messages against one of 100,000.
 * One caller, one request at a time, the two conversations alternating so that JIT warm-up and
 * background noise fall on both alike; the latency of each request is measured on its own. A plain
 * loop rather than JMH: this compares the latency of two single requests, it is not a load test.
 */
public final class PageBenchmarkMain {

    static final int SMALL = 100;
    static final int LARGE = 100_000;
    /** BatchWriteItem streams in flight while filling the large conversation. */
    static final int FILL_PARALLELISM = 4;
    static final int WARMUP_ROUNDS = 1_000;
    static final int MEASURED_ROUNDS = 500;
    private static final int PAGE = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean inMemory = BenchEnvironment.dynamoDbInMemory(args, "bin/bench-pages");
        long started = System.nanoTime();
        BenchEnvironment.log("%d cores, Java %s, load average before: %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), BenchEnvironment.loadAverage());
        try (BenchEnvironment env = BenchEnvironment.start(true, inMemory)) {
            run(env);
        }
        BenchEnvironment.log("whole run %.0f s, load average after: %s", BenchEnvironment.seconds(started),
                BenchEnvironment.loadAverage());
        System.exit(0);
    }

    private static void run(BenchEnvironment env) throws Exception {
        BenchUser reader = env.signedInUser("pagereader", "Page Reader");
        ConversationFixtures fixtures = new ConversationFixtures(env.dynamo(), LocalDynamoDb.TABLE);
        Instant start = Instant.now().minus(Duration.ofDays(5));
        UUID small = fill(env, fixtures, reader, env.peer("pagepeer1", "Page Peer One"), start, SMALL, 1);
        // Opened a minute apart: the reader's two list entries must not share a sort key.
        UUID large = fill(env, fixtures, reader, env.peer("pagepeer2", "Page Peer Two"), start.plus(Duration.ofMinutes(1)),
                LARGE, FILL_PARALLELISM);

        DynamoDbAsyncClient dynamo = env.dynamo();
        QueryRequest smallQuery = MessageItem.pageRequest(LocalDynamoDb.TABLE, small, Optional.empty(), PAGE);
        QueryRequest largeQuery = MessageItem.pageRequest(LocalDynamoDb.TABLE, large, Optional.empty(), PAGE);
        describeQuery(dynamo, "100 messages", smallQuery);
        describeQuery(dynamo, "100,000 messages", largeQuery);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest smallPage = page(env, reader, small);
        HttpRequest largePage = page(env, reader, large);
        requireNewestPage(http, smallPage, SMALL);
        requireNewestPage(http, largePage, LARGE);

        Latencies[] service = alternate(
                () -> send(http, smallPage), () -> send(http, largePage));
        Latencies[] sdk = alternate(
                () -> dynamo.query(smallQuery).join().count(), () -> dynamo.query(largeQuery).join().count());

        System.out.println();
        System.out.printf("Newest page (limit %d), %d sequential requests per cell after %d warm-up rounds; ms%n",
                PAGE, MEASURED_ROUNDS, WARMUP_ROUNDS);
        System.out.printf("%-34s | %-29s | %-29s%n", "", "conversation of 100 messages", "conversation of 100,000 messages");
        System.out.printf("%-34s | %6s %6s %6s %7s | %6s %6s %6s %7s%n", "", "p50", "p99", "mean", "max", "p50", "p99", "mean", "max");
        System.out.println("-".repeat(34) + "-+-" + "-".repeat(29) + "-+-" + "-".repeat(29));
        printRow("service GET /api/messages/{group}", service);
        printRow("SDK Query (same request)", sdk);
    }

    private static UUID fill(BenchEnvironment env, ConversationFixtures fixtures, BenchUser reader, BenchUser peer,
                             Instant start, int messages, int parallelism) {
        long began = System.nanoTime();
        UUID group = fixtures.open(reader, peer, start).conversation().conversationUuid();
        fixtures.addMessages(group, reader, peer, start, messages - 1, parallelism);
        double seconds = BenchEnvironment.seconds(began);
        BenchEnvironment.log("filled a conversation with %,d messages in %.1f s (%,.0f items/s, BatchWriteItem streams in parallel: %d)",
                messages, seconds, messages / seconds, parallelism);
        return group;
    }

    /** Runs the two calls in turn, first unmeasured, then measured, and returns their latencies. */
    private static Latencies[] alternate(Callable<?> first, Callable<?> second) throws Exception {
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            first.call();
            second.call();
        }
        long[] firstNanos = new long[MEASURED_ROUNDS];
        long[] secondNanos = new long[MEASURED_ROUNDS];
        for (int i = 0; i < MEASURED_ROUNDS; i++) {
            // Swap the order every round, so that neither always runs right after the other.
            if (i % 2 == 0) {
                firstNanos[i] = timed(first);
                secondNanos[i] = timed(second);
            } else {
                secondNanos[i] = timed(second);
                firstNanos[i] = timed(first);
            }
        }
        return new Latencies[] {new Latencies(firstNanos), new Latencies(secondNanos)};
    }

    private static long timed(Callable<?> call) throws Exception {
        long start = System.nanoTime();
        call.call();
        return System.nanoTime() - start;
    }

    private static HttpRequest page(BenchEnvironment env, BenchUser reader, UUID group) {
        return HttpRequest.newBuilder(env.service().baseUri().resolve("/api/messages/" + group))
                .header("Authorization", "Bearer " + reader.accessToken()).GET().build();
    }

    private static int send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode());
        }
        return response.body().length;
    }

    /** The page must be the newest 20, ending with the conversation's last message, and link to an older page. */
    private static void requireNewestPage(HttpClient http, HttpRequest request, int messages) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode page = JSON.readTree(response.body());
        String newest = page.path(page.size() - 1).path("message").asText();
        if (response.statusCode() != 200 || page.size() != PAGE || !newest.startsWith("#" + (messages - 1) + " ")
                || response.headers().firstValue("Link").isEmpty()) {
            throw new IllegalStateException("unexpected newest page of " + messages + " messages: " + response.statusCode()
                    + " " + page.size() + " items, newest '" + newest + "'");
        }
    }

    private static void describeQuery(DynamoDbAsyncClient dynamo, String what, QueryRequest query) {
        QueryResponse response = dynamo.query(query.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).join();
        BenchEnvironment.log("newest-page Query on the conversation of %s: %d items read, %d scanned, %s RCU",
                what, response.count(), response.scannedCount(),
                response.consumedCapacity() == null ? "no" : response.consumedCapacity().capacityUnits());
    }

    private static void printRow(String label, Latencies[] cells) {
        System.out.printf("%-34s | %6.2f %6.2f %6.2f %7.2f | %6.2f %6.2f %6.2f %7.2f%n", label,
                cells[0].percentileMillis(50), cells[0].percentileMillis(99), cells[0].meanMillis(), cells[0].maxMillis(),
                cells[1].percentileMillis(50), cells[1].percentileMillis(99), cells[1].meanMillis(), cells[1].maxMillis());
    }
}
