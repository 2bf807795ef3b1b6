package app.cruddur.messages.projection.consumer;

import app.cruddur.messages.projection.ProjectionTraces;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.trace.Spans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Each move of the projection as a consumer span in the trace of the last message that caused it
 * (the POST that wrote it: its item carries the trace), linked to the traces of the others moved
 * with it. The DynamoDB calls of the move and the events it publishes are its children.
 */
final class ProjectionSpans implements ProjectionTraces {

    private final Tracer tracer;
    private final Vertx vertx;

    ProjectionSpans(Tracer tracer, Vertx vertx) {
        this.tracer = tracer;
        this.vertx = vertx;
    }

    @Override
    public Uni<Void> around(String name, List<MessageItem> messages, Supplier<Uni<Void>> work) {
        List<SpanContext> traced = ProjectionTraces.tracesOf(messages);
        SpanBuilder span = tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "aws_dynamodb_streams")
                .setAttribute("messaging.batch.message_count", (long) messages.size())
                .setAttribute("cruddur.conversation_uuid", messages.get(messages.size() - 1).conversationUuid().toString());
        Optional<SpanContext> parent = traced.isEmpty() ? Optional.empty() : Optional.of(traced.get(traced.size() - 1));
        if (parent.isPresent()) {
            span.setParent(Context.root().with(Span.wrap(parent.get())));
            traced.subList(0, traced.size() - 1).forEach(span::addLink);
        } else {
            span.setNoParent();
        }
        return Spans.within(vertx, span.startSpan(), work);
    }
}
