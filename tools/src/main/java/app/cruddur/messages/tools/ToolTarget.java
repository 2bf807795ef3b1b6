package app.cruddur.messages.tools;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.localstack.LocalStackSettings;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.user.cognito.CognitoUserPool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkAsyncClientBuilder;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;

/**
 * Where a tool works: the local stack that dev mode started (its coordinates file), or AWS with
 * {@code prod} (default credential chain and region, the configured table).
 */
public record ToolTarget(boolean prod, String describe, String tableName, String groupIndex, JsonNode local) {

    public static ToolTarget resolve(boolean prod, Map<String, String> env) {
        String table = env.getOrDefault("DYNAMODB_TABLE_NAME", "cruddur-messages");
        String index = env.getOrDefault("DYNAMODB_GROUP_INDEX", MessagesTable.GROUP_INDEX);
        if (prod) {
            return new ToolTarget(true, "AWS", table, index, null);
        }
        Path file = Path.of(env.getOrDefault("CRUDDUR_LOCAL_COORDINATES", LocalStackSettings.COORDINATES));
        if (!Files.exists(file)) {
            throw new ToolException(ToolException.FAILED, "no local stack: " + file
                    + " is missing; start it with bin/dev or bin/local-stack (or add prod to work against AWS)");
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
        return client(DynamoDbAsyncClient.builder());
    }

    /** The table's stream, where {@link #dynamo()} is. */
    public DynamoDbStreamsAsyncClient streams() {
        return client(DynamoDbStreamsAsyncClient.builder());
    }

    /** A client of the target's DynamoDB: the region's with the default credentials, or the local stack's. */
    private <B extends AwsClientBuilder<B, C> & SdkAsyncClientBuilder<B, C>, C> C client(B builder) {
        builder.httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                // A command line wants an answer, not minutes of retries.
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        // CloudTrail names the tools as the caller (see Caller).
                        .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, Caller.TOOLS.userAgent()));
        if (prod) {
            return builder.region(region()).credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
        }
        return builder.region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(URI.create(local.path("dynamodbEndpoint").asText()))
                .build();
    }

    /**
     * The Cognito user pool: the local stack's, or with {@code prod} COGNITO_USER_POOL_ID (as the
     * service reads it) in the default region, signed with the default credential chain.
     */
    public CognitoUserPool cognito(Map<String, String> env) {
        if (!prod) {
            return CognitoUserPool.local(URI.create(local.path("cognitoEndpoint").asText() + "/"),
                    local.path("cognitoUserPoolId").asText());
        }
        String poolId = env.get("COGNITO_USER_POOL_ID");
        if (poolId == null || poolId.isBlank()) {
            throw new ToolException(ToolException.USAGE, "COGNITO_USER_POOL_ID is not set");
        }
        Region region = region();
        // The SDK's own variables for another endpoint (a VPC endpoint, say) are honoured here too.
        String endpoint = env.getOrDefault("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", env.get("AWS_ENDPOINT_URL"));
        return new CognitoUserPool(endpoint == null ? CognitoUserPool.awsEndpoint(region.id()) : URI.create(endpoint),
                region.id(), DefaultCredentialsProvider.builder().build(), poolId);
    }

    /**
     * The texts' keys: the local stack's KMS key and key table (made when missing), or with
     * {@code prod} MESSAGES_KMS_KEY_ID in the default region with the default credentials, which
     * the key's policy must let use it (the service's task role does).
     */
    public Keyring keyring(DynamoDbAsyncClient dynamo, Map<String, String> env) {
        KeyringSettings settings;
        if (prod) {
            String keyId = env.get("MESSAGES_KMS_KEY_ID");
            if (keyId == null || keyId.isBlank()) {
                throw new ToolException(ToolException.USAGE, "MESSAGES_KMS_KEY_ID is not set (the stack's output TextsKeyArn)");
            }
            settings = KeyringSettings.of(keyId, Optional.empty(), region().id(), env, false);
        } else {
            if (local.path("kmsEndpoint").isMissingNode()) {
                throw new ToolException(ToolException.FAILED, "the local stack's coordinates name no KMS endpoint; restart it");
            }
            settings = KeyringSettings.of(local.path("kmsKeyId").asText(), Optional.of(URI.create(local.path("kmsEndpoint").asText())),
                    Region.US_EAST_1.id(), env, true);
        }
        try {
            return Keyring.start(dynamo, settings, new SimpleMeterRegistry(), Clock.systemUTC(), Caller.TOOLS);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new ToolException(ToolException.FAILED, e.getMessage());
        }
    }

    private static Region region() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (RuntimeException e) {
            throw new ToolException(ToolException.FAILED, "no AWS region: set AWS_REGION (or a profile's region)");
        }
    }
}
