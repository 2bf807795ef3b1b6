package app.cruddur.messages.events;

import static app.cruddur.messages.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.events.wire.EventId;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Metrics;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.TableClient.Outcome;
import app.cruddur.messages.user.UserRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /api/events against the real stack, real tokens and real Redis: who receives what, in which shape, resumed how. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class EventStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TestHTTPResource("/api/events")
    URI events;

    @TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    @Inject
    UserRepository users;

    @Inject
    MessageEvents hub;

    @Inject
    TableClient table;

    @Inject
    @RedisClientName("events")
    ReactiveRedisDataSource redis;

    private final List<EventStreamClient> opened = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        opened.forEach(EventStreamClient::close);
    }

    @Test
    void aMessageReachesEveryOpenStreamOfBothMembersAndNoOneElse() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        TestUser eve = TestUsers.register(users, "eve");
        EventStreamClient bobs = connect(bob);
        EventStreamClient alicesOther = connect(alice);
        EventStreamClient eves = connect(eve);
        assertEquals("3000", bobs.retry(), "the reconnection hint");

        Map<String, Object> sent = post(alice, Map.of("message", "hello bob", "handle", bob.handle())).getMap("");
        String group = (String) sent.get("message_group_uuid");
        for (EventStreamClient stream : List.of(bobs, alicesOther)) {
            Event event = stream.next(WAIT);
            assertNotNull(event, "delivered");
            assertEquals("message", event.name(), "the message comes before the list change it causes");
            JsonNode data = event.json();
            assertEquals(sent.get("uuid"), data.path("uuid").asText());
            assertEquals(group, data.path("message_group_uuid").asText());
            assertEquals("hello bob", data.path("message").asText());
            assertEquals(alice.handle(), data.path("handle").asText());
            assertEquals(alice.displayName(), data.path("display_name").asText());
            assertEquals(sent.get("created_at"), data.path("created_at").asText());
            assertEquals(sent.get("created_at") + "/m/" + group, event.id());
        }
        // Each member's list row: the other member, the last message.
        JsonNode bobsRow = JSON.readTree(bobs.next("message_group", WAIT).data());
        assertEquals(List.of(group, alice.handle(), alice.displayName(), "hello bob"), List.of(bobsRow.path("uuid").asText(),
                bobsRow.path("handle").asText(), bobsRow.path("display_name").asText(), bobsRow.path("message").asText()));
        Event alicesRow = alicesOther.next("message_group", WAIT);
        assertEquals(bob.handle(), JSON.readTree(alicesRow.data()).path("handle").asText());
        assertTrue(alicesRow.id().endsWith("/g/" + group), alicesRow.id());

        // A reply in the same conversation arrives too, after the first.
        post(bob, Map.of("message", "hi alice", "message_group_uuid", group));
        assertEquals("hi alice", JSON.readTree(alicesOther.next("message", WAIT).data()).path("message").asText());
        assertEquals("hi alice", JSON.readTree(bobs.next("message", WAIT).data()).path("message").asText());

        assertNull(eves.next(Duration.ofMillis(500)), "a third user receives nothing of their conversation");
    }

    @Test
    void theOpenStreamsAreAMetricThatScalingCanRead() throws Exception {
        TestUser carol = TestUsers.register(users, "carol");
        connect(carol);
        connect(carol);
        // What the collector beside the service in AWS scrapes (docker/otel-collector.yaml). Streams of
        // earlier tests may still be closing: the gauge is read until it agrees with the hub's count.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        double scraped;
        int open;
        do {
            assertTrue(Metrics.listed(management.getPort(), "cruddur_events_streams_open"), "no cruddur_events_streams_open in /q/metrics");
            scraped = Metrics.sum(management.getPort(), "cruddur_events_streams_open");
            open = hub.openStreams();
        } while ((scraped != open || open < 2) && System.nanoTime() < deadline);
        assertEquals(open, scraped, 0.0, "the gauge is this instance's open streams");
        assertTrue(open >= 2, "carol's two streams are open: " + open);
    }

    @Test
    void aResumedStreamDeliversExactlyWhatItMissedThenLiveEvents() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        EventStreamClient first = connect(bob);
        String group = (String) post(alice, Map.of("message", "one", "handle", bob.handle())).getMap("").get("message_group_uuid");
        List<Event> seen = first.drain(Duration.ofSeconds(2));
        assertEquals(List.of("message", "message_group"), seen.stream().map(Event::name).toList());
        first.close();

        post(alice, Map.of("message", "two", "message_group_uuid", group));
        post(bob, Map.of("message", "three", "message_group_uuid", group));
        TestUser carol = TestUsers.register(users, "carol");
        post(carol, Map.of("message", "four", "handle", bob.handle()));

        EventStreamClient resumed = connect(bob, Map.of("Last-Event-ID", seen.get(seen.size() - 1).id()));
        List<Event> missed = resumed.drain(Duration.ofSeconds(2));
        List<String> messages = missed.stream().filter(event -> event.name().equals("message"))
                .map(event -> event.json().path("message").asText()).toList();
        assertEquals(List.of("two", "three", "four"), messages, "every missed message once, oldest first");
        // The rows moved by two, three and four (each move a row event), in time order.
        List<Event> rows = missed.stream().filter(event -> event.name().equals("message_group")).toList();
        assertEquals(List.of("three", "four"), rows.stream().map(event -> event.json().path("message").asText())
                .toList().subList(rows.size() - 2, rows.size()), "the rows end at each conversation's last message");
        assertEquals(sorted(missed), missed.stream().map(Event::id).toList(), "in id order");

        post(alice, Map.of("message", "five", "message_group_uuid", group));
        assertEquals("five", JSON.readTree(resumed.next("message", WAIT).data()).path("message").asText(), "then live");

        // The same resume point as a query parameter (EventSource opened anew) gives the same replay.
        EventStreamClient again = connect(bob, Map.of(),
                "last_event_id=" + URLEncoder.encode(seen.get(seen.size() - 1).id(), StandardCharsets.UTF_8));
        List<String> replayed = again.drain(Duration.ofSeconds(2)).stream().filter(event -> event.name().equals("message"))
                .map(event -> event.json().path("message").asText()).toList();
        assertEquals(List.of("two", "three", "four", "five"), replayed);
    }

    @Test
    void aMessageWrittenByAToolReachesTheStreamsThroughTheProjection() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        String group = (String) post(alice, Map.of("message", "by the api", "handle", bob.handle())).getMap("").get("message_group_uuid");
        EventStreamClient bobs = connect(bob);

        MessageItem written = new MessageItem(UUID.fromString(group), Instant.now(), UUID.randomUUID(), "by a tool",
                alice.uuid(), alice.displayName(), alice.handle());
        assertEquals(Outcome.WRITTEN, written.put(table).await().atMost(WAIT));

        Event message = bobs.next("message", Duration.ofSeconds(15));
        assertNotNull(message, "the stream projection publishes what it sees");
        assertEquals(written.messageUuid().toString(), JSON.readTree(message.data()).path("uuid").asText());
        assertEquals("by a tool", JSON.readTree(bobs.next("message_group", Duration.ofSeconds(15)).data()).path("message").asText());
    }

    @Test
    void theSixthStreamOfAUserEndsTheOldest() throws Exception {
        TestUser carol = TestUsers.register(users, "carol");
        List<EventStreamClient> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            streams.add(connect(carol));
        }
        assertEquals(5, hub.openStreams(carol.uuid()));
        EventStreamClient sixth = connect(carol);
        assertTrue(streams.get(0).ended(WAIT), "the oldest stream is ended");
        assertTrue(streams.get(0).comments().contains(MessageEvents.Ending.REPLACED.reason()), streams.get(0).comments().toString());
        assertEquals(5, hub.openStreams(carol.uuid()));

        TestUser dave = TestUsers.register(users, "dave");
        post(dave, Map.of("message", "to carol", "handle", carol.handle()));
        for (EventStreamClient stream : List.of(streams.get(1), streams.get(4), sixth)) {
            assertEquals("to carol", JSON.readTree(stream.next("message", WAIT).data()).path("message").asText());
        }
    }

    @Test
    void withoutATokenTheStreamIsRefused() throws Exception {
        EventStreamClient stream = open(Map.of(), "");
        assertEquals(401, stream.status());
    }

    @Test
    void aLastEventIdThatWasNeverSentIsRefused() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        EventStreamClient stream = open(Map.of("Authorization", "Bearer " + alice.token(), "Last-Event-ID", "42"), "");
        assertEquals(422, stream.status());
        Response answer = alice.api().header("Last-Event-ID", "2026-12-01T10:00:00.000000+00:00/x/nope").get(events);
        assertEquals(422, answer.statusCode());
        assertEquals(List.of("invalid_event_id"), answer.jsonPath().getList("errors"));
    }

    @Test
    void aTicketOpensItsUsersStreamOnceAndOnlyWithinItsValidity() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        Response issued = alice.api().post(events + "/ticket");
        assertEquals(200, issued.statusCode());
        assertEquals(30, issued.jsonPath().getInt("expires_in"));
        String ticket = issued.jsonPath().getString("ticket");
        long ttl = redis.key().pttl(EventTickets.key(ticket)).await().atMost(WAIT);
        assertTrue(ttl > 0 && ttl <= 30_000, "Redis forgets the ticket after 30 s: " + ttl);

        EventStreamClient stream = connect(null, Map.of(), "ticket=" + ticket);
        post(bob, Map.of("message", "to alice", "handle", alice.handle()));
        assertEquals("to alice", JSON.readTree(stream.next("message", WAIT).data()).path("message").asText());

        EventStreamClient reused = open(Map.of(), "ticket=" + ticket);
        assertEquals(401, reused.status(), "a ticket is used once");

        String expiring = alice.api().post(events + "/ticket").jsonPath().getString("ticket");
        redis.key().pexpire(EventTickets.key(expiring), 1).await().atMost(WAIT);
        Await.until(WAIT, () -> !redis.key().exists(EventTickets.key(expiring)).await().atMost(WAIT),
                () -> "Redis did not expire the ticket");
        assertEquals(401, open(Map.of(), "ticket=" + expiring).status(), "an expired ticket is refused");

        String alices = alice.api().post(events + "/ticket").jsonPath().getString("ticket");
        Response withBobsToken = bob.api().queryParam("ticket", alices).get(events);
        assertEquals(401, withBobsToken.statusCode(), "another user's ticket is refused");
        assertEquals("invalid_ticket", withBobsToken.jsonPath().getString("code"));
        assertEquals(401, open(Map.of(), "ticket=not-a-ticket").status());
        assertEquals(401, given().post(events + "/ticket").statusCode(), "a ticket needs a token");
    }

    @Test
    void openApiDocumentsTheStreamTheTicketAndTheEventShapes() {
        String document = given().port(management.getPort()).accept("application/yaml").get("/q/openapi").asString();
        for (String expected : List.of("/api/events:", "/api/events/ticket:", "text/event-stream", "last_event_id", "Last-Event-ID",
                "ticket", "Message:", "MessageGroup:", "EventTicket:", "expires_in", "invalid_ticket", "events_unavailable")) {
            assertTrue(document.contains(expected), "OpenAPI names " + expected);
        }
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }

    private static List<String> sorted(List<Event> events) {
        return events.stream().map(event -> EventId.parse(event.id()).orElseThrow()).sorted().map(EventId::format).toList();
    }

    private EventStreamClient connect(TestUser user) throws Exception {
        return connect(user, Map.of());
    }

    private EventStreamClient connect(TestUser user, Map<String, String> headers) throws Exception {
        return connect(user, headers, "");
    }

    private EventStreamClient connect(TestUser user, Map<String, String> headers, String query) throws Exception {
        Map<String, String> all = new HashMap<>(headers);
        if (user != null) {
            all.put("Authorization", "Bearer " + user.token());
        }
        EventStreamClient stream = open(all, query);
        stream.awaitConnected();
        return stream;
    }

    private EventStreamClient open(Map<String, String> headers, String query) {
        EventStreamClient stream = EventStreamClient.open(query.isEmpty() ? events : URI.create(events + "?" + query), headers);
        opened.add(stream);
        return stream;
    }
}
