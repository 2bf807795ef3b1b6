package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack's table is the service's: keys, attribute types, the group index, billing, stream and
 * TTL are exactly what the service declares in src/main/resources/table/messages-table.json, the
 * file it creates the table from in dev mode, the tests and the tools.
 */
class TableShapeTest {

    private static final Path SHAPE = Path.of("..", "src", "main", "resources", "table", "messages-table.json");
    private static final List<String> PROPERTIES = List.of("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
            "BillingMode", "StreamSpecification", "TimeToLiveSpecification");

    @Test
    void theStacksTableIsTheOneTheServiceDeclares() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> service = new ObjectMapper().readValue(SHAPE.toFile(), Map.class);
        for (Template template : List.of(Synth.defaults(), Synth.full())) {
            Map<String, Object> table = Cfn.properties(template, Cfn.messagesTable(template));
            assertEquals(shape(service), shape(table), "the stack's table against " + SHAPE);
        }
    }

    /** The properties both declare; attribute definitions in name order; only the index fields the service declares. */
    private static Map<String, Object> shape(Map<String, Object> table) {
        Map<String, Object> shape = new LinkedHashMap<>();
        for (String property : PROPERTIES) {
            shape.put(property, table.get(property));
        }
        shape.put("AttributeDefinitions", Cfn.list(table.get("AttributeDefinitions")).stream()
                .map(Cfn::map).sorted(Comparator.comparing(definition -> (String) definition.get("AttributeName"))).toList());
        shape.put("GlobalSecondaryIndexes", Cfn.list(table.get("GlobalSecondaryIndexes")).stream().map(Cfn::map)
                .map(index -> Map.of("IndexName", index.get("IndexName"), "KeySchema", index.get("KeySchema"),
                        "Projection", index.get("Projection")))
                .toList());
        return shape;
    }
}
