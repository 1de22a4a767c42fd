package dev.fixpoint.tabular.ope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.ope.Dataset;
import dev.fixpoint.dsl.ope.Estimators;
import dev.fixpoint.dsl.ope.TimeIndexedQ;
import dev.fixpoint.tabular.ope.OpeModels.Case;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The double interpreter on a two-episode dataset of R1 computed by hand. */
class OpeDoubleTest {

  /**
   * Episode A: s=0, a=0 (r=4, to 0), s=0, a=1 (r=0). rho = (1/3)/(3/5) = 5/9, (2/3)/(2/5) = 5/3;
   * w = 5/9, 25/27; G = 4; IS = 100/27; PDIS = 20/9. Episode B: s=1, a=1 (r=4/3, to 1), s=1, a=0
   * (r=2). rho = (2/9)/(2/3) = 1/3, (7/9)/(1/3) = 7/3; w = 1/3, 7/9; G = 10/3; IS = 70/27; PDIS =
   * 4/9 + 14/9 = 2. So IS = 85/27, PDIS = 19/9, WIS = (100/27 + 70/27)/(46/27) = 85/23, WPDIS: t =
   * 0: (20/9 + 4/9)/(8/9) = 3, t = 1: (14/9)/(46/27) = 21/23, total 90/23.
   */
  static Dataset twoEpisodes() {
    return Dataset.of(2, new int[] {0, 2, 4}, new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 0},
        new double[] {4, 0, 4.0 / 3, 2}, new double[] {0.6, 0.4, 2.0 / 3, 1.0 / 3});
  }

  @Test
  void handComputedEstimates() {
    Case c = OpeModels.r1();
    Dataset d = twoEpisodes();
    assertEquals(85.0 / 27, OpeDouble.estimate(Estimators.is(), c.pi(), c.mu(), d), 1e-12);
    assertEquals(19.0 / 9, OpeDouble.estimate(Estimators.pdis(), c.pi(), d), 1e-12);
    assertEquals(85.0 / 23, OpeDouble.estimate(Estimators.wis(), c.pi(), d), 1e-12);
    assertEquals(90.0 / 23, OpeDouble.estimate(Estimators.wpdis(), c.pi(), d), 1e-12);
    assertArrayEquals(new double[] {100.0 / 27, 70.0 / 27},
        OpeDouble.values(Estimators.is(), c.pi(), d), 1e-12);
    assertEquals((4 + 10.0 / 3) / 2, OpeDouble.estimate(Estimators.onPolicy(), c.pi(), d), 1e-12);
    // Q-hat = 0: DR is PDIS and WDR is WPDIS; DM is 0
    TimeIndexedQ zero = TimeIndexedQ.zero(4, 2);
    assertEquals(19.0 / 9, OpeDouble.estimate(Estimators.dr(zero), c.pi(), d), 1e-12);
    assertEquals(90.0 / 23, OpeDouble.estimate(Estimators.wdr(zero), c.pi(), d), 1e-12);
    assertEquals(0, OpeDouble.estimate(Estimators.dm(zero), c.pi(), d));
  }

  @Test
  void selfNormalisedHaveNoPerTrajectoryValues() {
    Case c = OpeModels.r1();
    assertThrows(ModelException.class,
        () -> OpeDouble.values(Estimators.wis(), c.pi(), twoEpisodes()));
  }

  @Test
  void wisWithAllWeightsZeroIsZero() {
    Case c = OpeModels.bandit();
    var pi = OpeModels.policy(c.mdp(), new String[] {"1", "0"});
    Dataset d = Dataset.of(1, new int[] {0, 1, 2}, new int[] {0, 0}, new int[] {1, 1},
        new double[] {0, 0}, new double[] {0.5, 0.5});
    assertEquals(0, OpeDouble.estimate(Estimators.wis(), pi, d));
    assertEquals(0, OpeDouble.estimate(Estimators.wpdis(), pi, d));
    // WDR: every normalised weight is 0, so only the V-hat_0 term remains: V-hat_0 = Q-hat(0, 0)
    // = 2 under pi = (1, 0)
    var q = TimeIndexedQ.of(new double[][] {{2, 5}});
    assertEquals(2, OpeDouble.estimate(Estimators.wdr(q), pi, d));
  }

  @Test
  void supportViolationIsRefusedByTheDoubleInterpreterWhenMuIsKnown() {
    Case c = OpeModels.bandit();
    var mu = OpeModels.policy(c.mdp(), new String[] {"0", "1"});
    Dataset d = Dataset.of(1, new int[] {0, 1}, new int[] {0}, new int[] {1}, new double[] {0},
        new double[] {1});
    ModelException e = assertThrows(ModelException.class,
        () -> OpeDouble.estimate(Estimators.wis(), c.pi(), mu, d));
    assertTrue(e.getMessage().contains("support violation: state 0, action 0"), e.getMessage());
    // DM needs no support
    assertEquals(0, OpeDouble.estimate(Estimators.dm(TimeIndexedQ.zero(2, 1)), c.pi(), mu, d));
  }

  @Test
  void drawIsReproducibleAndRecordsMu() {
    Case c = OpeModels.r1();
    Dataset a = Logging.draw(c.mdp(), c.mu(), 2, 50, new SplittableRandom(7));
    Dataset b = Logging.draw(c.mdp(), c.mu(), 2, 50, new SplittableRandom(7));
    assertEquals(a, b);
    assertEquals(50, a.numEpisodes());
    for (int k = 0; k < a.numSteps(); k++) {
      int row = c.mdp().row(a.state(k), a.action(k));
      assertEquals(c.mu().probAt(row), a.behaviourProb(k));
    }
  }

  @Test
  void dataOutsideTheModelIsRefusedNamingTheRow() {
    Case c = OpeModels.r1();
    Dataset d = Dataset.of(2, new int[] {0, 1}, new int[] {5}, new int[] {0}, new double[] {1},
        new double[] {0.5});
    ModelException e = assertThrows(ModelException.class,
        () -> OpeDouble.estimate(Estimators.is(), c.pi(), d));
    assertTrue(e.getMessage().contains("row 0"), e.getMessage());
  }

  /**
   * Weights of the two episodes (see {@link #twoEpisodes()}): t = 0: 5/9 and 1/3, ESS = (8/9)^2 /
   * (25/81 + 9/81) = (64/81)/(34/81) = 32/17; t = 1: 25/27 and 7/9 = 21/27, ESS = (46/27)^2 /
   * ((625 + 441)/729) = 2116/1066 = 1058/533. Logged states 0 and 1 with every action logged.
   */
  @Test
  void diagnosticsByHand() {
    Case c = OpeModels.r1();
    Diagnostics d = Diagnostics.of(c.pi(), twoEpisodes());
    assertArrayEquals(new double[] {32.0 / 17, 1058.0 / 533}, d.ess(), 1e-12);
    assertArrayEquals(new double[] {5.0 / 9, 25.0 / 27}, d.maxWeight(), 1e-12);
    assertArrayEquals(new double[] {0, 0}, d.zeroFraction());
    assertTrue(d.unlogged().isEmpty());
    // only the first step of episode A: pi takes action 1 in state 0 but it was never logged
    Dataset one = Dataset.of(2, new int[] {0, 1}, new int[] {0}, new int[] {0},
        new double[] {4}, new double[] {0.6});
    assertEquals(java.util.List.of("state 0, action 1"), Diagnostics.of(c.pi(), one).unlogged());
    var zero = OpeModels.policy(c.mdp(), new String[] {"0", "1", "1", "0"});
    Diagnostics z = Diagnostics.of(zero, twoEpisodes());
    assertArrayEquals(new double[] {1, 1}, z.zeroFraction());
    assertArrayEquals(new double[] {0, 0}, z.ess());
  }
}
