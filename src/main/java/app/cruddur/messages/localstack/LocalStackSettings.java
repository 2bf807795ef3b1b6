package app.cruddur.messages.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how to run the local stack. A port of 0 picks a free port (the tests do that);
 * without a data directory DynamoDB is in memory and PostgreSQL and the user pool start empty.
 */
public record LocalStackSettings(Path projectRoot, int dynamodbPort, int postgresPort, int cognitoPort,
        Optional<Path> dataDir, Path workDir, Optional<Path> coordinatesFile) {

    /** The repository root: the nearest directory upwards from the working directory holding local-stack/. */
    public static Path findProjectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.exists(dir.resolve("local-stack").resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new LocalStackException("cannot find local-stack/ above " + Path.of("").toAbsolutePath()
                + "; run from the project directory");
    }
}
