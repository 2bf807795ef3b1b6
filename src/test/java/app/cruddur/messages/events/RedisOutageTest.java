package app.cruddur.messages.events;

import static app.cruddur.messages.support.Api.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Metrics;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.support.Tokens;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Redis stopped and started again under open streams: the REST API works throughout, streams end
 * with the reason and the retry hint, new ones are a clean 503, health says what is wrong, and it
 * all comes back by itself; a resumed stream then gets what was posted meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class RedisOutageTest {

    private static final String CHECK = "Event fan-out (Redis)";

    @TestHTTPResource("/api/events")
    URI events;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    UserRepository users;

    @Test
    void streamsEndWhenRedisGoesAndResumeWhenItIsBack() throws Exception {
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        Map<String, String> bobsToken = Map.of("Authorization", "Bearer " + bob.token());
        String group = (String) post(alice, Map.of("message", "before", "handle", bob.handle())).getMap("").get("message_group_uuid");
        EventStreamClient stream = EventStreamClient.connect(events, bobsToken);
        post(alice, Map.of("message", "seen", "message_group_uuid", group));
        Event seen = stream.next("message", Duration.ofSeconds(5));
        assertEquals("seen", seen.json().path("message").asText());
        stream.drain(Duration.ofMillis(500));

        double refusedBefore = Metrics.sum(management.getPort(), "cruddur_http_failures_total", "code=\"events_unavailable\"",
                "part=\"redis\"");
        Tokens.stack().command("stop redis");
        try {
            assertTrue(stream.ended(Duration.ofSeconds(15)), "the open stream ends when Redis is lost");
            assertTrue(stream.comments().contains(MessageEvents.Ending.UNAVAILABLE.reason()), stream.comments().toString());
            assertEquals("3000", stream.retry());

            Response refused = bob.api().accept("text/event-stream").get(events);
            assertEquals(503, refused.statusCode());
            assertEquals("events_unavailable", refused.jsonPath().getString("code"));
            assertEquals("1", refused.header("Retry-After"));
            Response ticket = bob.api().post(events + "/ticket");
            assertEquals(503, ticket.statusCode(), "tickets live in Redis too");
            assertEquals("events_unavailable", ticket.jsonPath().getString("code"));
            assertEquals(refusedBefore + 2, Metrics.sum(management.getPort(), "cruddur_http_failures_total",
                    "code=\"events_unavailable\"", "part=\"redis\""), "each 503 counted with its cause");

            // The REST API works on.
            post(alice, Map.of("message", "during", "message_group_uuid", group));
            assertEquals("during", alice.api().get("/api/message_groups").jsonPath().getString("[0].message"));

            Response ready = given().port(management.getPort()).get("/q/health/ready");
            assertEquals(200, ready.statusCode(), "readiness keeps the task in service: REST works");
            assertTrue(checkData(ready.jsonPath(), "redis").startsWith("unavailable"), ready.asString());
            assertEquals(503, given().port(management.getPort()).get("/q/health/group/events").statusCode());
        } finally {
            Tokens.stack().command("start redis");
        }

        Await.until(Duration.ofSeconds(30), () -> given().port(management.getPort()).get("/q/health/group/events").statusCode() == 200,
                () -> "the fan-out did not reconnect");
        EventStreamClient resumed = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + bob.token(),
                "Last-Event-ID", seen.id()));
        List<String> replayed = resumed.drain(Duration.ofSeconds(2)).stream().filter(event -> event.name().equals("message"))
                .map(event -> event.json().path("message").asText()).toList();
        assertEquals(List.of("during"), replayed, "what was posted during the outage, once");
        post(alice, Map.of("message", "after", "message_group_uuid", group));
        assertEquals("after", resumed.next("message", Duration.ofSeconds(5)).json().path("message").asText(), "live again");
        resumed.close();
        stream.close();
    }

    @Test
    void aSilentRedisIsNoticedWithinTheDeadlineAndStreamsComeBackWhenItAnswers() throws Exception {
        TestUser carol = TestUsers.register(users, "carol");
        EventStreamClient stream = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + carol.token()));
        URI redis = URI.create(Tokens.stack().redisUrl());
        try (Jedis admin = new Jedis(new HostAndPort(redis.getHost(), redis.getPort()))) {
            // Redis answers nobody for 7 s, longer than a ping interval (5 s) and its deadline (1 s):
            // the connections stay open, only silent.
            admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "7000", "ALL");
        }
        long paused = System.nanoTime();
        assertTrue(stream.ended(Duration.ofSeconds(12)), "the stream ends when Redis falls silent");
        assertTrue(stream.comments().contains(MessageEvents.Ending.UNAVAILABLE.reason()), stream.comments().toString());
        System.out.printf("[redis] a silent Redis ended the streams after %.1f s (ping every 5 s, 1 s deadline)%n",
                (System.nanoTime() - paused) / 1e9);
        Await.until(Duration.ofSeconds(30), () -> given().port(management.getPort()).get("/q/health/group/events").statusCode() == 200,
                () -> "the fan-out did not reconnect after the pause");
        EventStreamClient again = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + carol.token()));
        TestUser dave = TestUsers.register(users, "dave");
        post(dave, Map.of("message", "after the pause", "handle", carol.handle()));
        assertEquals("after the pause", again.next("message", Duration.ofSeconds(5)).json().path("message").asText());
        again.close();
        stream.close();
    }

    private static String checkData(JsonPath json, String key) {
        return json.getString("checks.find { it.name == '" + CHECK + "' }.data." + key);
    }
}
