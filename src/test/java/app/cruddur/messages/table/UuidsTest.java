package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UuidsTest {

    @Test
    void readsEveryCanonicalUuidAsUuidFromStringDoes() {
        for (int i = 0; i < 10_000; i++) {
            UUID uuid = UUID.randomUUID();
            assertEquals(Optional.of(uuid), Keys.parseUuid(uuid.toString()));
            assertEquals(Optional.of(uuid), Keys.parseUuid(uuid.toString().toUpperCase(Locale.ROOT)));
        }
        assertEquals(Optional.of(new UUID(0, 0)), Keys.parseUuid("00000000-0000-0000-0000-000000000000"));
        assertEquals(Optional.of(new UUID(-1, -1)), Keys.parseUuid("ffffffff-ffff-ffff-ffff-ffffffffffff"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "1-1-1-1-1", "0c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7", "0c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7b0",
        "0c0e2f1e7f5b-4d8e-9c1a-3b5e2d4f6a7b-", "0c0e2f1e-7f5b-4d8e-9c1a_3b5e2d4f6a7b", "0c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7g",
        "{c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7}", "+c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7b", " c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7b",
        // fullwidth and Arabic-Indic digits, which Character.digit reads as hex digits
        "\uFF10c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7", "0c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7\uFF41", "0c0e2f1e-7f5b-4d8e-9c1a-3b5e2d4f6a7\u0663"})
    void refusesEverythingElse(String value) {
        assertTrue(Keys.parseUuid(value).isEmpty(), value);
    }

    @Test
    void refusesNull() {
        assertTrue(Keys.parseUuid(null).isEmpty());
    }
}
