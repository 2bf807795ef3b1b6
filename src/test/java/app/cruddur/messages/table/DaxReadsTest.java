package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.table.wiring.DaxReads;
import app.cruddur.messages.block.BlocksConfig;
import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.events.EventsConfig;
import app.cruddur.messages.limits.RateLimitsConfig;
import app.cruddur.messages.postgres.PostgresConfig;
import app.cruddur.messages.projection.consumer.StreamConsumerConfig;
import app.cruddur.messages.redis.RedisConfig;
import app.cruddur.messages.table.wiring.DaxConfig;
import app.cruddur.messages.user.ProfilesConfig;
import app.cruddur.messages.user.VerifiedTokensConfig;
import app.cruddur.messages.postgres.ApplicationLoginConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.dax.ClusterDaxAsyncClient;

/**
 * The configuration selects the read client: DynamoDB itself without a DAX endpoint, the DAX
 * cluster client with one. (No DAX emulator exists: that DAX answers is verified only on AWS.)
 */
class DaxReadsTest {

    private final DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder()
            .region(Region.EU_WEST_1)
            .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();
    private DaxReads reads;

    @AfterEach
    void close() {
        if (reads != null) {
            reads.close();
        }
        dynamo.close();
    }

    @Test
    void withoutAnEndpointReadsGoToDynamoDb() {
        reads = new DaxReads(dynamo, config(Map.of()));
        assertSame(dynamo, reads.client());
        assertFalse(reads.dax());

        reads = new DaxReads(dynamo, config(Map.of("cruddur.messages.dax.endpoint", "  ")));
        assertSame(dynamo, reads.client());
        assertFalse(reads.dax());
    }

    @Test
    void withAnEndpointReadsGoThroughTheDaxClusterClient() {
        reads = new DaxReads(dynamo,
                config(Map.of("cruddur.messages.dax.endpoint", "dax://cruddur.abc123.dax-clusters.eu-west-1.amazonaws.com")));
        assertInstanceOf(ClusterDaxAsyncClient.class, reads.client());
        assertTrue(reads.dax());
    }

    /** The service's application.properties, with the given properties over it. */
    private static DaxConfig config(Map<String, String> properties) {
        try {
            return new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    // Quarkus's own form of durations (24h, 250ms), as at runtime.
                    .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                    // Every feature's settings share the prefix cruddur.messages in that file.
                    .withMapping(DaxConfig.class)
                    .withMapping(TableConfig.class)
                    .withMapping(ApplicationLoginConfig.class)
                    .withMapping(ConversationConfig.class)
                    .withMapping(StreamConsumerConfig.class)
                    .withMapping(ProfilesConfig.class)
                    .withMapping(VerifiedTokensConfig.class)
                    .withMapping(PostgresConfig.class)
                    .withMapping(RateLimitsConfig.class)
                    .withMapping(BlocksConfig.class)
                    .withMapping(EventsConfig.class)
                    .withMapping(RedisConfig.class)
                    .withMapping(app.cruddur.messages.cipher.EncryptionConfig.class)
                    .withSources(new PropertiesConfigSource(DaxReadsTest.class.getResource("/application.properties"), 250))
                    .withSources(new PropertiesConfigSource(properties, "test", 500))
                    .withSources(new PropertiesConfigSource(Map.of("cruddur.messages.encryption.kms-key-id", "alias/test"), "kms", 400))
                    .build()
                    .getConfigMapping(DaxConfig.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
