package app.cruddur.messages.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how to run the local stack. A port of 0 picks a free port (the tests do that);
 * without a data directory DynamoDB is in memory and PostgreSQL and the user pool start empty.
 */
public record LocalStackSettings(Path projectRoot, int dynamodbPort, int postgresPort, int cognitoPort, int redisPort, int kmsPort,
        Optional<Path> dataDir, Path workDir, Optional<Path> coordinatesFile) {

    /** Dev mode's ports, also bin/local-stack's (the tools and bin/local-token find them in the coordinates file). */
    public static final int DEV_DYNAMODB_PORT = 8000;
    public static final int DEV_POSTGRES_PORT = 5433;
    public static final int DEV_COGNITO_PORT = 9229;
    /** Not Redis' usual 6379, so that a developer's own Redis keeps its port (as PostgreSQL's 5433 does). */
    public static final int DEV_REDIS_PORT = 6380;
    /** The local KMS endpoint (the local stack's own key, made at its first start). */
    public static final int DEV_KMS_PORT = 4599;
    /** Where a developer's stack writes its coordinates, relative to the repository root. */
    public static final String COORDINATES = "target/local-stack/coordinates.json";

    /**
     * A stack for a developer's machine, as dev mode and bin/local-stack start it: working files
     * under {@code target/local-stack/<name>}, coordinates in {@link #COORDINATES}.
     */
    public static LocalStackSettings developer(Path root, String name, int dynamodbPort, int postgresPort, int cognitoPort,
                                               int redisPort, Optional<Path> dataDir) {
        Path work = root.resolve("target").resolve("local-stack");
        return new LocalStackSettings(root, dynamodbPort, postgresPort, cognitoPort, redisPort, DEV_KMS_PORT, dataDir, work.resolve(name),
                Optional.of(root.resolve(COORDINATES)));
    }

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
