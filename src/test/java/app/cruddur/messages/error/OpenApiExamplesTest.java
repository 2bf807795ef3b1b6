package app.cruddur.messages.error;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.seed.ConversationSeeder;
import app.cruddur.messages.seed.SeedUsers;
import app.cruddur.messages.support.CruddurFrontend;
import app.cruddur.messages.support.FrontendSettings;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.user.UserRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every example the OpenAPI document gives is sent to the service as a client built from the
 * document would send it, signed in as the seed user the examples name (andrewbrown, whose
 * conversation with bayko is the example conversation): each request is accepted with a success
 * the operation documents, and each JSON answer has every field its schema requires.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class OpenApiExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    UserRepository users;
    @Inject
    ConversationSeeder seeder;

    @TestHTTPResource(value = "/", management = true)
    URL management;
    @TestHTTPResource("/")
    URI api;

    @Test
    void everyExampleOfTheDocumentIsAcceptedAndAnsweredAsDocumented() throws Exception {
        String token = seedAndSignIn();
        // A message's address holds the time it was sent, which the seed sets anew each run: the
        // signed-in user's newest message of the example conversation stands for the example.
        String ownMessage = ownNewestMessage(token);
        JsonNode doc = JSON.readTree(given().port(management.getPort()).accept("application/json").get("/q/openapi?format=json").asString());
        List<Call> calls = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            // The test sources' own resources (FailingResource, UnannotatedResource) fail on purpose.
            if (path.getKey().startsWith("/api/") && !path.getKey().startsWith("/api/test-only/")) {
                calls.add(new Call(operation.getKey().toUpperCase(), path.getKey(), operation.getValue()));
            }
        }));
        // Writes first, so that the reads have something to show; the undo last: the block example is
        // lifted again, so that the seed users can message each other.
        List<String> order = List.of("POST", "PUT", "GET", "DELETE");
        calls.sort(Comparator.comparing((Call call) -> order.indexOf(call.method())).thenComparing(Call::path));
        assertTrue(calls.size() >= 10, "operations: " + calls.size());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (Call call : calls) {
            HttpRequest request = call.request(doc, api, token, ownMessage);
            String name = call.method() + " " + call.path();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String status = Integer.toString(response.statusCode());
                JsonNode documented = call.operation().path("responses").path(status);
                assertTrue(response.statusCode() < 300, name + " with the document's examples answered " + status);
                assertFalse(documented.isMissingNode(), name + " answered " + status + ", which it does not document");
                JsonNode schema = documented.path("content").path("application/json").path("schema");
                if (!schema.isMissingNode()) {
                    hasRequiredFields(doc, schema, JSON.readTree(body.readAllBytes()), name);
                }
            }
        }
    }

    /** One operation of the document. */
    private record Call(String method, String path, JsonNode operation) {

        HttpRequest request(JsonNode doc, URI api, String token, String ownMessage) {
            String target = path;
            StringBuilder query = new StringBuilder();
            HttpRequest.Builder builder = HttpRequest.newBuilder().timeout(Duration.ofSeconds(10));
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode example = parameter.path("example");
                String name = parameter.path("name").asText();
                if (example.isMissingNode()) {
                    assertFalse(parameter.path("required").asBoolean(), method + " " + path + ": no example for " + name);
                    continue;
                }
                switch (parameter.path("in").asText()) {
                    case "path" -> target = target.replace("{" + name + "}", name.equals("created_at") ? ownMessage : example.asText());
                    case "query" -> query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(example.asText());
                    case "header" -> builder.header(name, example.asText());
                    default -> throw new AssertionError("a parameter in " + parameter.path("in").asText());
                }
            }
            if (!operation.path("security").isMissingNode()) {
                builder.header("Authorization", "Bearer " + token);
            }
            JsonNode body = operation.path("requestBody").path("content").path("application/json").path("schema");
            HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
            if (!body.isMissingNode()) {
                publisher = HttpRequest.BodyPublishers.ofString(example(doc, body).toString());
                builder.header("Content-Type", "application/json");
            }
            return builder.uri(api.resolve(target + query)).method(method, publisher).build();
        }
    }

    /** A body of the schema's examples: its required fields, and those of its first oneOf branch. */
    private static ObjectNode example(JsonNode doc, JsonNode schema) {
        JsonNode resolved = resolve(doc, schema);
        List<String> fields = new ArrayList<>();
        resolved.path("required").forEach(field -> fields.add(field.asText()));
        resolved.path("oneOf").path(0).path("required").forEach(field -> fields.add(field.asText()));
        ObjectNode body = JSON.createObjectNode();
        for (String field : fields) {
            JsonNode property = resolved.path("properties").path(field);
            // OpenAPI 3.1 gives a schema's examples as a list.
            JsonNode example = property.has("examples") ? property.path("examples").path(0) : property.path("example");
            assertFalse(example.isMissingNode(), "no example for " + field + " in " + resolved);
            body.set(field, example);
        }
        return body;
    }

    private static void hasRequiredFields(JsonNode doc, JsonNode schema, JsonNode answer, String name) {
        JsonNode resolved = resolve(doc, schema);
        if (resolved.path("type").asText().equals("array")) {
            assertTrue(answer.isArray(), name + ": " + answer);
            assertFalse(answer.isEmpty(), name + ": the example's answer has items to check");
            answer.forEach(item -> hasRequiredFields(doc, resolved.path("items"), item, name));
            return;
        }
        assertTrue(resolved.has("required"), name + ": the answer's schema lists its required fields: " + resolved);
        for (Iterator<JsonNode> it = resolved.path("required").elements(); it.hasNext(); ) {
            String field = it.next().asText();
            assertTrue(answer.has(field) && !answer.get(field).isNull(), name + ": " + field + " missing from " + answer);
        }
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.isEmpty()) {
            return schema;
        }
        JsonNode found = doc.at(ref.substring(1));
        assertNotNull(found, ref);
        assertFalse(found.isMissingNode(), ref);
        return found;
    }

    private String ownNewestMessage(String token) {
        JsonNode page;
        try {
            page = JSON.readTree(given().header("Authorization", "Bearer " + token)
                    .get("/api/messages/5ae290ed-55d1-47a0-bc6d-fe2bc2700399").asString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String newest = null;
        for (JsonNode message : page) {
            if (message.path("handle").asText().equals(SeedUsers.ANDREW_BROWN.handle())) {
                newest = message.path("created_at").asText();
            }
        }
        assertNotNull(newest, "the example conversation has a message of the signed-in user: " + page);
        return newest;
    }

    private String seedAndSignIn() {
        LocalStackProcess stack = LocalStackProcess.current();
        for (SeedUsers.SeedUser seed : SeedUsers.ALL) {
            String sub = stack.ensureCognitoUser(seed.handle(), seed.email(), seed.displayName());
            users.upsert(seed.uuid(), seed.handle(), seed.displayName(), seed.email(), sub).await().atMost(Duration.ofSeconds(10));
        }
        seeder.seed(Instant.now()).await().atMost(Duration.ofSeconds(30));
        JsonNode session = CruddurFrontend.signIn(stack.cognitoEndpoint(), FrontendSettings.CLIENT_ID,
                SeedUsers.ANDREW_BROWN.email(), LocalStackProcess.LOCAL_PASSWORD);
        String token = session.path("AccessToken").asText();
        assertFalse(token.isEmpty(), session.toString());
        return token;
    }
}
