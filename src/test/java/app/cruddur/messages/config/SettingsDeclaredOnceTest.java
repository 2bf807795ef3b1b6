package app.cruddur.messages.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each setting is declared once: a value a feature's mapping gives as its default is not said
 * again in application.properties (which sets only what a profile or the environment changes).
 */
class SettingsDeclaredOnceTest {

    @Test
    void applicationPropertiesRestatesNoDefault() throws IOException {
        Map<String, String> defaults = defaults();
        assertTrue(defaults.size() > 30, "defaults found: " + defaults);
        Properties properties = new Properties();
        try (InputStream in = SettingsDeclaredOnceTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Map<String, String> restated = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> {
            if (properties.getProperty(key).equals(defaults.get(key))) {
                restated.put(key, properties.getProperty(key));
            }
        });
        assertEquals(Map.of(), restated, "application.properties restates the mappings' defaults");
    }

    @Test
    void aRestatedDefaultWouldBeFound() throws IOException {
        assertEquals("1024", defaults().get("cruddur.messages.message.max-chars"));
        assertEquals("250ms", defaults().get("cruddur.messages.rate-limits.deadline"));
    }

    /** Every {@code @WithDefault} of the service's {@code @ConfigMapping}s, by its property name. */
    static Map<String, String> defaults() {
        Map<String, String> found = new TreeMap<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("app.cruddur.messages").stream()
                .filter(type -> type.isAnnotatedWith(ConfigMapping.class))
                .map(type -> type.reflect())
                .forEach(mapping -> collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), found));
        return found;
    }

    private static void collect(Class<?> group, String prefix, Map<String, String> found) {
        for (Method method : group.getMethods()) {
            String name = prefix + "." + kebab(method.getName());
            WithDefault value = method.getAnnotation(WithDefault.class);
            if (value != null) {
                found.put(name, value.value());
            } else if (method.getReturnType().isInterface() && method.getReturnType().getName().startsWith("app.cruddur")
                    && !List.class.isAssignableFrom(method.getReturnType())) {
                collect(method.getReturnType(), name, found);
            }
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
