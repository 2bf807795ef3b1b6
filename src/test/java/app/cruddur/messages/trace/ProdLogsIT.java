package app.cruddur.messages.trace;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.CallerTrace;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged service's log in the prod profile, as CloudWatch Logs receives it: one JSON object
 * per line, each line of a request with that request's trace, an access line per request, and
 * never a token, a message's text or an event stream's ticket, whatever the request did.
 */
class ProdLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyLineIsJsonWithItsRequestsTraceAndNoSecretOrTextInAny() throws Exception {
        LocalStackProcess stack = LocalStackTestResource.started();
        Path log = Files.createTempFile("service-logs", ".log");
        String text = "zebra crossing " + UUID.randomUUID();
        CallerTrace caller = CallerTrace.random(true);
        String traceId = caller.traceId();
        List<String> secrets = new ArrayList<>(List.of(text));
        // The service's own code at DEBUG too: what it would write when an operator turns it up.
        try (ServiceProcess service = ServiceProcess.start(Path.of("").toAbsolutePath(), stack, log,
                Map.of("QUARKUS_LOG_CATEGORY__APP_CRUDDUR__LEVEL", "DEBUG"))) {
            URI api = service.baseUri();
            Member alice = UsersTable.signUp(stack, "loga");
            Member bob = UsersTable.signUp(stack, "logb");
            secrets.addAll(List.of(alice.token(), bob.token(), signature(alice.token()), signature(bob.token())));
            String ticket = given().baseUri(api.toString()).header("Authorization", "Bearer " + bob.token())
                    .post("/api/events/ticket").then().statusCode(200).extract().jsonPath().getString("ticket");
            secrets.add(ticket);
            try (EventStreamClient stream = EventStreamClient.open(URI.create(api + "/api/events?ticket=" + ticket), Map.of())) {
                stream.awaitConnected();
                given().baseUri(api.toString()).header("Authorization", "Bearer " + alice.token())
                        .header("traceparent", caller.header()).contentType(ContentType.JSON)
                        .body(Map.of("message", text, "handle", bob.handle()))
                        .post("/api/messages").then().statusCode(200);
                assertNotNull(stream.next("message", WAIT), "bob's stream got it");
            }
            // What is refused: a text too long, a malformed body, a forged token, a used ticket.
            given().baseUri(api.toString()).header("Authorization", "Bearer " + alice.token()).contentType(ContentType.JSON)
                    .body(Map.of("message", text.repeat(40), "handle", bob.handle())).post("/api/messages").then().statusCode(422);
            given().baseUri(api.toString()).header("Authorization", "Bearer " + alice.token()).contentType(ContentType.JSON)
                    .body("{\"message\": \"" + text + "\", ").post("/api/messages").then().statusCode(400);
            given().baseUri(api.toString()).header("Authorization", "Bearer " + alice.token() + "x")
                    .get("/api/message_groups").then().statusCode(401);
            try (EventStreamClient used = EventStreamClient.open(URI.create(api + "/api/events?ticket=" + ticket), Map.of())) {
                assertEquals(401, used.status());
            }
        }

        List<String> lines = Files.readAllLines(log);
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("WARNING: ") || line.isBlank()) {
                continue;   // the JVM's own notices on stderr, before the service logs anything
            }
            records.add(JSON.readTree(line));   // fails on a line that is not one JSON object
        }
        assertTrue(records.size() > 10, "the service logged: " + lines.size() + " lines");
        for (String line : lines) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a log line holds a secret or a text: " + line);
            }
        }

        // The POST's access line: its route, status and time, in the caller's trace.
        JsonNode access = records.stream().filter(record -> record.path("loggerName").asText().equals("io.quarkus.http.access-log")
                && record.path("message").asText().startsWith("POST /api/messages 200 ")).findFirst()
                .orElseThrow(() -> new AssertionError("no access line of the POST in " + log));
        assertTrue(access.path("message").asText().matches("POST /api/messages 200 \\d+ ms"), access.toString());
        assertEquals(traceId, access.path("mdc").path("traceId").asText(), access.toString());
        assertEquals(32, access.path("mdc").path("traceId").asText().length());
        // No line shows the ticket's query string, and the stream's access line shows its path alone.
        assertTrue(records.stream().anyMatch(record -> record.path("message").asText().startsWith("GET /api/events 200 ")), log.toString());
    }

    private static String signature(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }
}
