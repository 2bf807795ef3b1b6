package app.cruddur.messages.tools;

import app.cruddur.messages.projection.ListProjection;
import app.cruddur.messages.projection.StoredConversationMembers;
import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.projection.lambda.LambdaRecords;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.DynamoCalls;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.table.Keys;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;

/**
 * {@code bin/ddb/replay-projection}: applies a batch of stream records that the projection Lambda
 * gave up on, through the same {@link ListProjection}, on the local stack or, with
 * {@code prod}, on AWS. It reads one failure record: an object of the failure bucket (the
 * invocation's metadata and the whole event as {@code payload}, an object or a string of JSON),
 * a stream event {@code {"Records": [...]}}, or a message of the failure queue, which only names
 * the batch's place in the stream ({@code DDBStreamBatchInfo}): then the records are read from the
 * stream, while it still has them (24 h). {@code --message} projects one message item instead, one
 * an operator fixed after it was reported unreadable. The list entries only move forward, so a replay
 * repeated changes nothing; no events are published (open streams resume from the table).
 */
public final class ReplayProjectionTool {

    static final String USAGE = """
            usage: bin/ddb/replay-projection FILE|- [prod]
                   bin/ddb/replay-projection --message MESSAGE_GROUP_UUID CREATED_AT [prod]
            Moves the conversation lists (list entries) to the messages of a batch the stream projection gave up on.
            FILE (- for standard input) holds one failure record: an object of the failure bucket
            (stack output ProjectionFailureBucketName), a message body of the failure queue
            (ProjectionFailureQueueUrl; its records are read from the table's stream, which keeps them 24 h),
            or a DynamoDB stream event {"Records": [...]} as Lambda delivers it.
            --message reads one message item by its key and projects it (after fixing an unreadable one).
            Publishes no events. Running it again changes nothing. Exit 0 when every record was applied,
            1 when some failed or cannot be read, 2 on wrong arguments or input.""";

    /** Empty pages in an entry after which a stream shard is taken to hold no more of the batch. */
    private static final int MAX_EMPTY_PAGES = 20;
    private static final int MEMBER_CACHE_SIZE = 10_000;

    private final PrintStream out;
    private final InputStream in;
    private final ObjectMapper json = new ObjectMapper();

    public ReplayProjectionTool(PrintStream out, InputStream in) {
        this.out = out;
        this.in = in;
    }

    public static void main(String[] args) {
        ToolException.exitAfterCrt(new ReplayProjectionTool(System.out, System.in).run(List.of(args), System.getenv(), System.err));
    }

    /** The records to apply and where they came from. */
    private record Batch(String source, List<StreamChange> changes) {
    }

    /** Runs one replay; returns the exit code. */
    public int run(List<String> args, Map<String, String> env, PrintStream err) {
        try {
            List<String> rest = new ArrayList<>(args);
            boolean prod = rest.remove("prod");
            if (rest.isEmpty()) {
                throw new ToolException(ToolException.USAGE, USAGE);
            }
            if (rest.equals(List.of("--help"))) {
                out.println(USAGE);
                return 0;
            }
            if (rest.get(0).equals("--message")) {
                if (rest.size() != 3) {
                    throw usage("--message takes MESSAGE_GROUP_UUID CREATED_AT");
                }
                UUID group = Keys.parseUuid(rest.get(1)).orElseThrow(() -> usage("not a conversation uuid: " + rest.get(1)));
                String createdAt = rest.get(2);
                if (Timestamps.parse(createdAt).isEmpty()) {
                    throw usage("not a table timestamp (like 2026-11-24T09:30:15.123456+00:00): " + createdAt);
                }
                ToolTarget target = ToolTarget.resolve(prod, env);
                try (DynamoDbAsyncClient dynamo = target.dynamo()) {
                    return replay(dynamo, target, message(dynamo, target, group, createdAt));
                }
            }
            if (rest.size() != 1) {
                throw usage("unexpected argument: " + rest.get(1));
            }
            JsonNode record = read(rest.get(0));
            ToolTarget target = ToolTarget.resolve(prod, env);
            try (DynamoDbAsyncClient dynamo = target.dynamo()) {
                return replay(dynamo, target, batch(record, target));
            }
        } catch (RuntimeException e) {
            return ToolException.report(e, args.contains("prod"), err);
        }
    }

    private static ToolException usage(String problem) {
        return new ToolException(ToolException.USAGE, problem + "; see bin/ddb/replay-projection --help");
    }

    private JsonNode read(String file) {
        String text;
        try {
            text = file.equals("-") ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw usage("no such file: " + file);
        } catch (IOException e) {
            throw usage("cannot read " + file + ": " + e.getMessage());
        }
        try {
            JsonNode record = json.readTree(text);
            if (record == null || !record.isObject()) {
                throw usage((file.equals("-") ? "standard input" : file) + " holds no JSON object");
            }
            return record;
        } catch (JsonProcessingException e) {
            throw usage((file.equals("-") ? "standard input" : file) + " is no JSON: " + e.getOriginalMessage());
        }
    }

    /** The failure record's batch: the records it carries, else those the stream still holds between its sequence numbers. */
    private Batch batch(JsonNode record, ToolTarget target) {
        if (record.has("Records")) {
            return new Batch("the stream event", changes(record));
        }
        JsonNode payload = record.get("payload");
        if (payload != null && !payload.isNull()) {
            JsonNode event = payload;
            if (payload.isTextual()) {
                try {
                    event = json.readTree(payload.asText());
                } catch (JsonProcessingException e) {
                    throw usage("the failure record's payload is no JSON: " + e.getOriginalMessage());
                }
            }
            if (event == null || !event.has("Records")) {
                throw usage("the failure record's payload is no stream event {\"Records\": [...]}");
            }
            return new Batch("the failure record's payload", changes(event));
        }
        JsonNode info = record.get("DDBStreamBatchInfo");
        if (info != null && info.isObject()) {
            try (DynamoDbStreamsAsyncClient streams = target.streams()) {
                return fromStream(streams, info);
            }
        }
        throw usage("not a failure record of the projection: it has no Records, payload or DDBStreamBatchInfo");
    }

    /** The event's records as the Lambda's runtime and handler read them. */
    private List<StreamChange> changes(JsonNode event) {
        if (!event.path("Records").isArray()) {
            throw usage("Records is not a list of stream records");
        }
        try {
            DynamodbEvent parsed = LambdaEventSerializers.serializerFor(DynamodbEvent.class, ReplayProjectionTool.class.getClassLoader())
                    .fromJson(event.toString());
            return parsed.getRecords().stream().map(LambdaRecords::toChange).toList();
        } catch (RuntimeException e) {
            throw usage("the records are not DynamoDB stream records: " + e.getMessage());
        }
    }

    /** The batch's records from the stream: its shard, from its first sequence number to its last. */
    private Batch fromStream(DynamoDbStreamsAsyncClient streams, JsonNode info) {
        String arn = field(info, "streamArn");
        String shard = field(info, "shardId");
        String start = field(info, "startSequenceNumber");
        String end = field(info, "endSequenceNumber");
        BigInteger first;
        BigInteger last;
        try {
            first = new BigInteger(start);
            last = new BigInteger(end);
        } catch (NumberFormatException e) {
            throw usage("DDBStreamBatchInfo's sequence numbers are no numbers: " + start + ", " + end);
        }
        String where = "the stream " + arn + ", shard " + shard + ", sequence numbers " + start + " to " + end;
        List<StreamChange> found = new ArrayList<>();
        try {
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(start)
                            .overrideConfiguration(Caller.TOOLS.override()))
                    .join().shardIterator();
            int empty = 0;
            while (iterator != null && empty < MAX_EMPTY_PAGES) {
                String current = iterator;
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(1000)
                        .overrideConfiguration(Caller.TOOLS.override())).join();
                empty = page.records().isEmpty() ? empty + 1 : 0;
                for (Record next : page.records()) {
                    BigInteger sequence = new BigInteger(next.dynamodb().sequenceNumber());
                    if (sequence.compareTo(last) > 0) {
                        return new Batch(where, found);
                    }
                    if (sequence.compareTo(first) >= 0) {
                        found.add(new StreamChange(next.eventNameAsString(), next.dynamodb().sequenceNumber(), next.dynamodb().newImage()));
                    }
                    if (sequence.equals(last)) {
                        return new Batch(where, found);
                    }
                }
                iterator = page.nextShardIterator();
            }
        } catch (RuntimeException e) {
            Throwable cause = DynamoCalls.unwrap(e);
            if (cause instanceof TrimmedDataAccessException || cause instanceof ResourceNotFoundException) {
                throw new ToolException(ToolException.FAILED, "the batch's records are gone from " + where
                        + (info.hasNonNull("approximateArrivalOfFirstRecord")
                        ? " (its first record arrived " + info.get("approximateArrivalOfFirstRecord").asText() + ")" : "")
                        + ": the stream keeps records 24 hours, or the stream no longer exists (" + cause.getClass().getSimpleName()
                        + "). Find the batch's messages in the table and project each with --message MESSAGE_GROUP_UUID CREATED_AT");
            }
            throw e;
        }
        throw new ToolException(ToolException.FAILED, "the stream did not reach the batch's last record in " + where + " ("
                + found.size() + " records read): nothing applied; run it again");
    }

    private static String field(JsonNode info, String name) {
        JsonNode value = info.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw usage("DDBStreamBatchInfo has no " + name);
        }
        return value.asText();
    }

    /** The message item under its key, as a stream record of its insertion. */
    private static Batch message(DynamoDbAsyncClient dynamo, ToolTarget target, UUID group, String createdAt) {
        String pk = MessageItem.partition(group);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(target.tableName()).consistentRead(true)
                        .key(Map.of(MessagesTable.PK, AttributeValue.fromS(pk), MessagesTable.SK, AttributeValue.fromS(createdAt)))
                        .overrideConfiguration(Caller.TOOLS.override()))
                .join().item();
        if (item == null || item.isEmpty()) {
            throw new ToolException(ToolException.FAILED, "no message " + pk + " / " + createdAt + " in table " + target.tableName()
                    + " in " + target.describe());
        }
        return new Batch("the item " + pk + " / " + createdAt, List.of(new StreamChange(StreamChange.INSERT, "(item)", item)));
    }

    /** Applies the batch, prints what it did, and fails when anything is left to do. */
    private int replay(DynamoDbAsyncClient dynamo, ToolTarget target, Batch batch) {
        TableClient table = TableClient.direct(dynamo, target.tableName(), target.groupIndex(), Caller.TOOLS);
        MovedRows moved = new MovedRows();
        ListProjection projection = new ListProjection(table, new StoredConversationMembers(table, MEMBER_CACHE_SIZE), moved);
        ListProjection.Outcome outcome = projection.apply(batch.changes()).await().indefinitely();

        out.println("records read: " + batch.changes().size() + " from " + batch.source() + " (table " + target.tableName()
                + " in " + target.describe() + ")");
        out.println("messages: " + outcome.messages() + " in " + outcome.conversations() + " conversations");
        out.println("conversations moved: " + moved.conversations.size() + " (" + moved.entries.get() + " list entries)");
        out.println("unreadable: " + outcome.unreadable().size());
        outcome.unreadable().forEach(record -> out.println("  " + record.sequenceNumber() + " pk " + record.pk() + " sk "
                + record.sk() + ": " + record.reason()));
        out.println("failed: " + outcome.failedSequenceNumbers().size());
        outcome.failedSequenceNumbers().forEach(sequence -> out.println("  " + sequence));
        if (!outcome.failedSequenceNumbers().isEmpty()) {
            throw new ToolException(ToolException.FAILED, outcome.failedSequenceNumbers().size()
                    + " records not applied (DynamoDB failed or the entries kept moving): run it again");
        }
        if (!outcome.unreadable().isEmpty()) {
            throw new ToolException(ToolException.FAILED, outcome.unreadable().size() + " records cannot be read: fix each item"
                    + " in the table, then project it with --message MESSAGE_GROUP_UUID CREATED_AT");
        }
        return 0;
    }

    /** Counts the moves the replay made; publishes nothing, since open event streams resume from the table. */
    private static final class MovedRows implements TableChanges {
        final Set<UUID> conversations = ConcurrentHashMap.newKeySet();
        final AtomicInteger entries = new AtomicInteger();

        @Override
        public void messageStored(MessageItem message, Set<UUID> members) {
        }

        @Override
        public void entriesMoved(List<ListEntryItem> moved) {
            moved.forEach(entry -> conversations.add(entry.conversationUuid()));
            entries.addAndGet(moved.size());
        }
    }
}
