package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service in the prod profile does not start without the texts' KMS key, or with a
 * KMS key that is not the one it was configured for; it says which setting and why, and exits.
 */
class KmsKeyStartIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static LocalStackProcess stack;

    @BeforeAll
    static void stack() {
        stack = LocalStackTestResource.started();
    }

    @Test
    void aKmsKeyThatDoesNotExistStopsTheStart() throws IOException {
        String log = run(Map.of("MESSAGES_KMS_KEY_ID", "alias/no-such-key"));

        assertTrue(log.contains("cruddur.messages.encryption.kms-key-id"), log);
        assertTrue(log.contains("NotFoundException"), log);
    }

    @Test
    void noKmsKeyStopsTheStart() throws IOException {
        String log = run(Map.of("MESSAGES_KMS_KEY_ID", ""));

        assertTrue(log.contains("cruddur.messages.encryption.kms-key-id"), log);
    }

    /** Runs the packaged service until it exits, which it must do by itself, not 0; returns its log. */
    private static String run(Map<String, String> settings) throws IOException {
        Path log = Files.createTempFile("kms-start", ".log");
        ServiceProcess.Exit exit = ServiceProcess.run(ROOT, stack, log, settings, TIMEOUT);
        String written = Files.readString(log);
        assertNotEquals(0, exit.code(), "the service started without its key:\n" + written);
        return written;
    }
}
