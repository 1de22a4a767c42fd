package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.Bound.Term;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.features.DataDistribution;
import dev.fixpoint.dsl.features.Features;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Entry points for spec Part B1-B3: analyse a linear class for policy evaluation (Q^pi) or for
 * control (Q* = Q^{pi*}). The exact tier is used when the model, Phi, mu and the policy are all
 * exact; otherwise everything runs in double. gamma must make I - gamma P^pi invertible (gamma
 * &lt; 1, or a proper policy).
 *
 * <pre>{@code
 * var ev = Realizability.evaluate(mdp, Features.oneHot(), DataDistribution.occupancy(b), pi);
 * System.out.println(ev.table());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Realizability {
  private Realizability() {}

  /**
   * Analyses Phi and mu for evaluating pi (spec B1, B2 rank test, B3).
   *
   * @param m the model
   * @param phi the feature matrix
   * @param mu the data distribution
   * @param pi the target policy
   * @return every quantity of {@link LinearEvaluation}
   * @throws dev.fixpoint.dsl.ModelException when the sizes disagree, when Sigma is singular
   *     (features dependent on the support of mu) or when Q^pi is undefined
   */
  public static LinearEvaluation evaluate(TabularMdp<?, ?> m, LinearFeatures phi, DataWeights mu,
      TabularPolicy<?, ?> pi) {
    String what = m.name() + ", Phi " + phi.description() + ", mu " + mu.description()
        + ", evaluating pi";
    if (m.isExact() && phi.isExact() && mu.isExact() && pi.isExact()) {
      RowModel<BigFraction> rm = new RowModel<>(Field.EXACT, m);
      return new LinearEvaluation(new Analysis<>(Field.EXACT, rm, phi, mu, pi, null), what);
    }
    RowModel<Double> rm = new RowModel<>(Field.DOUBLE, m);
    return new LinearEvaluation(new Analysis<>(Field.DOUBLE, rm, phi, mu, pi, null), what);
  }

  /**
   * Same as {@link #evaluate(TabularMdp, LinearFeatures, DataWeights, TabularPolicy)} from DSL
   * terms.
   *
   * @param m the model
   * @param features the feature term
   * @param mu the data-distribution term
   * @param pi the target policy
   * @param <S> state type
   * @param <A> action type
   * @return the analysis
   */
  public static <S, A> LinearEvaluation evaluate(TabularMdp<S, A> m, Features<S, A> features,
      DataDistribution<S, A> mu, TabularPolicy<S, A> pi) {
    return evaluate(m, LinearFeatures.of(m, features), DataWeights.of(m, mu), pi);
  }

  /**
   * Analyses Phi and mu for control: Q* and the TD fixed point of an optimal deterministic policy
   * pi* (found by exact policy iteration when the model is exact, else by double policy
   * iteration). Realizability of Q* is {@link LinearEvaluation#isRealizable()} of the result.
   *
   * @param m the model
   * @param phi the feature matrix
   * @param mu the data distribution
   * @return the analysis of pi*
   */
  public static LinearEvaluation control(TabularMdp<?, ?> m, LinearFeatures phi, DataWeights mu) {
    return evaluate(m, phi, mu, optimalPolicy(m));
  }

  /**
   * The sup-norm realizability error min_theta ||Phi theta - q||_inf, exactly, by the dual linear
   * programme max q^T y s.t. Phi^T y = 0, ||y||_1 &lt;= 1 solved with the exact simplex method
   * (spec B1). Double inputs are converted exactly to rationals first, so the result is the exact
   * value for the given doubles.
   *
   * @param phi Phi (n x d)
   * @param q the target over rows (Q^pi or Q*)
   * @return the error as an exact term
   */
  public static Term supNormError(LinearFeatures phi, BigFraction[] q) {
    if (q.length != phi.rows()) {
      throw new dev.fixpoint.dsl.ModelException("target has " + q.length + " entries, Phi has "
          + phi.rows() + " rows");
    }
    BigFraction[][] e = phi.toExactArray().getOrElse(() -> {
      double[][] d = phi.toArray();
      BigFraction[][] x = new BigFraction[d.length][d[0].length];
      for (int i = 0; i < d.length; i++) {
        for (int j = 0; j < d[0].length; j++) {
          x[i][j] = Rationals.fromDouble(d[i][j]);
        }
      }
      return x;
    });
    return Term.of("min_theta ||Phi theta - Q||_inf", "sup-norm realizability error (exact LP)",
        SupNorm.error(e, q.clone()));
  }

  /**
   * {@return min_theta ||Phi theta - Q^pi||_inf for the Q^pi of an analysis (exact when it was)}
   * @param ev an analysis
   */
  public static Term supNormError(LinearEvaluation ev) {
    BigFraction[] q = ev.qExact().getOrElse(() -> {
      double[] d = ev.q();
      BigFraction[] x = new BigFraction[d.length];
      for (int i = 0; i < d.length; i++) {
        x[i] = Rationals.fromDouble(d[i]);
      }
      return x;
    });
    return supNormError(ev.features(), q);
  }

  /**
   * Realizability of Q^pi for each policy of a sample (spec B1: "all-policy realizability" cannot
   * be certified by finitely many policies in general, so this reports the sample only). Uses the
   * mu-free exact rank test rank[Phi | Q^pi] = rank Phi in the exact tier when the model, Phi and
   * the policy are exact.
   *
   * @param m the model
   * @param phi Phi
   * @param policies the sample
   * @return one flag per policy, in order
   */
  public static io.vavr.collection.List<Boolean> realizableFor(TabularMdp<?, ?> m,
      LinearFeatures phi, java.util.List<? extends TabularPolicy<?, ?>> policies) {
    io.vavr.collection.List<Boolean> out = io.vavr.collection.List.empty();
    for (TabularPolicy<?, ?> pi : policies) {
      out = out.append(m.isExact() && phi.isExact() && pi.isExact()
          ? rankTest(Field.EXACT, m, phi, pi) : rankTest(Field.DOUBLE, m, phi, pi));
    }
    return out;
  }

  private static <T> boolean rankTest(Field<T> f, TabularMdp<?, ?> m, LinearFeatures phi,
      TabularPolicy<?, ?> pi) {
    if (phi.rows() != m.numRows()) {
      throw new dev.fixpoint.dsl.ModelException("Phi has " + phi.rows() + " rows, the model "
          + m.name() + " has " + m.numRows());
    }
    RowModel<T> rm = new RowModel<>(f, m);
    T[] q = rm.evaluate(rm.kernel(rm.policy(pi)), rm.r);
    T[][] p = phi.in(f);
    return Dense.rank(f, Dense.hstack(f, p, Dense.column(f, q))) == Dense.rank(f, p);
  }

  static <S, A> TabularPolicy<S, A> optimalPolicy(TabularMdp<S, A> m) {
    Solution<S, A> sol = m.isExact() ? PolicyIteration.solveExact(m) : PolicyIteration.solve(m);
    return sol.policy();
  }

  /**
   * Sufficient test for Bellman completeness of span Phi under the optimality operator T (spec
   * B2): rank[Phi | r | P] = rank Phi with P in R^{n x S}; then T f = r + gamma P m(f) stays in the
   * span for every f (exact in the exact tier).
   *
   * @param m the model
   * @param phi the feature matrix
   * @return whether the sufficient condition holds
   */
  public static boolean isCompleteForOptimality(TabularMdp<?, ?> m, LinearFeatures phi) {
    if (m.isExact() && phi.isExact()) {
      return completeT(Field.EXACT, m, phi);
    }
    return completeT(Field.DOUBLE, m, phi);
  }

  private static <T> boolean completeT(Field<T> f, TabularMdp<?, ?> m, LinearFeatures phi) {
    RowModel<T> rm = new RowModel<>(f, m);
    T[][] p = phi.in(f);
    return Dense.rank(f, Dense.hstack(f, p, Dense.column(f, rm.r), rm.kernel()))
        == Dense.rank(f, p);
  }
}
