package app.cruddur.messages.projection;

import static app.cruddur.messages.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.projection.consumer.ListProjector;
import app.cruddur.messages.projection.consumer.StreamConsumer;
import app.cruddur.messages.projection.lambda.StreamLambdaHandler;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Race;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;

/**
 * Pattern E against DynamoDB Local: the stream keeps both members' list entries on the newest
 * message. A POST moves the entries itself before it answers, so these tests write their messages
 * straight to the table, as the tools and seeds do, for the projection to move.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ProjectionTest {

    /** In attribute values of unreadable records; a log line must never show it. */
    private static final String SECRET = "e1d2c3b4-secret";

    @Inject
    UserRepository users;
    @Inject
    app.cruddur.messages.cipher.Keyring keyring;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    DynamoDbStreamsAsyncClient streams;
    @Inject
    TableConfig tableConfig;
    @Inject
    ListProjector projector;
    @Inject
    StreamConsumer consumer;

    @AfterEach
    void consumerRunsAgain() {
        consumer.start();
    }

    @Test
    void aMessageWrittenStraightToTheTableReachesBothMembersListsWithinTwoSeconds() {
        TestUser a = TestUsers.register(users, "proj");
        TestUser b = TestUsers.register(users, "proj");
        String group = post(a, Map.of("message", "opening", "handle", b.handle())).getString("message_group_uuid");
        MessageItem reply = store(b, group, "the reply");

        awaitWithin(Duration.ofSeconds(2), () -> shows(a, group, "the reply", reply.sk()) && shows(b, group, "the reply", reply.sk()));
    }

    @Test
    void aMessageThePostAlreadyShowedIsLeftAsItIs() {
        TestUser a = TestUsers.register(users, "done");
        TestUser b = TestUsers.register(users, "done");
        String group = post(a, Map.of("message", "open", "handle", b.handle())).getString("message_group_uuid");
        consumer.stop();
        var reply = post(b, Map.of("message", "shown by the POST", "message_group_uuid", group));
        assertTrue(shows(a, group, "shown by the POST", reply.getString("created_at")), "the POST moved the entries");
        List<StreamChange> records = StreamRecords.withPk(dynamo, streams, table(), MessageItem.partition(UUID.fromString(group)));

        var outcome = projector.apply(records).await().atMost(Duration.ofSeconds(20));

        assertEquals(List.of(), outcome.failedSequenceNumbers());
        for (TestUser member : List.of(a, b)) {
            assertTrue(shows(member, group, "shown by the POST", reply.getString("created_at")));
            assertEquals(1, entriesOf(member, group));
        }
    }

    @Test
    void duplicatedAndShuffledBatchesOfRealRecordsConvergeAndNeverMoveBackwards() {
        consumer.stop();
        TestUser a = TestUsers.register(users, "shuf");
        TestUser b = TestUsers.register(users, "shuf");
        String group = post(a, Map.of("message", "m0", "handle", b.handle())).getString("message_group_uuid");
        for (int i = 1; i < 15; i++) {
            store(i % 2 == 0 ? a : b, group, "m" + i);
        }
        List<StreamChange> records = StreamRecords.withPk(dynamo, streams, table(), MessageItem.partition(UUID.fromString(group)));
        assertEquals(15, records.size());
        assertEquals("m0", text(entry(a, group).orElseThrow()), "the consumer is stopped: nothing moved yet");

        Random random = new Random(42);
        List<StreamChange> replay = new ArrayList<>(records);
        replay.addAll(records.subList(0, 7));
        replay.addAll(records.subList(10, 15));
        Collections.shuffle(replay, random);
        Map<UUID, String> lastSeen = new java.util.HashMap<>();
        int from = 0;
        while (from < replay.size()) {
            int to = Math.min(replay.size(), from + 1 + random.nextInt(6));
            var outcome = projector.apply(replay.subList(from, to)).await().atMost(Duration.ofSeconds(20));
            assertEquals(List.of(), outcome.failedSequenceNumbers());
            for (TestUser member : List.of(a, b)) {
                String sk = entry(member, group).orElseThrow().sk();
                String before = lastSeen.getOrDefault(member.uuid(), "");
                assertTrue(sk.compareTo(before) >= 0, "moved backwards: " + sk + " < " + before);
                lastSeen.put(member.uuid(), sk);
            }
            from = to;
        }
        MessageItem newest = MessageItem.from(records.get(records.size() - 1).newImage());
        for (TestUser member : List.of(a, b)) {
            ListEntryItem entry = entry(member, group).orElseThrow();
            assertEquals("m14", text(entry));
            assertEquals(newest.createdAt(), entry.lastReplyAt());
            assertEquals(1, entriesOf(member, group));
        }
    }

    @Test
    void recordsItDoesNotKnowAreIgnoredAndUnreadableMessagesAreLoggedAndSkippedWhileTheRestApply() {
        TestUser a = TestUsers.register(users, "mix");
        TestUser b = TestUsers.register(users, "mix");
        String group = post(a, Map.of("message", "open", "handle", b.handle())).getString("message_group_uuid");
        consumer.stop();
        MessageItem reply = store(b, group, "applied despite poison");
        List<StreamChange> real = StreamRecords.withPk(dynamo, streams, table(), MessageItem.partition(UUID.fromString(group)));
        StreamChange replyRecord = real.get(real.size() - 1);

        Map<String, AttributeValue> badTime = new java.util.HashMap<>(replyRecord.newImage());
        badTime.put(MessagesTable.SK, AttributeValue.fromS("yesterday"));
        Map<String, AttributeValue> badSender = new java.util.HashMap<>(replyRecord.newImage());
        badSender.put(MessagesTable.USER_UUID, AttributeValue.fromS("sender-" + SECRET));
        badSender.put(MessagesTable.MESSAGE, AttributeValue.fromS("text " + SECRET));
        List<StreamChange> batch = List.of(
                new StreamChange("REMOVE", "1", null),
                new StreamChange("MODIFY", "2", replyRecord.newImage()),
                new StreamChange("INSERT", "3", Map.of("pk", AttributeValue.fromS("GRP#" + a.uuid()), "sk", AttributeValue.fromS("x"))),
                new StreamChange("INSERT", "4", Map.of("pk", AttributeValue.fromS("CONV#" + group))),
                new StreamChange("INSERT", "5", Map.of("other", AttributeValue.fromS("?"))),
                new StreamChange("INSERT", "6", badTime),
                new StreamChange("INSERT", "7", badSender),
                replyRecord);

        ListProjection.Outcome outcome;
        try (LogLines log = LogLines.of(ListProjection.class)) {
            outcome = projector.apply(batch).await().atMost(Duration.ofSeconds(20));

            assertEquals(1, log.containing("Stream record 6 (pk MSG#" + group + ", sk yesterday) cannot be read").size(), log.all().toString());
            List<String> sender = log.containing("Stream record 7 (pk MSG#" + group + ", sk " + reply.sk() + ")");
            assertEquals(1, sender.size(), log.all().toString());
            assertTrue(sender.get(0).startsWith("WARN") && sender.get(0).endsWith(": attribute user_uuid is not a uuid"), sender.get(0));
            assertTrue(log.all().stream().noneMatch(line -> line.contains(SECRET) || line.contains("applied despite poison")),
                    "no attribute value but the keys in the log: " + log.all());
        }

        assertEquals(List.of(), outcome.failedSequenceNumbers(), "nothing to deliver again");
        assertEquals(List.of(new ListProjection.Unreadable("6", reply.pk(), "yesterday", "not a table timestamp: yesterday"),
                new ListProjection.Unreadable("7", reply.pk(), reply.sk(), "attribute user_uuid is not a uuid")), outcome.unreadable());
        assertTrue(shows(a, group, "applied despite poison", reply.sk()));
        assertTrue(shows(b, group, "applied despite poison", reply.sk()));
    }

    @Test
    void anUnreachableDynamoDbFailsTheReadableRecordsForAnotherDeliveryAndSkipsTheUnreadable() throws Exception {
        TestUser a = TestUsers.register(users, "gone");
        TestUser b = TestUsers.register(users, "gone");
        String group = post(a, Map.of("message", "open", "handle", b.handle())).getString("message_group_uuid");
        consumer.stop();
        MessageItem reply = store(b, group, "waits for DynamoDB");
        List<StreamChange> real = StreamRecords.withPk(dynamo, streams, table(), MessageItem.partition(UUID.fromString(group)));
        StreamChange replyRecord = real.get(real.size() - 1);
        Map<String, AttributeValue> poisoned = new java.util.HashMap<>(replyRecord.newImage());
        poisoned.remove(MessagesTable.MESSAGE);

        // Nothing listens on port 9: every call is refused, as when DynamoDB is unreachable.
        try (DynamoDbAsyncClient nowhere = StreamLambdaHandler.clientFor(Region.US_EAST_1, Optional.of(URI.create("http://localhost:9")),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))) {
            TableClient table = TableClient.direct(nowhere, table(), tableConfig.groupIndex(), Caller.PROJECTION);
            ListProjection projection = new ListProjection(table, new StoredConversationMembers(table, 10), TableChanges.NONE);

            var outcome = projection.apply(List.of(new StreamChange("INSERT", "1", poisoned), replyRecord))
                    .await().atMost(Duration.ofSeconds(20));

            assertEquals(List.of(replyRecord.sequenceNumber()), outcome.failedSequenceNumbers(), "delivered again");
            assertEquals(List.of("1"), outcome.unreadable().stream().map(ListProjection.Unreadable::sequenceNumber).toList());
            assertTrue(outcome.unreadable().get(0).reason().startsWith("missing string attribute message"),
                    outcome.unreadable().get(0).reason());
        }
        assertEquals("open", text(entry(a, group).orElseThrow()), "nothing moved");
    }

    @Test
    void concurrentSendersNeverMoveARowBackwards() throws Exception {
        TestUser a = TestUsers.register(users, "conc");
        TestUser b = TestUsers.register(users, "conc");
        String group = post(a, Map.of("message", "open", "handle", b.handle())).getString("message_group_uuid");
        a.token();
        b.token();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> {
            while (sending.get()) {
                entry(a, group).ifPresent(entry -> seen.add(entry.sk()));
                Await.pause();
            }
        });
        watcher.start();
        List<String> sent = Race.of(4, i -> {
            String last = null;
            for (int n = 0; n < 8; n++) {
                last = post(i % 2 == 0 ? a : b, Map.of("message", "c" + i + "-" + n, "message_group_uuid", group))
                        .getString("created_at");
            }
            return last;
        });
        String newest = Collections.max(sent);
        awaitWithin(Duration.ofSeconds(5), () -> entry(a, group).map(ListEntryItem::sk).orElse("").equals(newest)
                && entry(b, group).map(ListEntryItem::sk).orElse("").equals(newest));
        sending.set(false);
        watcher.join();

        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).compareTo(seen.get(i - 1)) >= 0, "moved back from " + seen.get(i - 1) + " to " + seen.get(i));
        }
        assertEquals(1, entriesOf(a, group));
        assertEquals(1, entriesOf(b, group));
    }

    @Test
    void aRestartedConsumerResumesFromItsCheckpointWithNothingLostOrDuplicated() throws Exception {
        TestUser a = TestUsers.register(users, "rst");
        List<TestUser> others = List.of(TestUsers.register(users, "rst"), TestUsers.register(users, "rst"), TestUsers.register(users, "rst"));
        List<String> groups = new ArrayList<>();
        for (TestUser other : others) {
            groups.add(post(a, Map.of("message", "open", "handle", other.handle())).getString("message_group_uuid"));
        }
        a.token();
        List<String> lastTimes = Race.of(3, i -> {
            String last = null;
            for (int n = 0; n < 12; n++) {
                if (i == 0 && n == 4) {
                    consumer.stop();
                }
                if (i == 0 && n == 9) {
                    consumer.start();
                }
                last = store(n % 2 == 0 ? a : others.get(i), groups.get(i), "r" + n).sk();
            }
            return last;
        });

        awaitWithin(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 3; i++) {
                if (!shows(a, groups.get(i), "r11", lastTimes.get(i)) || !shows(others.get(i), groups.get(i), "r11", lastTimes.get(i))) {
                    return false;
                }
            }
            return true;
        });
        List<ListEntryItem> all = query(ListEntryItem.partition(a.uuid()));
        assertEquals(3, all.size(), "one entry per conversation: " + all);
        for (TestUser other : others) {
            assertEquals(1, query(ListEntryItem.partition(other.uuid())).size());
        }
        assertTrue(consumer.running(), "the restarted consumer runs");
    }

    /** A message as the tools and seeds write it: one PutItem, no list-entry move of its own. */
    private MessageItem store(TestUser sender, String group, String text) {
        MessageItem message = new MessageItem(UUID.fromString(group), Instant.now(), UUID.randomUUID(), text,
                sender.uuid(), sender.displayName(), sender.handle());
        dynamo.putItem(message.putRequest(table())).join();
        return message;
    }

    private boolean shows(TestUser owner, String group, String message, String createdAt) {
        return entry(owner, group).map(entry -> text(entry).equals(message) && entry.sk().equals(createdAt)).orElse(false);
    }

    /** An entry's copy of its last message, opened (the projection copies it sealed, without opening it). */
    private String text(ListEntryItem entry) {
        return entry.text(keyring.forReading(entry.conversationUuid()).await().indefinitely()).orElseThrow();
    }

    private Optional<ListEntryItem> entry(TestUser owner, String group) {
        return query(ListEntryItem.partition(owner.uuid())).stream()
                .filter(entry -> entry.conversationUuid().toString().equals(group))
                .findFirst();
    }

    private long entriesOf(TestUser owner, String group) {
        return query(ListEntryItem.partition(owner.uuid())).stream().filter(entry -> entry.conversationUuid().toString().equals(group)).count();
    }

    private List<ListEntryItem> query(String pk) {
        return dynamo.query(ListEntryItem.listRequest(table(), ListEntryItem.ownerOf(pk).orElseThrow(), Optional.empty(), 100))
                .join().items().stream().map(ListEntryItem::from).toList();
    }

    private String table() {
        return tableConfig.name();
    }

    private void awaitWithin(Duration deadline, BooleanSupplier condition) {
        Await.until(deadline, condition, () -> "consumer running " + consumer.running() + ", last error "
                + consumer.lastError().orElse("none"));
    }
}
