package app.cruddur.messages.projection.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.Shard;

/**
 * Which shards may be read now. After a split, a child's records are newer than its parent's, so
 * a child waits until its parent is finished (closed and fully applied). A parent that is no longer
 * listed has been trimmed away and holds nothing left to wait for.
 */
final class ShardOrder {

    private ShardOrder() {
    }

    static List<Shard> ready(List<Shard> shards, Map<String, Checkpoint> saved) {
        Set<String> listed = shards.stream().map(Shard::shardId).collect(Collectors.toSet());
        List<Shard> ready = new ArrayList<>();
        for (Shard shard : shards) {
            Checkpoint checkpoint = saved.get(shard.shardId());
            if (checkpoint != null && checkpoint.finished()) {
                continue;
            }
            String parent = shard.parentShardId();
            boolean parentDone = parent == null || !listed.contains(parent)
                    || (saved.containsKey(parent) && saved.get(parent).finished());
            if (parentDone) {
                ready.add(shard);
            }
        }
        return ready;
    }
}
