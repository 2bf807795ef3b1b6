package app.cruddur.messages.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The trace viewer of the local stack: Zipkin's self-contained server, and in front of it a receiver
 * of OpenTelemetry's OTLP over HTTP ({@code /v1/traces}, protobuf) that hands every span on to it in
 * Zipkin's own form. Dev mode exports there ({@code %dev} in application.properties), so a developer
 * sees each request's waterfall at {@link #zipkinUrl()} without a Zipkin exporter in the service.
 */
public final class TraceViewer implements AutoCloseable {

    /** Zipkin's server as one jar (Maven Central); fetched into the local Maven repository on first use. */
    public static final String ZIPKIN = "io.zipkin:zipkin-server:3.5.1:jar:exec";
    public static final int DEV_ZIPKIN_PORT = 9411;
    public static final int DEV_OTLP_PORT = 4318;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process zipkin;
    private final HttpServer receiver;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI zipkinUrl;

    private TraceViewer(Process zipkin, HttpServer receiver, URI zipkinUrl) {
        this.zipkin = zipkin;
        this.receiver = receiver;
        this.zipkinUrl = zipkinUrl;
    }

    /** Starts Zipkin on {@code zipkinPort} (its log in {@code log}) and the receiver on {@code otlpPort} (0: any free port). */
    public static TraceViewer start(Path projectRoot, int zipkinPort, int otlpPort, Path log) {
        Path jar = zipkinJar(projectRoot);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process zipkin = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--server.port=" + zipkinPort)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            HttpServer receiver = HttpServer.create(new InetSocketAddress("localhost", otlpPort), 0);
            TraceViewer viewer = new TraceViewer(zipkin, receiver, URI.create("http://localhost:" + zipkinPort));
            receiver.createContext("/v1/traces", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    viewer.forward(ExportTraceServiceRequest.parseFrom(body));
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, -1);
                } catch (IOException e) {
                    exchange.sendResponseHeaders(400, -1);
                } finally {
                    exchange.close();
                }
            });
            receiver.start();
            return viewer;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the trace viewer", e);
        }
    }

    /** Where the service exports (OTEL_EXPORTER_OTLP_ENDPOINT, protocol http/protobuf). */
    public String otlpEndpoint() {
        return "http://localhost:" + receiver.getAddress().getPort();
    }

    /** Zipkin's page. */
    public URI zipkinUrl() {
        return zipkinUrl;
    }

    /** Hands the spans on to Zipkin, never waiting: a span Zipkin does not take (not up yet) is lost, as with any collector. */
    private void forward(ExportTraceServiceRequest export) throws IOException {
        List<Map<String, Object>> spans = zipkinSpans(export);
        if (spans.isEmpty()) {
            return;
        }
        HttpRequest post = HttpRequest.newBuilder(zipkinUrl.resolve("/api/v2/spans"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(spans)))
                .build();
        client.sendAsync(post, HttpResponse.BodyHandlers.discarding());
    }

    /** The spans of an OTLP export in Zipkin's v2 form: ids in hex, times in microseconds, attributes as tags. */
    public static List<Map<String, Object>> zipkinSpans(ExportTraceServiceRequest export) {
        HexFormat hex = HexFormat.of();
        List<Map<String, Object>> spans = new ArrayList<>();
        for (ResourceSpans resource : export.getResourceSpansList()) {
            String service = resource.getResource().getAttributesList().stream()
                    .filter(attribute -> attribute.getKey().equals("service.name"))
                    .map(attribute -> text(attribute.getValue())).findFirst().orElse("unknown");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    Map<String, Object> zipkin = new LinkedHashMap<>();
                    zipkin.put("traceId", hex.formatHex(span.getTraceId().toByteArray()));
                    zipkin.put("id", hex.formatHex(span.getSpanId().toByteArray()));
                    if (!span.getParentSpanId().isEmpty()) {
                        zipkin.put("parentId", hex.formatHex(span.getParentSpanId().toByteArray()));
                    }
                    zipkin.put("name", span.getName());
                    kind(span.getKind()).ifPresent(kind -> zipkin.put("kind", kind));
                    zipkin.put("timestamp", span.getStartTimeUnixNano() / 1000);
                    zipkin.put("duration", Math.max(1, (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1000));
                    zipkin.put("localEndpoint", Map.of("serviceName", service));
                    Map<String, String> tags = new LinkedHashMap<>();
                    for (KeyValue attribute : span.getAttributesList()) {
                        tags.put(attribute.getKey(), text(attribute.getValue()));
                    }
                    if (span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR) {
                        tags.put("error", span.getStatus().getMessage().isEmpty() ? "true" : span.getStatus().getMessage());
                    }
                    zipkin.put("tags", tags);
                    spans.add(zipkin);
                }
            }
        }
        return spans;
    }

    private static Optional<String> kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER -> Optional.of("SERVER");
            case SPAN_KIND_CLIENT -> Optional.of("CLIENT");
            case SPAN_KIND_PRODUCER -> Optional.of("PRODUCER");
            case SPAN_KIND_CONSUMER -> Optional.of("CONSUMER");
            default -> Optional.empty();
        };
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString().strip();
        };
    }

    /** The Zipkin jar in the local Maven repository, fetched there by Maven the first time. */
    static Path zipkinJar(Path projectRoot) {
        String[] coordinates = ZIPKIN.split(":");
        Path jar = Path.of(System.getProperty("user.home"), ".m2", "repository", coordinates[0].replace('.', '/'), coordinates[1],
                coordinates[2], coordinates[1] + "-" + coordinates[2] + "-" + coordinates[4] + ".jar");
        if (Files.exists(jar)) {
            return jar;
        }
        try {
            Process fetch = new ProcessBuilder(projectRoot.resolve("mvnw").toString(), "-B", "-q",
                    "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get", "-Dartifact=" + ZIPKIN, "-Dtransitive=false")
                    .directory(projectRoot.toFile()).inheritIO().start();
            if (!fetch.waitFor(10, TimeUnit.MINUTES) || fetch.exitValue() != 0 || !Files.exists(jar)) {
                throw new IllegalStateException("could not fetch " + ZIPKIN + " into " + jar);
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("could not fetch " + ZIPKIN, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        receiver.stop(0);
        zipkin.destroy();
        try {
            if (!zipkin.waitFor(10, TimeUnit.SECONDS)) {
                zipkin.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
