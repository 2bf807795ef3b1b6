package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** After package: every path docker/Dockerfile.jvm copies exists, and the image would start quarkus-run.jar. */
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
        for (String source : sources) {
            if (source.contains("*")) {
                Path dir = Path.of(source).getParent();
                try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, Path.of(source).getFileName().toString())) {
                    assertTrue(found.iterator().hasNext(), source + " matches nothing after package");
                }
            } else {
                assertTrue(Files.isDirectory(Path.of(source)), source + " is missing after package");
                try (var entries = Files.list(Path.of(source))) {
                    assertFalse(entries.findAny().isEmpty(), source + " is empty");
                }
            }
        }
        assertTrue(dockerfile.contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""));
        assertTrue(Files.exists(Path.of("target/quarkus-app/quarkus-run.jar")));
    }
}
