package app.cruddur.messages.bench;

import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;

import app.cruddur.messages.support.LocalDynamoDb;

import app.cruddur.messages.bench.MeteredDynamoDb.Charge;
import app.cruddur.messages.conversation.repository.CoalescedMoves;
import app.cruddur.messages.projection.ListProjection;
import app.cruddur.messages.projection.StoredConversationMembers;
import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.projection.ListEntryMoves;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.NewConversation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Capacity units per message sent, everything included, through a {@link MeteredDynamoDb}, for the
 * two ways a message reaches the table:
 * <ul>
 *   <li><b>POST</b>: what {@code POST /api/messages} sends (the members from the service's cache, the
 *       PutItem, then the move of both list entries before it answers: {@link ListEntryMoves}, one at a
 *       time per conversation as the service makes them, {@link CoalescedMoves}), and
 *       then what the stream projection sends for the same records, finding the entries moved;</li>
 *   <li><b>table write</b>: a PutItem alone, as the tools and seeds write, and the projection moving
 *       the entries.</li>
 * </ul>
 * The projection is driven here directly, as the Lambda handler drives it, one INSERT per message
 * whose new image is the item put. No stream consumer may run meanwhile, or it would move entries too.
 */
final class MessageCapacity {

    /** A case: what was sent, in how many messages, and every request it took. */
    record Case(String name, int messages, List<Charge> charges) {

        double perMessage(ToDoubleFunction<Charge> units) {
            return charges.stream().mapToDouble(units).sum() / messages;
        }

        /** The requests by operation, in order of first use: operation → count. */
        Map<String, Integer> requests() {
            Map<String, Integer> counts = new LinkedHashMap<>();
            charges.forEach(charge -> counts.merge(charge.operation(), 1, Integer::sum));
            return counts;
        }
    }

    /** The cases, and the size of a message item and of a list entry as written (capacity is charged by size). */
    record Report(List<Case> cases, int messageBytes, int listEntryBytes) {
    }

    private static final String TABLE = LocalDynamoDb.TABLE;

    private final DynamoDbAsyncClient dynamo;
    private final MeteredDynamoDb metered;
    private final ConversationFixtures fixtures;
    /** The moves as the service makes them: one at a time per conversation, shared by the posts that waited. */
    private final CoalescedMoves moves;
    private final ListProjection projection;
    /** Conversation members as the service keeps them (its cache) and as the Lambda handler keeps them. */
    private final StoredConversationMembers serviceMembers;
    private final StoredConversationMembers projectionMembers;
    private Instant clock = Instant.now().minus(Duration.ofDays(1));
    private long sequence;
    private int users;
    private int messageBytes;
    private int listEntryBytes;

    MessageCapacity(DynamoDbAsyncClient dynamo) {
        this.dynamo = dynamo;
        this.metered = new MeteredDynamoDb(dynamo);
        this.fixtures = new ConversationFixtures(dynamo, TABLE);
        TableClient table = TableClient.direct(metered, TABLE, LocalDynamoDb.GROUP_INDEX, Caller.SERVICE);
        ListEntryMoves entries = new ListEntryMoves(table, TableChanges.NONE);
        this.moves = new CoalescedMoves((message, members) -> entries.show(message, Optional.of(members)));
        this.serviceMembers = new StoredConversationMembers(table, 10_000);
        this.projectionMembers = new StoredConversationMembers(table, 10_000);
        this.projection = new ListProjection(table, group -> projectionMembers.apply(group), TableChanges.NONE);
    }

    Report run(int burst, int smallBatch, int senders) throws Exception {
        List<Case> cases = new ArrayList<>();
        Conversation posted = open(true);
        cases.add(new Case("POST, single message, members cached", 1, post(posted, 1, 1, 1)));
        Conversation cold = open(false);
        cases.add(new Case("POST, single message, member caches cold", 1, post(cold, 1, 1, 1)));
        cases.add(new Case("POST, burst of " + burst + ", one stream batch", burst, post(open(true), burst, burst, 1)));
        cases.add(new Case("POST, burst of " + burst + " from " + senders + " concurrent senders, " + burst / smallBatch
                + " batches", burst, post(open(true), burst, smallBatch, senders)));
        Conversation written = open(true);
        cases.add(new Case("table write, single message, members cached", 1, writeStraight(written, 1, 1)));
        cases.add(new Case("table write, single message, member cache cold", 1, writeStraight(open(false), 1, 1)));
        cases.add(new Case("table write, burst of " + burst + ", one stream batch", burst, writeStraight(open(true), burst, burst)));
        cases.add(new Case("table write, burst of " + burst + ", " + burst / smallBatch + " batches of " + smallBatch, burst,
                writeStraight(open(true), burst, smallBatch)));
        return new Report(cases, messageBytes, listEntryBytes);
    }

    private record Conversation(UUID group, List<BenchUser> members) {

        Set<UUID> memberUuids() {
            return Set.of(members.get(0).uuid(), members.get(1).uuid());
        }
    }

    /** A new conversation between two new users; with {@code cached}, its members are already known (steady state). */
    private Conversation open(boolean cached) {
        BenchUser a = new BenchUser(UUID.randomUUID(), "capacity" + users, "Capacity User " + users++, null);
        BenchUser b = new BenchUser(UUID.randomUUID(), "capacity" + users, "Capacity User " + users++, null);
        NewConversation opened = fixtures.open(a, b, tick());
        UUID group = opened.conversation().conversationUuid();
        if (cached) {
            serviceMembers.remember(group, opened.conversation().memberUuids());
            projectionMembers.remember(group, opened.conversation().memberUuids());
        }
        return new Conversation(group, List.of(a, b));
    }

    /**
     * {@code count} messages as POST sends them, from {@code senders} concurrent senders taking turns,
     * then the projection over their records in stream batches of {@code batch}; returns the requests.
     */
    private List<Charge> post(Conversation conversation, int count, int batch, int senders) throws Exception {
        metered.takeCharges();
        List<MessageItem> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                running.add(pool.submit(() -> {
                    for (int i = sender; i < count; i += senders) {
                        BenchUser from = conversation.members().get(i % 2);
                        Set<UUID> members = serviceMembers.apply(conversation.group()).await().atMost(Duration.ofSeconds(10))
                                .orElseThrow();
                        MessageItem message = message(conversation.group(), from, i);
                        metered.putItem(message.putRequest(TABLE)).join();
                        moves.show(message, members).await().atMost(Duration.ofSeconds(30));
                        sent.add(message);
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        project(new ArrayList<>(sent), batch);
        return settle(conversation, sent);
    }

    /** {@code count} messages written straight to the table, handed to the projection in stream batches of {@code batch}. */
    private List<Charge> writeStraight(Conversation conversation, int count, int batch) {
        metered.takeCharges();
        List<MessageItem> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MessageItem message = message(conversation.group(), conversation.members().get(i % 2), i);
            metered.putItem(message.putRequest(TABLE)).join();
            sent.add(message);
        }
        project(sent, batch);
        return settle(conversation, sent);
    }

    private MessageItem message(UUID group, BenchUser sender, int i) {
        return fixtures.message(group, tick(), ConversationFixtures.text(i + 1), sender);
    }

    private void project(List<MessageItem> messages, int batch) {
        for (int from = 0; from < messages.size(); from += batch) {
            List<StreamChange> records = new ArrayList<>();
            for (MessageItem message : messages.subList(from, Math.min(messages.size(), from + batch))) {
                records.add(new StreamChange(StreamChange.INSERT, Long.toString(++sequence), message.toItem()));
            }
            ListProjection.Outcome outcome = projection.apply(records).await().atMost(Duration.ofSeconds(30));
            if (!outcome.failedSequenceNumbers().isEmpty()) {
                throw new IllegalStateException("the projection failed " + outcome.failedSequenceNumbers());
            }
        }
    }

    /** Both entries must show the newest message, or the figures would describe moves that did not happen. */
    private List<Charge> settle(Conversation conversation, List<MessageItem> sent) {
        List<Charge> charges = metered.takeCharges();
        MessageItem newest = sent.stream().max(Comparator.comparing(MessageItem::createdAt)).orElseThrow();
        List<Map<String, AttributeValue>> entries = dynamo.query(
                ListEntryItem.ofConversationRequest(TABLE, LocalDynamoDb.GROUP_INDEX, conversation.group())).join().items();
        List<String> sks = entries.stream().map(item -> ListEntryItem.from(item).sk()).toList();
        if (sks.size() != 2 || !sks.stream().allMatch(newest.sk()::equals)) {
            throw new IllegalStateException("list entries of " + conversation.group() + " at " + sks + ", expected both at "
                    + newest.sk());
        }
        messageBytes = ItemSizes.of(newest.toItem());
        listEntryBytes = entries.stream().mapToInt(ItemSizes::of).max().orElse(0);
        return charges;
    }

    /** Distinct, increasing message times, a millisecond apart. */
    private synchronized Instant tick() {
        clock = clock.plusMillis(1);
        return clock;
    }
}
