package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child process, in the prod
 * profile, configured through the environment exactly as a deployment would be (see
 * {@code bin/bench-startup}), but with the endpoints of the given local stack.
 */
public final class ServiceProcess implements AutoCloseable {

    /** How long a start may take before it counts as failed. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final URI baseUri;
    private final URI managementUri;

    private ServiceProcess(Process process, URI baseUri, URI managementUri) {
        this.process = process;
        this.baseUri = baseUri;
        this.managementUri = managementUri;
    }

    public static ServiceProcess start(Path projectRoot, LocalStackProcess stack, Path log) {
        return start(projectRoot, stack, log, Map.of());
    }

    /** As {@link #start(Path, LocalStackProcess, Path)}, with further settings (environment variables) on top. */
    public static ServiceProcess start(Path projectRoot, LocalStackProcess stack, Path log, Map<String, String> settings) {
        return start(projectRoot, stack, log, settings, Path.of(System.getProperty("java.home")));
    }

    /** As {@link #start(Path, LocalStackProcess, Path, Map)}, on the JVM at {@code javaHome}. */
    public static ServiceProcess start(Path projectRoot, LocalStackProcess stack, Path log, Map<String, String> settings, Path javaHome) {
        return start(projectRoot, stack, log, settings, javaHome, List.of());
    }

    /** As {@link #start(Path, LocalStackProcess, Path, Map, Path)}, with these JVM options before {@code -jar}. */
    public static ServiceProcess start(Path projectRoot, LocalStackProcess stack, Path log, Map<String, String> settings, Path javaHome,
                                       List<String> jvmOptions) {
        int port = freePort();
        int managementPort = freePort();
        ProcessBuilder builder = command(projectRoot, stack, log, settings, port, managementPort, javaHome, jvmOptions);
        try {
            ServiceProcess service = new ServiceProcess(builder.start(), URI.create("http://localhost:" + port),
                    URI.create("http://localhost:" + managementPort));
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "service-stop"));
            service.awaitReady(log);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + builder.command(), e);
        }
    }

    /** How a run that ends by itself ended ({@code QUARKUS_INIT_AND_EXIT=true}). */
    public record Exit(int code, Duration took) {
    }

    /**
     * Runs the packaged service with the same environment as {@link #start} until it exits by
     * itself, as an init run does; stops it and fails after {@code timeout}.
     */
    public static Exit run(Path projectRoot, LocalStackProcess stack, Path log, Map<String, String> settings, Duration timeout) {
        return run(projectRoot, stack, log, settings, timeout, List.of());
    }

    /** As {@link #run(Path, LocalStackProcess, Path, Map, Duration)}, with these JVM options before {@code -jar}. */
    public static Exit run(Path projectRoot, LocalStackProcess stack, Path log, Map<String, String> settings, Duration timeout,
                           List<String> jvmOptions) {
        ProcessBuilder builder = command(projectRoot, stack, log, settings, freePort(), freePort(), Path.of(System.getProperty("java.home")),
                jvmOptions);
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("the run had not exited after " + timeout.toSeconds() + " s; see " + log);
            }
            return new Exit(process.exitValue(), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + builder.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ProcessBuilder command(Path projectRoot, LocalStackProcess stack, Path log, Map<String, String> settings,
                                          int port, int managementPort, Path javaHome, List<String> jvmOptions) {
        Path jar = projectRoot.resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with ./mvnw package -DskipTests");
        }
        List<String> line = new java.util.ArrayList<>();
        line.add(javaHome.resolve("bin").resolve("java").toString());
        line.addAll(jvmOptions);
        line.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(projectRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment(stack, port, managementPort, settings));
        return builder;
    }

    /**
     * The service's environment on the local stack, as a deployment configures it (the endpoints
     * aside), listening on these ports, with {@code settings} on top: for a JVM or a container.
     */
    public static Map<String, String> environment(LocalStackProcess stack, int port, int managementPort, Map<String, String> settings) {
        Map<String, String> config = stack.serviceConfig();
        String issuer = stack.cognitoIssuer();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", stack.dynamodbEndpoint());
        env.put("CRUDDUR_MESSAGES_TABLE_CREATE_IF_MISSING", "true");
        env.put("POSTGRES_URL", config.get("quarkus.datasource.reactive.url"));
        env.put("POSTGRES_USER", config.get("quarkus.datasource.username"));
        env.put("POSTGRES_PASSWORD", config.get("quarkus.datasource.password"));
        env.put("POSTGRES_SSL_MODE", "disable");
        env.put("COGNITO_USER_POOL_ID", issuer.substring(issuer.lastIndexOf('/') + 1));
        env.put("COGNITO_APP_CLIENT_ID", stack.cognitoClientId());
        env.put("REDIS_URL", stack.redisUrl());
        // The local stack's KMS key, as MESSAGES_KMS_KEY_ID names the stack's key in AWS; the key table made as in dev.
        env.put("MESSAGES_KMS_KEY_ID", stack.kmsKeyId());
        env.put("CRUDDUR_MESSAGES_ENCRYPTION_KMS_ENDPOINT", stack.kmsEndpoint());
        env.put("CRUDDUR_MESSAGES_ENCRYPTION_CREATE_KEY_TABLE_IF_MISSING", "true");
        // The prod issuer is Cognito's AWS URL; the local pool issues tokens under its own.
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", issuer);
        // Tests and benchmarks post hundreds of messages as one user; those of the limits turn them on.
        env.put("CRUDDUR_MESSAGES_RATE_LIMITS_ENABLED", "false");
        env.putAll(settings);
        return env;
    }

    public URI baseUri() {
        return baseUri;
    }

    /** The management interface: health and metrics. */
    public URI managementUri() {
        return managementUri;
    }

    /** The service's process id, to read its resident memory or CPU time. */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    /**
     * Stops the service as ECS does (SIGTERM), and kills it after {@code grace}: longer for a JVM that
     * writes something at exit (an AOT cache). Returns the exit code, or -1 if it was killed.
     */
    public int stop(Duration grace) {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return -1;
    }

    private void awaitReady(Path log) {
        if (!awaitReady(process, managementUri, log)) {
            close();
            throw new IllegalStateException("the service was not ready after " + READY_TIMEOUT.toSeconds() + " s; see " + log);
        }
    }

    /**
     * Waits until the service that {@code process} runs (a JVM, or a container of the image) answers
     * 200 on {@code /q/health/ready} of {@code managementUri}; false after {@link #READY_TIMEOUT}. Fails
     * at once, naming {@code log}, if the process exits first.
     */
    public static boolean awaitReady(Process process, URI managementUri, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(managementUri.resolve("/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep(100);
        }
        return false;
    }

    /** A port free now, for a service to listen on. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
