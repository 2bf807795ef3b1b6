package app.cruddur.messages.table;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the table's writers tell whoever follows the table's changes (the event streams): a message
 * was stored, and conversation-list rows moved. Told after the write succeeded; never waited for.
 */
public interface TableChanges {

    /** Tells nothing (the Lambda before it publishes, tests of the table alone). */
    TableChanges NONE = new TableChanges() {
        @Override
        public void messageStored(MessageItem message, Set<UUID> members) {
        }

        @Override
        public void rowsMoved(List<ListEntryItem> rows) {
        }
    };

    /** A message is stored in a conversation of these members. */
    void messageStored(MessageItem message, Set<UUID> members);

    /** These rows were written, each replacing its owner's older row of the conversation. */
    void rowsMoved(List<ListEntryItem> rows);
}
