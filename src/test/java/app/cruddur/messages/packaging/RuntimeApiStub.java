package app.cruddur.messages.packaging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's Runtime API (2018-06-01) as a function's runtime uses it: {@code GET invocation/next}
 * hands out the submitted events one at a time with the headers Lambda sends, and what the runtime
 * posts back ({@code invocation/{id}/response}, {@code invocation/{id}/error}, {@code init/error})
 * completes the invocation's {@link Answer} or {@link #initError()}.
 */
final class RuntimeApiStub implements AutoCloseable {

    /** The ARN Lambda gives a function of this name in the tests' account and region. */
    static String functionArn(String functionName) {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
    }

    /** The function's timeout, from which each invocation's deadline is set. */
    static final long TIMEOUT_MS = 60_000;
    private static final String PREFIX = "/2018-06-01/runtime/";

    /** What the runtime posted for an invocation (or for its init): which endpoint, the error type header, the body. */
    record Answer(String endpoint, String errorType, String body) {
    }

    private record Invocation(String requestId, String event) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final String functionArn;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Answer>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<Answer> initError = new CompletableFuture<>();
    private volatile boolean closed;

    private RuntimeApiStub(HttpServer server, ExecutorService threads, String functionArn) {
        this.server = server;
        this.threads = threads;
        this.functionArn = functionArn;
    }

    /** The Runtime API of the stream projection's function. */
    static RuntimeApiStub start() throws IOException {
        return start(LambdaRuntimeProcess.FUNCTION_NAME);
    }

    /** The Runtime API of the function named {@code functionName}. */
    static RuntimeApiStub start(String functionName) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A waiting "next" holds its thread, so the posts back need threads of their own.
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "runtime-api-stub");
            thread.setDaemon(true);
            return thread;
        });
        RuntimeApiStub stub = new RuntimeApiStub(server, threads, functionArn(functionName));
        server.createContext(PREFIX, stub::handle);
        server.setExecutor(threads);
        server.start();
        return stub;
    }

    /** The value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an invocation with this event (JSON); the future completes with what the runtime posts for it. */
    CompletableFuture<Answer> submit(String event) {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        answers.put(requestId, answer);
        pending.add(new Invocation(requestId, event));
        return answer;
    }

    /** Completes when the runtime reports that it could not start the function. */
    CompletableFuture<Answer> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError.complete(answer(exchange, path));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("invocation/")
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                String requestId = path.substring("invocation/".length(), path.lastIndexOf('/'));
                CompletableFuture<Answer> answer = answers.get(requestId);
                if (answer == null) {
                    reply(exchange, 400, "{\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                answer.complete(answer(exchange, path.substring(path.lastIndexOf('/') + 1)));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 404, "{\"errorType\":\"UnknownEndpoint\"}");
            }
        }
    }

    /** Whether the runtime has asked for its first invocation: its initialisation (the handler's constructor) is over. */
    public boolean initialised() {
        return askedForNext;
    }

    /** Waits, as Lambda does, until there is an invocation to hand out. */
    private void next(HttpExchange exchange) throws IOException {
        askedForNext = true;
        Invocation invocation = null;
        try {
            while (invocation == null && !closed) {
                invocation = pending.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            reply(exchange, 500, "{\"errorType\":\"ShuttingDown\"}");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + TIMEOUT_MS));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + invocation.requestId().replace("-", "").substring(0, 24) + ";Parent=" + "0".repeat(16) + ";Sampled=0");
        reply(exchange, 200, invocation.event());
    }

    private static Answer answer(HttpExchange exchange, String endpoint) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new Answer(endpoint, exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), body);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private volatile boolean askedForNext;

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
