package app.cruddur.messages.events.rest;

import app.cruddur.messages.error.Problem;
import app.cruddur.messages.events.EventsConfig;
import app.cruddur.messages.events.MessageEvents;
import app.cruddur.messages.user.CallerService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The caller's events as Server-Sent Events: each message posted into one of their conversations. */
@Path("/api/events")
@Authenticated
@SecurityRequirement(name = "cognito")
public class EventsResource {

    private final CallerService callers;
    private final MessageEvents events;
    private final EventsConfig config;
    private final JsonWebToken token;

    public EventsResource(CallerService callers, MessageEvents events, EventsConfig config, JsonWebToken token) {
        this.callers = callers;
        this.events = events;
        this.config = config;
        this.token = token;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The caller's events (text/event-stream)",
            description = "A comment `connected` with the reconnection delay first, then an event `message` for every message "
                    + "posted into one of the caller's conversations (also the caller's own), and a comment every 15 s. "
                    + "At most 5 streams per user: opening another ends the oldest. A client that reads too slowly is "
                    + "disconnected.")
    @APIResponse(responseCode = "200", description = "The stream; each `message` event's data is a MessageEvent",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = MessageEventView.class)))
    @APIResponse(responseCode = "401", description = "No token or a bad one (unauthenticated, invalid_token)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Signed in without a Cruddur user (user_not_registered)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        long retry = config.retry().toMillis();
        // Marks the end of the caller's messages (a newer stream displaced this one): the heartbeats stop with it.
        OutboundSseEvent ended = sse.newEventBuilder().comment("ended").build();
        return callers.resolve(token.getSubject()).onItem().transformToMulti(caller -> Multi.createBy().merging().streams(
                        // First the subscription, so that "connected" means: from here on, nothing is missed.
                        events.follow(caller.uuid()).map(message -> sse.newEventBuilder()
                                        .name("message")
                                        .id(MessageEventView.id(message))
                                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                        .data(MessageEventView.class, MessageEventView.of(message))
                                        .build())
                                .onCompletion().continueWith(ended),
                        Multi.createFrom().item(() -> sse.newEventBuilder().comment("connected").reconnectDelay(retry).build()),
                        Multi.createFrom().ticks().every(config.heartbeat())
                                .map(tick -> sse.newEventBuilder().comment("heartbeat").build()))
                .select().first(event -> event != ended));
    }
}
