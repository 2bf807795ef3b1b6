package app.cruddur.messages.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An open {@code GET /api/events} stream as a client reads it: its lines parsed into events (and
 * comments) on a thread of its own, as the SSE format says (event, id, data, retry; blank line ends
 * an event).
 */
public final class EventStreamClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public record Event(String name, String id, String data) {

        /** The data as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Event END = new Event("end", null, null);
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final CompletableFuture<String> connected = new CompletableFuture<>();
    private volatile String retry;

    private EventStreamClient(CompletableFuture<HttpResponse<Stream<String>>> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a stream with these request headers (Authorization, Last-Event-ID ...). */
    public static EventStreamClient open(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        return new EventStreamClient(HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    /** Opens a stream and waits for its {@code connected} comment. */
    public static EventStreamClient connect(URI uri, Map<String, String> headers) throws Exception {
        EventStreamClient stream = open(uri, headers);
        stream.awaitConnected();
        return stream;
    }

    private void read() {
        try {
            HttpResponse<Stream<String>> answer = response.get(10, TimeUnit.SECONDS);
            status.complete(answer.statusCode());
            if (answer.statusCode() != 200) {
                String body = String.join("\n", answer.body().toList());
                connected.completeExceptionally(new IllegalStateException("status " + answer.statusCode() + ": " + body));
                return;
            }
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line : (Iterable<String>) answer.body()::iterator) {
                if (line.startsWith(":")) {
                    String comment = line.substring(1).trim();
                    comments.add(comment);
                    if (comment.equals("connected")) {
                        connected.complete(comment);
                    }
                } else if (line.startsWith("retry:")) {
                    retry = line.substring(6).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && name != null) {
                    events.add(new Event(name, id, data.toString()));
                    name = null;
                    id = null;
                    data.setLength(0);
                }
            }
        } catch (Exception e) {
            status.completeExceptionally(e);
            connected.completeExceptionally(e);
        } finally {
            events.add(END);
        }
    }

    public void awaitConnected() throws Exception {
        connected.get(10, TimeUnit.SECONDS);
    }

    /** The answer's status code. */
    public int status() throws Exception {
        return status.get(10, TimeUnit.SECONDS);
    }

    /** The next event within the wait, or null (none came, or the stream ended). */
    public Event next(Duration wait) throws InterruptedException {
        Event event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (event == END) {
            events.add(END);
            return null;
        }
        return event;
    }

    /** The next event of this name within the wait, skipping others, or null. */
    public Event next(String name, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Event event = next(Duration.ofNanos(left));
            if (event == null || event.name().equals(name)) {
                return event;
            }
        }
    }

    /** Every event that arrives within the wait. */
    public List<Event> drain(Duration wait) throws InterruptedException {
        List<Event> all = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left <= 0 ? null : next(Duration.ofNanos(left));
            if (event == null) {
                return all;
            }
            all.add(event);
        }
    }

    /** Whether the server ends the stream within the wait (events still queued are skipped). */
    public boolean ended(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Event event = events.poll(50, TimeUnit.MILLISECONDS);
            if (event == END) {
                events.add(END);
                return true;
            }
        }
        return false;
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** The last {@code retry:} hint, in milliseconds, or null. */
    public String retry() {
        return retry;
    }

    @Override
    public void close() {
        response.thenAccept(answer -> answer.body().close());
        response.cancel(true);
    }
}
