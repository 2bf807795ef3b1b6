package app.cruddur.messages.packaging;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.ServiceProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * bin/train-aot: records the service's AOT cache on a local stack of its own, trained by
 * {@link AotTraining}.
 * <ul>
 * <li>Without {@code --image}: the packaged jar on this JDK (bin/java-home), into
 * target/quarkus-app/app.aot, which {@code java -XX:AOTCache=target/quarkus-app/app.aot -jar
 * target/quarkus-app/quarkus-run.jar} and bin/bench-startup --aot start from.</li>
 * <li>With {@code --image IMAGE}: in a container of the image's {@code service} stage, on its JVM and
 * its copy of the jars (a cache is bound to both), on the host's network to reach the stack, into
 * target/aot/app.aot, which the image's last stage copies.</li>
 * </ul>
 * Usage: AotTrainingMain [--image IMAGE] [--rounds N]
 */
public final class AotTrainingMain {

    private AotTrainingMain() {
    }

    public static void main(String[] args) throws Exception {
        String image = null;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--image" -> image = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: bin/train-aot [--image IMAGE] [--rounds N]; not " + args[i]);
            }
        }
        Path root = Path.of("").toAbsolutePath();
        LocalStackProcess stack = LocalStackTestResource.started();
        Path cache;
        AotTraining.Report report;
        long started = System.nanoTime();
        if (image == null) {
            cache = root.resolve("target/quarkus-app/app.aot");
            Path log = root.resolve("target/aot-training.log");
            report = AotTraining.record(root, stack, cache, rounds, log);
        } else {
            cache = root.resolve("target/aot/app.aot");
            report = inContainer(root, stack, image, cache, rounds, List.of("docker"));
        }
        System.out.printf("trained in %.0f s: %d requests, statuses %s%n", (System.nanoTime() - started) / 1e9, report.requests(),
                report.statuses());
        System.out.printf("%s: %d MiB%n", root.relativize(cache), Files.size(cache) >> 20);
        System.exit(0);
    }

    /**
     * The image's service stage, with the recording options, as ECS would run it but on the host's
     * network; {@code docker} is the command that runs docker (in AotCacheIT, a stand-in for it).
     */
    static AotTraining.Report inContainer(Path root, LocalStackProcess stack, String image, Path cache, int rounds, List<String> docker)
            throws Exception {
        Path out = cache.getParent();
        Files.createDirectories(out);
        Files.deleteIfExists(cache);
        // The image's user (185) writes the cache into the mounted directory.
        out.toFile().setWritable(true, false);
        Files.copy(root.resolve("docker/aot-training.options"), out.resolve("aot-training.options"), StandardCopyOption.REPLACE_EXISTING);
        int port = ServiceProcess.freePort();
        int managementPort = ServiceProcess.freePort();
        String name = "cruddur-aot-training-" + ProcessHandle.current().pid();
        List<String> run = new ArrayList<>(docker);
        run.addAll(List.of("run", "--rm", "--name", name, "--network", "host", "-v", out + ":/aot"));
        ServiceProcess.environment(stack, port, managementPort, AotTraining.LIMITS_ON)
                .forEach((key, value) -> run.addAll(List.of("-e", key + "=" + value)));
        run.add(image);
        run.addAll(List.of("@/deployments/jvm.options", "@/aot/aot-training.options", "-XX:AOTCacheOutput=/aot/" + cache.getFileName(),
                "-jar", "/deployments/quarkus-run.jar"));
        Path log = out.resolve("training-container.log");
        Process container = new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AotTraining.Report report;
        try {
            if (!ServiceProcess.awaitReady(container, URI.create("http://localhost:" + managementPort), log)) {
                throw new IllegalStateException("the container was not ready after " + ServiceProcess.READY_TIMEOUT.toSeconds()
                        + " s; see " + log);
            }
            report = AotTraining.run(URI.create("http://localhost:" + port), stack, rounds);
        } finally {
            // SIGTERM, as ECS stops a task; the JVM assembles the cache before it exits.
            List<String> stop = new ArrayList<>(docker);
            stop.addAll(List.of("stop", "--time", Long.toString(AotTraining.ASSEMBLY.toSeconds()), name));
            new ProcessBuilder(stop).inheritIO().start().waitFor();
            container.waitFor(30, TimeUnit.SECONDS);
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("the container's JVM wrote no AOT cache; see " + log);
        }
        return report;
    }
}
