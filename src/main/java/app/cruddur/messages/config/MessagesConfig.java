package app.cruddur.messages.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The service's own settings. */
@ConfigMapping(prefix = "cruddur.messages")
public interface MessagesConfig {

    Table table();

    Message message();

    Paging paging();

    Idempotency idempotency();

    interface Table {
        /** The single table holding messages and conversation lists. */
        @WithDefault("cruddur-messages")
        String name();

        /** The sparse GSI over group rows: HASH message_group_uuid, RANGE sk. */
        @WithDefault("message-group-sk-index")
        String groupIndex();

        /** Create the table at start when it is missing (dev and test only; in AWS it is infrastructure). */
        @WithDefault("false")
        boolean createIfMissing();
    }

    interface Message {
        /** The longest message, in Unicode code points (what a reader counts as characters, emoji included). */
        @WithDefault("1024")
        int maxChars();
    }

    interface Paging {
        /** Page size when the request gives no {@code limit}. */
        @WithDefault("20")
        int defaultLimit();

        /** The largest {@code limit} accepted. */
        @WithDefault("100")
        int maxLimit();
    }

    interface Idempotency {
        /** How long a retry with the same Idempotency-Key gets the first answer. */
        @WithDefault("24h")
        Duration retention();
    }
}
