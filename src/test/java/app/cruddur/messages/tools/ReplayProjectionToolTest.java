package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.packaging.DynamodbEventJson;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.wiring.MessagesTableAdmin;
import app.cruddur.messages.table.NewConversation;
import app.cruddur.messages.table.TableClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;

/**
 * bin/ddb/replay-projection against DynamoDB Local: failure records of each shape, built from the
 * records of the table's real stream for messages written straight into the table (nothing else
 * moves the entries of this table), applied once, and again without effect; the records gone from the
 * stream; an unreadable item, fixed, then projected with --message.
 */
class ReplayProjectionToolTest {

    private static final String REGION = "us-east-1";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;
    private static Path coordinates;
    private static final String TABLE = "replay-test-" + UUID.randomUUID();
    private static DynamoDbAsyncClient dynamo;
    private static DynamoDbStreamsAsyncClient streams;
    private static TableClient table;
    private static String streamArn;

    /** A record of the table's stream and the shard that holds it. */
    private record InShard(String shardId, Record record) {
    }

    @BeforeAll
    static void table() throws IOException {
        coordinates = temp.resolve("coordinates.json");
        JSON.writeValue(coordinates.toFile(), LocalStackTestResource.started().coordinates());
        ToolTarget target = ToolTarget.resolve(false, env());
        dynamo = target.dynamo();
        streams = target.streams();
        new MessagesTableAdmin(dynamo, TABLE, target.groupIndex(), Caller.TOOLS).ensureTable().await().atMost(WAIT);
        streamArn = dynamo.describeTable(b -> b.tableName(TABLE)).join().table().latestStreamArn();
        table = TableClient.direct(dynamo, TABLE, target.groupIndex(), Caller.TOOLS);
    }

    @AfterAll
    static void close() {
        if (streams != null) {
            streams.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Test
    void anObjectOfTheFailureBucketMovesTheRowsOnceWhetherItsPayloadIsAStringOrAnObject() throws IOException {
        for (boolean payloadAsString : List.of(true, false)) {
            Conversation conversation = conversation();
            MessageItem reply = reply(conversation, "replayed from the bucket");
            assertEquals(conversation.first().createdAt(), entry(conversation.a(), reply).lastReplyAt(), "nothing moved the entries yet");
            Path object = write(bucketObject(List.of(inStream(reply.pk(), reply.sk())), payloadAsString));

            ToolRun first = run(object.toString());

            assertEquals(0, first.code(), first.err());
            assertEquals(List.of("records read: 1 from the failure record's payload (table " + TABLE + " in " + local() + ")",
                    "messages: 1 in 1 conversations", "conversations moved: 1 (2 list entries)", "unreadable: 0", "failed: 0"),
                    first.out().lines().toList());
            List<ListEntryItem> entries = List.of(entry(conversation.a(), reply), entry(conversation.b(), reply));
            entries.forEach(entry -> {
                assertEquals(reply.createdAt(), entry.lastReplyAt(), "moved to the reply: " + entry);
                assertEquals(reply.message(), entry.message());
            });

            ToolRun again = run(object.toString());
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().contains("conversations moved: 0 (0 list entries)"), again.out());
            assertEquals(entries, List.of(entry(conversation.a(), reply), entry(conversation.b(), reply)), "unchanged");
        }
    }

    @Test
    void aStreamEventOnStandardInputIsAppliedAsTheLambdaWouldHaveDone() {
        Conversation conversation = conversation();
        MessageItem older = reply(conversation, "older");
        MessageItem newer = reply(conversation, "newer");
        String event = DynamodbEventJson.event(List.of(
                DynamodbEventJson.record(inStream(older.pk(), older.sk()).record(), streamArn, REGION),
                DynamodbEventJson.record(inStream(newer.pk(), newer.sk()).record(), streamArn, REGION)));

        ToolRun result = ToolRun.of(out -> new ReplayProjectionTool(out, stdin(event))::run, env(), "-");

        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().startsWith("records read: 2 from the stream event"), result.out());
        assertTrue(result.out().contains("messages: 2 in 1 conversations\nconversations moved: 1 (2 list entries)"), result.out());
        assertEquals(newer.createdAt(), entry(conversation.a(), newer).lastReplyAt());
        assertEquals(newer.createdAt(), entry(conversation.b(), newer).lastReplyAt());
    }

    @Test
    void aMessageOfTheFailureQueueHasItsRecordsReadFromTheStreamOrIsToldTheyAreGone() throws IOException {
        Conversation conversation = conversation();
        MessageItem reply = reply(conversation, "read back from the stream");
        InShard start = inStream(conversation.first().pk(), conversation.first().sk());
        InShard end = inStream(reply.pk(), reply.sk());
        assertEquals(start.shardId(), end.shardId(), "one shard in DynamoDB Local");
        ObjectNode message = queueMessage(start, end);

        ToolRun replayed = run(write(message).toString());

        assertEquals(0, replayed.code(), replayed.err());
        assertTrue(replayed.out().startsWith("records read: "), replayed.out());
        assertTrue(replayed.out().contains(" from the stream " + streamArn + ", shard " + start.shardId() + ", sequence numbers "
                + start.record().dynamodb().sequenceNumber() + " to " + end.record().dynamodb().sequenceNumber()), replayed.out());
        // The conversation's first message and the reply; the conversation's other items are no messages.
        assertTrue(replayed.out().contains("messages: 2 in 1 conversations\nconversations moved: 1 (2 list entries)"), replayed.out());
        assertEquals(reply.createdAt(), entry(conversation.a(), reply).lastReplyAt());
        assertEquals(reply.createdAt(), entry(conversation.b(), reply).lastReplyAt());

        ToolRun again = run(write(message).toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("conversations moved: 0 (0 list entries)"), again.out());

        ((ObjectNode) message.get("DDBStreamBatchInfo")).put("shardId", "shardId-00000001700000000000-0badf00d");
        ToolRun gone = run(write(message).toString());
        assertEquals(1, gone.code(), gone.out() + gone.err());
        assertTrue(gone.err().startsWith("the batch's records are gone from the stream " + streamArn), gone.err());
        assertTrue(gone.err().contains("the stream keeps records 24 hours"), gone.err());
        assertEquals(1, gone.err().lines().count(), "one line: " + gone.err());
        assertEquals("", gone.out(), "nothing applied");
    }

    @Test
    void anUnreadableMessageIsListedByItsKeysAndOnceFixedIsProjectedWithMessage() throws IOException {
        Conversation conversation = conversation();
        MessageItem fixed = new MessageItem(conversation.first().conversationUuid(), conversation.first().createdAt().plusSeconds(5),
                UUID.randomUUID(), "fixed by an operator", conversation.b().uuid(), "Bee", "bee");
        Map<String, AttributeValue> broken = new HashMap<>(fixed.toItem());
        broken.put(MessagesTable.USER_UUID, AttributeValue.fromS("written-by-a-broken-tool"));
        broken.put(MessagesTable.MESSAGE, AttributeValue.fromS("text nobody may read in a log"));
        dynamo.putItem(b -> b.tableName(TABLE).item(broken)).join();
        InShard record = inStream(fixed.pk(), fixed.sk());
        Path object = write(bucketObject(List.of(record), true));

        ToolRun listed = run(object.toString());

        assertEquals(1, listed.code(), listed.out());
        assertTrue(listed.out().contains("unreadable: 1\n  " + record.record().dynamodb().sequenceNumber() + " pk " + fixed.pk()
                + " sk " + fixed.sk() + ": attribute user_uuid is not a uuid\nfailed: 0"), listed.out());
        assertFalse(listed.out().contains("nobody may read") || listed.out().contains("broken-tool"), listed.out());
        assertEquals("1 records cannot be read: fix each item in the table, then project it with --message MESSAGE_GROUP_UUID CREATED_AT",
                listed.err().strip());
        assertEquals(conversation.first().createdAt(), entry(conversation.a(), fixed).lastReplyAt(), "nothing moved");

        dynamo.putItem(b -> b.tableName(TABLE).item(fixed.toItem())).join();
        String group = fixed.conversationUuid().toString();
        ToolRun projected = run("--message", group, fixed.sk());

        assertEquals(0, projected.code(), projected.err());
        assertTrue(projected.out().startsWith("records read: 1 from the item " + fixed.pk() + " / " + fixed.sk()), projected.out());
        assertTrue(projected.out().contains("conversations moved: 1 (2 list entries)"), projected.out());
        for (var member : List.of(conversation.a(), conversation.b())) {
            assertEquals(fixed.createdAt(), entry(member, fixed).lastReplyAt());
            assertEquals("fixed by an operator", entry(member, fixed).message());
        }
        ToolRun again = run("--message", group, fixed.sk());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("conversations moved: 0 (0 list entries)"), again.out());

        String absent = app.cruddur.messages.table.Timestamps.format(fixed.createdAt().plusSeconds(1));
        ToolRun missing = run("--message", group, absent);
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("no message " + fixed.pk() + " / " + absent + " in table " + TABLE), missing.err());
    }

    @Test
    void wrongArgumentsAndInputsAreUsageErrors() throws IOException {
        ToolRun bare = run();
        assertEquals(2, bare.code());
        assertTrue(bare.err().startsWith("usage: bin/ddb/replay-projection FILE|- [prod]\n"
                + "       bin/ddb/replay-projection --message MESSAGE_GROUP_UUID CREATED_AT [prod]\n"), bare.err());
        ToolRun help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("usage: "), help.out());

        assertEquals(2, run("--message", "not-a-uuid", "2026-01-01T00:00:00.000000+00:00").code());
        assertEquals(2, run("--message", UUID.randomUUID().toString(), "yesterday").code());
        assertEquals(2, run("--message", UUID.randomUUID().toString()).code());
        assertEquals(2, run(temp.resolve("nothing-here.json").toString()).code());
        assertEquals(2, run(write(JSON.createObjectNode().put("hello", "world")).toString()).code());
        assertEquals(2, run("a.json", "b.json").code());
        Path notJson = Files.writeString(temp.resolve("not.json"), "aws s3 cp said: access denied");
        ToolRun unreadable = run(notJson.toString());
        assertEquals(2, unreadable.code());
        assertTrue(unreadable.err().startsWith(notJson + " is no JSON"), unreadable.err());
        ObjectNode badPayload = JSON.createObjectNode().put("payload", "{\"Records\": [");
        assertEquals(2, run(write(badPayload).toString()).code());
    }

    /** A conversation of two new users, created as the service creates it; its entries show its first message. */
    private record Conversation(Member a, Member b, MessageItem first) {
    }

    private record Member(UUID uuid) {
    }

    private static Conversation conversation() {
        Member a = new Member(UUID.randomUUID());
        Member b = new Member(UUID.randomUUID());
        MessageItem first = new MessageItem(UUID.randomUUID(), Instant.now().minusSeconds(60), UUID.randomUUID(), "hello",
                a.uuid(), "Ay", "ay");
        assertEquals(TableClient.Outcome.WRITTEN, (NewConversation.of(first.conversationUuid(), first, b.uuid(), "Bee", "bee")).create(table, Optional.empty()).await().atMost(WAIT));
        return new Conversation(a, b, first);
    }

    /** A reply by b, written straight into the table as a tool writes it: the entries stay where they are. */
    private static MessageItem reply(Conversation conversation, String text) {
        MessageItem reply = new MessageItem(conversation.first().conversationUuid(), Instant.now(), UUID.randomUUID(), text,
                conversation.b().uuid(), "Bee", "bee");
        assertEquals(TableClient.Outcome.WRITTEN, reply.put(table).await().atMost(WAIT));
        return reply;
    }

    private static ListEntryItem entry(Member owner, MessageItem of) {
        return ListEntryItem.listConversations(table, owner.uuid(), Optional.empty(), 10).await().atMost(WAIT).items().stream()
                .filter(entry -> entry.conversationUuid().equals(of.conversationUuid())).findFirst()
                .orElseThrow(() -> new AssertionError(owner + " has no entry of " + of.conversationUuid()));
    }

    /** What Lambda writes to the failure bucket: the invocation's metadata and, as payload, the event it gave up on. */
    private static ObjectNode bucketObject(List<InShard> records, boolean payloadAsString) throws IOException {
        ObjectNode object = queueMessage(records.get(0), records.get(records.size() - 1));
        String event = DynamodbEventJson.event(records.stream()
                .map(record -> DynamodbEventJson.record(record.record(), streamArn, REGION)).toList());
        if (payloadAsString) {
            object.put("payload", event);
        } else {
            object.set("payload", JSON.readTree(event));
        }
        return object;
    }

    /** What Lambda sends to the failure queue: the invocation's metadata, where the batch is in the stream, no records. */
    private static ObjectNode queueMessage(InShard start, InShard end) {
        ObjectNode message = JSON.createObjectNode();
        message.putObject("requestContext").put("requestId", UUID.randomUUID().toString())
                .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:cruddur-messages-projection")
                .put("condition", "RetryAttemptsExhausted").put("approximateInvokeCount", 6);
        message.putObject("responseContext").put("statusCode", 200).put("executedVersion", "$LATEST");
        message.put("version", "1.0").put("timestamp", Instant.now().toString());
        message.putObject("DDBStreamBatchInfo")
                .put("shardId", start.shardId())
                .put("startSequenceNumber", start.record().dynamodb().sequenceNumber())
                .put("endSequenceNumber", end.record().dynamodb().sequenceNumber())
                .put("approximateArrivalOfFirstRecord", start.record().dynamodb().approximateCreationDateTime().toString())
                .put("approximateArrivalOfLastRecord", end.record().dynamodb().approximateCreationDateTime().toString())
                .put("batchSize", 2)
                .put("streamArn", streamArn);
        return message;
    }

    /** The INSERT of this key in the table's stream, once the stream has it. */
    private static InShard inStream(String pk, String sk) {
        List<InShard> found = new ArrayList<>();
        Await.until(WAIT, () -> {
            found.clear();
            for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).join().streamDescription().shards()) {
                String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
                while (iterator != null) {
                    String current = iterator;
                    var page = streams.getRecords(b -> b.shardIterator(current).limit(1000)).join();
                    page.records().stream()
                            .filter(record -> record.eventNameAsString().equals("INSERT")
                                    && pk.equals(record.dynamodb().keys().get(MessagesTable.PK).s())
                                    && sk.equals(record.dynamodb().keys().get(MessagesTable.SK).s()))
                            .forEach(record -> found.add(new InShard(shard.shardId(), record)));
                    // An open shard's iterator never ends: its first empty page is its end for now.
                    iterator = page.records().isEmpty() ? null : page.nextShardIterator();
                }
            }
            return !found.isEmpty();
        }, () -> "no INSERT of " + pk + " / " + sk + " in the stream");
        assertEquals(1, found.size());
        return found.get(0);
    }

    private static Path write(ObjectNode record) throws IOException {
        return Files.writeString(Files.createTempFile(temp, "failure", ".json"), record.toString());
    }

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String local() {
        return "the local stack (" + LocalStackProcess.current().coordinates().get("dynamodbEndpoint") + ")";
    }

    private static Map<String, String> env() {
        return Map.of("CRUDDUR_LOCAL_COORDINATES", coordinates.toString(), "DYNAMODB_TABLE_NAME", TABLE);
    }

    private static ToolRun run(String... args) {
        return ToolRun.of(out -> new ReplayProjectionTool(out, stdin(""))::run, env(), args);
    }
}
