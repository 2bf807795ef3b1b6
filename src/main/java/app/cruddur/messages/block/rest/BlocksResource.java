package app.cruddur.messages.block.rest;

import app.cruddur.messages.block.BlockService;
import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.user.CallerService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The caller's blocks. */
@Path("/api/blocks")
@Authenticated
@SecurityRequirement(name = "cognito")
public class BlocksResource {

    private final CallerService callers;
    private final BlockService blocks;
    private final JsonWebToken token;
    private final RateLimiter limiter;

    public BlocksResource(CallerService callers, BlockService blocks, JsonWebToken token, RateLimiter limiter) {
        this.callers = callers;
        this.blocks = blocks;
        this.token = token;
        this.limiter = limiter;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The users the caller blocked, the latest block first (pattern G)")
    @APIResponse(responseCode = "200", description = "Every block of the caller (at most 1000)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = BlockView.class)))
    @APIResponse(responseCode = "429", description = "Over the caller's limit of block changes and block-list reads "
            + "(rate_limited). Retry-After, RateLimit-Policy and RateLimit say more")
    public Uni<Response> list() {
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.blocks(), caller.uuid().toString())
                        .chain(limit -> blocks.blocks(caller).map(found -> limit.ok(found.stream().map(BlockView::of).toList()))));
    }

}
