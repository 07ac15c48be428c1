package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void valuesRoundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a \"quoted\"\n\\ \u0001 é");
        m.put("i", 42L);
        m.put("neg", -7L);
        m.put("d", 0.1926);
        m.put("tiny", 1e-300);
        m.put("b", true);
        m.put("n", null);
        m.put("l", List.of(1L, "x", List.of(), Map.of()));
        m.put("o", Map.of("k", List.of(2.5)));
        Object back = Json.parse(Json.write(m));
        assertEquals(m, back);
        assertEquals(List.of(1L, 2L), Json.parse(" [1 ,\t2]\n"));
        assertEquals(12345678901234567890.0, Json.parse("12345678901234567890"));
        assertEquals("é", Json.parse("\"\\u00e9\""));
        assertNull(Json.parse("null"));
    }

    private static Json.JsonException bad(String s) {
        return assertThrows(Json.JsonException.class, () -> Json.parse(s));
    }

    @Test
    void errorsNameTheOffset() {
        assertEquals(5, bad("{\"a\":}").offset);
        assertEquals(7, bad("{\"a\":1 \"b\":2}").offset);
        assertTrue(bad("{\"a\":1,\"a\":2}").getMessage().contains("duplicate key \"a\""));
        assertTrue(bad("[1,2").getMessage().contains("unexpected end"));
        assertTrue(bad("\"abc").getMessage().contains("unterminated string"));
        assertTrue(bad("[1] x").getMessage().contains("trailing"));
        assertTrue(bad("-").getMessage().contains("malformed number"));
        assertTrue(bad("1.").getMessage().contains("malformed number"));
        assertTrue(bad("tru").getMessage().contains("expected true"));
        assertTrue(bad("[".repeat(100) + "]".repeat(100)).getMessage().contains("deeper than 64"));
        assertTrue(bad("\"\\x\"").getMessage().contains("bad escape"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        // fuzz finding: 1e999 parsed to Infinity, and a manifest holding it could not be written back
        assertTrue(bad("[1e999]").getMessage().contains("number 1e999 is out of range"));
        assertEquals(1, bad("[-1" + "0".repeat(400) + "]").offset);
        assertEquals(1e308, Json.parse("1e308"));
    }
}
