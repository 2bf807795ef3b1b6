package app.cruddur.messages.user.rest;

import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.limits.ClientAddress;
import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.user.UserDirectory;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import app.cruddur.messages.limits.RateLimitsConfig;
import app.cruddur.messages.user.ProfilesConfig;
import jakarta.annotation.security.PermitAll;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;

@Path("/api/users")
public class UserResource {

    private final UserDirectory users;
    private final String cacheControl;
    private final RateLimiter limiter;
    private final int trustedProxies;

    public UserResource(UserDirectory users, ProfilesConfig profiles, RateLimitsConfig limits, RateLimiter limiter) {
        this.users = users;
        this.cacheControl = "public, max-age=" + profiles.maxAge().toSeconds();
        this.limiter = limiter;
        this.trustedProxies = limits.trustedProxies();
    }

    @GET
    // One segment "@handle", matched after decoding, so "%40handle" (as some clients send it) works too.
    @Path("/{at_handle}/short")
    @Produces(MediaType.APPLICATION_JSON)
    // Public, as in the reference: the frontend's "new message" page fetches it without a token.
    // A token that is sent is still verified (a bad one is a 401), but none is needed.
    @PermitAll
    @SecurityRequirementsSet
    @Operation(summary = "A user's public short profile, by handle",
            description = "Public: needs no token. It holds only what every user may see (uuid, handle, display name). "
                    + "A request that does send a token must send a valid one.")
    @APIResponse(responseCode = "200", description = "The user; caches may keep it for a short while",
            headers = @Header(name = "Cache-Control", description = "public, max-age=60",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserShortView.class)))
    @APIResponse(responseCode = "401", description = "A token was sent and is invalid (invalid_token)")
    @APIResponse(responseCode = "404", description = "No user has this handle (user_not_found)")
    @APIResponse(responseCode = "429", description = "Over the client address's limit of lookups (rate_limited)")
    public Uni<Response> shortProfile(
            @Parameter(description = "@ followed by the handle", example = "@bayko") @PathParam("at_handle") String atHandle,
            @Context HttpServerRequest request) {
        if (!atHandle.startsWith("@")) {
            throw new NotFoundException(ErrorCode.NOT_FOUND, "Profiles are at /api/users/@{handle}/short.");
        }
        String client = ClientAddress.of(request.headers().getAll("X-Forwarded-For"),
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(), trustedProxies);
        return limiter.admit(limiter.profileLookups(), client)
                // The answer may be kept by shared caches, so it carries no client's RateLimit fields (a 429 does).
                .chain(() -> users.byHandle(atHandle.substring(1)))
                .map(user -> Response.ok(UserShortView.of(user)).header(HttpHeaders.CACHE_CONTROL, cacheControl).build());
    }
}
