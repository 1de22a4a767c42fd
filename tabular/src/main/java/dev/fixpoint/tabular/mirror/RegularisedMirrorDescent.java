package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Policy mirror descent on an entropy-regularised MDP (temperature tau; see {@link
 * EntropyRegularised}), in the two parameterisations of the literature. Both are the KL update
 *
 * <pre>pi_{k+1}(a|s) proportional to pi_k(a|s)^keep exp(scale Q_tau^{pi_k}(s,a))</pre>
 *
 * <ul>
 *   <li>{@link Kind#CEN_NPG}: entropy-regularised NPG of Cen, Cheng, Chen, Wei and Chi (Operations
 *       Research 2022, arXiv 2007.06558), keep = 1 - eta tau/(1-gamma), scale = eta/(1-gamma), for
 *       0 &lt; eta &lt;= (1-gamma)/tau; eta = (1-gamma)/tau is soft policy iteration pi_{k+1}
 *       proportional to exp(Q_tau^{pi_k}/tau). Their Theorem 1 gives the linear rate (1 - eta
 *       tau) (spec A3; {@code theory.mirror.MirrorBounds.cen});
 *   <li>{@link Kind#LAN_PMD}: Lan's regularised PMD (Math. Programming 2023, arXiv 2102.00135) in
 *       reward form with h = tau negentropy: keep = 1/(1 + eta tau), scale = eta/(1 + eta tau);
 *       with 1 + eta tau = 1/gamma the nu*-weighted gap contracts by gamma per step (spec A3;
 *       {@code theory.mirror.MirrorBounds.lan}). The two coincide when eta_Cen/(1-gamma) =
 *       eta_Lan/(1 + eta_Lan tau).
 * </ul>
 *
 * <p>Every iterate carries its exact regularised values V_tau^{pi_k}, Q_tau^{pi_k} (one LU solve).
 * The start must have full support (a zero-mass action stays at zero while keep &gt; 0, and the
 * regularised optimum has full support); gamma must be below 1.
 *
 * @param kind the parameterisation
 * @param tau the temperature &gt; 0
 * @param eta the step &gt; 0
 */
@API(status = API.Status.EXPERIMENTAL)
public record RegularisedMirrorDescent(Kind kind, double tau, double eta) {

  /** Which paper's parameterisation. */
  public enum Kind {
    /** Cen et al. 2022's entropy-regularised NPG. */
    CEN_NPG,
    /** Lan 2023's regularised PMD (reward form, h = tau negentropy). */
    LAN_PMD
  }

  /** Checks the parameters. */
  public RegularisedMirrorDescent {
    Objects.requireNonNull(kind, "kind");
    if (!(tau > 0) || Double.isInfinite(tau) || !(eta > 0) || Double.isInfinite(eta)) {
      throw new ModelException(kind + ": temperature tau = " + tau + " and step eta = " + eta
          + " must be finite and positive");
    }
  }

  /**
   * {@return Cen et al.'s entropy-regularised NPG}
   * @param tau the temperature
   * @param eta the step, 0 &lt; eta &lt;= (1 - gamma)/tau (checked when run)
   */
  public static RegularisedMirrorDescent cen(double tau, double eta) {
    return new RegularisedMirrorDescent(Kind.CEN_NPG, tau, eta);
  }

  /**
   * {@return Cen et al.'s NPG at its largest step (1 - gamma)/tau: soft policy iteration}
   * @param tau the temperature
   * @param gamma the discount of the model it will run on
   */
  public static RegularisedMirrorDescent softPolicyIteration(double tau, double gamma) {
    return cen(tau, (1 - gamma) / tau);
  }

  /**
   * {@return Lan's regularised PMD}
   * @param tau the temperature
   * @param eta the step
   */
  public static RegularisedMirrorDescent lan(double tau, double eta) {
    return new RegularisedMirrorDescent(Kind.LAN_PMD, tau, eta);
  }

  /**
   * {@return Lan's regularised PMD with the step of his linear rate, 1 + eta tau = 1/gamma}
   * @param tau the temperature
   * @param gamma the discount, in (0, 1)
   */
  public static RegularisedMirrorDescent lanLinear(double tau, double gamma) {
    return lan(tau, (1 - gamma) / (gamma * tau));
  }

  /**
   * {@return the exponent on pi_k}
   * @param gamma the discount
   */
  public double keep(double gamma) {
    return switch (kind) {
      case CEN_NPG -> Math.max(0, 1 - eta * tau / (1 - gamma));
      case LAN_PMD -> 1 / (1 + eta * tau);
    };
  }

  /**
   * {@return the factor on Q_tau^{pi_k}}
   * @param gamma the discount
   */
  public double scale(double gamma) {
    return switch (kind) {
      case CEN_NPG -> eta / (1 - gamma);
      case LAN_PMD -> eta / (1 + eta * tau);
    };
  }

  /**
   * Runs {@code updates} updates from pi_0.
   *
   * @param m the model, gamma &lt; 1
   * @param start pi_0, full support
   * @param updates the number of updates, &gt;= 0
   * @param <S> the state type
   * @param <A> the action type
   * @return the iterates with V_tau, Q_tau (each iterate's step is eta)
   * @throws ModelException when gamma = 1, the start lacks full support, or (Cen) eta &gt;
   *     (1 - gamma)/tau
   */
  public <S, A> RegularisedRun<S, A> run(TabularMdp<S, A> m, TabularPolicy<S, A> start,
      int updates) {
    if (updates < 0) {
      throw new IllegalArgumentException("updates must be >= 0, got " + updates);
    }
    EntropyRegularised.check(m, tau);
    double gamma = m.discount();
    if (kind == Kind.CEN_NPG && eta * tau > (1 - gamma) * (1 + 1e-12)) {
      throw new ModelException("Cen et al.'s regularised NPG needs eta <= (1 - gamma)/tau = "
          + (1 - gamma) / tau + ", got eta = " + eta);
    }
    for (int r = 0; r < m.numRows(); r++) {
      if (!(start.probAt(r) > 0)) {
        throw new ModelException("state " + m.states().value(m.rowState(r)) + ", action "
            + m.actions().value(m.rowAction(r)) + ": the start policy gives probability "
            + start.probAt(r) + "; entropy-regularised mirror descent needs full support");
      }
    }
    double keep = keep(gamma);
    double scale = scale(gamma);
    List<MirrorIterate<S, A>> its = new ArrayList<>();
    TabularPolicy<S, A> pi = start;
    for (int k = 0; ; k++) {
      var sv = EntropyRegularised.evaluate(m, pi, tau);
      its.add(new MirrorIterate<>(k, pi, sv.values(), sv.q(), k == 0 ? 0 : eta));
      if (k == updates) {
        return new RegularisedRun<>(m, this, its);
      }
      pi = TabularPolicy.of(m, EntropyRegularised.update(m, keep, scale, pi.toArray(),
          sv.q().toArray()));
    }
  }
}
