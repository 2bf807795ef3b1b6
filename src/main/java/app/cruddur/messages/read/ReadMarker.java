package app.cruddur.messages.read;

import app.cruddur.messages.table.ListEntryItem;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A member's read marker of a conversation as they may see it: how far they have read, how far the
 * other member sees that they have, their unread count, and how far the other member has read as far
 * as that member shares it.
 */
public record ReadMarker(UUID conversationUuid, Instant readThrough, Optional<Instant> sharedReadThrough, int unread,
                         UUID otherUserUuid, Optional<Instant> otherReadThrough) {

    static ReadMarker of(ListEntryItem own, Optional<ListEntryItem> other) {
        return new ReadMarker(own.conversationUuid(), own.readThrough(), own.sharedReadThrough(), own.unread(), own.otherUserUuid(),
                other.flatMap(ListEntryItem::sharedReadThrough));
    }
}
