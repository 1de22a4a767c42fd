package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code fixpoint-mdp-npz/1} form (shared/spec/model-format.md): eight required and
 * three optional {@code .npy} members describing a canonical CSR matrix of S*A rows (row s*A + a
 * is the pair (s, a)) over S columns.
 *
 * <p>Every dtype, shape, range and row sum is checked; each broken rule gives one message naming
 * the key and the first bad index, and all of them are reported together. The model is a double
 * model ({@code isExact()} false). Every action is available in every non-terminal state; the
 * self-loop rows of terminal states are checked and dropped, since a {@link TabularMdp} gives
 * terminal states no rows. The file has no initial distribution: it is uniform over the
 * non-terminal states (over all states when every state is terminal), as in the JSON form.
 */
final class NpzModelReader {
  static final String FORMAT = "fixpoint-mdp-npz/1";
  static final List<String> REQUIRED = List.of("format", "discount", "num_states",
      "num_actions", "indptr", "indices", "probs", "reward");
  static final List<String> OPTIONAL = List.of("terminal", "state_names", "action_names");
  private static final NpzArchive.Body<double[]> F8 = (in, n, h, w) -> Npy.readF8(in, n, w);
  private static final NpzArchive.Body<long[]> I8 = (in, n, h, w) -> Npy.readI8(in, n, w);
  private static final NpzArchive.Body<int[]> I4 = (in, n, h, w) -> Npy.readI4(in, n, w);
  private static final NpzArchive.Body<boolean[]> B1 = (in, n, h, w) -> Npy.readB1(in, n, w);
  private static final NpzArchive.Body<String[]> UNICODE =
      (in, n, h, w) -> Npy.readUnicode(in, n, Integer.parseInt(h.descr().substring(2)), w);

  private final NpzArchive z;
  private @Nullable List<String> stateNames;
  private @Nullable List<String> actionNames;
  private int numActions;

  private NpzModelReader(NpzArchive z) {
    this.z = z;
  }

  /**
   * Reads and validates a model file.
   *
   * @param path the file
   * @param source the name used in messages
   * @param name the model name
   * @return the model (no warnings: every check is a rule)
   * @throws ModelException listing every problem found
   */
  static LoadedModel read(Path path, String source, String name) {
    try (NpzArchive z = NpzArchive.open(path, source)) {
      return new NpzModelReader(z).model(name);
    }
  }

  private LoadedModel model(String name) {
    List<String> known = new ArrayList<>(REQUIRED);
    known.addAll(OPTIONAL);
    for (String k : z.keys()) {
      if (!known.contains(k)) {
        z.problem("unknown key " + JsonText.quote(k) + " (known keys: "
            + String.join(", ", known) + ")");
      }
    }
    for (String k : REQUIRED) {
      if (!z.has(k)) {
        z.problem("missing key " + JsonText.quote(k));
      }
    }
    String[] format = z.read("format", "<U", 0, -1, "", UNICODE);
    if (format != null && !format[0].equals(FORMAT)) {
      z.problem("format: " + JsonText.quote(format[0]) + ", expected " + JsonText.quote(FORMAT));
    }
    double[] discount = z.read("discount", "<f8", 0, -1, "", F8);
    long[] sv = z.read("num_states", "<i8", 0, -1, "", I8);
    long[] av = z.read("num_actions", "<i8", 0, -1, "", I8);
    int s = sv == null ? -1 : count(sv[0], "num_states");
    int a = av == null ? -1 : count(av[0], "num_actions");
    long rows = s < 0 || a < 0 ? -1 : (long) s * a;
    if (rows > Integer.MAX_VALUE - 9) {
      z.problem("num_states * num_actions = " + rows + " rows is more than a Java array holds");
      rows = -1;
    }
    numActions = a;
    stateNames = names("state_names", s, "num_states = " + s);
    actionNames = names("action_names", a, "num_actions = " + a);
    boolean[] terminal = z.read("terminal", "|b1", 1, s, "num_states = " + s, B1);
    if (discount != null) {
      double g = discount[0];
      if (!(g >= 0 && g <= 1)) {
        z.problem("discount: " + g + " is outside [0, 1]");
      } else if (g == 1 && !any(terminal)) {
        z.problem("discount: 1 needs at least one terminal state (key \"terminal\"), otherwise "
            + "no policy ends");
      }
    }
    long[] indptr = rows < 0 ? null
        : z.read("indptr", "<i8", 1, rows + 1, "num_states * num_actions + 1 = " + (rows + 1),
            I8);
    long nnz = indptr == null ? -1 : checkIndptr(indptr);
    int[] indices = z.read("indices", "<i4", 1, nnz, "indptr[-1] = " + nnz, I4);
    double[] probs = z.read("probs", "<f8", 1, nnz, "indptr[-1] = " + nnz, F8);
    double[] reward = z.read("reward", "<f8", 1, rows, "num_states * num_actions = " + rows,
        F8);
    if (nnz >= 0 && indices != null) {
      checkIndices(indptr, indices, s);
    }
    if (nnz >= 0 && probs != null) {
      checkProbs(indptr, probs);
    }
    if (reward != null) {
      for (int r = 0; r < reward.length; r++) {
        if (!Double.isFinite(reward[r])) {
          z.problem("reward[" + r + "] " + row(r) + ": " + reward[r] + " is not finite");
          break;
        }
      }
    }
    if (terminal != null && nnz >= 0 && indices != null && probs != null && reward != null) {
      checkTerminal(terminal, indptr, indices, probs, reward, a);
    }
    if (!z.problems().isEmpty()) {
      throw new ModelException(z.problems());
    }
    return new LoadedModel(build(name, s, a, indptr, indices, probs, reward,
        terminal == null ? new boolean[s] : terminal, discount[0]), List.of());
  }

  private int count(long v, String key) {
    if (v < 1 || v > Integer.MAX_VALUE - 9) {
      z.problem(key + ": " + v + " is outside [1, " + (Integer.MAX_VALUE - 9) + "]");
      return -1;
    }
    return (int) v;
  }

  private @Nullable List<String> names(String key, int n, String rule) {
    if (!z.has(key) || n < 0) {
      return null;
    }
    String[] xs = z.read(key, "<U", 1, n, rule,
        UNICODE);
    if (xs == null) {
      return null;
    }
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < xs.length; i++) {
      Integer prev = first.putIfAbsent(xs[i], i);
      if (prev != null) {
        z.problem(key + "[" + i + "]: " + JsonText.quote(xs[i]) + " is listed twice (first at "
            + key + "[" + prev + "])");
        return null;
      }
    }
    return Arrays.asList(xs);
  }

  private static boolean any(boolean @Nullable [] xs) {
    if (xs != null) {
      for (boolean x : xs) {
        if (x) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@return "(state s, action a)" for row r = s*A + a, with names when the file has them} */
  private String row(int r) {
    if (numActions <= 0) {
      return "(row " + r + ")";
    }
    int s = r / numActions;
    int a = r % numActions;
    return "(state " + (stateNames == null ? Integer.toString(s) : stateNames.get(s))
        + ", action " + (actionNames == null ? Integer.toString(a) : actionNames.get(a)) + ")";
  }

  /** {@return the number of entries indptr describes, or -1 after recording a problem} */
  private long checkIndptr(long[] indptr) {
    if (indptr[0] != 0) {
      z.problem("indptr[0]: " + indptr[0] + ", expected 0");
      return -1;
    }
    for (int r = 0; r + 1 < indptr.length; r++) {
      if (indptr[r + 1] < indptr[r]) {
        z.problem("indptr[" + (r + 1) + "]: " + indptr[r + 1] + " is less than indptr[" + r
            + "] = " + indptr[r] + " (row pointers must not decrease)");
        return -1;
      }
      if (indptr[r + 1] == indptr[r]) {
        z.problem("indptr[" + r + "] = indptr[" + (r + 1) + "] = " + indptr[r] + ": row " + r
            + " " + row(r) + " is empty (every row needs at least one next state)");
        return -1;
      }
    }
    long nnz = indptr[indptr.length - 1];
    if (nnz > Integer.MAX_VALUE - 9) {
      z.problem("indptr[" + (indptr.length - 1) + "]: " + nnz + " entries is more than a Java "
          + "array holds");
      return -1;
    }
    return nnz;
  }

  private void checkIndices(long[] indptr, int[] indices, int s) {
    boolean rangeSeen = false;
    boolean orderSeen = false;
    for (int r = 0; r + 1 < indptr.length && !(rangeSeen && orderSeen); r++) {
      for (int k = (int) indptr[r]; k < indptr[r + 1]; k++) {
        if (!rangeSeen && (indices[k] < 0 || indices[k] >= s)) {
          z.problem("indices[" + k + "] " + row(r) + ": next state " + indices[k]
              + " is outside [0, " + s + ")");
          rangeSeen = true;
        }
        if (!orderSeen && k > indptr[r] && indices[k] <= indices[k - 1]) {
          z.problem("indices[" + k + "] " + row(r) + ": " + indices[k] + " after "
              + indices[k - 1] + " (next states must be strictly increasing within a row)");
          orderSeen = true;
        }
      }
    }
  }

  private void checkProbs(long[] indptr, double[] probs) {
    boolean rangeSeen = false;
    boolean sumSeen = false;
    for (int r = 0; r + 1 < indptr.length && !(rangeSeen && sumSeen); r++) {
      double sum = 0;
      for (int k = (int) indptr[r]; k < indptr[r + 1]; k++) {
        double p = probs[k];
        if (!rangeSeen && !(p > 0 && p <= 1)) {
          z.problem("probs[" + k + "] " + row(r) + ": " + p + " is outside (0, 1]");
          rangeSeen = true;
        }
        sum += p;
      }
      if (!sumSeen && !(Math.abs(sum - 1) <= Dist.TOLERANCE)) {
        z.problem("probs " + row(r) + ": row " + r + " (probs[" + indptr[r] + ":"
            + indptr[r + 1] + "]) sums to " + sum + ", expected 1 within " + Dist.TOLERANCE);
        sumSeen = true;
      }
    }
  }

  private void checkTerminal(boolean[] terminal, long[] indptr, int[] indices, double[] probs,
      double[] reward, int a) {
    for (int s = 0; s < terminal.length; s++) {
      if (!terminal[s]) {
        continue;
      }
      for (int r = s * a; r < (s + 1) * a; r++) {
        int k = (int) indptr[r];
        boolean loop = indptr[r + 1] == k + 1 && indices[k] == s;
        if (!loop || reward[r] != 0) {
          z.problem("terminal[" + s + "]: row " + r + " " + row(r) + " of a terminal state must"
              + " be a self-loop with reward 0 (found " + (indptr[r + 1] - k) + " entr"
              + (indptr[r + 1] - k == 1 ? "y" : "ies") + ", first next state " + indices[k]
              + ", reward " + reward[r] + ")");
          return;
        }
      }
    }
  }

  private TabularMdp<String, String> build(String name, int s, int a, long[] indptr,
      int[] indices, double[] probs, double[] reward, boolean[] terminal, double discount) {
    Indexer<String> si = stateNames == null ? Indexer.numbered("state", s)
        : Indexer.of("state", stateNames);
    Indexer<String> ai = actionNames == null ? Indexer.numbered("action", a)
        : Indexer.of("action", actionNames);
    int live = 0;
    int entries = 0;
    for (int x = 0; x < s; x++) {
      if (!terminal[x]) {
        live++;
        entries += (int) (indptr[(x + 1) * a] - indptr[x * a]);
      }
    }
    int rows = live * a;
    int[] rowStart = new int[s + 1];
    int[] rowAction = new int[rows];
    int[] entryStart = new int[rows + 1];
    int[] next = new int[entries];
    double[] prob = new double[entries];
    double[] rew = new double[rows];
    double[] initial = new double[s];
    int r = 0;
    int k = 0;
    for (int x = 0; x < s; x++) {
      rowStart[x] = r;
      initial[x] = live == 0 ? 1.0 / s : terminal[x] ? 0 : 1.0 / live;
      if (terminal[x]) {
        continue;
      }
      for (int y = 0; y < a; y++) {
        int src = x * a + y;
        rowAction[r] = y;
        entryStart[r] = k;
        rew[r] = reward[src];
        int len = (int) (indptr[src + 1] - indptr[src]);
        System.arraycopy(indices, (int) indptr[src], next, k, len);
        System.arraycopy(probs, (int) indptr[src], prob, k, len);
        k += len;
        r++;
      }
    }
    rowStart[s] = r;
    entryStart[rows] = k;
    return TabularMdp.of(name, si, ai, rowStart, rowAction, entryStart, next, prob, rew,
        terminal, discount, initial, null);
  }
}
