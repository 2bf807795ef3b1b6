package app.cruddur.messages.tools;

import app.cruddur.messages.localstack.LocalStackException;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.localstack.LocalStackSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/local-stack [DATA_DIR]}: the local stack alone, on dev mode's ports, until Ctrl-C. It
 * starts empty (bin/db/setup seeds it) and writes the coordinates file the other tools read, so the
 * packaged service or the tools can work against it without dev mode.
 */
public final class LocalStackTool {

    private LocalStackTool() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            System.err.println("usage: bin/local-stack [DATA_DIR]   (without DATA_DIR, DynamoDB is in memory and the pool starts empty)");
            System.exit(ToolException.USAGE);
        }
        Path root;
        LocalStackProcess stack;
        try {
            root = LocalStackSettings.findProjectRoot();
            stack = LocalStackProcess.startOrReuse(LocalStackSettings.developer(root, "standalone",
                    LocalStackSettings.DEV_DYNAMODB_PORT, LocalStackSettings.DEV_POSTGRES_PORT, LocalStackSettings.DEV_COGNITO_PORT,
                    LocalStackSettings.DEV_REDIS_PORT, args.length == 1 ? Optional.of(root.resolve(args[0])) : Optional.empty()));
        } catch (LocalStackException e) {
            System.err.println("local stack: " + e.getMessage());
            System.exit(ToolException.FAILED);
            return;
        }
        System.out.println("local stack running: DynamoDB " + stack.dynamodbEndpoint() + ", PostgreSQL on "
                + stack.coordinates().get("postgresPort") + ", Cognito " + stack.cognitoEndpoint() + ", Redis " + stack.redisUrl()
                + ", KMS " + stack.kmsEndpoint());
        System.out.println("seed it with bin/db/setup; Ctrl-C stops it");
        new CountDownLatch(1).await();
    }
}
