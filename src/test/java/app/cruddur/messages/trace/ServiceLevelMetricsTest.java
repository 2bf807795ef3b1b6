package app.cruddur.messages.trace;

import static app.cruddur.messages.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Metrics;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's own service levels as metrics, on the real stack: how long a message takes to reach
 * an open stream of a member, and the stream consumer's lag behind the messages.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ServiceLevelMetricsTest {

    private static final String DELIVERY = "cruddur_events_delivery_latency_seconds";
    private static final String LAG = "cruddur_projection_lag_seconds";

    @TestHTTPResource("/api/events")
    URI events;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    UserRepository users;

    @Test
    void aDeliveredMessageAndItsMoveAreTimedFromTheMessagesTime() throws Exception {
        TestUser alice = TestUsers.register(users, "slo");
        TestUser bob = TestUsers.register(users, "slo");
        int port = management.getPort();
        double delivered = Metrics.sum(port, DELIVERY + "_count");
        double moved = Metrics.sum(port, LAG + "_count");
        try (EventStreamClient bobs = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + bob.token()))) {
            post(alice, Map.of("message", "timed", "handle", bob.handle()));
            assertNotNull(bobs.next("message", Duration.ofSeconds(10)));
        }
        Await.until(Duration.ofSeconds(10), () -> Metrics.sum(port, DELIVERY + "_count") >= delivered + 1,
                () -> "no delivery timed");
        double seconds = Metrics.sum(port, DELIVERY + "_sum");
        assertTrue(seconds > 0, "the time from the message to its delivery: " + seconds);
        // The percentiles CloudWatch alarms on, and the histogram's buckets for Prometheus.
        // The histogram's buckets (its percentiles, for Prometheus), and the recent maximum CloudWatch alarms on.
        assertTrue(Metrics.sum(port, DELIVERY + "_bucket", "le=\"+Inf\"") >= delivered + 1, "the histogram's buckets");
        assertTrue(Metrics.sum(port, DELIVERY + "_bucket", "le=\"60.0\"") >= delivered + 1, "within a minute");
        assertTrue(Metrics.sum(port, DELIVERY + "_max") > 0, "the recent maximum");

        // The consumer moves the entries later (it may first catch up with what earlier tests wrote).
        Await.until(Duration.ofSeconds(60), () -> Metrics.sum(port, LAG + "_count") >= moved + 1, () -> "the consumer timed nothing");
        assertTrue(Metrics.sum(port, LAG + "_sum") > 0, "the consumer's lag");
    }
}
