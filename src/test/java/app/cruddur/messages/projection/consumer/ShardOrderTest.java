package app.cruddur.messages.projection.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Shard;

/** Parents before children, after a split and after the parent is trimmed away. */
class ShardOrderTest {

    private static final Shard PARENT = Shard.builder().shardId("p").build();
    private static final Shard LEFT = Shard.builder().shardId("l").parentShardId("p").build();
    private static final Shard RIGHT = Shard.builder().shardId("r").parentShardId("p").build();
    private static final Shard GRANDCHILD = Shard.builder().shardId("g").parentShardId("l").build();

    @Test
    void childrenWaitForTheirParent() {
        assertEquals(List.of("p"), ids(ShardOrder.ready(List.of(PARENT, LEFT, RIGHT), Map.of())));
        assertEquals(List.of("p"), ids(ShardOrder.ready(List.of(PARENT, LEFT, RIGHT), Map.of("p", open("p")))));
    }

    @Test
    void aFinishedParentReleasesItsChildrenAndIsNotReadAgain() {
        assertEquals(List.of("l", "r"), ids(ShardOrder.ready(List.of(PARENT, LEFT, RIGHT), Map.of("p", finished("p")))));
    }

    @Test
    void grandchildrenWaitForTheirOwnParentOnly() {
        List<Shard> all = List.of(PARENT, LEFT, RIGHT, GRANDCHILD);
        assertEquals(List.of("l", "r"), ids(ShardOrder.ready(all, Map.of("p", finished("p")))));
        assertEquals(List.of("r", "g"), ids(ShardOrder.ready(all, Map.of("p", finished("p"), "l", finished("l")))));
    }

    @Test
    void aTrimmedParentIsNothingToWaitFor() {
        assertEquals(List.of("l", "r"), ids(ShardOrder.ready(List.of(LEFT, RIGHT), Map.of())));
    }

    private static Checkpoint open(String id) {
        return new Checkpoint(id, Optional.of("1"), false);
    }

    private static Checkpoint finished(String id) {
        return new Checkpoint(id, Optional.of("9"), true);
    }

    private static List<String> ids(List<Shard> shards) {
        return shards.stream().map(Shard::shardId).toList();
    }
}
