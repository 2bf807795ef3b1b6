package app.cruddur.messages.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the services of a benchmark send their spans (BenchEnvironment#startService), standing in for
 * the collector beside the service in AWS: an OTLP/HTTP endpoint
 * ({@code /v1/traces}) that reads each export whole and answers it as a collector does (200, an
 * empty ExportTraceServiceResponse), so that the service pays for exporting what it samples and no
 * failure shortcuts it. Counts the exports and their bytes.
 */
final class SpanSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    SpanSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
            }
            exports.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** The endpoint to give the service as OTEL_EXPORTER_OTLP_ENDPOINT (with the http/protobuf protocol). */
    String endpoint() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    String describe() {
        return String.format("%d exports, %.1f MiB", exports.get(), bytes.get() / 1048576.0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
