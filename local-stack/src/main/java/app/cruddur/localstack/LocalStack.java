package app.cruddur.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The five local services, started in order and stopped in reverse. */
final class LocalStack {

    private final LocalStackOptions options;
    private DynamoDbLocalServer dynamo;
    private PostgresServer postgres;
    private CognitoLocalServer cognito;
    private RedisLocalServer redis;
    private KmsLocalServer kms;

    LocalStack(LocalStackOptions options) {
        this.options = options;
    }

    void start() throws Exception {
        // Claim every port first, so that a conflict is reported before anything starts.
        int dynamoPort = Ports.claim(options.dynamodbPort(), "DynamoDB Local");
        int postgresPort = Ports.claim(options.postgresPort(), "PostgreSQL");
        int cognitoPort = Ports.claim(options.cognitoPort(), "cognito-local");
        int redisPort = Ports.claim(options.redisPort(), "Redis");
        int kmsPort = Ports.claim(options.kmsPort(), "KMS");

        Path dynamoData = options.persistent() ? Files.createDirectories(options.dataDir().resolve("dynamodb")) : null;
        dynamo = new DynamoDbLocalServer(dynamoPort, dynamoData);
        postgres = new PostgresServer(postgresPort, options.workDir().resolve("postgres"),
                options.workDir().resolve("postgres-tls"), options.persistent());
        Path cognitoDir = options.workDir().resolve("cognito");
        if (!options.persistent()) {
            deleteRecursively(cognitoDir);
        }
        cognito = new CognitoLocalServer(cognitoPort, options.cognitoPackageDir(), Files.createDirectories(cognitoDir));
        redis = new RedisLocalServer(redisPort, options.workDir().resolve("redis"));
        // The KMS key lives with the data it protects: a persistent stack keeps it, an ephemeral one makes its own.
        kms = new KmsLocalServer(kmsPort, (options.persistent() ? options.dataDir() : options.workDir()).resolve("kms"));
        kms.start();
        dynamo.start();
        postgres.start();
        cognito.start();
        redis.start();
    }

    synchronized void stop() {
        if (kms != null) {
            kms.stop();
        }
        if (redis != null) {
            redis.stop();
        }
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

    /** What the stack publishes about itself: everything a client needs to connect. */
    Map<String, Object> coordinates() {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("dynamodbEndpoint", dynamo.endpoint());
        map.put("postgresHost", "localhost");
        map.put("postgresPort", postgres.port());
        map.put("postgresDatabase", PostgresServer.DATABASE);
        map.put("postgresUser", PostgresServer.USER);
        map.put("postgresPassword", PostgresServer.PASSWORD);
        map.put("postgresCaFile", postgres.certificate().toString());
        map.put("cognitoEndpoint", cognito.endpoint());
        map.put("cognitoUserPoolId", cognito.userPoolId());
        map.put("cognitoClientId", cognito.clientId());
        map.put("cognitoIssuer", cognito.issuer());
        map.put("cognitoSigningKeyFile", cognito.signingKeyFile().toString());
        map.put("redisUrl", redis.url());
        map.put("kmsEndpoint", kms.endpoint());
        map.put("kmsKeyId", kms.keyArn());
        return map;
    }

    /**
     * Handles one control command: {@code stop|start dynamodb|postgres|redis}, {@code create-client NAME}
     * (replies the client id). Users are created through Cognito's own API by the service's side.
     */
    String command(String line) throws Exception {
        String[] words = line.split("\\s+");
        String verb = words[0];
        switch (verb) {
            case "stop", "start" -> {
                require(words.length == 2, line);
                boolean start = verb.equals("start");
                switch (words[1]) {
                    case "dynamodb" -> {
                        if (start) { dynamo.start(); } else { dynamo.stop(); }
                    }
                    case "postgres" -> {
                        if (start) { postgres.start(); } else { postgres.stop(); }
                    }
                    case "redis" -> {
                        if (start) { redis.start(); } else { redis.stop(); }
                    }
                    default -> throw new IllegalArgumentException("unknown service: " + words[1]);
                }
                return line;
            }
            case "create-client" -> {
                require(words.length == 2, line);
                return cognito.createClient(words[1]);
            }
            default -> throw new IllegalArgumentException("unknown command: " + line);
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void require(boolean condition, String line) {
        if (!condition) {
            throw new IllegalArgumentException("malformed command: " + line);
        }
    }
}
