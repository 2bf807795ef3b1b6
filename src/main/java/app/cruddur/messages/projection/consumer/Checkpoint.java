package app.cruddur.messages.projection.consumer;

import java.util.Optional;

/** How far one shard has been applied. */
public record Checkpoint(String shardId, Optional<String> sequenceNumber, boolean finished) {
}
