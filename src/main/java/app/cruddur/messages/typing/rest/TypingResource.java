package app.cruddur.messages.typing.rest;

import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.typing.TypingService;
import app.cruddur.messages.user.CallerService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** "Typing…": thin, it calls the service. */
@Path("/api")
@Authenticated
@SecurityRequirement(name = "cognito")
public class TypingResource {

    private final CallerService callers;
    private final TypingService typing;
    private final JsonWebToken token;
    private final RateLimiter limiter;

    public TypingResource(CallerService callers, TypingService typing, JsonWebToken token, RateLimiter limiter) {
        this.callers = callers;
        this.typing = typing;
        this.token = token;
        this.limiter = limiter;
    }

    @POST
    @Path("/messages/{message_group_uuid}/typing")
    @Operation(summary = "Tell the other member that you are typing",
            description = "Their open event streams get a `typing` event (shown for expires_in seconds, 5 by default; send it "
                    + "again every few seconds while typing). Never stored, never replayed. No body.")
    @APIResponse(responseCode = "204", description = "Told")
    @APIResponse(responseCode = "401", description = "No token (unauthenticated) or a bad one (invalid_token)")
    @APIResponse(responseCode = "403", description = "One of the two users blocked the other (recipient_unavailable); nothing sent")
    @APIResponse(responseCode = "404", description = "No such conversation of the caller (message_group_not_found)")
    @APIResponse(responseCode = "429", description = "Over the caller's limit of typing notices (rate_limited); nothing sent")
    @APIResponse(responseCode = "503", description = "Events are unavailable for a moment (events_unavailable), or a dependency "
            + "is (dependency_unavailable); nothing sent")
    public Uni<Response> typing(@PathParam("message_group_uuid") @Parameter(description = "The conversation",
            example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399") String conversationUuid) {
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.typing(), caller.uuid().toString())
                        .call(() -> typing.typing(caller, conversationUuid)))
                .map(limit -> limit.noContent());
    }
}
