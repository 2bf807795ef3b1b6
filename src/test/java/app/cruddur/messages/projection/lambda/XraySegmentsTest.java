package app.cruddur.messages.projection.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.trace.wire.TraceParent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.SpanContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The daemon's address as Lambda gives it, and the segment document's form. */
class XraySegmentsTest {

    private static final String POST = "00-6756a4f1d2c3b4a5968778695a4b3c2d-a1b2c3d4e5f60718-01";
    private static final String OTHER = "00-6756a4f0aaaabbbbccccddddeeeeffff-0102030405060708-01";

    @Test
    void theDaemonAddressInBothForms() {
        assertEquals(Optional.of(new InetSocketAddress("169.254.79.129", 2000)), XraySegments.daemon("169.254.79.129:2000"));
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.2", 2001)),
                XraySegments.daemon("tcp:127.0.0.1:2000 udp:127.0.0.2:2001"));
        assertEquals(Optional.empty(), XraySegments.daemon(null));
        assertEquals(Optional.empty(), XraySegments.daemon(" "));
        assertEquals(Optional.empty(), XraySegments.daemon("tcp:127.0.0.1:2000"));
        assertEquals(Optional.empty(), XraySegments.daemon("localhost:port"));
    }

    @Test
    void aW3cTraceIdInXrayForm() {
        assertEquals("1-6756a4f1-d2c3b4a5968778695a4b3c2d", XraySegments.xrayTraceId("6756a4f1d2c3b4a5968778695a4b3c2d"));
    }

    @Test
    void aSegmentOfTheLastMessagesTraceUnderItsRequestNamingTheOthers() throws Exception {
        XraySegments segments = new XraySegments(new InetSocketAddress("127.0.0.1", 2000), "cruddur-projection", Clock.systemUTC());
        MessageItem message = new MessageItem(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), "a secret text", UUID.randomUUID(),
                "Ann", "ann").tracedBy(POST);
        List<SpanContext> traced = List.of(TraceParent.parse(OTHER).orElseThrow(), TraceParent.parse(POST).orElseThrow());
        Instant start = Instant.parse("2026-12-07T01:00:00.123456Z");

        String text = segments.document("project message", message, traced, start, start.plusMillis(42), Optional.empty(), false);
        JsonNode document = new ObjectMapper().readTree(text);

        assertEquals("cruddur-projection", document.path("name").asText());
        assertTrue(document.path("id").asText().matches("[0-9a-f]{16}"), text);
        assertEquals("1-6756a4f1-d2c3b4a5968778695a4b3c2d", document.path("trace_id").asText());
        assertEquals("a1b2c3d4e5f60718", document.path("parent_id").asText());
        assertEquals(1796605200.123456, document.path("start_time").asDouble(), 1e-6);
        assertEquals(1796605200.165456, document.path("end_time").asDouble(), 1e-6);
        assertEquals("AWS::Lambda::Function", document.path("origin").asText());
        assertEquals("project message", document.path("annotations").path("operation").asText());
        assertEquals(message.conversationUuid().toString(), document.path("annotations").path("conversation_uuid").asText());
        assertEquals(2, document.path("annotations").path("messages").asInt());
        assertEquals("1-6756a4f0-aaaabbbbccccddddeeeeffff/0102030405060708",
                document.path("metadata").path("cruddur").path("linked_traces").path(0).asText());
        assertFalse(document.has("fault"));
        assertFalse(text.contains("a secret text"), "no message text in a trace");
    }

    @Test
    void aFailedMoveIsAFaultNamingTheFailuresTypeOnly() throws Exception {
        XraySegments segments = new XraySegments(new InetSocketAddress("127.0.0.1", 2000), "f", Clock.systemUTC());
        MessageItem message = new MessageItem(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), "hi", UUID.randomUUID(),
                "Ann", "ann").tracedBy(POST);
        String text = segments.document("project message", message, List.of(TraceParent.parse(POST).orElseThrow()), Instant.now(),
                Instant.now(), Optional.of(new IllegalStateException("conversation of ann@example.com")), false);
        JsonNode document = new ObjectMapper().readTree(text);

        assertTrue(document.path("fault").asBoolean());
        assertEquals(IllegalStateException.class.getName(), document.path("cause").path("exceptions").path(0).path("type").asText());
        assertFalse(text.contains("ann@example.com"), "the failure's message may name data: " + text);
    }
}
