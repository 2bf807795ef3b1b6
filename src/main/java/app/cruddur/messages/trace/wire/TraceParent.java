package app.cruddur.messages.trace.wire;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trace carried with a message, in one string: the W3C {@code traceparent} of the span that wrote
 * it. A message keeps it on its item and its events carry it on the events' channel, so that work
 * done later and elsewhere (the stream's consumer, each event stream) joins the request's trace.
 * Formatted and read by OpenTelemetry's own W3C propagator, whichever propagators HTTP uses.
 */
public final class TraceParent {

    private static final String HEADER = "traceparent";
    private static final TextMapGetter<String> VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceParent() {
    }

    /** The current span as a traceparent, when its trace is sampled: a trace that no one keeps is not carried. */
    public static Optional<String> current() {
        return of(Context.current());
    }

    /** The span of {@code context} as a traceparent, when its trace is sampled. */
    public static Optional<String> of(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid() || !span.isSampled()) {
            return Optional.empty();
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return Optional.ofNullable(carrier.get(HEADER));
    }

    /** The span a traceparent names (remote), or empty when {@code traceParent} is null or not one. */
    public static Optional<SpanContext> parse(String traceParent) {
        if (traceParent == null) {
            return Optional.empty();
        }
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceParent, VALUE);
        SpanContext span = Span.fromContext(extracted).getSpanContext();
        return span.isValid() ? Optional.of(span) : Optional.empty();
    }
}
