package app.cruddur.messages.projection.consumer;

import app.cruddur.messages.projection.StoredConversationMembers;
import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.projection.ListProjection;
import app.cruddur.messages.events.EventPublisher;
import app.cruddur.messages.projection.ListProjection.Outcome;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.projection.ProjectionTraces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The projection inside the service (the stream consumer drives it), over the same table client
 * and with the same members cache as the Lambda's; it tells the event streams what it sees, and
 * makes each move a part of the trace of the message that caused it (ProjectionSpans).
 */
@ApplicationScoped
public class ListProjector {

    /** Conversations whose members are kept; members never change. */
    static final int MEMBER_CACHE_SIZE = 50_000;

    private final ListProjection projection;

    /**
     * From a message's time to the consumer's move of the list entries it caused, for each message
     * the stream brings: {@code cruddur_projection_lag_seconds} at /q/metrics, a histogram. (In AWS the
     * Lambda moves them; its lag is the function's IteratorAge, which infra alarms on.)
     */
    public static final String LAG_METRIC = "cruddur.projection.lag";

    public ListProjector(TableClient service, EventPublisher events, Tracer tracer, Vertx vertx, MeterRegistry metrics) {
        // The Lambda's requests in AWS, whichever process sends them here.
        TableClient table = service.as(Caller.PROJECTION);
        ProjectionSpans spans = new ProjectionSpans(tracer, vertx);
        Timer lag = Timer.builder(LAG_METRIC)
                .description("From a message's time to the stream consumer's move of its conversation's list entries")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(metrics);
        ProjectionTraces watched = (name, messages, work) -> {
            if (name.equals(ListProjection.MOVE)) {
                Instant now = Instant.now();
                messages.forEach(message -> lag.record(Duration.between(message.createdAt(), now)));
            }
            return spans.around(name, messages, work);
        };
        this.projection = new ListProjection(table, new StoredConversationMembers(table, MEMBER_CACHE_SIZE), events, watched);
    }

    public Uni<Outcome> apply(List<StreamChange> changes) {
        return projection.apply(changes);
    }
}
