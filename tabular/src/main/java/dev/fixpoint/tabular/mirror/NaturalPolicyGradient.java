package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.Solution;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Natural policy gradient (NPG; Kakade 2001) for the tabular softmax parameterisation
 * pi_theta(a|s) = exp(theta(s,a)) / sum_b exp(theta(s,b)), run on the logits theta themselves:
 *
 * <pre>theta_{t+1}(s,a) = theta_t(s,a) + eta A^{pi_t}(s,a) / (1 - gamma),   A = Q - V</pre>
 *
 * (Agarwal, Kakade, Lee and Mahajan, JMLR 2021, NPG section: for the softmax parameterisation the
 * Fisher-preconditioned gradient is A^{pi}/(1 - gamma) up to a per-state constant). Exponentiated,
 * pi_{t+1}(a|s) is proportional to pi_t(a|s) exp(eta A^{pi_t}(s,a)/(1 - gamma)): KL policy mirror
 * descent with the constant step eta/(1 - gamma) (spec A1.1; the property suite checks the two
 * runs agree). The sublinear rate V*(rho) - V^{pi_T}(rho) &lt;= log|A|/(eta T) + 1/((1-gamma)^2 T)
 * from the uniform start is {@code theory.mirror.MirrorBounds.npg}.
 *
 * <p>Logits are unbounded (they drift by eta A/(1-gamma) per update); the policy is recovered with
 * a per-state max-shift, so large logits neither overflow nor lose the softmax. NPG needs gamma
 * &lt; 1 (its step is eta/(1 - gamma)); a model with gamma = 1 is refused.
 *
 * @param eta the step eta &gt; 0 (finite)
 */
@API(status = API.Status.EXPERIMENTAL)
public record NaturalPolicyGradient(double eta) {

  /** Checks the step. */
  public NaturalPolicyGradient {
    if (!(eta > 0) || Double.isInfinite(eta)) {
      throw new ModelException("NPG step eta = " + eta + " must be finite and positive");
    }
  }

  /**
   * {@return NPG with step eta}
   * @param eta eta &gt; 0
   */
  public static NaturalPolicyGradient of(double eta) {
    return new NaturalPolicyGradient(eta);
  }

  /**
   * {@return the equivalent KL mirror-descent step eta/(1 - gamma)}
   * @param gamma the discount, &lt; 1
   */
  public double mirrorStep(double gamma) {
    return eta / (1 - gamma);
  }

  /**
   * The softmax policy of logits over rows: pi(r) = exp(theta(r) - max_s theta) / sum over the
   * state's rows; terminal states have no rows.
   *
   * @param m the model
   * @param logits theta over rows, finite
   * @return pi over rows
   * @throws ModelException when a logit is not finite (named by state and action)
   */
  public static double[] softmax(TabularMdp<?, ?> m, double[] logits) {
    if (logits.length != m.numRows()) {
      throw new IllegalArgumentException("logits must have " + m.numRows()
          + " entries (one per row), got " + logits.length);
    }
    double[] p = new double[logits.length];
    for (int s = 0; s < m.numStates(); s++) {
      int lo = m.rowStart(s);
      int hi = m.rowEnd(s);
      double mx = Double.NEGATIVE_INFINITY;
      for (int r = lo; r < hi; r++) {
        if (!Double.isFinite(logits[r])) {
          throw new ModelException("state " + m.states().value(s) + ", action "
              + m.actions().value(m.rowAction(r)) + ": logit " + logits[r] + " is not finite");
        }
        mx = Math.max(mx, logits[r]);
      }
      double sum = 0;
      for (int r = lo; r < hi; r++) {
        p[r] = Math.exp(logits[r] - mx);
        sum += p[r];
      }
      for (int r = lo; r < hi; r++) {
        p[r] /= sum;
      }
    }
    return p;
  }

  /**
   * Logits of a policy with full support: theta = log pi (one of the many logit vectors whose
   * softmax is pi).
   *
   * @param pi the policy
   * @return log pi over rows
   * @throws ModelException when pi gives an action probability 0 (no finite logit)
   */
  public static double[] logits(TabularPolicy<?, ?> pi) {
    TabularMdp<?, ?> m = pi.mdp();
    double[] t = new double[m.numRows()];
    for (int r = 0; r < t.length; r++) {
      if (!(pi.probAt(r) > 0)) {
        throw new ModelException("state " + m.states().value(m.rowState(r)) + ", action "
            + m.actions().value(m.rowAction(r)) + ": probability " + pi.probAt(r)
            + " has no finite softmax logit; NPG needs a start with full support");
      }
      t[r] = Math.log(pi.probAt(r));
    }
    return t;
  }

  /**
   * Runs NPG from logits theta_0 for {@code updates} updates, evaluating each iterate exactly up
   * to rounding ({@link PolicyEvaluation#direct}).
   *
   * @param m the model, gamma &lt; 1
   * @param logits0 theta_0 over rows
   * @param updates the number of updates, &gt;= 0
   * @param <S> the state type
   * @param <A> the action type
   * @return the iterates (with step eta/(1 - gamma) recorded) and their logits
   * @throws ModelException when gamma = 1 or a logit is not finite
   */
  public <S, A> NpgRun<S, A> run(TabularMdp<S, A> m, double[] logits0, int updates) {
    if (updates < 0) {
      throw new IllegalArgumentException("updates must be >= 0, got " + updates);
    }
    double gamma = m.discount();
    if (!(gamma < 1)) {
      throw new ModelException(m.name() + ": NPG needs a discount below 1, got " + gamma
          + " (its step is eta/(1 - gamma))");
    }
    double scale = mirrorStep(gamma);
    double[] theta = logits0.clone();
    List<MirrorIterate<S, A>> its = new ArrayList<>();
    List<double[]> ls = new ArrayList<>();
    for (int t = 0; ; t++) {
      TabularPolicy<S, A> pi = TabularPolicy.of(m, softmax(m, theta));
      Solution<S, A> sol = PolicyEvaluation.direct(m, pi);
      its.add(new MirrorIterate<>(t, pi, sol.values(), sol.q(), t == 0 ? 0 : scale));
      ls.add(theta.clone());
      if (t == updates) {
        return new NpgRun<>(m, this, its, ls);
      }
      double[] q = sol.q().toArray();
      double[] v = sol.values().toArray();
      for (int r = 0; r < theta.length; r++) {
        theta[r] += scale * (q[r] - v[m.rowState(r)]);
      }
    }
  }

  /**
   * Runs NPG from theta_0 = log pi_0.
   *
   * @param m the model, gamma &lt; 1
   * @param start pi_0, with full support
   * @param updates the number of updates
   * @param <S> the state type
   * @param <A> the action type
   * @return the run
   */
  public <S, A> NpgRun<S, A> run(TabularMdp<S, A> m, TabularPolicy<S, A> start, int updates) {
    return run(m, logits(start), updates);
  }

  /**
   * An NPG run: the iterates pi_t = softmax(theta_t) with their exact values, and the logits.
   *
   * @param mdp the model
   * @param method the NPG step
   * @param iterates pi_0 .. pi_T
   * @param logits theta_0 .. theta_T (kept private copies; read with {@link #logitsAt})
   * @param <S> the state type
   * @param <A> the action type
   */
  public record NpgRun<S, A>(TabularMdp<S, A> mdp, NaturalPolicyGradient method,
      List<MirrorIterate<S, A>> iterates, List<double[]> logits) {
    /** Copies the lists. */
    public NpgRun {
      iterates = List.copyOf(iterates);
      logits = List.copyOf(logits);
    }

    /**
     * {@return a copy of theta_t}
     * @param t the iterate index
     */
    public double[] logitsAt(int t) {
      return logits.get(t).clone();
    }

    /** {@return the last iterate} */
    public MirrorIterate<S, A> last() {
      return iterates.get(iterates.size() - 1);
    }
  }
}
