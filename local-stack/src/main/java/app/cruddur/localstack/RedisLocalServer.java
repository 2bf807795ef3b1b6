package app.cruddur.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.embedded.RedisServer;

/**
 * A real redis-server (embedded-redis ships the binaries) on localhost only, as a child process:
 * the Redis-protocol server that the service's pub/sub fan-out uses on AWS through ElastiCache.
 * Nothing is saved: pub/sub keeps no data, and the working directory holds what redis-server writes.
 */
final class RedisLocalServer {

    private final int port;
    private final Path workDir;
    private RedisServer server;

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    RedisLocalServer(int port, Path workDir) {
        this.port = port;
        this.workDir = workDir;
    }

    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        Files.createDirectories(workDir);
        RedisServer created = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("dir " + workDir)
                .setting("save \"\"")
                .setting("appendonly no")
                .onShutdownForceStop(true)
                .build();
        created.start();
        server = created;
    }

    /** Stops the server; returns once its port refuses connections (the process may take a moment to exit). */
    synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            e.printStackTrace();
        }
        server = null;
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (System.nanoTime() < deadline && listening()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean listening() {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://localhost:" + port;
    }
}
