package app.cruddur.messages.projection.lambda;

import app.cruddur.messages.projection.ListProjection;
import app.cruddur.messages.projection.ProjectionTraces;
import app.cruddur.messages.projection.StoredConversationMembers;
import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableClient;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;

/**
 * The stream projection on AWS Lambda: applies a batch of the table's stream records and reports
 * the records it could not apply for a reason that may pass as batch item failures, so that
 * Lambda retries only from there (the event source mapping needs ReportBatchItemFailures). A
 * record whose message cannot be read is never retried: the projection logs it, and the handler
 * counts it in the metric {@link UnreadableRecordsMetric} (one EMF document per invocation). No
 * web stack and no CDI: a plain handler over the same {@link ListProjection} the service uses.
 *
 * <p>Environment: {@code AWS_REGION} (set by Lambda), {@code DYNAMODB_TABLE_NAME} (default
 * cruddur-messages), {@code DYNAMODB_GROUP_INDEX} (default message-group-sk-index), and
 * {@code DYNAMODB_ENDPOINT} only to point it at DynamoDB Local. The events it sees go to the event
 * cache ({@link LambdaEventPublisher}): {@code REDIS_ENDPOINT} (host:port, TLS),
 * {@code REDIS_USER} (an IAM-authenticated user) and {@code REDIS_CACHE_NAME} on AWS, or
 * {@code REDIS_URL} ({@code redis://[user:password@]host:port}) locally; with neither it publishes nothing.
 * With active tracing ({@code AWS_XRAY_DAEMON_ADDRESS}), each move for a traced message joins the
 * message's trace ({@link XraySegments}).
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

    private final ListProjection projection;
    private final Optional<LambdaEventPublisher> events;

    /** The constructor Lambda calls, once per execution environment. */
    public StreamLambdaHandler() {
        this(clientFromEnvironment(), env("DYNAMODB_TABLE_NAME", MessagesTable.DEFAULT_NAME),
                env("DYNAMODB_GROUP_INDEX", MessagesTable.GROUP_INDEX), publisherFromEnvironment(), XraySegments.fromEnvironment());
    }

    /** A handler that publishes no events. */
    public StreamLambdaHandler(DynamoDbAsyncClient dynamo, String table, String groupIndex) {
        this(dynamo, table, groupIndex, Optional.empty(), ProjectionTraces.NONE);
    }

    /** A handler that publishes its events to {@code redis://[user:password@]host:port} (no TLS). */
    public StreamLambdaHandler(DynamoDbAsyncClient dynamo, String table, String groupIndex, URI redis) {
        this(dynamo, table, groupIndex, Optional.of(plainPublisher(redis)), ProjectionTraces.NONE);
    }

    private static LambdaEventPublisher plainPublisher(URI redis) {
        String[] credentials = redis.getUserInfo() == null ? new String[0] : redis.getUserInfo().split(":", 2);
        String user = credentials.length == 2 ? credentials[0] : null;
        String password = credentials.length == 2 ? credentials[1] : null;
        return new LambdaEventPublisher(new HostAndPort(redis.getHost(), redis.getPort()), false, user, () -> password);
    }

    private StreamLambdaHandler(DynamoDbAsyncClient dynamo, String table, String groupIndex,
                                Optional<LambdaEventPublisher> events, ProjectionTraces traces) {
        // Members never change, so a warm Lambda keeps them.
        TableClient client = TableClient.direct(dynamo, table, groupIndex, Caller.PROJECTION);
        this.events = events;
        this.projection = new ListProjection(client, new StoredConversationMembers(client, MEMBER_CACHE_SIZE),
                events.<TableChanges>map(publisher -> publisher).orElse(TableChanges.NONE), traces);
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<StreamChange> changes = records.stream().map(LambdaRecords::toChange).toList();
        ListProjection.Outcome outcome = projection.apply(changes).await().atMost(BATCH_TIMEOUT);
        int published = events.map(LambdaEventPublisher::flush).orElse(0);
        List<StreamsEventResponse.BatchItemFailure> failures = outcome.failedSequenceNumbers().stream()
                .map(sequence -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequence).build())
                .toList();
        if (context != null) {
            LambdaLogger log = context.getLogger();
            int passed = unreadablePassed(changes, outcome);
            // Each call is a log event of its own on Lambda; the line ends keep them apart where the runtime writes to stdout.
            if (passed > 0) {
                log.log(UnreadableRecordsMetric.document(passed, Instant.now()) + "\n");
            }
            log.log("records " + records.size() + ", messages " + outcome.messages() + ", conversations "
                    + outcome.conversations() + ", unreadable " + outcome.unreadable().size() + ", failed " + failures.size()
                    + ", events published " + published + "\n");
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * The unreadable records Lambda will not deliver again, so that each is counted once: those
     * before the batch's first failed record (Lambda retries the batch from there).
     */
    private static int unreadablePassed(List<StreamChange> batch, ListProjection.Outcome outcome) {
        Set<String> failed = new HashSet<>(outcome.failedSequenceNumbers());
        Set<String> unreadable = new HashSet<>();
        outcome.unreadable().forEach(record -> unreadable.add(record.sequenceNumber()));
        int passed = 0;
        for (StreamChange change : batch) {
            if (failed.contains(change.sequenceNumber())) {
                break;
            }
            if (unreadable.contains(change.sequenceNumber())) {
                passed++;
            }
        }
        return passed;
    }

    private static Optional<LambdaEventPublisher> publisherFromEnvironment() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return Optional.of(plainPublisher(URI.create(url)));
        }
        String endpoint = System.getenv("REDIS_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            return Optional.empty();
        }
        String user = env("REDIS_USER", "");
        ElastiCacheIamToken token = new ElastiCacheIamToken(env("REDIS_CACHE_NAME", ""), user, env("AWS_REGION", "us-east-1"),
                DefaultCredentialsProvider.builder().build(), java.time.Clock.systemUTC());
        return Optional.of(new LambdaEventPublisher(HostAndPort.from(endpoint), true, user, token::next));
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
