package app.cruddur.messages.bench;

import app.cruddur.messages.localstack.LocalStackSettings;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.Tokens;
import app.cruddur.messages.support.UsersTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code bin/bench-events}: how fast a posted message reaches the other member's open stream, and
 * what open streams cost.
 *
 * <ul>
 * <li><b>Latency</b>: {@value #MESSAGES} messages posted one after another; for each, the time from
 *     the POST's answer to the event at the receiver's stream: p50 and p99, with one service
 *     instance, then with two (posted through one, the stream on the other); and the same for a read
 *     receipt (PUT read_marker's answer to the {@code read} event at the sender's stream).</li>
 * <li><b>Scale</b>: {@value #STREAMS} idle open streams on one instance ({@value #STREAMS_PER_USER}
 *     per user): resident memory and heap (after a full GC) per stream, and the service's CPU
 *     while they idle; then the delivery p50/p99 to {@value #ACTIVE_STREAMS} of them receiving
 *     messages while the rest stay open.</li>
 * </ul>
 * Starts its own local stack and services on free ports (the container image's JVM settings with
 * {@code --container}); prints figures only, asserts nothing.
 */
public final class EventsBenchmarkMain {

    static final int MESSAGES = 1000;
    static final int STREAMS = 10_000;
    static final int STREAMS_PER_USER = 5;
    static final int ACTIVE_STREAMS = 1000;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(30);
    private static final String USAGE = "bin/bench-events [--latency] [--scale] [--container] [--streams N]";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static int sequence;

    private EventsBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean latency = false;
        boolean scale = false;
        int streams = STREAMS;
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--latency" -> latency = true;
                case "--scale" -> scale = true;
                case "--container" -> settings.putAll(ContainerSettings.read(LocalStackSettings.findProjectRoot()));
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: " + USAGE);
                    System.exit(2);
                }
            }
        }
        if (!latency && !scale) {
            latency = true;
            scale = true;
        }
        BenchEnvironment.log("%d cores, Java %s, load average before: %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), BenchEnvironment.loadAverage());
        List<String> report = new ArrayList<>();
        try (BenchEnvironment env = BenchEnvironment.start(Optional.of(settings), true)) {
            if (latency) {
                report.addAll(latency(env, settings));
            }
            if (scale) {
                report.addAll(scale(env, streams));
            }
        }
        System.out.println();
        System.out.println("=== event delivery ===");
        report.forEach(System.out::println);
    }

    // --- latency ---------------------------------------------------------------------------------

    private static List<String> latency(BenchEnvironment env, Map<String, String> settings) throws Exception {
        List<String> lines = new ArrayList<>();
        ServiceProcess first = env.service();
        lines.add(latencyRun("1 instance", env, first.baseUri(), first.baseUri()));
        try (ServiceProcess second = env.startService(env.projectRoot(), env.runDir().resolve("service-second.log"), settings)) {
            lines.add(latencyRun("2 instances (post on one, stream on the other)", env, first.baseUri(), second.baseUri()));
            lines.add(readLatencyRun("1 instance", env, first.baseUri(), first.baseUri()));
            lines.add(readLatencyRun("2 instances (marked on one, stream on the other)", env, first.baseUri(), second.baseUri()));
        }
        return lines;
    }

    /**
     * A read receipt: the receiver marks the conversation read up to each of {@value #MESSAGES}
     * messages in turn (PUT read_marker, shared); for each, the time from the call's answer to the
     * {@code read} event at the sender's open stream.
     */
    private static String readLatencyRun(String label, BenchEnvironment env, URI markOn, URI streamOn) throws Exception {
        Member sender = member(env);
        Member receiver = member(env);
        int warmUp = 200;
        try (SseStreams client = new SseStreams()) {
            SseStreams.Stream stream = client.open(streamOn, sender.token());
            await(() -> stream.connected, Duration.ofSeconds(10), "the sender's stream did not connect");
            String first = post(markOn, sender.token(), "{\"message\":\"to be read\",\"handle\":\"" + receiver.handle() + "\"}");
            String group = first.replaceAll(".*\"message_group_uuid\":\"([^\"]+)\".*", "$1");
            List<String> sentAt = new ArrayList<>();
            for (int i = 0; i < warmUp + MESSAGES; i++) {
                sentAt.add(post(markOn, sender.token(), body(group, 10_000 + i)).replaceAll(".*\"created_at\":\"([^\"]+)\".*", "$1"));
            }
            long[] afterAnswer = new long[MESSAGES];
            int missing = 0;
            for (int i = 0; i < warmUp + MESSAGES; i++) {
                String through = sentAt.get(i);
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(markOn.resolve("/api/messages/" + group + "/read_marker"))
                        .header("Authorization", "Bearer " + receiver.token()).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"read_through\":\"" + through + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                long answered = System.nanoTime();
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("PUT read_marker answered " + answer.statusCode() + ": " + answer.body());
                }
                boolean arrived = awaitQuietly(() -> stream.reads.containsKey(through), Duration.ofSeconds(5));
                if (i < warmUp) {
                    continue;
                }
                if (!arrived) {
                    missing++;
                    afterAnswer[i - warmUp] = Duration.ofSeconds(5).toNanos();
                    continue;
                }
                afterAnswer[i - warmUp] = stream.reads.get(through) - answered;
            }
            Latencies fromAnswer = new Latencies(afterAnswer);
            return String.format("read receipt, %s: %d marks; from PUT read_marker's answer to the read event at the other member's "
                            + "stream p50 %+.2f ms, p99 %+.2f ms, max %+.2f ms%s",
                    label, MESSAGES, fromAnswer.percentileMillis(50), fromAnswer.percentileMillis(99), fromAnswer.maxMillis(),
                    missing == 0 ? "" : ", " + missing + " never arrived (counted as 5 s)");
        }
    }

    private static String latencyRun(String label, BenchEnvironment env, URI postTo, URI streamOn) throws Exception {
        Member sender = member(env);
        Member receiver = member(env);
        try (SseStreams client = new SseStreams()) {
            SseStreams.Stream stream = client.open(streamOn, receiver.token());
            await(() -> stream.connected, Duration.ofSeconds(10), "the receiver's stream did not connect");
            String group = post(postTo, sender.token(), "{\"message\":\"warm-up\",\"handle\":\"" + receiver.handle() + "\"}");
            group = group.replaceAll(".*\"message_group_uuid\":\"([^\"]+)\".*", "$1");
            // Warm-up: the JIT and the connections, not measured.
            for (int i = 0; i < 200; i++) {
                post(postTo, sender.token(), body(group, -1 - i));
            }
            long[] afterAnswer = new long[MESSAGES];
            long[] afterSend = new long[MESSAGES];
            int missing = 0;
            int beforeAnswer = 0;
            for (int i = 0; i < MESSAGES; i++) {
                long sent = System.nanoTime();
                post(postTo, sender.token(), body(group, i));
                long answered = System.nanoTime();
                int marker = i;
                if (!awaitQuietly(() -> stream.arrivals.containsKey(marker), Duration.ofSeconds(5))) {
                    missing++;
                    afterAnswer[i] = Duration.ofSeconds(5).toNanos();
                    afterSend[i] = Duration.ofSeconds(5).toNanos();
                    continue;
                }
                long arrived = stream.arrivals.get(marker);
                // Negative: the event was there before the POST's answer (it is published before the lists move).
                afterAnswer[i] = arrived - answered;
                afterSend[i] = arrived - sent;
                beforeAnswer += arrived < answered ? 1 : 0;
            }
            Latencies fromAnswer = new Latencies(afterAnswer);
            Latencies fromSend = new Latencies(afterSend);
            return String.format("latency, %s: %d messages; from the POST's answer to the event p50 %+.2f ms, p99 %+.2f ms,"
                            + " max %+.2f ms (%d of %d arrived before the answer); from sending the POST p50 %.2f ms, p99 %.2f ms%s",
                    label, MESSAGES, fromAnswer.percentileMillis(50), fromAnswer.percentileMillis(99), fromAnswer.maxMillis(),
                    beforeAnswer, MESSAGES, fromSend.percentileMillis(50), fromSend.percentileMillis(99),
                    missing == 0 ? "" : ", " + missing + " never arrived (counted as 5 s)");
        }
    }

    // --- scale -----------------------------------------------------------------------------------

    private static List<String> scale(BenchEnvironment env, int streams) throws Exception {
        List<String> lines = new ArrayList<>();
        ServiceProcess service = env.service();
        long pid = service.pid();
        int users = (streams + STREAMS_PER_USER - 1) / STREAMS_PER_USER;
        BenchEnvironment.log("signing up %d users", users);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            members.add(member(env));
        }
        // Every token once through the service first: verified tokens and users are cached, as in steady state.
        for (Member member : members) {
            get(service.baseUri(), member.token(), "/api/me");
        }
        gc(pid);
        long rssBefore = ProcessMemory.kib(pid, "VmRSS");
        long heapBefore = heapUsed(service);
        try (SseStreams client = new SseStreams()) {
            long opening = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                client.open(service.baseUri(), members.get(i / STREAMS_PER_USER).token());
                if (i % 500 == 499) {
                    int opened = i + 1;
                    await(() -> client.streams().stream().limit(opened).allMatch(s -> s.connected || s.ended),
                            Duration.ofSeconds(60), "streams did not connect");
                }
            }
            await(() -> client.streams().stream().allMatch(s -> s.connected || s.ended), Duration.ofSeconds(60),
                    "streams did not connect");
            long connected = client.streams().stream().filter(s -> s.connected && !s.ended).count();
            BenchEnvironment.log("%d streams open in %.1f s (%d failed)", connected, BenchEnvironment.seconds(opening),
                    client.failures());
            Thread.sleep(2000);
            gc(pid);
            long rssOpen = ProcessMemory.kib(pid, "VmRSS");
            long heapOpen = heapUsed(service);
            lines.add(String.format("scale: %d open streams (%d users): resident memory %+.1f KiB per stream (%d -> %d MiB),"
                            + " heap after a full GC %+.1f KiB per stream", connected, users,
                    (rssOpen - rssBefore) / (double) connected, rssBefore / 1024, rssOpen / 1024,
                    (heapOpen - heapBefore) / 1024.0 / connected));

            long cpuBefore = ProcessCpu.nanos(pid);
            long idleStart = System.nanoTime();
            Thread.sleep(IDLE_WINDOW.toMillis());
            double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
            double cpuMillisPerSecond = (ProcessCpu.nanos(pid) - cpuBefore) / 1e6 / idleSeconds;
            lines.add(String.format("scale: idle with %d streams (heartbeats every 15 s): service CPU %.1f ms per second"
                    + " (%.2f %% of one core) over %.0f s", connected, cpuMillisPerSecond, cpuMillisPerSecond / 10, idleSeconds));

            // Delivery to ACTIVE_STREAMS of them: their users get messages, one after another.
            int activeUsers = ACTIVE_STREAMS / STREAMS_PER_USER;
            Member sender = member(env);
            List<String> groups = new ArrayList<>();
            for (int u = 0; u < activeUsers; u++) {
                String answer = post(service.baseUri(), sender.token(),
                        "{\"message\":\"opening\",\"handle\":\"" + members.get(u).handle() + "\"}");
                groups.add(answer.replaceAll(".*\"message_group_uuid\":\"([^\"]+)\".*", "$1"));
            }
            List<Long> samples = new ArrayList<>();
            int missing = 0;
            int marker = 100_000;
            for (int round = 0; round < MESSAGES / activeUsers; round++) {
                for (int u = 0; u < activeUsers; u++) {
                    int sent = marker++;
                    post(service.baseUri(), sender.token(), body(groups.get(u), sent));
                    long answered = System.nanoTime();
                    List<SseStreams.Stream> receiving = client.streams().subList(u * STREAMS_PER_USER, (u + 1) * STREAMS_PER_USER);
                    if (!awaitQuietly(() -> receiving.stream().allMatch(s -> s.arrivals.containsKey(sent)), Duration.ofSeconds(5))) {
                        missing++;
                    }
                    for (SseStreams.Stream stream : receiving) {
                        Long at = stream.arrivals.get(sent);
                        if (at != null) {
                            samples.add(at - answered);
                        }
                    }
                }
            }
            Latencies delivery = new Latencies(samples.stream().mapToLong(Long::longValue).toArray());
            lines.add(String.format("scale: delivery to %d active of %d open streams, from the POST's answer: %d events,"
                            + " p50 %+.2f ms, p99 %+.2f ms,"
                            + " max %.2f ms%s", ACTIVE_STREAMS, connected, delivery.count(), delivery.percentileMillis(50),
                    delivery.percentileMillis(99), delivery.maxMillis(), missing == 0 ? "" : ", " + missing + " messages missed a stream"));
            lines.add("scale: service memory at the end: " + ProcessMemory.describe(pid));
        }
        return lines;
    }

    // --- helpers ---------------------------------------------------------------------------------

    private record Member(String handle, String token) {
    }

    /** A user with a users row and an access token signed by the local Cognito's key (no sign-in round trip). */
    private static Member member(BenchEnvironment env) throws Exception {
        String handle = "ev" + (++sequence) + "x" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String sub = UUID.randomUUID().toString();
        UsersTable.insert(env.stack(), UUID.randomUUID(), handle, "Bench " + handle, sub);
        return new Member(handle, Tokens.signWithCognitoKey(Tokens.accessClaims(sub, handle)));
    }

    private static String body(String group, int marker) {
        return "{\"message\":\"bench-" + marker + "\",\"message_group_uuid\":\"" + group + "\"}";
    }

    private static String post(URI base, String token, String json) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("POST answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    private static void get(URI base, String token, String path) throws Exception {
        HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** Heap in use, from the service's own metrics (management interface). */
    private static long heapUsed(ServiceProcess service) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(service.managementUri().resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static void gc(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(jdkTool("jcmd"), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        jcmd.getInputStream().readAllBytes();
        jcmd.waitFor(30, TimeUnit.SECONDS);
    }

    private static String jdkTool(String tool) {
        java.nio.file.Path inJdk = java.nio.file.Path.of(System.getProperty("java.home"), "bin", tool);
        return Files.isExecutable(inJdk) ? inJdk.toString() : tool;
    }

    private static void await(BooleanSupplier condition, Duration wait, String failure) throws InterruptedException {
        if (!awaitQuietly(condition, wait)) {
            throw new IllegalStateException(failure);
        }
    }

    private static boolean awaitQuietly(BooleanSupplier condition, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
            Thread.sleep(0, 200_000);
        }
        return true;
    }
}
