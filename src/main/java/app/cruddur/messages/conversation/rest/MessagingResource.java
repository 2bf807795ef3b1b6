package app.cruddur.messages.conversation.rest;

import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.view.MessageView;
import app.cruddur.messages.view.ListEntryView;
import app.cruddur.messages.conversation.service.ConversationService;
import app.cruddur.messages.conversation.service.PageRequest;
import app.cruddur.messages.conversation.service.PostMessage;
import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.limits.RateLimitedException;
import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.user.CallerService;
import app.cruddur.messages.user.User;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

/** The messaging endpoints: thin, each parses its input and calls one service method. */
@Path("/api")
@Authenticated
@SecurityRequirement(name = "cognito")
@APIResponse(responseCode = "401", description = "No token (unauthenticated) or a bad one (invalid_token): also one "
        + "signed with another algorithm than RS256, or without a usable sub")
@APIResponse(responseCode = "503", description = "A dependency is unavailable or writes kept colliding "
        + "(dependency_unavailable, write_contention; nothing was stored), or a POST's message is stored but the "
        + "conversation lists could not be moved to it in time (lists_not_updated); retry, with the same Idempotency-Key")
public class MessagingResource {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final CallerService callers;
    private final ConversationService conversations;
    private final ConversationConfig config;
    private final JsonWebToken token;
    private final RateLimiter limiter;

    public MessagingResource(CallerService callers, ConversationService conversations, ConversationConfig config,
                           JsonWebToken token, RateLimiter limiter) {
        this.callers = callers;
        this.conversations = conversations;
        this.config = config;
        this.token = token;
        this.limiter = limiter;
    }

    @GET
    @Path("/message_groups")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's conversations, newest reply first (pattern A)")
    @APIResponse(responseCode = "200", description = "A page of conversations; an older page is linked in the Link header",
            headers = @Header(name = "Link", description = "<...>; rel=\"next\" when older conversations exist",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ListEntryView.class)))
    @APIResponse(responseCode = "422", description = "Bad limit or cursor (validation_failed; errors: invalid_limit, invalid_cursor)")
    public Uni<Response> list(
            @BeanParam PageQuery query, @Context UriInfo uri) {
        PageRequest page = PageRequest.parse(query.limit, query.cursor, config.paging());
        return callers.resolve(token.getSubject())
                .chain(caller -> conversations.conversations(caller, page))
                .map(found -> PageLinks.ok(found.items(), found, page, uri));
    }

    @GET
    @Path("/messages/{message_group_uuid}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The newest page of a conversation's messages, oldest first (pattern B)")
    @APIResponse(responseCode = "200", description = "Messages oldest first; an older page is linked in the Link header",
            headers = @Header(name = "Link", description = "<...>; rel=\"next\" when older messages exist",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = MessageView.class)))
    @APIResponse(responseCode = "404", description = "No such conversation of the caller (message_group_not_found); "
            + "the same for a conversation of others")
    @APIResponse(responseCode = "422", description = "Bad limit or cursor (validation_failed; errors: invalid_limit, invalid_cursor)")
    public Uni<Response> page(
            @Parameter(description = "The conversation", schema = @Schema(type = SchemaType.STRING, format = "uuid"),
                    example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399")
            @PathParam("message_group_uuid") String conversationUuid,
            @BeanParam PageQuery query, @Context UriInfo uri) {
        PageRequest page = PageRequest.parse(query.limit, query.cursor, config.paging());
        return callers.resolve(token.getSubject())
                .chain(caller -> conversations.messages(caller, conversationUuid, page))
                .map(found -> {
                    // The table is read newest first; the frontend shows a page oldest first.
                    List<MessageView> oldestFirst = new ArrayList<>(found.items());
                    Collections.reverse(oldestFirst);
                    return PageLinks.ok(oldestFirst, found, page, uri);
                });
    }

    @POST
    @Path("/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post a message into a conversation (pattern C) or to a user (pattern D)",
            description = "With message_group_uuid the message goes into that conversation of the caller. With handle it "
                    + "goes to that user: the first time this opens their one-to-one conversation, later it reuses it. "
                    + "An Idempotency-Key makes retries safe: the same key and body return the first answer.")
    @APIResponse(responseCode = "200", description = "The stored message; RateLimit-Policy and RateLimit say what is left of the caller's limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessageView.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON, not well-formed UTF-8, names a field twice "
            + "or has wrong types (malformed_body)")
    @APIResponse(responseCode = "404", description = "No such conversation of the caller (message_group_not_found)")
    @APIResponse(responseCode = "413", description = "The body is larger than the limit (body_too_large)")
    @APIResponse(responseCode = "415", description = "The body is not application/json, or the request has no "
            + "Content-Type or several (unsupported_media_type)")
    @APIResponse(responseCode = "409", description = "The first request with this Idempotency-Key is no longer on record "
            + "(idempotency_key_conflict); use a new key")
    @APIResponse(responseCode = "422", description = "Rules broken (validation_failed), listed in errors: message_blank, message_exceed_max_chars, "
            + "message_invalid_unicode, message_group_uuid_blank, invalid_message_group_uuid, user_receiver_handle_blank, "
            + "recipient_ambiguous, user_receiver_not_found, cannot_message_self, invalid_idempotency_key, "
            + "idempotency_key_reused")
    @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 200, pattern = "^[\\x21-\\x7E]+$"),
            example = "3f1c7b52-post-1",
            description = "A client-chosen key (1 to 200 visible ASCII characters) that makes retries safe; "
                    + "sent at most once, never empty")
    @APIResponse(responseCode = "403", description = "One of the two users blocked the other (recipient_unavailable); "
            + "nothing stored")
    @APIResponse(responseCode = "429", description = "Over the caller's limit of messages, or of new conversations "
            + "(rate_limited); nothing stored. Retry-After says when to retry, RateLimit-Policy and RateLimit which limit it is")
    public Uni<Response> post(PostMessageRequest body, @Context HttpServerRequest request) {
        if (body == null) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "The body must be a JSON object.");
        }
        // Read raw: the REST layer's @HeaderParam turns an empty header into none at all.
        List<String> keyHeaders = request.headers().getAll(IDEMPOTENCY_KEY);
        // Every broken rule in one 422: the body's and the Idempotency-Key's.
        PostMessage command = PostMessage.validate(body.message(), body.conversationUuid(), body.handle(),
                config.message().maxChars(), ConversationService.idempotencyKeyProblems(keyHeaders));
        Optional<String> key = ConversationService.idempotencyKey(keyHeaders);
        return callers.resolve(token.getSubject())
                .chain(caller -> limiter.admit(limiter.messages(), caller.uuid().toString())
                        .chain(limit -> conversations.post(caller, command, key)
                                .map(limit::ok))
                        .onFailure(RateLimitedException.class)
                        .recoverWithUni(refused -> retryOverLimit(caller, command, key, (RateLimitedException) refused)));
    }

    /**
     * Over the limit, a retry of a stored message still gets its first answer, from a bucket of
     * retries of its own (so replays cannot be sent without limit); anything else stays refused.
     */
    private Uni<Response> retryOverLimit(User caller, PostMessage command, Optional<String> key, RateLimitedException refused) {
        if (key.isEmpty()) {
            return Uni.createFrom().failure(refused);
        }
        return limiter.admit(limiter.messageRetries(), caller.uuid().toString())
                .onFailure(RateLimitedException.class).transform(retries -> refused)
                .chain(() -> conversations.firstAnswerOr(caller, command, key.get(), refused))
                .map(message -> Response.ok(message).build());
    }
}
