package app.cruddur.messages.user.rest;

import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.error.Problem;
import app.cruddur.messages.user.UserDirectory;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

@Path("/api/users")
@Authenticated
@SecurityRequirement(name = "cognito")
public class UserResource {

    private final UserDirectory users;

    public UserResource(UserDirectory users) {
        this.users = users;
    }

    @GET
    // One segment "@handle", matched after decoding, so "%40handle" (as some clients send it) works too.
    @Path("/{at_handle}/short")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A user's short profile, by handle")
    @APIResponse(responseCode = "200", description = "The user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserShortView.class)))
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "404", description = "No user has this handle (user_not_found)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "A dependency is unavailable (dependency_unavailable); retry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<UserShortView> shortProfile(
            @Parameter(description = "@ followed by the handle", example = "@bayko") @PathParam("at_handle") String atHandle) {
        if (!atHandle.startsWith("@")) {
            throw new NotFoundException("not_found", "Profiles are at /api/users/@{handle}/short.");
        }
        return users.byHandle(atHandle.substring(1)).map(UserShortView::of);
    }
}
