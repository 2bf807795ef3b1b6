package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.seed.ConversationSeeder;
import app.cruddur.messages.seed.SeedConversation;
import app.cruddur.messages.seed.SeedUsers;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.UserRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.table.TextKey;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** bin/ddb/patterns/* against the local stack: the seed's line format, the same lines through PartiQL, capacity. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class PatternsToolTest {

    @TempDir
    Path temp;

    private static final Pattern LINE = Pattern.compile(".{16}\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} [AP]M {3}.{1,40}\\.\\.\\.");

    @Inject
    ConversationSeeder seeder;
    @Inject
    Keyring keyring;
    @Inject
    UserRepository users;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    TableConfig tableConfig;

    private Map<String, String> env;

    @BeforeEach
    void seeded() throws Exception {
        for (SeedUsers.SeedUser user : List.of(SeedUsers.ANDREW_BROWN, SeedUsers.BAYKO)) {
            users.upsert(user.uuid(), user.handle(), user.displayName(), user.email(), "sub-" + user.handle())
                    .await().atMost(Duration.ofSeconds(10));
        }
        seeder.seed(Instant.now()).await().atMost(Duration.ofSeconds(30));
        Path coordinates = temp.resolve("coordinates-" + System.nanoTime() + ".json");
        new ObjectMapper().writeValue(coordinates.toFile(), LocalStackProcess.current().coordinates());
        env = Map.of("CRUDDUR_LOCAL_COORDINATES", coordinates.toString(), "DYNAMODB_TABLE_NAME", tableConfig.name());
    }

    @Test
    void getConversationPrintsTheNewestTwentyOldestFirstThenTheCapacity() {
        ToolRun result = run("get-conversation");
        assertEquals(0, result.code(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(21, lines.size(), result.out());
        for (String line : lines.subList(0, 20)) {
            assertTrue(LINE.matcher(line).matches(), "[" + line + "]");
        }
        List<MessageItem> newest = new ArrayList<>(dynamo.query(MessageItem.pageRequest(tableConfig.name(),
                SeedConversation.MESSAGE_GROUP_UUID, Optional.empty(), 20)).join().items().stream()
                .limit(20).map(MessageItem::from).toList());
        Collections.reverse(newest);
        // Stored sealed, printed opened.
        TextKey key = keyring.forReading(SeedConversation.MESSAGE_GROUP_UUID).await().atMost(Duration.ofSeconds(10));
        assertTrue(TextKey.isSealed(newest.get(19).message()));
        assertEquals(PatternsTool.line(newest.get(19).userHandle(), newest.get(19).createdAt(), newest.get(19).text(key).orElseThrow()),
                lines.get(19));
        assertEquals(PatternsTool.line(newest.get(0).userHandle(), newest.get(0).createdAt(), newest.get(0).text(key).orElseThrow()),
                lines.get(0));
        assertTrue(lines.get(20).startsWith("consumed capacity: "), lines.get(20));
        assertTrue(lines.get(20).endsWith("RCU (Query)"), lines.get(20));
    }

    @Test
    void partiqlPrintsTheSameLines() {
        ToolRun query = run("get-conversation");
        ToolRun partiql = run("get-conversation", "--partiql");
        assertEquals(0, partiql.code(), partiql.err());
        List<String> a = query.out().lines().toList();
        List<String> b = partiql.out().lines().toList();
        assertEquals(a.subList(0, 20), b.subList(0, 20));
        assertTrue(b.get(20).endsWith("(ExecuteStatement (PartiQL))"), b.get(20));
    }

    @Test
    void listConversationShowsAndrewBrownsConversationsNewestFirst() {
        ToolRun result = run("list-conversation");
        assertEquals(0, result.code(), result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("bayko ") && line.endsWith(SeedConversation.MESSAGE_GROUP_UUID.toString())),
                result.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("consumed capacity: "));
        assertTrue(lines.stream().noneMatch(line -> line.contains(TextKey.SEALED)), "texts printed opened: " + lines);
    }

    @Test
    void badArgumentsAndUnknownUsers() {
        assertEquals(2, run("get-conversation", "not-a-uuid").code());
        ToolRun unknown = run("list-conversation", "nobody-" + System.nanoTime());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().startsWith("no user with handle"), unknown.err());
    }

    @Test
    void theLineFormatCutsAtFortyCharacters() {
        assertEquals("andrewbrown     2026-01-05 03:04 PM   " + "x".repeat(40) + "...",
                PatternsTool.line("andrewbrown", Instant.parse("2026-01-05T15:04:00Z"), "x".repeat(50)));
        assertEquals("bayko           2026-01-05 03:04 AM   short...",
                PatternsTool.line("bayko", Instant.parse("2026-01-05T03:04:59Z"), "short"));
    }

    private ToolRun run(String... args) {
        return ToolRun.of(out -> new PatternsTool(out)::run, env, args);
    }
}
