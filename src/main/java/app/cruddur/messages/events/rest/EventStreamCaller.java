package app.cruddur.messages.events.rest;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.events.EventTickets;
import app.cruddur.messages.user.CallerService;
import app.cruddur.messages.user.User;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Finds whose stream {@code GET /api/events} opens before the stream starts, so that a refusal is
 * a plain problem answer (401, 403, 503) rather than a stream that breaks off: the ticket's user
 * when a ticket is given (and the ticket is used up), the signed-in caller otherwise.
 */
public class EventStreamCaller {

    static final String USER = "cruddur.events.user";

    private final CallerService callers;
    private final EventTickets tickets;
    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public EventStreamCaller(CallerService callers, EventTickets tickets, SecurityIdentity identity, JsonWebToken token) {
        this.callers = callers;
        this.tickets = tickets;
        this.identity = identity;
        this.token = token;
    }

    @ServerRequestFilter
    public Uni<Void> resolve(ContainerRequestContext request, RoutingContext routing) {
        if (!"GET".equals(request.getMethod()) || !"/api/events".equals(request.getUriInfo().getPath())) {
            return Uni.createFrom().voidItem();
        }
        String ticket = request.getUriInfo().getQueryParameters().getFirst("ticket");
        Uni<UUID> user;
        if (ticket != null) {
            user = tickets.redeem(ticket).map(found -> found.orElseThrow(EventStreamCaller::invalidTicket));
            if (!identity.isAnonymous()) {
                // A ticket and a token: both must name the same user.
                user = user.chain(holder -> callers.resolve(token.getSubject()).map(caller -> {
                    if (!caller.uuid().equals(holder)) {
                        throw invalidTicket();
                    }
                    return holder;
                }));
            }
        } else if (identity.isAnonymous()) {
            user = Uni.createFrom().failure(new UnauthorizedException());
        } else {
            user = callers.resolve(token.getSubject()).map(User::uuid);
        }
        return user.invoke(uuid -> routing.put(USER, uuid)).replaceWithVoid();
    }

    private static ApiException invalidTicket() {
        return new ApiException(ErrorCode.INVALID_TICKET,
                "The ticket is unknown, used, expired or another user's; take a new one from POST /api/events/ticket.");
    }
}
