package io.latentcodec.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON subset manifests need, with errors that name the byte offset. Objects become
 * {@link LinkedHashMap}s (key order kept), arrays {@link List}s, numbers {@link Long} when written
 * without fraction or exponent and {@link Double} otherwise, plus String, Boolean and null.
 * Duplicate keys, trailing garbage and nesting deeper than 64 are errors.
 */
public final class Json {
    private static final int MAX_DEPTH = 64;

    /** A syntax error, with the character offset. */
    static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        final int offset;

        JsonException(int offset, String reason) {
            super("bad JSON at character " + offset + ": " + reason);
            this.offset = offset;
        }
    }

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) {
            throw new JsonException(p.pos, "trailing characters after the value");
        }
        return v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new JsonException(pos, "nested deeper than " + MAX_DEPTH);
        }
        if (pos >= s.length()) {
            throw new JsonException(pos, "unexpected end of input");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{' -> {
                pos++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (peek() == '}') {
                    pos++;
                    return m;
                }
                while (true) {
                    ws();
                    int keyAt = pos;
                    if (peek() != '"') {
                        throw new JsonException(pos, "expected a string key");
                    }
                    String k = string();
                    ws();
                    expect(':');
                    ws();
                    if (m.containsKey(k)) {
                        throw new JsonException(keyAt, "duplicate key \"" + k + "\"");
                    }
                    m.put(k, value(depth + 1));
                    ws();
                    char d = next();
                    if (d == '}') {
                        return m;
                    }
                    if (d != ',') {
                        throw new JsonException(pos - 1, "expected ',' or '}'");
                    }
                }
            }
            case '[' -> {
                pos++;
                List<Object> l = new ArrayList<>();
                ws();
                if (peek() == ']') {
                    pos++;
                    return l;
                }
                while (true) {
                    ws();
                    l.add(value(depth + 1));
                    ws();
                    char d = next();
                    if (d == ']') {
                        return l;
                    }
                    if (d != ',') {
                        throw new JsonException(pos - 1, "expected ',' or ']'");
                    }
                }
            }
            case '"' -> {
                return string();
            }
            case 't' -> {
                literal("true");
                return Boolean.TRUE;
            }
            case 'f' -> {
                literal("false");
                return Boolean.FALSE;
            }
            case 'n' -> {
                literal("null");
                return null;
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new JsonException(pos, "unexpected character '" + c + "'");
            }
        }
    }

    private char peek() {
        if (pos >= s.length()) {
            throw new JsonException(pos, "unexpected end of input");
        }
        return s.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new JsonException(pos - 1, "expected '" + c + "'");
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw new JsonException(pos, "expected " + word);
        }
        pos += word.length();
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private String string() {
        int start = pos;
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new JsonException(start, "unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new JsonException(pos - 1, "control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw new JsonException(pos, "truncated \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new JsonException(pos, "bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw new JsonException(pos - 1, "bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        boolean integral = true;
        digits(start);
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            integral = false;
            digits(start);
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            integral = false;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            digits(start);
        }
        String t = s.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                // too long for a long: keep it as a double
            }
        }
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d)) {
            // JSON has no infinity, so a manifest holding one could not be written back
            throw new JsonException(start, "number " + t + " is out of range");
        }
        return d;
    }

    private void digits(int start) {
        int d = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == d) {
            throw new JsonException(start, "malformed number");
        }
    }

    // ---- writing ----

    /** Pretty-printed JSON (two-space indent, newline at the end). */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int indent) {
        switch (v) {
            case null -> b.append("null");
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    b.append("{}");
                    return;
                }
                b.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    pad(b, indent + 1);
                    quote(b, (String) e.getKey());
                    b.append(": ");
                    write(b, e.getValue(), indent + 1);
                    b.append(++i < m.size() ? ",\n" : "\n");
                }
                pad(b, indent);
                b.append('}');
            }
            case List<?> l -> {
                boolean flat = l.stream().allMatch(x -> !(x instanceof Map) && !(x instanceof List));
                if (flat) {
                    b.append('[');
                    for (int i = 0; i < l.size(); i++) {
                        if (i > 0) {
                            b.append(", ");
                        }
                        write(b, l.get(i), indent);
                    }
                    b.append(']');
                    return;
                }
                b.append("[\n");
                for (int i = 0; i < l.size(); i++) {
                    pad(b, indent + 1);
                    write(b, l.get(i), indent + 1);
                    b.append(i + 1 < l.size() ? ",\n" : "\n");
                }
                pad(b, indent);
                b.append(']');
            }
            case String str -> quote(b, str);
            case Boolean bool -> b.append(bool);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    throw new IllegalArgumentException("JSON has no " + d);
                }
                b.append(d);
            }
            case Float f -> write(b, (double) f, indent);
            case Number n -> b.append(n.longValue());
            default -> throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
        }
    }

    private static void pad(StringBuilder b, int indent) {
        b.append("  ".repeat(indent));
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
