package app.cruddur.messages.events;

import static app.cruddur.messages.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /api/events against the real stack and real tokens: who receives a posted message, in which shape. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class EventStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/api/events")
    URI events;

    @Inject
    UserRepository users;

    @Inject
    MessageEvents hub;

    private final List<EventStream> opened = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        opened.forEach(EventStream::close);
    }

    @Test
    void aMessageReachesEveryOpenStreamOfBothMembersAndNoOneElse() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        TestUser eve = TestUsers.register(users, "eve");
        EventStream bobs = open(bob);
        EventStream alicesOther = open(alice);
        EventStream eves = open(eve);

        Map<String, Object> sent = post(alice, Map.of("message", "hello bob", "handle", bob.handle())).getMap("");
        for (EventStream stream : List.of(bobs, alicesOther)) {
            Event event = stream.next(Duration.ofSeconds(5));
            assertNotNull(event, "delivered");
            assertEquals("message", event.name());
            JsonNode data = JSON.readTree(event.data());
            assertEquals(sent.get("uuid"), data.path("uuid").asText());
            assertEquals(sent.get("message_group_uuid"), data.path("message_group_uuid").asText());
            assertEquals("hello bob", data.path("message").asText());
            assertEquals(alice.handle(), data.path("handle").asText());
            assertEquals(alice.displayName(), data.path("display_name").asText());
            assertEquals(sent.get("created_at"), data.path("created_at").asText());
            assertEquals(sent.get("created_at") + "/" + sent.get("uuid"), event.id());
        }

        // A reply in the same conversation arrives too, after the first.
        post(bob, Map.of("message", "hi alice", "message_group_uuid", (String) sent.get("message_group_uuid")));
        assertEquals("hi alice", JSON.readTree(alicesOther.next(Duration.ofSeconds(5)).data()).path("message").asText());
        assertEquals("hi alice", JSON.readTree(bobs.next(Duration.ofSeconds(5)).data()).path("message").asText());

        assertNull(eves.next(Duration.ofMillis(500)), "a third user receives nothing of their conversation");
    }

    @Test
    void theSixthStreamOfAUserEndsTheOldest() throws Exception {
        TestUser carol = TestUsers.register(users, "carol");
        List<EventStream> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            streams.add(open(carol));
        }
        assertEquals(5, hub.openStreams(carol.uuid()));
        EventStream sixth = open(carol);
        assertTrue(streams.get(0).ended(Duration.ofSeconds(5)), "the oldest stream is ended");
        assertEquals(5, hub.openStreams(carol.uuid()));

        TestUser dave = TestUsers.register(users, "dave");
        post(dave, Map.of("message", "to carol", "handle", carol.handle()));
        for (EventStream stream : List.of(streams.get(1), streams.get(4), sixth)) {
            assertEquals("to carol", JSON.readTree(stream.next(Duration.ofSeconds(5)).data()).path("message").asText());
        }
    }

    @Test
    void withoutATokenTheStreamIsRefused() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(events).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, answer.statusCode());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    private EventStream open(TestUser user) throws Exception {
        EventStream stream = new EventStream(HTTP.sendAsync(HttpRequest.newBuilder(events)
                .header("Authorization", "Bearer " + user.token()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines()));
        opened.add(stream);
        stream.awaitConnected();
        return stream;
    }

    private record Event(String name, String id, String data) {
    }

    /** An open stream, its lines parsed into events on a thread of its own. */
    private static final class EventStream {
        private static final Event END = new Event("end", null, null);
        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<String> retry = new CompletableFuture<>();
        private final Thread reader;

        EventStream(CompletableFuture<HttpResponse<Stream<String>>> response) {
            this.response = response;
            this.reader = new Thread(this::read, "event-stream-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                HttpResponse<Stream<String>> answer = response.get(10, TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode());
                assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
                String name = null;
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line : (Iterable<String>) answer.body()::iterator) {
                    if (line.startsWith(": connected") || line.startsWith(":connected")) {
                        retry.complete(line);
                    } else if (line.startsWith("retry:")) {
                        retry.complete(line);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && name != null) {
                        events.add(new Event(name, id, data.toString()));
                        name = null;
                        id = null;
                        data.setLength(0);
                    }
                }
            } catch (Exception e) {
                retry.completeExceptionally(e);
            } finally {
                events.add(END);
            }
        }

        void awaitConnected() throws Exception {
            retry.get(10, TimeUnit.SECONDS);
        }

        /** The next event within the wait, or null. */
        Event next(Duration wait) throws InterruptedException {
            Event event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            return event == END ? null : event;
        }

        boolean ended(Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                Event event = events.poll(100, TimeUnit.MILLISECONDS);
                if (event == END) {
                    return true;
                }
            }
            return false;
        }

        void close() {
            response.thenAccept(answer -> answer.body().close());
            response.cancel(true);
        }
    }
}
