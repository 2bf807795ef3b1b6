package app.cruddur.messages.projection;

import static app.cruddur.messages.support.Api.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.projection.consumer.StreamConsumer;
import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer shows up in readiness when it stops making progress, and its lag and throughput as metrics. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class StreamConsumerHealthTest {

    /** Health and metrics are on the management interface. */
    @TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private static final String CHECK = "Stream consumer";

    @Inject
    StreamConsumer consumer;
    @Inject
    UserRepository users;

    @AfterEach
    void consumerRunsAgain() {
        consumer.start();
    }

    @Test
    void readinessFollowsTheConsumer() {
        Await.until(Duration.ofSeconds(10), () -> "UP".equals(status()), () -> "status " + status());
        consumer.stop();
        Await.until(Duration.ofSeconds(10), () -> "DOWN".equals(status()), () -> "status " + status());
        consumer.start();
        Await.until(Duration.ofSeconds(10), () -> "UP".equals(status()), () -> "status " + status());
    }

    @Test
    void lagAndAppliedRecordsAreMetrics() {
        TestUser a = TestUsers.register(users, "met");
        TestUser b = TestUsers.register(users, "met");
        post(a, Map.of("message", "counted", "handle", b.handle()));
        given().port(management.getPort()).get("/q/metrics").then().statusCode(200)
                .body(containsString("cruddur_stream_consumer_lag_milliseconds"))
                .body(containsString("cruddur_stream_consumer_failures_total"));
        Await.until(Duration.ofSeconds(5), () -> appliedRecords() > 0, () -> "no records applied yet");
        assertTrue(appliedRecords() >= 1);
    }

    private double appliedRecords() {
        Matcher matcher = Pattern.compile("(?m)^cruddur_stream_consumer_records_total\\S* ([0-9.eE+]+)$")
                .matcher(given().port(management.getPort()).get("/q/metrics").asString());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private String status() {
        JsonPath json = given().port(management.getPort()).get("/q/health/ready").jsonPath();
        return json.getString("checks.find { it.name == '" + CHECK + "' }.status");
    }
}
