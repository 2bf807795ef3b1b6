package app.cruddur.messages.projection.lambda;

import app.cruddur.messages.projection.GroupRowProjection;
import app.cruddur.messages.table.AccessPatterns;
import app.cruddur.messages.table.ConversationItem;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
    /** Members never change, so a warm Lambda keeps them. */
    private final Map<UUID, Set<UUID>> members = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Set<UUID>> eldest) {
            return size() > MEMBER_CACHE_SIZE;
        }
    });

    /** The constructor Lambda calls, once per execution environment. */
    public StreamLambdaHandler() {
        this(clientFromEnvironment(), env("DYNAMODB_TABLE_NAME", "cruddur-messages"),
                env("DYNAMODB_GROUP_INDEX", "message-group-sk-index"));
    }

    public StreamLambdaHandler(DynamoDbAsyncClient dynamo, String table, String groupIndex) {
        this.projection = new GroupRowProjection(dynamo, table, groupIndex, group -> members(dynamo, table, group));
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

    private Uni<Optional<Set<UUID>>> members(DynamoDbAsyncClient dynamo, String table, UUID group) {
        Set<UUID> known = members.get(group);
        if (known != null) {
            return Uni.createFrom().item(Optional.of(known));
        }
        return Uni.createFrom().completionStage(() -> dynamo.getItem(AccessPatterns.conversation(table, group)))
                .map(response -> {
                    if (!response.hasItem() || response.item().isEmpty()) {
                        return Optional.<Set<UUID>>empty();
                    }
                    Set<UUID> found = ConversationItem.from(response.item()).memberUuids();
                    members.put(group, found);
                    return Optional.of(found);
                });
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
