package app.cruddur.messages.cipher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Texts that did not open: each is an error in the log (which message, and why; never the
 * ciphertext) and counts in {@code cruddur_messages_texts_unopened_total}, by reason. The caller
 * gets the message marked unavailable, never an error and never the ciphertext.
 */
public final class UnopenedTexts {

    private static final Logger LOG = Logger.getLogger(UnopenedTexts.class);
    static final String METRIC = "cruddur.messages.texts.unopened";

    private final Counter failed;
    private final Counter erased;
    private final Counter plain;

    UnopenedTexts(MeterRegistry registry) {
        this.failed = Counter.builder(METRIC).tag("reason", "does_not_open")
                .description("Message texts that did not open with their conversation's key").register(registry);
        this.erased = Counter.builder(METRIC).tag("reason", "key_erased")
                .description("Message texts of a conversation whose key is erased or missing").register(registry);
        this.plain = Counter.builder(METRIC).tag("reason", "plain_refused")
                .description("Message texts stored in plaintext while plain texts are refused").register(registry);
    }

    void failed(UUID conversation, Instant sentAt, String why) {
        failed.increment();
        LOG.errorf("The text of the message of %s sent at %s is unavailable: %s", conversation, sentAt, why);
    }

    void noKey(UUID conversation, Instant sentAt) {
        erased.increment();
        LOG.warnf("The text of the message of %s sent at %s is unavailable: the conversation has no key (erased)", conversation, sentAt);
    }

    void plain(UUID conversation, Instant sentAt) {
        plain.increment();
        LOG.errorf("The text of the message of %s sent at %s is unavailable: it is stored in plaintext, and plain texts are refused",
                conversation, sentAt);
    }
}
