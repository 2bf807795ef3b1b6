package app.cruddur.messages.projection.lambda;

import app.cruddur.messages.projection.GroupRowProjection;
import app.cruddur.messages.projection.StoredConversationMembers;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;

/**
 * The stream projection on AWS Lambda: applies a batch of the table's stream records and reports
 * the records it could not apply as batch item failures, so that Lambda retries only from there
 * (the event source mapping needs ReportBatchItemFailures). No web stack and no CDI: a plain
 * handler over the same {@link GroupRowProjection} the service uses.
 *
 * <p>Environment: {@code AWS_REGION} (set by Lambda), {@code DYNAMODB_TABLE_NAME} (default
 * cruddur-messages), {@code DYNAMODB_GROUP_INDEX} (default message-group-sk-index), and
 * {@code DYNAMODB_ENDPOINT} only to point it at DynamoDB Local.
 */
public class StreamLambdaHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(50);
    private static final int MEMBER_CACHE_SIZE = 10_000;

    private final GroupRowProjection projection;

    /** The constructor Lambda calls, once per execution environment. */
    public StreamLambdaHandler() {
        this(clientFromEnvironment(), env("DYNAMODB_TABLE_NAME", "cruddur-messages"),
                env("DYNAMODB_GROUP_INDEX", "message-group-sk-index"));
    }

    public StreamLambdaHandler(DynamoDbAsyncClient dynamo, String table, String groupIndex) {
        // Members never change, so a warm Lambda keeps them.
        this.projection = new GroupRowProjection(dynamo, table, groupIndex,
                new StoredConversationMembers(dynamo, table, MEMBER_CACHE_SIZE));
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        GroupRowProjection.Outcome outcome = projection.apply(records.stream().map(LambdaRecords::toChange).toList())
                .await().atMost(BATCH_TIMEOUT);
        List<StreamsEventResponse.BatchItemFailure> failures = outcome.failedSequenceNumbers().stream()
                .map(sequence -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequence).build())
                .toList();
        if (context != null) {
            context.getLogger().log("records " + records.size() + ", messages " + outcome.messages() + ", conversations "
                    + outcome.conversations() + ", failed " + failures.size());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    private static DynamoDbAsyncClient clientFromEnvironment() {
        DynamoDbAsyncClientBuilder builder = DynamoDbAsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                .region(Region.of(env("AWS_REGION", "us-east-1")));
        String endpoint = System.getenv("DYNAMODB_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
