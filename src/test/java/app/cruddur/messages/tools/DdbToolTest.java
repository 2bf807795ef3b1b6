package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.tools.BatchWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import app.cruddur.messages.table.MessageItem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** bin/ddb/schema-load, list-tables, drop and scan against DynamoDB Local: output, exit codes and effect. */
class DdbToolTest {

    @TempDir
    static Path temp;
    private static Path coordinates;

    private final String table = "tools-test-" + UUID.randomUUID();

    @BeforeAll
    static void localStack() throws Exception {
        coordinates = temp.resolve("coordinates.json");
        new ObjectMapper().writeValue(coordinates.toFile(), LocalStackTestResource.started().coordinates());
    }

    @Test
    void schemaLoadCreatesTheTableOnceAndSaysSoTheSecondTime() {
        ToolRun first = run("schema-load");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("created table " + table + " (GSI message-group-sk-index, stream NEW_IMAGE)"), first.out());

        TableDescription created = target().dynamo().describeTable(b -> b.tableName(table)).join().table();
        assertEquals("message-group-sk-index", created.globalSecondaryIndexes().get(0).indexName());
        assertEquals(StreamViewType.NEW_IMAGE, created.streamSpecification().streamViewType());

        ToolRun second = run("schema-load");
        assertEquals(0, second.code());
        assertTrue(second.out().startsWith("table " + table + " already exists"), second.out());
    }

    @Test
    void listTablesPrintsTheTableNames() {
        run("schema-load");
        ToolRun listed = run("list-tables");
        assertEquals(0, listed.code());
        assertTrue(listed.out().lines().toList().contains(table), listed.out());
    }

    @Test
    void scanPrintsEveryItemAcrossPagesThenTheCount() {
        run("schema-load");
        UUID group = UUID.randomUUID();
        // 1,100 items of about 1 KB: more than the 1 MB one Scan page holds.
        List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            items.add(new MessageItem(group, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), UUID.randomUUID(),
                    "m" + i + " " + "x".repeat(1000), UUID.randomUUID(), "Someone", "someone").toItem());
        }
        try (DynamoDbAsyncClient dynamo = target().dynamo()) {
            BatchWriter.of(dynamo).putAll(table, items).await().indefinitely();
            assertTrue(dynamo.scan(b -> b.tableName(table)).join().hasLastEvaluatedKey(), "the scan needs more than one page");
        }
        ToolRun scanned = run("scan");
        assertEquals(0, scanned.code(), scanned.err());
        List<String> lines = scanned.out().lines().toList();
        assertEquals(1101, lines.size());
        assertEquals(1100, lines.stream().filter(line -> line.contains("pk=MSG#" + group)).distinct().count());
        assertEquals("1100 items in " + table, lines.get(1100));
    }

    @Test
    void dropDeletesTheTableAndFailsClearlyWhenItIsGone() {
        run("schema-load");
        ToolRun dropped = run("drop", table);
        assertEquals(0, dropped.code(), dropped.err());
        assertTrue(dropped.out().startsWith("deleted table " + table), dropped.out());
        assertFalse(run("list-tables").out().lines().toList().contains(table));

        ToolRun again = run("drop", table);
        assertEquals(1, again.code());
        assertTrue(again.err().startsWith("no table " + table), again.err());
        assertEquals(1, again.err().lines().count(), "one line, no stack trace: " + again.err());
    }

    @Test
    void seedWritesTheUsersAndTheConversationOnceAndNothingTheSecondTime() throws Exception {
        run("schema-load");
        ToolRun first = run("seed");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("conversation 5ae290ed-55d1-47a0-bc6d-fe2bc2700399: written"), first.out());
        long items = itemCount();
        // 120 messages, 2 list entries, the pair and the conversation item.
        assertEquals(124, items);
        try (var connection = Postgres.connect(target(), env());
             var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM users WHERE handle IN ('andrewbrown', 'bayko', 'londo')")) {
            rows.next();
            assertEquals(3, rows.getInt(1));
        }

        ToolRun second = run("seed");
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().startsWith("users: 0 added, 3 already there"), second.out());
        assertTrue(second.out().contains(": already there"), second.out());
        assertEquals(items, itemCount());
    }

    private long itemCount() {
        String out = run("scan").out();
        List<String> lines = out.lines().toList();
        return Long.parseLong(lines.get(lines.size() - 1).split(" ")[0]);
    }

    @Test
    void wrongArgumentsAreUsageErrors() {
        assertEquals(2, run("drop").code());
        assertEquals(2, run("scan", "extra").code());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, new DdbTool(new PrintStream(new ByteArrayOutputStream()), q -> "")
                .run(List.of(), env(), new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void anUnreachableLocalStackIsOneLineAndExitOne() throws Exception {
        Path nowhere = Files.createFile(temp.resolve("nowhere.json"));
        Files.writeString(nowhere, "{\"dynamodbEndpoint\":\"http://localhost:9\"}");
        ToolRun result = run(Map.of("CRUDDUR_LOCAL_COORDINATES", nowhere.toString(), "DYNAMODB_TABLE_NAME", table), "list-tables");
        assertEquals(1, result.code());
        assertTrue(result.err().startsWith("the local stack is not answering"), result.err());
        assertEquals(1, result.err().lines().count());

        ToolRun missing = run(Map.of("CRUDDUR_LOCAL_COORDINATES", "/nonexistent/coordinates.json"), "scan");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("no local stack: /nonexistent/coordinates.json is missing"), missing.err());
    }

    private ToolTarget target() {
        return ToolTarget.resolve(false, env());
    }

    private Map<String, String> env() {
        return Map.of("CRUDDUR_LOCAL_COORDINATES", coordinates.toString(), "DYNAMODB_TABLE_NAME", table);
    }

    private ToolRun run(String... args) {
        return run(env(), args);
    }

    private static ToolRun run(Map<String, String> env, String... args) {
        return ToolRun.of(out -> new DdbTool(out, question -> "")::run, env, args);
    }
}
