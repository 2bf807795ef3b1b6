package app.cruddur.messages.block.rest;

import app.cruddur.messages.table.BlockItem;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One user the caller blocked. */
@JsonPropertyOrder({"uuid", "handle", "display_name", "blocked_at"})
@Schema(name = "Block", description = "A user the caller blocked, as they were when blocked")
public record BlockView(
        @Schema(description = "The blocked user's uuid", required = true, format = "uuid") String uuid,
        @Schema(description = "The blocked user's handle", required = true) String handle,
        @JsonProperty("display_name") @Schema(description = "The blocked user's display name", required = true) String displayName,
        @JsonProperty("blocked_at") @Schema(description = "When the block was made (UTC, microseconds)",
                required = true, format = "date-time", example = "2026-11-24T09:30:15.123456+00:00") String blockedAt) {

    public static BlockView of(BlockItem block) {
        return new BlockView(block.blockedUuid().toString(), block.blockedHandle(), block.blockedDisplayName(),
                Timestamps.format(block.blockedAt()));
    }
}
