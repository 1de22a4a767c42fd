package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.StepSize;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.Solution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Policy mirror descent (PMD) as a described process: a mirror map and a step-size schedule. A run
 * starts from pi_0 and, for k = 0, 1, ..., evaluates pi_k exactly (V^{pi_k}, Q^{pi_k}) and sets
 *
 * <pre>pi_{k+1}(.|s) = argmax_{p in Delta(A_s)} { eta_k &lt;Q^{pi_k}(s, .), p&gt; - D_h(p, pi_k(.|s)) }</pre>
 *
 * for every non-terminal s (spec A1; Xiao 2022, JMLR; Lan 2022; the update itself is {@link
 * MirrorUpdates}). Every iterate improves on the last in every state, V^{pi_{k+1}} &gt;= V^{pi_k}
 * (three-point lemma with p = pi_k, then the performance-difference lemma; spec A1).
 *
 * <p>Steps eta_k follow the {@link StepSize}: constant; geometric eta_0 / gamma^k (infinite after
 * the first step when gamma = 0); Johnson, Pike-Burke and Rebeschini's (2023) adaptive eta_k =
 * max_s min_{p greedy} D_h(p, pi_k(.|s)) / c_k with c_k = c_0 gamma^(2k+1) (infinite when c_k = 0;
 * the run stops with {@link MirrorRun.Stop#GREEDY} when the maximum is 0, never dividing by it);
 * or infinite, the greedy limit, which from a deterministic pi_k is one policy iteration step. A
 * run also stops ({@link MirrorRun.Stop#UNCHANGED}) when an update returns the same policy.
 *
 * <p>KL and Tsallis need a start with full support on every available action (a zero-mass action
 * stays at zero, and the divergence is infinite there): a start without it is refused with a
 * {@link ModelException} naming the state and action.
 *
 * <p>With discount 1 every iterate must be a proper policy: policy evaluation throws {@link
 * dev.fixpoint.dsl.ImproperPolicyException} naming the state otherwise. In doubles, the greedy set
 * argmax_a Q(s, a) (infinite and adaptive steps) holds the actions within 1e-12 max(1, max_a
 * |Q(s, a)|) of the maximum; a double run's explanation says so.
 *
 * @param map the mirror map h
 * @param step the step-size schedule
 */
@API(status = API.Status.EXPERIMENTAL)
public record PolicyMirrorDescent(MirrorMap map, StepSize step) {
  private static final String DOUBLE_TIES = "; double arithmetic: greedy sets include actions "
      + "within " + MirrorUpdates.TIE + " max(1, max_a |Q(s, a)|) of the maximum";

  /** Checks the components. */
  public PolicyMirrorDescent {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(step, "step");
  }

  /**
   * {@return PMD with this map and schedule}
   * @param map the mirror map
   * @param step the step-size schedule
   */
  public static PolicyMirrorDescent of(MirrorMap map, StepSize step) {
    return new PolicyMirrorDescent(map, step);
  }

  /**
   * Runs PMD in double arithmetic (every mirror map): up to {@code updates} updates, each iterate
   * evaluated by {@link PolicyEvaluation#direct}.
   *
   * @param m the model
   * @param start pi_0
   * @param updates the most updates, &gt;= 0
   * @param <S> the state type
   * @param <A> the action type
   * @return the iterates and the stop reason
   * @throws ModelException when pi_0 lacks full support under KL or Tsallis, or does not fit m
   */
  public <S, A> MirrorRun<S, A> run(TabularMdp<S, A> m, TabularPolicy<S, A> start, int updates) {
    checkUpdates(updates);
    requireFullSupport(m, start);
    List<MirrorIterate<S, A>> out = new ArrayList<>();
    TabularPolicy<S, A> pi = start;
    double eta = 0;
    for (int k = 0; ; k++) {
      Solution<S, A> sol = PolicyEvaluation.direct(m, pi);
      out.add(new MirrorIterate<>(k, pi, sol.values(), sol.q(), eta));
      if (k == updates) {
        return new MirrorRun<>(m, this, false, out, MirrorRun.Stop.ITERATIONS,
            updates + " updates made" + DOUBLE_TIES);
      }
      double[] p = pi.toArray();
      double[] q = sol.q().toArray();
      eta = stepDouble(m, k, p, q);
      if (eta == 0) {
        return new MirrorRun<>(m, this, false, out, MirrorRun.Stop.GREEDY,
            greedyStop(k) + DOUBLE_TIES);
      }
      double[] next = MirrorUpdates.update(m, map, eta, p, q);
      if (Arrays.equals(next, p)) {
        return new MirrorRun<>(m, this, false, out, MirrorRun.Stop.UNCHANGED,
            unchanged(k, eta) + DOUBLE_TIES);
      }
      pi = TabularPolicy.of(m, next);
    }
  }

  /**
   * Runs Euclidean PMD in exact rational arithmetic: projections, steps (the adaptive step's
   * divergence (1/2)||p* - pi_k||^2 is rational) and {@link PolicyEvaluation#exact} at every
   * iterate.
   *
   * @param m an exact model
   * @param start an exact pi_0
   * @param updates the most updates, &gt;= 0
   * @param <S> the state type
   * @param <A> the action type
   * @return the iterates, all exact
   * @throws ModelException when the map is not Euclidean (KL and Tsallis updates are irrational)
   * @throws dev.fixpoint.dsl.InexactModelException when the model or pi_0 is inexact
   */
  public <S, A> MirrorRun<S, A> runExact(TabularMdp<S, A> m, TabularPolicy<S, A> start,
      int updates) {
    checkUpdates(updates);
    if (!(map instanceof MirrorMap.Euclidean)) {
      throw new ModelException("exact policy mirror descent needs the Euclidean map: the " + map
          + " update involves exp/log or fractional powers; use run() (double arithmetic)");
    }
    List<MirrorIterate<S, A>> out = new ArrayList<>();
    TabularPolicy<S, A> pi = start;
    double eta = 0;
    for (int k = 0; ; k++) {
      Solution<S, A> sol = PolicyEvaluation.exact(m, pi);
      out.add(new MirrorIterate<>(k, pi, sol.values(), sol.q(), eta));
      if (k == updates) {
        return new MirrorRun<>(m, this, true, out, MirrorRun.Stop.ITERATIONS,
            updates + " updates made");
      }
      BigFraction[] p = pi.toExactArray();
      BigFraction[] q = sol.q().toExactArray();
      @Nullable BigFraction e = stepExact(m, k, p, q);
      if (e != null && Rationals.signum(e) == 0) {
        return new MirrorRun<>(m, this, true, out, MirrorRun.Stop.GREEDY, greedyStop(k));
      }
      eta = e == null ? Double.POSITIVE_INFINITY : Rationals.toDouble(e);
      BigFraction[] next = MirrorUpdates.updateEuclideanExact(m, Optional.ofNullable(e), p, q);
      if (Arrays.equals(next, p)) {
        return new MirrorRun<>(m, this, true, out, MirrorRun.Stop.UNCHANGED, unchanged(k, eta));
      }
      pi = TabularPolicy.ofExact(m, next);
    }
  }

  // ------------------------------------------------------------------ steps

  private double stepDouble(TabularMdp<?, ?> m, int k, double[] p, double[] q) {
    double gamma = m.discount();
    return switch (step) {
      case StepSize.Constant c -> Rationals.toDouble(c.eta());
      case StepSize.Geometric g -> gamma == 0 && k > 0 ? Double.POSITIVE_INFINITY
          : Rationals.toDouble(g.initial()) / Math.pow(gamma, k);
      case StepSize.Adaptive a -> {
        double ck = Rationals.toDouble(a.c0()) * Math.pow(gamma, 2 * k + 1);
        double d = 0;
        for (int s = 0; s < m.numStates(); s++) {
          if (!m.isTerminal(s)) {
            d = Math.max(d, MirrorUpdates.greedyDivergence(map, p, q, m.rowStart(s),
                m.rowEnd(s)));
          }
        }
        yield d == 0 ? 0 : ck == 0 ? Double.POSITIVE_INFINITY : d / ck;
      }
      case StepSize.Infinite i -> Double.POSITIVE_INFINITY;
    };
  }

  /** The exact step; null for an infinite step. */
  private @Nullable BigFraction stepExact(TabularMdp<?, ?> m, int k, BigFraction[] p,
      BigFraction[] q) {
    BigFraction gamma = m.exact().discount();
    return switch (step) {
      case StepSize.Constant c -> c.eta();
      case StepSize.Geometric g -> Rationals.signum(gamma) == 0 && k > 0 ? null
          : g.initial().divide(gamma.pow(k));
      case StepSize.Adaptive a -> {
        BigFraction ck = a.c0().multiply(gamma.pow(2 * k + 1));
        BigFraction d = BigFraction.ZERO;
        for (int s = 0; s < m.numStates(); s++) {
          if (!m.isTerminal(s)) {
            d = Rationals.max(d, MirrorUpdates.greedyDivergenceEuclideanExact(p, q,
                m.rowStart(s), m.rowEnd(s)));
          }
        }
        yield Rationals.signum(d) == 0 ? BigFraction.ZERO
            : Rationals.signum(ck) == 0 ? null : d.divide(ck);
      }
      case StepSize.Infinite i -> null;
    };
  }

  // ------------------------------------------------------------------ checks and messages

  private <S, A> void requireFullSupport(TabularMdp<S, A> m, TabularPolicy<S, A> start) {
    if (map instanceof MirrorMap.Euclidean) {
      return;
    }
    if (start.mdp() != m) {
      throw new ModelException("the start policy belongs to " + start.mdp().name() + ", not to "
          + m.name());
    }
    for (int s = 0; s < m.numStates(); s++) {
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (!(start.probAt(r) > 0)) {
          throw new ModelException("state " + m.states().value(s) + ", action "
              + m.actions().value(m.rowAction(r)) + ": the start policy gives probability "
              + start.probAt(r) + ", but the " + map + " mirror map needs a start with full "
              + "support (an action with zero mass would stay at zero)");
        }
      }
    }
  }

  private static void checkUpdates(int updates) {
    if (updates < 0) {
      throw new IllegalArgumentException("updates must be >= 0, got " + updates);
    }
  }

  private String greedyStop(int k) {
    return "stopped before update " + (k + 1) + ": the adaptive step is 0 because pi_" + k
        + " is greedy with respect to its own Q, so it is optimal";
  }

  private static String unchanged(int k, double eta) {
    return "stopped at update " + (k + 1) + " (step " + eta + "): the update returned pi_" + k
        + " unchanged";
  }
}
