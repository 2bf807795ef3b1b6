package app.cruddur.messages.projection.consumer;

import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.DynamoCalls;
import app.cruddur.messages.table.wiring.TableConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;

/**
 * Reads the table's stream with the Streams API and feeds the projection: dev mode, the tests and
 * single-instance deployments (in AWS, Lambda drives the same projection). Follows every shard,
 * a child only once its parent is finished, and checkpoints each applied batch in PostgreSQL, so a
 * restart resumes where it stopped. Batches with records that failed for a reason that may pass
 * are read again from the checkpoint; the projection is idempotent, so that repeats nothing
 * visible. A record whose message cannot be read is logged, counted and passed: reading it again
 * cannot help. Non-blocking: one poll at a time on timers.
 */
@Singleton
public class StreamConsumer {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);
    private static final Duration SHARD_REFRESH = Duration.ofSeconds(10);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(25);
    /** What Lambda's event source mapping does in AWS, with the Lambda's role. */
    private static final AwsRequestOverrideConfiguration READER = Caller.STREAM_READER.override();

    private final DynamoDbAsyncClient dynamo;
    private final DynamoDbStreamsAsyncClient streams;
    private final CheckpointRepository checkpoints;
    private final ListProjector projector;
    private final StreamConsumerConfig config;
    private final String tableName;
    private final Clock clock;
    private final Vertx vertx;
    private final Counter applied;
    private final Counter failures;
    private final Counter unreadable;
    private volatile Executor loop;

    private final Map<String, String> iterators = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile long generation;
    private volatile String streamArn;
    private volatile List<Shard> shards = List.of();
    private volatile Instant shardsReadAt = Instant.EPOCH;
    /** The checkpoints as last read or written; loaded once per start, not on every poll. */
    private volatile Map<String, Checkpoint> saved;
    private volatile Instant lastPoll;
    private volatile String lastError;
    private final AtomicLong lagMillis = new AtomicLong();
    private final AtomicBoolean polling = new AtomicBoolean();
    /** What the consumer is doing: the step of the poll under way, or why none is; for readiness and the log. */
    private volatile String step = "starting";
    private volatile long watchdog = -1;
    private Duration pause = FIRST_PAUSE;

    public StreamConsumer(DynamoDbAsyncClient dynamo, DynamoDbStreamsAsyncClient streams, CheckpointRepository checkpoints,
                          ListProjector projector, StreamConsumerConfig config, TableConfig table, Clock clock, Vertx vertx,
                          MeterRegistry metrics) {
        this.dynamo = dynamo;
        this.streams = streams;
        this.checkpoints = checkpoints;
        this.projector = projector;
        this.config = config;
        this.tableName = table.name();
        this.clock = clock;
        this.vertx = vertx;
        Gauge.builder("cruddur.stream.consumer.lag", lagMillis, AtomicLong::get)
                .description("Age of the newest stream record when it was applied; 0 once the stream is drained")
                .baseUnit("milliseconds")
                .register(metrics);
        this.applied = Counter.builder("cruddur.stream.consumer.records").description("Stream records applied").register(metrics);
        this.failures = Counter.builder("cruddur.stream.consumer.failures").description("Polls that failed and were retried")
                .register(metrics);
        this.unreadable = Counter.builder("cruddur.stream.consumer.unreadable")
                .description("Stream records whose message cannot be read, logged and skipped").register(metrics);
    }

    // After TableBootstrap and the dev seed (lower priorities run first), so that the table exists.
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 700) StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts polling from the durable checkpoints, as a fresh process would. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Context context = vertx.getOrCreateContext();
        loop = command -> context.runOnContext(ignored -> command.run());
        lastPoll = clock.instant();
        long current = ++generation;
        LOG.info("Stream consumer started");
        schedule(current, Duration.ZERO);
        // A stall that nothing else reports (no poll failed, none given up) still shows up in the log.
        watchdog = vertx.setPeriodic(config.stuckAfter().toMillis(), id -> watch(current, id));
    }

    private void watch(long current, long timer) {
        if (!running || current != generation) {
            vertx.cancelTimer(timer);
            return;
        }
        Duration since = Duration.between(lastPoll, clock.instant());
        if (since.compareTo(config.stuckAfter()) > 0) {
            LOG.warnf("Stream consumer has completed no poll for %d s: %s", since.toSeconds(), doing());
        }
    }

    /** Stops polling and forgets everything not checkpointed. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        generation++;
        if (watchdog >= 0) {
            vertx.cancelTimer(watchdog);
            watchdog = -1;
        }
        iterators.clear();
        saved = null;
        streamArn = null;
        shards = List.of();
        shardsReadAt = Instant.EPOCH;
        LOG.info("Stream consumer stopped");
    }

    public boolean running() {
        return running;
    }

    /** When the last poll completed, successful or not finding anything. */
    public Optional<Instant> lastPoll() {
        return Optional.ofNullable(lastPoll);
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** What it is doing now: a poll's step, a pause, or waiting for the poll of an earlier start. */
    public String doing() {
        return step + (polling.get() ? " (a poll is under way)" : "");
    }

    /** How old the newest applied record was when it was applied; 0 once the stream is drained. */
    public long lagMillis() {
        return lagMillis.get();
    }

    private void schedule(long current, Duration delay) {
        if (!running || current != generation) {
            return;
        }
        step = "pausing " + delay.toMillis() + " ms before the next poll";
        ConsumerTimer.after(vertx, delay).chain(() -> current == generation ? pollAlone() : Uni.createFrom().item(false))
                .subscribe().with(
                        progressed -> {
                            lastPoll = clock.instant();
                            lastError = null;
                            pause = progressed ? Duration.ZERO : grow(pause, config.maxIdlePause());
                            schedule(current, pause);
                        },
                        failure -> {
                            lastError = DynamoCalls.unwrap(failure).toString();
                            failures.increment();
                            // Start over from the checkpoints: the table (and its stream) may have been recreated.
                            iterators.clear();
                            saved = null;
                            streamArn = null;
                            shardsReadAt = Instant.EPOCH;
                            LOG.warnf("Stream consumer poll failed (retrying): %s", lastError);
                            pause = grow(pause.isZero() ? FIRST_PAUSE : pause, config.maxErrorPause());
                            schedule(current, pause);
                        });
    }

    private static Duration grow(Duration pause, Duration max) {
        Duration next = pause.isZero() ? FIRST_PAUSE : pause.multipliedBy(2);
        return next.compareTo(max) > 0 ? max : next;
    }

    /** A poll, unless one of an earlier start is still finishing: one poller at a time, also across restarts. */
    private Uni<Boolean> pollAlone() {
        if (!polling.compareAndSet(false, true)) {
            step = "waiting for the poll of an earlier start to end";
            return Uni.createFrom().item(false);
        }
        return PollDeadline.bound(Uni.createFrom().deferred(this::poll), config.pollDeadline(), () -> step, vertx)
                .eventually(() -> polling.set(false));
    }

    /** One round over the shards that may be read now; true when any records were applied. */
    private Uni<Boolean> poll() {
        step = "reading the stream's shards";
        // Continue on the consumer's event loop, not on the SDK's response threads, whose class
        // loader cannot create beans in dev and test mode.
        return stream().emitOn(loop).invoke(() -> step = "reading the checkpoints").chain(arn -> checkpoints(arn).chain(saved -> {
            List<Shard> ready = ShardOrder.ready(shards, saved);
            Uni<Boolean> round = Uni.createFrom().item(false);
            for (Shard shard : ready) {
                round = round.chain(progressed -> pollShard(arn, shard, saved.get(shard.shardId()))
                        .map(applied -> progressed || applied));
            }
            return round;
        }));
    }

    private Uni<Map<String, Checkpoint>> checkpoints(String arn) {
        Map<String, Checkpoint> known = saved;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return checkpoints.load(arn).map(loaded -> {
            Map<String, Checkpoint> copy = new ConcurrentHashMap<>(loaded);
            saved = copy;
            return copy;
        });
    }

    /** Writes a checkpoint and keeps the in-memory copy as the table now holds it (a missing sequence keeps the old one). */
    private Uni<Void> save(String arn, Checkpoint checkpoint) {
        return checkpoints.save(arn, checkpoint).invoke(() -> {
            Map<String, Checkpoint> known = saved;
            if (known != null) {
                known.merge(checkpoint.shardId(), checkpoint, (old, now) -> new Checkpoint(now.shardId(),
                        now.sequenceNumber().or(old::sequenceNumber), now.finished()));
            }
        });
    }

    /**
     * The table's current stream, and its shards, read again every {@link #SHARD_REFRESH}. A table
     * deleted and created again has a new stream, while the old one stays readable (for 24 hours in
     * AWS) and only ever answers with nothing: the stream is read from the table each time the shards
     * are, so that the consumer follows the new one instead of polling the old one without end.
     */
    private Uni<String> stream() {
        boolean refresh = Duration.between(shardsReadAt, clock.instant()).compareTo(SHARD_REFRESH) >= 0;
        Uni<String> arn = streamArn != null && !refresh
                ? Uni.createFrom().item(streamArn)
                : DynamoCalls.call(() -> dynamo.describeTable(b -> b.tableName(tableName).overrideConfiguration(READER)))
                        .map(table -> {
                            String latest = table.table().latestStreamArn();
                            if (latest == null) {
                                throw new IllegalStateException("table " + tableName + " has no stream");
                            }
                            String followed = streamArn;
                            if (followed != null && !followed.equals(latest)) {
                                LOG.infof("The table's stream is a new one (the table was created again): following %s", latest);
                                iterators.clear();
                                saved = null;
                            }
                            streamArn = latest;
                            return latest;
                        });
        return arn.chain(current -> !refresh
                ? Uni.createFrom().item(current)
                : describeShards(current, null, new ArrayList<>()).map(all -> {
                    shards = all;
                    shardsReadAt = clock.instant();
                    return current;
                }));
    }

    private Uni<List<Shard>> describeShards(String arn, String after, List<Shard> found) {
        return DynamoCalls.call(() -> streams.describeStream(b -> b.streamArn(arn).exclusiveStartShardId(after).overrideConfiguration(READER)))
                .chain(response -> {
                    found.addAll(response.streamDescription().shards());
                    String last = response.streamDescription().lastEvaluatedShardId();
                    return last == null ? Uni.createFrom().item(found) : describeShards(arn, last, found);
                });
    }

    private Uni<Boolean> pollShard(String arn, Shard shard, Checkpoint checkpoint) {
        String shardId = shard.shardId();
        step = "reading shard " + shardId;
        return iterator(arn, shardId, checkpoint)
                .chain(iterator -> DynamoCalls.call(() -> streams.getRecords(b -> b.shardIterator(iterator).limit(1000).overrideConfiguration(READER))))
                .invoke(() -> step = "waiting for the consumer's event loop after reading shard " + shardId)
                .emitOn(loop)
                .chain(response -> apply(arn, shardId, response))
                .onFailure(ExpiredIteratorException.class).recoverWithUni(() -> {
                    iterators.remove(shardId);
                    return Uni.createFrom().item(false);
                })
                .onFailure(TrimmedDataAccessException.class).recoverWithUni(failure -> {
                    LOG.errorf("Shard %s was trimmed past its checkpoint: records older than 24 h are lost; "
                            + "continuing from the oldest record still there", shardId);
                    iterators.remove(shardId);
                    return checkpoints.reset(arn, shardId)
                            .invoke(() -> {
                                Map<String, Checkpoint> known = saved;
                                if (known != null) {
                                    known.put(shardId, new Checkpoint(shardId, Optional.empty(), false));
                                }
                            })
                            .chain(() -> trimHorizon(arn, shardId)).replaceWith(false);
                });
    }

    private Uni<String> iterator(String arn, String shardId, Checkpoint checkpoint) {
        String known = iterators.get(shardId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        Optional<String> after = checkpoint == null ? Optional.empty() : checkpoint.sequenceNumber();
        if (after.isEmpty()) {
            return trimHorizon(arn, shardId);
        }
        return DynamoCalls.call(() -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId)
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after.get()).overrideConfiguration(READER)))
                .map(response -> response.shardIterator());
    }

    private Uni<String> trimHorizon(String arn, String shardId) {
        return DynamoCalls.call(() -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId)
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON).overrideConfiguration(READER)))
                .map(response -> {
                    iterators.put(shardId, response.shardIterator());
                    return response.shardIterator();
                });
    }

    private Uni<Boolean> apply(String arn, String shardId, GetRecordsResponse response) {
        List<Record> records = response.records();
        List<StreamChange> changes = records.stream()
                .map(r -> new StreamChange(r.eventNameAsString(), r.dynamodb().sequenceNumber(), r.dynamodb().newImage()))
                .toList();
        step = "applying " + records.size() + " records of shard " + shardId;
        return projector.apply(changes).chain(outcome -> {
            if (!outcome.failedSequenceNumbers().isEmpty()) {
                // Read the batch again from the checkpoint after a pause; what was applied is applied again, harmlessly.
                iterators.remove(shardId);
                return Uni.createFrom().failure(new IllegalStateException(outcome.failedSequenceNumbers().size()
                        + " records of shard " + shardId + " not applied"));
            }
            // Counted when the consumer moves past them, not on every reading of a batch that is read again.
            unreadable.increment(outcome.unreadable().size());
            String next = response.nextShardIterator();
            boolean finished = next == null;
            if (finished) {
                iterators.remove(shardId);
            } else {
                iterators.put(shardId, next);
            }
            if (records.isEmpty() && !finished) {
                lagMillis.set(0);
                return Uni.createFrom().item(false);
            }
            Optional<String> last = records.isEmpty() ? Optional.empty()
                    : Optional.of(records.get(records.size() - 1).dynamodb().sequenceNumber());
            records.stream().reduce((a, b) -> b).map(r -> r.dynamodb().approximateCreationDateTime())
                    .ifPresent(created -> lagMillis.set(Math.max(0, Duration.between(created, clock.instant()).toMillis())));
            applied.increment(records.size());
            step = "saving the checkpoint of shard " + shardId;
            return save(arn, new Checkpoint(shardId, last, finished)).replaceWith(!records.isEmpty());
        });
    }

}
