package app.cruddur.messages.trace.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one-string form a message carries its trace in. */
class TraceParentTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void aSampledSpanIsCarriedAndReadBack() {
        SpanContext sampled = SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Context.root().with(Span.wrap(sampled)).makeCurrent()) {
            assertEquals(Optional.of("00-" + TRACE + "-" + SPAN + "-01"), TraceParent.current());
        }
        SpanContext read = TraceParent.parse("00-" + TRACE + "-" + SPAN + "-01").orElseThrow();
        assertEquals(TRACE, read.getTraceId());
        assertEquals(SPAN, read.getSpanId());
        assertTrue(read.isRemote() && read.isSampled());
    }

    @Test
    void aTraceThatIsNotKeptIsNotCarried() {
        SpanContext unsampled = SpanContext.create(TRACE, SPAN, TraceFlags.getDefault(), TraceState.getDefault());
        assertEquals(Optional.empty(), TraceParent.of(Context.root().with(Span.wrap(unsampled))));
        assertEquals(Optional.empty(), TraceParent.of(Context.root()), "no span, no trace");
    }

    @Test
    void whatIsNoTraceparentNamesNoSpan() {
        assertEquals(Optional.empty(), TraceParent.parse(null));
        assertEquals(Optional.empty(), TraceParent.parse(""));
        assertEquals(Optional.empty(), TraceParent.parse("00-" + TRACE + "-" + SPAN));
        assertEquals(Optional.empty(), TraceParent.parse("00-00000000000000000000000000000000-" + SPAN + "-01"), "an invalid trace id");
        assertEquals(Optional.empty(), TraceParent.parse("message"));
    }
}
