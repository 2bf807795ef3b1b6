package app.cruddur.messages.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own settings. */
@ConfigMapping(prefix = "cruddur.messages")
public interface MessagesConfig {

    Table table();

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
}
