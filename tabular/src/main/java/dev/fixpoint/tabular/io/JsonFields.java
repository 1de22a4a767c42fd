package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.Rationals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.math3.fraction.BigFraction;
import org.jspecify.annotations.Nullable;

/**
 * Typed access to parsed JSON that collects problems instead of throwing: every accessor returns
 * {@code null} after recording a message {@code source:line:column: path: rule} when the value has
 * the wrong type or breaks a rule. Not thread-safe.
 */
final class JsonFields {
  /** The most digits after the decimal point accepted in a number (guards 1e-999999999). */
  static final int MAX_SCALE = 10_000;

  private final String source;
  private final List<String> problems = new ArrayList<>();

  JsonFields(String source) {
    this.source = source;
  }

  /** {@return the problems recorded so far, in order} */
  List<String> problems() {
    return problems;
  }

  /** Records a problem at a value. @param at where @param path key path @param message rule */
  void problem(Json at, String path, String message) {
    problems.add(source + ":" + at.at() + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  /**
   * Records every key of {@code o} not in {@code allowed} and every key of {@code required} that is
   * missing.
   *
   * @param o the object
   * @param path its key path ("" for the top level)
   * @param allowed the known keys, in the order the messages list them
   * @param required the keys that must be present
   */
  void checkKeys(Json.Obj o, String path, List<String> allowed, Set<String> required) {
    for (Json.Member m : o.members()) {
      if (!allowed.contains(m.key())) {
        problems.add(source + ":" + m.line() + ":" + m.column() + ": " + join(path, m.key())
            + ": unknown key " + JsonText.quote(m.key()) + " (known keys"
            + (path.isEmpty() ? "" : " of " + path) + ": " + String.join(", ", allowed) + ")");
      }
    }
    for (String k : allowed) {
      if (required.contains(k) && o.member(k) == null) {
        problem(o, path, "missing key " + JsonText.quote(k));
      }
    }
  }

  /** {@return a key path joined with a member name} @param path a path @param key a key */
  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Json.@Nullable Obj object(Json v, String path) {
    if (v instanceof Json.Obj o) {
      return o;
    }
    problem(v, path, "expected an object, found " + v.describe());
    return null;
  }

  Json.@Nullable Arr array(Json v, String path) {
    if (v instanceof Json.Arr a) {
      return a;
    }
    problem(v, path, "expected an array, found " + v.describe());
    return null;
  }

  @Nullable String string(Json v, String path) {
    if (v instanceof Json.Str s) {
      return s.value();
    }
    problem(v, path, "expected a string, found " + v.describe());
    return null;
  }

  /**
   * A count: a JSON number whose value is an integer in [1, max].
   *
   * @param v the value
   * @param path its key path
   * @param max the largest count accepted
   * @return the count, or -1 after recording a problem
   */
  int count(Json v, String path, int max) {
    if (!(v instanceof Json.Num n)) {
      problem(v, path, "expected a positive integer, found " + v.describe());
      return -1;
    }
    BigDecimal d = new BigDecimal(n.text()).stripTrailingZeros();
    if (d.scale() > 0) {
      problem(v, path, n.text() + " is not an integer");
      return -1;
    }
    if (d.signum() <= 0 || (long) d.precision() - d.scale() > 10
        || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      problem(v, path, n.text() + " is outside [1, " + max + "]");
      return -1;
    }
    return d.intValueExact();
  }

  /**
   * An exact, finite number: a JSON number read from its decimal text, or a string holding an
   * integer, a decimal or a fraction "p/q". NaN and infinities (in any spelling) are refused, and
   * so is any number whose magnitude exceeds the largest double (it could not be computed with in
   * the double tier).
   *
   * @param v the value
   * @param path its key path
   * @param context extra words after the path (", state s0, action go"), may be empty
   * @return the exact value, or null after recording a problem
   */
  @Nullable BigFraction number(Json v, String path, String context) {
    String where = path + context;
    return switch (v) {
      case Json.Num n -> decimal(v, where, n.text(), n.text());
      case Json.Str s -> fromString(v, where, s.value());
      default -> {
        problem(v, where, "expected a number (or a string holding an integer, a decimal or a "
            + "fraction \"p/q\"), found " + v.describe());
        yield null;
      }
    };
  }

  private @Nullable BigFraction fromString(Json v, String where, String text) {
    String t = text.strip();
    String lower = t.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
    if (lower.equals("nan") || lower.startsWith("inf")) {
      problem(v, where, JsonText.quote(text) + " is not a finite number (NaN and infinities are "
          + "not allowed)");
      return null;
    }
    int slash = t.indexOf('/');
    if (slash < 0) {
      return decimal(v, where, t, JsonText.quote(text));
    }
    BigInteger p;
    BigInteger q;
    try {
      p = new BigInteger(t.substring(0, slash).strip());
      q = new BigInteger(t.substring(slash + 1).strip());
    } catch (NumberFormatException e) {
      problem(v, where, JsonText.quote(text) + " is not a number (expected an integer, a decimal"
          + " or a fraction \"p/q\" of two integers)");
      return null;
    }
    if (q.signum() == 0) {
      problem(v, where, JsonText.quote(text) + ": the denominator is zero");
      return null;
    }
    return finite(v, where, new BigFraction(p, q), JsonText.quote(text));
  }

  private @Nullable BigFraction decimal(Json v, String where, String text, String shown) {
    BigDecimal d;
    try {
      d = new BigDecimal(text);
    } catch (NumberFormatException e) {
      problem(v, where, shown + " is not a number (expected an integer, a decimal or a fraction "
          + "\"p/q\")");
      return null;
    }
    if (d.signum() == 0) {
      return BigFraction.ZERO;
    }
    // digits before the point: precision - scale; beyond 309 the value exceeds Double.MAX_VALUE
    if ((long) d.precision() - d.scale() > 309) {
      problem(v, where, shown + " is not finite as a double (its magnitude exceeds "
          + Double.MAX_VALUE + ")");
      return null;
    }
    if (d.scale() > MAX_SCALE) {
      problem(v, where, shown + " has more than " + MAX_SCALE + " digits after the decimal point");
      return null;
    }
    return finite(v, where, Rationals.of(d), shown);
  }

  private @Nullable BigFraction finite(Json v, String where, BigFraction f, String shown) {
    if (Double.isInfinite(Rationals.toDouble(f))) {
      problem(v, where, shown + " is not finite as a double (its magnitude exceeds "
          + Double.MAX_VALUE + ")");
      return null;
    }
    return f;
  }
}
