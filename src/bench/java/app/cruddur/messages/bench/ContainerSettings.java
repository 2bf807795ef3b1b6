package app.cruddur.messages.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's settings in its container image, for a benchmark to run the packaged jar the same
 * way: the JVM options of {@code docker/jvm.options} (which the image's entry point reads) and the
 * environment that {@code docker/Dockerfile.jvm} sets for the JVM (MALLOC_ARENA_MAX).
 */
final class ContainerSettings {

    private ContainerSettings() {
    }

    static Map<String, String> read(Path projectRoot) {
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            List<String> options = Files.readAllLines(projectRoot.resolve("docker").resolve("jvm.options")).stream()
                    .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            settings.put("JAVA_TOOL_OPTIONS", String.join(" ", options));
            for (String line : Files.readAllLines(projectRoot.resolve("docker").resolve("Dockerfile.jvm"))) {
                if (line.startsWith("ENV MALLOC_ARENA_MAX=")) {
                    settings.put("MALLOC_ARENA_MAX", line.substring("ENV MALLOC_ARENA_MAX=".length()).trim());
                }
            }
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
