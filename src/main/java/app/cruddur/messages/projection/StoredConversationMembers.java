package app.cruddur.messages.projection;

import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.TableClient;
import io.smallrye.mutiny.Uni;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A conversation's members for {@link ListProjection} outside the service: read from the
 * conversation item and kept (members never change), at most {@code maxSize} conversations, least
 * recently used first out. Empty for a conversation without a conversation item.
 */
public final class StoredConversationMembers implements Function<UUID, Uni<Optional<Set<UUID>>>> {

    private final TableClient table;
    private final Map<UUID, Set<UUID>> known;

    public StoredConversationMembers(TableClient table, int maxSize) {
        this.table = table;
        this.known = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Set<UUID>> eldest) {
                return size() > maxSize;
            }
        });
    }

    @Override
    public Uni<Optional<Set<UUID>>> apply(UUID group) {
        Set<UUID> members = known.get(group);
        if (members != null) {
            return Uni.createFrom().item(Optional.of(members));
        }
        return ConversationItem.find(table, group).map(conversation -> conversation.map(found -> {
            Set<UUID> stored = found.memberUuids();
            known.put(group, stored);
            return stored;
        }));
    }

    /** Members learned elsewhere (for example when the conversation was written). */
    public void remember(UUID group, Set<UUID> members) {
        known.put(group, Set.copyOf(members));
    }
}
