package app.cruddur.messages.view;

import app.cruddur.messages.table.ReadReceiptItem;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** That a member read a conversation up to a message: the data of a {@code read} event. */
@JsonPropertyOrder({"message_group_uuid", "user_uuid", "read_through", "unread"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ReadReceipt", description = "A member's read marker moved: they have read the conversation up to the "
        + "message sent at read_through")
public record ReadReceiptView(
        @JsonProperty("message_group_uuid") @Schema(description = "The conversation", required = true, format = "uuid")
        String messageGroupUuid,
        @JsonProperty("user_uuid") @Schema(description = "The member who read", required = true, format = "uuid") String userUuid,
        @JsonProperty("read_through") @Schema(description = "The created_at of the newest message they have read", required = true,
                format = "date-time", example = "2026-11-24T09:30:15.123456+00:00") String readThrough,
        @Schema(description = "Only to the reader's own streams: their unread count of the conversation now (0-100)",
                minimum = "0", maximum = "100") Integer unread) {

    public static ReadReceiptView of(ReadReceiptItem receipt) {
        return new ReadReceiptView(receipt.conversationUuid().toString(), receipt.readerUuid().toString(),
                Timestamps.format(receipt.readThrough()), receipt.unread().orElse(null));
    }
}
