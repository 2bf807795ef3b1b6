package app.cruddur.messages.bench;

import app.cruddur.messages.support.LocalDynamoDb;

import app.cruddur.messages.support.ServiceProcess;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.localstack.LocalStackSettings;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.table.MessagesTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * What every benchmark runs against: the embedded local stack, started the way the tests start it
 * (free ports, data on disk in a fresh directory), optionally the packaged service pointed at it,
 * and a DynamoDB client of its own for fixtures and for the direct-SDK ceiling.
 */
final class BenchEnvironment implements AutoCloseable {

    private final Path projectRoot;
    private final Path runDir;
    private final LocalStackProcess stack;
    private ServiceProcess service;
    private int serviceStarts;
    private final DynamoDbAsyncClient dynamo;
    private final SpanSink collector;

    private BenchEnvironment(Path projectRoot, Path runDir, LocalStackProcess stack, DynamoDbAsyncClient dynamo) {
        this.projectRoot = projectRoot;
        this.runDir = runDir;
        this.stack = stack;
        this.dynamo = dynamo;
        try {
            this.collector = new SpanSink();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open the spans' endpoint", e);
        }
    }

    /**
     * Another service beside this run's own (a baseline, a second instance), built at {@code root},
     * on the same stack, on the JVM at {@code javaHome}, sending its spans where this run's do.
     */
    ServiceProcess startService(Path root, Path log, Map<String, String> settings, Path javaHome) {
        return ServiceProcess.start(root, stack, log, withCollector(settings), javaHome);
    }

    /** As {@link #startService(Path, Path, Map, Path)}, on the JVM that runs the benchmark. */
    ServiceProcess startService(Path root, Path log, Map<String, String> settings) {
        return startService(root, log, settings, Path.of(System.getProperty("java.home")));
    }

    /**
     * {@code settings} with the service's spans sent to this run's {@link SpanSink}, as they go to the
     * collector beside the service in AWS: without one, the sampled traces' exports fail, which costs
     * and logs what production does not.
     */
    private Map<String, String> withCollector(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
        all.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        return all;
    }

    /** What the services of this run exported so far. */
    String spansReceived() {
        return collector.describe();
    }

    /**
     * Starts the stack and, with {@code withService}, the packaged service, which applies the
     * migrations and creates the table. Without the service the table is created here, from the same
     * definition. DynamoDB Local keeps its data on disk as in the tests, or in memory as in dev mode.
     */
    static BenchEnvironment start(boolean withService, boolean dynamoDbInMemory) {
        return start(withService ? Optional.of(Map.of()) : Optional.empty(), dynamoDbInMemory);
    }

    /** As {@link #start(boolean, boolean)}, the service started with these settings (environment variables) on top. */
    static BenchEnvironment start(Optional<Map<String, String>> serviceSettings, boolean dynamoDbInMemory) {
        Path root = LocalStackSettings.findProjectRoot();
        Path benchDir = root.resolve("target").resolve("bench");
        removeStaleRuns(benchDir);
        Path run = benchDir.resolve("stack-" + ProcessHandle.current().pid());
        long started = System.nanoTime();
        LocalStackProcess stack = LocalStackProcess.startOrReuse(new LocalStackSettings(root, 0, 0, 0, 0, 0,
                dynamoDbInMemory ? Optional.empty() : Optional.of(run), run, Optional.empty()));
        log("local stack ready in %.1f s (DynamoDB Local %s, data %s)", seconds(started), stack.dynamodbEndpoint(),
                dynamoDbInMemory ? "in memory" : "on disk in " + root.relativize(run));
        DynamoDbAsyncClient dynamo = LocalDynamoDb.client(stack.dynamodbEndpoint());
        BenchEnvironment env = new BenchEnvironment(root, run, stack, dynamo);
        if (serviceSettings.isPresent()) {
            env.restartService(serviceSettings.get());
        } else {
            createTable(dynamo);
        }
        return env;
    }

    /**
     * Stops the service if it runs and starts it again with these settings on top, on the same stack
     * and data (the migrations and the table are already there after the first start).
     */
    ServiceProcess restartService(Map<String, String> settings) {
        stopService();
        long started = System.nanoTime();
        serviceStarts++;
        Path serviceLog = runDir.resolve(serviceStarts == 1 ? "service.log" : "service-" + serviceStarts + ".log");
        service = startService(projectRoot, serviceLog, settings);
        log("service (quarkus-run.jar, prod profile%s) ready in %.1f s at %s, log in %s",
                settings.isEmpty() ? "" : ", " + settings, seconds(started), service.baseUri(),
                projectRoot.relativize(serviceLog));
        return service;
    }

    /** Stops the service; the stack and its data stay. */
    void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    LocalStackProcess stack() {
        return stack;
    }

    ServiceProcess service() {
        if (service == null) {
            throw new IllegalStateException("no service running (started without it, or stopped)");
        }
        return service;
    }

    /**
     * The local stack's JVM, which runs DynamoDB Local (PostgreSQL and cognito-local are processes
     * of their own): its CPU time is DynamoDB Local's, plus an idle control loop.
     */
    long dynamodbPid() {
        return ProcessHandle.current().children()
                .filter(child -> child.info().commandLine().map(line -> line.contains("LocalStackMain")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("the local stack's JVM is not a child of this one"))
                .pid();
    }

    DynamoDbAsyncClient dynamo() {
        return dynamo;
    }

    Path runDir() {
        return runDir;
    }

    Path projectRoot() {
        return projectRoot;
    }

    /** A user who signs in: a Cognito user, their users row linked to its sub, and an access token. */
    BenchUser signedInUser(String handle, String displayName) {
        String email = handle + "@cruddur.test";
        String sub = stack.ensureCognitoUser(handle, email, displayName);
        UUID uuid = UUID.randomUUID();
        insertUser(uuid, handle, displayName, sub);
        String token = stack.signIn(email, null).path("AccessToken").asText();
        if (token.isEmpty()) {
            throw new IllegalStateException("the local Cognito gave no access token for " + handle);
        }
        return new BenchUser(uuid, handle, displayName, token);
    }

    /** A user who is only someone to talk to: a users row, no Cognito user, no token. */
    BenchUser peer(String handle, String displayName) {
        UUID uuid = UUID.randomUUID();
        insertUser(uuid, handle, displayName, null);
        return new BenchUser(uuid, handle, displayName, null);
    }

    @Override
    public void close() {
        stopService();
        collector.close();
        dynamo.close();
        // The stack stops when this JVM exits (LocalStackProcess' shutdown hook); its data directory
        // is removed by the next run.
    }

    /** Reads the command line every benchmark accepts: nothing, or {@code --in-memory}. */
    static boolean dynamoDbInMemory(String[] args, String usage) {
        if (args.length == 0) {
            return false;
        }
        if (args.length == 1 && args[0].equals("--in-memory")) {
            return true;
        }
        System.err.println("usage: " + usage + " [--in-memory]   (DynamoDB Local in memory instead of on disk)");
        System.exit(2);
        return false;
    }

    static void log(String format, Object... args) {
        System.out.printf("# " + format + "%n", args);
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine skews every figure. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private void insertUser(UUID uuid, String handle, String displayName, String sub) {
        try {
            UsersTable.insert(stack, uuid, handle, displayName, sub);
        } catch (SQLException e) {
            throw new IllegalStateException("could not insert user " + handle + " (the service applies the migrations: "
                    + "start it first): " + e.getMessage(), e);
        }
    }

    private static void createTable(DynamoDbAsyncClient dynamo) {
        try {
            dynamo.createTable(MessagesTable.createTableRequest(LocalDynamoDb.TABLE, LocalDynamoDb.GROUP_INDEX)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw e;
            }
        }
    }

    /** Deletes the data directories of earlier runs whose JVM has gone. */
    private static void removeStaleRuns(Path benchDir) {
        if (!Files.isDirectory(benchDir)) {
            return;
        }
        try (Stream<Path> runs = Files.list(benchDir)) {
            for (Path run : runs.filter(p -> p.getFileName().toString().startsWith("stack-")).toList()) {
                String pid = run.getFileName().toString().substring("stack-".length());
                boolean alive = pid.chars().allMatch(Character::isDigit)
                        && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    deleteRecursively(run);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
