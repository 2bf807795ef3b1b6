package app.cruddur.messages.limits;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Every 429 carries the same three headers ({@link RateDecision#headers}), so the document gets
 * them here once, on every operation's 429, not from each endpoint.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class RateLimitHeadersInOpenApi implements OASFilter {

    private static final Map<String, String> HEADERS = Map.of(
            "Retry-After", "Seconds until the next request is taken",
            "RateLimit-Policy", "The limit: its name, quota q (the burst) and window w (the seconds it takes to refill), "
                    + "as in \"messages\";q=10;w=20",
            "RateLimit", "What is left of it: r, and t, the seconds until the bucket is full, as in \"messages\";r=0;t=17");

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        openApi.getPaths().getPathItems().values().forEach(path -> path.getOperations().values().forEach(operation -> {
            APIResponse limited = operation.getResponses() == null ? null : operation.getResponses().getAPIResponse("429");
            if (limited != null) {
                HEADERS.forEach((name, description) -> limited.addHeader(name, OASFactory.createHeader()
                        .description(description)
                        .schema(OASFactory.createSchema().type(List.of(
                                name.equals("Retry-After") ? Schema.SchemaType.INTEGER : Schema.SchemaType.STRING)))));
            }
        }));
    }
}
