package app.cruddur.messages.user.rest;

import app.cruddur.messages.user.CallerService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

@Path("/api/me")
@Authenticated
@SecurityRequirement(name = "cognito")
public class MeResource {

    private final CallerService callers;
    private final JsonWebToken token;

    public MeResource(CallerService callers, JsonWebToken token) {
        this.callers = callers;
        this.token = token;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed-in caller")
    @APIResponse(responseCode = "200", description = "The caller's Cruddur user")
    @APIResponse(responseCode = "401", description = "No token (unauthenticated), or a token that is invalid, expired or not "
            + "an access token of this app (invalid_token)")
    @APIResponse(responseCode = "403", description = "A valid token whose sub has no Cruddur user (code user_not_registered)")
    @APIResponse(responseCode = "503", description = "A dependency is unavailable (code dependency_unavailable)")
    public Uni<MeResponse> me() {
        return callers.resolve(token.getSubject()).map(MeResponse::of);
    }
}
