package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.CruddurFrontend;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image's AOT cache (docker/Dockerfile.jvm) on the JDK these tests run on, as bin/train-aot
 * records it in the image: trained on real work under the image's options, used by the image's own
 * command (-XX:AOTMode=on), with the service's classes coming from it, and refused, with the start
 * stopped, by a JVM whose jars are not the ones it was recorded with.
 */
class AotCacheIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path CACHE = ROOT.resolve("target/aot-it/app.aot");
    private static LocalStackProcess stack;
    private static AotTraining.Report training;

    @BeforeAll
    static void record() throws Exception {
        stack = LocalStackTestResource.started();
        training = AotTraining.record(ROOT, stack, CACHE, 2, CACHE.resolveSibling("recording.log"));
    }

    @Test
    void theTrainingRanIntoEveryKindOfAnswerAndTheJvmWroteTheCache() throws IOException {
        // Served, created nothing, refused: bad JSON, no token, a blocked pair, no such conversation,
        // a deleted message, a limit.
        assertTrue(training.statuses().keySet().containsAll(List.of(200, 204, 400, 401, 403, 404, 409, 429)), training.toString());
        assertTrue(training.requests() >= 100, training.toString());
        assertTrue(Files.size(CACHE) > 32L << 20, "cache of " + Files.size(CACHE) + " bytes");
    }

    @Test
    void theImagesCommandStartsFromTheCacheWithTheServicesClassesInIt() throws Exception {
        Path classes = CACHE.resolveSibling("classes.log");
        List<String> options = new ArrayList<>(ImageCommand.shipped(ROOT, CACHE));
        assertTrue(options.contains("-XX:AOTMode=on"), options.toString());
        options.add("-Xlog:aot=info:file=" + CACHE.resolveSibling("aot.log"));
        options.add("-Xlog:class+load=info:file=" + classes);
        Path log = CACHE.resolveSibling("cached-start.log");
        try (ServiceProcess service = ServiceProcess.start(ROOT, stack, log, Map.of(), Path.of(System.getProperty("java.home")), options)) {
            Member member = UsersTable.signUp(stack, "aotc");
            CruddurFrontend.Answer groups = new CruddurFrontend(service.baseUri()).get("/api/message_groups", member.token());
            assertEquals(200, groups.status(), groups.raw().body());
        }
        assertTrue(Files.readString(CACHE.resolveSibling("aot.log")).contains("Opened AOT cache " + CACHE));
        // The service's own classes, which a fast-jar's class loader would keep out of the cache.
        List<String> service;
        try (Stream<String> lines = Files.lines(classes)) {
            service = lines.filter(line -> line.contains(" app.cruddur.messages.")).toList();
        }
        long cached = service.stream().filter(line -> line.contains("source: shared objects file")).count();
        assertTrue(service.size() > 100, service.size() + " classes of the service loaded");
        assertTrue(cached * 10 >= service.size() * 9, cached + " of " + service.size() + " of the service's classes came from the cache");
    }

    @Test
    void aCacheRecordedWithOtherJarsStopsTheStartAndSaysWhy() throws Exception {
        Path other = Files.createTempDirectory("aot-other-jars");
        copy(ROOT.resolve("target/quarkus-app"), other.resolve("target/quarkus-app"));
        // The same bytes, as a rebuild without changes writes them, but another jar by its time.
        Path driver = other.resolve("target/quarkus-app/lib/main").toFile().listFiles((dir, name) -> name.startsWith("org.postgresql"))[0].toPath();
        Files.setLastModifiedTime(driver, FileTime.fromMillis(Files.getLastModifiedTime(driver).toMillis() + 60_000));
        Path log = other.resolve("start.log");

        ServiceProcess.Exit exit = ServiceProcess.run(other, stack, log, Map.of(), Duration.ofSeconds(60), ImageCommand.shipped(ROOT, CACHE));

        String written = Files.readString(log);
        assertNotEquals(0, exit.code(), written);
        assertTrue(written.contains("shared class paths mismatch"), written);
        assertTrue(written.contains(driver.getFileName().toString()), "names the jar: " + written);
        assertTrue(written.contains("Error occurred during initialization of VM"), written);
    }

    /**
     * bin/train-aot --image: the docker commands it gives, carried out by a stand-in (src/test/bin/fake-docker)
     * that runs the image's command here with its paths and its volume mapped, and stops it as Docker does.
     */
    @Test
    void theTrainingInTheImagesServiceStageWritesTheCacheTheImageCopies() throws Exception {
        Path cache = ROOT.resolve("target/aot-it/image/app.aot");
        Path state = Files.createTempDirectory("fake-docker");
        List<String> docker = List.of("env", "FAKE_DOCKER_ROOT=" + ROOT, "FAKE_DOCKER_STATE=" + state,
                "FAKE_DOCKER_JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                ROOT.resolve("src/test/bin/fake-docker").toString());

        AotTraining.Report report = AotTrainingMain.inContainer(ROOT, stack, "cruddur-messages:service", cache, 1, docker);

        assertTrue(report.statuses().keySet().containsAll(List.of(200, 204, 429)), report.toString());
        try (Stream<Path> runs = Files.list(state)) {
            assertEquals(List.of("cruddur-messages:service"), runs.filter(file -> file.toString().endsWith(".image"))
                    .map(file -> read(file).trim()).toList());
        }
        // The cache the image's last stage copies is one the image's command starts from (-XX:AOTMode=on).
        List<String> options = new ArrayList<>(ImageCommand.shipped(ROOT, cache));
        options.add("-Xlog:aot=info:file=" + cache.resolveSibling("aot.log"));
        ServiceProcess.start(ROOT, stack, cache.resolveSibling("cached-start.log"), Map.of(), Path.of(System.getProperty("java.home")),
                options).close();
        assertTrue(Files.readString(cache.resolveSibling("aot.log")).contains("Opened AOT cache " + cache));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
