package app.cruddur.messages.block.rest;

import app.cruddur.messages.block.BlockService;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.error.Problem;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** Blocking a user and lifting it: who may no longer message the caller (nor be messaged by them). */
@Path("/api/users/{at_handle}/block")
@Authenticated
@SecurityRequirement(name = "cognito")
@APIResponse(responseCode = "401", description = "No token (unauthenticated) or a bad one (invalid_token)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Signed in without a Cruddur user (user_not_registered)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "A dependency is unavailable (dependency_unavailable); nothing changed, retry",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class BlockResource {

    private final CallerService callers;
    private final BlockService blocks;
    private final JsonWebToken token;

    public BlockResource(CallerService callers, BlockService blocks, JsonWebToken token) {
        this.callers = callers;
        this.blocks = blocks;
        this.token = token;
    }

    @POST
    @Operation(summary = "Block a user",
            description = "Until the block is lifted, neither user can post to the other (403 recipient_unavailable): "
                    + "not into their conversation, nor into a new one. Both still read what they had. Idempotent.")
    @APIResponse(responseCode = "204", description = "Blocked (also when the user was blocked already)")
    @APIResponse(responseCode = "422", description = "validation_failed: blocked_user_not_found, cannot_block_self, too_many_blocks",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> block(@Parameter(description = "@ followed by the handle", example = "@bayko")
                               @PathParam("at_handle") String atHandle) {
        String handle = handle(atHandle);
        return callers.resolve(token.getSubject())
                .chain(caller -> blocks.block(caller, handle))
                .replaceWith(Response.noContent().build());
    }

    @DELETE
    @Operation(summary = "Lift a block", description = "Idempotent: also when the user was not blocked.")
    @APIResponse(responseCode = "204", description = "Not blocked (any longer)")
    @APIResponse(responseCode = "422", description = "validation_failed: blocked_user_not_found, cannot_block_self",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> unblock(@Parameter(description = "@ followed by the handle", example = "@bayko")
                                 @PathParam("at_handle") String atHandle) {
        String handle = handle(atHandle);
        return callers.resolve(token.getSubject())
                .chain(caller -> blocks.unblock(caller, handle))
                .replaceWith(Response.noContent().build());
    }

    private static String handle(String atHandle) {
        if (!atHandle.startsWith("@")) {
            throw new NotFoundException(ErrorCode.NOT_FOUND, "Users are at /api/users/@{handle}.");
        }
        return atHandle.substring(1);
    }
}
