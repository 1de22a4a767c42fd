package dev.fixpoint.tabular.io;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A parsed JSON value (RFC 8259) with the line and column where it starts. Numbers keep their
 * text, so that a reader can take {@code 0.9} as exactly 9/10 instead of the nearest double.
 */
sealed interface Json {
  /** {@return the 1-based line where the value starts} */
  int line();

  /** {@return the 1-based column (in UTF-16 units) where the value starts} */
  int column();

  /** {@return "line:column"} */
  default String at() {
    return line() + ":" + column();
  }

  /** {@return a short description for messages: the kind and, for scalars, the value} */
  default String describe() {
    return switch (this) {
      case Obj o -> "an object";
      case Arr a -> "an array";
      case Str s -> "the string " + JsonText.quote(s.value());
      case Num n -> "the number " + n.text();
      case Bool b -> b.value() ? "true" : "false";
      case Null n -> "null";
    };
  }

  /**
   * An object member: its key, where the key starts, and its value.
   *
   * @param key the member name
   * @param line line of the key
   * @param column column of the key
   * @param value the member value
   */
  record Member(String key, int line, int column, Json value) {}

  /**
   * A JSON object; member names are unique (the parser rejects duplicates) and kept in order.
   *
   * @param members the members in file order
   * @param line line of the opening brace
   * @param column column of the opening brace
   */
  record Obj(List<Member> members, int line, int column) implements Json {
    public Obj {
      members = List.copyOf(members);
    }

    /** {@return the member with this key, or null} @param key a member name */
    @Nullable Member member(String key) {
      for (Member m : members) {
        if (m.key().equals(key)) {
          return m;
        }
      }
      return null;
    }

    /** {@return the value of this key, or null} @param key a member name */
    @Nullable Json get(String key) {
      Member m = member(key);
      return m == null ? null : m.value();
    }
  }

  /**
   * A JSON array.
   *
   * @param items the elements in order
   * @param line line of the opening bracket
   * @param column column of the opening bracket
   */
  record Arr(List<Json> items, int line, int column) implements Json {
    public Arr {
      items = List.copyOf(items);
    }
  }

  /**
   * A JSON string, escapes resolved.
   *
   * @param value the string
   * @param line line of the opening quote
   * @param column column of the opening quote
   */
  record Str(String value, int line, int column) implements Json {}

  /**
   * A JSON number, kept as its text (valid RFC 8259 number syntax).
   *
   * @param text the number as written
   * @param line line of its first character
   * @param column column of its first character
   */
  record Num(String text, int line, int column) implements Json {}

  /**
   * {@code true} or {@code false}.
   *
   * @param value the boolean
   * @param line line
   * @param column column
   */
  record Bool(boolean value, int line, int column) implements Json {}

  /**
   * {@code null}.
   *
   * @param line line
   * @param column column
   */
  record Null(int line, int column) implements Json {}
}
