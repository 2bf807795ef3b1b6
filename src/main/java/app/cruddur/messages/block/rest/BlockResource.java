package app.cruddur.messages.block.rest;

import app.cruddur.messages.block.BlockService;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.user.CallerService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** Blocking a user and lifting it: who may no longer message the caller (nor be messaged by them). */
@Path("/api/users/{at_handle}/block")
@Authenticated
@SecurityRequirement(name = "cognito")
@APIResponse(responseCode = "404", description = "The path names no user as @{handle}")
@APIResponse(responseCode = "429", description = "Over the caller's limit of block changes and block-list reads "
        + "(rate_limited); nothing changed. Retry-After, RateLimit-Policy and RateLimit say more")
public class BlockResource {

    private final CallerService callers;
    private final BlockService blocks;
    private final JsonWebToken token;
    private final RateLimiter limiter;

    public BlockResource(CallerService callers, BlockService blocks, JsonWebToken token, RateLimiter limiter) {
        this.callers = callers;
        this.blocks = blocks;
        this.token = token;
        this.limiter = limiter;
    }

    @POST
    @Operation(summary = "Block a user",
            description = "Until the block is lifted, neither user can post to the other (403 recipient_unavailable): "
                    + "not into their conversation, nor into a new one. Both still read what they had. Idempotent.")
    @APIResponse(responseCode = "204", description = "Blocked (also when the user was blocked already)")
    @APIResponse(responseCode = "422", description = "validation_failed: blocked_user_not_found, cannot_block_self, too_many_blocks")
    public Uni<Response> block(@Parameter(description = "@ followed by the handle", example = "@bayko")
                               @PathParam("at_handle") String atHandle) {
        String handle = handle(atHandle);
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.blocks(), caller.uuid().toString())
                        .call(() -> blocks.block(caller, handle)))
                .map(limit -> limit.noContent());
    }

    @DELETE
    @Operation(summary = "Lift a block", description = "Idempotent: also when the user was not blocked.")
    @APIResponse(responseCode = "204", description = "Not blocked (any longer)")
    @APIResponse(responseCode = "422", description = "validation_failed: blocked_user_not_found (nobody has the handle, "
            + "and no block of the caller's names it), cannot_block_self")
    public Uni<Response> unblock(@Parameter(description = "@ followed by the handle", example = "@bayko")
                                 @PathParam("at_handle") String atHandle) {
        String handle = handle(atHandle);
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.blocks(), caller.uuid().toString())
                        .call(() -> blocks.unblock(caller, handle)))
                .map(limit -> limit.noContent());
    }

    private static String handle(String atHandle) {
        if (!atHandle.startsWith("@")) {
            throw new NotFoundException(ErrorCode.NOT_FOUND, "Users are at /api/users/@{handle}.");
        }
        return atHandle.substring(1);
    }
}
