package app.cruddur.messages.bench;

import app.cruddur.messages.table.AccessPatterns;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.NewConversation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * {@code bin/bench-capacity}: sends every request of {@link AccessPatterns} once, with
 * {@code ReturnConsumedCapacity=INDEXES}, against DynamoDB Local holding realistic items, and prints
 * what each consumed, per table and per index. No service is involved: these are the exact requests
 * it sends.
 */
public final class CapacityReportMain {

    private static final String TABLE = LocalDynamoDb.TABLE;
    private static final int PAGE = 20;
    private static final int HISTORY = 100;
    private static final int CONVERSATIONS = 10;

    private final DynamoDbAsyncClient dynamo;
    private final List<String[]> rows = new ArrayList<>();

    private CapacityReportMain(DynamoDbAsyncClient dynamo) {
        this.dynamo = dynamo;
    }

    public static void main(String[] args) {
        boolean inMemory = BenchEnvironment.dynamoDbInMemory(args, "bin/bench-capacity");
        try (BenchEnvironment env = BenchEnvironment.start(false, inMemory)) {
            new CapacityReportMain(env.dynamo()).run();
        }
        System.exit(0);
    }

    private void run() {
        BenchUser caller = new BenchUser(UUID.randomUUID(), "capacitycaller", "Capacity Caller", null);
        ConversationFixtures fixtures = new ConversationFixtures(dynamo, TABLE);
        Instant start = Instant.now().minus(Duration.ofDays(1));

        // D first, measured on an empty table: the transaction that opens a conversation.
        BenchUser firstPeer = new BenchUser(UUID.randomUUID(), "capacitypeer0", "Capacity Peer 0", null);
        UUID group = UUID.randomUUID();
        MessageItem first = new MessageItem(group, start, UUID.randomUUID(), ConversationFixtures.text(0),
                caller.uuid(), caller.displayName(), caller.handle());
        NewConversation opened = NewConversation.of(group, first, firstPeer.uuid(), firstPeer.displayName(),
                firstPeer.handle());
        transact("D", "open a conversation (5 items)", "5 × Put attribute_not_exists(pk): PAIR#, CONV#, 2 × GRP#, MSG#",
                "table + GSI (group rows)", AccessPatterns.createConversation(TABLE, opened, Optional.empty()));
        BenchUser secondPeer = new BenchUser(UUID.randomUUID(), "capacitypeer1", "Capacity Peer 1", null);
        UUID keyedGroup = UUID.randomUUID();
        // A minute later: the caller's two group rows must not share a sort key.
        MessageItem keyedFirst = new MessageItem(keyedGroup, start.plus(Duration.ofMinutes(1)), UUID.randomUUID(),
                ConversationFixtures.text(0), caller.uuid(), caller.displayName(), caller.handle());
        NewConversation keyed = NewConversation.of(keyedGroup, keyedFirst, secondPeer.uuid(), secondPeer.displayName(),
                secondPeer.handle());
        transact("D", "same, with Idempotency-Key (6 items)", "the 5 above + Put IDEM#{user}#{key}",
                "table + GSI (group rows)", AccessPatterns.createConversation(TABLE, keyed,
                        Optional.of(idempotency(caller, keyed.message()))));

        // The rest of the caller's conversation list, and a history of 100 messages in the first one.
        for (int i = 2; i < CONVERSATIONS; i++) {
            fixtures.open(caller, new BenchUser(UUID.randomUUID(), "capacitypeer" + i, "Capacity Peer " + i, null),
                    start.plus(Duration.ofMinutes(i)));
        }
        fixtures.addMessages(group, caller, firstPeer, start, HISTORY - 1, 1);

        QueryRequest list = AccessPatterns.groupRowsNewestFirst(TABLE, caller.uuid(), Optional.empty(), PAGE);
        query("A", "conversation list (" + CONVERSATIONS + " rows)", "pk = GRP#{user}", list);
        QueryRequest newest = AccessPatterns.messagesNewestFirst(TABLE, group, Optional.empty(), PAGE);
        QueryResponse newestPage = query("B", "newest page of 20 (of " + HISTORY + ")", "pk = MSG#{group}", newest);
        String cursor = newestPage.items().get(PAGE - 1).get(MessagesTable.SK).s();
        query("B", "older page of 20 (cursor)", "pk = MSG#{group} AND sk < :cursor",
                AccessPatterns.messagesNewestFirst(TABLE, group, Optional.of(cursor), PAGE));
        get("B, C", "membership (on a member-cache miss)", "pk = CONV#{group}, sk = CONV",
                AccessPatterns.conversation(TABLE, group));

        MessageItem reply = new MessageItem(group, Instant.now(), UUID.randomUUID(), ConversationFixtures.text(1000),
                caller.uuid(), caller.displayName(), caller.handle());
        put("C", "reply (message of " + ConversationFixtures.MESSAGE_CHARS + " chars)",
                "Put MSG#{group}, sk = now, attribute_not_exists(pk)", AccessPatterns.putNewMessage(TABLE, reply));
        MessageItem keyedReply = reply.at(Instant.now().plusSeconds(1));
        IdempotencyItem record = idempotency(caller, keyedReply);
        transact("C", "reply with Idempotency-Key (2 items)",
                "Put MSG#{group} + Put IDEM#{user}#{key}, both attribute_not_exists(pk)", "table",
                AccessPatterns.putNewMessageOnce(TABLE, keyedReply, record));
        get("C, D", "replay of an Idempotency-Key", "pk = IDEM#{user}#{key}, sk = IDEM",
                AccessPatterns.idempotencyRecord(TABLE, caller.uuid(), record.idempotencyKey()));
        get("D", "existing conversation of two users", "pk = PAIR#{lower}#{higher}, sk = PAIR",
                AccessPatterns.pair(TABLE, caller.uuid(), firstPeer.uuid()));

        Optional<String> caveat = transactionCaveat(caller);
        print();
        caveat.ifPresent(text -> System.out.println("\n* " + text));
    }

    /**
     * Checks DynamoDB Local's TransactWriteItems figure: a transaction of four messages must cost more
     * than one of a single message. When it does not, the transaction rows are marked and explained.
     */
    private Optional<String> transactionCaveat(BenchUser caller) {
        UUID probe = UUID.randomUUID();
        Instant at = Instant.now().plus(Duration.ofMinutes(1));
        double one = transactionUnits(probe, caller, at, 1);
        double four = transactionUnits(probe, caller, at.plusSeconds(10), 4);
        if (four > one) {
            return Optional.empty();
        }
        for (String[] row : rows) {
            if (row[2].equals("TransactWriteItems")) {
                row[row.length - 1] += " *";
            }
        }
        return Optional.of(String.format("DynamoDB Local reports %s WCU for a TransactWriteItems of 1 message and %s for "
                + "one of 4 messages: it does not add up the items of a transaction, so the rows marked * are too low. "
                + "AWS charges a transactional write 2 WCU per item per started KB (plus the index writes).",
                units(one), units(four)));
    }

    private double transactionUnits(UUID group, BenchUser caller, Instant at, int messages) {
        List<TransactWriteItem> puts = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            MessageItem message = new MessageItem(group, at.plusSeconds(i), UUID.randomUUID(), ConversationFixtures.text(i),
                    caller.uuid(), caller.displayName(), caller.handle());
            puts.add(TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(message.toItem())
                    .conditionExpression(AccessPatterns.KEY_IS_FREE).build()).build());
        }
        TransactWriteItemsResponse response = dynamo.transactWriteItems(TransactWriteItemsRequest.builder()
                .transactItems(puts).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).join();
        return response.consumedCapacity().stream().mapToDouble(ConsumedCapacity::capacityUnits).sum();
    }

    private QueryResponse query(String pattern, String what, String keyCondition, QueryRequest request) {
        QueryResponse response = dynamo.query(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).join();
        add(pattern, what, "Query (eventually consistent, newest first, Limit " + request.limit() + ")", keyCondition,
                request.indexName() == null ? "table" : "GSI " + request.indexName(),
                response.count() + " read", bytes(response.items()), "RCU", List.of(response.consumedCapacity()));
        return response;
    }

    private void get(String pattern, String what, String key, GetItemRequest request) {
        GetItemResponse response = dynamo.getItem(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).join();
        boolean found = response.hasItem() && !response.item().isEmpty();
        add(pattern, what, "GetItem (strongly consistent)", key, "table", (found ? 1 : 0) + " read",
                found ? bytes(List.of(response.item())) : "0", "RCU", List.of(response.consumedCapacity()));
    }

    private void put(String pattern, String what, String key, PutItemRequest request) {
        PutItemResponse response = dynamo.putItem(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).join();
        add(pattern, what, "PutItem (conditional)", key, "table", "1 written", bytes(List.of(request.item())), "WCU",
                List.of(response.consumedCapacity()));
    }

    private void transact(String pattern, String what, String keys, String index, TransactWriteItemsRequest request) {
        TransactWriteItemsResponse response = dynamo.transactWriteItems(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).join();
        add(pattern, what, "TransactWriteItems", keys, index, request.transactItems().size() + " written",
                bytes(request.transactItems().stream().map(item -> item.put().item()).toList()), "WCU",
                response.hasConsumedCapacity() ? response.consumedCapacity() : List.of());
    }

    private void add(String pattern, String what, String operation, String key, String index, String items,
                     String bytes, String unit, List<ConsumedCapacity> consumed) {
        rows.add(new String[] {pattern, what, operation, key, index, items, bytes, describe(consumed, unit)});
    }

    /** The items' sizes ({@link ItemSizes}): the total, and the smallest and largest. */
    private static String bytes(List<Map<String, AttributeValue>> items) {
        List<Integer> sizes = items.stream().map(ItemSizes::of).toList();
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        if (sizes.size() <= 1) {
            return Integer.toString(total);
        }
        int min = sizes.stream().mapToInt(Integer::intValue).min().orElse(0);
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        return total + " (" + (min == max ? Integer.toString(min) : min + "–" + max) + " each)";
    }

    /** Total capacity units, then the table's and each index's share as DynamoDB reported them. */
    static String describe(List<ConsumedCapacity> consumed, String unit) {
        if (consumed.isEmpty() || consumed.stream().allMatch(c -> c == null)) {
            return "not reported";
        }
        List<String> parts = new ArrayList<>();
        for (ConsumedCapacity capacity : consumed) {
            if (capacity == null) {
                continue;
            }
            StringBuilder part = new StringBuilder(units(capacity.capacityUnits()) + " " + unit);
            String split = split(capacity.readCapacityUnits(), capacity.writeCapacityUnits());
            if (!split.isEmpty()) {
                part.append(" (").append(split).append(')');
            }
            List<String> shares = new ArrayList<>();
            if (capacity.table() != null) {
                shares.add("table " + share(capacity.table()));
            }
            if (capacity.hasGlobalSecondaryIndexes()) {
                for (Map.Entry<String, Capacity> index : new TreeMap<>(capacity.globalSecondaryIndexes()).entrySet()) {
                    shares.add("GSI " + index.getKey() + " " + share(index.getValue()));
                }
            }
            if (!shares.isEmpty()) {
                part.append(": ").append(String.join(", ", shares));
            }
            parts.add(part.toString());
        }
        return String.join("; ", parts);
    }

    private static String share(Capacity capacity) {
        String split = split(capacity.readCapacityUnits(), capacity.writeCapacityUnits());
        return split.isEmpty() ? units(capacity.capacityUnits()) : split;
    }

    private static String split(Double read, Double write) {
        List<String> parts = new ArrayList<>();
        if (read != null && read > 0) {
            parts.add(units(read) + " RCU");
        }
        if (write != null && write > 0) {
            parts.add(units(write) + " WCU");
        }
        return String.join(" + ", parts);
    }

    private static String units(Double value) {
        return value == null ? "?" : (value == Math.rint(value) ? String.format("%.0f", value) : String.valueOf(value));
    }

    private static IdempotencyItem idempotency(BenchUser caller, MessageItem created) {
        return new IdempotencyItem(caller.uuid(), UUID.randomUUID().toString(), "sha256:" + "0".repeat(64), created,
                Instant.now().plus(Duration.ofHours(24)));
    }

    private void print() {
        String[] header = {"pattern", "what", "operation", "key condition", "index", "items", "≈ bytes",
            "consumed (DynamoDB Local)"};
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        System.out.println();
        System.out.println("Consumed capacity of each request of AccessPatterns, measured once with ReturnConsumedCapacity=INDEXES");
        printRow(header, widths);
        String[] rule = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        printRow(rule, widths);
        rows.forEach(row -> printRow(row, widths));
    }

    private static void printRow(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", cells[i]));
        }
        System.out.println(line.toString().stripTrailing());
    }
}
