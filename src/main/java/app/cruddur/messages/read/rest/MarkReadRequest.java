package app.cruddur.messages.read.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /api/messages/{message_group_uuid}/read_marker}; both fields may be left out, and so may the body. */
@Schema(name = "MarkRead", description = "Where the caller has read the conversation up to, and whether the other member may see it")
public record MarkReadRequest(
        @JsonProperty("read_through") @Schema(description = "The created_at of the newest message read; by default the newest "
                + "message of the conversation", format = "date-time", example = "2026-11-24T09:30:15.123456+00:00")
        String readThrough,
        @JsonProperty("private") @Schema(description = "Keep this receipt from the other member (their \"Seen\" stays where it "
                + "was); default false", defaultValue = "false")
        Boolean privately) {
}
