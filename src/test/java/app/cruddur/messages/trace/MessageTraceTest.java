package app.cruddur.messages.trace;

import static app.cruddur.messages.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.CallerTrace;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RecordedSpans;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.user.UserRepository;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One message, one trace, against the real stack: the POST, its DynamoDB, PostgreSQL and Redis
 * calls, the stream consumer's move (later, on another thread, from the stream record) and the
 * delivery to each open event stream, all in the trace the caller started.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class MessageTraceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("cruddur.conversation_uuid");
    /** The stream's consumer may first catch up with what earlier tests wrote. */
    private static final Duration STREAM = Duration.ofSeconds(60);

    @TestHTTPResource("/api/events")
    URI events;

    @Inject
    UserRepository users;

    @Inject
    RecordedSpans spans;

    @Inject
    TableClient table;

    private final List<EventStreamClient> opened = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        opened.forEach(EventStreamClient::close);
    }

    @Test
    void aReplyIsOneTraceFromThePostThroughTheStreamToEachOpenEventStream() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        String group = post(alice, Map.of("message", "first", "handle", bob.handle())).getString("message_group_uuid");
        EventStreamClient bobs = connect(bob);
        EventStreamClient alicesOther = connect(alice);

        CallerTrace caller = CallerTrace.random(true);
        String traceId = caller.traceId();
        String callerSpan = caller.spanId();
        Map<String, Object> sent = alice.api().header("traceparent", caller.header())
                .contentType(ContentType.JSON).body(Map.of("message", "traced reply", "message_group_uuid", group))
                .post("/api/messages").then().statusCode(200).extract().jsonPath().getMap("");
        assertNotNull(bobs.next("message", WAIT), "bob's stream got the reply");
        assertNotNull(alicesOther.next("message", WAIT), "alice's other stream got it");

        List<SpanData> trace = spans.trace(traceId, named("project message").and(count("deliver message", 2))
                .and(named("POST /api/messages")), STREAM);
        String described = RecordedSpans.describe(trace);

        SpanData server = only(trace, "POST /api/messages");
        assertEquals(SpanKind.SERVER, server.getKind());
        assertEquals(callerSpan, server.getParentSpanId(), "the POST continues the caller's trace" + described);

        // The request's own calls are its children: the message's write to DynamoDB, the event's publication to Redis.
        assertTrue(trace.stream().anyMatch(span -> span.getName().startsWith("DynamoDb.") && span.getKind() == SpanKind.CLIENT
                && span.getParentSpanId().equals(server.getSpanId())), "a DynamoDB call of the POST" + described);
        assertTrue(trace.stream().anyMatch(span -> span.getAttributes().asMap().toString().contains("db.system=redis")
                && span.getParentSpanId().equals(server.getSpanId())), "a Redis command of the POST" + described);

        // The stream's consumer read the trace from the message's stream record: its move is in it, later.
        SpanData projection = only(trace, "project message");
        assertEquals(SpanKind.CONSUMER, projection.getKind());
        assertEquals(server.getSpanId(), projection.getParentSpanId(), described);
        assertEquals(group, projection.getAttributes().get(CONVERSATION));
        assertTrue(projection.getStartEpochNanos() >= server.getStartEpochNanos());
        assertTrue(trace.stream().anyMatch(span -> span.getName().startsWith("DynamoDb.")
                && span.getParentSpanId().equals(projection.getSpanId())), "the move's DynamoDB calls are its children" + described);

        // Each open stream's delivery of the message event.
        List<SpanData> deliveries = trace.stream().filter(span -> span.getName().equals("deliver message")).toList();
        assertEquals(2, deliveries.size(), described);
        for (SpanData delivery : deliveries) {
            assertEquals(SpanKind.CONSUMER, delivery.getKind());
            assertTrue(trace.stream().anyMatch(span -> span.getSpanId().equals(delivery.getParentSpanId())),
                    "each delivery hangs under a span of the trace" + described);
        }

        // The trace is kept on the message's item, where the stream record carries it from.
        MessageItem stored = MessageItem.find(table, UUID.fromString(group), Instant.parse((String) sent.get("created_at")))
                .await().atMost(WAIT).orElseThrow();
        assertTrue(stored.traceParent().startsWith("00-" + traceId + "-"), stored.traceParent());
    }

    @Test
    void aTraceThatIsNotSampledLeavesNoSpanAndNothingOnTheItem() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        String group = post(alice, Map.of("message", "first", "handle", bob.handle())).getString("message_group_uuid");
        EventStreamClient bobs = connect(bob);

        CallerTrace caller = CallerTrace.random(false);
        String traceId = caller.traceId();
        long posted = Instant.now().toEpochMilli() * 1_000_000;
        Map<String, Object> sent = alice.api().header("traceparent", caller.header())
                .contentType(ContentType.JSON).body(Map.of("message", "untraced reply", "message_group_uuid", group))
                .post("/api/messages").then().statusCode(200).extract().jsonPath().getMap("");
        assertNotNull(bobs.next("message", WAIT), "delivered all the same");

        MessageItem stored = MessageItem.find(table, UUID.fromString(group), Instant.parse((String) sent.get("created_at")))
                .await().atMost(WAIT).orElseThrow();
        assertEquals(null, stored.traceParent(), "a trace no one keeps is not carried");
        // The stream's consumer has seen the record (its move, without a trace to join, begins one of its own).
        Await.until(STREAM, () -> spans.all().stream().anyMatch(span -> span.getName().equals("project message")
                && group.equals(span.getAttributes().get(CONVERSATION))
                && span.getStartEpochNanos() > posted), () -> "the consumer moved nothing of " + group);
        assertFalse(spans.all().stream().anyMatch(span -> span.getTraceId().equals(traceId)), RecordedSpans.describe(spans.of(traceId)));
    }

    @Test
    void anEditIsATraceOfItsOwnThatTheMoveOfItsChangeContinues() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        Map<String, Object> sent = post(alice, Map.of("message", "befor", "handle", bob.handle())).getMap("");
        EventStreamClient bobs = connect(bob);

        CallerTrace caller = CallerTrace.random(true);
        String traceId = caller.traceId();
        alice.api().header("traceparent", caller.header()).contentType(ContentType.JSON)
                .body(Map.of("message", "before")).patch("/api/messages/" + sent.get("message_group_uuid") + "/" + sent.get("created_at"))
                .then().statusCode(200);
        assertNotNull(bobs.next("message_updated", WAIT), "bob hears of the edit");

        List<SpanData> trace = spans.trace(traceId, named("project change").and(named("deliver message_updated")), STREAM);
        SpanData server = trace.stream().filter(span -> span.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertEquals("PATCH /api/messages/{message_group_uuid}/{created_at}", server.getName(), RecordedSpans.describe(trace));
        assertEquals(server.getSpanId(), only(trace, "project change").getParentSpanId(), RecordedSpans.describe(trace));
    }

    @Test
    void aTraceThatBeginsHereHasAnIdThatXrayTakes() {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        long before = Instant.now().getEpochSecond();
        String group = post(alice, Map.of("message", "no caller trace", "handle", bob.handle())).getString("message_group_uuid");
        long after = Instant.now().getEpochSecond();
        // The POST began a trace of its own (no traceparent came with it): its id starts with the second it began
        // (a random id would name a second in it only once in 2^32 tries, never for all of this test's root spans).
        Await.until(WAIT, () -> spans.all().stream().anyMatch(span -> span.getName().equals("POST /api/messages")
                        && span.getParentSpanId().equals("0000000000000000") && named(span.getTraceId(), before, after)),
                () -> "no root POST span names a second from " + before + " to " + after + ": " + spans.all().stream()
                        .filter(span -> span.getName().equals("POST /api/messages")).map(SpanData::getTraceId).toList() + " " + group);
    }

    private static boolean named(String traceId, long from, long to) {
        long second = Long.parseLong(traceId.substring(0, 8), 16);
        return second >= from && second <= to;
    }

    private EventStreamClient connect(TestUser user) throws Exception {
        EventStreamClient stream = EventStreamClient.open(events, Map.of("Authorization", "Bearer " + user.token()));
        opened.add(stream);
        stream.awaitConnected();
        return stream;
    }

    private static Predicate<List<SpanData>> named(String name) {
        return count(name, 1);
    }

    private static Predicate<List<SpanData>> count(String name, int atLeast) {
        return spans -> spans.stream().filter(span -> span.getName().equals(name)).count() >= atLeast;
    }

    private static SpanData only(List<SpanData> trace, String name) {
        List<SpanData> found = trace.stream().filter(span -> span.getName().equals(name)).toList();
        assertEquals(1, found.size(), name + RecordedSpans.describe(trace));
        return found.get(0);
    }
}
