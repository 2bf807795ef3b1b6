package app.cruddur.messages.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.support.LocalDynamoDb;
import app.cruddur.messages.support.TestKeyrings;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.FaultProxy;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The packaged service in the prod profile, with a {@link FaultProxy} between it and DynamoDB and
 * another between it and PostgreSQL. Two members post into their conversation and read it back
 * while a third user opens conversations with users the service has not seen yet (which needs
 * PostgreSQL), and one dependency is cut, black-holed or loses answers. Afterwards:
 * <ul>
 *   <li>every answer was a 200 or a clean 503 with {@code Retry-After}, and came within the deadline;</li>
 *   <li>readiness went DOWN during a black hole and came back UP by itself;</li>
 *   <li>every acknowledged message is stored exactly once, and no message twice; a sender's messages are in order;</li>
 *   <li>both members' conversation lists converge on the newest message;</li>
 *   <li>the service's log has no pool errors ({@code Result is already complete}).</li>
 * </ul>
 * It prints the figures docs/operations.md quotes: time to a 503 under a black hole, time to
 * recover, duplicates under answer loss.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    /** The deadline a request that meets a silent dependency is answered within (the service's budget, plus slack for a busy machine). */
    private static final Duration ANSWER_WITHIN = Duration.ofMillis(3_500);
    /** How long the service may take to serve again once the dependency does. */
    private static final Duration RECOVER_WITHIN = Duration.ofSeconds(30);
    private static final Duration FAULT_FOR = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStackProcess stack;
    private static FaultProxy dynamo;
    private static FaultProxy postgres;
    private static ServiceProcess service;
    private static Path log;
    private static DynamoDbAsyncClient direct;
    private static Keyring keyring;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> FIGURES = new CopyOnWriteArrayList<>();
    private static volatile long postgresCutAt;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStackTestResource.started();
        URI dynamoEndpoint = URI.create(stack.dynamodbEndpoint());
        dynamo = FaultProxy.start(dynamoEndpoint.getHost(), dynamoEndpoint.getPort());
        Map<String, Object> coordinates = stack.coordinates();
        postgres = FaultProxy.start((String) coordinates.get("postgresHost"), ((Number) coordinates.get("postgresPort")).intValue());
        log = Files.createTempFile("service-faults", ".log");
        service = ServiceProcess.start(Path.of("").toAbsolutePath(), stack, log, Map.of(
                "QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", "http://localhost:" + dynamo.port(),
                "POSTGRES_URL", "postgresql://localhost:" + postgres.port() + "/" + coordinates.get("postgresDatabase"),
                // The stream consumer reads through the proxy too, and repairs lists a failed POST left behind.
                "CRUDDUR_MESSAGES_STREAM_CONSUMER_ENABLED", "true"));
        direct = LocalDynamoDb.client(stack.dynamodbEndpoint());
        keyring = TestKeyrings.of(stack, direct);
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        FIGURES.forEach(figure -> System.out.println("[faults] " + figure));
        // vertx-sql-client's own pool timer (30 s) failed requests a second time after a cut; it must
        // have had time to fire before the log is read.
        long sinceCut = (System.nanoTime() - postgresCutAt) / 1_000_000;
        if (postgresCutAt != 0 && sinceCut < 32_000) {
            Thread.sleep(32_000 - sinceCut);
        }
        if (service != null) {
            service.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (log != null) {
            String text = Files.readString(log);
            assertFalse(text.contains("Result is already complete"), "the PostgreSQL pool failed a request twice; see " + log);
        }
    }

    @Test
    @Order(0)
    void postgresCut() throws Exception {
        postgresCutAt = System.nanoTime();
        scenario("postgresql cut", postgres::cut, postgres);
    }

    @Test
    @Order(1)
    void dynamoDbBlackHole() throws Exception {
        Outcome outcome = scenario("dynamodb black hole", dynamo::blackHole, dynamo);
        outcome.assertReadinessWentDown();
    }

    @Test
    @Order(2)
    void dynamoDbCut() throws Exception {
        scenario("dynamodb cut", dynamo::cut, dynamo);
    }

    @Test
    @Order(3)
    void dynamoDbLosesAnswers() throws Exception {
        int before = dynamo.lostAnswers();
        Outcome outcome = scenario("dynamodb answer loss", () -> dynamo.loseAnswers(0.3), dynamo);
        int lost = dynamo.lostAnswers() - before;
        FIGURES.add("dynamodb answer loss: " + lost + " answers dropped, " + outcome.acknowledged + " messages acknowledged, "
                + outcome.duplicates + " stored twice");
        assertTrue(lost > 0, "the proxy dropped no answer");
    }

    @Test
    @Order(4)
    void postgresBlackHole() throws Exception {
        Outcome outcome = scenario("postgresql black hole", postgres::blackHole, postgres);
        outcome.assertReadinessWentDown();
    }

    @Test
    @Order(6)
    void postgresLosesAnswers() throws Exception {
        int before = postgres.lostAnswers();
        scenario("postgresql answer loss", () -> postgres.loseAnswers(0.3), postgres);
        assertTrue(postgres.lostAnswers() > before, "the proxy dropped no answer");
    }

    // --- one scenario ---------------------------------------------------------------------------

    private record Answer(String what, int status, String code, String retryAfter, long millis, long startedAt,
                          JsonNode body) {
    }

    private static final class Outcome {
        final List<Answer> answers;
        final List<Long> readinessDownAt;
        final long faultAt;
        int acknowledged;
        int duplicates;

        Outcome(List<Answer> answers, List<Long> readinessDownAt, long faultAt) {
            this.answers = answers;
            this.readinessDownAt = readinessDownAt;
            this.faultAt = faultAt;
        }

        void assertReadinessWentDown() {
            assertFalse(readinessDownAt.isEmpty(), "readiness stayed UP during the fault");
        }
    }

    private Outcome scenario(String name, Runnable fault, FaultProxy proxy) throws Exception {
        Member alice = UsersTable.signUp(stack, "fa");
        Member bob = UsersTable.signUp(stack, "fb");
        Member opener = UsersTable.signUp(stack, "fo");
        String group = send(alice, Map.of("message", name + ": open", "handle", bob.handle())).body().path("message_group_uuid").asText();

        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        List<Long> readinessDown = Collections.synchronizedList(new ArrayList<>());
        Map<Member, List<String>> acknowledgedBy = new HashMap<>(Map.of(alice, new CopyOnWriteArrayList<>(), bob, new CopyOnWriteArrayList<>()));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger fresh = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (Member sender : List.of(alice, bob)) {
            clients.add(loop(running, n -> {
                String text = name + ": " + sender.handle() + " " + n;
                Answer answer = send(sender, Map.of("message", text, "message_group_uuid", group));
                answers.add(answer);
                if (answer.status() == 200) {
                    acknowledgedBy.get(sender).add(text);
                }
            }));
        }
        clients.add(loop(running, n -> {
            answers.add(get(n % 2 == 0 ? "/api/message_groups" : "/api/messages/" + group, n % 3 == 0 ? alice : bob));
        }));
        clients.add(loop(running, n -> {
            // A user the service has not seen: found in PostgreSQL, and a new conversation in DynamoDB.
            String handle = "fresh" + Long.toString(System.nanoTime(), 36) + fresh.incrementAndGet();
            UsersTable.insert(stack, UUID.randomUUID(), handle, "Fresh " + handle, null);
            answers.add(send(opener, Map.of("message", "hello " + handle, "handle", handle)));
        }));
        clients.add(loop(running, n -> {
            long at = System.nanoTime();
            int status = readiness();
            if (status != 200) {
                readinessDown.add(at);
            }
            Thread.sleep(200);
        }));

        Thread.sleep(500);
        long faultAt = System.nanoTime();
        fault.run();
        Thread.sleep(FAULT_FOR.toMillis());
        long healedAt = System.nanoTime();
        proxy.pass();
        long recoveredAt = awaitRecovery(alice, group);
        running.set(false);
        for (Thread client : clients) {
            client.join(15_000);
        }
        Outcome outcome = new Outcome(List.copyOf(answers), List.copyOf(readinessDown), faultAt);

        // Every answer: a 200 or a clean 503, in time.
        for (Answer answer : outcome.answers) {
            if (answer.status() != 200) {
                assertEquals(503, answer.status(), name + ": " + answer);
                assertTrue(List.of("dependency_unavailable", "lists_not_updated").contains(answer.code()), name + ": " + answer);
                assertEquals("1", answer.retryAfter(), name + ": " + answer);
            }
            assertTrue(answer.millis() <= ANSWER_WITHIN.toMillis(), name + ": answered after " + answer.millis() + " ms: " + answer);
        }
        long served503 = outcome.answers.stream().filter(a -> a.status() == 503).count();
        long slowest = outcome.answers.stream().filter(a -> a.startedAt() >= faultAt && a.startedAt() < healedAt)
                .mapToLong(Answer::millis).max().orElse(0);
        FIGURES.add(String.format("%s: %d answers, %d of them 503, slowest answer during the fault %d ms, "
                        + "serving again %d ms after the dependency was", name, outcome.answers.size(), served503, slowest,
                (recoveredAt - healedAt) / 1_000_000));

        // Every acknowledged message once, none twice, each sender's in the order acknowledged.
        List<MessageItem> stored = storedMessages(UUID.fromString(group));
        Map<String, Long> copies = stored.stream().collect(Collectors.groupingBy(MessageItem::message, Collectors.counting()));
        outcome.duplicates = (int) copies.values().stream().filter(count -> count > 1).count();
        assertEquals(0, outcome.duplicates, name + ": messages stored twice: "
                + copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
        for (Map.Entry<Member, List<String>> sender : acknowledgedBy.entrySet()) {
            List<String> acked = sender.getValue();
            outcome.acknowledged += acked.size();
            for (String text : acked) {
                assertEquals(1L, copies.getOrDefault(text, 0L), name + ": acknowledged but not stored once: " + text);
            }
            List<String> storedOrder = stored.stream().map(MessageItem::message).filter(acked::contains).toList();
            assertEquals(acked, storedOrder, name + ": " + sender.getKey().handle() + "'s messages out of order");
        }
        assertTrue(outcome.acknowledged > 0, name + ": no message was acknowledged");

        // Both lists converge on the newest stored message.
        String newest = stored.get(stored.size() - 1).message();
        for (Member member : List.of(alice, bob)) {
            awaitListShows(member, group, newest, name);
        }
        return outcome;
    }

    /** Until readiness is UP and a post and a read of the conversation succeed; returns when. */
    private static long awaitRecovery(Member member, String group) throws Exception {
        long deadline = System.nanoTime() + RECOVER_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (readiness() == 200
                    && send(member, Map.of("message", "recovered? " + System.nanoTime(), "message_group_uuid", group)).status() == 200
                    && get("/api/messages/" + group, member).status() == 200) {
                return System.nanoTime();
            }
            Thread.sleep(100);
        }
        fail("the service did not recover within " + RECOVER_WITHIN.toSeconds() + " s; see " + log);
        return 0;
    }

    private static void awaitListShows(Member member, String group, String message, String name) throws Exception {
        long deadline = System.nanoTime() + RECOVER_WITHIN.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Answer list = get("/api/message_groups", member);
            if (list.status() == 200) {
                for (JsonNode row : list.body()) {
                    if (row.path("uuid").asText().equals(group)) {
                        last = row.path("message").asText();
                    }
                }
                if (last.equals(message)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        fail(name + ": " + member.handle() + "'s list shows \"" + last + "\", not the newest message \"" + message + "\"");
    }

    private static List<MessageItem> storedMessages(UUID group) {
        List<MessageItem> messages = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(LocalDynamoDb.TABLE)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", MessagesTable.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageItem.partition(group))))
                    .consistentRead(true);
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            var page = direct.query(query.build()).join();
            // The texts as the service opens them (the table holds them sealed).
            page.items().stream().map(MessageItem::from).map(item -> TestKeyrings.opened(keyring, item)).forEach(messages::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return messages;
    }

    // --- clients --------------------------------------------------------------------------------


    private interface Step {
        void run(int n) throws Exception;
    }

    private static Thread loop(AtomicBoolean running, Step step) {
        Thread thread = new Thread(() -> {
            int n = 0;
            while (running.get()) {
                try {
                    step.run(n++);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "fault-client");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }


    private static Answer send(Member sender, Map<String, String> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(service.baseUri().resolve("/api/messages"))
                .header("Authorization", "Bearer " + sender.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .timeout(Duration.ofSeconds(30))
                .build();
        return call("POST /api/messages", request);
    }

    private static Answer get(String path, Member reader) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(service.baseUri().resolve(path))
                .header("Authorization", "Bearer " + reader.token())
                .timeout(Duration.ofSeconds(30))
                .build();
        return call("GET " + path, request);
    }

    private static Answer call(String what, HttpRequest request) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - started) / 1_000_000;
        JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Answer(what, response.statusCode(), body.path("code").asText(null),
                response.headers().firstValue("Retry-After").orElse(null), millis, started, body);
    }

    private static int readiness() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(service.managementUri().resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
            return 0;
        }
    }
}
