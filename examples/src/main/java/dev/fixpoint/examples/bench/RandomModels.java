package dev.fixpoint.examples.bench;

import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.TabularMdp;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Large random models for benchmarks, built straight into CSR arrays (no typed description: a
 * million-state {@code Mdp} would spend its time in boxing and hashing).
 */
final class RandomModels {
  private RandomModels() {}

  /**
   * A random model with every action available in every state: each row has {@code successors}
   * distinct next states drawn uniformly without replacement, probabilities proportional to
   * weights uniform in (0, 1], a reward uniform in [0, 1); discount 9/10, no terminal state,
   * uniform initial distribution. The model is in the double tier (inexact). The same generator
   * state gives the same model, bit for bit.
   *
   * @param states S, at least {@code successors}
   * @param actions A, at least 1
   * @param successors next states per row, at least 1
   * @param rng the source of randomness
   * @return the model; rows = S * A, entries = S * A * successors
   */
  static TabularMdp<Integer, Integer> uniformSparse(int states, int actions, int successors,
      RandomGenerator rng) {
    if (states < successors || actions < 1 || successors < 1) {
      throw new IllegalArgumentException("need states >= successors >= 1 and actions >= 1, got "
          + states + ", " + successors + ", " + actions);
    }
    long entriesLong = (long) states * actions * successors;
    if (entriesLong > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(entriesLong + " entries do not fit in one array");
    }
    int rows = states * actions;
    int entries = (int) entriesLong;
    int[] rowStart = new int[states + 1];
    int[] rowAction = new int[rows];
    int[] entryStart = new int[rows + 1];
    int[] next = new int[entries];
    double[] prob = new double[entries];
    double[] reward = new double[rows];
    int[] pick = new int[successors];
    double[] w = new double[successors];
    int r = 0;
    int k = 0;
    for (int s = 0; s < states; s++) {
      rowStart[s] = r;
      for (int a = 0; a < actions; a++, r++) {
        rowAction[r] = a;
        entryStart[r] = k;
        drawDistinctSorted(rng, states, pick);
        double sum = 0;
        for (int j = 0; j < successors; j++) {
          w[j] = 1.0 - rng.nextDouble(); // in (0, 1]: every listed successor has mass
          sum += w[j];
        }
        for (int j = 0; j < successors; j++, k++) {
          next[k] = pick[j];
          prob[k] = w[j] / sum;
        }
        reward[r] = rng.nextDouble();
      }
    }
    rowStart[states] = r;
    entryStart[rows] = k;
    double[] initial = new double[states];
    java.util.Arrays.fill(initial, 1.0 / states);
    List<Integer> stateIds = new ArrayList<>(states);
    for (int s = 0; s < states; s++) {
      stateIds.add(s);
    }
    List<Integer> actionIds = new ArrayList<>(actions);
    for (int a = 0; a < actions; a++) {
      actionIds.add(a);
    }
    return TabularMdp.of("random (S " + states + ", A " + actions + ", " + successors
            + " successors)", Indexer.of("state", stateIds), Indexer.of("action", actionIds),
        rowStart, rowAction, entryStart, next, prob, reward, new boolean[states], 0.9, initial,
        null);
  }

  /** Fills {@code out} with distinct values of [0, n), increasing (rejection, then sort). */
  private static void drawDistinctSorted(RandomGenerator rng, int n, int[] out) {
    for (int j = 0; j < out.length; j++) {
      int x;
      boolean dup;
      do {
        x = rng.nextInt(n);
        dup = false;
        for (int i = 0; i < j; i++) {
          dup |= out[i] == x;
        }
      } while (dup);
      int i = j;
      while (i > 0 && out[i - 1] > x) { // insertion keeps out[0..j] sorted
        out[i] = out[i - 1];
        i--;
      }
      out[i] = x;
    }
  }
}
