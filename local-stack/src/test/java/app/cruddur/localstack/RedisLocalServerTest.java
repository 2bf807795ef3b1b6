package app.cruddur.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's Redis is a real redis-server: pub/sub between two connections, stopped and started again. */
class RedisLocalServerTest {

    @Test
    void publishesToSubscribersAndComesBackAfterAStop(@TempDir Path work) throws Exception {
        int port = Ports.claim(0, "Redis");
        RedisLocalServer server = new RedisLocalServer(port, work.resolve("redis"));
        server.start();
        try {
            assertEquals("redis://localhost:" + port, server.url());
            assertDelivered(port, "before");

            server.stop();
            assertThrows(ConnectException.class, () -> new Socket("localhost", port).close());

            server.start();
            assertDelivered(port, "after a restart");
        } finally {
            server.stop();
        }
        // Nothing is saved: pub/sub keeps no data.
        try (var files = Files.list(work.resolve("redis"))) {
            assertFalse(files.anyMatch(file -> file.getFileName().toString().endsWith(".rdb")));
        }
    }

    private static void assertDelivered(int port, String text) throws IOException {
        try (Socket subscriber = new Socket("localhost", port); Socket publisher = new Socket("localhost", port)) {
            subscriber.setSoTimeout(5000);
            publisher.setSoTimeout(5000);
            BufferedReader fromSubscriber = reader(subscriber);
            send(subscriber, "SUBSCRIBE", "events:test");
            // *3, $9 subscribe, $11 events:test, :1
            assertEquals(List.of("*3", "$9", "subscribe", "$11", "events:test", ":1"), lines(fromSubscriber, 6));

            BufferedReader fromPublisher = reader(publisher);
            send(publisher, "PUBLISH", "events:test", text);
            assertEquals(":1", fromPublisher.readLine(), "one subscriber received it");
            List<String> message = lines(fromSubscriber, 7);
            assertEquals(List.of("*3", "$7", "message", "$11", "events:test"), message.subList(0, 5));
            assertEquals(text, message.get(6));
        }
    }

    private static void send(Socket socket, String... words) throws IOException {
        StringBuilder command = new StringBuilder("*" + words.length + "\r\n");
        for (String word : words) {
            command.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(command.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static List<String> lines(BufferedReader in, int count) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(in.readLine());
        }
        return lines;
    }
}
