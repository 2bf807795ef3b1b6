package app.cruddur.messages.read.rest;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.ValidationException;
import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.read.ReadMarkerService;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.user.CallerService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** Read markers and unread counts: thin, each parses its input and calls one service method. */
@Path("/api")
@Authenticated
@SecurityRequirement(name = "cognito")
@APIResponse(responseCode = "401", description = "No token (unauthenticated) or a bad one (invalid_token)")
@APIResponse(responseCode = "429", description = "Over the caller's limit of read-marker calls (rate_limited); nothing changed. "
        + "Retry-After, RateLimit-Policy and RateLimit say more")
@APIResponse(responseCode = "503", description = "A dependency is unavailable (dependency_unavailable), or the marker kept "
        + "meeting concurrent writes (write_contention); nothing changed, retry")
public class ReadMarkerResource {

    private static final String MARKER = "/messages/{message_group_uuid}/read_marker";

    private final CallerService callers;
    private final ReadMarkerService markers;
    private final JsonWebToken token;
    private final RateLimiter limiter;

    public ReadMarkerResource(CallerService callers, ReadMarkerService markers, JsonWebToken token, RateLimiter limiter) {
        this.callers = callers;
        this.markers = markers;
        this.token = token;
        this.limiter = limiter;
    }

    @GET
    @Path(MARKER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's read marker of a conversation, and the other member's (\"Seen\")")
    @APIResponse(responseCode = "200", description = "The markers",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReadMarkerView.class)))
    @APIResponse(responseCode = "404", description = "No such conversation of the caller (message_group_not_found)")
    public Uni<Response> marker(@Parameter(description = "The conversation", schema = @Schema(type = SchemaType.STRING, format = "uuid"),
            example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399")
                                @PathParam("message_group_uuid") String conversationUuid) {
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.readMarkers(), caller.uuid().toString())
                        .chain(limit -> markers.marker(caller, conversationUuid).map(marker -> limit.ok(ReadMarkerView.of(marker)))));
    }

    @PUT
    @Path(MARKER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a conversation read up to a message",
            description = "Moves the caller's marker forward to the message sent at read_through (by default the newest), never "
                    + "back; the unread count is counted again. Unless private, the other member's event streams get a `read` "
                    + "event and their read_marker shows it; the caller's own streams always get one (other tabs clear their badge).")
    @APIResponse(responseCode = "200", description = "The marker as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReadMarkerView.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON, or has wrong types (malformed_body)")
    @APIResponse(responseCode = "413", description = "The body is larger than the limit (body_too_large)")
    @APIResponse(responseCode = "415", description = "A body that is not application/json (unsupported_media_type)")
    @APIResponse(responseCode = "404", description = "No such conversation of the caller (message_group_not_found), or no message "
            + "of it sent at the time given (message_not_found)")
    @APIResponse(responseCode = "422", description = "validation_failed: invalid_read_through")
    public Uni<Response> markRead(@Parameter(description = "The conversation", schema = @Schema(type = SchemaType.STRING, format = "uuid"),
            example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399")
                                  @PathParam("message_group_uuid") String conversationUuid, MarkReadRequest body) {
        Optional<Instant> through = time(body == null ? null : body.readThrough(), ErrorCode.INVALID_READ_THROUGH);
        boolean privately = body != null && Boolean.TRUE.equals(body.privately());
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.readMarkers(), caller.uuid().toString())
                        .chain(limit -> markers.markRead(caller, conversationUuid, through, privately)
                                .map(marker -> limit.ok(ReadMarkerView.of(marker)))));
    }

    @POST
    @Path("/messages/{message_group_uuid}/mark_unread")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a conversation unread from a message",
            description = "Sets the caller's marker back to just before the message sent at from (by default, with a body of {}, "
                    + "the other member's newest), so that the conversation shows unread again. The other member's view does not change.")
    @APIResponse(responseCode = "200", description = "The marker as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReadMarkerView.class)))
    @APIResponse(responseCode = "400", description = "The body is not a JSON object, or has wrong types (malformed_body)")
    @APIResponse(responseCode = "413", description = "The body is larger than the limit (body_too_large)")
    @APIResponse(responseCode = "415", description = "No Content-Type, or not application/json (unsupported_media_type)")
    @APIResponse(responseCode = "404", description = "No such conversation of the caller (message_group_not_found), or no message "
            + "of it sent at the time given (message_not_found)")
    @APIResponse(responseCode = "409", description = "The other member has sent no message yet (nothing_to_mark_unread)")
    @APIResponse(responseCode = "422", description = "validation_failed: invalid_unread_from")
    public Uni<Response> markUnread(@Parameter(description = "The conversation", schema = @Schema(type = SchemaType.STRING, format = "uuid"),
            example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399")
                                    @PathParam("message_group_uuid") String conversationUuid, MarkUnreadRequest body) {
        if (body == null) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "The body must be a JSON object; {} for the default.");
        }
        Optional<Instant> from = time(body.from(), ErrorCode.INVALID_UNREAD_FROM);
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.readMarkers(), caller.uuid().toString())
                        .chain(limit -> markers.markUnread(caller, conversationUuid, from).map(marker -> limit.ok(ReadMarkerView.of(marker)))));
    }

    @GET
    @Path("/unread")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's unread totals, for an app badge",
            description = "Reads the caller's whole conversation list (one Query per about 3,000 conversations).")
    @APIResponse(responseCode = "200", description = "The totals",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnreadTotalsView.class)))
    public Uni<Response> totals() {
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.readMarkers(), caller.uuid().toString())
                        .chain(limit -> markers.totals(caller).map(totals -> limit.ok(UnreadTotalsView.of(totals)))));
    }

    /** A message's created_at as the service writes it, or none; anything else is a 422 with {@code rule}. */
    private static Optional<Instant> time(String value, ErrorCode rule) {
        if (value == null) {
            return Optional.empty();
        }
        Optional<Instant> parsed = Timestamps.parse(value);
        if (parsed.isEmpty()) {
            throw new ValidationException(rule);
        }
        return parsed;
    }
}
