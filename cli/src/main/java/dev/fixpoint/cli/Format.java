package dev.fixpoint.cli;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import dev.fixpoint.tabular.io.ModelFiles;
import java.util.ArrayList;
import java.util.List;

/** Text and JSON renderings shared by the commands: tables for people, JSON for programs. */
final class Format {
  private Format() {}

  /** A number as the contract says: "p/q" or an integer when exact, else Double.toString. */
  static String number(ValueFunction<?> v, int s, boolean exact) {
    return exact ? Rationals.format(v.toExactArray()[s]) : Double.toString(v.valueAt(s));
  }

  static String quote(String s) {
    return ModelFiles.jsonString(s);
  }

  /** {"state": "value", ...} over every state (terminal states included, value 0). */
  static String valuesJson(TabularMdp<?, ?> m, ValueFunction<?> v, boolean exact) {
    List<String> parts = new ArrayList<>();
    for (int s = 0; s < m.numStates(); s++) {
      parts.add(quote(String.valueOf(m.states().value(s))) + ": " + quote(number(v, s, exact)));
    }
    return "{" + String.join(", ", parts) + "}";
  }

  /** {"state": "action"} over the non-terminal states (the most likely action). */
  static String actionsJson(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi) {
    List<String> parts = new ArrayList<>();
    for (int s = 0; s < m.numStates(); s++) {
      if (!m.isTerminal(s)) {
        parts.add(quote(String.valueOf(m.states().value(s))) + ": "
            + quote(String.valueOf(m.actions().value(m.rowAction(bestRow(m, pi, s))))));
      }
    }
    return "{" + String.join(", ", parts) + "}";
  }

  /** {"state": {"action": "prob"}} over the non-terminal states, rows with probability > 0. */
  static String distributionsJson(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi) {
    List<String> parts = new ArrayList<>();
    for (int s = 0; s < m.numStates(); s++) {
      if (m.isTerminal(s)) {
        continue;
      }
      List<String> as = new ArrayList<>();
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (pi.probAt(r) > 0) {
          String p = pi.isExact() ? Rationals.format(pi.toExactArray()[r])
              : Double.toString(pi.probAt(r));
          as.add(quote(String.valueOf(m.actions().value(m.rowAction(r)))) + ": " + quote(p));
        }
      }
      parts.add(quote(String.valueOf(m.states().value(s))) + ": {" + String.join(", ", as) + "}");
    }
    return "{" + String.join(", ", parts) + "}";
  }

  static String certificateJson(Certificate c) {
    String bound = c.bound().isPresent() ? quote(Double.toString(c.bound().getAsDouble()))
        : "null";
    return "{\"kind\": " + quote(c.kind()) + ", \"bound\": " + bound + ", \"explain\": "
        + quote(c.explain()) + "}";
  }

  static int bestRow(TabularMdp<?, ?> m, TabularPolicy<?, ?> pi, int s) {
    int best = m.rowStart(s);
    for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
      if (pi.probAt(r) > pi.probAt(best)) {
        best = r;
      }
    }
    return best;
  }

  /** A left-aligned table; the header row first. */
  static List<String> table(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] row : rows) {
      for (int c = 0; c < cols; c++) {
        w[c] = Math.max(w[c], row[c].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder b = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        b.append(c == 0 ? "" : "  ").append(row[c]);
        if (c < cols - 1) {
          b.append(" ".repeat(w[c] - row[c].length()));
        }
      }
      out.add(b.toString().stripTrailing());
    }
    return out;
  }

  static String describe(TabularMdp<?, ?> m) {
    return "model " + m.name() + ": " + m.numStates() + " states, " + m.numActions()
        + " actions, discount "
        + (m.isExact() ? Rationals.format(m.exact().discount()) : Double.toString(m.discount()))
        + (m.isExact() ? " (exact)" : " (double)");
  }
}
