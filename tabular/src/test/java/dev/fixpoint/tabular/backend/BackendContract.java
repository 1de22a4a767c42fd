package dev.fixpoint.tabular.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.TabularMdp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Backend} must meet, checked against values worked out by hand and
 * against a naive triple loop on random models. A GPU backend extends this class.
 */
abstract class BackendContract {
  /** {@return the backend under test} */
  abstract Backend backend();

  /**
   * Three states, terminal state 2; state 0: action 0 -> {0: 1/2, 1: 1/2} reward 1, action 1 ->
   * {2} reward 3; state 1: action 0 -> {0} reward -1. gamma 1/2.
   */
  static TabularMdp<String, String> small() {
    return TabularMdp.of("small", Indexer.numbered("state", 3), Indexer.numbered("action", 2),
        new int[] {0, 2, 3, 3}, new int[] {0, 1, 0}, new int[] {0, 2, 3, 4},
        new int[] {0, 1, 2, 0}, new double[] {0.5, 0.5, 1, 1}, new double[] {1, 3, -1},
        new boolean[] {false, false, true}, 0.5, new double[] {1, 0, 0}, null);
  }

  @Test
  void optimalityBackupByHand() {
    try (Backend.LoadedModel m = backend().load(small())) {
      double[] v = {2, 4, 100};
      double[] out = new double[3];
      int[] greedy = new int[3];
      // state 0: row 0 = 1 + 1/2 (1 + 2) = 2.5, row 1 = 3 + 1/2 * 100 = 53; state 1: -1 + 1 = 0
      double res = m.optimalityBackup(v, out, greedy);
      assertArrayEquals(new double[] {53, 0, 0}, out);
      assertArrayEquals(new int[] {1, 2, -1}, greedy);
      assertEquals(100, res); // terminal value 100 -> 0
    }
  }

  @Test
  void policyBackupAndQValuesByHand() {
    try (Backend.LoadedModel m = backend().load(small())) {
      double[] v = {2, 4, 0};
      double[] out = new double[3];
      double res = m.policyBackup(new double[] {0.25, 0.75, 1}, v, out);
      // state 0: 0.25 * 2.5 + 0.75 * 3 = 2.875; state 1: -1 + 1 = 0
      assertArrayEquals(new double[] {2.875, 0, 0}, out);
      assertEquals(4, res);
      double[] q = new double[3];
      m.qValues(v, q);
      assertArrayEquals(new double[] {2.5, 3, 0}, q);
    }
  }

  @Test
  void gaussSeidelUsesFreshValues() {
    try (Backend.LoadedModel m = backend().load(small())) {
      double[] v = {0, 0, 0};
      m.gaussSeidelOptimality(v, new int[0]);
      // state 0: max(1 + 0, 3 + 0) = 3; state 1 sees the new v(0): -1 + 1/2 * 3 = 0.5
      assertArrayEquals(new double[] {3, 0.5, 0}, v);
    }
  }

  @Test
  void rejectsAliasedOrWrongLengthVectors() {
    try (Backend.LoadedModel m = backend().load(small())) {
      double[] v = new double[3];
      assertThrows(IllegalArgumentException.class, () -> m.optimalityBackup(v, v, new int[0]));
      assertThrows(IllegalArgumentException.class,
          () -> m.optimalityBackup(v, new double[2], new int[0]));
      assertThrows(IllegalArgumentException.class,
          () -> m.policyBackup(new double[2], v, new double[3]));
    }
  }

  @Test
  void agreesWithANaiveLoopOnRandomModelsLargeEnoughToRunInParallel() {
    SplittableRandom rng = new SplittableRandom(42);
    int n = CpuBackend.PARALLEL_STATES + 1234;
    TabularMdp<String, String> mdp = random(rng, n, 3, 2);
    double[] v = new double[n];
    for (int s = 0; s < n; s++) {
      v[s] = rng.nextDouble(-10, 10);
    }
    double[] expected = new double[n];
    int[] expectedArg = new int[n];
    double expectedRes = 0;
    for (int s = 0; s < n; s++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int r = mdp.rowStart(s); r < mdp.rowEnd(s); r++) {
        double acc = 0;
        for (int k = mdp.entryStart(r); k < mdp.entryEnd(r); k++) {
          acc += mdp.prob(k) * v[mdp.next(k)];
        }
        double q = mdp.reward(r) + mdp.discount() * acc;
        if (q > best) {
          best = q;
          expectedArg[s] = r;
        }
      }
      expected[s] = best;
      expectedRes = Math.max(expectedRes, Math.abs(best - v[s]));
    }
    try (Backend.LoadedModel m = backend().load(mdp)) {
      double[] out = new double[n];
      int[] arg = new int[n];
      double res = m.optimalityBackup(v, out, arg);
      assertArrayEquals(expected, out);
      assertArrayEquals(expectedArg, arg);
      assertEquals(expectedRes, res);
    }
  }

  static TabularMdp<String, String> random(SplittableRandom rng, int n, int actions, int succ) {
    int rows = n * actions;
    int[] rowStart = new int[n + 1];
    int[] rowAction = new int[rows];
    int[] entryStart = new int[rows + 1];
    int[] next = new int[rows * succ];
    double[] prob = new double[rows * succ];
    double[] reward = new double[rows];
    for (int s = 0; s <= n; s++) {
      rowStart[s] = s * actions;
    }
    for (int r = 0; r < rows; r++) {
      rowAction[r] = r % actions;
      entryStart[r + 1] = (r + 1) * succ;
      int first = rng.nextInt(n - succ);
      for (int j = 0; j < succ; j++) {
        next[r * succ + j] = first + j;
        prob[r * succ + j] = 1.0 / succ;
      }
      reward[r] = rng.nextDouble();
    }
    double[] init = new double[n];
    init[0] = 1;
    return TabularMdp.of("random", Indexer.numbered("state", n),
        Indexer.numbered("action", actions), rowStart, rowAction, entryStart, next, prob, reward,
        new boolean[n], 0.9, init, null);
  }
}
