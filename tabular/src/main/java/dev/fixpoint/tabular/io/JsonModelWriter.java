package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * Writes the canonical {@code fixpoint-mdp/1} text of a tabular MDP: keys in the order of the
 * spec, {@code states} and {@code actions} listed, the initial distribution written out (states
 * with probability 0 left out), {@code terminal} only when some state is terminal, one line per
 * (state, action) row in row order with one outcome per stored next state, each carrying the
 * transition's expected reward E[r | s, a, s'] ({@link TabularMdp#entryReward(int)}).
 *
 * <p>In an exact model the row rewards r(s, a) are rational but the transition rewards are kept
 * as doubles only. The writer keeps r(s, a) exact: when every transition reward of a row equals
 * r(s, a) it writes r(s, a) for each outcome; otherwise it writes each transition reward as the
 * decimal it prints as and, if those decimals do not average to r(s, a) exactly, replaces the
 * last one by the value that makes the average exact (it then differs from the stored double by
 * a rounding error).
 *
 * <p>Numbers of an exact model are integers (JSON numbers) or {@code "p/q"} strings; numbers of a
 * double model are JSON numbers in the shortest decimal that reads back as the same double
 * ({@link Double#toString(double)}). {@link JsonModelReader} reads the text back to the same
 * arrays. States and actions are named by {@link String#valueOf(Object)}; two that print the same
 * are refused.
 */
final class JsonModelWriter {
  private JsonModelWriter() {}

  /**
   * {@return the canonical JSON text (UTF-8 when stored), ending with a line feed}
   *
   * @param m any tabular MDP
   * @throws ModelException when two states or two actions print as the same name
   */
  static String toJson(TabularMdp<?, ?> m) {
    List<String> states = names(m.states().values(), "state");
    List<String> actions = names(m.actions().values(), "action");
    boolean exact = m.isExact();
    TabularMdp.Exact e = exact ? m.exact() : null;
    StringBuilder b = new StringBuilder(256 + 96 * m.numEntries());
    b.append("{\n");
    b.append("  \"format\": ").append(JsonText.quote(JsonModelReader.FORMAT)).append(",\n");
    b.append("  \"name\": ").append(JsonText.quote(m.name())).append(",\n");
    b.append("  \"discount\": ")
        .append(e != null ? exact(e.discount()) : inexact(m.discount())).append(",\n");
    b.append("  \"states\": ");
    list(b, states);
    b.append(",\n  \"actions\": ");
    list(b, actions);
    b.append(",\n  \"initial\": {");
    String sep = "";
    for (int s = 0; s < m.numStates(); s++) {
      boolean zero = e != null ? Rationals.signum(e.initial()[s]) == 0 : m.initial(s) == 0;
      if (!zero) {
        b.append(sep).append(JsonText.quote(states.get(s))).append(": ")
            .append(e != null ? exact(e.initial()[s]) : inexact(m.initial(s)));
        sep = ", ";
      }
    }
    b.append("},\n");
    List<String> terminal = new ArrayList<>();
    for (int s = 0; s < m.numStates(); s++) {
      if (m.isTerminal(s)) {
        terminal.add(states.get(s));
      }
    }
    if (!terminal.isEmpty()) {
      b.append("  \"terminal\": ");
      list(b, terminal);
      b.append(",\n");
    }
    b.append("  \"transitions\": [");
    for (int r = 0; r < m.numRows(); r++) {
      b.append(r == 0 ? "\n" : ",\n");
      b.append("    {\"state\": ").append(JsonText.quote(states.get(m.rowState(r))))
          .append(", \"action\": ").append(JsonText.quote(actions.get(m.rowAction(r))))
          .append(", \"outcomes\": [");
      String[] rewards = e != null ? exactRewards(m, e, r) : null;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        b.append(k == m.entryStart(r) ? "" : ", ")
            .append("{\"next\": ").append(JsonText.quote(states.get(m.next(k))))
            .append(", \"prob\": ").append(e != null ? exact(e.prob()[k]) : inexact(m.prob(k)))
            .append(", \"reward\": ")
            .append(rewards != null ? rewards[k - m.entryStart(r)] : inexact(m.entryReward(k)))
            .append('}');
      }
      b.append("]}");
    }
    b.append(m.numRows() == 0 ? "]\n" : "\n  ]\n");
    b.append("}\n");
    return b.toString();
  }

  /** Transition rewards of row r whose probability-weighted sum is exactly r(s, a). */
  private static String[] exactRewards(TabularMdp<?, ?> m, TabularMdp.Exact e, int r) {
    int from = m.entryStart(r);
    int n = m.entryEnd(r) - from;
    String[] out = new String[n];
    boolean constant = true;
    for (int k = from; k < from + n; k++) {
      constant &= m.entryReward(k) == m.reward(r);
    }
    if (constant) {
      Arrays.fill(out, exact(e.reward()[r]));
      return out;
    }
    BigFraction[] xs = new BigFraction[n];
    BigFraction sum = BigFraction.ZERO;
    for (int j = 0; j < n; j++) {
      xs[j] = Rationals.fromDouble(m.entryReward(from + j));
      sum = sum.add(e.prob()[from + j].multiply(xs[j]));
    }
    if (!sum.equals(e.reward()[r])) {
      BigFraction rest = sum.subtract(e.prob()[from + n - 1].multiply(xs[n - 1]));
      xs[n - 1] = e.reward()[r].subtract(rest).divide(e.prob()[from + n - 1]);
    }
    for (int j = 0; j < n; j++) {
      out[j] = exact(xs[j]);
    }
    return out;
  }

  private static String exact(BigFraction f) {
    return f.getDenominator().equals(BigInteger.ONE) ? f.getNumerator().toString()
        : "\"" + Rationals.format(f) + "\"";
  }

  private static String inexact(double d) {
    return Double.toString(d == 0 ? 0.0 : d); // no "-0.0": it reads back as 0 anyway
  }

  private static void list(StringBuilder b, List<String> names) {
    b.append('[');
    for (int i = 0; i < names.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(JsonText.quote(names.get(i)));
    }
    b.append(']');
  }

  static List<String> names(List<?> values, String kind) {
    List<String> out = new ArrayList<>(values.size());
    Map<String, Integer> first = new HashMap<>();
    for (Object v : values) {
      String s = String.valueOf(v);
      Integer prev = first.putIfAbsent(s, out.size());
      if (prev != null) {
        throw new ModelException(kind + "s " + prev + " and " + out.size() + " both print as "
            + JsonText.quote(s) + "; a model file needs distinct " + kind + " names");
      }
      out.add(s);
    }
    return out;
  }
}
