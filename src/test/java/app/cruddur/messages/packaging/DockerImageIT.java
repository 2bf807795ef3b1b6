package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** After package: every path docker/Dockerfile.jvm copies from it exists, and the image would start quarkus-run.jar. */
class DockerImageIT {

    @Test
    void theJvmImageCopiesWhatPackageBuilt() throws IOException {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile.jvm"));
        Matcher copy = Pattern.compile("(?m)^COPY --chown=185 (\\S+) /deployments/").matcher(dockerfile);
        List<String> sources = new java.util.ArrayList<>();
        while (copy.find()) {
            sources.add(copy.group(1));
        }
        assertTrue(sources.size() >= 4, "COPY lines: " + sources);
        // The AOT cache is no output of package: bin/train-aot --image records it in the image (AotCacheIT).
        assertTrue(sources.remove("target/aot/app.aot"), "the shipped image carries the cache: " + sources);
        for (String source : sources) {
            if (source.contains("*")) {
                Path dir = Path.of(source).getParent();
                try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, Path.of(source).getFileName().toString())) {
                    assertTrue(found.iterator().hasNext(), source + " matches nothing after package");
                }
            } else if (Files.isRegularFile(Path.of(source))) {
                assertTrue(Files.size(Path.of(source)) > 0, source + " is empty");
            } else {
                assertTrue(Files.isDirectory(Path.of(source)), source + " is missing after package");
                try (var entries = Files.list(Path.of(source))) {
                    assertFalse(entries.findAny().isEmpty(), source + " is empty");
                }
            }
        }
        assertTrue(dockerfile.contains("ENTRYPOINT [ \"java\" ]"));
        assertTrue(dockerfile.contains("CMD [ \"@/deployments/jvm.options\", \"-jar\", \"/deployments/quarkus-run.jar\" ]"));
        assertTrue(dockerfile.contains("CMD [ \"@/deployments/jvm.options\", \"-XX:AOTCache=/deployments/app.aot\", \"-XX:AOTMode=on\", "
                + "\"-jar\", \"/deployments/quarkus-run.jar\" ]"));
        assertTrue(Files.exists(Path.of("target/quarkus-app/quarkus-run.jar")));
    }

    /** The options file is one the JVM accepts as a whole: a typo would stop every container at start. */
    @Test
    void theJvmAcceptsTheImagesOptions() throws IOException, InterruptedException {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@docker/jvm.options", "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, jvm.waitFor(), output);
        assertTrue(output.matches("(?s).*\\bUseSerialGC\\s+= true\\s+\\{product\\} \\{command line\\}.*"), output);
    }
}
