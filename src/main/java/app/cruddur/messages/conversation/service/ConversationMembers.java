package app.cruddur.messages.conversation.service;

import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.Keys;
import app.cruddur.messages.table.TableClient;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * A conversation's members. They never change once the conversation exists, so found ones are
 * cached (bounded, see {@code quarkus.cache.caffeine."conversation-members"}); a miss is not cached,
 * because the conversation may be created a moment later.
 */
@ApplicationScoped
public class ConversationMembers {

    private final TableClient table;

    public ConversationMembers(TableClient table) {
        this.table = table;
    }

    /** The conversation, or a 404 {@code message_group_not_found} when it does not exist. */
    @CacheResult(cacheName = "conversation-members")
    public Uni<ConversationItem> of(UUID conversationUuid) {
        return ConversationItem.find(table, conversationUuid)
                .map(found -> found.orElseThrow(ConversationService::groupNotFound));
    }

    /**
     * The conversation of {@code conversationUuid} (a uuid as the path gave it), when {@code caller}
     * is one of its members; otherwise the same 404 {@code message_group_not_found} as for a
     * conversation that does not exist: no hint that it does.
     */
    public Uni<ConversationItem> ofMember(String conversationUuid, UUID caller) {
        UUID group = Keys.parseUuid(conversationUuid).orElseThrow(ConversationService::groupNotFound);
        return of(group).map(conversation -> {
            if (!conversation.hasMember(caller)) {
                throw ConversationService.groupNotFound();
            }
            return conversation;
        });
    }
}
