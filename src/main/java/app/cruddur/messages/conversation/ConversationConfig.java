package app.cruddur.messages.conversation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The conversations' settings: messages, pages of them, and how long an Idempotency-Key is kept. */
@ConfigMapping(prefix = "cruddur.messages")
public interface ConversationConfig {

    Message message();

    Paging paging();

    Idempotency idempotency();

    interface Message {
        /** The default of {@link #maxChars()}, also the OpenAPI document's maxLength. */
        int MAX_CHARS_DEFAULT = 1024;
        String MAX_CHARS = "" + MAX_CHARS_DEFAULT;

        /** The longest message, in Unicode code points (what a reader counts as characters, emoji included). */
        @WithDefault(MAX_CHARS)
        int maxChars();

        /**
         * How long a POST waits, once its message is stored, for both conversation lists to show it;
         * then it answers 503 lists_not_updated (the lists catch up by themselves).
         */
        @WithDefault("2s")
        Duration listsDeadline();
    }

    interface Paging {
        /** The defaults, also the OpenAPI document's. */
        String DEFAULT_LIMIT = "20";
        String MAX_LIMIT = "100";

        /** Page size when the request gives no {@code limit}. */
        @WithDefault(DEFAULT_LIMIT)
        int defaultLimit();

        /** The largest {@code limit} accepted. */
        @WithDefault(MAX_LIMIT)
        int maxLimit();
    }

    interface Idempotency {
        /** How long a retry with the same Idempotency-Key gets the first answer. */
        @WithDefault("24h")
        Duration retention();
    }
}
