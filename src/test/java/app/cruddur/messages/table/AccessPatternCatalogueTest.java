package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/data.md's catalogue of access patterns names, in its first column, the method of each
 * pattern; every method of an item that sends a request to the table ({@code Uni} answer, a
 * {@link TableClient} to send it with) is in the catalogue, and nothing else is.
 */
class AccessPatternCatalogueTest {

    private static final Pattern METHOD = Pattern.compile("`(\\w+)\\.(\\w+)`");

    @Test
    void theCatalogueNamesEveryAccessPatternOfTheItemsAndNothingElse() throws IOException {
        Set<String> inCode = accessPatternMethods();
        Set<String> inDocs = catalogue(Path.of("docs/data.md"));
        assertTrue(inCode.size() >= 14, "access patterns found in the code: " + inCode);
        assertEquals(inCode, inDocs, "docs/data.md \"## Access patterns\" against the items in table/");
    }

    @Test
    void aPatternMissingFromTheCatalogueIsNoticed() throws IOException {
        Path docs = Files.createTempFile("data", ".md");
        try {
            Files.writeString(docs, Files.readString(Path.of("docs/data.md")).replace("`BlockItem.delete`", ""));
            Set<String> inDocs = catalogue(docs);
            assertTrue(accessPatternMethods().contains("BlockItem.delete"));
            assertTrue(!inDocs.contains("BlockItem.delete"), "the catalogue without unblock: " + inDocs);
        } finally {
            Files.delete(docs);
        }
    }

    /** {@code Item.method} of every public method of the table's classes that sends a request through a TableClient. */
    static Set<String> accessPatternMethods() {
        Set<String> found = new TreeSet<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(TableClient.class.getPackageName()).stream()
                .filter(type -> type.getPackageName().equals(TableClient.class.getPackageName()))
                .map(type -> type.reflect())
                .filter(type -> type != TableClient.class)
                .forEach(type -> {
                    for (Method method : type.getDeclaredMethods()) {
                        boolean sends = Modifier.isPublic(method.getModifiers())
                                && method.getReturnType() == Uni.class
                                && Arrays.asList(method.getParameterTypes()).contains(TableClient.class);
                        if (sends) {
                            found.add(type.getSimpleName() + "." + method.getName());
                        }
                    }
                });
        return found;
    }

    /** The methods named in the first column of the table under "## Access patterns". */
    static Set<String> catalogue(Path docs) throws IOException {
        Set<String> named = new TreeSet<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(docs)) {
            if (line.startsWith("#")) {
                inSection = line.equals("## Access patterns");
                continue;
            }
            if (inSection && line.startsWith("| ") && !line.startsWith("| pattern ")) {
                String first = line.substring(2, line.indexOf(" |", 1));
                Matcher method = METHOD.matcher(first);
                while (method.find()) {
                    named.add(method.group(1) + "." + method.group(2));
                }
            }
        }
        return named;
    }
}
