package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The local stack the tests and dev mode start runs a Redis-protocol server, which the control channel stops and starts. */
class LocalStackRedisTest {

    @Test
    void theStackServesRedisAndRestartsIt() throws IOException {
        LocalStackProcess stack = LocalStackTestResource.started();
        URI redis = URI.create(stack.redisUrl());
        assertEquals("redis", redis.getScheme());
        assertTrue(redis.getPort() > 0, stack.redisUrl());

        assertEquals("+PONG", ping(redis));
        stack.command("stop redis");
        try {
            // Refused, or reset by a server that is going away: no answer either way.
            assertThrows(IOException.class, () -> ping(redis));
        } finally {
            stack.command("start redis");
        }
        assertEquals("+PONG", ping(redis));
    }

    private static String ping(URI redis) throws IOException {
        try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
