package app.cruddur.messages.events.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A ticket for GET /api/events?ticket=… . */
@Schema(name = "EventTicket", description = "A single-use ticket for opening the event stream without a header")
public record TicketView(
        @Schema(description = "Pass as ?ticket= once, within expires_in seconds", required = true) String ticket,
        @JsonProperty("expires_in") @Schema(description = "Seconds the ticket stays valid", required = true, example = "30") long expiresIn) {
}
