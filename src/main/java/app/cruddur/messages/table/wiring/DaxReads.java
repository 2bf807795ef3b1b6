package app.cruddur.messages.table.wiring;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.CredentialUtils;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.dax.ClusterDaxAsyncClient;
import software.amazon.dax.Configuration;

/**
 * The client for the eventually consistent reads (pattern B's Queries): a DAX cluster
 * when {@code cruddur.messages.dax.endpoint} is set, otherwise DynamoDB itself.
 *
 * <p>Only these reads may be served from a cache. Membership, pair and idempotency reads are
 * strongly consistent (DAX would only pass them through), and writes go straight to DynamoDB:
 * a write through DAX would not refresh DAX's query cache anyway.
 */
@Singleton
public class DaxReads {

    private static final Logger LOG = Logger.getLogger(DaxReads.class);

    private final DynamoDbAsyncClient client;
    private final boolean dax;

    @Inject
    public DaxReads(DynamoDbAsyncClient dynamo, DaxConfig config) {
        this(select(config.endpoint(), dynamo));
    }

    private DaxReads(DynamoDbAsyncClient client) {
        this.client = client;
        this.dax = client instanceof ClusterDaxAsyncClient;
        if (dax) {
            LOG.info("Message pages (pattern B) are read through DAX; conversation lists stay strongly consistent on DynamoDB");
        }
    }

    /** DAX for a configured endpoint, with the DynamoDB client's region and credentials (the task role); else DynamoDB. */
    static DynamoDbAsyncClient select(Optional<String> endpoint, DynamoDbAsyncClient dynamo) {
        Optional<String> url = endpoint.map(String::strip).filter(value -> !value.isEmpty());
        if (url.isEmpty()) {
            return dynamo;
        }
        Region region = dynamo.serviceClientConfiguration().region();
        AwsCredentialsProvider credentials = CredentialUtils.toCredentialsProvider(
                dynamo.serviceClientConfiguration().credentialsProvider());
        try {
            return ClusterDaxAsyncClient.builder()
                    .overrideConfiguration(Configuration.builder()
                            .url(url.get())
                            .region(region)
                            .credentialsProvider(credentials)
                            .build())
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot create the DAX client for " + url.get() + ": " + e.getMessage(), e);
        }
    }

    /** The client to send eventually consistent Queries to. */
    public DynamoDbAsyncClient client() {
        return client;
    }

    /** Whether reads go through DAX. */
    public boolean dax() {
        return dax;
    }

    @PreDestroy
    public void close() {
        if (dax) {
            client.close();
        }
    }
}
