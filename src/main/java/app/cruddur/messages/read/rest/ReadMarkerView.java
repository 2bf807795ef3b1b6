package app.cruddur.messages.read.rest;

import app.cruddur.messages.read.ReadMarker;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The caller's read marker of a conversation, and the other member's as far as they share it. */
@JsonPropertyOrder({"message_group_uuid", "read_through", "shared_read_through", "unread", "other_user_uuid", "other_read_through"})
@Schema(name = "ReadMarker", description = "How far the caller has read a conversation, and how far the other member has (\"Seen\")")
public record ReadMarkerView(
        @JsonProperty("message_group_uuid") @Schema(description = "The conversation", required = true, format = "uuid")
        String messageGroupUuid,
        @JsonProperty("read_through") @Schema(description = "The created_at of the newest message the caller has read", required = true,
                format = "date-time", example = "2026-11-24T09:30:15.123456+00:00")
        String readThrough,
        @JsonProperty("shared_read_through") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "As far as the other member sees that the caller has read; absent while the caller has shared "
                + "no receipt", format = "date-time")
        String sharedReadThrough,
        @Schema(description = "The other member's messages after read_through: exact up to 99, 100 means 100 or more",
                required = true, minimum = "0", maximum = "100")
        int unread,
        @JsonProperty("other_user_uuid") @Schema(description = "The other member", required = true, format = "uuid")
        String otherUserUuid,
        @JsonProperty("other_read_through") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The created_at of the newest message the other member has read, as far as they share it "
                + "(\"Seen\"); absent while they have shared no receipt", format = "date-time")
        String otherReadThrough) {

    static ReadMarkerView of(ReadMarker marker) {
        return new ReadMarkerView(marker.conversationUuid().toString(), Timestamps.format(marker.readThrough()),
                marker.sharedReadThrough().map(Timestamps::format).orElse(null), marker.unread(), marker.otherUserUuid().toString(),
                marker.otherReadThrough().map(Timestamps::format).orElse(null));
    }
}
