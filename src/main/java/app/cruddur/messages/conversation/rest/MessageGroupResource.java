package app.cruddur.messages.conversation.rest;

import app.cruddur.messages.config.MessagesConfig;
import app.cruddur.messages.conversation.service.ConversationService;
import app.cruddur.messages.conversation.service.PageRequest;
import app.cruddur.messages.error.Problem;
import app.cruddur.messages.user.CallerService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

@Path("/api/message_groups")
@Authenticated
@SecurityRequirement(name = "cognito")
public class MessageGroupResource {

    private final CallerService callers;
    private final ConversationService conversations;
    private final MessagesConfig config;
    private final JsonWebToken token;

    public MessageGroupResource(CallerService callers, ConversationService conversations, MessagesConfig config,
                                JsonWebToken token) {
        this.callers = callers;
        this.conversations = conversations;
        this.config = config;
        this.token = token;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's conversations, newest reply first (pattern A)")
    @APIResponse(responseCode = "200", description = "A page of conversations; an older page is linked in the Link header",
            headers = @Header(name = "Link", description = "<...>; rel=\"next\" when older conversations exist",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = MessageGroupView.class)))
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Signed in without a Cruddur user (user_not_registered)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Bad limit or cursor (errors: invalid_limit, invalid_cursor)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "A dependency is unavailable (dependency_unavailable); retry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> list(
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "Opaque cursor from the previous page's Link header") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        PageRequest page = PageRequest.parse(limit, cursor, config.paging());
        return callers.resolve(token.getSubject())
                .chain(caller -> conversations.conversations(caller, page))
                .map(found -> PageLinks.ok(found.map(MessageGroupView::of).items(), found, page, uri));
    }
}
