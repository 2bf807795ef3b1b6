package app.cruddur.messages.bench;

import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;

import app.cruddur.messages.support.LocalDynamoDb;

import app.cruddur.messages.support.ServiceProcess;

import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.projection.ListEntryMoves;
import app.cruddur.messages.table.MessageItem;
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
import java.util.Set;
import java.util.UUID;

/**
 * How long {@code POST /api/messages} (a reply, pattern C) takes and how much CPU the service spends
 * on it, for one or more service processes measured side by side: one request at a time, the
 * services taking turns, so that whatever else the machine does falls on all of them alike. Beside
 * them, from this JVM, the DynamoDB requests a reply makes, sent with the SDK: the PutItem alone, and
 * the PutItem followed by the list-entry move (the index Query and the TransactWriteItems).
 */
final class PostLatency {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service under measurement, with the conversation its replies go into. */
    record Target(String label, ServiceProcess service, BenchUser sender, UUID group) {
    }

    /** One entry: client-side latency, and the service's CPU per request (null for the SDK entries). */
    record Row(String label, Latencies latency, Double cpuMicrosPerRequest) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    List<Row> measure(List<Target> targets, SdkChain sdk, int warmup, int measured) throws Exception {
        for (int i = 0; i < warmup; i++) {
            for (Target target : targets) {
                post(target, i);
            }
            sdk.putAndMove(i);
        }
        long[][] posts = new long[targets.size()][measured];
        long[] cpuBefore = new long[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
            cpuBefore[t] = cpuNanos(targets.get(t).service());
        }
        long[] puts = new long[measured];
        long[] putAndMoves = new long[measured];
        for (int i = 0; i < measured; i++) {
            for (int t = 0; t < targets.size(); t++) {
                posts[t][i] = post(targets.get(t), warmup + i);
            }
            puts[i] = sdk.putOnly(warmup + i);
            putAndMoves[i] = sdk.putAndMove(warmup + i);
        }
        List<Row> entries = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            double cpu = (cpuNanos(targets.get(t).service()) - cpuBefore[t]) / 1e3 / measured;
            entries.add(new Row(targets.get(t).label(), new Latencies(posts[t]), cpu));
        }
        entries.add(new Row("SDK: PutItem (the reply's own write)", new Latencies(puts), null));
        entries.add(new Row("SDK: PutItem + index Query + TransactWriteItems (write and move)", new Latencies(putAndMoves), null));
        ListEntryItem last = sdk.senderEntry();
        if (!last.text(ConversationFixtures.keyring(sdk.env.dynamo()).forReading(last.conversationUuid()).await().indefinitely())
                .equals(java.util.Optional.of(ConversationFixtures.text(warmup + measured - 1)))) {
            throw new IllegalStateException("the SDK chain's moves did not happen: " + sdk.senderEntry());
        }
        return entries;
    }

    private long post(Target target, int i) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("message", ConversationFixtures.text(i), "message_group_uuid",
                target.group().toString()));
        HttpRequest request = HttpRequest.newBuilder(target.service().baseUri().resolve("/api/messages"))
                .header("Authorization", "Bearer " + target.sender().accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - started;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(target.label() + ": POST answered " + response.statusCode() + ": " + response.body());
        }
        return took;
    }

    /** The process's CPU time so far (user + system), from /proc through the JDK. */
    private static long cpuNanos(ServiceProcess service) {
        return ProcessHandle.of(service.pid()).flatMap(p -> p.info().totalCpuDuration()).orElseThrow().toNanos();
    }

    /** The reply's DynamoDB requests sent from here with the SDK, into a conversation of their own. */
    static final class SdkChain {
        private final BenchEnvironment env;
        private final UUID group;
        private final BenchUser sender;
        private final Set<UUID> members;
        private final ListEntryMoves moves;

        SdkChain(BenchEnvironment env, BenchUser sender, BenchUser receiver) {
            this.env = env;
            this.sender = sender;
            this.members = Set.of(sender.uuid(), receiver.uuid());
            this.group = new ConversationFixtures(env.dynamo(), LocalDynamoDb.TABLE)
                    .open(sender, receiver, Instant.now().minusSeconds(60)).conversation().conversationUuid();
            this.moves = new ListEntryMoves(TableClient.direct(env.dynamo(), LocalDynamoDb.TABLE, LocalDynamoDb.GROUP_INDEX, Caller.SERVICE),
                    TableChanges.NONE);
        }

        long putOnly(int i) {
            MessageItem message = message(i);
            long started = System.nanoTime();
            env.dynamo().putItem(message.putRequest(LocalDynamoDb.TABLE)).join();
            return System.nanoTime() - started;
        }

        long putAndMove(int i) {
            MessageItem message = message(i);
            long started = System.nanoTime();
            env.dynamo().putItem(message.putRequest(LocalDynamoDb.TABLE)).join();
            moves.show(message, Optional.of(members)).await().atMost(Duration.ofSeconds(30));
            return System.nanoTime() - started;
        }

        private MessageItem message(int i) {
            return ConversationFixtures.sealed(env.dynamo(), group, Instant.now(), ConversationFixtures.text(i), sender);
        }

        /** The sender's entry of this conversation, to check that the moves happened. */
        ListEntryItem senderEntry() {
            return env.dynamo().query(ListEntryItem.listRequest(LocalDynamoDb.TABLE, sender.uuid(), Optional.empty(), 1))
                    .join().items().stream().map(ListEntryItem::from).findFirst().orElseThrow();
        }
    }
}
