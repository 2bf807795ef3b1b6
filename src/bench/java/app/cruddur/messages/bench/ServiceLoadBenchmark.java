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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Patterns A, B, C and D through the service's HTTP API, with the frontend's headers, over one
 * keep-alive connection per thread ({@link KeepAliveHttp}),
 * {@link LoadBenchmarkMain#THREADS} requests in flight, each thread waiting for its answer. A and B
 * read as one caller; C and D post as another, each thread into a conversation of its own.
 */
@State(Scope.Benchmark)
@Threads(LoadBenchmarkMain.THREADS)
@Fork(1)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 3, time = 3)
public class ServiceLoadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpClient http;
    private KeepAliveHttp.Request conversations;
    private KeepAliveHttp.Request newestPage;

    /**
     * One benchmark thread: its keep-alive connection, and the requests of C (a reply) and D (a
     * message by handle), each to a conversation of this thread's own.
     */
    @State(Scope.Thread)
    public static class Client {
        KeepAliveHttp connection;
        KeepAliveHttp.Request reply;
        KeepAliveHttp.Request byHandle;

        @Setup(Level.Trial)
        public void prepare(ThreadParams thread) throws Exception {
            LoadTarget target = LoadTarget.fromSystemProperties();
            int i = thread.getThreadIndex();
            URI base = URI.create(target.serviceUrl());
            connection = new KeepAliveHttp(base);
            String bearer = "Bearer " + target.poster().accessToken();
            reply = KeepAliveHttp.Request.postJson(base, "/api/messages", bearer, JSON.writeValueAsBytes(Map.of(
                    "message", ConversationFixtures.text(-1), "message_group_uuid", target.replyGroups().get(i).toString())));
            byHandle = KeepAliveHttp.Request.postJson(base, "/api/messages", bearer, JSON.writeValueAsBytes(Map.of(
                    "message", ConversationFixtures.text(-2), "handle", target.receivers().get(i).handle())));
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            connection.close();
        }

        int send(KeepAliveHttp.Request request) throws IOException {
            int status = connection.send(request);
            if (status != 200) {
                throw new IllegalStateException(request.method() + " " + request.path() + " answered " + status);
            }
            return status;
        }
    }

    @Setup(Level.Trial)
    public void prepare() throws Exception {
        LoadTarget target = LoadTarget.fromSystemProperties();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create(target.serviceUrl());
        String bearer = "Bearer " + target.caller().accessToken();
        String pagePath = "/api/messages/" + target.pageGroup();
        conversations = KeepAliveHttp.Request.get(base, "/api/message_groups", bearer);
        newestPage = KeepAliveHttp.Request.get(base, pagePath, bearer);

        // One look at each answer, so that a misconfigured run fails instead of measuring errors.
        requireArray(HttpRequest.newBuilder(base.resolve("/api/message_groups")).header("Authorization", bearer).GET().build(),
                "conversation list");
        int page = requireArray(HttpRequest.newBuilder(base.resolve(pagePath)).header("Authorization", bearer).GET().build(),
                "newest page");
        if (page != 20) {
            throw new IllegalStateException("the newest page holds " + page + " messages, not 20");
        }
    }

    @Benchmark
    public int a_conversations(Client client, CpuWindow cpu) throws IOException {
        return client.send(conversations);
    }

    @Benchmark
    public int b_newestPage(Client client, CpuWindow cpu) throws IOException {
        return client.send(newestPage);
    }

    @Benchmark
    public int c_reply(Client client, CpuWindow cpu) throws IOException {
        return client.send(client.reply);
    }

    @Benchmark
    public int d_messageByHandle(Client client, CpuWindow cpu) throws IOException {
        return client.send(client.byHandle);
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
