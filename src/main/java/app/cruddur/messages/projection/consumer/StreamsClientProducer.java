package app.cruddur.messages.projection.consumer;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;

/**
 * The DynamoDB Streams client, configured like the DynamoDB client (region, credentials, deadlines,
 * and the endpoint override that points both at DynamoDB Local). Without an override the SDK finds the
 * streams endpoint of the region itself.
 */
public class StreamsClientProducer {

    @Produces
    @Singleton
    DynamoDbStreamsAsyncClient streams(DynamoDbAsyncClient dynamo) {
        DynamoDbServiceClientConfiguration config = dynamo.serviceClientConfiguration();
        var builder = DynamoDbStreamsAsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                .region(config.region())
                .credentialsProvider(config.credentialsProvider());
        config.endpointOverride().ifPresent(builder::endpointOverride);
        // The same deadlines per attempt and per call (quarkus.dynamodb.api-call-*timeout).
        ClientOverrideConfiguration deadlines = config.overrideConfiguration();
        builder.overrideConfiguration(override -> {
            deadlines.apiCallAttemptTimeout().ifPresent(override::apiCallAttemptTimeout);
            deadlines.apiCallTimeout().ifPresent(override::apiCallTimeout);
        });
        return builder.build();
    }

    void close(@Disposes DynamoDbStreamsAsyncClient streams) {
        streams.close();
    }
}
