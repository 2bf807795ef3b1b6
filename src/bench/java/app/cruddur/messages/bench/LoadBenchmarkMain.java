package app.cruddur.messages.bench;

import app.cruddur.messages.localstack.LocalStackSettings;
import app.cruddur.messages.packaging.AotTraining;
import app.cruddur.messages.support.LocalDynamoDb;
import app.cruddur.messages.support.ServiceProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * {@code bin/bench-load}: throughput, p50/p99 latency and CPU time per operation of patterns A, B, C
 * and D through the service, and of the same DynamoDB requests sent directly with the SDK (the
 * ceiling), all with JMH at {@link #THREADS} threads against one DynamoDB Local. Prints JMH's own
 * report, then two summaries.
 */
public final class LoadBenchmarkMain {

    /** Requests in flight: enough to keep two cores busy through every network wait. */
    public static final int THREADS = 16;
    /** The conversation read by B holds this many messages (the page is the newest 20). */
    static final int PAGE_CONVERSATION_MESSAGES = 200;
    /** The caller's conversation list (A) holds this many rows. */
    static final int CONVERSATIONS = 10;
    private static final TimeValue SERVICE_WARMUP = TimeValue.seconds(15);
    private static final List<String> PATTERNS = List.of("a_conversations", "b_newestPage", "c_reply", "d_messageByHandle");
    private static final String USAGE = "bin/bench-load [--in-memory] [--patterns A,B,C,D] [--container] [--service-jvm OPTIONS] [--first-jvm OPTIONS]"
            + " [--aot] [--baseline DIR] [--baseline-java JAVA_HOME] [--tracing]";

    private LoadBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean inMemory = false;
        List<String> patterns = PATTERNS;
        Map<String, String> serviceSettings = new HashMap<>();
        Optional<Path> baseline = Optional.empty();
        Optional<Path> baselineJava = Optional.empty();
        boolean aot = false;
        boolean tracing = false;
        Optional<String> firstJvm = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--in-memory")) {
                inMemory = true;
            } else if (args[i].equals("--patterns") && i + 1 < args.length) {
                patterns = patterns(args[++i]);
            } else if (args[i].equals("--container")) {
                // As the container image runs it: its JVM options, its malloc arenas.
                serviceSettings.putAll(ContainerSettings.read(LocalStackSettings.findProjectRoot()));
            } else if (args[i].equals("--baseline") && i + 1 < args.length) {
                // Another build of the service (a checkout with target/quarkus-app), measured after this one.
                baseline = Optional.of(Path.of(args[++i]).toAbsolutePath());
            } else if (args[i].equals("--baseline-java") && i + 1 < args.length) {
                // The baseline on another JVM (a JAVA_HOME); without --baseline, this very build on it.
                baselineJava = Optional.of(Path.of(args[++i]).toAbsolutePath());
            } else if (args[i].equals("--aot")) {
                // This build's service (not the baseline) from its AOT cache, as the image's command starts it.
                aot = true;
            } else if (args[i].equals("--tracing")) {
                // This build with tracing off, then at the default sampling, then sampling every trace.
                tracing = true;
            } else if (args[i].equals("--first-jvm") && i + 1 < args.length) {
                // JVM options for this build's service only, not the baseline's: two settings side by side.
                firstJvm = Optional.of(args[++i]);
            } else if (args[i].equals("--service-jvm") && i + 1 < args.length) {
                // The service's JVM options, e.g. the container image's, or a flight recording.
                serviceSettings.merge("JAVA_TOOL_OPTIONS", args[++i], (container, extra) -> container + " " + extra);
            } else {
                System.err.println("usage: " + USAGE + "   (DynamoDB Local in memory instead of on disk; a subset of "
                        + "the patterns; the service with the container image's JVM settings; JVM options for the "
                        + "service, as JAVA_TOOL_OPTIONS, after the container's)");
                System.exit(2);
            }
        }
        if (baselineJava.isPresent() && baseline.isEmpty()) {
            baseline = Optional.of(LocalStackSettings.findProjectRoot().toAbsolutePath());
        }
        if (baseline.isPresent() && !Files.exists(baseline.get().resolve("target/quarkus-app/quarkus-run.jar"))) {
            System.err.println("no target/quarkus-app/quarkus-run.jar in " + baseline.get() + "; build it there first");
            System.exit(2);
        }
        long started = System.nanoTime();
        BenchEnvironment.log("%d cores, Java %s, load average before: %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), BenchEnvironment.loadAverage());
        int exit;
        Map<String, String> firstSettings = new HashMap<>(serviceSettings);
        if (tracing) {
            firstSettings.put("QUARKUS_OTEL_SDK_DISABLED", "true");
        }
        firstJvm.ifPresent(options -> firstSettings.merge("JAVA_TOOL_OPTIONS", options, (before, extra) -> before + " " + extra));
        try (BenchEnvironment env = BenchEnvironment.start(aot ? Optional.empty() : Optional.of(firstSettings), inMemory)) {
            if (aot) {
                // Recorded here, on this stack: packaging (bin/bench-java's first step) rewrites the jar a cache is bound to.
                Path root = LocalStackSettings.findProjectRoot().toAbsolutePath();
                Path cache = root.resolve("target/bench/app.aot");
                AotTraining.Report training = AotTraining.record(root, env.stack(), cache, 3, env.runDir().resolve("aot-training.log"));
                BenchEnvironment.log("AOT cache recorded from %d requests: %d MiB", training.requests(), Files.size(cache) >> 20);
                firstSettings.merge("JAVA_TOOL_OPTIONS", "-XX:AOTCache=" + cache + " -XX:AOTMode=on", (before, extra) -> before + " " + extra);
                env.restartService(firstSettings);
            }
            LoadTarget target = prepare(env);
            exit = run(env, target, patterns);
            BenchEnvironment.log("service memory after the run: %s", ProcessMemory.describe(env.service().pid()));
            if (tracing && exit == 0) {
                exit = compareTracing(env, target, patterns, serviceSettings);
            }
            if (baseline.isPresent() && exit == 0) {
                exit = compare(env, target, patterns, baseline.get(), baselineJava.orElse(Path.of(System.getProperty("java.home"))),
                        serviceSettings);
            }
            BenchEnvironment.log("spans the services exported (to the run's stand-in collector): %s", env.spansReceived());
        }
        BenchEnvironment.log("whole run %.0f s, load average after: %s", BenchEnvironment.seconds(started),
                BenchEnvironment.loadAverage());
        System.exit(exit);
    }

    private static List<String> patterns(String letters) {
        List<String> chosen = new ArrayList<>();
        for (String letter : letters.split(",")) {
            int index = letter.trim().toUpperCase(java.util.Locale.ROOT).charAt(0) - 'A';
            if (letter.trim().length() != 1 || index < 0 || index >= PATTERNS.size()) {
                System.err.println("usage: " + USAGE);
                System.exit(2);
            }
            chosen.add(PATTERNS.get(index));
        }
        return chosen;
    }

    static LoadTarget prepare(BenchEnvironment env) {
        BenchUser caller = env.signedInUser("loadcaller", "Load Caller");
        BenchUser poster = env.signedInUser("loadposter", "Load Poster");
        ConversationFixtures fixtures = new ConversationFixtures(env.dynamo(), LocalDynamoDb.TABLE);
        Instant start = Instant.now().minus(Duration.ofDays(2));
        UUID pageGroup = null;
        for (int i = 0; i < CONVERSATIONS; i++) {
            BenchUser peer = env.peer("loadpeer" + i, "Load Peer " + i);
            UUID group = fixtures.open(caller, peer, start.plus(Duration.ofMinutes(i))).conversation().conversationUuid();
            if (i == 0) {
                pageGroup = group;
                fixtures.addMessages(group, caller, peer, start.plus(Duration.ofHours(1)), PAGE_CONVERSATION_MESSAGES, 1);
            }
        }
        List<UUID> replyGroups = new ArrayList<>();
        List<BenchUser> receivers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            BenchUser replyPeer = env.peer("loadreply" + i, "Load Reply " + i);
            replyGroups.add(fixtures.open(poster, replyPeer, start.plus(Duration.ofMinutes(i))).conversation().conversationUuid());
            BenchUser receiver = env.peer("loadreceiver" + i, "Load Receiver " + i);
            fixtures.open(poster, receiver, start.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(i)));
            receivers.add(receiver);
        }
        BenchEnvironment.log("caller %s: %d conversations, B reads one of %d messages; poster %s: each thread "
                        + "replies (C) and messages by handle (D) in conversations of its own",
                caller.handle(), CONVERSATIONS, PAGE_CONVERSATION_MESSAGES + 1, poster.handle());
        Path cpuDir = env.runDir().resolve("cpu");
        return new LoadTarget(env.service().baseUri().toString(), env.stack().dynamodbEndpoint(), LocalDynamoDb.TABLE,
                env.service().pid(), env.dynamodbPid(), cpuDir.toString(), caller, pageGroup, poster, replyGroups,
                receivers);
    }

    private static int run(BenchEnvironment env, LoadTarget target, List<String> patterns) throws Exception {
        warmUpService(target, patterns);
        Path resultFile = env.projectRoot().resolve("target").resolve("bench").resolve("load.json");
        Files.createDirectories(resultFile.getParent());
        ChainedOptionsBuilder options = new OptionsBuilder()
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
        for (String pattern : patterns) {
            options.include(ServiceLoadBenchmark.class.getName() + "\\." + pattern + "$");
            options.include(DynamoDbLoadBenchmark.class.getName() + "\\." + pattern + "$");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        lastResults = results;
        return printSummary(results, patterns, Path.of(target.cpuDir())) ? 0 : 1;
    }

    /**
     * The same service benchmarks against another build of the service, started on the same stack and
     * data once this one has stopped, then both side by side: throughput and the service's CPU time
     * per request, the figure that noise moves least.
     */
    private static int compare(BenchEnvironment env, LoadTarget target, List<String> patterns, Path baseline, Path baselineJava,
                               Map<String, String> serviceSettings) throws Exception {
        Map<String, Double> current = figures(lastResults, Path.of(target.cpuDir()));
        BenchEnvironment.log("baseline service from %s on %s", baseline, baselineJava);
        Map<String, Double> before = measure(env, target, patterns, baseline, baselineJava, serviceSettings, "baseline");
        String service = ServiceLoadBenchmark.class.getSimpleName() + ".";
        System.out.println();
        System.out.println("This build (Java " + System.getProperty("java.version") + ") against the baseline " + baseline + " on "
                + baselineJava + " (same stack and data, measured one after the other): service ops/s and service CPU µs per request");
        System.out.printf("%-12s | %9s %9s | %9s %9s | %9s%n", "pattern", "ops/s", "CPU µs", "base ops/s", "base CPU", "Δ CPU µs");
        boolean complete = true;
        for (String pattern : patterns) {
            Double cpu = current.get(service + pattern + ".cpu.service");
            Double baseCpu = before.get(service + pattern + ".cpu.service");
            System.out.printf("%-12s | %9s %9s | %9s %9s | %9s%n", pattern.substring(0, 1).toUpperCase(java.util.Locale.ROOT),
                    ops(current.get(service + pattern + ".ops")), micros(cpu), ops(before.get(service + pattern + ".ops")),
                    micros(baseCpu), cpu == null || baseCpu == null ? "n/a" : String.format("%+.0f", cpu - baseCpu));
            complete &= cpu != null && baseCpu != null;
        }
        return complete ? 0 : 1;
    }

    /**
     * This build again, with tracing on: at the default sampling (TRACES_SAMPLE_RATIO unset), then
     * sampling every trace, each exporting to the run's {@link SpanSink}; then all three side by side with the
     * first run's (tracing off): throughput and the service's CPU time per request.
     */
    private static int compareTracing(BenchEnvironment env, LoadTarget target, List<String> patterns,
                                      Map<String, String> serviceSettings) throws Exception {
        Map<String, Double> off = figures(lastResults, Path.of(target.cpuDir()));
        Path root = LocalStackSettings.findProjectRoot().toAbsolutePath();
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<String> labels = List.of("default", "every");
        List<Map<String, Double>> on = new ArrayList<>();
        for (String label : labels) {
            Map<String, String> settings = new HashMap<>(serviceSettings);
            if (label.equals("every")) {
                settings.put("TRACES_SAMPLE_RATIO", "1");
            }
            on.add(measure(env, target, patterns, root, javaHome, settings, "tracing-" + label));
            BenchEnvironment.log("spans received with sampling %s so far: %s", label, env.spansReceived());
        }
        String service = ServiceLoadBenchmark.class.getSimpleName() + ".";
        System.out.println();
        System.out.println("Tracing off, at the default sampling (TRACES_SAMPLE_RATIO 0.05) and sampling every trace (1), this build,"
                + " one after the other on the same stack and data: service ops/s and service CPU µs per request");
        System.out.printf("%-8s | %9s %9s | %9s %9s %7s | %9s %9s %7s%n", "pattern", "off ops/s", "CPU µs", "0.05 ops/s", "CPU µs",
                "Δ CPU", "1.0 ops/s", "CPU µs", "Δ CPU");
        boolean complete = true;
        for (String pattern : patterns) {
            Double base = off.get(service + pattern + ".cpu.service");
            StringBuilder line = new StringBuilder(String.format("%-8s | %9s %9s", pattern.substring(0, 1).toUpperCase(java.util.Locale.ROOT),
                    ops(off.get(service + pattern + ".ops")), micros(base)));
            for (Map<String, Double> variant : on) {
                Double cpu = variant.get(service + pattern + ".cpu.service");
                line.append(String.format(" | %9s %9s %7s", ops(variant.get(service + pattern + ".ops")), micros(cpu),
                        cpu == null || base == null ? "n/a" : String.format("%+.1f%%", 100 * (cpu - base) / base)));
                complete &= cpu != null;
            }
            complete &= base != null;
            System.out.println(line);
        }
        return complete ? 0 : 1;
    }

    /** The service benchmarks of {@code patterns} against the build at {@code root} with {@code settings}, started on the same stack. */
    private static Map<String, Double> measure(BenchEnvironment env, LoadTarget target, List<String> patterns, Path root, Path javaHome,
                                               Map<String, String> settings, String label) throws Exception {
        env.stopService();
        ServiceProcess other = env.startService(root, env.runDir().resolve(label + "-service.log"), settings, javaHome);
        try {
            BenchEnvironment.log("%s service at %s", label, other.baseUri());
            Path cpuDir = env.runDir().resolve("cpu-" + label);
            LoadTarget against = new LoadTarget(other.baseUri().toString(), target.dynamodbEndpoint(), target.table(), other.pid(),
                    target.dynamodbPid(), cpuDir.toString(), target.caller(), target.pageGroup(), target.poster(), target.replyGroups(),
                    target.receivers());
            warmUpService(against, patterns);
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .mode(Mode.SampleTime)
                    .timeUnit(TimeUnit.MILLISECONDS)
                    .threads(THREADS)
                    .shouldFailOnError(false)
                    .jvmArgsAppend(against.asJvmArgs().toArray(String[]::new));
            for (String pattern : patterns) {
                options.include(ServiceLoadBenchmark.class.getName() + "\\." + pattern + "$");
            }
            Map<String, Double> figures = figures(new Runner(options.build()).run(), cpuDir);
            BenchEnvironment.log("%s service memory after the run: %s", label, ProcessMemory.describe(other.pid()));
            return figures;
        } finally {
            other.close();
        }
    }

    /**
     * Loads the service with the chosen patterns before anything is measured. Its JVM lives through
     * all the forks and needs about a minute of load on two busy cores before its JIT settles, much
     * longer than one benchmark's warm-up; without this, the first service benchmark measures compilation.
     */
    private static void warmUpService(LoadTarget target, List<String> patterns) throws Exception {
        long started = System.nanoTime();
        BenchEnvironment.log("warming up the service: %d s of each of %s at %d threads (not measured)",
                SERVICE_WARMUP.getTime(), patterns, THREADS);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .mode(Mode.SampleTime)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(SERVICE_WARMUP)
                .threads(THREADS)
                .verbosity(VerboseMode.SILENT)
                .jvmArgsAppend(target.asJvmArgs().toArray(String[]::new));
        for (String pattern : patterns) {
            options.include(ServiceLoadBenchmark.class.getName() + "\\." + pattern + "$");
        }
        Collection<RunResult> warmUp = new Runner(options.build()).run();
        if (warmUp.size() != patterns.size()) {
            throw new IllegalStateException("the service warm-up failed; run again for JMH's report");
        }
        BenchEnvironment.log("service warmed up in %.0f s", BenchEnvironment.seconds(started));
    }

    /**
     * Operations per second over the measurement iterations: JMH counts every operation in SampleTime
     * mode (it times only a sample of them), for the configured length of each iteration.
     */
    static double throughput(RunResult result) {
        return measuredOps(result) / measuredSeconds(result);
    }

    private static long measuredOps(RunResult result) {
        long operations = 0;
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
                operations += iteration.getMetadata().getMeasuredOps();
            }
        }
        return operations;
    }

    private static double measuredSeconds(RunResult result) {
        double seconds = 0;
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
                seconds += iteration.getParams().getTime().convertTo(TimeUnit.MILLISECONDS) / 1000.0;
            }
        }
        return seconds;
    }

    /** Throughput, p50, p99 and CPU time per operation of each benchmark, by "Class.pattern.figure". */
    private static Map<String, Double> figures(Collection<RunResult> results, Path cpuDir) throws java.io.IOException {
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
            Path cpu = CpuWindow.file(cpuDir, benchmark);
            if (Files.exists(cpu)) {
                long ops = measuredOps(result);
                for (String line : Files.readAllLines(cpu)) {
                    String[] parts = line.split("=");
                    figures.put(key + ".cpu." + parts[0], Long.parseLong(parts[1]) / 1000.0 / ops);
                }
            }
        }
        return figures;
    }

    /** The results of the last full run, for the comparison with a baseline. */
    private static Collection<RunResult> lastResults = List.of();

    /** Prints one row per pattern in each of the two summaries; false when a benchmark produced no result. */
    private static boolean printSummary(Collection<RunResult> results, List<String> patterns, Path cpuDir) throws Exception {
        Map<String, Double> figures = figures(results, cpuDir);
        String service = ServiceLoadBenchmark.class.getSimpleName() + ".";
        String sdk = DynamoDbLoadBenchmark.class.getSimpleName() + ".";
        Map<String, String> labels = Map.of(
                "a_conversations", "A  GET /api/message_groups     | Query",
                "b_newestPage", "B  GET /api/messages/{group}   | Query",
                "c_reply", "C  POST /api/messages (reply)  | PutItem, Query, move",
                "d_messageByHandle", "D  POST /api/messages (handle) | GetItem, C");
        System.out.println();
        System.out.printf("Summary: %d threads; latency in ms; ratio = service ops/s / SDK ops/s%n", THREADS);
        System.out.printf("%-52s | %9s %7s %7s | %9s %7s %7s | %6s%n",
                "pattern", "svc ops/s", "p50", "p99", "SDK ops/s", "p50", "p99", "ratio");
        System.out.println("-".repeat(52) + "-+-" + "-".repeat(25) + "-+-" + "-".repeat(25) + "-+-" + "-".repeat(6));
        boolean complete = true;
        for (String pattern : patterns) {
            complete &= row(figures, labels.get(pattern), service + pattern, sdk + pattern);
        }
        System.out.println();
        System.out.println("CPU time per operation, µs, of each process during the measurement iterations"
                + " (/proc/<pid>/stat; JIT and GC threads included)");
        System.out.printf("%-52s | %8s %8s %8s | %8s %8s | %9s %9s%n", "pattern", "service", "DDB Local", "HTTP client",
                "SDK client", "DDB Local", "svc/DDB", "svc-SDK");
        System.out.println("-".repeat(52) + "-+-" + "-".repeat(28) + "-+-" + "-".repeat(19) + "-+-" + "-".repeat(19));
        for (String pattern : patterns) {
            complete &= cpuRow(figures, labels.get(pattern), service + pattern, sdk + pattern);
        }
        return complete;
    }

    private static boolean row(Map<String, Double> figures, String label, String service, String sdk) {
        Double serviceOps = figures.get(service + ".ops");
        Double sdkOps = figures.get(sdk + ".ops");
        System.out.printf("%-52s | %9s %7s %7s | %9s %7s %7s | %6s%n", label,
                ops(serviceOps), millis(figures.get(service + ".p50")), millis(figures.get(service + ".p99")),
                ops(sdkOps), millis(figures.get(sdk + ".p50")), millis(figures.get(sdk + ".p99")),
                serviceOps == null || sdkOps == null ? "n/a" : String.format("%.2f", serviceOps / sdkOps));
        return serviceOps != null && sdkOps != null && figures.containsKey(service + ".p99") && figures.containsKey(sdk + ".p99");
    }

    private static boolean cpuRow(Map<String, Double> figures, String label, String service, String sdk) {
        Double serviceCpu = figures.get(service + ".cpu.service");
        Double storeCpu = figures.get(service + ".cpu.dynamodb");
        Double httpClientCpu = figures.get(service + ".cpu.client");
        Double sdkCpu = figures.get(sdk + ".cpu.client");
        Double sdkStoreCpu = figures.get(sdk + ".cpu.dynamodb");
        System.out.printf("%-52s | %8s %9s %11s | %10s %9s | %9s %9s%n", label, micros(serviceCpu), micros(storeCpu),
                micros(httpClientCpu), micros(sdkCpu), micros(sdkStoreCpu),
                serviceCpu == null || storeCpu == null ? "n/a" : String.format("%.2f", serviceCpu / storeCpu),
                serviceCpu == null || sdkCpu == null ? "n/a" : String.format("%+.0f", serviceCpu - sdkCpu));
        return serviceCpu != null && storeCpu != null && sdkCpu != null;
    }

    private static String micros(Double value) {
        return value == null ? "n/a" : String.format("%.0f", value);
    }

    private static String ops(Double value) {
        return value == null ? "n/a" : String.format("%.0f", value);
    }

    private static String millis(Double value) {
        return value == null ? "n/a" : String.format("%.2f", value);
    }
}
