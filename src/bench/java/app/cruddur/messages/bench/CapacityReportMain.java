package app.cruddur.messages.bench;

import app.cruddur.messages.support.LocalDynamoDb;

import app.cruddur.messages.support.ServiceProcess;

import app.cruddur.messages.bench.MeteredDynamoDb.Charge;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.PairItem;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.BlockItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.MessageChangeItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.table.ReadReceiptItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.NewConversation;
import java.nio.file.Files;
import java.nio.file.Path;
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
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * {@code bin/bench-capacity}: first sends every request of access pattern once (the items' {@code *Request} methods), with
 * {@code ReturnConsumedCapacity=INDEXES}, against DynamoDB Local holding realistic items, and prints
 * what each consumed, per table and per index (these are the exact requests the service sends).
 * Then the capacity per message sent, everything included ({@link MessageCapacity}), and the
 * latency and service CPU of {@code POST /api/messages} ({@link PostLatency}), optionally beside
 * another build of the service ({@code --baseline DIR}: a checkout with its
 * {@code target/quarkus-app} built) measured in the same run.
 */
public final class CapacityReportMain {

    private static final String TABLE = LocalDynamoDb.TABLE;
    private static final int PAGE = 20;
    private static final int HISTORY = 100;
    private static final int CONVERSATIONS = 10;
    private static final int BURST = 100;
    private static final int SMALL_BATCH = 10;
    private static final int SENDERS = 4;
    private static final int POST_WARMUP = 1000;
    private static final int POST_MEASURED = 1000;
    private static final String USAGE = "usage: bin/bench-capacity [--in-memory] [--baseline DIR | --limits]   (DIR: another checkout of "
            + "this project with target/quarkus-app built, measured beside this one; --limits: this build with the rate "
            + "limits on, never reached, beside this build with them off)";

    private final DynamoDbAsyncClient dynamo;
    private final List<String[]> entries = new ArrayList<>();

    private CapacityReportMain(DynamoDbAsyncClient dynamo) {
        this.dynamo = dynamo;
    }

    public static void main(String[] args) throws Exception {
        boolean inMemory = false;
        Optional<Path> baseline = Optional.empty();
        boolean limits = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--in-memory")) {
                inMemory = true;
            } else if (args[i].equals("--limits")) {
                limits = true;
            } else if (args[i].equals("--baseline") && i + 1 < args.length) {
                baseline = Optional.of(Path.of(args[++i]).toAbsolutePath());
            } else {
                System.err.println(USAGE);
                System.exit(2);
            }
        }
        if (limits && baseline.isPresent()) {
            System.err.println(USAGE);
            System.exit(2);
        }
        if (limits) {
            baseline = Optional.of(Path.of("").toAbsolutePath());
        }
        if (baseline.isPresent() && !Files.exists(baseline.get().resolve("target/quarkus-app/quarkus-run.jar"))) {
            System.err.println("no target/quarkus-app/quarkus-run.jar in " + baseline.get() + "; build it there first");
            System.exit(2);
        }
        BenchEnvironment.log("%d cores, Java %s, load average before: %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), BenchEnvironment.loadAverage());
        // The service applies the migrations and creates the table; in the prod profile it runs no
        // stream consumer, which would move list entries behind the measurements' back.
        try (BenchEnvironment env = BenchEnvironment.start(true, inMemory)) {
            new CapacityReportMain(env.dynamo()).run();
            long phase = System.nanoTime();
            MessageCapacity.Report perMessage = new MessageCapacity(env.dynamo()).run(BURST, SMALL_BATCH, SENDERS);
            BenchEnvironment.log("capacity per message in %.1f s", BenchEnvironment.seconds(phase));
            printPerMessage(perMessage);
            printPostLatency(measurePosts(env, baseline, limits));
        }
        BenchEnvironment.log("load average after: %s", BenchEnvironment.loadAverage());
        System.exit(0);
    }

    private static List<PostLatency.Row> measurePosts(BenchEnvironment env, Optional<Path> baseline, boolean limits) throws Exception {
        List<PostLatency.Target> targets = new ArrayList<>();
        BenchUser a = env.signedInUser("latencya", "Latency A");
        BenchUser b = env.signedInUser("latencyb", "Latency B");
        targets.add(new PostLatency.Target("this build: POST /api/messages (reply)", env.service(), a,
                ProjectionLag.openConversation(env.service().baseUri(), a, b)));
        ServiceProcess other = null;
        try {
            if (baseline.isPresent()) {
                Path log = env.runDir().resolve("baseline-service.log");
                // With --limits, the same build with the limits on, so high that no request reaches them:
                // what checking a limit costs (one Redis script per POST), beside the build that does not check.
                other = env.startService(baseline.get(), log, limits
                        ? java.util.Map.of("CRUDDUR_MESSAGES_RATE_LIMITS_ENABLED", "true",
                                "CRUDDUR_MESSAGES_RATE_LIMITS_MESSAGES_LIMIT", "100000000",
                                "CRUDDUR_MESSAGES_RATE_LIMITS_MESSAGES_BURST", "100000000")
                        : java.util.Map.of());
                BenchEnvironment.log("baseline service from %s at %s, log in %s", baseline.get(), other.baseUri(), log);
                BenchUser c = env.signedInUser("latencyc", "Latency C");
                BenchUser d = env.signedInUser("latencyd", "Latency D");
                targets.add(new PostLatency.Target(limits ? "this build, limits on: POST /api/messages (reply)"
                        : "baseline: POST /api/messages (reply)", other, c,
                        ProjectionLag.openConversation(other.baseUri(), c, d)));
            }
            PostLatency.SdkChain sdk = new PostLatency.SdkChain(env, new BenchUser(UUID.randomUUID(), "latencye", "Latency E", null),
                    new BenchUser(UUID.randomUUID(), "latencyf", "Latency F", null));
            long phase = System.nanoTime();
            List<PostLatency.Row> measured = new PostLatency().measure(targets, sdk, POST_WARMUP, POST_MEASURED);
            BenchEnvironment.log("POST latency in %.1f s", BenchEnvironment.seconds(phase));
            return measured;
        } finally {
            if (other != null) {
                other.close();
            }
        }
    }

    private void run() {
        BenchUser caller = new BenchUser(UUID.randomUUID(), "capacitycaller", "Capacity Caller", null);
        ConversationFixtures fixtures = new ConversationFixtures(dynamo, TABLE);
        Instant start = Instant.now().minus(Duration.ofDays(1));

        // D first, measured on an empty table: the transaction that opens a conversation.
        BenchUser firstPeer = new BenchUser(UUID.randomUUID(), "capacitypeer0", "Capacity Peer 0", null);
        UUID group = UUID.randomUUID();
        MessageItem first = fixtures.message(group, start, ConversationFixtures.text(0), caller);
        NewConversation opened = NewConversation.of(group, first, firstPeer.uuid(), firstPeer.displayName(),
                firstPeer.handle());
        transact("D", "open a conversation (5 items)", "5 × Put attribute_not_exists(pk): PAIR#, CONV#, 2 × GRP#, MSG#",
                "table + GSI (list entries)", opened.createRequest(TABLE, Optional.empty()));
        BenchUser secondPeer = new BenchUser(UUID.randomUUID(), "capacitypeer1", "Capacity Peer 1", null);
        UUID keyedGroup = UUID.randomUUID();
        // A minute later: the caller's two list entries must not share a sort key.
        MessageItem keyedFirst = fixtures.message(keyedGroup, start.plus(Duration.ofMinutes(1)), ConversationFixtures.text(0), caller);
        NewConversation keyed = NewConversation.of(keyedGroup, keyedFirst, secondPeer.uuid(), secondPeer.displayName(),
                secondPeer.handle());
        transact("D", "same, with Idempotency-Key (6 items)", "the 5 above + Put IDEM#{user}#{key}",
                "table + GSI (list entries)", keyed.createRequest(TABLE, Optional.of(idempotency(caller, keyed.message()))));

        // The rest of the caller's conversation list, and a history of 100 messages in the first one.
        for (int i = 2; i < CONVERSATIONS; i++) {
            fixtures.open(caller, new BenchUser(UUID.randomUUID(), "capacitypeer" + i, "Capacity Peer " + i, null),
                    start.plus(Duration.ofMinutes(i)));
        }
        fixtures.addMessages(group, caller, firstPeer, start, HISTORY - 1, 1);

        QueryRequest list = ListEntryItem.listRequest(TABLE, caller.uuid(), Optional.empty(), PAGE);
        query("A", "conversation list (" + CONVERSATIONS + " entries)", "pk = GRP#{user}", list);
        QueryRequest newest = MessageItem.pageRequest(TABLE, group, Optional.empty(), PAGE);
        QueryResponse newestPage = query("B", "newest page of 20 (of " + HISTORY + ")", "pk = MSG#{group}", newest);
        String cursor = newestPage.items().get(PAGE - 1).get(MessagesTable.SK).s();
        query("B", "older page of 20 (cursor)", "pk = MSG#{group} AND sk < :cursor",
                MessageItem.pageRequest(TABLE, group, Optional.of(cursor), PAGE));
        get("B, C", "membership (on a member-cache miss)", "pk = CONV#{group}, sk = CONV",
                ConversationItem.findRequest(TABLE, group));

        MessageItem reply = fixtures.message(group, Instant.now(), ConversationFixtures.text(1000), caller);
        put("C", "reply (message of " + ConversationFixtures.MESSAGE_CHARS + " chars)",
                "Put MSG#{group}, sk = now, attribute_not_exists(pk)", reply.putRequest(TABLE));
        // What the POST does next, before it answers (and the projection after it, finding nothing to do).
        QueryResponse entriesOfGroup = query("C, E", "the conversation's list entries (for the move)", "message_group_uuid = :group",
                ListEntryItem.ofConversationRequest(TABLE, LocalDynamoDb.GROUP_INDEX, group));
        List<ListEntryItem> from = entriesOfGroup.items().stream().map(ListEntryItem::from).toList();
        transact("C, E", "move both list entries to the reply (2 Deletes + 2 Puts)",
                "2 × Delete GRP#{member} attribute_exists(pk), 2 × Put GRP#{member} attribute_not_exists(pk)",
                "table + GSI (list entries)", ListEntryItem.moveRequest(TABLE, from,
                        from.stream().map(entry -> entry.movedTo(reply.createdAt(), reply.message())).toList()));
        // Read markers: what a post adds for the receiver (N, counted again after the marker), a mark (M,
        // with its receipts), the unread totals (U), a message by its time (T) and a resumed stream's receipts (R).
        query("N", "count the other member's messages after a marker (20 unread)", "pk = MSG#{group} AND sk > :marker",
                MessageItem.countRequest(TABLE, group, cursor, Map.of(), ListEntryItem.UNREAD_CAP));
        query("N", "the same, 100 unread or more (the cap: one page of 100)", "pk = MSG#{group} AND sk > :marker",
                MessageItem.countRequest(TABLE, group, Timestamps.format(start.minusSeconds(1)), Map.of(), ListEntryItem.UNREAD_CAP));
        ListEntryItem own = ListEntryItem.from(dynamo.query(ListEntryItem.ofConversationRequest(TABLE, LocalDynamoDb.GROUP_INDEX, group))
                .join().items().stream().filter(item -> item.get(MessagesTable.PK).s().equals(ListEntryItem.partition(caller.uuid())))
                .findFirst().orElseThrow());
        Instant markedAt = Instant.now();
        ListEntryItem.Reading marked = own.reading().withThrough(reply.createdAt(), reply.createdAt(), 0);
        List<Map<String, AttributeValue>> receipts = List.of(
                new ReadReceiptItem(caller.uuid(), markedAt, group, caller.uuid(), reply.createdAt(), Optional.of(0),
                        markedAt.plus(Duration.ofDays(1))).toItem(),
                new ReadReceiptItem(firstPeer.uuid(), markedAt, group, caller.uuid(), reply.createdAt(), Optional.empty(),
                        markedAt.plus(Duration.ofDays(1))).toItem());
        transact("M", "mark read: the entry's marker + 2 receipts (shared)",
                "Put GRP#{user} read_version = :seen, 2 × Put READ#{member} attribute_not_exists(pk)", "table + GSI (the entry)",
                ListEntryItem.markRequest(TABLE, own, marked, receipts));
        query("U", "unread totals: the whole list (" + CONVERSATIONS + " entries)", "pk = GRP#{user}",
                ListEntryItem.allRequest(TABLE, caller.uuid(), Map.of()));
        get("T", "a message by its sent time (the marker's target)", "pk = MSG#{group}, sk = created_at",
                MessageItem.findRequest(TABLE, group, reply.createdAt()));
        query("R", "a resumed stream's read receipts (2)", "pk = READ#{user} AND sk >= :point",
                ReadReceiptItem.sinceRequest(TABLE, caller.uuid(), Timestamps.format(markedAt.minusSeconds(1)), 101));
        // Edit and delete (X): the message with its version, a change notice per member.
        Instant changedAt = Instant.now();
        List<Map<String, AttributeValue>> notices = List.of(
                new MessageChangeItem(caller.uuid(), changedAt, group, reply.createdAt(), false, changedAt.plus(Duration.ofDays(1))).toItem(),
                new MessageChangeItem(firstPeer.uuid(), changedAt, group, reply.createdAt(), false, changedAt.plus(Duration.ofDays(1))).toItem());
        MessageItem edited = reply.edited(fixtures.key(group), ConversationFixtures.text(2000), changedAt);
        transact("X", "edit a message (the message + 2 change notices)",
                "Put MSG#{group} message_version as read, 2 × Put CHANGE#{member} attribute_not_exists(pk)", "table",
                reply.reviseRequest(TABLE, edited, notices));
        query("R", "a resumed stream's message changes (2)", "pk = CHANGE#{user} AND sk >= :point",
                MessageChangeItem.sinceRequest(TABLE, caller.uuid(), Timestamps.format(changedAt.minusSeconds(1)), 101));
        MessageItem keyedReply = reply.at(Instant.now().plusSeconds(1), fixtures.key(group));
        IdempotencyItem record = idempotency(caller, keyedReply);
        transact("C", "reply with Idempotency-Key (2 items)",
                "Put MSG#{group} + Put IDEM#{user}#{key}, both attribute_not_exists(pk)", "table",
                keyedReply.putOnceRequest(TABLE, record));
        get("C, D", "replay of an Idempotency-Key", "pk = IDEM#{user}#{key}, sk = IDEM",
                IdempotencyItem.findRequest(TABLE, caller.uuid(), record.idempotencyKey()));
        get("D", "existing conversation of two users", "pk = PAIR#{lower}#{higher}, sk = PAIR",
                PairItem.findRequest(TABLE, caller.uuid(), firstPeer.uuid()));

        // F and G: blocks. A user with 20 blocks, and one at the cap of 1000.
        BlockItem block = new BlockItem(caller.uuid(), firstPeer.uuid(), firstPeer.handle(), firstPeer.displayName(), Instant.now());
        put("F", "block a user", "Put BLOCK#{blocker}, sk = BLOCK#{blocked}, attribute_not_exists(pk)", block.putRequest(TABLE));
        for (int i = 1; i < 20; i++) {
            dynamo.putItem((new BlockItem(caller.uuid(), UUID.randomUUID(), "capacityblocked" + i,
                    "Capacity Blocked " + i, Instant.now())).putRequest(TABLE)).join();
        }
        query("G", "a user's blocks (20)", "pk = BLOCK#{user}", BlockItem.listRequest(TABLE, caller.uuid(), null));
        BenchUser many = new BenchUser(UUID.randomUUID(), "capacitymany", "Capacity Many", null);
        for (int i = 0; i < 1000; i++) {
            dynamo.putItem((new BlockItem(many.uuid(), UUID.randomUUID(), "capacityblocked" + i,
                    "Capacity Blocked " + i, Instant.now())).putRequest(TABLE)).join();
        }
        query("G", "a user's blocks (1000, the cap; first page)", "pk = BLOCK#{user}", BlockItem.listRequest(TABLE, many.uuid(), null));
        DeleteItemResponse unblocked = dynamo.deleteItem(BlockItem.deleteRequest(TABLE, caller.uuid(), firstPeer.uuid()).toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).join();
        add("F", "unblock", "DeleteItem", "pk = BLOCK#{blocker}, sk = BLOCK#{blocked}", "table", "1 deleted",
                bytes(List.of(block.toItem())), "WCU", List.of(unblocked.consumedCapacity()));

        Optional<String> caveat = transactionCaveat(caller);
        print();
        caveat.ifPresent(text -> System.out.println("\n* " + text));
    }

    /**
     * Checks DynamoDB Local's TransactWriteItems figure: a transaction of four messages must cost more
     * than one of a single message. When it does not, the transaction entries are marked and explained.
     */
    private Optional<String> transactionCaveat(BenchUser caller) {
        UUID probe = UUID.randomUUID();
        Instant at = Instant.now().plus(Duration.ofMinutes(1));
        double one = transactionUnits(probe, caller, at, 1);
        double four = transactionUnits(probe, caller, at.plusSeconds(10), 4);
        if (four > one) {
            return Optional.empty();
        }
        for (String[] entry : entries) {
            if (entry[2].equals("TransactWriteItems")) {
                entry[entry.length - 1] += " *";
            }
        }
        return Optional.of(String.format("DynamoDB Local reports %s WCU for a TransactWriteItems of 1 message and %s for "
                + "one of 4 messages: it does not add up the items of a transaction, so the entries marked * are too low. "
                + "AWS charges a transactional write 2 WCU per item per started KB (plus the index writes).",
                units(one), units(four)));
    }

    private double transactionUnits(UUID group, BenchUser caller, Instant at, int messages) {
        List<TransactWriteItem> puts = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            MessageItem message = ConversationFixtures.sealed(dynamo, group, at.plusSeconds(i), ConversationFixtures.text(i), caller);
            puts.add(TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(message.toItem())
                    .conditionExpression(TableClient.KEY_IS_FREE).build()).build());
        }
        TransactWriteItemsResponse response = dynamo.transactWriteItems(TransactWriteItemsRequest.builder()
                .transactItems(puts).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).join();
        return response.consumedCapacity().stream().mapToDouble(ConsumedCapacity::capacityUnits).sum();
    }

    private QueryResponse query(String pattern, String what, String keyCondition, QueryRequest request) {
        QueryResponse response = dynamo.query(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).join();
        String consistency = Boolean.TRUE.equals(request.consistentRead()) ? "strongly consistent" : "eventually consistent";
        String order = request.limit() == null ? "" : ", newest first, Limit " + request.limit();
        add(pattern, what, "Query (" + consistency + order + ")", keyCondition,
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
                bytes(request.transactItems().stream().filter(item -> item.put() != null).map(item -> item.put().item()).toList()),
                "WCU",
                response.hasConsumedCapacity() ? response.consumedCapacity() : List.of());
    }

    private void add(String pattern, String what, String operation, String key, String index, String items,
                     String bytes, String unit, List<ConsumedCapacity> consumed) {
        entries.add(new String[] {pattern, what, operation, key, index, items, bytes, describe(consumed, unit)});
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

    /** The reference's projection per message: its PutItem, then per member a DeleteItem and a PutItem, each also in the GSI. */
    private static final double REFERENCE_TABLE_WCU = 1 + 2 * 2;
    private static final double REFERENCE_INDEX_WCU = 2 * 2;

    private static void printPerMessage(MessageCapacity.Report report) {
        System.out.println();
        System.out.printf("Capacity units per message sent, everything included (ReturnConsumedCapacity=INDEXES; messages of "
                + "%d characters: items of ≈ %d bytes, list entries ≈ %d bytes)%n", ConversationFixtures.MESSAGE_CHARS,
                report.messageBytes(), report.listEntryBytes());
        String header = String.format("%-58s | %-15s | %-15s | %-30s", "case", "DynamoDB Local", "",
                "AWS by its published rules");
        System.out.println(header);
        System.out.println(String.format("%-58s | %-15s | %-15s | %-30s", "", "WCU/msg", "RCU/msg",
                "WCU/msg (table + GSI), RCU/msg"));
        System.out.println(header.replaceAll("[^|]", "-").replace('|', '+'));
        for (MessageCapacity.Case c : report.cases()) {
            double table = c.perMessage(Charge::tableWcu);
            double index = c.perMessage(Charge::indexWcu);
            System.out.printf("%-58s | %-15s | %-15s | %-30s%n", c.name(), figure(c.perMessage(Charge::reportedWcu)),
                    figure(c.perMessage(Charge::reportedRcu)),
                    String.format("%s (%s + %s), %s", figure(table + index), figure(table), figure(index),
                            figure(c.perMessage(Charge::rcu))));
        }
        System.out.printf("%-58s | %-15s | %-15s | %-30s%n", "reference: PutItem, per member Delete + Put", "", "",
                String.format("%s (%s + %s), 0.5", figure(REFERENCE_TABLE_WCU + REFERENCE_INDEX_WCU),
                        figure(REFERENCE_TABLE_WCU), figure(REFERENCE_INDEX_WCU)));
        System.out.println();
        System.out.println("Requests of each case, DynamoDB Local's figure → AWS's:");
        for (MessageCapacity.Case c : report.cases()) {
            List<String> parts = new ArrayList<>();
            c.requests().forEach((operation, count) -> {
                List<Charge> of = c.charges().stream().filter(charge -> charge.operation().equals(operation)).toList();
                double reportedWcu = of.stream().mapToDouble(Charge::reportedWcu).sum();
                double reportedIndex = of.stream().mapToDouble(Charge::reportedIndexWcu).sum();
                double reportedRcu = of.stream().mapToDouble(Charge::reportedRcu).sum();
                double table = of.stream().mapToDouble(Charge::tableWcu).sum();
                double index = of.stream().mapToDouble(Charge::indexWcu).sum();
                double rcu = of.stream().mapToDouble(Charge::rcu).sum();
                parts.add(reportedRcu > 0 || rcu > 0
                        ? String.format("%d × %s %s → %s RCU", count, operation, figure(reportedRcu), figure(rcu))
                        : String.format("%d × %s %s (GSI %s) → %s WCU (GSI %s)", count, operation, figure(reportedWcu),
                                figure(reportedIndex), figure(table + index), figure(index)));
            });
            System.out.printf("  %s: %s%n", c.name(), String.join("; ", parts));
        }
        System.out.println("  AWS rules applied (AWS DynamoDB pricing/docs): standard write 1 WCU per started KB; transactional "
                + "write 2 WCU per started KB per item; each index entry written or deleted 1 WCU per started KB; eventually "
                + "consistent Query 0.5 RCU per started 4 KB of all items read (strongly consistent: 1); strongly consistent "
                + "GetItem 1 RCU per started 4 KB. A cancelled move (lost race) is charged as if applied: an upper bound.");
    }

    private static void printPostLatency(List<PostLatency.Row> entries) {
        System.out.println();
        System.out.printf("POST /api/messages (a reply), one request at a time, the services taking turns; %d measured after "
                + "%d warm-up each; service CPU from /proc (user + system)%n", POST_MEASURED, POST_WARMUP);
        String header = String.format("%-68s | %7s %7s %7s | %-16s", "request", "p50 ms", "p90 ms", "p99 ms", "service CPU/req");
        System.out.println(header);
        System.out.println(header.replaceAll("[^|]", "-").replace('|', '+'));
        for (PostLatency.Row entry : entries) {
            System.out.printf("%-68s | %7.2f %7.2f %7.2f | %-16s%n", entry.label(), entry.latency().percentileMillis(50),
                    entry.latency().percentileMillis(90), entry.latency().percentileMillis(99),
                    entry.cpuMicrosPerRequest() == null ? "" : String.format("%.0f µs", entry.cpuMicrosPerRequest()));
        }
    }

    private static String figure(double value) {
        return value == Math.rint(value) ? String.format("%.0f", value) : String.format("%.3f", value).replaceAll("0+$", "");
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
            for (String[] entry : entries) {
                widths[i] = Math.max(widths[i], entry[i].length());
            }
        }
        System.out.println();
        System.out.println("Consumed capacity of each access pattern's request, measured once with ReturnConsumedCapacity=INDEXES");
        printRow(header, widths);
        String[] rule = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        printRow(rule, widths);
        entries.forEach(entry -> printRow(entry, widths));
    }

    private static void printRow(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", cells[i]));
        }
        System.out.println(line.toString().stripTrailing());
    }
}
