package app.cruddur.messages.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Work inside a span: current while it starts, ended with its outcome, whichever it is. */
class SpansTest {

    private final Vertx vertx = Vertx.vertx();
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final Tracer tracer = provider.get("test");

    @AfterEach
    void close() {
        provider.close();
        vertx.close();
    }

    @Test
    void theSpanIsCurrentWhileTheWorkStartsAndEndsWithIt() {
        Span span = tracer.spanBuilder("work").startSpan();
        AtomicReference<String> current = new AtomicReference<>();
        String result = Spans.within(vertx, span, () -> {
            current.set(Span.current().getSpanContext().getSpanId());
            return Uni.createFrom().item("done");
        }).await().atMost(Duration.ofSeconds(5));
        assertEquals("done", result);
        assertEquals(span.getSpanContext().getSpanId(), current.get());
        SpanData ended = only();
        assertEquals(StatusCode.UNSET, ended.getStatus().getStatusCode());
    }

    @Test
    void aFailureIsTheSpansError() {
        Span span = tracer.spanBuilder("failing").startSpan();
        assertThrows(IllegalStateException.class, () -> Spans.within(vertx, span,
                () -> Uni.createFrom().failure(new IllegalStateException("no"))).await().atMost(Duration.ofSeconds(5)));
        SpanData ended = only();
        assertEquals(StatusCode.ERROR, ended.getStatus().getStatusCode());
        assertEquals("exception", ended.getEvents().get(0).getName());
    }

    @Test
    void aCancelledWorkEndsItsSpan() throws Exception {
        Span span = tracer.spanBuilder("cancelled").startSpan();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        var subscription = Spans.within(vertx, span, () -> {
            started.countDown();
            return Uni.createFrom().<String>nothing();
        }).subscribe().with(item -> { });
        assertTrue(started.await(5, java.util.concurrent.TimeUnit.SECONDS));
        subscription.cancel();
        SpanData ended = only();
        assertTrue(ended.getEvents().stream().anyMatch(event -> event.getName().equals("cancelled")), ended.toString());
    }

    private SpanData only() {
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertEquals(1, spans.size(), spans.toString());
        return spans.get(0);
    }
}
