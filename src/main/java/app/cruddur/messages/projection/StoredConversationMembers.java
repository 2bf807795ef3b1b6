package app.cruddur.messages.projection;

import app.cruddur.messages.table.AccessPatterns;
import app.cruddur.messages.table.ConversationItem;
import io.smallrye.mutiny.Uni;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * A conversation's members for {@link GroupRowProjection} outside the service: read from the
 * conversation item and kept (members never change), at most {@code maxSize} conversations, least
 * recently used first out. Empty for a conversation without a conversation item.
 */
public final class StoredConversationMembers implements Function<UUID, Uni<Optional<Set<UUID>>>> {

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final Map<UUID, Set<UUID>> known;

    public StoredConversationMembers(DynamoDbAsyncClient dynamo, String table, int maxSize) {
        this.dynamo = dynamo;
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
        return Uni.createFrom().completionStage(() -> dynamo.getItem(AccessPatterns.conversation(table, group)))
                .map(response -> {
                    if (!response.hasItem() || response.item().isEmpty()) {
                        return Optional.<Set<UUID>>empty();
                    }
                    Set<UUID> found = ConversationItem.from(response.item()).memberUuids();
                    known.put(group, found);
                    return Optional.of(found);
                });
    }

    /** Members learned elsewhere (for example when the conversation was written). */
    public void remember(UUID group, Set<UUID> members) {
        known.put(group, Set.copyOf(members));
    }
}
