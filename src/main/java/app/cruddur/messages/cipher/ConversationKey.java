package app.cruddur.messages.cipher;

import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.table.Timestamps;
import com.google.crypto.tink.Aead;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * One conversation's Tink AEAD (AES-256-GCM; its keyset may hold older keys after a rotation, and
 * Tink's key id in each ciphertext picks the one that opens it). The associated data is
 * {@code {context}|{message_group_uuid}|{sent time}}: the messages table's logical name, the
 * conversation, and the message's sort key, so a ciphertext opens only in its own message's items.
 */
final class ConversationKey implements TextKey {

    private final UUID conversationUuid;
    private final Aead aead;
    private final String context;
    private final boolean acceptPlainTexts;
    private final UnopenedTexts unopened;

    ConversationKey(UUID conversationUuid, Aead aead, String context, boolean acceptPlainTexts, UnopenedTexts unopened) {
        this.conversationUuid = conversationUuid;
        this.aead = aead;
        this.context = context;
        this.acceptPlainTexts = acceptPlainTexts;
        this.unopened = unopened;
    }

    @Override
    public String seal(UUID conversation, Instant sentAt, String text) {
        requireOwn(conversation);
        try {
            byte[] sealed = aead.encrypt(text.getBytes(StandardCharsets.UTF_8), associatedData(conversation, sentAt));
            return SEALED + Base64.getEncoder().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a text could not be sealed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> open(UUID conversation, Instant sentAt, String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        if (!TextKey.isSealed(stored)) {
            return plain(stored, acceptPlainTexts, unopened, conversation, sentAt);
        }
        if (!conversation.equals(conversationUuid)) {
            unopened.failed(conversation, sentAt, "it was read with another conversation's key");
            return Optional.empty();
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(stored.substring(SEALED.length()));
            return Optional.of(new String(aead.decrypt(sealed, associatedData(conversation, sentAt)), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            unopened.failed(conversation, sentAt, "its ciphertext does not open here (copied from another message, or damaged)");
            return Optional.empty();
        }
    }

    /**
     * A text stored before texts were sealed: shown as it is while plain texts are accepted, else
     * unavailable and counted. The one rule for it, with a key or without one ({@link Keyring}).
     */
    static Optional<String> plain(String stored, boolean accepted, UnopenedTexts unopened, UUID conversation, Instant sentAt) {
        if (accepted) {
            return Optional.of(stored);
        }
        unopened.plain(conversation, sentAt);
        return Optional.empty();
    }

    private byte[] associatedData(UUID conversation, Instant sentAt) {
        return (context + "|" + conversation + "|" + Timestamps.format(sentAt)).getBytes(StandardCharsets.UTF_8);
    }

    private void requireOwn(UUID conversation) {
        if (!conversation.equals(conversationUuid)) {
            throw new IllegalArgumentException("the key of " + conversationUuid + " cannot seal a text of " + conversation);
        }
    }
}
