package app.cruddur.messages.block;

import app.cruddur.messages.redis.InstanceNote;
import app.cruddur.messages.redis.InstanceNotes;
import app.cruddur.messages.table.BlockItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Keys;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Whom each user blocked, as every post checks it: cached (see {@code quarkus.cache.caffeine."blocks"}),
 * so in steady state a post reads no block from the table. A change is forgotten at once here and,
 * through a note over Redis, on every other instance; when notes may have been lost (Redis was
 * away) every instance forgets all, and the cache's expiry bounds what a lost note can cost.
 */
@ApplicationScoped
public class BlockLists {

    static final String TOPIC = "blocks";

    private final TableClient table;
    private final Cache cache;
    private final InstanceNotes notes;

    public BlockLists(TableClient table, @CacheName("blocks") Cache cache, InstanceNotes notes) {
        this.table = table;
        this.cache = cache;
        this.notes = notes;
    }

    /** The users {@code blocker} blocked. */
    public Uni<Set<UUID>> blockedBy(UUID blocker) {
        return cache.getAsync(blocker, user -> BlockItem.listBlocks(table, user)
                .map(blocks -> blocks.stream().map(BlockItem::blockedUuid).collect(Collectors.toUnmodifiableSet())));
    }

    /**
     * The user's blocks changed: forget them here and, before this completes, tell every instance
     * to (Redis has pushed the note to them once PUBLISH answers).
     */
    public Uni<Void> changed(UUID blocker) {
        return cache.invalidate(blocker).chain(() -> notes.tell(new InstanceNote(TOPIC, blocker.toString())));
    }

    void noted(@Observes InstanceNote note) {
        if (note.topic().equals(TOPIC)) {
            Keys.parseUuid(note.body()).ifPresent(user -> cache.invalidate(user)
                    .subscribe().with(done -> { }, failure -> { }));
        } else if (note.topic().equals(InstanceNote.MISSED)) {
            cache.invalidateAll().subscribe().with(done -> { }, failure -> { });
        }
    }
}
