package app.cruddur.messages.error.http;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The problem responses every operation of the API shares, declared once here rather than on
 * each endpoint: every 4xx and 5xx answer is a {@link Problem} document
 * ({@value Problem#MEDIA_TYPE}); an operation that needs a token answers 401 and 403; one whose
 * path names something answers 404 when it does not exist; every one answers 503 when a
 * dependency is unavailable. An endpoint declares a response itself only to say more (which
 * code, which limit).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesInOpenApi implements OASFilter {

    static final String PROBLEM = "#/components/schemas/Problem";

    static final String UNAUTHENTICATED = "No token (unauthenticated) or a bad one (invalid_token)";
    static final String NOT_REGISTERED = "Signed in without a Cruddur user (user_not_registered)";
    static final String NOT_FOUND = "The path names nothing that exists (not_found)";
    static final String UNAVAILABLE = "A dependency is unavailable (dependency_unavailable); nothing changed, retry";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        if (openApi.getComponents() == null) {
            openApi.setComponents(OASFactory.createComponents());
        }
        openApi.getComponents().addSchema("Problem", problemSchema());
        openApi.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            item.getOperations().values().forEach(operation -> shared(path, operation));
        });
    }

    private static void shared(String path, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        if (needsToken(operation)) {
            addUnlessDeclared(responses, "401", UNAUTHENTICATED);
            addUnlessDeclared(responses, "403", NOT_REGISTERED);
        }
        if (path.contains("{")) {
            addUnlessDeclared(responses, "404", NOT_FOUND);
        }
        addUnlessDeclared(responses, "503", UNAVAILABLE);
        for (Map.Entry<String, APIResponse> response : responses.getAPIResponses().entrySet()) {
            boolean failure = response.getKey().startsWith("4") || response.getKey().startsWith("5");
            if (failure && (response.getValue().getContent() == null || response.getValue().getContent().getMediaTypes() == null
                    || response.getValue().getContent().getMediaTypes().isEmpty())) {
                response.getValue().setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
            }
        }
    }

    /** The schema of {@link Problem}, read from the record and its {@code @Schema} annotations. */
    static org.eclipse.microprofile.openapi.models.media.Schema problemSchema() {
        Schema about = Problem.class.getAnnotation(Schema.class);
        org.eclipse.microprofile.openapi.models.media.Schema schema = OASFactory.createSchema()
                .type(List.of(SchemaType.OBJECT)).description(about.description());
        List<String> required = new ArrayList<>();
        for (RecordComponent component : Problem.class.getRecordComponents()) {
            Schema field = component.getAccessor().getAnnotation(Schema.class);
            org.eclipse.microprofile.openapi.models.media.Schema property = OASFactory.createSchema().description(field.description());
            if (component.getType() == int.class) {
                property.type(List.of(SchemaType.INTEGER)).format("int32");
            } else if (component.getType() == List.class) {
                property.type(List.of(SchemaType.ARRAY)).items(OASFactory.createSchema().type(List.of(SchemaType.STRING)));
            } else {
                property.type(List.of(SchemaType.STRING));
            }
            schema.addProperty(component.getName(), property);
            if (field.required()) {
                required.add(component.getName());
            }
        }
        return schema.required(required);
    }

    private static boolean needsToken(Operation operation) {
        return operation.getSecurity() != null
                && operation.getSecurity().stream().anyMatch(requirement -> requirement.getSchemes() != null
                && !requirement.getSchemes().isEmpty());
    }

    private static void addUnlessDeclared(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }
}
