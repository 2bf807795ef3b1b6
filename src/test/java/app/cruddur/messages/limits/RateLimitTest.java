package app.cruddur.messages.limits;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.Api;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Metrics;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.support.Tokens;
import app.cruddur.messages.table.PairItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The limits against the real Redis of the local stack: a flood gets 429s with the draft's fields
 * and stores nothing beyond the limit, other users and other clients are unaffected, and with Redis
 * stopped or silent the service lets requests through, says so in readiness and enforces again once
 * Redis is back.
 */
@QuarkusTest
@TestProfile(LimitsOn.class)
@QuarkusTestResource(LocalStackTestResource.class)
class RateLimitTest {

    private static final Pattern RATE_LIMIT = Pattern.compile("\"messages\";r=0;t=(\\d+)");
    private static final java.util.Random RANDOM = new java.util.Random();
    private static final String CHECK = "Rate limits (Redis)";

    @Inject
    UserRepository users;

    @Inject
    TableClient table;

    @Inject
    RateLimiter limiter;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void aFloodOfMessagesIsCutAtTheBurstAndNothingBeyondIsStored() {
        TestUser alice = TestUsers.register(users, "flood");
        TestUser bob = TestUsers.register(users, "flood");
        Response first = send(alice, Map.of("message", "0", "handle", bob.handle()));
        assertEquals(200, first.statusCode());
        // 10 at once, one back every 6 minutes (LimitsOn).
        assertEquals("\"messages\";q=10;w=3600", first.header("RateLimit-Policy"));
        assertEquals("\"messages\";r=9;t=360", first.header("RateLimit"));
        String group = first.jsonPath().getString("message_group_uuid");

        List<Response> answers = new ArrayList<>();
        for (int i = 1; i < 25; i++) {
            answers.add(send(alice, Map.of("message", Integer.toString(i), "message_group_uuid", group)));
        }
        long admitted = 1 + answers.stream().filter(answer -> answer.statusCode() == 200).count();
        List<Response> refused = answers.stream().filter(answer -> answer.statusCode() == 429).toList();
        assertEquals(25, admitted + refused.size(), "every answer is a 200 or a 429");
        assertEquals(10, admitted, "the burst");

        Response limited = refused.get(0);
        assertEquals("application/problem+json", limited.contentType());
        assertEquals("rate_limited", limited.jsonPath().getString("code"));
        assertEquals(429, limited.jsonPath().getInt("status"));
        int retryAfter = Integer.parseInt(limited.header("Retry-After"));
        assertTrue(retryAfter > 300 && retryAfter <= 360, "a token comes back every 6 minutes: " + retryAfter);
        assertEquals("\"messages\";q=10;w=3600", limited.header("RateLimit-Policy"));
        var remaining = RATE_LIMIT.matcher(limited.header("RateLimit"));
        assertTrue(remaining.matches(), limited.header("RateLimit"));
        assertTrue(Integer.parseInt(remaining.group(1)) > 3000 && Integer.parseInt(remaining.group(1)) <= 3600);

        // What was stored is what was admitted, and the lists show the last admitted message.
        List<Map<String, Object>> stored = Api.messages(bob, group);
        assertEquals(admitted, stored.size());
        assertEquals(stored.get(stored.size() - 1).get("message"), Api.groups(bob).get(0).get("message"));

        // Refusals are counted per limit for the operators' dashboards.
        assertTrue(Metrics.sum(management.getPort(), "cruddur_rate_limits_refused_total", "limit=\"messages\"") >= refused.size(),
                "the refusals are counted");

        // Another user is not affected.
        TestUser carol = TestUsers.register(users, "flood");
        Response other = send(carol, Map.of("message", "me too", "handle", bob.handle()));
        assertEquals(200, other.statusCode());
        assertEquals("\"messages\";r=9;t=360", other.header("RateLimit"));
    }

    @Test
    void overTheLimitARetryOfAStoredMessageStillGetsItsFirstAnswer() {
        TestUser alice = TestUsers.register(users, "retry");
        TestUser bob = TestUsers.register(users, "retry");
        String group = send(alice, Map.of("message", "open", "handle", bob.handle())).jsonPath().getString("message_group_uuid");
        Response first = null;
        Response refused = null;
        for (int i = 0; i < 14 && refused == null; i++) {
            Response answer = alice.api().header("Idempotency-Key", "key-" + i).contentType(ContentType.JSON)
                    .body(Map.of("message", "m" + i, "message_group_uuid", group)).post("/api/messages");
            if (answer.statusCode() == 429) {
                refused = answer;
            } else if (first == null) {
                first = answer;
            }
        }
        assertEquals(429, refused.statusCode());
        int stored = Api.messages(bob, group).size();
        Response retry = alice.api().header("Idempotency-Key", "key-0").contentType(ContentType.JSON)
                .body(Map.of("message", "m0", "message_group_uuid", group)).post("/api/messages");
        assertEquals(200, retry.statusCode(), "a lost answer's retry is not refused by the limit: " + retry.asString());
        assertEquals(first.jsonPath().getString("uuid"), retry.jsonPath().getString("uuid"), "the first answer");
        Response otherBody = alice.api().header("Idempotency-Key", "key-0").contentType(ContentType.JSON)
                .body(Map.of("message", "something else", "message_group_uuid", group)).post("/api/messages");
        assertEquals(429, otherBody.statusCode(), "another body under the same key is a new message, and over the limit");
        Response newKey = alice.api().header("Idempotency-Key", "never-used").contentType(ContentType.JSON)
                .body(Map.of("message", "new", "message_group_uuid", group)).post("/api/messages");
        assertEquals(429, newKey.statusCode());
        assertEquals(stored, Api.messages(bob, group).size(), "none of them stored anything");

        // A block made since stands before the replay, as it does under the limit.
        assertEquals(204, bob.api().post("/api/users/@" + alice.handle() + "/block").statusCode());
        Response blocked = alice.api().header("Idempotency-Key", "key-0").contentType(ContentType.JSON)
                .body(Map.of("message", "m0", "message_group_uuid", group)).post("/api/messages");
        assertEquals(403, blocked.statusCode(), blocked.asString());
        assertEquals("recipient_unavailable", blocked.jsonPath().getString("code"));
    }

    @Test
    void blockChangesAndReadsAreLimitedPerUser() {
        TestUser walker = TestUsers.register(users, "walker");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // What a walk through the handles would send: nobody has them.
            statuses.add(walker.api().delete("/api/users/@nobody-" + i + "/block").statusCode());
        }
        assertEquals(List.of(422, 422, 422, 422, 422, 422, 429), statuses, "6 at once (LimitsOn), then refused");
        Response refused = walker.api().get("/api/blocks");
        assertEquals(429, refused.statusCode(), "the list shares the bucket");
        assertEquals("\"blocks\";q=6;w=3600", refused.header("RateLimit-Policy"));
        TestUser other = TestUsers.register(users, "walker");
        Response fine = other.api().get("/api/blocks");
        assertEquals(200, fine.statusCode());
        assertEquals("\"blocks\";r=5;t=600", fine.header("RateLimit"));
    }

    @Test
    void readMarkerCallsAreLimitedPerUser() {
        TestUser reader = TestUsers.register(users, "marker");
        TestUser writer = TestUsers.register(users, "marker");
        String group = Api.post(writer, java.util.Map.of("message", "read me", "handle", reader.handle())).getString("message_group_uuid");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(reader.api().put("/api/messages/" + group + "/read_marker").statusCode());
        }
        statuses.add(reader.api().get("/api/unread").statusCode());
        assertEquals(List.of(200, 200, 200, 200, 429), statuses, "4 at once (LimitsOn), then refused: marks and reads share the bucket");
        Response refused = reader.api().get("/api/messages/" + group + "/read_marker");
        assertEquals(429, refused.statusCode());
        assertEquals("\"read_markers\";q=4;w=3600", refused.header("RateLimit-Policy"));
        assertEquals(200, writer.api().get("/api/unread").statusCode(), "another user's bucket is their own");
    }

    @Test
    void editsDeletesAndTypingNoticesAreLimitedPerUser() {
        TestUser writer = TestUsers.register(users, "changer");
        TestUser reader = TestUsers.register(users, "changer");
        var sent = Api.post(writer, java.util.Map.of("message", "draft", "handle", reader.handle()));
        String path = "/api/messages/" + sent.getString("message_group_uuid") + "/" + sent.getString("created_at");
        List<Integer> changes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            changes.add(writer.api().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("message", "draft " + i))
                    .patch(path).statusCode());
        }
        changes.add(writer.api().delete(path).statusCode());
        assertEquals(List.of(200, 200, 200, 429), changes, "3 at once (LimitsOn): edits and deletes share the bucket");
        assertEquals("\"message_changes\";q=3;w=3600", writer.api().delete(path).header("RateLimit-Policy"));

        String typing = "/api/messages/" + sent.getString("message_group_uuid") + "/typing";
        List<Integer> notices = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            notices.add(reader.api().post(typing).statusCode());
        }
        assertEquals(List.of(204, 204, 204, 429), notices, "3 typing notices at once (LimitsOn), then refused");
    }

    @Test
    void theBucketHoldsItsBurstAndGivesATokenBackEveryInterval() throws Exception {
        RatePolicy policy = new RatePolicy("bucket_test", 2, Duration.ofSeconds(1));
        String subject = java.util.UUID.randomUUID().toString();
        RateDecision first = limiter.take(policy, subject).await().atMost(Duration.ofSeconds(2));
        RateDecision second = limiter.take(policy, subject).await().atMost(Duration.ofSeconds(2));
        RateDecision third = limiter.take(policy, subject).await().atMost(Duration.ofSeconds(2));
        long refused = System.nanoTime();
        assertTrue(first.allowed() && first.enforced());
        assertEquals(1, first.remaining());
        assertTrue(second.allowed());
        assertEquals(0, second.remaining());
        assertTrue(!third.allowed(), "the burst is 2");
        // The next token comes one interval after the first was taken; the bucket is full two after.
        assertTrue(third.retryAfter().toMillis() > 0 && third.retryAfter().toMillis() <= 1000, third.retryAfter().toString());
        assertTrue(third.fullAfter().toMillis() > 1000 && third.fullAfter().toMillis() <= 2000, third.fullAfter().toString());
        // A refused take writes nothing, so asking again and again is harmless.
        java.util.concurrent.atomic.AtomicReference<RateDecision> back = new java.util.concurrent.atomic.AtomicReference<>();
        Await.until(Duration.ofSeconds(5), () -> {
            back.set(limiter.take(policy, subject).await().atMost(Duration.ofSeconds(2)));
            return back.get().allowed();
        }, () -> "no token came back after Retry-After (" + third.retryAfter() + ")");
        long cameBackAfter = (System.nanoTime() - refused) / 1_000_000;
        assertTrue(cameBackAfter >= third.retryAfter().toMillis() - 200, "not before Retry-After: " + cameBackAfter + " ms");
        assertEquals(0, back.get().remaining());
        assertTrue(!limiter.take(policy, subject).await().atMost(Duration.ofSeconds(2)).allowed(), "and only one");
        // An idle bucket leaves nothing behind in Redis once it is full again.
        URI redis = URI.create(Tokens.stack().redisUrl());
        try (Jedis admin = new Jedis(new HostAndPort(redis.getHost(), redis.getPort()))) {
            long ttl = admin.pttl(RateLimiter.KEY_PREFIX + "bucket_test:" + subject);
            assertTrue(ttl > 0 && ttl <= 2000, "the bucket's key expires when the bucket is full: " + ttl + " ms");
        }
    }

    @Test
    void newConversationsHaveALimitOfTheirOwnAndARefusedOneLeavesNoPair() {
        TestUser opener = TestUsers.register(users, "opener");
        List<TestUser> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(TestUsers.register(users, "opened"));
        }
        String group = null;
        for (int i = 0; i < 3; i++) {
            Response opened = send(opener, Map.of("message", "hello", "handle", others.get(i).handle()));
            assertEquals(200, opened.statusCode(), opened.asString());
            group = opened.jsonPath().getString("message_group_uuid");
        }
        Response fourth = send(opener, Map.of("message", "hello", "handle", others.get(3).handle()));
        assertEquals(429, fourth.statusCode(), fourth.asString());
        assertEquals("rate_limited", fourth.jsonPath().getString("code"));
        assertEquals("\"conversations\";q=3;w=3600", fourth.header("RateLimit-Policy"));
        assertTrue(fourth.header("RateLimit").startsWith("\"conversations\";r=0;t="), fourth.header("RateLimit"));
        assertTrue(Integer.parseInt(fourth.header("Retry-After")) > 1000, "a conversation comes back every 20 min");
        assertEquals(Optional.empty(), PairItem.findGroup(table, opener.uuid(), others.get(3).uuid()).await().atMost(Duration.ofSeconds(5)),
                "no conversation was opened");
        assertTrue(Api.groups(others.get(3)).isEmpty());

        // Replies into a conversation the opener has are still fine.
        Response reply = send(opener, Map.of("message", "still here", "message_group_uuid", group));
        assertEquals(200, reply.statusCode());
    }

    @Test
    void ticketsAreLimitedPerUser() {
        TestUser viewer = TestUsers.register(users, "tickets");
        int admitted = 0;
        Response refused = null;
        for (int i = 0; i < 14 && refused == null; i++) {
            Response ticket = viewer.api().post("/api/events/ticket");
            if (ticket.statusCode() == 200) {
                admitted++;
                assertTrue(ticket.header("RateLimit").startsWith("\"tickets\";r="), ticket.header("RateLimit"));
            } else {
                refused = ticket;
            }
        }
        assertEquals(10, admitted, "the burst of tickets");
        assertEquals(429, refused.statusCode());
        assertEquals("rate_limited", refused.jsonPath().getString("code"));
        assertEquals("\"tickets\";q=10;w=3600", refused.header("RateLimit-Policy"));
        assertEquals(200, TestUsers.register(users, "tickets").api().post("/api/events/ticket").statusCode(), "another user's own");
    }

    @Test
    void publicProfileLookupsAreLimitedPerClientAddress() {
        TestUser known = TestUsers.register(users, "profile");
        String path = "/api/users/@" + known.handle() + "/short";
        // Addresses of the documentation ranges, new each run: buckets outlive a run in the stack's Redis.
        String client = "203.0.113." + (1 + RANDOM.nextInt(254));
        String another = "198.51.100." + (1 + RANDOM.nextInt(254));
        int admitted = 0;
        Response refused = null;
        for (int i = 0; i < 70 && refused == null; i++) {
            Response lookup = given().header("X-Forwarded-For", client).get(path);
            if (lookup.statusCode() == 200) {
                admitted++;
            } else {
                refused = lookup;
            }
        }
        assertEquals(60, admitted, "the burst of lookups");
        assertEquals(429, refused.statusCode());
        assertEquals("\"profile_lookups\";q=60;w=3600", refused.header("RateLimit-Policy"));
        assertTrue(refused.header("RateLimit").startsWith("\"profile_lookups\";r=0;t="), refused.header("RateLimit"));
        assertNull(refused.header("Cache-Control"), "a refusal is not kept by caches");
        // A forged entry in front of the proxy's changes nothing; another client is not affected.
        assertEquals(429, given().header("X-Forwarded-For", another + ", " + client).get(path).statusCode());
        Response other = given().header("X-Forwarded-For", another).get(path);
        assertEquals(200, other.statusCode());
        assertNull(other.header("RateLimit"), "a cacheable answer carries no client's figures");
        assertEquals("public, max-age=60", other.header("Cache-Control"));
        // Unknown handles count too: the limit is what stops a walk through the handles.
        assertEquals(429, given().header("X-Forwarded-For", client).get("/api/users/@nobody-at-all/short").statusCode());
    }

    @Test
    void blocksAreCappedPerUser() {
        TestUser blocker = TestUsers.register(users, "capped");
        TestUser one = TestUsers.register(users, "capped");
        TestUser two = TestUsers.register(users, "capped");
        TestUser three = TestUsers.register(users, "capped");
        assertEquals(204, blocker.api().post("/api/users/@" + one.handle() + "/block").statusCode());
        assertEquals(204, blocker.api().post("/api/users/@" + two.handle() + "/block").statusCode());
        Response over = blocker.api().post("/api/users/@" + three.handle() + "/block");
        assertEquals(422, over.statusCode());
        assertEquals(List.of("too_many_blocks"), over.jsonPath().getList("errors"));
        assertEquals(204, blocker.api().post("/api/users/@" + two.handle() + "/block").statusCode(), "blocking again is no new block");
        assertEquals(2, blocker.api().get("/api/blocks").jsonPath().getList("").size());
    }

    @Test
    void withRedisStoppedOrSilentRequestsAreLetThroughAndTheLimitsComeBack() throws Exception {
        TestUser alice = TestUsers.register(users, "open");
        TestUser bob = TestUsers.register(users, "open");
        String group = send(alice, Map.of("message", "first", "handle", bob.handle())).jsonPath().getString("message_group_uuid");

        Tokens.stack().command("stop redis");
        try {
            for (int i = 0; i < 15; i++) {
                Response sent = send(alice, Map.of("message", "while away " + i, "message_group_uuid", group));
                assertEquals(200, sent.statusCode(), "the limits fail open: " + sent.asString());
                assertNull(sent.header("RateLimit"), "no limit was asked, so none is told");
            }
            Response ready = given().port(management.getPort()).get("/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.asString());
            assertTrue(check(ready, "limits").startsWith("failing open"), ready.asString());
            assertTrue(Long.parseLong(check(ready, "letThroughUnlimited")) >= 15, ready.asString());
            assertTrue(Metrics.sum(management.getPort(), "cruddur_rate_limits_unlimited_total") >= 15, "and in the metrics");
        } finally {
            Tokens.stack().command("start redis");
        }
        assertEquals(16, Api.messages(bob, group).size(), "nothing was lost");

        Await.until(Duration.ofSeconds(30), () -> "enforced".equals(check(given().port(management.getPort()).get("/q/health/ready"), "limits")),
                () -> "readiness did not see Redis back");
        assertEquals(10, admittedOf(TestUsers.register(users, "again"), bob, 12), "the burst, enforced again");

        // Silent instead of gone: a request waits at most the limit's deadline, then is let through.
        TestUser dave = TestUsers.register(users, "silent");
        URI redis = URI.create(Tokens.stack().redisUrl());
        try (Jedis admin = new Jedis(new HostAndPort(redis.getHost(), redis.getPort()))) {
            admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "3000", "WRITE");
        }
        long started = System.nanoTime();
        Response during = send(dave, Map.of("message", "during a pause", "handle", bob.handle()));
        double tookMillis = (System.nanoTime() - started) / 1e6;
        assertEquals(200, during.statusCode(), during.asString());
        // The pause lasts 3 s: an answer well before it ends came from the deadline, not from Redis.
        assertTrue(tookMillis < 2000, "answered after " + tookMillis + " ms, not within the limit's deadline");
        System.out.printf("[limits] a post during a Redis pause answered after %.0f ms (deadline 250 ms)%n", tookMillis);
        try (Jedis admin = new Jedis(new HostAndPort(redis.getHost(), redis.getPort()))) {
            admin.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
        }
        Await.until(Duration.ofSeconds(30), () -> "enforced".equals(check(given().port(management.getPort()).get("/q/health/ready"), "limits"))
                        && given().port(management.getPort()).get("/q/health/group/events").statusCode() == 200,
                () -> "the limits and the fan-out did not come back after the pause");
    }

    private int admittedOf(TestUser sender, TestUser receiver, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (send(sender, Map.of("message", "m" + i, "handle", receiver.handle())).statusCode() == 200) {
                admitted++;
            }
        }
        return admitted;
    }

    private static Response send(TestUser sender, Map<String, String> body) {
        return sender.api().contentType(ContentType.JSON).body(body).post("/api/messages");
    }

    private static String check(Response health, String key) {
        return health.jsonPath().getString("checks.find { it.name == '" + CHECK + "' }.data." + key);
    }
}
