package app.cruddur.messages.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Patterns A, B and C through the service's HTTP API, as the frontend calls them: one signed-in
 * caller, {@link LoadBenchmarkMain#THREADS} requests in flight, each thread waiting for its answer.
 */
@State(Scope.Benchmark)
@Threads(LoadBenchmarkMain.THREADS)
@Fork(1)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 3, time = 3)
public class ServiceLoadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpClient http;
    private HttpRequest conversations;
    private HttpRequest newestPage;
    private HttpRequest reply;

    @Setup(Level.Trial)
    public void prepare() throws Exception {
        LoadTarget target = LoadTarget.fromSystemProperties();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create(target.serviceUrl());
        String bearer = "Bearer " + target.accessToken();
        conversations = HttpRequest.newBuilder(base.resolve("/api/message_groups"))
                .header("Authorization", bearer).GET().build();
        newestPage = HttpRequest.newBuilder(base.resolve("/api/messages/" + target.pageGroup()))
                .header("Authorization", bearer).GET().build();
        byte[] body = JSON.writeValueAsBytes(Map.of(
                "message", ConversationFixtures.text(-1), "message_group_uuid", target.postGroup().toString()));
        reply = HttpRequest.newBuilder(base.resolve("/api/messages"))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        // One look at each answer, so that a misconfigured run fails instead of measuring errors.
        requireArray(conversations, "conversation list");
        int page = requireArray(newestPage, "newest page");
        if (page != 20) {
            throw new IllegalStateException("the newest page holds " + page + " messages, not 20");
        }
        send(reply);
    }

    @Benchmark
    public int a_conversations() throws IOException, InterruptedException {
        return send(conversations);
    }

    @Benchmark
    public int b_newestPage() throws IOException, InterruptedException {
        return send(newestPage);
    }

    @Benchmark
    public int c_reply() throws IOException, InterruptedException {
        return send(reply);
    }

    private int send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                    + response.statusCode());
        }
        return response.statusCode();
    }

    private int requireArray(HttpRequest request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.body());
        }
        JsonNode array = JSON.readTree(response.body());
        if (!array.isArray() || array.isEmpty()) {
            throw new IllegalStateException(what + ": expected a non-empty array, got " + response.body());
        }
        return array.size();
    }
}
