package app.cruddur.messages.projection.consumer;

import app.cruddur.messages.projection.StoredConversationMembers;
import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.projection.ListProjection;
import app.cruddur.messages.events.EventPublisher;
import app.cruddur.messages.projection.ListProjection.Outcome;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.TableClient;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
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

    public ListProjector(TableClient service, EventPublisher events, Tracer tracer, Vertx vertx) {
        // The Lambda's requests in AWS, whichever process sends them here.
        TableClient table = service.as(Caller.PROJECTION);
        this.projection = new ListProjection(table, new StoredConversationMembers(table, MEMBER_CACHE_SIZE), events,
                new ProjectionSpans(tracer, vertx));
    }

    public Uni<Outcome> apply(List<StreamChange> changes) {
        return projection.apply(changes);
    }
}
