package app.cruddur.messages.error;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The problem responses the API shares are in the document once per operation, as the service
 * answers them: every 4xx and 5xx is a Problem document, every operation that needs a token says
 * 401 and 403, every one with a path parameter 404, every one 503.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ProblemResponsesInOpenApiTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationDeclaresTheProblemsItCanAnswer() {
        JsonPath doc = given().port(management.getPort()).accept("application/json").get("/q/openapi?format=json").jsonPath();
        assertEquals("object", doc.getString("components.schemas.Problem.type"), "the Problem schema is declared");
        assertEquals(List.of("type", "title", "status", "code"), doc.getList("components.schemas.Problem.required"));
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        int operations = 0;
        for (Map.Entry<String, Map<String, Map<String, Object>>> path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Map.Entry<String, Map<String, Object>> operation : path.getValue().entrySet()) {
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                operations++;
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.getValue().get("responses");
                List<?> security = (List<?>) operation.getValue().get("security");
                boolean needsToken = security != null && security.stream().anyMatch(requirement -> !((Map<?, ?>) requirement).isEmpty());
                if (needsToken) {
                    assertTrue(responses.containsKey("401"), name + " declares 401");
                    assertTrue(responses.containsKey("403"), name + " declares 403");
                }
                if (path.getKey().contains("{")) {
                    assertTrue(responses.containsKey("404"), name + " declares 404");
                }
                assertTrue(responses.containsKey("503"), name + " declares 503");
                responses.forEach((status, response) -> {
                    if (status.startsWith("4") || status.startsWith("5")) {
                        Map<String, Object> content = (Map<String, Object>) response.get("content");
                        assertTrue(content != null && content.containsKey("application/problem+json"), name + " " + status + ": " + response);
                        Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) content.get("application/problem+json")).get("schema");
                        assertEquals("#/components/schemas/Problem", schema.get("$ref"), name + " " + status);
                    }
                });
            }
        }
        assertTrue(operations >= 10, "operations read: " + operations);
    }
}
