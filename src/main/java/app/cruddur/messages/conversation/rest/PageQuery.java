package app.cruddur.messages.conversation.rest;

import app.cruddur.messages.conversation.ConversationConfig;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The query of a page (patterns A and B): read as text, so that a bad value is a 422 naming the
 * rule, and documented as what the service accepts.
 */
public class PageQuery {

    /** Base64url of a sort key, as the Link header gives it. */
    static final String CURSOR_PATTERN = "^[A-Za-z0-9_-]{1,64}={0,2}$";

    @QueryParam("limit")
    @Parameter(description = "Page size (default " + ConversationConfig.Paging.DEFAULT_LIMIT + ")",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = ConversationConfig.Paging.MAX_LIMIT,
                    defaultValue = ConversationConfig.Paging.DEFAULT_LIMIT), example = "20")
    String limit;

    @QueryParam("cursor")
    @Parameter(description = "Opaque cursor from the previous page's Link header",
            schema = @Schema(type = SchemaType.STRING, maxLength = 64, pattern = CURSOR_PATTERN))
    String cursor;
}
