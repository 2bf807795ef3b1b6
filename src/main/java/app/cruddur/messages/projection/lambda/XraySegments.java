package app.cruddur.messages.projection.lambda;

import app.cruddur.messages.projection.ProjectionTraces;
import app.cruddur.messages.table.MessageItem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The projection Lambda's part in a message's trace. Each move made for a message whose item
 * carries a sampled trace ({@link MessageItem#TRACE_PARENT}) becomes an X-Ray segment of that
 * trace, whose parent is the request that wrote the message; the traces of the other messages moved
 * with it are named in its metadata. The segment goes to the X-Ray daemon that Lambda runs beside a
 * function with active tracing ({@value #DAEMON_VARIABLE}), as a segment document over UDP, when
 * the move is over and so before the invocation returns. The service's trace ids are X-Ray's
 * (trace/XrayTraceIds), so the trace reads the same in X-Ray as it does where the service sends it.
 *
 * <p>No socket and no random source are made before the first segment: a SnapStart snapshot holds
 * neither.
 */
final class XraySegments implements ProjectionTraces {

    /** Set by Lambda for a function with active tracing: {@code host:port}, or {@code tcp:host:port udp:host:port}. */
    static final String DAEMON_VARIABLE = "AWS_XRAY_DAEMON_ADDRESS";
    /** The invocation's own trace header, which Lambda's Java runtime sets as a system property. */
    static final String INVOCATION_TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    static final String ORIGIN = "AWS::Lambda::Function";
    private static final String DOCUMENT_HEADER = "{\"format\":\"json\",\"version\":1}\n";
    private static final Logger LOG = Logger.getLogger(XraySegments.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InetSocketAddress daemon;
    private final String name;
    private final Clock clock;
    private DatagramSocket socket;
    private SecureRandom ids;

    XraySegments(InetSocketAddress daemon, String name, Clock clock) {
        this.daemon = daemon;
        this.name = name;
        this.clock = clock;
    }

    /** Segments to the daemon Lambda names, named after the function; none without active tracing. */
    static ProjectionTraces fromEnvironment() {
        return daemon(System.getenv(DAEMON_VARIABLE))
                .<ProjectionTraces>map(address -> new XraySegments(address,
                        Optional.ofNullable(System.getenv("AWS_LAMBDA_FUNCTION_NAME")).orElse("cruddur-projection"), Clock.systemUTC()))
                .orElse(ProjectionTraces.NONE);
    }

    /** The daemon's UDP address in the variable's two forms; empty when unset or not an address. */
    static Optional<InetSocketAddress> daemon(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String udp = value.trim();
        for (String part : udp.split("\\s+")) {
            if (part.startsWith("udp:")) {
                udp = part.substring("udp:".length());
            }
        }
        int colon = udp.lastIndexOf(':');
        if (colon <= 0 || udp.contains(" ") || udp.startsWith("tcp:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InetSocketAddress(udp.substring(0, colon), Integer.parseInt(udp.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** X-Ray's form of a W3C trace id: {@code 1-} the first 8 hex digits (its time) {@code -} the other 24. */
    static String xrayTraceId(String w3cTraceId) {
        return "1-" + w3cTraceId.substring(0, 8) + "-" + w3cTraceId.substring(8);
    }

    @Override
    public Uni<Void> around(String work, List<MessageItem> messages, Supplier<Uni<Void>> move) {
        List<SpanContext> traced = ProjectionTraces.tracesOf(messages).stream().filter(SpanContext::isSampled).toList();
        if (traced.isEmpty()) {
            return move.get();
        }
        Instant start = clock.instant();
        MessageItem last = messages.get(messages.size() - 1);
        return Uni.createFrom().<Void>deferred(move::get).onTermination().invoke((ignored, failure, cancelled) ->
                send(document(work, last, traced, start, clock.instant(), Optional.ofNullable(failure), cancelled)));
    }

    String document(String work, MessageItem last, List<SpanContext> traced, Instant start, Instant end,
                    Optional<Throwable> failure, boolean cancelled) {
        SpanContext parent = traced.get(traced.size() - 1);
        ObjectNode segment = JSON.createObjectNode();
        segment.put("name", name);
        segment.put("id", newId());
        segment.put("trace_id", xrayTraceId(parent.getTraceId()));
        segment.put("parent_id", parent.getSpanId());
        segment.put("start_time", seconds(start));
        segment.put("end_time", seconds(end));
        segment.put("origin", ORIGIN);
        ObjectNode annotations = segment.putObject("annotations");
        annotations.put("operation", work);
        annotations.put("conversation_uuid", last.conversationUuid().toString());
        annotations.put("messages", traced.size());
        ObjectNode metadata = segment.putObject("metadata").putObject("cruddur");
        ArrayNode links = metadata.putArray("linked_traces");
        traced.subList(0, traced.size() - 1).forEach(other -> links.add(xrayTraceId(other.getTraceId()) + "/" + other.getSpanId()));
        Optional.ofNullable(System.getProperty(INVOCATION_TRACE_PROPERTY)).ifPresent(header -> metadata.put("invocation", header));
        failure.ifPresent(error -> {
            // A failed move is retried by Lambda: a fault of this segment, with the failure's type only (its message may name data).
            segment.put("fault", true);
            segment.putObject("cause").putArray("exceptions").addObject()
                    .put("id", newId()).put("type", error.getClass().getName());
        });
        if (cancelled) {
            segment.put("error", true);
            annotations.put("cancelled", true);
        }
        return segment.toString();
    }

    private synchronized void send(String document) {
        byte[] datagram = (DOCUMENT_HEADER + document).getBytes(StandardCharsets.UTF_8);
        try {
            if (socket == null) {
                socket = new DatagramSocket();
            }
            socket.send(new DatagramPacket(datagram, datagram.length, daemon));
        } catch (IOException | RuntimeException e) {
            // Never in the projection's way: a segment lost is a gap in a trace.
            LOG.debugf("X-Ray segment not sent to %s: %s", daemon, e.toString());
        }
    }

    private synchronized String newId() {
        if (ids == null) {
            ids = new SecureRandom();
        }
        byte[] id = new byte[8];
        ids.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static double seconds(Instant at) {
        return at.getEpochSecond() + at.getNano() / 1e9;
    }
}
