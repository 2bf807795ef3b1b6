package app.cruddur.messages.projection;

import static app.cruddur.messages.support.Api.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.projection.consumer.StreamConsumer;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Metrics;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.wiring.MessagesTableAdmin;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The consumer shows up in readiness when it stops making progress, and its lag, throughput and
 * the unreadable records it passed as metrics.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class StreamConsumerHealthTest {

    /** Health and metrics are on the management interface. */
    @TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private static final String CHECK = "Stream consumer";

    @Inject
    StreamConsumer consumer;
    @Inject
    UserRepository users;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    TableConfig tableConfig;
    @Inject
    MessagesTableAdmin admin;

    @AfterEach
    void consumerRunsAgain() {
        consumer.start();
    }

    @Test
    void readinessFollowsTheConsumer() {
        Await.until(Duration.ofSeconds(10), () -> "UP".equals(status()), () -> "status " + status());
        consumer.stop();
        Await.until(Duration.ofSeconds(10), () -> "DOWN".equals(status()), () -> "status " + status());
        consumer.start();
        Await.until(Duration.ofSeconds(10), () -> "UP".equals(status()), () -> "status " + status());
        // What it is doing, for an operator (and a log line) when it stalls: a step of a poll or a pause.
        String doing = given().port(management.getPort()).get("/q/health/ready").jsonPath()
                .getString("checks.find { it.name == '" + CHECK + "' }.data.doing");
        assertTrue(doing != null && (doing.startsWith("pausing ") || doing.startsWith("reading ") || doing.startsWith("applying ")
                || doing.startsWith("saving ") || doing.startsWith("waiting ")), "doing: " + doing);
    }

    @Test
    void lagAndAppliedRecordsAreMetrics() {
        TestUser a = TestUsers.register(users, "met");
        TestUser b = TestUsers.register(users, "met");
        post(a, Map.of("message", "counted", "handle", b.handle()));
        given().port(management.getPort()).get("/q/metrics").then().statusCode(200)
                .body(containsString("cruddur_stream_consumer_lag_milliseconds"))
                .body(containsString("cruddur_stream_consumer_failures_total"))
                .body(containsString("cruddur_stream_consumer_unreadable_total"));
        Await.until(Duration.ofSeconds(5), () -> appliedRecords() > 0, () -> "no records applied yet");
        assertTrue(appliedRecords() >= 1);
    }

    @Test
    void anUnreadableMessageIsLoggedCountedOnceAndPassed() {
        TestUser a = TestUsers.register(users, "unr");
        TestUser b = TestUsers.register(users, "unr");
        UUID group = UUID.fromString(post(a, Map.of("message", "open", "handle", b.handle())).getString("message_group_uuid"));
        Await.until(Duration.ofSeconds(5), () -> counter("records") > 0, () -> "the consumer applies nothing");
        double unreadableBefore = counter("unreadable");
        double failuresBefore = counter("failures");

        // What a broken tool might write: a message item whose sort key is no time.
        dynamo.putItem(put -> put.tableName(tableConfig.name()).item(Map.of(
                MessagesTable.PK, AttributeValue.fromS(MessageItem.partition(group)), MessagesTable.SK, AttributeValue.fromS("not a time"),
                MessagesTable.MESSAGE, AttributeValue.fromS("unplaceable")))).join();
        MessageItem next = store(b, group, "after the unreadable one");
        Await.until(Duration.ofSeconds(5), () -> shows(a, group, next), () -> "the message after it is not shown");
        // A batch read once more would count it again: after the next message, still once.
        MessageItem last = store(a, group, "and one more");
        Await.until(Duration.ofSeconds(5), () -> shows(b, group, last), () -> "the last message is not shown");

        assertEquals(unreadableBefore + 1, counter("unreadable"), "counted once");
        assertEquals(failuresBefore, counter("failures"), "no poll failed: the consumer moved past it");
    }

    @Test
    void aTableCreatedAgainIsFollowedToItsNewStream() {
        TestUser a = TestUsers.register(users, "rec");
        TestUser b = TestUsers.register(users, "rec");
        UUID before = UUID.fromString(post(a, Map.of("message", "before", "handle", b.handle())).getString("message_group_uuid"));
        MessageItem old = store(b, before, "into the old table");
        Await.until(Duration.ofSeconds(10), () -> shows(a, before, old), () -> "the consumer applies nothing: " + consumer.doing());

        // As a developer resets the table, or MessagesTableAdminTest does: the old stream stays readable, empty for good.
        dynamo.deleteTable(delete -> delete.tableName(tableConfig.name())).join();
        admin.ensureTable().await().atMost(Duration.ofSeconds(20));
        UUID group = UUID.fromString(post(a, Map.of("message", "after", "handle", b.handle())).getString("message_group_uuid"));
        MessageItem next = store(b, group, "into the new table");

        Await.until(Duration.ofSeconds(30), () -> shows(a, group, next),
                () -> "the consumer does not follow the new table's stream: " + consumer.doing());
    }

    private MessageItem store(TestUser sender, UUID group, String text) {
        MessageItem message = new MessageItem(group, Instant.now(), UUID.randomUUID(), text, sender.uuid(), sender.displayName(),
                sender.handle());
        dynamo.putItem(message.putRequest(tableConfig.name())).join();
        return message;
    }

    private boolean shows(TestUser owner, UUID group, MessageItem message) {
        return dynamo.query(ListEntryItem.listRequest(tableConfig.name(), owner.uuid(), Optional.empty(), 100))
                .join().items().stream().map(ListEntryItem::from)
                .anyMatch(entry -> entry.conversationUuid().equals(group) && entry.lastReplyAt().equals(message.createdAt()));
    }

    private double appliedRecords() {
        return counter("records");
    }

    /** The consumer's counter cruddur.stream.consumer.{@code name}, as the metrics endpoint shows it. */
    private double counter(String name) {
        return Metrics.sum(management.getPort(), "cruddur_stream_consumer_" + name + "_total");
    }

    private String status() {
        JsonPath json = given().port(management.getPort()).get("/q/health/ready").jsonPath();
        return json.getString("checks.find { it.name == '" + CHECK + "' }.status");
    }
}
