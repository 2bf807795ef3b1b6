package app.cruddur.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The three local services, started in order and stopped in reverse. */
final class LocalStack {

    private final LocalStackOptions options;
    private DynamoDbLocalServer dynamo;
    private PostgresServer postgres;
    private CognitoLocalServer cognito;

    LocalStack(LocalStackOptions options) {
        this.options = options;
    }

    void start() throws Exception {
        // Claim every port first, so that a conflict is reported before anything starts.
        int dynamoPort = Ports.claim(options.dynamodbPort(), "DynamoDB Local", "cruddur.local-stack.dynamodb-port");
        int postgresPort = Ports.claim(options.postgresPort(), "PostgreSQL", "cruddur.local-stack.postgres-port");
        int cognitoPort = Ports.claim(options.cognitoPort(), "cognito-local", "cruddur.local-stack.cognito-port");

        Path dynamoData = options.persistent() ? Files.createDirectories(options.dataDir().resolve("dynamodb")) : null;
        dynamo = new DynamoDbLocalServer(dynamoPort, dynamoData);
        postgres = new PostgresServer(postgresPort, options.workDir().resolve("postgres"), options.persistent());
        cognito = new CognitoLocalServer(cognitoPort, options.cognitoPackageDir(),
                Files.createDirectories(options.workDir().resolve("cognito")));
        dynamo.start();
        postgres.start();
        cognito.start();
    }

    synchronized void stop() {
        if (cognito != null) {
            cognito.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
        if (dynamo != null) {
            dynamo.stop();
        }
    }

    Map<String, Object> coordinates() {
        return LocalStackMain.coordinatesOf(dynamo, postgres, cognito);
    }

    /** Handles one control command: {@code stop|start dynamodb|postgres}, {@code create-client NAME}. */
    String command(String line) throws Exception {
        String[] words = line.split("\\s+");
        if (words.length != 2) {
            throw new IllegalArgumentException("unknown command: " + line);
        }
        switch (words[0] + " " + (words[0].equals("create-client") ? "" : words[1])) {
            case "stop dynamodb" -> dynamo.stop();
            case "start dynamodb" -> dynamo.start();
            case "stop postgres" -> postgres.stop();
            case "start postgres" -> postgres.start();
            case "create-client " -> {
                return cognito.createClient(words[1]);
            }
            default -> throw new IllegalArgumentException("unknown command: " + line);
        }
        return line;
    }
}
