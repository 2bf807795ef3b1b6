package app.cruddur.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Every caller sees the same tables, whatever its access key and region, in memory (dev mode's
 * default) and on disk: the seed's scripts run with a developer's own AWS settings.
 */
class DynamoDbLocalServerTest {

    @Test
    void inMemoryDatabaseIsSharedByEveryAccessKeyAndRegion() throws Exception {
        assertShared(null);
    }

    @Test
    void onDiskDatabaseIsSharedByEveryAccessKeyAndRegion(@TempDir Path data) throws Exception {
        assertShared(data);
    }

    private static void assertShared(Path dataDir) throws Exception {
        int port = Ports.claim(0, "DynamoDB Local");
        DynamoDbLocalServer server = new DynamoDbLocalServer(port, dataDir);
        server.start();
        try (DynamoDbClient service = client(server, "local", Region.US_EAST_1);
                DynamoDbClient developer = client(server, "AKIADEVELOPER0000000", Region.EU_WEST_2)) {
            service.createTable(table -> table.tableName("cruddur-messages")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
            service.putItem(put -> put.tableName("cruddur-messages").item(Map.of("pk", AttributeValue.fromS("MSG#1"))));

            assertEquals(List.of("cruddur-messages"), developer.listTables().tableNames());
            assertTrue(developer.getItem(get -> get.tableName("cruddur-messages")
                    .key(Map.of("pk", AttributeValue.fromS("MSG#1")))).hasItem());
        } finally {
            server.stop();
        }
    }

    private static DynamoDbClient client(DynamoDbLocalServer server, String accessKey, Region region) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
