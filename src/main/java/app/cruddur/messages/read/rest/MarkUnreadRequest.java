package app.cruddur.messages.read.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/messages/{message_group_uuid}/mark_unread}: {@code {}} for the default. */
@Schema(name = "MarkUnread", description = "The first message to show as unread again")
public record MarkUnreadRequest(
        @Schema(description = "The created_at of the first message to show as unread; by default the other member's newest",
                format = "date-time", example = "2026-11-24T09:30:15.123456+00:00")
        String from) {
}
