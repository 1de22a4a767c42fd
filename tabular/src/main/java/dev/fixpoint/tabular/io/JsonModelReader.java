package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.fraction.BigFraction;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code fixpoint-mdp/1} JSON form (shared/spec/model-format.md) from a parsed JSON
 * value, collecting every problem before it refuses the file.
 *
 * <p>Numbers are exact. Outcomes with the same next state are merged; outcomes with probability 0
 * are dropped. The expected reward of a row is r(s, a) = (sum_k p_k r_k) / (sum_k p_k): for a row
 * that sums to exactly 1 this is the usual expectation; for a row of a double model it removes the
 * rounding error of the probabilities from the reward (a reward that is the same for every outcome
 * is read back as that reward). The reward of a transition, E[r | s, a, s'], is the
 * probability-weighted mean of the rewards of the outcomes with that next state; the model keeps
 * it ({@link TabularMdp#entryReward(int)}) when it differs from r(s, a). Rows keep the file order
 * within each state.
 *
 * <p>The model is exact when every row and the initial distribution sum to exactly 1. When some
 * sum misses 1 by at most {@value Dist#TOLERANCE}, the model is a double model and one warning
 * names the first such place; a larger miss is an error.
 */
final class JsonModelReader {
  static final String FORMAT = "fixpoint-mdp/1";
  private static final List<String> TOP = List.of("format", "name", "discount", "states",
      "numStates", "actions", "numActions", "initial", "terminal", "transitions");
  private static final Set<String> TOP_REQUIRED = Set.of("format", "discount", "transitions");
  private static final List<String> TRANSITION = List.of("state", "action", "outcomes");
  private static final List<String> OUTCOME = List.of("next", "prob", "reward");
  private static final BigFraction TOLERANCE = Rationals.of(new BigDecimal("1e-9"));

  /** A row as read: its action and its merged outcomes (next -> [prob, prob * reward]). */
  private record Row(int action, TreeMap<Integer, BigFraction[]> outcomes, BigFraction sum) {}

  private final JsonFields f;
  private final String source;
  private @Nullable String firstInexact;
  private int inexactCount;

  private JsonModelReader(String source) {
    this.source = source;
    this.f = new JsonFields(source);
  }

  /**
   * Reads a model.
   *
   * @param root the parsed file
   * @param source the file name, for messages
   * @param defaultName the model name when the file has no {@code name}
   * @return the model and its warnings
   * @throws ModelException listing every problem found
   */
  static LoadedModel read(Json root, String source, String defaultName) {
    return new JsonModelReader(source).model(root, defaultName);
  }

  private LoadedModel model(Json root, String defaultName) {
    if (!(root instanceof Json.Obj o)) {
      throw new ModelException(source + ":" + root.at() + ": expected an object with \"format\": "
          + JsonText.quote(FORMAT) + ", found " + root.describe());
    }
    f.checkKeys(o, "", TOP, TOP_REQUIRED);
    Json fv = o.get("format");
    if (fv != null) {
      String fmt = f.string(fv, "format");
      if (fmt != null && !fmt.equals(FORMAT)) {
        f.problem(fv, "format", "expected " + JsonText.quote(FORMAT) + ", found "
            + JsonText.quote(fmt));
      }
    }
    String name = defaultName;
    Json nv = o.get("name");
    if (nv != null) {
      String n = f.string(nv, "name");
      name = n == null ? name : n;
    }
    BigFraction discount = null;
    Json dv = o.get("discount");
    if (dv != null) {
      discount = f.number(dv, "discount", "");
      if (discount != null && (Rationals.signum(discount) < 0
          || discount.compareTo(BigFraction.ONE) > 0)) {
        f.problem(dv, "discount", Rationals.format(discount) + " is outside [0, 1]");
        discount = null;
      }
    }
    List<String> states = names(o, "states", "numStates", "state");
    List<String> actions = names(o, "actions", "numActions", "action");
    Indexer<String> si = states == null ? null : Indexer.of("state", states);
    Indexer<String> ai = actions == null ? null : Indexer.of("action", actions);
    boolean[] terminal = terminal(o.get("terminal"), si);
    List<List<Row>> rows = transitions(o.get("transitions"), si, ai, terminal);
    BigFraction[] initial = initial(o.get("initial"), si, terminal);
    if (!f.problems().isEmpty()) {
      throw new ModelException(f.problems());
    }
    // no problem recorded: every piece is present
    return build(name, requireNonNull(si), requireNonNull(ai), requireNonNull(rows),
        requireNonNull(terminal), requireNonNull(discount), requireNonNull(initial));
  }

  private @Nullable List<String> names(Json.Obj o, String listKey, String countKey,
      String kind) {
    Json list = o.get(listKey);
    Json count = o.get(countKey);
    if (list != null && count != null) {
      f.problem(count, countKey, "give either " + JsonText.quote(listKey) + " or "
          + JsonText.quote(countKey) + ", not both");
      return null;
    }
    if (list == null && count == null) {
      f.problem(o, "", "missing key " + JsonText.quote(listKey) + " (or "
          + JsonText.quote(countKey) + ")");
      return null;
    }
    if (count != null) {
      int n = f.count(count, countKey, Mdp.DEFAULT_MAX_STATES);
      return n < 0 ? null : Indexer.numbered(kind, n).values();
    }
    Json.Arr arr = f.array(list, listKey);
    if (arr == null) {
      return null;
    }
    if (arr.items().isEmpty()) {
      f.problem(arr, listKey, "empty (a model needs at least one " + kind + ")");
      return null;
    }
    List<String> out = new ArrayList<>(arr.items().size());
    Map<String, Integer> first = new HashMap<>();
    boolean ok = true;
    for (int i = 0; i < arr.items().size(); i++) {
      Json item = arr.items().get(i);
      String path = listKey + "[" + i + "]";
      String s = f.string(item, path);
      if (s == null) {
        ok = false;
        continue;
      }
      Integer prev = first.putIfAbsent(s, i);
      if (prev != null) {
        f.problem(item, path, kind + " " + JsonText.quote(s) + " is listed twice (first at "
            + listKey + "[" + prev + "])");
        ok = false;
      }
      out.add(s);
    }
    return ok ? out : null;
  }

  private boolean @Nullable [] terminal(@Nullable Json v, @Nullable Indexer<String> si) {
    boolean[] out = si == null ? null : new boolean[si.size()];
    if (v == null) {
      return out;
    }
    Json.Arr arr = f.array(v, "terminal");
    if (arr == null) {
      return null;
    }
    for (int i = 0; i < arr.items().size(); i++) {
      Json item = arr.items().get(i);
      String path = "terminal[" + i + "]";
      String s = f.string(item, path);
      if (s == null || si == null || out == null) {
        continue;
      }
      int k = si.find(s);
      if (k < 0) {
        f.problem(item, path, "unknown state " + JsonText.quote(s));
      } else if (out[k]) {
        f.problem(item, path, "state " + JsonText.quote(s) + " is listed twice");
      } else {
        out[k] = true;
      }
    }
    return out;
  }

  private @Nullable List<List<Row>> transitions(@Nullable Json v, @Nullable Indexer<String> si,
      @Nullable Indexer<String> ai, boolean @Nullable [] terminal) {
    Json.Arr arr = v == null ? null : f.array(v, "transitions");
    if (arr == null) {
      return null;
    }
    List<List<Row>> rows = new ArrayList<>();
    for (int s = 0; si != null && s < si.size(); s++) {
      rows.add(new ArrayList<>());
    }
    Map<Long, Integer> seen = new HashMap<>();
    // states named by some transition, valid or not: only the others lack an action
    boolean[] named = new boolean[si == null ? 0 : si.size()];
    boolean unresolved = false; // a transition whose state is bad may be meant for any state
    for (int i = 0; i < arr.items().size(); i++) {
      String path = "transitions[" + i + "]";
      Json.Obj t = f.object(arr.items().get(i), path);
      if (t == null) {
        continue;
      }
      f.checkKeys(t, path, TRANSITION, Set.of("state", "action", "outcomes"));
      int s = reference(t.get("state"), path + ".state", si, "state");
      int a = reference(t.get("action"), path + ".action", ai, "action");
      String sName = t.get("state") instanceof Json.Str x ? x.value() : "?";
      String aName = t.get("action") instanceof Json.Str x ? x.value() : "?";
      String context = " (state " + sName + ", action " + aName + ")";
      if (s >= 0) {
        named[s] = true;
      } else {
        unresolved = true;
      }
      if (s >= 0 && a >= 0) {
        Integer prev = seen.putIfAbsent((long) s * Integer.MAX_VALUE + a, i);
        if (prev != null) {
          f.problem(t, path, "state " + sName + ", action " + aName
              + " is listed twice (first at transitions[" + prev + "])");
        }
        if (terminal != null && terminal[s]) {
          f.problem(t, path, "state " + sName + " is terminal and must have no transitions");
        }
      }
      Json ov = t.get("outcomes");
      Row row = ov == null ? null : outcomes(ov, path + ".outcomes", context, si, Math.max(a, 0));
      if (row != null && s >= 0 && a >= 0) {
        rows.get(s).add(row);
      }
    }
    for (int s = 0; si != null && terminal != null && !unresolved && s < si.size(); s++) {
      if (!terminal[s] && !named[s]) {
        f.problem(arr, "transitions", "state " + si.value(s) + " has no available action (add"
            + " a transition or list it in \"terminal\")");
      }
    }
    return rows;
  }

  private @Nullable Row outcomes(Json v, String path, String context,
      @Nullable Indexer<String> si, int action) {
    Json.Arr arr = f.array(v, path + context);
    if (arr == null) {
      return null;
    }
    if (arr.items().isEmpty()) {
      f.problem(arr, path + context, "no outcomes (a row needs at least one)");
      return null;
    }
    TreeMap<Integer, BigFraction[]> merged = new TreeMap<>();
    BigFraction sum = BigFraction.ZERO;
    boolean ok = true;
    for (int k = 0; k < arr.items().size(); k++) {
      String p = path + "[" + k + "]";
      Json.Obj o = f.object(arr.items().get(k), p + context);
      if (o == null) {
        ok = false;
        continue;
      }
      f.checkKeys(o, p, OUTCOME, Set.of("next", "prob", "reward"));
      Json nv = o.get("next");
      Json pv = o.get("prob");
      Json rv = o.get("reward");
      int next = reference(nv, p + ".next", si, "state");
      BigFraction prob = pv == null ? null : f.number(pv, p + ".prob", context);
      BigFraction reward = rv == null ? null : f.number(rv, p + ".reward", context);
      if (prob != null && Rationals.signum(prob) < 0) {
        f.problem(pv, p + ".prob" + context, "probability " + Rationals.format(prob)
            + " is negative");
        prob = null;
      } else if (prob != null && prob.compareTo(BigFraction.ONE) > 0) {
        f.problem(pv, p + ".prob" + context, "probability " + Rationals.format(prob)
            + " is greater than 1");
        prob = null;
      }
      if (prob == null || reward == null) {
        ok = false;
        continue;
      }
      sum = sum.add(prob);
      if (next >= 0 && Rationals.signum(prob) > 0) {
        BigFraction[] acc = merged.computeIfAbsent(next,
            x -> new BigFraction[] {BigFraction.ZERO, BigFraction.ZERO});
        acc[0] = acc[0].add(prob);
        acc[1] = acc[1].add(prob.multiply(reward));
      }
    }
    if (!ok) {
      return null;
    }
    if (!sum.equals(BigFraction.ONE)) {
      if (!withinTolerance(sum)) {
        f.problem(arr, path + context, "probabilities sum to " + Rationals.format(sum)
            + ", expected 1");
        return null;
      }
      noteInexact(path + context, sum);
    }
    return new Row(action, merged, sum);
  }

  private int reference(@Nullable Json v, String path, @Nullable Indexer<String> index,
      String kind) {
    if (v == null) {
      return -1;
    }
    String name = f.string(v, path);
    if (name == null || index == null) {
      return -1;
    }
    int k = index.find(name);
    if (k < 0) {
      f.problem(v, path, "unknown " + kind + " " + JsonText.quote(name) + " (not in the "
          + kind + "s)");
    }
    return k;
  }

  private BigFraction @Nullable [] initial(@Nullable Json v, @Nullable Indexer<String> si,
      boolean @Nullable [] terminal) {
    if (si == null) {
      return null;
    }
    BigFraction[] out = new BigFraction[si.size()];
    Arrays.fill(out, BigFraction.ZERO);
    if (v == null) {
      if (terminal == null) {
        return null;
      }
      int live = 0;
      for (boolean t : terminal) {
        live += t ? 0 : 1;
      }
      for (int s = 0; s < out.length; s++) {
        if (live == 0 || !terminal[s]) {
          out[s] = new BigFraction(1, live == 0 ? out.length : live);
        }
      }
      return out;
    }
    Json.Obj o = f.object(v, "initial");
    if (o == null) {
      return null;
    }
    BigFraction sum = BigFraction.ZERO;
    boolean ok = true;
    for (Json.Member m : o.members()) {
      String path = "initial." + m.key();
      int s = si.find(m.key());
      BigFraction p = f.number(m.value(), path, "");
      if (s < 0) {
        f.problem(m.value(), path, "unknown state " + JsonText.quote(m.key()));
        ok = false;
      } else if (p != null && (Rationals.signum(p) < 0 || p.compareTo(BigFraction.ONE) > 0)) {
        f.problem(m.value(), path, "probability " + Rationals.format(p) + " is outside [0, 1]");
        ok = false;
      } else if (p == null) {
        ok = false;
      } else {
        out[s] = p;
        sum = sum.add(p);
      }
    }
    if (!ok) {
      return null;
    }
    if (!sum.equals(BigFraction.ONE)) {
      if (!withinTolerance(sum)) {
        f.problem(o, "initial", "probabilities sum to " + Rationals.format(sum)
            + ", expected 1");
        return null;
      }
      noteInexact("initial", sum);
    }
    return out;
  }

  private static boolean withinTolerance(BigFraction sum) {
    return sum.subtract(BigFraction.ONE).abs().compareTo(TOLERANCE) <= 0;
  }

  private void noteInexact(String where, BigFraction sum) {
    if (inexactCount++ == 0) {
      firstInexact = where + ": probabilities sum to 1 only within " + Dist.TOLERANCE
          + " (off by " + Rationals.toDouble(sum.subtract(BigFraction.ONE)) + ")";
    }
  }

  private LoadedModel build(String name, Indexer<String> si, Indexer<String> ai,
      List<List<Row>> rows, boolean[] terminal, BigFraction discount, BigFraction[] initial) {
    int n = si.size();
    int numRows = 0;
    int numEntries = 0;
    for (List<Row> rs : rows) {
      numRows += rs.size();
      for (Row r : rs) {
        numEntries += r.outcomes().size();
      }
    }
    int[] rowStart = new int[n + 1];
    int[] rowAction = new int[numRows];
    int[] entryStart = new int[numRows + 1];
    int[] next = new int[numEntries];
    BigFraction[] prob = new BigFraction[numEntries];
    BigFraction[] reward = new BigFraction[numRows];
    double[] entryReward = new double[numEntries];
    boolean constant = true;
    int r = 0;
    int k = 0;
    for (int s = 0; s < n; s++) {
      rowStart[s] = r;
      for (Row row : rows.get(s)) {
        rowAction[r] = row.action();
        entryStart[r] = k;
        BigFraction expected = BigFraction.ZERO;
        for (Map.Entry<Integer, BigFraction[]> e : row.outcomes().entrySet()) {
          next[k] = e.getKey();
          prob[k] = e.getValue()[0];
          expected = expected.add(e.getValue()[1]);
          entryReward[k] = Rationals.toDouble(e.getValue()[1].divide(e.getValue()[0]));
          k++;
        }
        reward[r] = expected.divide(row.sum());
        double rr = Rationals.toDouble(reward[r]);
        for (int q = entryStart[r]; q < k; q++) {
          constant &= entryReward[q] == rr;
        }
        r++;
      }
    }
    rowStart[n] = r;
    entryStart[numRows] = k;
    if (inexactCount == 0) {
      TabularMdp<String, String> m = TabularMdp.of(name, si, ai, rowStart, rowAction,
          entryStart, next, new double[numEntries], new double[numRows], terminal, 0,
          new double[n], new TabularMdp.Exact(prob, reward, discount, initial));
      return withEntryRewards(m, constant ? null : entryReward, List.of());
    }
    TabularMdp<String, String> m = TabularMdp.of(name, si, ai, rowStart, rowAction, entryStart,
        next, Rationals.toDoubles(prob), Rationals.toDoubles(reward), terminal,
        Rationals.toDouble(discount), Rationals.toDoubles(initial), null);
    String more = inexactCount == 1 ? "" : " (and " + (inexactCount - 1) + " more)";
    return withEntryRewards(m, constant ? null : entryReward, List.of(source + ": "
        + firstInexact + more
        + "; read as a double model (isExact() false): exact computations will refuse it"));
  }

  /**
   * Keeps the transition rewards E[r | s, a, s'] when some differ from r(s, a). Their average is
   * r(s, a) up to the rounding of doubles; should the model's check still refuse them (rewards so
   * large that rounding exceeds its tolerance), the model keeps r(s, a) and a warning says so.
   */
  private LoadedModel withEntryRewards(TabularMdp<String, String> m,
      double @Nullable [] entryReward, List<String> warnings) {
    if (entryReward == null) {
      return new LoadedModel(m, warnings);
    }
    try {
      return new LoadedModel(m.withEntryRewards(entryReward), warnings);
    } catch (ModelException e) {
      List<String> w = new ArrayList<>(warnings);
      w.add(source + ": rewards per next state not kept (" + e.getMessage()
          + "); transitions carry r(s, a)");
      return new LoadedModel(m, w);
    }
  }

  private static <T> T requireNonNull(@Nullable T t) {
    if (t == null) {
      throw new IllegalStateException("a piece of the model is missing but no problem was recorded");
    }
    return t;
  }
}
