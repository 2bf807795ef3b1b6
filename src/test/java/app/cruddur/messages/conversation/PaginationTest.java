package app.cruddur.messages.conversation;

import static app.cruddur.messages.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.tools.BatchWriter;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** Walking a whole history through Link headers, across a year boundary (the reference's begins_with(sk, year) lost it). */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class PaginationTest {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private static final int HISTORY = 250;

    @Inject
    UserRepository users;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    TableConfig tableConfig;

    private TestUser alice;
    private String group;
    private List<String> expectedNewestFirst;

    @BeforeEach
    void aConversationSpanningNewYear() {
        alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        // 249 messages from 2025-12-31T20:00Z, one every 2 minutes, into 2026; then one sent now.
        Instant start = Instant.parse("2025-12-31T20:00:00.000001Z");
        UUID groupUuid = UUID.fromString(post(alice, Map.of("message", "opening " + (HISTORY - 1), "handle", bob.handle()))
                .getString("message_group_uuid"));
        group = groupUuid.toString();
        List<MessageItem> history = new ArrayList<>();
        for (int i = 0; i < HISTORY - 1; i++) {
            TestUser sender = i % 2 == 0 ? alice : bob;
            history.add(new MessageItem(groupUuid, start.plus(Duration.ofMinutes(2L * i)), UUID.randomUUID(), "m" + i,
                    sender.uuid(), sender.displayName(), sender.handle()));
        }
        BatchWriter.of(dynamo).putAll(tableConfig.name(), history.stream().map(MessageItem::toItem).toList())
                .await().atMost(Duration.ofSeconds(30));
        expectedNewestFirst = new ArrayList<>();
        expectedNewestFirst.add("opening " + (HISTORY - 1));
        for (int i = HISTORY - 2; i >= 0; i--) {
            expectedNewestFirst.add("m" + i);
        }
        assertTrue(history.get(0).createdAt().toString().startsWith("2025-12-31"));
        assertTrue(history.get(HISTORY - 2).createdAt().toString().startsWith("2026-01-01"));
    }

    @Test
    void walkingTheLinksVisitsEveryMessageOnceAcrossTheYearBoundary() {
        for (int limit : List.of(7, 20, 100)) {
            List<String> walked = walk("/api/messages/" + group + "?limit=" + limit, limit);
            assertEquals(expectedNewestFirst, walked, "limit " + limit);
        }
    }

    @Test
    void theDefaultPageIsTwentyAndTheLastPageHasNoNextLink() {
        List<String> walked = walk("/api/messages/" + group, 20);
        assertEquals(HISTORY, walked.size());
        assertEquals(HISTORY, new HashSet<>(walked).size());
    }

    @Test
    void aPageThatEndsExactlyAtTheStartHasNoNextLink() {
        Response response = alice.api().queryParam("limit", 100).get("/api/messages/" + group);
        String next = nextLink(response);
        Response second = alice.api().get(next);
        Response third = alice.api().get(nextLink(second));
        assertEquals(50, third.jsonPath().getList("").size());
        assertNull(third.getHeader("Link"));
    }

    /** Follows rel="next" from the newest page; returns message texts newest first. */
    private List<String> walk(String firstPage, int limit) {
        List<String> newestFirst = new ArrayList<>();
        Set<String> uuids = new HashSet<>();
        String url = firstPage;
        int pages = 0;
        while (url != null) {
            Response response = alice.api().get(url);
            response.then().statusCode(200);
            List<String> page = response.jsonPath().getList("message");
            List<String> times = response.jsonPath().getList("created_at");
            assertEquals(times.stream().sorted().toList(), times, "each page is oldest first");
            assertTrue(page.size() <= limit);
            for (String uuid : response.jsonPath().<String>getList("uuid")) {
                assertTrue(uuids.add(uuid), "duplicate " + uuid);
            }
            for (int i = page.size() - 1; i >= 0; i--) {
                newestFirst.add(page.get(i));
            }
            url = response.getHeader("Link") == null ? null : nextLink(response);
            assertTrue(++pages <= HISTORY, "too many pages");
        }
        return newestFirst;
    }

    private static String nextLink(Response response) {
        Matcher matcher = NEXT.matcher(response.getHeader("Link"));
        assertTrue(matcher.matches(), response.getHeader("Link"));
        return matcher.group(1);
    }
}
