package app.cruddur.messages.trace;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.localstack.TraceViewer;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.CallerTrace;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The local trace viewer end to end: the packaged service exports its spans over OTLP/HTTP as dev
 * mode does, the viewer's receiver hands them to Zipkin, and Zipkin shows the POST's waterfall, its
 * calls under it.
 */
class TraceViewerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPostsWaterfallIsInZipkin() throws Exception {
        LocalStackProcess stack = LocalStackTestResource.started();
        Path root = Path.of("").toAbsolutePath();
        try (TraceViewer viewer = TraceViewer.start(root, ServiceProcess.freePort(), 0, Files.createTempFile("zipkin", ".log"))) {
            Await.until(Duration.ofSeconds(90), () -> status(viewer.zipkinUrl().resolve("/health")) == 200,
                    () -> "Zipkin did not start at " + viewer.zipkinUrl());
            String traceId = "6b15e0aa" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            try (ServiceProcess service = ServiceProcess.start(root, stack, Files.createTempFile("service-traced", ".log"), Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", viewer.otlpEndpoint(),
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                    "TRACES_SAMPLE_RATIO", "1"))) {
                Member alice = UsersTable.signUp(stack, "zipa");
                Member bob = UsersTable.signUp(stack, "zipb");
                given().baseUri(service.baseUri().toString()).header("Authorization", "Bearer " + alice.token())
                        .header("traceparent", new CallerTrace(traceId, "00f067aa0ba902b7", true).header()).contentType(ContentType.JSON)
                        .body(Map.of("message", "waterfall", "handle", bob.handle())).post("/api/messages").then().statusCode(200);

                URI trace = viewer.zipkinUrl().resolve("/api/v2/trace/" + traceId);
                List<JsonNode> spans = new ArrayList<>();
                Await.until(Duration.ofSeconds(30), () -> {
                    spans.clear();
                    spans.addAll(spans(trace));
                    return spans.stream().anyMatch(span -> span.path("kind").asText().equals("SERVER"))
                            && spans.stream().anyMatch(span -> span.path("name").asText().startsWith("dynamodb."));
                }, () -> "Zipkin's trace " + traceId + ": " + spans);
                JsonNode post = spans.stream().filter(span -> span.path("kind").asText().equals("SERVER")).findFirst().orElseThrow();
                assertEquals("post /api/messages", post.path("name").asText(), "Zipkin names spans in lower case");
                assertEquals("cruddur-messages", post.path("localEndpoint").path("serviceName").asText());
                assertEquals("00f067aa0ba902b7", post.path("parentId").asText(), "the caller's span");
                assertTrue(spans.stream().anyMatch(span -> span.path("name").asText().startsWith("dynamodb.")
                        && span.path("parentId").asText().equals(post.path("id").asText())), "the POST's DynamoDB calls under it: " + spans);
            }
        }
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    private static List<JsonNode> spans(URI trace) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(trace).build(), HttpResponse.BodyHandlers.ofString());
            List<JsonNode> found = new ArrayList<>();
            if (answer.statusCode() == 200) {
                JSON.readTree(answer.body()).forEach(found::add);
            }
            return found;
        } catch (Exception e) {
            return List.of();
        }
    }
}
