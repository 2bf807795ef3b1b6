package app.cruddur.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command-line options. A port of 0 picks a free port. Without {@code --data-dir} everything is
 * ephemeral (DynamoDB in memory, a fresh PostgreSQL cluster and user pool each start).
 */
record LocalStackOptions(int dynamodbPort, int postgresPort, int cognitoPort, int redisPort, int kmsPort, Path dataDir, Path workDir,
        Path cognitoPackageDir, Path coordinatesFile) {

    static LocalStackOptions parse(String[] args) throws IOException {
        int dynamodbPort = 8000;
        int postgresPort = 5433;
        int cognitoPort = 9229;
        int redisPort = 6380;
        int kmsPort = 4599;
        Path dataDir = null;
        Path workDir = null;
        Path cognitoPackageDir = Path.of("local-stack", "cognito");
        Path coordinatesFile = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--dynamodb-port" -> dynamodbPort = port(name, value);
                case "--postgres-port" -> postgresPort = port(name, value);
                case "--cognito-port" -> cognitoPort = port(name, value);
                case "--redis-port" -> redisPort = port(name, value);
                case "--kms-port" -> kmsPort = port(name, value);
                case "--data-dir" -> dataDir = value.isBlank() ? null : Path.of(value).toAbsolutePath();
                case "--work-dir" -> workDir = Path.of(value).toAbsolutePath();
                case "--cognito-package-dir" -> cognitoPackageDir = Path.of(value);
                case "--coordinates-file" -> coordinatesFile = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (workDir == null) {
            workDir = dataDir != null ? dataDir : Files.createTempDirectory("cruddur-local-stack");
        }
        Files.createDirectories(workDir);
        return new LocalStackOptions(dynamodbPort, postgresPort, cognitoPort, redisPort, kmsPort, dataDir, workDir,
                cognitoPackageDir.toAbsolutePath(), coordinatesFile);
    }

    boolean persistent() {
        return dataDir != null;
    }

    private static int port(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + value + "'");
        }
    }
}
