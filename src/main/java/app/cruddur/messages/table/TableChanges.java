package app.cruddur.messages.table;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the table's writers tell whoever follows the table's changes (the event streams): a message
 * was stored, and conversation-list entries moved. Told after the write succeeded; never waited for.
 */
public interface TableChanges {

    /** Tells nothing (the Lambda before it publishes, tests of the table alone). */
    TableChanges NONE = new TableChanges() {
        @Override
        public void messageStored(MessageItem message, Set<UUID> members) {
        }

        @Override
        public void entriesMoved(List<ListEntryItem> entries) {
        }
    };

    /** A message is stored in a conversation of these members. */
    void messageStored(MessageItem message, Set<UUID> members);

    /** These entries were written, each replacing its owner's older entry of the conversation. */
    void entriesMoved(List<ListEntryItem> entries);
}
