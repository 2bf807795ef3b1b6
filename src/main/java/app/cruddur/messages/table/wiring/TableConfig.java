package app.cruddur.messages.table.wiring;

import app.cruddur.messages.table.MessagesTable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The table the service reads and writes. */
@ConfigMapping(prefix = "cruddur.messages.table")
public interface TableConfig {

    /** The single table holding messages and conversation lists. */
    @WithDefault(MessagesTable.DEFAULT_NAME)
    String name();

    /** The sparse GSI over list entries: HASH message_group_uuid, RANGE sk. */
    @WithDefault(MessagesTable.GROUP_INDEX)
    String groupIndex();

    /** Create the table at start when it is missing (dev and test only; in AWS it is infrastructure). */
    @WithDefault("false")
    boolean createIfMissing();
}
