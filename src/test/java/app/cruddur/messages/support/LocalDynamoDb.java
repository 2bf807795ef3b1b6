package app.cruddur.messages.support;

import app.cruddur.messages.table.MessagesTable;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The async DynamoDB client the benchmarks call DynamoDB Local with: over aws-crt, as the service's is. */
public final class LocalDynamoDb {

    /** The service's defaults (cruddur.messages.table.name, .group-index), which the benchmarks do not change. */
    public static final String TABLE = "cruddur-messages";
    public static final String GROUP_INDEX = MessagesTable.GROUP_INDEX;

    private LocalDynamoDb() {
    }

    public static DynamoDbAsyncClient client(String endpoint) {
        return DynamoDbAsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }
}
