package app.cruddur.messages.bench;

import app.cruddur.messages.support.LocalDynamoDb;

import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The lag of the stream projection: from the answer to a message's PutItem, written straight to
 * the table as the tools and seeds write it, until both members' list entries show that message
 * (sort key = the message's {@code created_at}). One message in flight at a time, the two members
 * taking turns to send. (A message posted through the API needs no projection: the POST moves the
 * entries before it answers.)
 *
 * <p>The entries are read with the SDK, with the conversation-list Query itself (pattern A,
 * {@code pk = GRP#{user}}), not through {@code GET /api/message_groups}: polling every few
 * milliseconds through the service would load the very process whose consumer is being timed, and
 * add HTTP, token checks and JSON to every poll. The Query shows the entry the moment it is written.
 */
final class ProjectionLag {

    /** Pause between two rounds of polls (one Query per member still waiting, sent together). */
    static final Duration POLL_INTERVAL = Duration.ofMillis(2);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A phase's figures: lag from the PutItem's answer, the PutItem itself, and how often the entries were read. */
    record Result(Latencies lag, Latencies put, double meanPollRoundMillis) {
    }

    private record Sample(long putNanos, long lagNanos, int pollRounds) {
    }

    private final DynamoDbAsyncClient dynamo;
    private final List<BenchUser> members;
    private final UUID group;
    private int sent;

    ProjectionLag(DynamoDbAsyncClient dynamo, List<BenchUser> members, UUID group) {
        this.dynamo = dynamo;
        this.members = members;
        this.group = group;
    }

    /** Opens the conversation of two signed-in users through the API (pattern D); returns its uuid. */
    static UUID openConversation(URI service, BenchUser sender, BenchUser receiver) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String body = JSON.writeValueAsString(Map.of("message", ConversationFixtures.text(0), "handle", receiver.handle()));
        HttpResponse<String> response = http.send(post(service, sender, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("opening a conversation answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(JSON.readTree(response.body()).path("message_group_uuid").asText());
    }

    /** Each message sent as soon as the previous one shows: a busy conversation. */
    Result backToBack(int messages) throws IOException, InterruptedException {
        return measure(messages, () -> {
        });
    }

    /**
     * Each message sent after a pause of {@code minimum} plus up to {@code spread} more (uniformly at
     * random), so that it finds the consumer idle and lands anywhere in its poll cycle.
     */
    Result afterIdle(int messages, Duration minimum, Duration spread, Random random) throws IOException, InterruptedException {
        return measure(messages, () -> Thread.sleep(minimum.toMillis() + random.nextInt((int) spread.toMillis() + 1)));
    }

    private interface Pause {
        void await() throws InterruptedException;
    }

    private Result measure(int messages, Pause pause) throws IOException, InterruptedException {
        long[] posts = new long[messages];
        long[] lags = new long[messages];
        long pollRounds = 0;
        long pollingNanos = 0;
        for (int i = 0; i < messages; i++) {
            pause.await();
            Sample sample = sendAndWait();
            posts[i] = sample.putNanos();
            lags[i] = sample.lagNanos();
            pollRounds += sample.pollRounds();
            pollingNanos += sample.lagNanos();
        }
        return new Result(new Latencies(lags), new Latencies(posts), pollingNanos / 1e6 / pollRounds);
    }

    private Sample sendAndWait() throws IOException, InterruptedException {
        sent++;
        BenchUser sender = members.get(sent % members.size());
        MessageItem message = ConversationFixtures.sealed(dynamo, group, Instant.now(), ConversationFixtures.text(sent), sender);
        long started = System.nanoTime();
        dynamo.putItem(message.putRequest(LocalDynamoDb.TABLE)).join();
        long answered = System.nanoTime();
        String createdAt = message.sk();
        boolean[] shown = new boolean[members.size()];
        int waiting = members.size();
        int rounds = 0;
        while (true) {
            rounds++;
            // Both members' entries are read at once, so a round lasts one Query, not one per member.
            List<CompletableFuture<Boolean>> reads = new ArrayList<>();
            for (int m = 0; m < members.size(); m++) {
                reads.add(shown[m] ? CompletableFuture.completedFuture(true) : newestRowShows(members.get(m), createdAt));
            }
            for (int m = 0; m < members.size(); m++) {
                if (!shown[m] && reads.get(m).join()) {
                    shown[m] = true;
                    waiting--;
                }
            }
            long now = System.nanoTime();
            if (waiting == 0) {
                return new Sample(answered - started, now - answered, rounds);
            }
            if (now - answered > GIVE_UP_AFTER.toNanos()) {
                throw new IllegalStateException("message " + sent + " (" + createdAt + ") not on both list entries after "
                        + GIVE_UP_AFTER.toSeconds() + " s: is the stream consumer running?");
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    /** The member's newest list entry is this conversation's, moved to the message. */
    private CompletableFuture<Boolean> newestRowShows(BenchUser member, String createdAt) {
        QueryRequest newest = ListEntryItem.listRequest(LocalDynamoDb.TABLE, member.uuid(), Optional.empty(), 1);
        return dynamo.query(newest).thenApply(response -> {
            if (response.items().isEmpty()) {
                return false;
            }
            Map<String, AttributeValue> entry = response.items().get(0);
            return createdAt.equals(entry.get(MessagesTable.SK).s())
                    && group.toString().equals(entry.get(MessagesTable.MESSAGE_GROUP_UUID).s());
        });
    }

    /** The service's readiness document, and the named check in it (or a missing node). */
    static JsonNode readinessCheck(URI management, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(management.resolve("/q/health/ready")).GET().build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        return JSON.missingNode();
    }

    private static HttpRequest post(URI service, BenchUser sender, String body) {
        return HttpRequest.newBuilder(service.resolve("/api/messages"))
                .header("Authorization", "Bearer " + sender.accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
