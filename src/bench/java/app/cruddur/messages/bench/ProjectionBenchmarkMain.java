package app.cruddur.messages.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * {@code bin/bench-projection}: the stream projection's lag (pattern E), from a message written
 * straight to the table (as the tools and seeds write) until both members' list entries show it,
 * through the packaged service with its in-service stream consumer, at the default idle pause and
 * at 50 ms. (What a message costs, projection included, is in {@code bin/bench-capacity}.) Prints
 * figures only; nothing here is a test.
 */
public final class ProjectionBenchmarkMain {

    static final int DEFAULT_MESSAGES = 1_000;
    /** Back-to-back messages sent before measuring, after each service start: its JIT is cold. */
    static final int WARMUP_MESSAGES = 200;
    /**
     * Idle long enough for the consumer's backoff to reach its longest pause from the last batch
     * (25 + 50 + 100 + 200 ms at the default), then up to one default pause more, so that messages
     * land anywhere in the poll cycle.
     */
    static final Duration IDLE_MINIMUM = Duration.ofMillis(400);
    static final Duration IDLE_SPREAD = Duration.ofMillis(250);
    static final Duration CPU_WINDOW = Duration.ofSeconds(10);

    private record Setting(String label, Map<String, String> environment) {
    }

    private record LagRow(String setting, String sends, ProjectionLag.Result result) {
    }

    private ProjectionBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean inMemory = false;
        int messages = DEFAULT_MESSAGES;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--in-memory")) {
                inMemory = true;
            } else if (args[i].equals("--messages") && i + 1 < args.length && args[i + 1].matches("[1-9][0-9]*")) {
                messages = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: bin/bench-projection [--in-memory] [--messages N]   (N back-to-back messages per "
                        + "setting, default " + DEFAULT_MESSAGES + ", and N/10 after idle pauses)");
                System.exit(2);
            }
        }
        int idleMessages = Math.max(10, messages / 10);
        List<Setting> settings = List.of(
                new Setting("250ms (default)", Map.of("CRUDDUR_MESSAGES_STREAM_CONSUMER_ENABLED", "true")),
                new Setting("50ms", Map.of("CRUDDUR_MESSAGES_STREAM_CONSUMER_ENABLED", "true",
                        "CRUDDUR_MESSAGES_STREAM_CONSUMER_MAX_IDLE_PAUSE", "50ms")));

        long started = System.nanoTime();
        BenchEnvironment.log("%d cores, Java %s, load average before: %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), BenchEnvironment.loadAverage());
        List<LagRow> lagRows = new ArrayList<>();
        Map<String, Double> idleCpu = new LinkedHashMap<>();
        try (BenchEnvironment env = BenchEnvironment.start(Optional.of(settings.get(0).environment()), inMemory)) {
            BenchUser a = env.signedInUser("projectiona", "Projection A");
            BenchUser b = env.signedInUser("projectionb", "Projection B");
            UUID group = ProjectionLag.openConversation(env.service().baseUri(), a, b);
            for (Setting setting : settings) {
                if (setting != settings.get(0)) {
                    env.restartService(setting.environment());
                }
                requireConsumerRunning(env);
                ProjectionLag lag = new ProjectionLag(env.dynamo(), List.of(a, b), group);
                long phase = System.nanoTime();
                lag.backToBack(WARMUP_MESSAGES);
                BenchEnvironment.log("max-idle-pause %s: %d warm-up messages in %.1f s", setting.label(), WARMUP_MESSAGES,
                        BenchEnvironment.seconds(phase));
                phase = System.nanoTime();
                lagRows.add(new LagRow(setting.label(), "back-to-back", lag.backToBack(messages)));
                BenchEnvironment.log("max-idle-pause %s: %d back-to-back messages in %.1f s", setting.label(), messages,
                        BenchEnvironment.seconds(phase));
                phase = System.nanoTime();
                lagRows.add(new LagRow(setting.label(), String.format("after %d–%d ms idle", IDLE_MINIMUM.toMillis(),
                        IDLE_MINIMUM.plus(IDLE_SPREAD).toMillis()), lag.afterIdle(idleMessages, IDLE_MINIMUM, IDLE_SPREAD,
                        new Random(42))));
                BenchEnvironment.log("max-idle-pause %s: %d messages after idle pauses in %.1f s", setting.label(),
                        idleMessages, BenchEnvironment.seconds(phase));
                idleCpu.put(setting.label(), idleCpuMillisPerSecond(env.service().pid()));
            }
        }
        printLag(lagRows, idleCpu, inMemory);
        BenchEnvironment.log("whole run %.0f s, load average after: %s", BenchEnvironment.seconds(started),
                BenchEnvironment.loadAverage());
        System.exit(0);
    }

    private static void requireConsumerRunning(BenchEnvironment env) throws Exception {
        JsonNode check = ProjectionLag.readinessCheck(env.service().managementUri(), "Stream consumer");
        if (!"UP".equals(check.path("status").asText()) || !check.path("data").path("running").asBoolean()) {
            throw new IllegalStateException("the stream consumer is not running; readiness says " + check);
        }
        BenchEnvironment.log("readiness check \"Stream consumer\": %s %s", check.path("status").asText(), check.path("data"));
    }

    /** CPU the idle service spends (its consumer polling an empty stream), in ms per second of wall time. */
    private static double idleCpuMillisPerSecond(long pid) throws InterruptedException {
        Thread.sleep(1_000);
        ProcessHandle service = ProcessHandle.of(pid).orElseThrow();
        Duration before = service.info().totalCpuDuration().orElse(Duration.ZERO);
        long started = System.nanoTime();
        Thread.sleep(CPU_WINDOW.toMillis());
        Duration used = service.info().totalCpuDuration().orElse(Duration.ZERO).minus(before);
        return used.toNanos() / 1e6 / BenchEnvironment.seconds(started);
    }

    private static void printLag(List<LagRow> rows, Map<String, Double> idleCpu, boolean inMemory) {
        double pollRound = rows.stream().mapToDouble(row -> row.result().meanPollRoundMillis()).average().orElse(0);
        System.out.println();
        System.out.printf("Lag from the answer to a message's PutItem (written straight to the table) until both members' "
                + "list entries show it, ms%n");
        System.out.printf("(one message in flight, senders alternating; rows read with the SDK Query pk = GRP#{user}, a round "
                + "of Queries every %d ms plus their own time: mean round %.2f ms; DynamoDB Local %s)%n",
                ProjectionLag.POLL_INTERVAL.toMillis(), pollRound, inMemory ? "in memory" : "on disk");
        String header = String.format("%-16s | %-22s | %5s | %7s %7s %7s %7s | %-17s", "max-idle-pause", "sends", "n",
                "p50", "p90", "p99", "max", "PutItem p50 / p99");
        System.out.println(header);
        System.out.println(header.replaceAll("[^|]", "-").replace('|', '+'));
        for (LagRow row : rows) {
            Latencies lag = row.result().lag();
            Latencies post = row.result().put();
            System.out.printf("%-16s | %-22s | %5d | %7.1f %7.1f %7.1f %7.1f | %6.1f / %-8.1f%n", row.setting(), row.sends(),
                    lag.count(), lag.percentileMillis(50), lag.percentileMillis(90), lag.percentileMillis(99),
                    lag.maxMillis(), post.percentileMillis(50), post.percentileMillis(99));
        }
        System.out.print("Service CPU while idle (the consumer polling an empty stream), over " + CPU_WINDOW.toSeconds() + " s:");
        idleCpu.forEach((setting, millis) -> System.out.printf("  %s %.1f ms/s;", setting, millis));
        System.out.println();
    }

}
