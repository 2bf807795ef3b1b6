package app.cruddur.messages.conversation;

import static app.cruddur.messages.support.Api.groups;
import static app.cruddur.messages.support.Api.messages;
import static app.cruddur.messages.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.conversation.repository.ConversationRepository;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Race;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.TextKey;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Racing requests: one conversation per pair, and no message ever overwrites another. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ConcurrencyTest {

    private static final int N = 12;

    @Inject
    Keyring keyring;

    @Inject
    UserRepository users;
    @Inject
    ConversationRepository repository;

    @Test
    void parallelFirstMessagesToTheSameUserCreateExactlyOneConversation() throws Exception {
        TestUser andrew = TestUsers.register(users, "andrew");
        TestUser bayko = TestUsers.register(users, "bayko");
        andrew.token();
        bayko.token();

        List<String> groupsSeen = Race.of(N, i -> post(i % 3 == 2 ? bayko : andrew,
                Map.of("message", "race " + i, "handle", (i % 3 == 2 ? andrew : bayko).handle())).getString("message_group_uuid"));

        assertEquals(1, Set.copyOf(groupsSeen).size(), "conversations created: " + Set.copyOf(groupsSeen));
        String group = groupsSeen.get(0);
        assertEquals(List.of(group), groups(andrew).stream().map(g -> g.get("uuid")).toList());
        assertEquals(List.of(group), groups(bayko).stream().map(g -> g.get("uuid")).toList());
        Set<Object> stored = andrew.api().queryParam("limit", 100).get("/api/messages/" + group).jsonPath()
                .getList("message").stream().collect(Collectors.toSet());
        assertEquals(N, stored.size());
    }

    @Test
    void twoMessagesInTheSameMicrosecondAreBothStored() {
        TestUser a = TestUsers.register(users, "same");
        TestUser b = TestUsers.register(users, "time");
        UUID group = UUID.fromString(post(a, Map.of("message", "open", "handle", b.handle())).getString("message_group_uuid"));
        Instant instant = Instant.parse("2026-01-15T10:00:00.123456Z");

        MessageItem first = repository.append(message(group, a, instant, "first"), Optional.empty(), key(group)).await().atMost(Duration.ofSeconds(10));
        MessageItem second = repository.append(message(group, b, instant, "second"), Optional.empty(), key(group)).await().atMost(Duration.ofSeconds(10));

        assertEquals(instant, first.createdAt());
        assertEquals("2026-01-15T10:00:00.123456+00:00", Timestamps.format(first.createdAt()));
        // The later one takes the next free sort key: the current time, since the clock has moved on.
        assertTrue(second.createdAt().isAfter(Instant.now().minusSeconds(60)), "moved to now: " + second.createdAt());
        // Oldest first, each once: "first" at its own past time, then "open" and "second" as they were stored.
        List<Map<String, Object>> page = messages(a, group.toString());
        assertEquals(List.of("first", "open", "second"), page.stream().map(m -> (String) m.get("message")).toList());
    }

    @Test
    void manyWritersInTheSameMicrosecondAllKeepTheirMessages() throws Exception {
        TestUser a = TestUsers.register(users, "crowd");
        TestUser b = TestUsers.register(users, "crowd");
        UUID group = UUID.fromString(post(a, Map.of("message", "open", "handle", b.handle())).getString("message_group_uuid"));
        Instant instant = Instant.parse("2025-06-01T12:00:00.000001Z");

        List<MessageItem> stored = Race.of(N, i -> repository.append(message(group, i % 2 == 0 ? a : b, instant, "same " + i),
                Optional.empty(), key(group)).await().atMost(Duration.ofSeconds(20)));

        assertEquals(N, stored.stream().map(MessageItem::createdAt).distinct().count());
        assertEquals(N, stored.stream().map(MessageItem::messageUuid).distinct().count());
        List<Object> texts = a.api().queryParam("limit", 100).get("/api/messages/" + group).jsonPath().getList("message");
        assertEquals(N + 1, texts.size());
    }

    /** A message sealed with its conversation's key, as the service makes one. */
    private MessageItem message(UUID group, TestUser sender, Instant at, String text) {
        return MessageItem.sealed(key(group), group, at, UUID.randomUUID(), text, sender.uuid(), sender.displayName(), sender.handle());
    }

    private TextKey key(UUID group) {
        return keyring.forWriting(group).await().atMost(Duration.ofSeconds(10));
    }
}
