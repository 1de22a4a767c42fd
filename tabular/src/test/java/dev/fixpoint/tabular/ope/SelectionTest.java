package dev.fixpoint.tabular.ope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.tabular.ope.Selection.Convention;
import dev.fixpoint.tabular.ope.Selection.TopK;
import org.junit.jupiter.api.Test;

/** Selection metrics on hand-made candidate sets (spec section 5, case R3) and numpy's order. */
class SelectionTest {

  /**
   * R3: J = (pi_b 5, pi_1 3, pi_2 2, pi_3 10), Jhat ranks pi_1, pi_2 first. Top-2: best 3, worst
   * 2, mean 5/2, std (1/k) 1/2, Regret = 10 - 3 = 7, numerator max(3 - 5, 0) = 0, Sharpe 0.
   * SCOPE-RL: Regret = (10 + 5) - (3 + 2) = 10, std = sqrt(1/2 / 1) = 0.707107.
   */
  @Test
  void r3NegativeNumeratorIsClippedToZero() {
    double[] truth = {5, 3, 2, 10};
    double[] est = {1, 9, 8, 0};
    TopK t = Selection.topK(est, truth, 2, 5, Convention.FIXPOINT, false);
    assertArrayEquals(new int[] {1, 2}, t.selected());
    assertEquals(3, t.best());
    assertEquals(2, t.worst());
    assertEquals(2.5, t.mean());
    assertEquals(0.5, t.std());
    assertEquals(7, t.regret());
    assertEquals(0, t.sharpeNumerator());
    assertEquals(0, t.sharpe());
    TopK s = Selection.topK(est, truth, 2, 5, Convention.SCOPE_RL, false);
    assertEquals(10, s.regret());
    assertEquals(Math.sqrt(0.5), s.std(), 1e-15);
    assertEquals(0, s.sharpe());
  }

  /** Orders from numpy 2.4.6: {@code list(np.argsort(x)[::-1])}. */
  @Test
  void tieRules() {
    assertArrayEquals(new int[] {1, 2, 0, 3},
        Selection.ranking(new double[] {1, 2, 2, 0}, Convention.FIXPOINT));
    assertArrayEquals(new int[] {2, 1, 0, 3},
        Selection.ranking(new double[] {1, 2, 2, 0}, Convention.SCOPE_RL));
    assertArrayEquals(new int[] {4, 2, 0, 3, 1},
        Selection.ranking(new double[] {5, 1, 5, 1, 5}, Convention.SCOPE_RL));
    assertArrayEquals(new int[] {0, 2, 4, 1, 3},
        Selection.ranking(new double[] {5, 1, 5, 1, 5}, Convention.FIXPOINT));
  }

  @Test
  void zeroStdAndKEqualsOne() {
    double[] truth = {4, 4, 1};
    double[] est = {3, 2, 1};
    assertEquals(Double.POSITIVE_INFINITY,
        Selection.topK(est, truth, 2, 1, Convention.FIXPOINT, false).sharpe());
    assertEquals(0, Selection.topK(est, truth, 2, 4, Convention.FIXPOINT, false).sharpe());
    assertEquals(Double.POSITIVE_INFINITY,
        Selection.topK(est, truth, 2, 1, Convention.SCOPE_RL, false).sharpe());
    assertEquals(100, Selection.topK(est, truth, 2, 1, Convention.SCOPE_RL, true).sharpe());
    assertTrue(Double.isNaN(Selection.topK(est, truth, 2, 4, Convention.SCOPE_RL, false).sharpe()));
    assertEquals(0, Selection.topK(est, truth, 2, 4, Convention.SCOPE_RL, true).sharpe());
    assertThrows(ModelException.class,
        () -> Selection.topK(est, truth, 1, 1, Convention.FIXPOINT, false));
    assertTrue(Double.isNaN(Selection.topK(est, truth, 1, 1, Convention.SCOPE_RL, true).sharpe()));
  }

  /**
   * est (1, 2, 2, 3) has average ranks (1, 2.5, 2.5, 4), truth (1, 2, 3, 4) ranks (1, 2, 3, 4);
   * centred: (-1.5, 0, 0, 1.5) and (-1.5, -0.5, 0.5, 1.5); rho = 4.5 / sqrt(4.5 * 5) = 0.948683.
   */
  @Test
  void spearmanMseAndTypeErrors() {
    assertEquals(0.948683, Selection.spearman(new double[] {1, 2, 2, 3},
        new double[] {1, 2, 3, 4}), 1e-6);
    assertThrows(ModelException.class,
        () -> Selection.spearman(new double[] {1, 1}, new double[] {1, 2}));
    assertEquals((1 + 1 + 9) / 3.0, Selection.mse(new double[] {2, 4, 0},
        new double[] {1, 5, 3}));
    // safe (J >= 3): candidates 1 and 2; 2 is estimated unsafe: Type I = 1/2; the unsafe
    // candidate 0 is estimated unsafe too: Type II = 0
    assertArrayEquals(new double[] {0.5, 0},
        Selection.typeErrors(new double[] {2, 4, 0}, new double[] {1, 5, 3}, 3));
    assertThrows(ModelException.class, () -> Selection.relativeError(1, 0));
  }

  /**
   * J = (3, 1, 2), estimates (1, 3, 2): ranking by estimate 1, 2, 0; gains J - min J = (2, 0, 1).
   * k = 2: DCG = 0/log2 2 + 1/log2 3 = 1/1.5849625 = 0.6309298; IDCG = 2/1 + 1/log2 3 =
   * 2.6309298; nDCG@2 = 0.2398125. k = 3: DCG = 0.6309298 + 2/log2 4 = 1.6309298, IDCG =
   * 2.6309298 + 0/2, nDCG@3 = 0.6199062. Perfect estimates give 1; equal values are refused.
   */
  @Test
  void ndcgByHand() {
    double[] j = {3, 1, 2};
    double[] e = {1, 3, 2};
    assertEquals(0.2398125, Selection.ndcg(e, j, 2), 1e-7);
    assertEquals(0.6199062, Selection.ndcg(e, j, 3), 1e-7);
    assertEquals(1.0, Selection.ndcg(j, j, 2), 1e-15);
    assertThrows(ModelException.class, () -> Selection.ndcg(e, new double[] {1, 1, 1}, 2));
    assertThrows(ModelException.class, () -> Selection.ndcg(e, j, 4));
  }
}
