package app.cruddur.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local in this JVM: in memory, or in {@code dataDir} when one is given. Always with
 * {@code -sharedDb}, as the reference stack runs it: without it, each access key and region gets a
 * database of its own, and a developer's own AWS CLI or boto3 credentials would see no tables.
 */
final class DynamoDbLocalServer {

    private final int port;
    private final Path dataDir;
    private DynamoDBProxyServer server;

    DynamoDbLocalServer(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry", "-sharedDb"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            args.addAll(List.of("-dbPath", dataDir.toString()));
        }
        DynamoDBProxyServer created = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
        created.start();
        server = created;
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            e.printStackTrace();
        }
        server = null;
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://localhost:" + port;
    }
}
