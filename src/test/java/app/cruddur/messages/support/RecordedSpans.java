package app.cruddur.messages.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The spans the service under test finished, kept in memory: the tests' span exporter (the
 * {@code cdi} exporter takes every SpanExporter bean; the OTLP one is off in the test profile).
 */
@ApplicationScoped
public class RecordedSpans {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return exporter;
    }

    public List<SpanData> all() {
        return exporter.getFinishedSpanItems();
    }

    /** The spans of one trace, once {@code until} holds for them (the exporter is fed in batches). */
    public List<SpanData> trace(String traceId, Predicate<List<SpanData>> until, Duration wait) {
        Await.until(wait, () -> until.test(of(traceId)), () -> "the spans of trace " + traceId + ": " + describe(of(traceId)));
        return of(traceId);
    }

    public List<SpanData> of(String traceId) {
        return all().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    public static String describe(List<SpanData> spans) {
        StringBuilder text = new StringBuilder();
        for (SpanData span : spans) {
            text.append('\n').append(span.getName()).append(" [").append(span.getKind()).append("] id ").append(span.getSpanId())
                    .append(" parent ").append(span.getParentSpanId()).append(' ').append(span.getAttributes());
        }
        return text.toString();
    }
}
