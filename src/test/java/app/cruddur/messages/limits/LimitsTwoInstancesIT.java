package app.cruddur.messages.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.TwoInstances;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged services in the prod profile on one local stack, as two tasks behind the load
 * balancer (one trusted proxy): a user's limit and a client address's limit hold for both
 * together, and a block made through one instance is enforced by the other at once, although
 * that one had the blocker's list cached.
 */
class LimitsTwoInstancesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TwoInstances instances;
    private static LocalStackProcess stack;
    private static List<ServiceProcess> both;

    @BeforeAll
    static void twoInstances() throws Exception {
        instances = TwoInstances.start("limits", Map.of(
                "CRUDDUR_MESSAGES_RATE_LIMITS_ENABLED", "true",
                "CRUDDUR_MESSAGES_RATE_LIMITS_TRUSTED_PROXIES", "1"));
        stack = instances.stack();
        both = List.of(instances.first(), instances.second());
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void aUsersFloodThroughBothInstancesIsCutAtOneBurstAndNothingBeyondIsStored() throws Exception {
        Member alice = UsersTable.signUp(stack, "lta");
        Member bob = UsersTable.signUp(stack, "ltb");
        HttpResponse<String> first = post(both.get(0), alice, Map.of("message", "0", "handle", bob.handle()));
        assertEquals(200, first.statusCode(), first.body());
        String group = JSON.readTree(first.body()).path("message_group_uuid").asText();

        long started = System.nanoTime();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 1; i < 30; i++) {
            answers.add(post(both.get(i % 2), alice, Map.of("message", Integer.toString(i), "message_group_uuid", group)));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long admitted = 1 + answers.stream().filter(answer -> answer.statusCode() == 200).count();
        List<HttpResponse<String>> refused = answers.stream().filter(answer -> answer.statusCode() == 429).toList();
        assertEquals(30, admitted + refused.size(), "every answer is a 200 or a 429");
        assertTrue(admitted >= 10 && admitted <= 10 + (long) (seconds / 2) + 1,
                admitted + " admitted in " + seconds + " s: one burst for both instances, not one each");
        assertTrue(refused.stream().anyMatch(answer -> answer.uri().getPort() == both.get(0).baseUri().getPort())
                && refused.stream().anyMatch(answer -> answer.uri().getPort() == both.get(1).baseUri().getPort()),
                "both instances refuse");
        for (HttpResponse<String> limited : refused) {
            assertEquals("rate_limited", JSON.readTree(limited.body()).path("code").asText());
            assertTrue(limited.headers().firstValue("Retry-After").isPresent());
            assertEquals("\"messages\";q=10;w=20", limited.headers().firstValue("RateLimit-Policy").orElse(null));
            assertTrue(limited.headers().firstValue("RateLimit").orElse("").startsWith("\"messages\";r=0;t="));
        }

        JsonNode stored = JSON.readTree(get(both.get(1), bob, "/api/messages/" + group + "?limit=100").body());
        assertEquals(admitted, stored.size(), "what was stored is what was admitted");

        Member carol = UsersTable.signUp(stack, "ltc");
        assertEquals(200, post(both.get(1), carol, Map.of("message", "unaffected", "handle", bob.handle())).statusCode());
    }

    @Test
    void aClientAddressesLookupsCountOnBothInstances() throws Exception {
        Member known = UsersTable.signUp(stack, "ltp");
        // Addresses of the documentation range, new each run.
        String client = "192.0.2." + (1 + new java.util.Random().nextInt(127));
        String another = "192.0.2." + (128 + new java.util.Random().nextInt(127));
        int admitted = 0;
        HttpResponse<String> refused = null;
        long started = System.nanoTime();
        for (int i = 0; i < 200 && refused == null; i++) {
            HttpResponse<String> lookup = profile(both.get(i % 2), known.handle(), client);
            if (lookup.statusCode() == 200) {
                admitted++;
            } else {
                refused = lookup;
            }
        }
        // 60 at once, and one back every second (the defaults) while the loop ran.
        assertTrue(admitted >= 60 && admitted <= 60 + (long) ((System.nanoTime() - started) / 1e9) + 1, admitted + " lookups");
        assertEquals(429, refused.statusCode());
        assertEquals(429, profile(both.get(0), known.handle(), client).statusCode());
        assertEquals(429, profile(both.get(1), known.handle(), client).statusCode());
        assertEquals(200, profile(both.get(0), known.handle(), another).statusCode(), "another client");
    }

    @Test
    void aBlockMadeThroughOneInstanceHoldsOnTheOtherAtOnce() throws Exception {
        Member alice = UsersTable.signUp(stack, "ltx");
        Member bob = UsersTable.signUp(stack, "lty");
        HttpResponse<String> opened = post(both.get(1), bob, Map.of("message", "hello", "handle", alice.handle()));
        assertEquals(200, opened.statusCode(), opened.body());
        String group = JSON.readTree(opened.body()).path("message_group_uuid").asText();
        // The second instance has both block lists cached now (empty).
        assertEquals(200, post(both.get(1), bob, Map.of("message", "cached", "message_group_uuid", group)).statusCode());

        HttpResponse<String> blocked = HTTP.send(HttpRequest.newBuilder(both.get(0).baseUri().resolve("/api/users/@" + bob.handle() + "/block"))
                .header("Authorization", "Bearer " + alice.token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, blocked.statusCode(), blocked.body());

        HttpResponse<String> refused = post(both.get(1), bob, Map.of("message", "after the block", "message_group_uuid", group));
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("recipient_unavailable", JSON.readTree(refused.body()).path("code").asText());

        HttpResponse<String> lifted = HTTP.send(HttpRequest.newBuilder(both.get(0).baseUri().resolve("/api/users/@" + bob.handle() + "/block"))
                .header("Authorization", "Bearer " + alice.token()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, lifted.statusCode());
        assertEquals(200, post(both.get(1), bob, Map.of("message", "after lifting", "message_group_uuid", group)).statusCode());
    }

    private static HttpResponse<String> post(ServiceProcess service, Member sender, Map<String, String> body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(service.baseUri().resolve("/api/messages"))
                .header("Authorization", "Bearer " + sender.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(ServiceProcess service, Member reader, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(service.baseUri().resolve(path)).header("Authorization", "Bearer " + reader.token())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> profile(ServiceProcess service, String handle, String client) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(service.baseUri().resolve("/api/users/@" + handle + "/short"))
                .header("X-Forwarded-For", client).build(), HttpResponse.BodyHandlers.ofString());
    }
}
