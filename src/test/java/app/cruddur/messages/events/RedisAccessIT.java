package app.cruddur.messages.events;

import app.cruddur.messages.table.Caller;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.projection.lambda.StreamLambdaHandler;
import app.cruddur.messages.support.CruddurFrontend;
import app.cruddur.messages.support.CruddurFrontend.Sent;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalDynamoDb;
import app.cruddur.messages.support.RedisCommandLog;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableClient;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The ACL rules of docker/redis-user.acl (what infra/ gives the cache's users) are exactly what the
 * code needs: the local Redis gets the two users with those rules, the packaged service signs in as
 * one (streams, tickets, publishing once, rate limits), and the projection Lambda's handler as the
 * other. Every command they send is allowed (or the scenario fails), and every command a rule
 * allows was sent by that user (a log of the commands each user's connections sent), so a rule
 * that no code needs any more fails too.
 */
class RedisAccessIT {

    private static final String SERVICE_PASSWORD = "servicepassword0123456789";
    private static final String PROJECTION_PASSWORD = "projectionpassword0123456789";
    private static LocalStackProcess stack;
    private static ServiceProcess service;
    private static URI redis;
    private static Map<String, String> rules;
    private static RedisCommandLog commands;

    @BeforeAll
    static void usersWithTheRepositorysRules() throws Exception {
        stack = LocalStackTestResource.started();
        redis = URI.create(stack.redisUrl());
        rules = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("docker/redis-user.acl"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                rules.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
            }
        }
        try (Jedis admin = new Jedis(new HostAndPort(redis.getHost(), redis.getPort()))) {
            setUser(admin, "cruddur-messages", SERVICE_PASSWORD, rules.get("service"));
            setUser(admin, "cruddur-messages-projection", PROJECTION_PASSWORD, rules.get("projection"));
        }
        commands = RedisCommandLog.start(redis);
        service = ServiceProcess.start(Path.of("").toAbsolutePath(), stack, Files.createTempFile("redis-access", ".log"),
                Map.of("REDIS_URL", "redis://cruddur-messages:" + SERVICE_PASSWORD + "@" + redis.getHost() + ":" + redis.getPort(),
                        "CRUDDUR_MESSAGES_RATE_LIMITS_ENABLED", "true"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (service != null) {
            service.close();
        }
        if (commands != null) {
            commands.close();
        }
    }

    private static void setUser(Jedis admin, String name, String password, String rules) {
        List<String> arguments = new ArrayList<>(List.of("reset", ">" + password));
        arguments.addAll(Arrays.asList(rules.split(" ")));
        admin.aclSetUser(name, arguments.toArray(String[]::new));
    }

    @Test
    void theServiceWorksAsItsUserAndTheUserCanDoNoMore() throws Exception {
        Member alice = UsersTable.signUp(stack, "acla");
        Member bob = UsersTable.signUp(stack, "aclb");
        URI events = service.baseUri().resolve("/api/events");
        HttpResponse<String> ticket = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events.resolve("/api/events/ticket"))
                .header("Authorization", "Bearer " + bob.token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ticket.statusCode(), ticket.body());
        // The limit's script ran as the service's user: a limit that failed open would send no RateLimit field.
        assertEquals("\"tickets\";r=9;t=2", ticket.headers().firstValue("RateLimit").orElse("none (failed open)"));
        String value = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ticket.body()).path("ticket").asText();
        try (EventStreamClient bobs = EventStreamClient.connect(URI.create(events + "?ticket=" + value), Map.of())) {
            Sent sent = new CruddurFrontend(service.baseUri()).send(alice.token(), Map.of("message", "as a user", "handle", bob.handle()));
            List<Event> seen = bobs.drain(Duration.ofSeconds(2));
            assertEquals(List.of("message", "message_group"), seen.stream().map(Event::name).toList());

            // The projection's user publishes what the Lambda sees (a message a tool wrote).
            MessageItem written = new MessageItem(UUID.fromString(sent.group()), Instant.now(), UUID.randomUUID(), "by a tool",
                    UUID.randomUUID(), "A Tool", "tool");
            try (DynamoDbAsyncClient dynamo = LocalDynamoDb.client(stack.dynamodbEndpoint())) {
                written.put(TableClient.direct(dynamo, LocalDynamoDb.TABLE, MessagesTable.GROUP_INDEX, Caller.TOOLS)).await()
                        .atMost(Duration.ofSeconds(5));
                StreamLambdaHandler handler = new StreamLambdaHandler(dynamo, LocalDynamoDb.TABLE, MessagesTable.GROUP_INDEX,
                        URI.create("redis://cruddur-messages-projection:" + PROJECTION_PASSWORD + "@" + redis.getHost() + ":"
                                + redis.getPort()));
                handler.handleRequest(insert(written), null);
            }
            List<Event> projected = bobs.drain(Duration.ofSeconds(2));
            assertEquals(List.of("message", "message_group"), projected.stream().map(Event::name).toList());
            assertEquals("by a tool", projected.get(0).json().path("message").asText());
        }

        // The stream closed above: the service unsubscribes from bob's channel.
        Await.until(Duration.ofSeconds(5), () -> commands.commandsOf("cruddur-messages").contains("unsubscribe"),
                () -> "no UNSUBSCRIBE: " + commands.commandsOf("cruddur-messages"));
        assertEquals(allowedCommands(rules.get("service")), sentBy("cruddur-messages"),
                "the commands the service's user may send (docker/redis-user.acl) against those it sent");
        assertEquals(allowedCommands(rules.get("projection")), sentBy("cruddur-messages-projection"),
                "the commands the projection's user may send against those it sent");

        // Outside its keys, the service's user is refused.
        try (Jedis asService = new Jedis(new HostAndPort(redis.getHost(), redis.getPort()))) {
            asService.auth("cruddur-messages", SERVICE_PASSWORD);
            RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> asService.set("other:key", "x"));
            assertTrue(refused.getMessage().contains("NOPERM"), refused.getMessage());
            assertTrue(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> asService.keys("*"))
                    .getMessage().contains("NOPERM"));
        }
    }

    /**
     * The commands a rule line allows one by one ({@code +cmd}): it grants no category (only
     * {@code -@all}) and neither HELLO nor AUTH, which Redis lets every connection send (they are how
     * it signs in), so that a grant of them would be one that nothing needs.
     */
    private static Set<String> allowedCommands(String rule) {
        Set<String> allowed = new TreeSet<>();
        for (String token : rule.split(" ")) {
            assertFalse(token.startsWith("+@") || token.equals("allcommands"), "a category grants more than is used: " + token);
            if (token.startsWith("+")) {
                allowed.add(token.substring(1));
            }
        }
        assertFalse(allowed.contains("hello") || allowed.contains("auth"), "HELLO and AUTH need no grant: " + rule);
        return allowed;
    }

    /** What {@code user}'s connections sent that a rule must allow: all but signing in. */
    private static Set<String> sentBy(String user) {
        Set<String> sent = new TreeSet<>(commands.commandsOf(user));
        sent.removeAll(Set.of("hello", "auth"));
        return sent;
    }

    /** The stream record of an inserted message, as the Lambda gets it. */
    private static DynamodbEvent insert(MessageItem message) {
        Map<String, AttributeValue> image = new HashMap<>();
        message.toItem().forEach((name, value) -> image.put(name, value.s() != null ? new AttributeValue().withS(value.s())
                : new AttributeValue().withN(value.n())));
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setDynamodb(new StreamRecord().withNewImage(image).withSequenceNumber("1"));
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(record));
        return event;
    }
}
