package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.Loss;
import dev.fixpoint.dsl.gflownet.Regression;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.propertytests.FlowDraws.RandomFlowNetwork;
import dev.fixpoint.tabular.gflownet.FlowTrajectory;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.GfnParameters;
import dev.fixpoint.tabular.gflownet.LogFlow;
import dev.fixpoint.tabular.gflownet.LossValue;
import dev.fixpoint.tabular.gflownet.Losses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * GFlowNet losses against exact oracles (spec {@code gflownet.md} section 8, items 3-6, 11, 16):
 * every loss and regression function is 0 with zero gradient at the exact flow of a random DAG,
 * the analytic gradients match central differences at random parameters, a wrong log Z costs TB
 * exactly its square, the SubTB special cases equal TB and DB, ZVar equals TB at the batch-optimal
 * log Z, and one wrong logit makes TB and DB positive.
 */
class GflowNetLossProperties {
  static final List<Regression> REGRESSIONS = List.of(Regression.squared(),
      Regression.shiftedCosh(), Regression.linex(0.5), Regression.linex(-1.5));

  static List<Loss> losses(boolean allTerminating) {
    List<Loss> out = new ArrayList<>(List.of(Loss.fm(), Loss.db(), Loss.tb(), Loss.zVar()));
    for (Loss.Weighting w : Loss.Weighting.values()) {
      out.add(Loss.subTb(0.9, w));
    }
    out.add(Loss.subTb(1.0, Loss.Weighting.GEOMETRIC));
    if (allTerminating) {
      out.add(Loss.forwardLookingDb());
      out.add(Loss.modifiedDb());
    }
    return out;
  }

  public record Case(RandomFlowNetwork r, TabularFlowNetwork<Integer> net, BackwardTable pb,
      boolean allTerminating, List<FlowTrajectory> support, List<FlowTrajectory> batch,
      GfnParameters random) {
    @Override
    public String toString() {
      return r + "\nbatch " + batch;
    }
  }

  public static Generator<Case> cases() {
    Generator<RandomFlowNetwork> nets = FlowDraws.networks(7);
    return Generator.of(rng -> {
      RandomFlowNetwork r = nets.next(rng);
      boolean all = rng.nextBoolean();
      if (all) {
        boolean[] t = new boolean[r.size()];
        Arrays.fill(t, true);
        r = new RandomFlowNetwork(r.children(), t, r.rewards(), r.backwardKind(),
            r.givenBackward());
      }
      TabularFlowNetwork<Integer> net = r.network().tabulate();
      // a given P_B with zeros leaves states without flow (log F = -infinity): use uniform there
      boolean zeros = r.givenBackward().values().stream()
          .anyMatch(m -> m.values().stream().anyMatch(q -> q.getNumerator().signum() == 0));
      BackwardTable pb = net.backward(zeros ? BackwardPolicy.uniform() : r.backward());
      List<FlowTrajectory> support = FlowTrajectory.enumerate(net, 5000);
      int size = rng.nextInt(1, 7);
      List<FlowTrajectory> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        batch.add(support.get(rng.nextInt(0, support.size())));
      }
      GfnParameters p = GfnParameters.zeros(net);
      return new Case(r, net, pb, all, support, batch, new GfnParameters(
          draw(rng, p.forwardLogits().length), draw(rng, p.backwardLogits().length),
          rng.nextDouble(-2, 2), draw(rng, p.logFlow().length),
          draw(rng, p.edgeLogFlow().length)));
    });
  }

  static double[] draw(RandomGenerator rng, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextDouble(-2, 2);
    }
    return v;
  }

  /** The exact solution; for forward-looking DB the state parameter is log F~ = log F - log R. */
  public static GfnParameters exact(Case c, Loss loss) {
    LogFlow f = Flows.logSpace(c.net(), c.pb());
    GfnParameters p = GfnParameters.of(c.net(), c.pb(), f);
    if (loss instanceof Loss.ForwardLookingDb) {
      double[] lf = p.logFlow().clone();
      for (int s = 0; s < lf.length; s++) {
        lf[s] -= c.net().logReward(s);
      }
      return new GfnParameters(p.forwardLogits(), p.backwardLogits(), p.logZ(), lf,
          p.edgeLogFlow());
    }
    return p;
  }

  static double maxAbs(GfnParameters g) {
    double m = Math.abs(g.logZ());
    for (double[] v : List.of(g.forwardLogits(), g.backwardLogits(), g.logFlow(),
        g.edgeLogFlow())) {
      for (double x : v) {
        m = Math.max(m, Math.abs(x));
      }
    }
    return m;
  }

  @Test
  void everyLossIsZeroAndStationaryAtTheExactFlow() {
    qt().withFixedSeed(911).withExamples(200).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          for (Loss base : losses(c.allTerminating())) {
            for (Regression g : REGRESSIONS) {
              Loss loss = base.withRegression(g);
              LossValue v = Losses.evaluate(loss, c.net(), exact(c, loss), c.support());
              assertTrue(Math.abs(v.value()) < 1e-20, loss + " = " + v.value());
              assertTrue(maxAbs(v.gradient()) < 1e-10, loss + " gradient " + maxAbs(v.gradient()));
            }
          }
        });
  }

  @Test
  void analyticGradientsMatchCentralDifferences() {
    qt().withFixedSeed(912).withExamples(150).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          RandomGenerator rng = new java.util.SplittableRandom(c.batch().size());
          GfnParameters zero = GfnParameters.zeros(c.net());
          GfnParameters d = new GfnParameters(draw(rng, zero.forwardLogits().length),
              draw(rng, zero.backwardLogits().length), rng.nextDouble(-1, 1),
              draw(rng, zero.logFlow().length), draw(rng, zero.edgeLogFlow().length));
          for (Loss base : losses(c.allTerminating())) {
            for (Regression g : REGRESSIONS) {
              Loss loss = base.withRegression(g);
              LossValue v = Losses.evaluate(loss, c.net(), c.random(), c.batch());
              double h = 1e-5;
              double up = Losses.evaluate(loss, c.net(), c.random().plus(h, d), c.batch()).value();
              double down = Losses.evaluate(loss, c.net(), c.random().plus(-h, d), c.batch())
                  .value();
              double fd = (up - down) / (2 * h);
              double an = v.gradient().dot(d);
              assertEquals(fd, an, 1e-5 * (1 + Math.abs(fd)), loss + ": finite difference "
                  + fd + ", analytic " + an);
            }
          }
        });
  }

  @Test
  void trajectoryBalanceWithExactPolicyAndWrongLogZIsTheSquaredError() {
    qt().withFixedSeed(913).withExamples(200).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          double delta = c.random().logZ();
          GfnParameters p = exact(c, Loss.tb());
          GfnParameters shifted = p.withLogZ(p.logZ() + delta);
          for (FlowTrajectory t : c.support()) {
            assertEquals(delta, Losses.tbResidual(c.net(), shifted, t), 1e-12);
          }
          assertEquals(delta * delta,
              Losses.evaluate(Loss.tb(), c.net(), shifted, c.support()).value(), 1e-12);
          assertEquals(2 * delta,
              Losses.evaluate(Loss.tb(), c.net(), shifted, c.support()).gradient().logZ(), 1e-12);
        });
  }

  @Test
  void subTbSpecialCasesAreTbAndDbAndZVarIsTbAtTheBatchOptimalLogZ() {
    qt().withFixedSeed(914).withExamples(200).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          GfnParameters p = c.random();
          GfnParameters tbParams = p.withLogZ(p.logFlow()[0]);
          assertEquals(Losses.evaluate(Loss.tb(), c.net(), tbParams, c.batch()).value(),
              Losses.evaluate(Loss.subTb(0.9, Loss.Weighting.TB), c.net(), p, c.batch()).value(),
              1e-12);
          LossValue db = Losses.evaluate(Loss.db(), c.net(), p, c.batch());
          LossValue sub = Losses.evaluate(Loss.subTb(0.5, Loss.Weighting.DB), c.net(), p,
              c.batch());
          assertEquals(db.value(), sub.value(), 1e-12);
          assertEquals(0, maxAbs(db.gradient().plus(-1, sub.gradient())), 1e-12);
          double mean = 0;
          for (FlowTrajectory t : c.batch()) {
            mean += (Losses.tbResidual(c.net(), p, t) - p.logZ()) / c.batch().size();
          }
          assertEquals(Losses.evaluate(Loss.tb(), c.net(), p.withLogZ(-mean), c.batch()).value(),
              Losses.evaluate(Loss.zVar(), c.net(), p, c.batch()).value(), 1e-12);
          assertEquals(0, Losses.evaluate(Loss.zVar(), c.net(), p, c.batch().subList(0, 1))
              .value(), 0);
        });
  }

  @Test
  void oneWrongForwardLogitMakesTbAndDbPositive() {
    qt().withFixedSeed(915).withExamples(200).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          GfnParameters p = exact(c, Loss.tb());
          int[] as = c.net().csr().actionStart();
          for (int s = 0; s < c.net().size(); s++) {
            if (as[s + 1] - as[s] >= 2) {
              double[] logits = p.forwardLogits().clone();
              logits[as[s]] += 0.25;
              GfnParameters wrong = new GfnParameters(logits, p.backwardLogits(), p.logZ(),
                  p.logFlow(), p.edgeLogFlow());
              assertTrue(Losses.evaluate(Loss.tb(), c.net(), wrong, c.support()).value() > 1e-6,
                  "TB with logit of state " + s + " moved");
              assertTrue(Losses.evaluate(Loss.db(), c.net(), wrong, c.support()).value() > 1e-6,
                  "DB with logit of state " + s + " moved");
            }
          }
        });
  }

  @Test
  void regressionFunctionsVanishWithTheirSlopeAtZero() {
    qt().withFixedSeed(916).withExamples(500)
        .forAll(QuickTheoriesGen.of(Generator.of(rng -> rng.nextDouble(-5, 5))))
        .checkAssert(t -> {
          for (Regression g : REGRESSIONS) {
            assertEquals(0, g.value(0));
            assertEquals(0, g.derivative(0));
            assertTrue(g.value(t) >= 0, g + " at " + t);
          }
          assertEquals(Regression.shiftedCosh().value(t), Regression.shiftedCosh().value(-t), 0);
        });
  }

  @Test
  void subTbWeightsSumToOneForEveryWeighting() {
    qt().withFixedSeed(917).withExamples(300).forAll(QuickTheoriesGen.of(Generator.of(rng -> {
      int[] lengths = new int[rng.nextInt(1, 7)];
      for (int k = 0; k < lengths.length; k++) {
        lengths[k] = rng.nextInt(1, 9);
      }
      return lengths;
    }))).checkAssert(lengths -> {
      int longest = Arrays.stream(lengths).max().orElseThrow();
      long pieces = 0;
      long steps = 0;
      long[] per = new long[longest + 1];
      for (int n : lengths) {
        pieces += (long) n * (n + 1) / 2;
        steps += n;
        for (int l = 1; l <= n; l++) {
          per[l] += n - l + 1;
        }
      }
      for (double lambda : new double[] {0.5, 0.9, 1, 1.5}) {
        for (Loss.Weighting w : Loss.Weighting.values()) {
          double sum = 0;
          for (int n : lengths) {
            for (int i = 0; i < n; i++) {
              for (int j = i + 1; j <= n; j++) {
                sum += Losses.weight(w, lambda, n, i, j, lengths.length, longest, pieces, steps,
                    per[j - i]);
              }
            }
          }
          assertEquals(1, sum, 1e-12, w + " lambda " + lambda + " " + Arrays.toString(lengths));
        }
      }
    });
    // n = 1 pieces weigh 1/N; n = 3, lambda = 0.9: 100/561, 30/187, 27/187 (spec 2.4)
    assertEquals(0.25, Losses.weight(Loss.Weighting.GEOMETRIC_WITHIN, 0.9, 1, 0, 1, 4, 1, 4, 4, 4),
        1e-15);
    assertEquals(100.0 / 561, Losses.weight(Loss.Weighting.GEOMETRIC_WITHIN, 0.9, 3, 0, 1, 1, 3,
        6, 3, 3), 1e-15);
    assertEquals(30.0 / 187, Losses.weight(Loss.Weighting.GEOMETRIC_WITHIN, 0.9, 3, 0, 2, 1, 3,
        6, 3, 2), 1e-15);
    assertEquals(27.0 / 187, Losses.weight(Loss.Weighting.GEOMETRIC_WITHIN, 0.9, 3, 0, 3, 1, 3,
        6, 3, 1), 1e-15);
  }

  /**
   * Spec property 16 over random Linex asymmetries alpha (|alpha| in [0.05, 3]) and residuals t in
   * [-5, 5]: g(0) = 0, g'(0) = 0, g(t) &gt;= 0 and t g'(t) &gt;= 0 (0 is the minimum; Varian 1975
   * for Linex), g' agrees with a central difference of g, ShiftedCosh is even (g' odd), and Linex
   * rejects alpha = 0 or non-finite alpha with a ModelException.
   */
  @Test
  void regressionFunctionsAreNonNegativeMinimisedAtZeroForEveryAsymmetry() {
    qt().withFixedSeed(918).withExamples(500)
        .forAll(QuickTheoriesGen.of(Generator.of(rng -> new double[] {
            (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(0.05, 3), rng.nextDouble(-5, 5)})))
        .checkAssert(at -> {
          double t = at[1];
          List<Regression> gs = List.of(Regression.squared(), Regression.shiftedCosh(),
              Regression.linex(at[0]));
          for (Regression g : gs) {
            assertEquals(0, g.value(0), 0, g.toString());
            assertEquals(0, g.derivative(0), 0, g.toString());
            assertTrue(g.value(t) >= 0, g + " at " + t);
            assertTrue(t * g.derivative(t) >= 0, g + " slope at " + t);
            double h = 1e-5;
            double numeric = (g.value(t + h) - g.value(t - h)) / (2 * h);
            assertEquals(numeric, g.derivative(t), 1e-5 * (1 + Math.abs(numeric)), g + " at " + t);
          }
          Regression cosh = Regression.shiftedCosh();
          assertEquals(cosh.value(t), cosh.value(-t), 0);
          assertEquals(-cosh.derivative(t), cosh.derivative(-t), 0);
        });
    for (double bad : new double[] {0, -0.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      org.junit.jupiter.api.Assertions.assertThrows(dev.fixpoint.dsl.ModelException.class,
          () -> Regression.linex(bad), "alpha " + bad);
    }
  }
}
