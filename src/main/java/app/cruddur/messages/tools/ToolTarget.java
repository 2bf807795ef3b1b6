package app.cruddur.messages.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;

/**
 * Where a tool works: the local stack that dev mode started (its coordinates file), or AWS with
 * {@code prod} (default credential chain and region, the configured table).
 */
public record ToolTarget(boolean prod, String describe, String tableName, String groupIndex, JsonNode local) {

    /** Written by dev mode when it starts the local stack. */
    public static final String COORDINATES = "target/local-stack/coordinates.json";

    public static ToolTarget resolve(boolean prod, Map<String, String> env) {
        String table = env.getOrDefault("DYNAMODB_TABLE_NAME", "cruddur-messages");
        String index = env.getOrDefault("DYNAMODB_GROUP_INDEX", "message-group-sk-index");
        if (prod) {
            return new ToolTarget(true, "AWS", table, index, null);
        }
        Path file = Path.of(env.getOrDefault("CRUDDUR_LOCAL_COORDINATES", COORDINATES));
        if (!Files.exists(file)) {
            throw new ToolException(ToolException.FAILED, "no local stack: " + file
                    + " is missing; start it with ./mvnw quarkus:dev (or add prod to work against AWS)");
        }
        try {
            JsonNode coordinates = new ObjectMapper().readTree(file.toFile());
            return new ToolTarget(false, "the local stack (" + coordinates.path("dynamodbEndpoint").asText() + ")",
                    table, index, coordinates);
        } catch (IOException e) {
            throw new ToolException(ToolException.FAILED, "cannot read " + file + ": " + e.getMessage());
        }
    }

    public DynamoDbAsyncClient dynamo() {
        DynamoDbAsyncClientBuilder builder = DynamoDbAsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                // A command line wants an answer, not minutes of retries.
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        if (prod) {
            Region region;
            try {
                region = DefaultAwsRegionProviderChain.builder().build().getRegion();
            } catch (RuntimeException e) {
                throw new ToolException(ToolException.FAILED, "no AWS region: set AWS_REGION (or a profile's region)");
            }
            return builder.region(region).credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
        }
        return builder.region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(URI.create(local.path("dynamodbEndpoint").asText()))
                .build();
    }
}
