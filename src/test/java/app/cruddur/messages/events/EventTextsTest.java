package app.cruddur.messages.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RedisChannels;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.support.Tokens;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events carry texts sealed between instances (Redis) and open them as they are written to a
 * stream: live and replayed after a reconnect alike.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class EventTextsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    UserRepository users;
    @TestHTTPResource("/api/events")
    URI events;

    @Test
    void redisCarriesTheCiphertextAndTheStreamsTheText() throws Exception {
        TestUser alice = TestUsers.register(users, "sealedevents");
        TestUser bob = TestUsers.register(users, "sealedevents");
        String text = "between instances " + UUID.randomUUID();
        try (RedisChannels channels = RedisChannels.subscribe(URI.create(Tokens.stack().redisUrl()), bob.uuid());
             EventStreamClient live = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + bob.token()))) {
            live.awaitConnected();
            alice.api().contentType(ContentType.JSON).body(Map.of("message", text, "handle", bob.handle()))
                    .post("/api/messages").then().statusCode(200);

            Event message = live.next("message", WAIT);
            Event entry = live.next("message_group", WAIT);
            assertEquals(text, message.json().path("message").asText());
            assertEquals(text, entry.json().path("message").asText());
            List<RedisChannels.Published> published = channels.drain();
            assertTrue(published.stream().anyMatch(wire -> UserEvent.fromWire(wire.wire()).map(UserEvent::name).orElse("").equals("message")),
                    published.toString());
            for (RedisChannels.Published wire : published) {
                assertFalse(wire.wire().contains(text), "plaintext on Redis: " + wire.wire());
            }
            assertTrue(published.stream().allMatch(wire -> !wire.wire().contains("\"message\":") || wire.wire().contains("\"message\":\"c1:")),
                    "every text on Redis is sealed: " + published);

            // A reconnect replays from the table: the same texts, opened.
            try (EventStreamClient resumed = EventStreamClient.connect(events,
                    Map.of("Authorization", "Bearer " + bob.token(), "Last-Event-ID", firstBefore(message.id())))) {
                resumed.awaitConnected();
                assertEquals(text, resumed.next("message", WAIT).json().path("message").asText());
            }
        }
    }

    /** The id that every event at {@code id}'s time comes after, to resume from. */
    private static String firstBefore(String id) {
        return app.cruddur.messages.events.wire.EventId.before(
                app.cruddur.messages.events.wire.EventId.parse(id).orElseThrow().time()).format();
    }
}
