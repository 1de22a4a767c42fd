package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.ModelException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A strict JSON parser (RFC 8259, T. Bray, 2017): exactly one value surrounded by optional
 * whitespace (space, tab, line feed, carriage return); no comments, no trailing commas, no single
 * quotes, no {@code NaN}/{@code Infinity}, no leading zeros or {@code +} in numbers, no raw
 * control characters in strings, no duplicate member names in an object (the RFC only says they
 * SHOULD be unique; a model file with a repeated key is a mistake). A leading byte order mark is
 * ignored (RFC 8259, section 8.1 allows that). Numbers keep their text.
 *
 * <p>The first error stops parsing with a {@link ModelException} whose message is {@code
 * source:line:column: what was expected, what was found}. Nesting deeper than {@value #MAX_DEPTH}
 * is refused instead of overflowing the stack. Not thread-safe (one instance per text).
 */
final class JsonParser {
  /** The deepest nesting of arrays and objects accepted. */
  static final int MAX_DEPTH = 256;

  private final String text;
  private final String source;
  private int pos;
  private int line = 1;
  private int lineStart;
  private int depth;

  private JsonParser(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /**
   * Parses one JSON text.
   *
   * @param text the JSON text
   * @param source the file name, for messages
   * @return the value
   * @throws ModelException at the first syntax error, with its line and column
   */
  static Json parse(String text, String source) {
    JsonParser p = new JsonParser(text, source);
    if (text.startsWith("\uFEFF")) {
      p.pos = 1;
      p.lineStart = 1;
    }
    p.skipWhitespace();
    if (p.pos >= text.length()) {
      throw p.error("expected a JSON value, found end of input (the file is empty)");
    }
    Json v = p.value();
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw p.error("expected end of input after the top-level value, found " + p.found());
    }
    return v;
  }

  private Json value() {
    if (pos >= text.length()) {
      throw error("expected a value, found end of input");
    }
    char c = text.charAt(pos);
    int l = line;
    int col = column();
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> new Json.Str(string(), l, col);
      case 't' -> literal("true", new Json.Bool(true, l, col));
      case 'f' -> literal("false", new Json.Bool(false, l, col));
      case 'n' -> literal("null", new Json.Null(l, col));
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield new Json.Num(number(), l, col);
        }
        if (text.startsWith("NaN", pos) || text.startsWith("Infinity", pos)
            || text.startsWith("+Infinity", pos)) {
          throw error("expected a value, found " + word() + " (NaN and Infinity are not JSON"
              + " numbers; a model needs finite numbers)");
        }
        throw error("expected a value (object, array, string, number, true, false or null), "
            + "found " + found());
      }
    };
  }

  private Json object() {
    int l = line;
    int col = column();
    enter();
    pos++; // '{'
    List<Json.Member> members = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return new Json.Obj(members, l, col);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name in double quotes, found " + found());
      }
      int kl = line;
      int kc = column();
      String key = string();
      if (!keys.add(key)) {
        throw new ModelException(source + ":" + kl + ":" + kc + ": duplicate key "
            + JsonText.quote(key) + " in the object that starts at " + l + ":" + col);
      }
      skipWhitespace();
      if (peek() != ':') {
        throw error("expected ':' after the member name " + JsonText.quote(key) + ", found "
            + found());
      }
      pos++;
      skipWhitespace();
      members.add(new Json.Member(key, kl, kc, value()));
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
        skipWhitespace();
        if (peek() == '}') {
          throw error("expected a member name after ',', found '}' (trailing commas are not "
              + "JSON)");
        }
      } else if (c == '}') {
        pos++;
        depth--;
        return new Json.Obj(members, l, col);
      } else {
        throw error("expected ',' or '}' after an object member, found " + found());
      }
    }
  }

  private Json array() {
    int l = line;
    int col = column();
    enter();
    pos++; // '['
    List<Json> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return new Json.Arr(items, l, col);
    }
    while (true) {
      skipWhitespace();
      items.add(value());
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
        skipWhitespace();
        if (peek() == ']') {
          throw error("expected a value after ',', found ']' (trailing commas are not JSON)");
        }
      } else if (c == ']') {
        pos++;
        depth--;
        return new Json.Arr(items, l, col);
      } else {
        throw error("expected ',' or ']' after an array element, found " + found());
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string: expected '\"', found end of input");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return b.toString();
      }
      if (c < 0x20) {
        throw error("control character " + codePoint(c) + " inside a string (write it as an "
            + "escape such as \\n)");
      }
      if (c != '\\') {
        b.append(c);
        pos++;
        continue;
      }
      pos++;
      if (pos >= text.length()) {
        throw error("unterminated escape: found end of input");
      }
      char e = text.charAt(pos);
      switch (e) {
        case '"' -> b.append('"');
        case '\\' -> b.append('\\');
        case '/' -> b.append('/');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          int v = 0;
          for (int k = 1; k <= 4; k++) {
            int d = pos + k < text.length() ? Character.digit(text.charAt(pos + k), 16) : -1;
            if (d < 0) {
              pos += k;
              throw error("expected 4 hex digits after \\u, found "
                  + (pos < text.length() ? "'" + text.charAt(pos) + "'" : "end of input"));
            }
            v = v * 16 + d;
          }
          b.append((char) v);
          pos += 4;
        }
        default -> throw error("invalid escape \\" + e + " (valid: \\\" \\\\ \\/ \\b \\f \\n \\r"
            + " \\t \\uXXXX)");
      }
      pos++;
    }
  }

  private String number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("leading zeros are not allowed in JSON numbers");
      }
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("expected a digit after '-', found " + found());
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("expected a digit after the decimal point, found " + found());
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("expected a digit in the exponent, found " + found());
      }
      digits();
    }
    return text.substring(start, pos);
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Json literal(String word, Json value) {
    if (!text.startsWith(word, pos)) {
      throw error("expected a value, found " + word());
    }
    pos += word.length();
    return value;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n' || (c == '\r' && (pos + 1 >= text.length() || text.charAt(pos + 1) != '\n'))) {
        pos++;
        line++;
        lineStart = pos;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  /** The current character, or U+FFFF at the end (never valid where it is tested). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\uFFFF';
  }

  private int column() {
    return pos - lineStart + 1;
  }

  private String found() {
    if (pos >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(pos);
    if (c < 0x20 || c == 0x7f) {
      return codePoint(c);
    }
    if (Character.isLetter(c)) {
      return word();
    }
    return "'" + text.substring(pos, pos + Character.charCount(text.codePointAt(pos))) + "'";
  }

  private String word() {
    int end = pos;
    while (end < text.length() && end - pos < 20
        && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '+')) {
      end++;
    }
    return "'" + text.substring(pos, Math.max(end, pos + 1)) + "'";
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  private ModelException error(String message) {
    return new ModelException(source + ":" + line + ":" + column() + ": " + message);
  }
}
