package app.cruddur.messages.projection;

import static app.cruddur.messages.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.projection.consumer.StreamConsumer;
import app.cruddur.messages.projection.lambda.StreamLambdaHandler;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RecordingContext;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.user.UserRepository;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import app.cruddur.messages.support.FaultProxy;
import app.cruddur.messages.support.Tokens;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The Lambda handler, given a stream event in the documented JSON shape, read the way the Lambda
 * Java runtime reads it: a record whose message cannot be read is logged, counted in the EMF
 * metric and skipped; a record that failed for a reason that may pass is a batch item failure.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class StreamLambdaHandlerTest {

    /** The unreadable record of the documented event, and its message text, which no log may show. */
    private static final String POISONED = "111100000000000000000002";
    private static final String POISONED_TEXT = "a message nobody can place";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    UserRepository users;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    TableConfig tableConfig;
    @Inject
    StreamConsumer consumer;

    @TestHTTPResource("/api/events")
    URI events;

    @AfterEach
    void consumerRunsAgain() {
        consumer.start();
    }

    @Test
    void appliesTheBatchAndSkipsTheUnreadableRecordWithAWarningAndAMetric() throws IOException {
        Batch batch = batch();
        StreamLambdaHandler handler = new StreamLambdaHandler(dynamo, tableConfig.name(), tableConfig.groupIndex());
        RecordingContext context = new RecordingContext();

        StreamsEventResponse response;
        long before = System.currentTimeMillis();
        try (LogLines log = LogLines.of(ListProjection.class)) {
            response = handler.handleRequest(batch.event(), context);

            List<String> warning = log.containing(POISONED);
            assertEquals(1, warning.size(), "one line for the unreadable record: " + log.all());
            assertTrue(warning.get(0).startsWith("WARN"), warning.get(0));
            for (String part : List.of("pk MSG#" + batch.group(), "sk not a timestamp", "not a table timestamp")) {
                assertTrue(warning.get(0).contains(part), part + " in " + warning.get(0));
            }
            assertTrue(log.all().stream().noneMatch(line -> line.contains(POISONED_TEXT)), "no message text in the log: " + log.all());
        }

        assertEquals(List.of(), failures(response), "nothing to retry: the unreadable record never becomes readable");
        assertMetric(context.events(), 1, before, System.currentTimeMillis());
        for (TestUser member : List.of(batch.a(), batch.b())) {
            ListEntryItem entry = entry(member, batch.group());
            assertEquals("answered through Lambda", entry.message());
            assertEquals(batch.replyAt(), entry.sk());
        }

        // Lambda delivers the batch again (its answer was lost): the same answer, nothing moves back.
        assertEquals(List.of(), failures(handler.handleRequest(batch.event(), null)));
        assertEquals(batch.replyAt(), entry(batch.a(), batch.group()).sk());
    }

    @Test
    void publishesWhatItSawToTheMembersStreamsOnce() throws Exception {
        Batch batch = batch();
        StreamLambdaHandler handler = new StreamLambdaHandler(dynamo, tableConfig.name(), tableConfig.groupIndex(),
                URI.create(Tokens.stack().redisUrl()));
        try (EventStreamClient stream = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + batch.a().token()))) {
            handler.handleRequest(batch.event(), null);

            List<Event> seen = stream.drain(Duration.ofSeconds(2));
            assertEquals(List.of("message", "message_group"), seen.stream().map(Event::name).toList());
            assertEquals("answered through Lambda", seen.get(0).json().path("message").asText());
            assertEquals(batch.b().handle(), seen.get(0).json().path("handle").asText());
            assertEquals(batch.group(), seen.get(1).json().path("uuid").asText());
            assertEquals(batch.replyAt(), seen.get(1).json().path("created_at").asText());

            // Redelivered: the message was published already and the entries do not move again.
            handler.handleRequest(batch.event(), null);
            assertEquals(List.of(), stream.drain(Duration.ofSeconds(1)));
        }
    }

    @Test
    void aSilentDynamoDbFailsTheBatchInBoundedTimeAndTheRetryAppliesIt() throws Exception {
        Batch batch = batch();
        URI local = URI.create(Tokens.stack().dynamodbEndpoint());
        try (FaultProxy proxy = FaultProxy.start(local.getHost(), local.getPort());
             DynamoDbAsyncClient client = StreamLambdaHandler.clientFor(Region.US_EAST_1,
                     Optional.of(URI.create("http://localhost:" + proxy.port())),
                     StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))) {
            StreamLambdaHandler handler = new StreamLambdaHandler(client, tableConfig.name(), tableConfig.groupIndex());
            proxy.blackHole();

            // The handler gives up on the silent calls (its deadlines) instead of running into Lambda's timeout.
            RecordingContext silent = new RecordingContext();
            StreamsEventResponse failed = CompletableFuture.supplyAsync(() -> handler.handleRequest(batch.event(), silent))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(List.of("111100000000000000000001"), failures(failed),
                    "the reply's record waits for a retry, the unreadable one does not");
            // Lambda delivers the unreadable record again with the retry: it is counted when it is passed, once.
            assertEquals(List.of(), metrics(silent.events()), "no metric yet: " + silent.events());

            proxy.pass();
            RecordingContext retry = new RecordingContext();
            long before = System.currentTimeMillis();
            StreamsEventResponse retried = handler.handleRequest(batch.event(), retry);
            assertEquals(List.of(), failures(retried));
            assertMetric(retry.events(), 1, before, System.currentTimeMillis());
            assertEquals(batch.replyAt(), entry(batch.a(), batch.group()).sk());
            assertEquals(batch.replyAt(), entry(batch.b(), batch.group()).sk());
        }
    }

    private static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /** The log events that are EMF documents. */
    private static List<String> metrics(List<String> events) {
        return events.stream().filter(event -> event.startsWith("{\"_aws\"")).toList();
    }

    /**
     * One EMF document among the invocation's log events, a log event of its own on one line, in the
     * shape CloudWatch's Embedded Metric Format requires, counting {@code count} unreadable records.
     */
    private static void assertMetric(List<String> events, int count, long from, long to) throws IOException {
        List<String> documents = metrics(events);
        assertEquals(1, documents.size(), "one EMF document: " + events);
        assertEquals(1, documents.get(0).strip().lines().count(), documents.get(0));
        JsonNode document = JSON.readTree(documents.get(0));
        long timestamp = document.path("_aws").path("Timestamp").asLong();
        assertTrue(timestamp >= from && timestamp <= to, "milliseconds of the invocation: " + timestamp);
        assertEquals(JSON.readTree(("{\"_aws\":{\"Timestamp\":%d,\"CloudWatchMetrics\":[{\"Namespace\":\"CruddurMessages\","
                + "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"UnreadableStreamRecords\",\"Unit\":\"Count\"}]}]},"
                + "\"UnreadableStreamRecords\":%d}").formatted(timestamp, count)), document);
    }

    /** A conversation of two new users, and the stream batch of the documented event with its reply by b. */
    private record Batch(TestUser a, TestUser b, String group, String replyAt, DynamodbEvent event) {
    }

    private Batch batch() throws IOException {
        TestUser a = TestUsers.register(users, "lam");
        TestUser b = TestUsers.register(users, "lam");
        String group = post(a, Map.of("message", "opening", "handle", b.handle())).getString("message_group_uuid");
        // The service's own consumer stays out of the way: only the handler moves entries here.
        consumer.stop();
        String replyAt = Timestamps.format(Instant.now().plus(1, ChronoUnit.MILLIS));
        DynamodbEvent event = event(Map.of("${GROUP}", group, "${REPLY_AT}", replyAt, "${REPLY_UUID}", UUID.randomUUID().toString(),
                "${SENDER_UUID}", b.uuid().toString(), "${SENDER_NAME}", b.displayName(), "${SENDER_HANDLE}", b.handle()));
        return new Batch(a, b, group, replyAt, event);
    }

    private ListEntryItem entry(TestUser owner, String group) {
        List<ListEntryItem> entries = dynamo.query(ListEntryItem.listRequest(tableConfig.name(), owner.uuid(), Optional.empty(), 100))
                .join().items().stream().map(ListEntryItem::from)
                .filter(entry -> entry.conversationUuid().toString().equals(group)).toList();
        assertEquals(1, entries.size(), "one entry per member and conversation");
        return entries.get(0);
    }

    private static DynamodbEvent event(Map<String, String> values) throws IOException {
        try (InputStream in = StreamLambdaHandlerTest.class.getResourceAsStream("/projection/dynamodb-stream-event.json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                json = json.replace(value.getKey(), value.getValue());
            }
            return LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamLambdaHandlerTest.class.getClassLoader())
                    .fromJson(json);
        }
    }
}
