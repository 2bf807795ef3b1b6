package app.cruddur.messages.bench;

import app.cruddur.messages.support.LocalDynamoDb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code bin/bench-load}: throughput and p50/p99 latency of patterns A, B and C through the
 * service, and of the same DynamoDB requests sent directly with the SDK (the ceiling), all with JMH
 * at {@link #THREADS} threads against one DynamoDB Local. Prints JMH's own report, then a summary.
 */
public final class LoadBenchmarkMain {

    /** Requests in flight: enough to keep two cores busy through every network wait. */
    public static final int THREADS = 16;
    /** The conversation read by B holds this many messages (the page is the newest 20). */
    static final int PAGE_CONVERSATION_MESSAGES = 200;
    /** The caller's conversation list (A) holds this many rows. */
    static final int CONVERSATIONS = 10;
    private static final TimeValue SERVICE_WARMUP = TimeValue.seconds(15);

    private LoadBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean inMemory = BenchEnvironment.dynamoDbInMemory(args, "bin/bench-load");
        long started = System.nanoTime();
        BenchEnvironment.log("%d cores, Java %s, load average before: %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), BenchEnvironment.loadAverage());
        int exit;
        try (BenchEnvironment env = BenchEnvironment.start(true, inMemory)) {
            LoadTarget target = prepare(env);
            exit = run(env, target);
        }
        BenchEnvironment.log("whole run %.0f s, load average after: %s", BenchEnvironment.seconds(started),
                BenchEnvironment.loadAverage());
        System.exit(exit);
    }

    static LoadTarget prepare(BenchEnvironment env) {
        BenchUser caller = env.signedInUser("loadcaller", "Load Caller");
        ConversationFixtures fixtures = new ConversationFixtures(env.dynamo(), LocalDynamoDb.TABLE);
        Instant start = Instant.now().minus(Duration.ofDays(2));
        List<UUID> groups = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            BenchUser peer = env.peer("loadpeer" + i, "Load Peer " + i);
            groups.add(fixtures.open(caller, peer, start.plus(Duration.ofMinutes(i))).conversation().messageGroupUuid());
            if (i == 0) {
                fixtures.addMessages(groups.get(0), caller, peer, start.plus(Duration.ofHours(1)),
                        PAGE_CONVERSATION_MESSAGES, 1);
            }
        }
        BenchEnvironment.log("caller %s: %d conversations; B reads one of %d messages, C posts into another",
                caller.handle(), CONVERSATIONS, PAGE_CONVERSATION_MESSAGES + 1);
        return new LoadTarget(env.service().baseUri().toString(), caller.accessToken(), env.stack().dynamodbEndpoint(),
                LocalDynamoDb.TABLE, caller.uuid(), caller.handle(), caller.displayName(), groups.get(0), groups.get(1));
    }

    private static int run(BenchEnvironment env, LoadTarget target) throws Exception {
        warmUpService(target);
        Path resultFile = env.projectRoot().resolve("target").resolve("bench").resolve("load.json");
        Files.createDirectories(resultFile.getParent());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(ServiceLoadBenchmark.class.getName() + "\\.")
                .include(DynamoDbLoadBenchmark.class.getName() + "\\.")
                // One mode for both figures: latency from the sampled operations, throughput from the
                // count of all operations in the same measurement iterations (see throughput()).
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MILLISECONDS)
                .threads(THREADS)
                .shouldFailOnError(false)
                .result(resultFile.toString())
                .resultFormat(ResultFormatType.JSON)
                // Each call replaces the previous list: pass them all at once.
                .jvmArgsAppend(target.asJvmArgs().toArray(String[]::new));
        return printSummary(new Runner(options.build()).run()) ? 0 : 1;
    }

    /**
     * Loads the service with A, B and C before anything is measured. Its JVM lives through all the
     * forks and needs about a minute of load on two busy cores before its JIT settles, much longer
     * than one benchmark's warm-up; without this, the first service benchmark measures compilation.
     */
    private static void warmUpService(LoadTarget target) throws Exception {
        long started = System.nanoTime();
        BenchEnvironment.log("warming up the service: %d s of each of A, B and C at %d threads (not measured)",
                SERVICE_WARMUP.getTime(), THREADS);
        Collection<RunResult> warmUp = new Runner(new OptionsBuilder()
                .include(ServiceLoadBenchmark.class.getName() + "\\.")
                .mode(Mode.SampleTime)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(SERVICE_WARMUP)
                .threads(THREADS)
                .verbosity(VerboseMode.SILENT)
                .jvmArgsAppend(target.asJvmArgs().toArray(String[]::new))
                .build()).run();
        if (warmUp.size() != 3) {
            throw new IllegalStateException("the service warm-up failed; run again for JMH's report");
        }
        BenchEnvironment.log("service warmed up in %.0f s", BenchEnvironment.seconds(started));
    }

    /**
     * Operations per second over the measurement iterations: JMH counts every operation in SampleTime
     * mode (it times only a sample of them), for the configured length of each iteration.
     */
    static double throughput(RunResult result) {
        long operations = 0;
        double seconds = 0;
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
                operations += iteration.getMetadata().getMeasuredOps();
                seconds += iteration.getParams().getTime().convertTo(TimeUnit.MILLISECONDS) / 1000.0;
            }
        }
        return operations / seconds;
    }

    /** Prints one row per pattern; false when a benchmark produced no result. */
    private static boolean printSummary(Collection<RunResult> results) {
        Map<String, Double> figures = new HashMap<>();
        for (RunResult result : results) {
            if (result.getBenchmarkResults().stream().allMatch(fork -> fork.getIterationResults().isEmpty())) {
                continue;
            }
            String benchmark = result.getParams().getBenchmark();
            String key = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            figures.put(key + ".ops", throughput(result));
            figures.put(key + ".p50", result.getPrimaryResult().getStatistics().getPercentile(50));
            figures.put(key + ".p99", result.getPrimaryResult().getStatistics().getPercentile(99));
        }
        String service = ServiceLoadBenchmark.class.getSimpleName() + ".";
        String sdk = DynamoDbLoadBenchmark.class.getSimpleName() + ".";
        System.out.println();
        System.out.printf("Summary: %d threads, one caller; latency in ms; ratio = service ops/s / SDK ops/s%n", THREADS);
        System.out.printf("%-50s | %9s %7s %7s | %9s %7s %7s | %6s%n",
                "pattern", "svc ops/s", "p50", "p99", "SDK ops/s", "p50", "p99", "ratio");
        System.out.println("-".repeat(50) + "-+-" + "-".repeat(25) + "-+-" + "-".repeat(25) + "-+-" + "-".repeat(6));
        boolean complete = true;
        complete &= row(figures, "A  GET /api/message_groups     | Query", service + "a_conversations",
                sdk + "a_conversations");
        complete &= row(figures, "B  GET /api/messages/{group}   | Query", service + "b_newestPage",
                sdk + "b_newestPage");
        complete &= row(figures, "C  POST /api/messages          | PutItem", service + "c_reply", sdk + "c_reply");
        complete &= row(figures, "C  SDK as on a member-cache miss | GetItem+PutItem", service + "c_reply",
                sdk + "c_replyCheckingMembership");
        return complete;
    }

    private static boolean row(Map<String, Double> figures, String label, String service, String sdk) {
        Double serviceOps = figures.get(service + ".ops");
        Double sdkOps = figures.get(sdk + ".ops");
        System.out.printf("%-50s | %9s %7s %7s | %9s %7s %7s | %6s%n", label,
                ops(serviceOps), millis(figures.get(service + ".p50")), millis(figures.get(service + ".p99")),
                ops(sdkOps), millis(figures.get(sdk + ".p50")), millis(figures.get(sdk + ".p99")),
                serviceOps == null || sdkOps == null ? "n/a" : String.format("%.2f", serviceOps / sdkOps));
        return serviceOps != null && sdkOps != null && figures.containsKey(service + ".p99") && figures.containsKey(sdk + ".p99");
    }

    private static String ops(Double value) {
        return value == null ? "n/a" : String.format("%.0f", value);
    }

    private static String millis(Double value) {
        return value == null ? "n/a" : String.format("%.2f", value);
    }
}
