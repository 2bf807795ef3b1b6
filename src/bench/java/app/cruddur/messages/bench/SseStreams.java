package app.cruddur.messages.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many open {@code GET /api/events} streams on one selector thread, as cheap for the benchmark's
 * own JVM as a stream can be: each is a socket whose chunked answer is decoded and searched for
 * message texts of the form {@code bench-<n>}, and the first arrival of each on each stream is
 * timed ({@link System#nanoTime()}).
 */
final class SseStreams implements AutoCloseable {

    private static final Pattern MARKER = Pattern.compile("\"message\":\"bench-(\\d+)\"");
    private static final Pattern READ_THROUGH = Pattern.compile("\"read_through\":\"([^\"]+)\"");

    /** One stream: what it has received, by marker, when. */
    static final class Stream {
        final int index;
        final Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
        /** Read events, by the read_through they carry. */
        final Map<String, Long> reads = new ConcurrentHashMap<>();
        private final ByteBuffer request;
        private final StringBuilder raw = new StringBuilder();
        private final StringBuilder body = new StringBuilder();
        private boolean headersRead;
        private long chunkLeft = -1;
        volatile boolean connected;
        volatile boolean ended;

        Stream(int index, ByteBuffer request) {
            this.index = index;
            this.request = request;
        }

        /** Decodes the chunked answer as it comes and records each event's marker. */
        void received(String text, long at) {
            raw.append(text);
            if (!headersRead) {
                int end = raw.indexOf("\r\n\r\n");
                if (end < 0) {
                    return;
                }
                headersRead = true;
                raw.delete(0, end + 4);
            }
            while (true) {
                if (chunkLeft < 0) {
                    int line = raw.indexOf("\r\n");
                    if (line < 0) {
                        return;
                    }
                    chunkLeft = Long.parseLong(raw.substring(0, line).trim(), 16);
                    raw.delete(0, line + 2);
                    if (chunkLeft == 0) {
                        ended = true;
                        return;
                    }
                }
                if (raw.length() < chunkLeft + 2) {
                    return;
                }
                body.append(raw, 0, (int) chunkLeft);
                raw.delete(0, (int) chunkLeft + 2);
                chunkLeft = -1;
                scan(at);
            }
        }

        private void scan(long at) {
            int end;
            while ((end = body.indexOf("\n\n")) >= 0) {
                String event = body.substring(0, end) + "\n";
                body.delete(0, end + 2);
                if (event.contains(": connected") || event.contains(":connected")) {
                    connected = true;
                }
                if (event.contains("event:read\n") || event.contains("event: read\n")) {
                    Matcher through = READ_THROUGH.matcher(event);
                    if (through.find()) {
                        reads.putIfAbsent(through.group(1), at);
                    }
                }
                if (event.contains("event:message\n") || event.contains("event: message\n")) {
                    Matcher marker = MARKER.matcher(event);
                    if (marker.find()) {
                        arrivals.putIfAbsent(Integer.parseInt(marker.group(1)), at);
                    }
                }
            }
        }
    }

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Stream> streams = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread loop;
    private volatile boolean running = true;

    SseStreams() throws IOException {
        selector = Selector.open();
        loop = new Thread(this::run, "sse-streams");
        loop.setDaemon(true);
        loop.start();
    }

    /** Opens a stream of the token's user on {@code base}; it is connected once {@link Stream#connected}. */
    Stream open(URI base, String token) throws IOException {
        String request = "GET /api/events HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Authorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n";
        Stream stream = new Stream(streams.size(), ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        streams.add(stream);
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        tasks.add(() -> {
            try {
                channel.register(selector, SelectionKey.OP_CONNECT, stream);
            } catch (IOException e) {
                failures.incrementAndGet();
            }
        });
        selector.wakeup();
        return stream;
    }

    List<Stream> streams() {
        return streams;
    }

    int failures() {
        return failures.get();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (running) {
            try {
                selector.select(100);
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Stream stream = (Stream) key.attachment();
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable() && channel.finishConnect()) {
                            key.interestOps(SelectionKey.OP_WRITE);
                        } else if (key.isWritable()) {
                            channel.write(stream.request);
                            if (!stream.request.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        } else if (key.isReadable()) {
                            buffer.clear();
                            int read = channel.read(buffer);
                            if (read < 0) {
                                stream.ended = true;
                                key.cancel();
                                channel.close();
                            } else {
                                stream.received(new String(buffer.array(), 0, read, StandardCharsets.UTF_8), now);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        failures.incrementAndGet();
                        stream.ended = true;
                        key.cancel();
                        channel.close();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                failures.incrementAndGet();
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
