package app.cruddur.messages.projection.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.support.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The consumer's checkpoints in PostgreSQL: a save without a sequence keeps it, a reset forgets it. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class CheckpointRepositoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    CheckpointRepository checkpoints;

    @Test
    void aResetShardIsReadFromItsOldestRecordAgain() {
        String arn = "arn:aws:dynamodb:local:000000000000:table/t/stream/" + UUID.randomUUID();
        checkpoints.save(arn, new Checkpoint("shard-1", Optional.of("000100"), false)).await().atMost(WAIT);
        checkpoints.save(arn, new Checkpoint("shard-2", Optional.of("000200"), true)).await().atMost(WAIT);
        // A batch that applied nothing new reports no sequence: the old position stays.
        checkpoints.save(arn, new Checkpoint("shard-1", Optional.empty(), false)).await().atMost(WAIT);
        assertEquals(Optional.of("000100"), load(arn).get("shard-1").sequenceNumber());

        checkpoints.reset(arn, "shard-1").await().atMost(WAIT);
        checkpoints.reset(arn, "shard-3").await().atMost(WAIT);

        Map<String, Checkpoint> loaded = load(arn);
        assertEquals(new Checkpoint("shard-1", Optional.empty(), false), loaded.get("shard-1"));
        assertEquals(new Checkpoint("shard-2", Optional.of("000200"), true), loaded.get("shard-2"));
        assertEquals(new Checkpoint("shard-3", Optional.empty(), false), loaded.get("shard-3"));
    }

    private Map<String, Checkpoint> load(String arn) {
        return checkpoints.load(arn).await().atMost(WAIT);
    }
}
