package app.cruddur.messages.events.rest;

import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.ValidationException;
import app.cruddur.messages.events.EventChannels;
import app.cruddur.messages.events.wire.EventKind;
import app.cruddur.messages.events.wire.EventId;
import app.cruddur.messages.events.EventsUnavailableException;
import app.cruddur.messages.events.EventReplay;
import app.cruddur.messages.events.EventTickets;
import app.cruddur.messages.events.EventsConfig;
import app.cruddur.messages.events.MessageEvents;
import app.cruddur.messages.events.EventTexts;
import app.cruddur.messages.events.MessageEvents.Delivered;
import app.cruddur.messages.events.MessageEvents.Ended;
import app.cruddur.messages.events.MessageEvents.Heartbeat;
import app.cruddur.messages.events.MessageEvents.Item;
import app.cruddur.messages.view.MessageView;
import app.cruddur.messages.view.ListEntryView;
import app.cruddur.messages.view.ReadReceiptView;
import app.cruddur.messages.view.TypingView;
import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.user.CallerService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The caller's events as Server-Sent Events ({@code message}, {@code message_group}), resumable by
 * id, and the tickets that let a browser's EventSource open the stream without a header.
 */
@Path("/api/events")
public class EventsResource {

    /** A stream that resumes nothing starts this far back: instances' clocks differ by a little. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(2);

    private final CallerService callers;
    private final MessageEvents events;
    private final EventReplay replay;
    private final EventTickets tickets;
    private final EventChannels channels;
    private final EventsConfig config;
    private final JsonWebToken token;
    private final Clock clock;
    private final RateLimiter limiter;
    private final EventTexts texts;

    public EventsResource(CallerService callers, MessageEvents events, EventReplay replay, EventTickets tickets, EventChannels channels,
                          EventsConfig config, JsonWebToken token, Clock clock, RateLimiter limiter, EventTexts texts) {
        this.limiter = limiter;
        this.texts = texts;
        this.callers = callers;
        this.events = events;
        this.replay = replay;
        this.tickets = tickets;
        this.channels = channels;
        this.config = config;
        this.token = token;
        this.clock = clock;
    }

    @GET
    @PermitAll
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SecurityRequirement(name = "cognito")
    @Operation(summary = "The caller's events (text/event-stream)",
            description = "Authenticated by a Bearer token, or by `ticket` (from POST /api/events/ticket) for a browser's "
                    + "EventSource. First a comment `connected` with a `retry:` hint, then, after `Last-Event-ID` (or "
                    + "`last_event_id`) when given, every event the caller missed (up to 24 hours back, read from the table), "
                    + "then live events: `" + EventKind.MESSAGE_NAME + "` (data: Message) when a message is posted into one of the "
                    + "caller's conversations, also by the caller, and `" + EventKind.LIST_ENTRY_NAME + "` (data: MessageGroup) "
                    + "when an entry of the caller's conversation list moves, and `" + EventKind.READ_NAME + "` (data: ReadReceipt) "
                    + "when the caller marks a conversation read or unread elsewhere, or the other member shares that they read it, "
                    + "`" + EventKind.MESSAGE_UPDATED_NAME + "` and `" + EventKind.MESSAGE_DELETED_NAME + "` (data: Message) when its "
                    + "sender edits or deletes a message, and `" + EventKind.TYPING_NAME + "` (data: Typing, never replayed) while the "
                    + "other member types. Every event has an id to resume from. A comment every 15 s keeps the "
                    + "stream open. At most 5 streams per user: opening another ends the oldest. A client that reads too "
                    + "slowly is disconnected; when Redis is unavailable or the instance shuts down, the stream ends with a "
                    + "comment saying why, and the client reconnects after the hint.")
    @APIResponse(responseCode = "200", description = "The stream; each event's data is a Message (a posted, edited or deleted "
            + "message), a MessageGroup (a moved entry of the conversation list), a ReadReceipt (a read marker that moved) or a "
            + "Typing",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(oneOf = {MessageView.class, ListEntryView.class, ReadReceiptView.class, TypingView.class})))
    @APIResponse(responseCode = "422", description = "A Last-Event-ID that this service did not send (validation_failed: invalid_event_id)")
    @APIResponse(responseCode = "401", description = "No token or a bad one (unauthenticated, invalid_token), or a ticket "
            + "that is unknown, used or expired (invalid_ticket)")
    @APIResponse(responseCode = "503", description = "Events are unavailable for a moment (events_unavailable); "
            + "the REST API works on. Retry after Retry-After.")
    public Multi<OutboundSseEvent> stream(
            @Context Sse sse,
            @Context RoutingContext routing,
            @Parameter(description = "A ticket from POST /api/events/ticket, instead of the Authorization header (single use)")
            @QueryParam("ticket") String ticket,
            @Parameter(description = "Resume after this event id (EventSource sends the header itself when it reconnects)")
            @QueryParam("last_event_id") String lastEventIdParameter,
            @Parameter(in = ParameterIn.HEADER, name = "Last-Event-ID", description = "Resume after this event id")
            @HeaderParam("Last-Event-ID") String lastEventIdHeader) {
        // The header is the newer one: EventSource keeps the URL it opened and sends the header on reconnecting.
        Optional<EventId> resume = resumePoint(lastEventIdHeader != null && !lastEventIdHeader.isBlank()
                ? lastEventIdHeader : lastEventIdParameter);
        EventId start = resume.orElseGet(() -> EventId.before(clock.instant().minus(CLOCK_MARGIN)));
        long retry = config.retry().toMillis();
        if (!channels.available()) {
            throw new EventsUnavailableException("Redis is unreachable");
        }
        UUID user = routing.get(EventStreamCaller.USER);
        // The hub beats every stream's heartbeat from one timer: a stream is one Multi, no timer of its own.
        return events.follow(user, start, () -> resume.isPresent()
                        ? replay.since(user, start) : Uni.createFrom().item(java.util.List.of()))
                // Texts travel sealed, live and replayed alike: opened here, as each is written.
                .onItem().transformToUniAndConcatenate(item -> item instanceof Delivered delivered
                        ? texts.open(delivered.event()).map(opened -> (Item) new Delivered(opened))
                        : Uni.createFrom().item(item))
                .map(item -> render(sse, item, retry));
    }

    @POST
    @Path("/ticket")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "cognito")
    @Operation(summary = "A ticket to open the event stream with EventSource",
            description = "Single use, valid for 30 s: GET /api/events?ticket=… accepts it instead of the Authorization "
                    + "header, so that an access token never goes into a URL. Take a new ticket for every reconnection.")
    @APIResponse(responseCode = "200", description = "The ticket; RateLimit-Policy and RateLimit say what is left of the caller's limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TicketView.class)))
    @APIResponse(responseCode = "401", description = "No token or a bad one (unauthenticated, invalid_token)")
    @APIResponse(responseCode = "503", description = "Events are unavailable for a moment (events_unavailable)")
    @APIResponse(responseCode = "429", description = "Over the caller's limit of tickets (rate_limited)")
    public Uni<Response> ticket() {
        return callers.resolve(token.getSubject())
                .chain(user -> limiter.admit(limiter.tickets(), user.uuid().toString())
                        .chain(limit -> tickets.issue(user.uuid())
                                .map(ticket -> limit.ok(new TicketView(ticket, tickets.validitySeconds())))));
    }

    private static Optional<EventId> resumePoint(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(EventId.parse(id.trim()).orElseThrow(() -> new ValidationException(ErrorCode.INVALID_EVENT_ID)));
    }

    private static OutboundSseEvent render(Sse sse, Item item, long retry) {
        if (item instanceof Delivered delivered) {
            return sse.newEventBuilder()
                    .name(delivered.event().name())
                    .id(delivered.event().id().format())
                    .data(String.class, delivered.event().data())
                    .build();
        }
        if (item instanceof Heartbeat) {
            return sse.newEventBuilder().comment("heartbeat").build();
        }
        String comment = item instanceof Ended ended ? ended.ending().reason() : "connected";
        return sse.newEventBuilder().comment(comment).reconnectDelay(retry).build();
    }

}
