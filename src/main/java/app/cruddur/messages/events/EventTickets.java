package app.cruddur.messages.events;

import app.cruddur.messages.table.Keys;
import app.cruddur.messages.redis.RedisCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Tickets for {@code GET /api/events?ticket=…}: a browser's EventSource cannot send an
 * Authorization header, and an access token never goes into a URL. A ticket is 256 random bits,
 * names one user, may be used once and only within {@code ticket-validity}. Redis keeps it (so
 * that any instance can take it) under its SHA-256, never the ticket itself; GETDEL takes it.
 */
@ApplicationScoped
public class EventTickets {

    static final String KEY_PREFIX = "cruddur:ticket:";
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisCommands redis;
    private final EventsConfig config;

    public EventTickets(RedisCommands redis, EventsConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** A new ticket for the user. */
    public Uni<String> issue(UUID user) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return bounded(Request.cmd(Command.PSETEX).arg(key(ticket)).arg(config.ticketValidity().toMillis()).arg(user.toString()))
                .replaceWith(ticket);
    }

    /** The user a valid, unused ticket names (and the ticket is used up), or empty. */
    public Uni<Optional<UUID>> redeem(String ticket) {
        if (ticket == null || !FORM.matcher(ticket).matches()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return bounded(Request.cmd(Command.GETDEL).arg(key(ticket)))
                .map(user -> user == null ? Optional.<UUID>empty() : Keys.parseUuid(user.toString()));
    }

    /** Validity in whole seconds, as the ticket's answer says it. */
    public long validitySeconds() {
        return config.ticketValidity().toSeconds();
    }

    /** The command's answer (null for none) within the deadline, or a 503 {@code events_unavailable}. */
    private Uni<Response> bounded(Request command) {
        return redis.send(command)
                .onFailure().transform(failure -> new EventsUnavailableException("Redis did not answer"));
    }

    static String key(String ticket) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII));
            return KEY_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
