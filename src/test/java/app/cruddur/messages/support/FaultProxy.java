package app.cruddur.messages.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free local port in front of one dependency, that fails the way networks and
 * stuck servers fail:
 * <ul>
 *   <li>{@link #cut()}: every connection is closed, and new ones are closed as soon as they open;</li>
 *   <li>{@link #blackHole()}: connections stay open but go silent, existing and new ones alike:
 *       what the client sends is read and dropped, and nothing ever answers. A connection that went
 *       silent stays silent for good, also after {@link #pass()}, as one to a stuck node does;</li>
 *   <li>{@link #loseAnswers(double)}: requests reach the dependency, which applies them, but that
 *       fraction of the answers is dropped and the connection closed before the client sees it.</li>
 * </ul>
 * Plain blocking sockets, two threads per connection: a test opens a few dozen at most.
 */
public final class FaultProxy implements AutoCloseable {

    private enum Mode { PASS, CUT, BLACK_HOLE, LOSE_ANSWERS }

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger lostAnswers = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile double lossRate;
    /** The answer to the next request that contains this text is dropped; then this is cleared. */
    private volatile String loseAnswerTo;

    private FaultProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    public static FaultProxy start(String upstreamHost, int upstreamPort) {
        try {
            return new FaultProxy(upstreamHost, upstreamPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the proxy's port", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** New connections pass again. Connections that went silent stay silent. */
    public void pass() {
        mode = Mode.PASS;
    }

    public void cut() {
        mode = Mode.CUT;
        for (Link link : links) {
            link.close();
        }
    }

    public void blackHole() {
        mode = Mode.BLACK_HOLE;
        for (Link link : links) {
            link.silent = true;
        }
    }

    public void loseAnswers(double rate) {
        lossRate = rate;
        mode = Mode.LOSE_ANSWERS;
    }

    /**
     * Drops the answer to the next request whose bytes contain {@code requestText} (for example the
     * {@code X-Amz-Target} of one DynamoDB operation), once, after the dependency applied it.
     */
    public void loseNextAnswerTo(String requestText) {
        loseAnswerTo = requestText;
    }

    /** Answers dropped so far. */
    /** Connections accepted so far, whatever became of them. */
    public int accepted() {
        return accepted.get();
    }

    public int lostAnswers() {
        return lostAnswers.get();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                switch (mode) {
                    case CUT -> client.close();
                    case BLACK_HOLE -> open(client, null, true);
                    default -> open(client, connectUpstream(client), false);
                }
            } catch (IOException e) {
                // the server socket closed, or one connection failed to open
            }
        }
    }

    private Socket connectUpstream(Socket client) throws IOException {
        try {
            Socket upstream = new Socket(upstreamHost, upstreamPort);
            upstream.setTcpNoDelay(true);
            return upstream;
        } catch (IOException e) {
            client.close();
            throw e;
        }
    }

    private void open(Socket client, Socket upstream, boolean silent) throws IOException {
        client.setTcpNoDelay(true);
        Link link = new Link(client, upstream);
        link.silent = silent;
        links.add(link);
        link.start();
    }

    /** One client connection and its upstream connection (none when it opened into a black hole). */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        volatile boolean silent;
        /** The client sent a request whose answer has not started yet. */
        private volatile boolean awaitingAnswer;
        /** That request's answer is to be dropped. */
        private volatile boolean loseAnswer;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            daemon(this::requests, "requests");
            if (upstream != null) {
                daemon(this::answers, "answers");
            }
        }

        private void requests() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = client.getInputStream()) {
                OutputStream out = upstream == null ? null : upstream.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (silent || out == null) {
                        continue;
                    }
                    awaitingAnswer = true;
                    String marker = loseAnswerTo;
                    if (marker != null && new String(buffer, 0, read, StandardCharsets.ISO_8859_1).contains(marker)) {
                        loseAnswerTo = null;
                        loseAnswer = true;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the connection ended
            }
            // The client gave up on the connection: that works also when it is silent.
            close();
        }

        private void answers() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = upstream.getInputStream()) {
                OutputStream out = client.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (silent) {
                        continue;
                    }
                    if (awaitingAnswer) {
                        awaitingAnswer = false;
                        if (loseAnswer || mode == Mode.LOSE_ANSWERS && ThreadLocalRandom.current().nextDouble() < lossRate) {
                            lostAnswers.incrementAndGet();
                            break;
                        }
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the connection ended
            }
            if (!silent) {
                close();
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private void daemon(Runnable body, String direction) {
            Thread thread = new Thread(body, "fault-proxy-" + port() + "-" + direction);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
