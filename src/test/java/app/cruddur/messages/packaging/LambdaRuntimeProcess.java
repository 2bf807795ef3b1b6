package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * AWS's Lambda Java runtime (the runtime interface client in target/lambda-runtime/) running a
 * Lambda artifact in a JVM of its own, as Lambda's java17 runtime does: the artifact extracted
 * into a task root that is the working directory (the client builds the function's class loader
 * from it: the root itself, then its {@code lib/*.jar}), the runtime's jars alone on the class
 * path, the java17 runtime's JVM options, and Lambda's environment only.
 */
final class LambdaRuntimeProcess implements AutoCloseable {

    static final String MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The stream projection's function, the name {@link #start} without one gives. */
    static final String FUNCTION_NAME = "cruddur-messages-projection";
    static final int MEMORY_MB = 512;
    private static final String CLIENT = "aws-lambda-java-runtime-interface-client-";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final Process process;
    private final Path log;

    private LambdaRuntimeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the runtime on the artifact {@code jar} with {@code handler}, against the Runtime API
     * {@code api}; {@code functionEnv} are the function's own variables.
     */
    static LambdaRuntimeProcess start(Path jar, String handler, Path runtimeDir, Path workDir, RuntimeApiStub api,
                                      Map<String, String> functionEnv) throws IOException {
        return start(FUNCTION_NAME, jar, handler, runtimeDir, workDir, api, functionEnv);
    }

    /** The same for the function named {@code functionName} (its Runtime API stub should carry the same name). */
    static LambdaRuntimeProcess start(String functionName, Path jar, String handler, Path runtimeDir, Path workDir,
                                      RuntimeApiStub api, Map<String, String> functionEnv) throws IOException {
        // Absolute: the runtime's working directory is the task root.
        Path work = Files.createDirectories(workDir.toAbsolutePath());
        Path taskRoot = extract(jar, work.resolve("task"));
        Path client = runtimeClient(runtimeDir.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of(
                lambdaJava().toString(),
                "-XX:MaxHeapSize=" + (MEMORY_MB * 1024 * 85 / 100) + "k",
                "-XX:+UseSerialGC", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-XX:+ErrorFileToStderr",
                // Lambda points the client at its native library; left alone it unpacks it to a fixed /tmp path.
                "-D" + JNI_PROPERTY + "=" + nativeLibrary(client, work),
                "-classpath", classPath(client),
                MAIN, handler));
        Path log = work.resolve("runtime.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(lambdaEnvironment(functionName, taskRoot, handler, api));
        env.putAll(functionEnv);
        return new LambdaRuntimeProcess(builder.start(), log);
    }

    /** The Java of the functions' runtime (infra's JavaLambdas.RUNTIME). */
    static final int LAMBDA_JAVA = 25;

    /** The functions run on Lambda's Java 25: so do they here, on the JDK the build runs on (bin/java-home). */
    static Path lambdaJava() {
        if (Runtime.version().feature() != LAMBDA_JAVA) {
            throw new IllegalStateException("the functions run on Java " + LAMBDA_JAVA + ", the tests on " + Runtime.version());
        }
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Map<String, String> lambdaEnvironment(String functionName, Path taskRoot, String handler,
                                                         RuntimeApiStub api) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(MEMORY_MB));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/01/01/[$LATEST]" + "0".repeat(32));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        return env;
    }

    /** The function's answer to {@code event}: the body the runtime posted to the invocation's response. */
    String invoke(RuntimeApiStub api, String event, Duration timeout) {
        RuntimeApiStub.Answer posted = answer(api, event, timeout);
        if (!posted.endpoint().equals("response")) {
            fail("the invocation failed (" + posted.errorType() + "): " + posted.body() + "\n" + output());
        }
        return posted.body();
    }

    /** What the runtime posted for {@code event}: its response, or the error the function ended with. */
    RuntimeApiStub.Answer answer(RuntimeApiStub api, String event, Duration timeout) {
        CompletableFuture<RuntimeApiStub.Answer> answer = api.submit(event);
        CompletableFuture<Object> first = CompletableFuture.anyOf(answer, api.initError(), process.onExit());
        try {
            first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("the runtime answered nothing within " + timeout + "\n" + output());
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (api.initError().isDone()) {
            fail("the runtime could not start the function: " + api.initError().join() + "\n" + output());
        }
        if (!answer.isDone()) {
            fail("the runtime exited with " + process.exitValue() + " before it answered\n" + output());
        }
        return answer.join();
    }

    /** What the runtime and the function printed (Lambda's log stream). */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As Lambda does with a deployment package: its entries, unpacked into a fresh task root. */
    private static Path extract(Path jar, Path taskRoot) throws IOException {
        if (Files.exists(taskRoot)) {
            try (Stream<Path> old = Files.walk(taskRoot)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(taskRoot);
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                Path target = taskRoot.resolve(entry.getName()).normalize();
                if (!target.startsWith(taskRoot)) {
                    throw new IOException("an entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return taskRoot;
    }

    private static Path runtimeClient(Path runtimeDir) throws IOException {
        if (!Files.isDirectory(runtimeDir)) {
            fail(runtimeDir + " is missing: the build's pre-integration-test phase copies the Lambda runtime there");
        }
        try (Stream<Path> jars = Files.list(runtimeDir)) {
            return jars.filter(path -> path.getFileName().toString().startsWith(CLIENT)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + CLIENT + "*.jar in " + runtimeDir));
        }
    }

    /** The client and the jars its manifest's Class-Path names, each of which must be beside it. */
    private static String classPath(Path client) throws IOException {
        List<String> entries = new ArrayList<>(List.of(client.toString()));
        try (JarFile file = new JarFile(client.toFile())) {
            for (String name : file.getManifest().getMainAttributes().getValue("Class-Path").trim().split("\\s+")) {
                Path jar = client.resolveSibling(name);
                if (!Files.exists(jar)) {
                    fail("the Lambda runtime needs " + name + " beside " + client.getFileName() + " (see the pom's lambda-runtime copy)");
                }
                entries.add(jar.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The client's native library for this machine, unpacked as Lambda ships it, beside the runtime's jars. */
    private static Path nativeLibrary(Path client, Path workDir) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        String name = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        Path library = workDir.resolve(name);
        try (JarFile file = new JarFile(client.toFile())) {
            JarEntry entry = file.getJarEntry(name);
            if (entry == null) {
                fail(client.getFileName() + " has no " + name);
            }
            Files.createDirectories(library.getParent());
            try (InputStream in = file.getInputStream(entry)) {
                Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return library;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
