package app.cruddur.messages.read.rest;

import app.cruddur.messages.read.UnreadTotals;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The caller's unread totals, for an app badge. */
@Schema(name = "UnreadTotals", description = "Over the caller's whole conversation list")
public record UnreadTotalsView(
        @Schema(description = "Conversations with unread messages", required = true, minimum = "0") int conversations,
        @Schema(description = "Unread messages, each conversation's counted up to 100", required = true, minimum = "0") int messages) {

    static UnreadTotalsView of(UnreadTotals totals) {
        return new UnreadTotalsView(totals.conversations(), totals.messages());
    }
}
