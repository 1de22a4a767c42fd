package dev.fixpoint.dsl.gflownet;

import dev.fixpoint.dsl.ModelException;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A GFlowNet training objective, as a value; interpreted (value and exact gradient over a tabular
 * parameterisation) in {@code dev.fixpoint.tabular.gflownet}. Each loss maps residuals r through
 * a {@link Regression} g and averages them as torchgfn does (spec {@code gflownet.md} section 2).
 * With trajectory tau = (s_0 -&gt; ... -&gt; s_{n-1} = x -&gt; s_f):
 *
 * <ul>
 *   <li>{@link FlowMatching} (Bengio et al., NeurIPS 2021): per visited non-source state s,
 *       r = logsumexp_p log F(p -&gt; s) - logsumexp_a log F(s -&gt; a) (out-set includes the exit);
 *       per trajectory, r = log F(x -&gt; s_f) - log R(x); loss = mean_s g + alpha mean_x g.</li>
 *   <li>{@link DetailedBalance} (Bengio et al., Foundations, 2023): per transition, r = log F(s) +
 *       log P_F(s'|s) - log F(s') - log P_B(s|s'); at the exit, r = log F(x) + log P_F(s_f|x) -
 *       log R(x).</li>
 *   <li>{@link ForwardLookingDb} (Pan, Malkin, Zhang and Bengio, ICML 2023): DB with F(s) =
 *       F~(s) R(s); needs a reward on every state.</li>
 *   <li>{@link TrajectoryBalance} (Malkin, Jain, Bengio, Sun and Bengio, NeurIPS 2022): r = log Z +
 *       log P_F(tau) - log P_B(tau|x) - log R(x).</li>
 *   <li>{@link SubTrajectoryBalance} (Madan et al., ICML 2023): every sub-trajectory (i, j),
 *       weighted by a {@link Weighting}.</li>
 *   <li>{@link ModifiedDb} (Deleu et al., UAI 2022): DB with F(s) = R(s)/P_F(s_f|s), every state
 *       terminating; exit transitions dropped.</li>
 *   <li>{@link ZVar} (Zhang et al. 2023; VarGrad): r = zeta(tau) - mean zeta over the batch,
 *       zeta = log P_F(tau) - log P_B(tau|x) - log R(x).</li>
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL)
public sealed interface Loss {

  /** {@return the regression function g} */
  Regression regression();

  /**
   * Flow matching over edge log-flows.
   *
   * @param alpha weight of the reward-matching term (torchgfn default 1)
   * @param regression g
   */
  record FlowMatching(double alpha, Regression regression) implements Loss {
    /** Checks the components. */
    public FlowMatching {
      Objects.requireNonNull(regression, "regression");
      if (!(alpha >= 0) || !Double.isFinite(alpha)) {
        throw new ModelException("flow matching: alpha = " + alpha + " must be >= 0");
      }
    }
  }

  /**
   * Detailed balance over P_F, P_B and state log-flows.
   *
   * @param regression g
   */
  record DetailedBalance(Regression regression) implements Loss {
    /** Checks the components. */
    public DetailedBalance {
      Objects.requireNonNull(regression, "regression");
    }
  }

  /**
   * Forward-looking detailed balance over P_F, P_B and log F~ (F = F~ R).
   *
   * @param regression g
   */
  record ForwardLookingDb(Regression regression) implements Loss {
    /** Checks the components. */
    public ForwardLookingDb {
      Objects.requireNonNull(regression, "regression");
    }
  }

  /**
   * Trajectory balance over P_F, P_B and log Z.
   *
   * @param regression g
   */
  record TrajectoryBalance(Regression regression) implements Loss {
    /** Checks the components. */
    public TrajectoryBalance {
      Objects.requireNonNull(regression, "regression");
    }
  }

  /**
   * Sub-trajectory balance SubTB(lambda) over P_F, P_B and state log-flows.
   *
   * @param lambda the geometric weight, &gt; 0
   * @param weighting how sub-trajectories are weighted
   * @param regression g
   */
  record SubTrajectoryBalance(double lambda, Weighting weighting, Regression regression)
      implements Loss {
    /** Checks the components. */
    public SubTrajectoryBalance {
      Objects.requireNonNull(weighting, "weighting");
      Objects.requireNonNull(regression, "regression");
      if (!(lambda > 0) || !Double.isFinite(lambda)) {
        throw new ModelException("sub-trajectory balance: lambda = " + lambda + " must be > 0");
      }
    }
  }

  /**
   * Modified detailed balance over P_F and P_B (every state terminating).
   *
   * @param regression g
   */
  record ModifiedDb(Regression regression) implements Loss {
    /** Checks the components. */
    public ModifiedDb {
      Objects.requireNonNull(regression, "regression");
    }
  }

  /**
   * Log-partition variance over P_F and P_B.
   *
   * @param regression g
   */
  record ZVar(Regression regression) implements Loss {
    /** Checks the components. */
    public ZVar {
      Objects.requireNonNull(regression, "regression");
    }
  }

  /**
   * SubTB weightings as torchgfn defines them (l = j - i, N trajectories, n_tau the length of a
   * trajectory counting its exit, L the longest). Every weighting's weights sum to 1 over a batch.
   */
  enum Weighting {
    /** w = lambda^{l-1} / (N D_{n_tau}), D_n = sum_{i=0}^{n-1} (n-i) lambda^i (the paper's). */
    GEOMETRIC_WITHIN,
    /** per-length batch means m_l combined as sum_l m_l lambda^{l-1}(1-lambda)/(1-lambda^L). */
    GEOMETRIC,
    /** every sub-trajectory of the batch the same weight. */
    EQUAL,
    /** 2/(n_tau (n_tau + 1) N) within each trajectory. */
    EQUAL_WITHIN,
    /** only (0, n_tau), weight 1/N: trajectory balance with log Z := log F(s_0). */
    TB,
    /** plain mean over every length-1 piece: detailed balance. */
    DB,
    /** length-1 pieces, weight 1/(n_tau N). */
    MODIFIED_DB
  }

  /** {@return flow matching with alpha = 1 and g = t^2} */
  static Loss fm() {
    return new FlowMatching(1, Regression.squared());
  }

  /** {@return detailed balance with g = t^2} */
  static Loss db() {
    return new DetailedBalance(Regression.squared());
  }

  /** {@return forward-looking detailed balance with g = t^2} */
  static Loss forwardLookingDb() {
    return new ForwardLookingDb(Regression.squared());
  }

  /** {@return trajectory balance with g = t^2} */
  static Loss tb() {
    return new TrajectoryBalance(Regression.squared());
  }

  /** {@return SubTB(0.9), geometric within trajectories, g = t^2 (torchgfn's defaults)} */
  static Loss subTb() {
    return subTb(0.9, Weighting.GEOMETRIC_WITHIN);
  }

  /**
   * {@return SubTB(lambda) with a weighting and g = t^2}
   * @param lambda &gt; 0
   * @param weighting the weighting
   */
  static Loss subTb(double lambda, Weighting weighting) {
    return new SubTrajectoryBalance(lambda, weighting, Regression.squared());
  }

  /** {@return modified detailed balance with g = t^2} */
  static Loss modifiedDb() {
    return new ModifiedDb(Regression.squared());
  }

  /** {@return log-partition variance with g = t^2} */
  static Loss zVar() {
    return new ZVar(Regression.squared());
  }

  /**
   * {@return the same loss with another regression function}
   * @param g the regression function
   */
  default Loss withRegression(Regression g) {
    return switch (this) {
      case FlowMatching f -> new FlowMatching(f.alpha(), g);
      case DetailedBalance d -> new DetailedBalance(g);
      case ForwardLookingDb d -> new ForwardLookingDb(g);
      case TrajectoryBalance t -> new TrajectoryBalance(g);
      case SubTrajectoryBalance s -> new SubTrajectoryBalance(s.lambda(), s.weighting(), g);
      case ModifiedDb m -> new ModifiedDb(g);
      case ZVar z -> new ZVar(g);
    };
  }
}
