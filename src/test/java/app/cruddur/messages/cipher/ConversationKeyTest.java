package app.cruddur.messages.cipher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.table.TextKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules of a sealed text, on a key made here: what opens it and what does not. */
class ConversationKeyTest {

    private final UUID conversation = UUID.randomUUID();
    private final Instant sentAt = Instant.parse("2026-12-06T10:00:00.123456Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UnopenedTexts unopened = new UnopenedTexts(registry);
    private final ConversationKey key = new ConversationKey(conversation, WrappingKey.aead(WrappingKey.generate()), "cruddur-messages",
            true, unopened);

    @Test
    void aSealedTextIsAStringThatOpensOnlyForItsConversationAndTime() {
        String sealed = key.seal(conversation, sentAt, "hello 😀");

        assertTrue(sealed.startsWith(TextKey.SEALED), sealed);
        assertTrue(!sealed.contains("hello"), sealed);
        assertEquals(Optional.of("hello 😀"), key.open(conversation, sentAt, sealed));
        assertNotEquals(sealed, key.seal(conversation, sentAt, "hello 😀"), "a fresh nonce each time");
        assertEquals(Optional.empty(), key.open(conversation, sentAt.plusNanos(1000), sealed), "another message's time");
        assertEquals(Optional.empty(), key.open(UUID.randomUUID(), sentAt, sealed), "another conversation");
        assertEquals(2.0, count("does_not_open"));
    }

    @Test
    void aDamagedOrForeignCiphertextDoesNotOpen() {
        String sealed = key.seal(conversation, sentAt, "hello");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(TextKey.SEALED.length()));
        bytes[bytes.length - 1] ^= 1;
        String damaged = TextKey.SEALED + Base64.getEncoder().encodeToString(bytes);
        ConversationKey other = new ConversationKey(conversation, WrappingKey.aead(WrappingKey.generate()), "cruddur-messages", true,
                unopened);
        ConversationKey restoredElsewhere = new ConversationKey(conversation, WrappingKey.aead(WrappingKey.generate()), "another-table",
                true, unopened);

        assertEquals(Optional.empty(), key.open(conversation, sentAt, damaged));
        assertEquals(Optional.empty(), key.open(conversation, sentAt, TextKey.SEALED + "not base64 !"));
        assertEquals(Optional.empty(), other.open(conversation, sentAt, sealed), "another key");
        assertEquals(Optional.empty(), restoredElsewhere.open(conversation, sentAt, sealed), "another table");
        assertEquals(4.0, count("does_not_open"));
    }

    @Test
    void plainTextsReadAsTheyAreUntilTheyAreRefused() {
        ConversationKey strict = new ConversationKey(conversation, WrappingKey.aead(WrappingKey.generate()), "cruddur-messages", false,
                unopened);

        assertEquals(Optional.of("from before"), key.open(conversation, sentAt, "from before"));
        assertEquals(Optional.empty(), strict.open(conversation, sentAt, "from before"));
        assertEquals(1.0, count("plain_refused"));
    }

    @Test
    void aKeySealsOnlyItsOwnConversation() {
        assertThrows(IllegalArgumentException.class, () -> key.seal(UUID.randomUUID(), sentAt, "hello"));
    }

    private double count(String reason) {
        return registry.get(UnopenedTexts.METRIC).tag("reason", reason).counter().count();
    }
}
