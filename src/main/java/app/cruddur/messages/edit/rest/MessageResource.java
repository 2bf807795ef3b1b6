package app.cruddur.messages.edit.rest;

import app.cruddur.messages.edit.MessageChangeService;
import app.cruddur.messages.edit.Revised;
import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.limits.RateDecision;
import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.user.CallerService;
import app.cruddur.messages.view.MessageView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * One message, addressed by its conversation and the time it was sent (its created_at, as Slack
 * addresses a message by its ts): read it with its ETag, edit or delete your own. Thin: each parses
 * its input and calls one service method. The class is at /api, as the other resources of
 * /api/messages are, so that a request is matched by its whole path (a literal such as read_marker
 * wins over {created_at}), not first by the longest class path.
 */
@Path("/api")
@Authenticated
@SecurityRequirement(name = "cognito")
@APIResponse(responseCode = "401", description = "No token (unauthenticated) or a bad one (invalid_token)")
@APIResponse(responseCode = "404", description = "No such conversation of the caller (message_group_not_found), or no message of "
        + "it sent at that time (message_not_found); to edit or delete, someone else's message is the same 404")
@APIResponse(responseCode = "503", description = "A dependency is unavailable (dependency_unavailable), the message kept meeting "
        + "concurrent changes (write_contention), or the change is stored and the lists do not show it yet (lists_not_updated)")
public class MessageResource {

    private static final String MESSAGE = "/messages/{message_group_uuid}/{created_at}";

    private final CallerService callers;
    private final MessageChangeService changes;
    private final JsonWebToken token;
    private final RateLimiter limiter;

    public MessageResource(CallerService callers, MessageChangeService changes, JsonWebToken token, RateLimiter limiter) {
        this.callers = callers;
        this.changes = changes;
        this.token = token;
        this.limiter = limiter;
    }

    @GET
    @Path(MESSAGE)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One message, with its ETag")
    @APIResponse(responseCode = "200", description = "The message as a page shows it",
            headers = @Header(name = "ETag", description = "The message's version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessageView.class)))
    public Uni<Response> get(@PathParam("message_group_uuid") @Parameter(description = "The conversation",
                                     example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399") String conversationUuid,
                             @PathParam("created_at") @Parameter(description = "The message's created_at",
                                     example = "2026-11-24T09:30:15.123456+00:00") String createdAt) {
        return callers.resolve(token.getSubject())
                .chain(caller -> changes.get(caller, conversationUuid, createdAt))
                .map(revised -> Response.ok(revised.view()).header(HttpHeaders.ETAG, revised.etag()).build());
    }

    @PATCH
    @Path(MESSAGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit your own message",
            description = "Within " + "24 hours of sending it (cruddur.messages.edits.window); the text follows the rules of a new "
                    + "message. Both members' streams get a `message_updated` event, and the conversation list follows when it "
                    + "was the last message. With If-Match, a message that changed since is a 412.")
    @APIResponse(responseCode = "200", description = "The message as edited, with the time of the edit",
            headers = @Header(name = "ETag", description = "The message's new version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessageView.class)))
    @APIResponse(responseCode = "400", description = "The body is not a JSON object, or has wrong types (malformed_body)")
    @APIResponse(responseCode = "413", description = "The body is larger than the limit (body_too_large)")
    @APIResponse(responseCode = "415", description = "The body is not application/json (unsupported_media_type)")
    @APIResponse(responseCode = "403", description = "One of the two users blocked the other (recipient_unavailable); nothing changed")
    @APIResponse(responseCode = "409", description = "The message was deleted (message_deleted), or sent longer ago than the "
            + "window (edit_window_passed)")
    @APIResponse(responseCode = "412", description = "If-Match names another version (precondition_failed); read it again")
    @APIResponse(responseCode = "422", description = "validation_failed: message_blank, message_exceed_max_chars, message_invalid_unicode")
    @APIResponse(responseCode = "429", description = "Over the caller's limit of edits and deletes (rate_limited); nothing changed")
    public Uni<Response> edit(@PathParam("message_group_uuid") @Parameter(description = "The conversation",
                                      example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399") String conversationUuid,
                              @PathParam("created_at") @Parameter(description = "The message's created_at",
                                      example = "2026-11-24T09:30:15.123456+00:00") String createdAt,
                              @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_MATCH, description = "The ETag the change "
                                      + "is for") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                              EditMessageRequest body) {
        if (body == null) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "The body must be a JSON object with the new message.");
        }
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.messageChanges(), caller.uuid().toString())
                        .chain(limit -> changes.edit(caller, conversationUuid, createdAt, body.message(), Optional.ofNullable(ifMatch))
                                .map(revised -> withTag(limit, revised))));
    }

    @DELETE
    @Path(MESSAGE)
    @Operation(summary = "Delete your own message for both members",
            description = "Its text is removed from storage, every copy included (the conversation list's when it was the last "
                    + "message, the stored answer of its Idempotency-Key); it keeps its place as a tombstone (deleted_at, "
                    + "message \"" + MessageView.DELETED + "\"), so pages and resume ids stay stable. Both members' streams get "
                    + "a `message_deleted` event. Deleting it again changes nothing.")
    @APIResponse(responseCode = "204", description = "Deleted (also when it was already)")
    @APIResponse(responseCode = "412", description = "If-Match names another version (precondition_failed)")
    @APIResponse(responseCode = "429", description = "Over the caller's limit of edits and deletes (rate_limited); nothing changed")
    public Uni<Response> delete(@PathParam("message_group_uuid") @Parameter(description = "The conversation",
                                        example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399") String conversationUuid,
                                @PathParam("created_at") @Parameter(description = "The message's created_at",
                                        example = "2026-11-24T09:30:15.123456+00:00") String createdAt,
                                @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_MATCH, description = "The ETag the "
                                        + "delete is for") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.messageChanges(), caller.uuid().toString())
                        .chain(limit -> changes.delete(caller, conversationUuid, createdAt, Optional.ofNullable(ifMatch))
                                .map(revised -> limit.noContent())));
    }

    private static Response withTag(RateDecision limit, Revised revised) {
        Response ok = limit.ok(revised.view());
        return Response.fromResponse(ok).header(HttpHeaders.ETAG, revised.etag()).build();
    }
}
