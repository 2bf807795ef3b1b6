package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.events.wire.EventChannelNames;
import app.cruddur.messages.events.wire.EventKind;
import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalDynamoDb;
import app.cruddur.messages.support.FaultProxy;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RedisChannels;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.wiring.MessagesTableAdmin;
import app.cruddur.messages.table.NewConversation;
import app.cruddur.messages.table.TableClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import app.cruddur.messages.support.CallerTrace;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;

/**
 * Runs after packaging: the Lambda artifact works as Lambda runs it. AWS's Java runtime (the
 * runtime interface client), in a JVM of its own, loads the handler from the extracted artifact
 * alone and takes DynamoDB stream events, records read from DynamoDB Local's stream in the JSON
 * Lambda delivers, from a Runtime API stub; the test reads the answers it posts back as Lambda
 * would. A message written straight into the table moves both members' list entries and is published
 * on Redis; its batch redelivered gets the same answer and changes nothing; a TTL removal is
 * ignored; an unreadable record is logged, counted in the EMF metric the function prints, and
 * skipped, never a batch item failure; a traced message's move is an X-Ray segment of its trace.
 */
class LambdaRuntimeIT {

    private static final String HANDLER = "app.cruddur.messages.projection.lambda.StreamLambdaHandler::handleRequest";
    private static final String REGION = "us-east-1";
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStackProcess stack;
    private static DynamoDbAsyncClient dynamo;
    private static DynamoDbStreamsAsyncClient streams;
    private static TableClient table;
    private static String streamArn;
    private static RuntimeApiStub api;
    private static LambdaRuntimeProcess runtime;
    private static FaultProxy dynamoProxy;
    private static FaultProxy redisProxy;
    /** Where the function sends its X-Ray segments: the daemon Lambda runs beside a function with active tracing. */
    private static DatagramSocket xrayDaemon;
    /** Connections the function had opened to DynamoDB and Redis when its initialisation was over. */
    private static int connectionsAtInit = -1;

    @BeforeAll
    static void startTheRuntime() throws IOException {
        stack = LocalStackTestResource.started();
        dynamo = LocalDynamoDb.client(stack.dynamodbEndpoint());
        new MessagesTableAdmin(dynamo, LocalDynamoDb.TABLE, LocalDynamoDb.GROUP_INDEX, Caller.TOOLS).ensureTable().await().atMost(WAIT);
        streamArn = dynamo.describeTable(b -> b.tableName(LocalDynamoDb.TABLE)).join().table().latestStreamArn();
        streams = DynamoDbStreamsAsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                .endpointOverride(URI.create(stack.dynamodbEndpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        table = TableClient.direct(dynamo, LocalDynamoDb.TABLE, LocalDynamoDb.GROUP_INDEX, Caller.TOOLS);
        api = RuntimeApiStub.start();
        xrayDaemon = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        // The function reaches DynamoDB and Redis through proxies that count its connections.
        URI dynamoEndpoint = URI.create(stack.dynamodbEndpoint());
        URI redisUrl = URI.create(stack.redisUrl());
        dynamoProxy = FaultProxy.start(dynamoEndpoint.getHost(), dynamoEndpoint.getPort());
        redisProxy = FaultProxy.start(redisUrl.getHost(), redisUrl.getPort());
        runtime = LambdaRuntimeProcess.start(ShadedJars.of("lambda"), HANDLER, Path.of("target", "lambda-runtime"),
                Path.of("target", "lambda-runtime-it"), api, Map.of(
                        "DYNAMODB_ENDPOINT", "http://localhost:" + dynamoProxy.port(),
                        "DYNAMODB_TABLE_NAME", LocalDynamoDb.TABLE,
                        "DYNAMODB_GROUP_INDEX", LocalDynamoDb.GROUP_INDEX,
                        "REDIS_URL", redisUrl.toString().replace(":" + redisUrl.getPort(), ":" + redisProxy.port()),
                        "AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:" + xrayDaemon.getLocalPort(),
                        "AWS_LAMBDA_FUNCTION_NAME", "cruddur-projection-it"));
        // SnapStart snapshots the function when its initialisation is over (the runtime asks for its first invocation).
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!api.initialised() && System.nanoTime() < deadline) {
            Await.pause();
        }
        assertTrue(api.initialised(), "the runtime did not finish its initialisation");
        connectionsAtInit = dynamoProxy.accepted() + redisProxy.accepted();
    }

    @Test
    void itsInitialisationOpensNoConnectionThatASnapshotWouldHold() throws Exception {
        // SnapStart resumes many environments from one snapshot of the initialised function: a connection
        // opened during initialisation would be stale in every one of them.
        assertEquals(0, connectionsAtInit, "connections to DynamoDB and Redis at the end of initialisation");
        UUID dan = UUID.randomUUID();
        MessageItem first = conversation(dan, UUID.randomUUID());
        MessageItem reply = reply(first, 1, "the first invocation connects", dan, "Dan");
        assertEquals(TableClient.Outcome.WRITTEN, reply.put(table).await().atMost(WAIT));
        assertEquals(failures(), invoke(DynamodbEventJson.event(List.of(DynamodbEventJson.record(
                streamRecord(reply.pk(), reply.sk(), "INSERT"), streamArn, REGION)))));
        assertTrue(dynamoProxy.accepted() > 0, "the function connects to DynamoDB when it first needs it");
        assertTrue(redisProxy.accepted() > 0, "and to Redis");
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (dynamoProxy != null) {
            dynamoProxy.close();
        }
        if (redisProxy != null) {
            redisProxy.close();
        }
        if (api != null) {
            api.close();
        }
        if (xrayDaemon != null) {
            xrayDaemon.close();
        }
        if (streams != null) {
            streams.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Test
    void aMessageWrittenIntoTheTableMovesBothRowsAndIsPublishedOnceAlsoWhenRedelivered() throws Exception {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        MessageItem first = conversation(alice, bob);
        MessageItem reply = reply(first, 1, "written by a tool", bob, "Bob");
        assertEquals(TableClient.Outcome.WRITTEN, reply.put(table).await().atMost(WAIT));
        String batch = DynamodbEventJson.event(List.of(DynamodbEventJson.record(streamRecord(reply.pk(), reply.sk(), "INSERT"),
                streamArn, REGION)));

        try (RedisChannels channels = RedisChannels.subscribe(URI.create(stack.redisUrl()), alice, bob)) {
            assertEquals(failures(), invoke(batch));
            List<ListEntryItem> entries = List.of(entry(alice, reply), entry(bob, reply));
            entries.forEach(entry -> {
                assertEquals(reply.createdAt(), entry.lastReplyAt(), "the entry moved to the message: " + entry);
                assertEquals(reply.message(), entry.message());
            });
            List<RedisChannels.Published> published = channels.drain();
            assertEquals(Stream.of(alice, bob).map(EventChannelNames::channel).sorted().toList(),
                    messageEvents(published, reply), "the message event, on each member's channel once: " + published);

            // Lambda delivers the batch again (the invocation timed out, or its answer was lost).
            assertEquals(failures(), invoke(batch), "the same answer");
            assertEquals(entries, List.of(entry(alice, reply), entry(bob, reply)), "the entries unchanged");
            assertEquals(List.of(), channels.drain(), "nothing published again");
        }
    }

    @Test
    void aTracedMessagesMoveJoinsItsTraceAsAnXraySegmentAndItsEventCarriesTheTrace() throws Exception {
        UUID erin = UUID.randomUUID();
        UUID frank = UUID.randomUUID();
        MessageItem first = conversation(erin, frank);
        MessageItem untraced = reply(first, 1, "in no trace", frank, "Frank");
        CallerTrace post = CallerTrace.random(true);
        MessageItem traced = reply(first, 2, "in the trace of its POST", erin, "Erin").tracedBy(post.header());
        assertEquals(TableClient.Outcome.WRITTEN, untraced.put(table).await().atMost(WAIT));
        assertEquals(TableClient.Outcome.WRITTEN, traced.put(table).await().atMost(WAIT));
        segments(Duration.ofMillis(200));

        // A message in no trace: no segment (the function sends one before it answers).
        assertEquals(failures(), invoke(DynamodbEventJson.event(List.of(DynamodbEventJson.record(
                streamRecord(untraced.pk(), untraced.sk(), "INSERT"), streamArn, REGION)))));
        assertEquals(List.of(), segments(Duration.ofMillis(300)), "a segment of a message in no trace");

        try (RedisChannels channels = RedisChannels.subscribe(URI.create(stack.redisUrl()), erin, frank)) {
            long before = System.currentTimeMillis();
            assertEquals(failures(), invoke(DynamodbEventJson.event(List.of(DynamodbEventJson.record(
                    streamRecord(traced.pk(), traced.sk(), "INSERT"), streamArn, REGION)))));
            long after = System.currentTimeMillis();

            List<String> datagrams = segments(Duration.ofMillis(300));
            assertEquals(1, datagrams.size(), "one segment: " + datagrams);
            List<String> lines = datagrams.get(0).lines().toList();
            assertEquals(2, lines.size(), datagrams.get(0));
            assertEquals(JSON.readTree("{\"format\":\"json\",\"version\":1}"), JSON.readTree(lines.get(0)), "the daemon's header");
            JsonNode segment = JSON.readTree(lines.get(1));
            assertEquals("1-" + post.traceId().substring(0, 8) + "-" + post.traceId().substring(8), segment.path("trace_id").asText(),
                    "in the message's trace, in X-Ray's form");
            assertEquals(post.spanId(), segment.path("parent_id").asText(), "under the request that wrote it");
            assertEquals("cruddur-projection-it", segment.path("name").asText(), "named after the function");
            assertEquals("project message", segment.path("annotations").path("operation").asText());
            assertEquals(traced.conversationUuid().toString(), segment.path("annotations").path("conversation_uuid").asText());
            double start = segment.path("start_time").asDouble();
            double end = segment.path("end_time").asDouble();
            assertTrue(before / 1e3 <= start && start <= end && end <= after / 1e3, "within the invocation: " + segment);
            assertTrue(!datagrams.get(0).contains(traced.message()), "no message text in a segment");

            List<UserEvent> events = new ArrayList<>();
            for (RedisChannels.Published next : channels.drain()) {
                UserEvent.fromWire(next.wire()).filter(event -> event.name().equals(EventKind.MESSAGE_NAME)).ifPresent(events::add);
            }
            assertEquals(2, events.size(), "the message's event on both channels: " + events);
            events.forEach(event -> assertEquals(post.header(), event.traceParent(), "each stream's delivery joins the message's trace"));
        }
    }

    /** The datagrams the daemon has received, waiting {@code quiet} for each next one. */
    private static List<String> segments(Duration quiet) throws IOException {
        List<String> received = new ArrayList<>();
        byte[] buffer = new byte[65_536];
        xrayDaemon.setSoTimeout((int) quiet.toMillis());
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                xrayDaemon.receive(packet);
            } catch (SocketTimeoutException e) {
                return received;
            }
            received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTimeToLiveRemovalIsIgnored() {
        UUID user = UUID.randomUUID();
        MessageItem created = new MessageItem(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), "hi", user, "Ann", "ann");
        IdempotencyItem record = new IdempotencyItem(user, "key-" + UUID.randomUUID(), "hash", created, Instant.now().minusSeconds(1));
        dynamo.putItem(b -> b.tableName(LocalDynamoDb.TABLE).item(record.toItem())).join();
        dynamo.deleteItem(b -> b.tableName(LocalDynamoDb.TABLE).key(record.key())).join();
        Record removal = streamRecord(IdempotencyItem.partition(user, record.idempotencyKey()), IdempotencyItem.SK, "REMOVE");

        assertEquals(failures(), invoke(DynamodbEventJson.event(List.of(DynamodbEventJson.timeToLiveRemoval(removal, streamArn, REGION)))));
    }

    @Test
    void anUnreadableRecordIsLoggedCountedAndSkippedWhileTheRestOfItsBatchApplies() throws IOException {
        UUID carol = UUID.randomUUID();
        MessageItem first = conversation(carol, UUID.randomUUID());
        MessageItem reply = reply(first, 1, "after the unreadable one", carol, "Carol");
        String poisonedPk = MessageItem.partition(UUID.randomUUID());
        String poisonedText = "a message whose sort key is no time";
        dynamo.putItem(b -> b.tableName(LocalDynamoDb.TABLE).item(Map.of(
                MessagesTable.PK, AttributeValue.fromS(poisonedPk), MessagesTable.SK, AttributeValue.fromS("not a time"),
                MessagesTable.MESSAGE, AttributeValue.fromS(poisonedText)))).join();
        assertEquals(TableClient.Outcome.WRITTEN, reply.put(table).await().atMost(WAIT));
        Record poisoned = streamRecord(poisonedPk, "not a time", "INSERT");
        String sequence = poisoned.dynamodb().sequenceNumber();
        int logged = runtime.output().length();
        long before = System.currentTimeMillis();

        JsonNode answer = invoke(DynamodbEventJson.event(List.of(
                DynamodbEventJson.record(poisoned, streamArn, REGION),
                DynamodbEventJson.record(streamRecord(reply.pk(), reply.sk(), "INSERT"), streamArn, REGION))));
        long after = System.currentTimeMillis();

        assertEquals(failures(), answer, "no retry: the unreadable record never becomes readable");
        assertEquals(reply.createdAt(), entry(carol, reply).lastReplyAt(), "the good record of the batch was applied");
        List<String> lines = new ArrayList<>();
        Await.until(WAIT, () -> {
            lines.clear();
            lines.addAll(runtime.output().substring(logged).lines().toList());
            return lines.stream().anyMatch(line -> line.startsWith("{\"_aws\"")) && lines.stream().anyMatch(line -> line.contains(sequence));
        }, () -> "the function logged no metric or warning: " + lines);
        List<String> warning = lines.stream().filter(line -> line.contains("Stream record " + sequence)).toList();
        assertEquals(1, warning.size(), "one warning: " + lines);
        assertTrue(warning.get(0).startsWith("WARN") && warning.get(0).contains("(pk " + poisonedPk + ", sk not a time)")
                && warning.get(0).endsWith(": not a table timestamp: not a time"), warning.get(0));
        assertTrue(lines.stream().noneMatch(line -> line.contains(poisonedText)), "no message text in the log: " + lines);
        // The metric as CloudWatch Logs extracts it from the log event (the Embedded Metric Format), on a line of its own.
        List<String> documents = lines.stream().filter(line -> line.startsWith("{\"_aws\"")).toList();
        assertEquals(1, documents.size(), "one EMF document: " + lines);
        JsonNode document = JSON.readTree(documents.get(0));
        long timestamp = document.path("_aws").path("Timestamp").asLong();
        assertTrue(timestamp >= before && timestamp <= after, "milliseconds of the invocation: " + timestamp);
        assertEquals(JSON.readTree(("{\"_aws\":{\"Timestamp\":%d,\"CloudWatchMetrics\":[{\"Namespace\":\"CruddurMessages\","
                + "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"UnreadableStreamRecords\",\"Unit\":\"Count\"}]}]},"
                + "\"UnreadableStreamRecords\":1}").formatted(timestamp)), document);
    }

    /** A message of {@code sender}'s into the conversation of {@code first}, {@code seconds} after it, as a tool writes one. */
    private static MessageItem reply(MessageItem first, int seconds, String text, UUID sender, String name) {
        return new MessageItem(first.conversationUuid(), first.createdAt().plusSeconds(seconds), UUID.randomUUID(), text, sender, name,
                name.toLowerCase(java.util.Locale.ROOT));
    }

    /** A conversation of two members, as the service creates it (both list entries, its first message); returns that message. */
    private static MessageItem conversation(UUID sender, UUID receiver) {
        MessageItem first = new MessageItem(UUID.randomUUID(), Instant.now().minusSeconds(60), UUID.randomUUID(), "hello",
                sender, "Sender", "sender");
        assertEquals(TableClient.Outcome.WRITTEN, (NewConversation.of(first.conversationUuid(), first, receiver, "Receiver", "receiver")).create(table, Optional.empty())
                .await().atMost(WAIT));
        return first;
    }

    private static ListEntryItem entry(UUID owner, MessageItem of) {
        return ListEntryItem.listConversations(table, owner, Optional.empty(), 10).await().atMost(WAIT).items().stream()
                .filter(entry -> entry.conversationUuid().equals(of.conversationUuid())).findFirst()
                .orElseThrow(() -> new AssertionError(owner + " has no entry of " + of.conversationUuid()));
    }

    /** What Lambda reads from the runtime's answer: the batch item failures of a StreamsEventResponse. */
    private static JsonNode invoke(String event) {
        try {
            return JSON.readTree(runtime.invoke(api, event, INVOCATION_TIMEOUT));
        } catch (IOException e) {
            throw new AssertionError("the runtime's answer is no JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode failures(String... sequenceNumbers) {
        var answer = JSON.createObjectNode();
        var failures = answer.putArray("batchItemFailures");
        for (String sequenceNumber : sequenceNumbers) {
            failures.addObject().put("itemIdentifier", sequenceNumber);
        }
        return answer;
    }

    /** The record of the table's stream for this key and event, once the stream has it. */
    private static Record streamRecord(String pk, String sk, String eventName) {
        List<Record> found = new ArrayList<>();
        Await.until(WAIT, () -> {
            found.clear();
            found.addAll(streamRecords().stream()
                    .filter(record -> record.eventNameAsString().equals(eventName)
                            && pk.equals(record.dynamodb().keys().get(MessagesTable.PK).s())
                            && sk.equals(record.dynamodb().keys().get(MessagesTable.SK).s()))
                    .toList());
            return !found.isEmpty();
        }, () -> "no " + eventName + " of " + pk + " / " + sk + " in the stream " + streamArn);
        assertEquals(1, found.size(), "one " + eventName + " of " + pk);
        return found.get(0);
    }

    private static List<Record> streamRecords() {
        List<Record> records = new ArrayList<>();
        for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).join().streamDescription().shards()) {
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
            while (iterator != null) {
                String current = iterator;
                var page = streams.getRecords(b -> b.shardIterator(current).limit(1000)).join();
                records.addAll(page.records());
                // An open shard's iterator never ends: its first empty page is its end for now.
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return records;
    }

    /** The channels the message's event was published on, in order of name. */
    private static List<String> messageEvents(List<RedisChannels.Published> published, MessageItem message) throws IOException {
        List<String> channels = new ArrayList<>();
        for (RedisChannels.Published next : published) {
            UserEvent event = UserEvent.fromWire(next.wire()).orElseThrow(() -> new AssertionError("not an event: " + next));
            if (event.name().equals(EventKind.MESSAGE_NAME)) {
                assertEquals(message.messageUuid().toString(), JSON.readTree(event.data()).path("uuid").asText());
                channels.add(next.channel());
            }
        }
        return channels.stream().sorted().toList();
    }
}
