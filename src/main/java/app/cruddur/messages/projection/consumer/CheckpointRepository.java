package app.cruddur.messages.projection.consumer;

import app.cruddur.messages.postgres.Postgres;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The consumer's durable position per shard, in PostgreSQL. */
@ApplicationScoped
public class CheckpointRepository {

    private final Postgres postgres;

    public CheckpointRepository(Postgres postgres) {
        this.postgres = postgres;
    }

    public Uni<Map<String, Checkpoint>> load(String streamArn) {
        return postgres.query("SELECT shard_id, sequence_number, finished FROM stream_checkpoints WHERE stream_arn = $1",
                        Tuple.of(streamArn))
                .map(rows -> {
                    Map<String, Checkpoint> checkpoints = new HashMap<>();
                    for (Row row : rows) {
                        checkpoints.put(row.getString("shard_id"), new Checkpoint(row.getString("shard_id"),
                                Optional.ofNullable(row.getString("sequence_number")), row.getBoolean("finished")));
                    }
                    return checkpoints;
                });
    }

    public Uni<Void> save(String streamArn, Checkpoint checkpoint) {
        return postgres.query("""
                        INSERT INTO stream_checkpoints (stream_arn, shard_id, sequence_number, finished, updated_at)
                        VALUES ($1, $2, $3, $4, now())
                        ON CONFLICT (stream_arn, shard_id) DO UPDATE
                        SET sequence_number = COALESCE(EXCLUDED.sequence_number, stream_checkpoints.sequence_number),
                            finished = EXCLUDED.finished, updated_at = now()
                        """, Tuple.of(streamArn, checkpoint.shardId(), checkpoint.sequenceNumber().orElse(null), checkpoint.finished()))
                .replaceWithVoid();
    }

    /**
     * Forgets a shard's position, so that it is read again from its oldest record (after the stream
     * trimmed the records past the checkpoint). {@link #save} cannot do this: it never clears a
     * sequence number.
     */
    public Uni<Void> reset(String streamArn, String shardId) {
        return postgres.query("""
                        INSERT INTO stream_checkpoints (stream_arn, shard_id, sequence_number, finished, updated_at)
                        VALUES ($1, $2, NULL, false, now())
                        ON CONFLICT (stream_arn, shard_id) DO UPDATE
                        SET sequence_number = NULL, finished = false, updated_at = now()
                        """, Tuple.of(streamArn, shardId))
                .replaceWithVoid();
    }
}
