package app.cruddur.messages.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import app.cruddur.messages.localstack.TraceViewer;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local trace viewer's translation of an OTLP export into Zipkin's span form. */
class ZipkinFormTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String TRACE = "6b15e0aa4bf92f3577b34da6a3ce9290";

    @Test
    void idsTimesKindsParentsAndTagsBecomeZipkins() {
        Span server = span("post /api/messages", "00f067aa0ba902b7", "", Span.SpanKind.SPAN_KIND_SERVER, 1_000_000_000L, 1_250_000_000L)
                .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code").setValue(AnyValue.newBuilder().setIntValue(200)))
                .build();
        Span call = span("DynamoDb.PutItem", "1111111111111111", "00f067aa0ba902b7", Span.SpanKind.SPAN_KIND_CLIENT, 1_100_000_000L,
                1_100_000_400L)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("throttled"))
                .build();
        Span internal = span("work", "2222222222222222", "00f067aa0ba902b7", Span.SpanKind.SPAN_KIND_INTERNAL, 5, 5).build();
        ExportTraceServiceRequest export = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("cruddur-messages"))))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(server).addSpans(call).addSpans(internal))).build();

        List<Map<String, Object>> spans = TraceViewer.zipkinSpans(export);
        assertEquals(3, spans.size());
        Map<String, Object> root = spans.get(0);
        assertEquals(TRACE, root.get("traceId"));
        assertEquals("00f067aa0ba902b7", root.get("id"));
        assertFalse(root.containsKey("parentId"), "a root span has none");
        assertEquals("SERVER", root.get("kind"));
        assertEquals(1_000_000L, root.get("timestamp"), "microseconds");
        assertEquals(250_000L, root.get("duration"));
        assertEquals(Map.of("serviceName", "cruddur-messages"), root.get("localEndpoint"));
        assertEquals(Map.of("http.response.status_code", "200"), root.get("tags"));

        Map<String, Object> child = spans.get(1);
        assertEquals("00f067aa0ba902b7", child.get("parentId"));
        assertEquals("CLIENT", child.get("kind"));
        assertEquals(1L, child.get("duration"), "under a microsecond is one");
        assertEquals(Map.of("error", "throttled"), child.get("tags"));
        assertFalse(spans.get(2).containsKey("kind"), "Zipkin has no kind for an internal span");
    }

    private static Span.Builder span(String name, String id, String parent, Span.SpanKind kind, long start, long end) {
        return Span.newBuilder().setName(name).setTraceId(ByteString.copyFrom(HEX.parseHex(TRACE)))
                .setSpanId(ByteString.copyFrom(HEX.parseHex(id)))
                .setParentSpanId(parent.isEmpty() ? ByteString.EMPTY : ByteString.copyFrom(HEX.parseHex(parent)))
                .setKind(kind).setStartTimeUnixNano(start).setEndTimeUnixNano(end);
    }
}
