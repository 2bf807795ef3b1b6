package app.cruddur.messages.packaging;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import app.cruddur.messages.support.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The work a JVM records its AOT cache from (-XX:AOTCacheOutput): what the service does in
 * production, through its API as the frontend and other clients call it. Each round signs a pair of
 * users up and has them open event streams (by header and by ticket), start a conversation and reply
 * (C, D), list it (A) and page it (B), look profiles up, mark read and unread, edit, delete, type,
 * block and unblock, and send what is refused: no token, bad JSON, an unknown conversation, a
 * blocked recipient, a burst over a limit. The classes loaded, linked and profiled on these paths
 * are what a cached start finds ready.
 */
public final class AotTraining {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** How many requests got which status: a training that never reached a path cannot cache it. */
    public record Report(int requests, Map<Integer, Integer> statuses) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private final URI service;
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private int requests;

    private AotTraining(URI service) {
        this.service = service;
    }

    /** Production's limits, which the training runs into. */
    static final Map<String, String> LIMITS_ON = Map.of("CRUDDUR_MESSAGES_RATE_LIMITS_ENABLED", "true");

    /** The grace a stopping JVM gets to assemble its cache (a child JVM writes it at exit). */
    static final Duration ASSEMBLY = Duration.ofMinutes(3);

    /**
     * Records an AOT cache into {@code cache}: the packaged service on the JDK these classes run on,
     * with the options of the image's cache stage ({@link ImageCommand#recording}), trained on
     * {@code rounds} rounds, then stopped as ECS stops it. Fails unless the JVM wrote the cache.
     */
    public static Report record(Path root, LocalStackProcess stack, Path cache, int rounds, Path log) throws Exception {
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);
        ServiceProcess service = ServiceProcess.start(root, stack, log, LIMITS_ON, Path.of(System.getProperty("java.home")),
                ImageCommand.recording(root, cache));
        Report report;
        try {
            report = run(service.baseUri(), stack, rounds);
        } finally {
            service.stop(ASSEMBLY);
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("the JVM wrote no AOT cache to " + cache + "; see " + log);
        }
        return report;
    }

    /** Runs {@code rounds} rounds against the service at {@code service}, on users of {@code stack}. */
    static Report run(URI service, LocalStackProcess stack, int rounds) throws Exception {
        AotTraining training = new AotTraining(service);
        for (int round = 0; round < rounds; round++) {
            training.round(UsersTable.signUp(stack, "aota"), UsersTable.signUp(stack, "aotb"));
        }
        return new Report(training.requests, Map.copyOf(training.statuses));
    }

    private void round(Member alice, Member bob) throws Exception {
        String ticket = call("POST", "/api/events/ticket", bob, null).path("ticket").asText();
        try (EventStreamClient bobs = EventStreamClient.connect(
                service.resolve("/api/events?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8)), Map.of());
             EventStreamClient alices = EventStreamClient.connect(service.resolve("/api/events"),
                     Map.of("Authorization", "Bearer " + alice.token()))) {
            call("GET", "/api/me", alice, null);
            call("GET", "/api/users/@" + bob.handle() + "/short", null, null);
            JsonNode first = call("POST", "/api/messages", alice, Map.of("message", "Hello " + bob.handle(), "handle", bob.handle()));
            String group = first.path("message_group_uuid").asText();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Member sender = i % 2 == 0 ? bob : alice;
                JsonNode reply = call("POST", "/api/messages", sender, Map.of("message", "reply " + i, "message_group_uuid", group));
                sent.add(reply.path("created_at").asText());
                call("GET", "/api/message_groups", i % 2 == 0 ? alice : bob, null);
                call("GET", "/api/messages/" + group, i % 2 == 0 ? alice : bob, null);
            }
            bobs.drain(Duration.ofMillis(200));
            call("PUT", "/api/messages/" + group + "/read_marker", bob, Map.of());
            call("GET", "/api/messages/" + group + "/read_marker", alice, null);
            call("POST", "/api/messages/" + group + "/mark_unread", bob, Map.of());
            call("GET", "/api/unread", bob, null);
            String own = sent.get(1);
            call("GET", "/api/messages/" + group + "/" + own, alice, null);
            call("PATCH", "/api/messages/" + group + "/" + own, alice, Map.of("message", "edited"));
            call("DELETE", "/api/messages/" + group + "/" + own, alice, null);
            call("PATCH", "/api/messages/" + group + "/" + own, alice, Map.of("message", "again"));
            call("POST", "/api/messages/" + group + "/typing", alice, null);
            // Refusals: a limit's burst, no token, bad JSON, an unknown conversation, a blocked pair.
            for (int i = 0; i < 12; i++) {
                call("POST", "/api/messages/" + group + "/typing", bob, null);
            }
            call("GET", "/api/message_groups", null, null);
            raw("POST", "/api/messages", alice, "{\"message\":");
            call("GET", "/api/messages/00000000-0000-4000-8000-000000000000", alice, null);
            call("POST", "/api/users/@" + alice.handle() + "/block", bob, null);
            call("GET", "/api/blocks", bob, null);
            call("POST", "/api/messages", alice, Map.of("message", "blocked?", "message_group_uuid", group));
            call("DELETE", "/api/users/@" + alice.handle() + "/block", bob, null);
            alices.drain(Duration.ofMillis(200));
        }
    }

    private JsonNode call(String method, String path, Member caller, Map<String, String> body) throws IOException, InterruptedException {
        String text = raw(method, path, caller, body == null ? null : JSON.writeValueAsString(body));
        return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    private String raw(String method, String path, Member caller, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.resolve(path)).timeout(WAIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (caller != null) {
            request.header("Authorization", "Bearer " + caller.token());
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        requests++;
        statuses.merge(answer.statusCode(), 1, Integer::sum);
        return answer.statusCode() < 300 ? answer.body() : "";
    }
}
