package app.cruddur.messages.limits;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import app.cruddur.messages.redis.RedisCommands;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Takes a token from a limit's bucket for one subject (a user, a client address), atomically for
 * every instance: one script in Redis, on Redis's own clock.
 *
 * <p>When Redis fails or does not answer within {@code deadline}, the request is let through: a
 * limit protects the service from abuse, and refusing every post because the limiter's store is
 * down would be the outage it guards against. That is logged once when it starts and once when it
 * ends, counted (metric {@code cruddur_rate_limits_unlimited_total}), and shown in readiness; refusals are
 * counted per limit ({@code cruddur_rate_limits_refused_total}). For {@code fail-open-pause} after a failure requests are
 * let through without waiting for Redis again.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    /** The readiness probe's own bucket, one per instance, which it never empties. */
    private static final RatePolicy PROBE = new RatePolicy("probe", 1_000_000, Duration.ofNanos(1000));

    /** The bucket of a limit and a subject: {@code cruddur:limit:<limit>:<subject>}. */
    static final String KEY_PREFIX = "cruddur:limit:";

    /**
     * The generic cell rate algorithm. KEYS[1] the bucket; ARGV[1] the interval, ARGV[2] the
     * burst, in microseconds and tokens. The bucket holds the theoretical arrival time (TAT): when
     * it would be empty again, were no request to come. A request is let through when the TAT,
     * one interval later, is at most burst intervals ahead of now. Returns {allowed, tokens left,
     * µs until a token is back, µs until the bucket is full}. Integers are written with %.0f:
     * Lua's own number formatting keeps 14 digits, and a time in µs has 16.
     */
    static final String TAKE = """
            local now = redis.call('TIME')
            now = tonumber(now[1]) * 1000000 + tonumber(now[2])
            local interval = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local tat = tonumber(redis.call('GET', KEYS[1]) or now)
            if tat < now then tat = now end
            local next_tat = tat + interval
            local allowed_at = next_tat - burst * interval
            if allowed_at > now then
              return {0, 0, allowed_at - now, tat - now}
            end
            redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000))
            return {1, math.floor((now - allowed_at) / interval), 0, next_tat - now}
            """;

    private final RedisCommands redis;
    private final RateLimitsConfig config;
    private final RatePolicy messages;
    private final RatePolicy conversations;
    private final RatePolicy tickets;
    private final RatePolicy profileLookups;
    private final RatePolicy blocks;
    private final RatePolicy readMarkers;
    private final RatePolicy messageChanges;
    private final RatePolicy typing;
    private final RatePolicy messageRetries;
    private final AtomicLong letThrough = new AtomicLong();
    private final MeterRegistry metrics;
    private volatile long askAgainAt;
    private volatile long failedAt;
    /** Whether a request (or the probe) is trying Redis again while failing open. */
    private final AtomicBoolean trial = new AtomicBoolean();
    private final String probeSubject = UUID.randomUUID().toString();
    private volatile boolean failing;
    private volatile String lastError = "";

    public RateLimiter(RedisCommands redis, RateLimitsConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.metrics = metrics;
        this.config = config;
        this.messages = RatePolicy.of("messages", this.config.messages());
        this.conversations = RatePolicy.of("conversations", this.config.conversations());
        this.tickets = RatePolicy.of("tickets", this.config.tickets());
        this.profileLookups = RatePolicy.of("profile_lookups", this.config.profileLookups());
        this.blocks = RatePolicy.of("blocks", this.config.blocks());
        this.readMarkers = RatePolicy.of("read_markers", this.config.readMarkers());
        this.messageChanges = RatePolicy.of("message_changes", this.config.messageChanges());
        this.typing = RatePolicy.of("typing", this.config.typing());
        // Retries of stored messages over the messages limit: a bucket of their own, sized alike.
        this.messageRetries = RatePolicy.of("message_retries", this.config.messages());
        FunctionCounter.builder("cruddur.rate.limits.unlimited", letThrough, AtomicLong::get)
                .description("Requests let through without a limit because Redis failed").register(metrics);
    }

    public RatePolicy messages() {
        return messages;
    }

    public RatePolicy conversations() {
        return conversations;
    }

    public RatePolicy tickets() {
        return tickets;
    }

    public RatePolicy profileLookups() {
        return profileLookups;
    }

    public RatePolicy blocks() {
        return blocks;
    }

    public RatePolicy readMarkers() {
        return readMarkers;
    }

    public RatePolicy messageChanges() {
        return messageChanges;
    }

    public RatePolicy typing() {
        return typing;
    }

    public RatePolicy messageRetries() {
        return messageRetries;
    }

    /** Takes a token, or fails with a 429 {@link RateLimitedException} when the bucket is empty. */
    public Uni<RateDecision> admit(RatePolicy policy, String subject) {
        return take(policy, subject).invoke(decision -> {
            if (!decision.allowed()) {
                metrics.counter("cruddur.rate.limits.refused", "limit", policy.name()).increment();
                throw new RateLimitedException(decision);
            }
        });
    }

    /** Takes a token if there is one; never fails (Redis unavailable lets the request through). */
    public Uni<RateDecision> take(RatePolicy policy, String subject) {
        if (!config.enabled()) {
            return Uni.createFrom().item(RateDecision.notEnforced(policy));
        }
        // Decided on subscription: a trial taken must end with the Uni that took it.
        return Uni.createFrom().deferred(() -> {
            // Failing open: nobody waits for Redis, but one request at a time tries it again after the pause.
            boolean trying = false;
            if (failing && (System.nanoTime() < askAgainAt || !(trying = trial.compareAndSet(false, true)))) {
                letThrough.incrementAndGet();
                return Uni.createFrom().item(RateDecision.notEnforced(policy));
            }
            boolean isTrial = trying;
            long started = System.nanoTime();
            return script(policy, KEY_PREFIX + policy.name() + ":" + subject)
                    .map(answer -> decision(policy, answer))
                    .onItem().invoke(() -> recovered(started))
                    .onFailure().recoverWithItem(failure -> failedOpen(policy, failure))
                    .onTermination().invoke(() -> {
                        if (isTrial) {
                            trial.set(false);
                        }
                    });
        });
    }

    /**
     * When failing open: runs the script once on a bucket of its own, so that the state clears
     * without traffic (readiness calls it), and only when what requests need works (a PING would
     * answer while the script is refused).
     */
    public Uni<Boolean> probe() {
        return Uni.createFrom().deferred(() -> {
            if (!failing || !trial.compareAndSet(false, true)) {
                return Uni.createFrom().item(!failing);
            }
            long started = System.nanoTime();
            return script(PROBE, KEY_PREFIX + PROBE.name() + ":" + probeSubject)
                    .map(answer -> {
                        recovered(started);
                        return true;
                    })
                    .onFailure().recoverWithItem(false)
                    .onTermination().invoke(() -> trial.set(false));
        });
    }

    private Uni<Response> script(RatePolicy policy, String key) {
        Request take = Request.cmd(Command.EVAL).arg(TAKE).arg(1).arg(key).arg(micros(policy.interval())).arg(policy.burst());
        return redis.send(take, config.deadline());
    }

    /** Whether requests are being let through unlimited because Redis failed. */
    public boolean failingOpen() {
        return failing;
    }

    /** Requests let through without a limit because Redis failed, since start. */
    public long letThroughUnlimited() {
        return letThrough.get();
    }

    public String lastError() {
        return lastError;
    }

    public boolean enabled() {
        return config.enabled();
    }

    private static RateDecision decision(RatePolicy policy, Response answer) {
        return new RateDecision(policy, answer.get(0).toLong() == 1, answer.get(1).toLong(),
                Duration.ofNanos(answer.get(2).toLong() * 1000), Duration.ofNanos(answer.get(3).toLong() * 1000), true);
    }

    /** An answer to a request started after the last failure: Redis works again (a late answer to an older one says nothing). */
    private void recovered(long started) {
        if (failing && started - failedAt > 0) {
            failing = false;
            LOG.infof("Rate limits are enforced again (Redis answers); %d requests were let through unlimited", letThrough.get());
        }
    }

    private RateDecision failedOpen(RatePolicy policy, Throwable failure) {
        letThrough.incrementAndGet();
        lastError = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        failedAt = System.nanoTime();
        askAgainAt = failedAt + config.failOpenPause().toNanos();
        if (!failing) {
            failing = true;
            LOG.warnf("Rate limits failing open: Redis did not answer (%s); requests are let through unlimited until it does",
                    lastError);
        }
        return RateDecision.notEnforced(policy);
    }

    private static long micros(Duration duration) {
        return Math.max(1, duration.toNanos() / 1000);
    }
}
