package app.cruddur.messages.bench;

import app.cruddur.messages.bench.MeteredDynamoDb.Charge;
import app.cruddur.messages.projection.GroupRowProjection;
import app.cruddur.messages.projection.StoredConversationMembers;
import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.table.AccessPatterns;
import app.cruddur.messages.table.GroupRowItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.NewConversation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Capacity units per message sent, projection included: the message's PutItem and what
 * {@link GroupRowProjection} sends for it, driven here directly (as the Lambda handler drives it)
 * through a {@link MeteredDynamoDb}. Each stream batch is handed over as the stream delivers it: one
 * INSERT per message whose new image is the item put. No stream consumer may run meanwhile, or it
 * would move the rows first and the projection here would find nothing to do.
 */
final class ProjectionCapacity {

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

    /** The cases, and the size of a message item and of a group row as written (capacity is charged by size). */
    record Report(List<Case> cases, int messageBytes, int groupRowBytes) {
    }

    private static final String TABLE = LocalDynamoDb.TABLE;

    private final DynamoDbAsyncClient dynamo;
    private final MeteredDynamoDb metered;
    private final ConversationFixtures fixtures;
    private final GroupRowProjection projection;
    /** Conversation members, kept as the Lambda handler keeps them. */
    private final StoredConversationMembers members;
    private Instant clock = Instant.now().minus(Duration.ofDays(1));
    private long sequence;
    private int users;
    private int messageBytes;
    private int groupRowBytes;

    ProjectionCapacity(DynamoDbAsyncClient dynamo) {
        this.dynamo = dynamo;
        this.metered = new MeteredDynamoDb(dynamo);
        this.fixtures = new ConversationFixtures(dynamo, TABLE);
        this.members = new StoredConversationMembers(metered, TABLE, 10_000);
        this.projection = new GroupRowProjection(metered, TABLE, LocalDynamoDb.GROUP_INDEX, members);
    }

    Report run(int burst, int smallBatch) {
        List<Case> cases = new ArrayList<>();
        Conversation cold = open(false);
        cases.add(new Case("(i) single message, member cache cold", 1, send(cold, 1, 1)));
        cases.add(new Case("(i) single message, members cached", 1, send(cold, 1, 1)));
        cases.add(new Case("(ii) burst of " + burst + ", one stream batch", burst, send(open(true), burst, burst)));
        cases.add(new Case("(iii) burst of " + burst + ", " + burst / smallBatch + " batches of " + smallBatch, burst,
                send(open(true), burst, smallBatch)));
        return new Report(cases, messageBytes, groupRowBytes);
    }

    private record Conversation(UUID group, List<BenchUser> members) {
    }

    /** A new conversation between two new users; with {@code cached}, its members are already known (steady state). */
    private Conversation open(boolean cached) {
        BenchUser a = new BenchUser(UUID.randomUUID(), "capacity" + users, "Capacity User " + users++, null);
        BenchUser b = new BenchUser(UUID.randomUUID(), "capacity" + users, "Capacity User " + users++, null);
        NewConversation opened = fixtures.open(a, b, tick());
        UUID group = opened.conversation().messageGroupUuid();
        if (cached) {
            members.remember(group, opened.conversation().memberUuids());
        }
        return new Conversation(group, List.of(a, b));
    }

    /** Puts {@code count} messages, handing them to the projection in stream batches of {@code batch}; returns the requests. */
    private List<Charge> send(Conversation conversation, int count, int batch) {
        UUID group = conversation.group();
        metered.takeCharges();
        List<StreamChange> pending = new ArrayList<>();
        MessageItem last = null;
        for (int i = 0; i < count; i++) {
            BenchUser sender = conversation.members().get(i % 2);
            last = new MessageItem(group, tick(), UUID.randomUUID(), ConversationFixtures.text(i + 1),
                    sender.uuid(), sender.displayName(), sender.handle());
            metered.putItem(AccessPatterns.putNewMessage(TABLE, last)).join();
            pending.add(new StreamChange(StreamChange.INSERT, Long.toString(++sequence), last.toItem()));
            if (pending.size() == batch || i == count - 1) {
                GroupRowProjection.Outcome outcome = projection.apply(List.copyOf(pending)).await().atMost(Duration.ofSeconds(30));
                if (!outcome.failedSequenceNumbers().isEmpty()) {
                    throw new IllegalStateException("the projection failed " + outcome.failedSequenceNumbers());
                }
                pending.clear();
            }
        }
        requireRowsAt(group, last);
        messageBytes = ItemSizes.of(last.toItem());
        return metered.takeCharges();
    }

    /** Both rows must show the last message, or the figures would describe a projection that did not happen. */
    private void requireRowsAt(UUID group, MessageItem last) {
        List<Map<String, AttributeValue>> rows = dynamo.query(
                AccessPatterns.groupRowsOfConversation(TABLE, LocalDynamoDb.GROUP_INDEX, group)).join().items();
        List<String> sks = rows.stream().map(item -> GroupRowItem.from(item).sk()).toList();
        if (sks.size() != 2 || !sks.stream().allMatch(last.sk()::equals)) {
            throw new IllegalStateException("group rows of " + group + " at " + sks + ", expected both at " + last.sk());
        }
        groupRowBytes = rows.stream().mapToInt(ItemSizes::of).max().orElse(0);
    }

    /** Distinct, increasing message times, a millisecond apart. */
    private Instant tick() {
        clock = clock.plusMillis(1);
        return clock;
    }
}
