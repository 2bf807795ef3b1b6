package app.cruddur.messages.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import app.cruddur.messages.support.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Health, metrics and OpenAPI answer on the management port only. The API port, the one the load
 * balancer forwards to, has nothing under {@code /q}: its 404 is the same problem document as any.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ManagementInterfaceTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi"})
    void operationsEndpointsAreOnTheManagementPort(String path) {
        given().port(management.getPort()).get(path).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi"})
    void theApiPortDoesNotServeThem(String path) {
        given().get(path).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theApiStaysOnTheApiPort() {
        given().get("/api/message_groups").then().statusCode(401);
        given().port(management.getPort()).get("/api/message_groups").then().statusCode(404)
                .body(org.hamcrest.Matchers.not(containsString("Exception")));
    }
}
