package app.cruddur.messages.block;

import app.cruddur.messages.table.BlockItem;
import app.cruddur.messages.table.TableClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Blocks in the messages table (patterns F and G of table/AccessPatterns). */
@ApplicationScoped
public class BlockRepository {

    private final TableClient table;

    public BlockRepository(TableClient table) {
        this.table = table;
    }

    /** Everyone the user blocked, strongly consistent. */
    public Uni<List<BlockItem>> blocks(UUID blocker) {
        return table.blocks(blocker);
    }

    /** Stores the block unless it is there already (the first one's time stays). */
    public Uni<Boolean> block(BlockItem block) {
        return table.putBlock(block);
    }

    public Uni<Void> unblock(UUID blocker, UUID blocked) {
        return table.deleteBlock(blocker, blocked);
    }
}
