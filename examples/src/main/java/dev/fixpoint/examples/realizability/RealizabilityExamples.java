package dev.fixpoint.examples.realizability;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.dsl.features.Features;
import dev.fixpoint.examples.plot.LineFigure;
import dev.fixpoint.examples.plot.Series;
import dev.fixpoint.theory.realizability.Concentrability;
import dev.fixpoint.theory.realizability.DataWeights;
import dev.fixpoint.theory.realizability.TransitionData;
import dev.fixpoint.theory.realizability.InherentBellmanError;
import dev.fixpoint.theory.realizability.LinearEvaluation;
import dev.fixpoint.theory.realizability.LinearFeatures;
import dev.fixpoint.theory.realizability.LinearMdps;
import dev.fixpoint.theory.realizability.PopulationIterates;
import dev.fixpoint.theory.realizability.Realizability;
import dev.fixpoint.theory.realizability.SampleEstimators;
import java.util.SplittableRandom;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Three teaching examples for spec Part B, each a model, a linear class Phi, a data distribution
 * mu and a target policy, with {@link #table} printing every quantity.
 *
 * <ol>
 *   <li>{@link #twoState}: Sutton and Barto (2018, section 11.2) / Tsitsiklis and Van Roy (1997):
 *       state 1 -&gt; state 2 -&gt; state 2, one feature with values 1 and 2, r = 0 so Q^pi = 0 is
 *       realizable. A = mu_1 (1 - 2 gamma) + 4 mu_2 (1 - gamma) changes sign at mu_1/mu_2 =
 *       4 (1 - gamma)/(2 gamma - 1); past it expected TD(0) and FQE diverge while LSTD still returns
 *       Q^pi (its b is 0).
 *   <li>{@link #realizableButIncomplete}: random features plus the column Q^pi: eps_real = 0 and
 *       the TD fixed point is exact for every mu with invertible A, yet T^pi leaves the span: the
 *       inherent Bellman error on the ball is large and grows with the radius.
 *   <li>{@link #linearMdp}: P = Phi M, r = Phi w: complete for every T^pi and for T, IBE = 0.
 * </ol>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RealizabilityExamples {
  private RealizabilityExamples() {}

  /**
   * One example; build one for your own model to get {@link #table} for it.
   *
   * @param name a title
   * @param mdp the model (any state and action types)
   * @param phi Phi
   * @param mu mu
   * @param pi the target policy
   */
  public record Example(String name, TabularMdp<?, ?> mdp, LinearFeatures phi,
      DataWeights mu, TabularPolicy<?, ?> pi) {
    /** {@return the population analysis} */
    public LinearEvaluation evaluate() {
      return Realizability.evaluate(mdp, phi, mu, pi);
    }
  }

  private static final BigFraction ZERO = BigFraction.ZERO;
  private static final BigFraction ONE = BigFraction.ONE;

  /**
   * {@return the two-state chain with discount gamma and reward r at state 2 (model only)}
   * @param gamma the discount, e.g. "9/10"
   * @param reward r(2), e.g. "0"
   */
  public static TabularMdp<Integer, Integer> chain(String gamma, String reward) {
    return LinearMdps.dense("two-state chain", new BigFraction[][][] {{{ZERO, ONE}}, {{ZERO, ONE}}},
        new BigFraction[][] {{ZERO}, {Rationals.parse(reward)}}, Rationals.parse(gamma),
        new BigFraction[] {ONE, ZERO});
  }

  /**
   * The two-state counterexample at a given mu_1 (mu_2 = 1 - mu_1).
   *
   * @param gamma the discount, e.g. "9/10"
   * @param mu1 the weight of state 1, e.g. "1/2"
   * @return the example
   */
  public static Example twoState(String gamma, String mu1) {
    TabularMdp<Integer, Integer> m = chain(gamma, "0");
    BigFraction w = Rationals.parse(mu1);
    return new Example("two-state counterexample, gamma " + gamma + ", mu_1 " + mu1, m,
        LinearFeatures.of(m, Features.parse(new String[][] {{"1"}, {"2"}})),
        DataWeights.of(m, DataDistribution.exact(new BigFraction[] {w, ONE.subtract(w)})),
        TabularPolicy.ofExact(m, new BigFraction[] {ONE, ONE}));
  }

  /**
   * {@return the mu_1 where A = 0: 4 (1 - gamma) / (4 (1 - gamma) + 2 gamma - 1), for gamma &gt;
   * 1/2} From mu_1 (2 gamma - 1) = 4 (1 - mu_1)(1 - gamma).
   * @param gamma the discount
   */
  public static BigFraction boundary(BigFraction gamma) {
    BigFraction four = new BigFraction(4).multiply(ONE.subtract(gamma));
    return four.divide(four.add(gamma.multiply(2)).subtract(ONE));
  }

  /**
   * The realizable-but-incomplete example: a 2-state, 2-action model with stochastic transitions,
   * one random feature plus the column Q^pi of the uniform policy, mu given.
   *
   * @return the example
   */
  public static Example realizableButIncomplete() {
    BigFraction h = new BigFraction(1, 2);
    BigFraction q = new BigFraction(1, 4);
    BigFraction tq = new BigFraction(3, 4);
    TabularMdp<Integer, Integer> m = LinearMdps.dense("two states, two actions",
        new BigFraction[][][] {{{h, h}, {q, tq}}, {{tq, q}, {ONE, ZERO}}},
        new BigFraction[][] {{ONE, ZERO}, {new BigFraction(2), h}}, new BigFraction(4, 5),
        new BigFraction[] {h, h});
    TabularPolicy<Integer, Integer> pi = TabularPolicy.uniform(m);
    DataWeights mu = DataWeights.of(m, DataDistribution.parse("1/10", "2/10", "3/10", "4/10"));
    LinearFeatures base = LinearFeatures.of(m, Features.random(1, 3, 2));
    LinearEvaluation oneHot = Realizability.evaluate(m, Features.oneHot(),
        DataDistribution.parse("1/10", "2/10", "3/10", "4/10"), pi);
    LinearFeatures phi = base.withColumn(oneHot.q(), oneHot.qExact().get());
    return new Example("realizable but incomplete (random feature + Q^pi)", m, phi, mu, pi);
  }

  /**
   * The linear MDP with S = 3, A = 2, d = 2: phi(s, a) in {(1, 0), (1/2, 1/2), (0, 1), ...}, M
   * rows (1/2, 1/4, 1/4) and (0, 1/3, 2/3), w = (1, 0), gamma = 9/10, mu uniform, uniform policy.
   *
   * @return the example
   */
  public static Example linearMdp() {
    BigFraction h = new BigFraction(1, 2);
    BigFraction[][] phi = {{ONE, ZERO}, {h, h}, {ZERO, ONE}, {new BigFraction(1, 4),
        new BigFraction(3, 4)}, {h, h}, {ONE, ZERO}};
    BigFraction[][] mm = {{h, new BigFraction(1, 4), new BigFraction(1, 4)},
        {ZERO, new BigFraction(1, 3), new BigFraction(2, 3)}};
    LinearMdps.WithFeatures lm = LinearMdps.linear(3, 2, phi, mm, new BigFraction[] {ONE, ZERO},
        new BigFraction(9, 10));
    TabularMdp<Integer, Integer> m = lm.mdp();
    BigFraction[] u = new BigFraction[m.numRows()];
    java.util.Arrays.fill(u, new BigFraction(1, m.numRows()));
    return new Example("linear MDP (S = 3, A = 2, d = 2)", m, lm.features(),
        DataWeights.of(m, DataDistribution.exact(u)), TabularPolicy.uniform(m));
  }

  /**
   * {@return every quantity for an example: the population analysis and its bounds, the IBE on
   * the balls B = 1 and 10 (T^pi) and the bounds for T, the concentrability coefficients, and
   * LSTD from 5000 samples (seed 1), sample TD(0) (alpha 1/100, 10 passes) and population FQE
   * (100 steps), both started at theta = (1, ..., 1)}
   * @param ex the example
   */
  public static String table(Example ex) {
    LinearEvaluation ev = ex.evaluate();
    StringBuilder sb = new StringBuilder("== ").append(ex.name()).append('\n');
    sb.append(ev.table());
    for (double b : new double[] {1, 10}) {
      InherentBellmanError.Ball ball = InherentBellmanError.evaluation(ex.mdp(), ex.phi(),
          ex.mu(), ex.pi(), b);
      line(sb, "IBE_B(T^pi), B = " + b, ball.value() + (ball.hardCase() ? " (hard case)" : ""));
      for (Bound bd : InherentBellmanError.optimality(ex.mdp(), ex.phi(), ex.mu(), b, 4,
          new SplittableRandom(1))) {
        line(sb, "IBE_B(T) " + (bd instanceof Bound.Lower ? ">=" : "<=") + ", B = " + b,
            Double.toString(bd.value()));
      }
    }
    line(sb, "complete for T (sufficient test)",
        Boolean.toString(Realizability.isCompleteForOptimality(ex.mdp(), ex.phi())));
    line(sb, "C^pi", Concentrability.single(ex.mdp(), ex.pi(), ex.mu()).value() + "");
    line(sb, "C_all", Concentrability.all(ex.mdp(), ex.mu()).value() + "");
    Bound cj = Concentrability.perStep(ex.mdp(), ex.mu(), 20);
    line(sb, "C_CJ(H = 20) >=", Double.toString(cj.value()));
    var munos = Concentrability.munos(ex.mdp(), ex.mu(), 50);
    line(sb, "C_{rho,mu} in (H = 50)", "[" + munos.get(0).value() + ", " + munos.get(1).value()
        + "]");
    TransitionData data = TransitionData.draw(ex.mdp(), ex.mu(), 5000, new SplittableRandom(1));
    double[] ones = new double[ex.phi().dimension()];
    java.util.Arrays.fill(ones, 1.0);
    line(sb, "LSTD (N = 5000) error", SampleEstimators.lstd(data, ex.phi(), ex.pi())
        .map(t -> Double.toString(ev.errorOf(t))).getOrElse("Ahat singular"));
    SampleEstimators.Run td = SampleEstimators.td0(data, ex.phi(), ex.pi(), 0.01, ones, 10);
    line(sb, "TD(0) (10 passes, theta_0 = 1) error", td.finite() ? Double.toString(ev.errorOf(td.last()))
        : "diverged (overflow)");
    double[][] fqe = PopulationIterates.fqe(ev, ones, 100);
    line(sb, "pop. FQE (100 steps, theta_0 = 1) err", Double.toString(ev.errorOf(fqe[100])));
    return sb.toString();
  }

  /**
   * {@return a sweep of the two-state counterexample over mu_1 in k/12: A, FQE radius, kappa_TD,
   * and the expected TD(0) parameter after 200 steps (alpha 1/10, theta_0 = 1)}
   * @param gamma the discount
   */
  public static String sweep(String gamma) {
    StringBuilder sb = new StringBuilder(String.format("%-8s %-10s %-10s %-12s %s%n", "mu_1", "A",
        "FQE rho", "kappa_TD", "E[TD(0)] theta_200"));
    for (int k = 1; k < 12; k++) {
      Example ex = twoState(gamma, k + "/12");
      LinearEvaluation ev = ex.evaluate();
      double[][] td = PopulationIterates.expectedTd0(ev, 0.1, new double[] {1}, 200);
      sb.append(String.format("%-8s %-10.4f %-10.4f %-12.4g %.4g%n", k + "/12", ev.matrixA()[0][0],
          ev.fqeSpectralRadius(), ev.kappa(), td[200][0]));
    }
    sb.append("A = 0 at mu_1 = ").append(Rationals.format(boundary(Rationals.parse(gamma))))
        .append('\n');
    return sb.toString();
  }

  /**
   * {@return a figure of the two-state counterexample against mu_1 in (0, 1): A, the FQE spectral
   * radius and the line 1; A crosses 0 exactly where the radius crosses 1}
   * @param gamma the discount
   */
  public static LineFigure sweepFigure(String gamma) {
    int k = 99;
    double[] x = new double[k];
    double[] a = new double[k];
    double[] rho = new double[k];
    double[] one = new double[k];
    for (int i = 0; i < k; i++) {
      LinearEvaluation ev = twoState(gamma, (i + 1) + "/100").evaluate();
      x[i] = (i + 1) / 100.0;
      a[i] = ev.matrixA()[0][0];
      rho[i] = ev.fqeSpectralRadius();
      one[i] = 1;
    }
    return LineFigure.of("two-state counterexample, gamma = " + gamma, "mu_1", "value", false,
        java.util.List.of(new Series("A (TD matrix)", x, a), new Series("FQE spectral radius", x,
            rho), new Series("1", x, one))).withYRange(Math.min(-0.1, min(a) - 0.1),
        Math.max(1.1, max(rho) + 0.1));
  }

  /**
   * {@return |theta_k| of expected TD(0) (alpha 1/10, theta_0 = 1) for several mu_1, log scale}
   * @param gamma the discount
   * @param mu1s the values of mu_1, e.g. "1/6", "1/3", "1/2"
   */
  public static LineFigure tdFigure(String gamma, String... mu1s) {
    java.util.List<Series> curves = new java.util.ArrayList<>();
    for (String mu1 : mu1s) {
      double[][] td = PopulationIterates.expectedTd0(twoState(gamma, mu1).evaluate(), 0.1,
          new double[] {1}, 100);
      double[] y = new double[td.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = Math.max(Math.abs(td[i][0]), 1e-300);
      }
      curves.add(Series.indexed("mu_1 = " + mu1, y));
    }
    return LineFigure.of("expected TD(0), gamma = " + gamma, "step", "|theta_k|", true, curves);
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static void line(StringBuilder sb, String k, String v) {
    sb.append(String.format("  %-32s %s%n", k, v));
  }
}
