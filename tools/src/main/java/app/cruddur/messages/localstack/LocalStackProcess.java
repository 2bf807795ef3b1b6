package app.cruddur.messages.localstack;

import app.cruddur.messages.user.cognito.CognitoUserPool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Starts the embedded local stack (the {@code local-stack/} project: DynamoDB Local, PostgreSQL,
 * cognito-local, Redis, a KMS-compatible endpoint) as a child JVM, for dev mode and the tests. It is never used in production.
 *
 * <p>Dev-mode live reload and Quarkus test restarts replace the application's class loaders, so the
 * running stack is registered JVM-wide as the platform MBean {@link #MBEAN}, and later class loaders
 * find it through {@link #current()}.
 */
public final class LocalStackProcess {

    static final String MBEAN = "app.cruddur:type=LocalStack";
    /** Every user of the local pool has this password (bin/local-token uses it too); the pool exists only locally. */
    public static final String LOCAL_PASSWORD = "Cruddur-local-1";
    private static final String READY = "LOCAL-STACK-READY ";
    private static final String FAILED = "LOCAL-STACK-FAILED ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> coordinates;
    private final Function<String, String> commands;

    private LocalStackProcess(Map<String, Object> coordinates, Function<String, String> commands) {
        this.coordinates = coordinates;
        this.commands = commands;
    }

    /** Whether this JVM runs a local stack. */
    public static boolean running() {
        return mbeans().isRegistered(name());
    }

    /** The stack this JVM started. */
    @SuppressWarnings("unchecked")
    public static LocalStackProcess current() {
        if (!running()) {
            throw new LocalStackException("the local stack is not running in this JVM");
        }
        try {
            String json = (String) mbeans().getAttribute(name(), "Coordinates");
            Map<String, Object> coordinates = JSON.readValue(json, Map.class);
            return new LocalStackProcess(coordinates, line -> {
                try {
                    return (String) mbeans().invoke(name(), "command", new Object[] {line},
                            new String[] {String.class.getName()});
                } catch (javax.management.MBeanException e) {
                    throw new LocalStackException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                } catch (javax.management.JMException e) {
                    throw new LocalStackException("the local stack is not reachable: " + e.getMessage());
                }
            });
        } catch (javax.management.JMException | IOException e) {
            throw new LocalStackException("cannot read the local stack's coordinates: " + e.getMessage());
        }
    }

    private static javax.management.MBeanServer mbeans() {
        return java.lang.management.ManagementFactory.getPlatformMBeanServer();
    }

    private static javax.management.ObjectName name() {
        try {
            return new javax.management.ObjectName(MBEAN);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the stack unless this JVM already runs one, and returns it. */
    public static synchronized LocalStackProcess startOrReuse(LocalStackSettings settings) {
        if (running()) {
            return current();
        }
        Path root = settings.projectRoot();
        ensureBuilt(root);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", runnerClasspath(root),
                "app.cruddur.localstack.LocalStackMain",
                "--dynamodb-port", Integer.toString(settings.dynamodbPort()),
                "--postgres-port", Integer.toString(settings.postgresPort()),
                "--cognito-port", Integer.toString(settings.cognitoPort()),
                "--redis-port", Integer.toString(settings.redisPort()),
                "--kms-port", Integer.toString(settings.kmsPort()),
                "--cognito-package-dir", root.resolve("local-stack").resolve("cognito").toString(),
                "--work-dir", settings.workDir().toString()));
        settings.dataDir().ifPresent(dir -> command.addAll(List.of("--data-dir", dir.toString())));
        settings.coordinatesFile().ifPresent(file -> command.addAll(List.of("--coordinates-file", file.toString())));
        try {
            Files.createDirectories(settings.workDir());
            Process process = new ProcessBuilder(command).directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String line;
            while ((line = out.readLine()) != null && !line.startsWith(READY)) {
                if (line.startsWith(FAILED)) {
                    throw new LocalStackException(line.substring(FAILED.length()));
                }
            }
            if (line == null) {
                throw new LocalStackException("the local stack exited with " + process.waitFor() + " before it was ready");
            }
            mbeans().registerMBean(new LocalStackControl(line.substring(READY.length()), new CommandChannel(in, out)), name());
            // Closing stdin tells the stack to stop; it also stops by itself if this JVM dies.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, in), "local-stack-stop"));
            return current();
        } catch (IOException | javax.management.JMException e) {
            throw new LocalStackException("could not start the local stack: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while starting the local stack");
        }
    }

    /** Sends a control command (see LocalStack.command in local-stack/) and returns its reply. */
    public String command(String line) {
        return commands.apply(line);
    }

    public String dynamodbEndpoint() {
        return (String) coordinates.get("dynamodbEndpoint");
    }

    /** The stack's Redis-protocol server, {@code redis://localhost:<port>}. */
    public String redisUrl() {
        return (String) coordinates.get("redisUrl");
    }

    /** The stack's KMS-compatible endpoint and the ARN of its one key. */
    public String kmsEndpoint() {
        return (String) coordinates.get("kmsEndpoint");
    }

    public String kmsKeyId() {
        return (String) coordinates.get("kmsKeyId");
    }

    public String cognitoEndpoint() {
        return (String) coordinates.get("cognitoEndpoint");
    }

    public String cognitoIssuer() {
        return (String) coordinates.get("cognitoIssuer");
    }

    public String cognitoClientId() {
        return (String) coordinates.get("cognitoClientId");
    }

    /** The private key cognito-local signs with (tests use it to build expired or foreign tokens). */
    public Path cognitoKeyFile() {
        return Path.of((String) coordinates.get("cognitoSigningKeyFile"));
    }

    /** The local Cognito's user pool. */
    public CognitoUserPool cognitoPool() {
        return CognitoUserPool.local(URI.create(cognitoEndpoint() + "/"), (String) coordinates.get("cognitoUserPoolId"));
    }

    /**
     * Creates the Cognito user when missing, as Cruddur's sign-up does (user name = the email,
     * preferred_username = the handle, name = the display name, email verified; password
     * {@link #LOCAL_PASSWORD}), and returns its {@code sub}.
     */
    public String ensureCognitoUser(String handle, String email, String displayName) {
        return ensureLocalUser(cognitoPool(), handle, email, displayName);
    }

    /** The same for any local pool (bin/db/setup works from the coordinates file, not from this JVM). */
    public static String ensureLocalUser(CognitoUserPool pool, String handle, String email, String displayName) {
        return pool.ensureUser(email, Map.of("preferred_username", handle, "email", email, "email_verified", "true",
                "name", displayName), LOCAL_PASSWORD).sub();
    }

    /** Signs a local user in with their email, as the frontend does; returns Cognito's AuthenticationResult. */
    public JsonNode signIn(String email, String clientId) {
        return cognitoPool().signIn(clientId == null ? cognitoClientId() : clientId, email, LOCAL_PASSWORD);
    }

    /** Where the stack's parts listen, as in its coordinates file. */
    public Map<String, Object> coordinates() {
        return Map.copyOf(coordinates);
    }

    /** The configuration that points the service at this stack. */
    public Map<String, String> serviceConfig() {
        String host = (String) coordinates.get("postgresHost");
        Object port = coordinates.get("postgresPort");
        String database = (String) coordinates.get("postgresDatabase");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.dynamodb.endpoint-override", dynamodbEndpoint());
        config.put("quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + database);
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + host + ":" + port + "/" + database);
        config.put("quarkus.datasource.username", (String) coordinates.get("postgresUser"));
        config.put("quarkus.datasource.password", (String) coordinates.get("postgresPassword"));
        config.put("quarkus.oidc.auth-server-url", cognitoIssuer());
        config.put("quarkus.oidc.client-id", cognitoClientId());
        config.put("quarkus.redis.events.hosts", redisUrl());
        config.put("cruddur.messages.encryption.kms-endpoint", kmsEndpoint());
        config.put("cruddur.messages.encryption.kms-key-id", kmsKeyId());
        return config;
    }

    private static void stop(Process process, Writer in) {
        try {
            in.close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** Builds local-stack/ with this project's Maven wrapper when its sources are newer than its build. */
    private static void ensureBuilt(Path root) {
        Path project = root.resolve("local-stack");
        Path marker = project.resolve("target").resolve("lib").resolve(".complete");
        try {
            if (Files.exists(marker) && newestSource(project).compareTo(Files.getLastModifiedTime(marker)) <= 0) {
                return;
            }
            Path log = Files.createDirectories(root.resolve("target")).resolve("local-stack-build.log");
            Process maven = new ProcessBuilder(root.resolve("mvnw").toString(), "-B", "-q", "-f",
                    project.resolve("pom.xml").toString(), "compile", "dependency:copy-dependencies",
                    "-DincludeScope=runtime", "-DoutputDirectory=target/lib")
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!maven.waitFor(10, TimeUnit.MINUTES) || maven.exitValue() != 0) {
                throw new LocalStackException("building local-stack/ failed; see " + log);
            }
            Files.writeString(marker, "");
        } catch (IOException e) {
            throw new LocalStackException("could not build local-stack/: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while building local-stack/");
        }
    }

    private static FileTime newestSource(Path project) throws IOException {
        try (Stream<Path> files = Stream.concat(Stream.of(project.resolve("pom.xml")), Files.walk(project.resolve("src")))) {
            FileTime newest = FileTime.fromMillis(0);
            for (Path file : files.toList()) {
                FileTime time = Files.getLastModifiedTime(file);
                if (time.compareTo(newest) > 0) {
                    newest = time;
                }
            }
            return newest;
        }
    }

    private static String runnerClasspath(Path root) {
        Path target = root.resolve("local-stack").resolve("target");
        return target.resolve("classes") + java.io.File.pathSeparator + target.resolve("lib") + "/*";
    }

    /** A line-oriented request/reply channel to the stack's standard input and output. */
    private static final class CommandChannel implements Function<String, String> {
        private final Writer in;
        private final BufferedReader out;

        CommandChannel(Writer in, BufferedReader out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public synchronized String apply(String line) {
            try {
                in.write(line + "\n");
                in.flush();
                String reply = out.readLine();
                if (reply == null) {
                    throw new LocalStackException("the local stack has stopped");
                }
                if (!reply.startsWith("OK ")) {
                    throw new LocalStackException("local stack command '" + line + "' failed: " + reply);
                }
                return reply.substring(3);
            } catch (IOException e) {
                throw new LocalStackException("the local stack is not reachable: " + e.getMessage());
            }
        }
    }

}
