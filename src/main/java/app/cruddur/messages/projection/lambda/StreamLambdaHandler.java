package app.cruddur.messages.projection.lambda;

import app.cruddur.messages.projection.GroupRowProjection;
import app.cruddur.messages.projection.StoredConversationMembers;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableClient;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
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
    /**
     * The service's deadlines (quarkus.dynamodb.api-call-*timeout): a silent DynamoDB fails a
     * record's calls in bounded time, the record is reported failed, and Lambda retries from it.
     */
    private static final Duration ATTEMPT_DEADLINE = Duration.ofMillis(800);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(2);
    private static final int MEMBER_CACHE_SIZE = 10_000;

    private final GroupRowProjection projection;

    /** The constructor Lambda calls, once per execution environment. */
    public StreamLambdaHandler() {
        this(clientFromEnvironment(), env("DYNAMODB_TABLE_NAME", "cruddur-messages"),
                env("DYNAMODB_GROUP_INDEX", MessagesTable.GROUP_INDEX));
    }

    public StreamLambdaHandler(DynamoDbAsyncClient dynamo, String table, String groupIndex) {
        // Members never change, so a warm Lambda keeps them.
        TableClient client = TableClient.direct(dynamo, table, groupIndex);
        this.projection = new GroupRowProjection(client, new StoredConversationMembers(client, MEMBER_CACHE_SIZE));
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
        return clientFor(Region.of(env("AWS_REGION", "us-east-1")), Optional.ofNullable(System.getenv("DYNAMODB_ENDPOINT"))
                .filter(endpoint -> !endpoint.isBlank()).map(URI::create), DefaultCredentialsProvider.builder().build());
    }

    /** The handler's client: over aws-crt, as the service's, and with the service's deadlines. */
    public static DynamoDbAsyncClient clientFor(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
        DynamoDbAsyncClientBuilder builder = DynamoDbAsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                .overrideConfiguration(override -> override.apiCallAttemptTimeout(ATTEMPT_DEADLINE).apiCallTimeout(CALL_DEADLINE))
                .credentialsProvider(credentials)
                .region(region);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
