package app.cruddur.messages.conversation.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * A post names its recipient once: {@code handle} or {@code message_group_uuid}, never both and
 * never neither (recipient_ambiguous, user_receiver_handle_blank), which the annotations of
 * {@link PostMessageRequest} cannot say: a {@code oneOf} of the two {@code required} lists does.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class RecipientInOpenApi implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Schema post = openApi.getComponents().getSchemas().get("PostMessage");
        if (post != null) {
            post.oneOf(List.of(OASFactory.createSchema().required(List.of("handle")),
                    OASFactory.createSchema().required(List.of("message_group_uuid"))));
        }
    }
}
