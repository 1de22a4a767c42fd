package dev.fixpoint.tabular.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strict JSON parser: values and positions. Expected positions are counted by hand on the
 * inputs (1-based line and column); the rules are those of RFC 8259.
 */
class JsonParserTest {

  private static String error(String text) {
    return assertThrows(ModelException.class, () -> JsonParser.parse(text, "t.json"))
        .getMessage();
  }

  @Test
  void parsesEveryKindOfValueAndKeepsNumberText() {
    Json v = JsonParser.parse(
        " {\"a\": [1, -0.50, 2E+3, true, false, null], \"b\\u00e9\\n\": \"x\\\"\\\\\\/\"} ",
        "t.json");
    Json.Obj o = (Json.Obj) v;
    assertEquals(1, o.line());
    assertEquals(2, o.column());
    Json.Arr a = (Json.Arr) o.get("a");
    assertEquals(List.of(new Json.Num("1", 1, 9), new Json.Num("-0.50", 1, 12),
        new Json.Num("2E+3", 1, 19), new Json.Bool(true, 1, 25), new Json.Bool(false, 1, 31),
        new Json.Null(1, 38)), a.items());
    assertEquals("x\"\\/", ((Json.Str) o.get("b\u00e9\n")).value());
  }

  @Test
  void positionsCountLinesAndColumns() {
    Json.Obj o = (Json.Obj) JsonParser.parse("{\n  \"k\":\r\n\t[\r  7]}", "t.json");
    Json.Arr a = (Json.Arr) o.get("k");
    assertEquals("3:2", a.at()); // after "\r\n" the tab is column 1
    assertEquals("4:3", a.items().get(0).at()); // a lone "\r" ends a line too
    assertEquals("2:3", o.member("k").line() + ":" + o.member("k").column());
  }

  @Test
  void surrogatePairEscapesMakeOneCodePoint() {
    Json.Str s = (Json.Str) JsonParser.parse("\"\\ud83d\\ude00\"", "t.json");
    assertEquals("\uD83D\uDE00", s.value());
  }

  @Test
  void syntaxErrorsNameLineColumnExpectationAndFinding() {
    assertEquals("t.json:1:1: expected a JSON value, found end of input (the file is empty)",
        error(""));
    assertEquals("t.json:1:9: expected a member name after ',', found '}' (trailing commas are "
        + "not JSON)", error("{\"a\": 1,}"));
    assertEquals("t.json:1:8: expected a value after ',', found ']' (trailing commas are not "
        + "JSON)", error("[1, 2, ]"));
    assertEquals("t.json:1:6: expected ':' after the member name \"a\", found '1'",
        error("{\"a\" 1}"));
    assertEquals("t.json:1:3: leading zeros are not allowed in JSON numbers", error("[01]"));
    assertEquals("t.json:1:4: unterminated string: expected '\"', found end of input",
        error("\"ab"));
    assertEquals("t.json:1:5: invalid escape \\q (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
        + "\\uXXXX)", error("[\"a\\qb\"]"));
    assertEquals("t.json:1:4: control character U+0009 inside a string (write it as an escape "
        + "such as \\n)", error("[\"a\tb\"]"));
    assertEquals("t.json:1:10: duplicate key \"a\" in the object that starts at 1:1",
        error("{\"a\": 1, \"a\": 2}"));
    assertEquals("t.json:1:4: expected end of input after the top-level value, found 'x'",
        error("{} x"));
    assertEquals("t.json:2:8: expected a value, found 'tru'", error("{\n  \"a\": tru\n}"));
    assertEquals("t.json:1:7: expected a value, found 'NaN' (NaN and Infinity are not JSON "
        + "numbers; a model needs finite numbers)", error("{\"x\": NaN}"));
    assertEquals("t.json:1:2: expected a value, found 'Infinity' (NaN and Infinity are not JSON"
        + " numbers; a model needs finite numbers)", error("[Infinity]"));
    assertEquals("t.json:1:3: expected a digit after '-', found 'Infinity'",
        error("[-Infinity]"));
    assertEquals("t.json:1:4: expected a digit after the decimal point, found ']'",
        error("[1.]"));
    assertEquals("t.json:1:2: expected a value (object, array, string, number, true, false or "
        + "null), found '+'", error("[+1]"));
    assertEquals("t.json:1:2: expected a member name in double quotes, found '''",
        error("{'a': 1}"));
    assertEquals("t.json:1:4: expected ',' or ']' after an array element, found '2'",
        error("[1 2]"));
    assertEquals("t.json:1:6: expected 4 hex digits after \\u, found 'g'",
        error("\"\\u12g4\""));
  }

  @Test
  void deepNestingIsRefusedBeforeTheStackOverflows() {
    String deep = "[".repeat(JsonParser.MAX_DEPTH + 1) + "]".repeat(JsonParser.MAX_DEPTH + 1);
    assertEquals("t.json:1:" + (JsonParser.MAX_DEPTH + 1) + ": nesting deeper than "
        + JsonParser.MAX_DEPTH + " levels", error(deep));
    String ok = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
    assertTrue(JsonParser.parse(ok, "t.json") instanceof Json.Arr);
  }

  @Test
  void aByteOrderMarkIsIgnored() {
    assertEquals(new Json.Num("1", 1, 1), JsonParser.parse("\uFEFF1", "t.json"));
  }

  @Test
  void filesMustBeUtf8(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("latin1.json");
    Files.write(f, "{\"format\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    ModelException e = assertThrows(ModelException.class, () -> ModelFiles.readJson(f));
    assertEquals(f + ": byte 15 (0xe9) is not valid UTF-8 (JSON files must be UTF-8)",
        e.getMessage());
  }
}
