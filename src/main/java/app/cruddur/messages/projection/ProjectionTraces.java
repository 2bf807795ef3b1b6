package app.cruddur.messages.projection;

import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.trace.wire.TraceParent;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the projection's work joins the traces of the messages that caused it (each message keeps
 * the trace that wrote it: {@link MessageItem#TRACE_PARENT}). The service's consumer makes a span
 * of each move; a driver without tracing runs the work as it is ({@link #NONE}).
 */
@FunctionalInterface
public interface ProjectionTraces {

    ProjectionTraces NONE = (name, messages, work) -> work.get();

    /**
     * Runs {@code work}, caused by {@code messages} (in the stream's order), as a part of their
     * traces: {@code name} says what the work is.
     */
    Uni<Void> around(String name, List<MessageItem> messages, Supplier<Uni<Void>> work);

    /**
     * The traces {@code messages} carry, in their order: the last is the parent of the work, the
     * others are linked to it. Messages written in no trace have none.
     */
    static List<SpanContext> tracesOf(List<MessageItem> messages) {
        return messages.stream().map(MessageItem::traceParent).map(TraceParent::parse).flatMap(Optional::stream).toList();
    }
}
