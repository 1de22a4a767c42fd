package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Group-relative policy gradient on a multi-armed bandit with softmax logits: OPMD (Trinity-RFT)
 * and AsymRE (Arnal et al., NeurIPS 2025), spec A5. Each step draws a group of K arms y_1..y_K
 * from a behaviour policy mu (the policy of {@code staleness} steps ago, or a fixed one), computes
 * advantages A_i = r(y_i) - b with a {@link Baseline}, and moves the logits along
 *
 * <pre>l &lt;- l + lr scale (1/K) sum_i A_i (e_{y_i} - pi_l)</pre>
 *
 * the gradient of (1/K) sum_i A_i log pi_l(y_i) (for softmax, grad_l log pi_l(y) = e_y - pi_l).
 * OPMD uses scale 1/(1 + tau) and no importance ratio (Trinity-RFT {@code opmd_policy_loss.py});
 * AsymRE uses scale 1 and the baseline V = mean + delta (Trinity's {@code asymre_advantage.py}) or a
 * fixed V (the paper's analysis).
 *
 * <p>{@link #expectedStep} is the exact counterpart: the expectation of the update over the group
 * draw, by enumerating all mu-weighted groups (K^groupSize terms; small bandits only). With a fixed
 * baseline V it is the Euler step of the AsymRE ODE dl(y)/dt = mu(y)(r(y) - V) - pi(y)(V^mu - V),
 * whose limit from any logits, for V &lt; V^mu and a fixed mu, is the water-filling policy {@link
 * #waterFilling} (spec A5, derived and checked numerically there).
 *
 * @param baseline the baseline b
 * @param groupSize K &gt;= 1
 * @param learningRate lr &gt; 0
 * @param scale the loss scale (1/(1 + tau) for OPMD, 1 for AsymRE)
 * @param staleness how many steps old the behaviour policy is (0: on-policy)
 */
@API(status = API.Status.EXPERIMENTAL)
public record GroupPolicyGradient(Baseline baseline, int groupSize, double learningRate,
    double scale, int staleness) {

  /** Checks the parameters. */
  public GroupPolicyGradient {
    Objects.requireNonNull(baseline, "baseline");
    if (groupSize < 1 || !(learningRate > 0) || Double.isInfinite(learningRate) || !(scale > 0)
        || Double.isInfinite(scale) || staleness < 0) {
      throw new ModelException("group policy gradient: group size " + groupSize + " >= 1, "
          + "learning rate " + learningRate + " and scale " + scale + " finite and > 0, "
          + "staleness " + staleness + " >= 0");
    }
  }

  /**
   * {@return Trinity-RFT's OPMD: scale 1/(1 + tau)}
   * @param tau the regularisation temperature (Trinity default 1)
   * @param baseline mean (default) or logavgexp
   * @param groupSize K
   * @param learningRate lr
   * @param staleness the behaviour policy's age in steps
   */
  public static GroupPolicyGradient opmd(double tau, Baseline baseline, int groupSize,
      double learningRate, int staleness) {
    return new GroupPolicyGradient(baseline, groupSize, learningRate, 1 / (1 + tau), staleness);
  }

  /**
   * {@return AsymRE: scale 1, baseline mean + delta (Trinity default delta = -0.1)}
   * @param delta the baseline shift
   * @param groupSize K
   * @param learningRate lr
   * @param staleness the behaviour policy's age in steps
   */
  public static GroupPolicyGradient asymre(double delta, int groupSize, double learningRate,
      int staleness) {
    return new GroupPolicyGradient(Baseline.shifted(delta), groupSize, learningRate, 1,
        staleness);
  }

  /**
   * One sampled step: draws a group from mu, returns the new logits.
   *
   * @param rewards r(y) per arm
   * @param logits l (not modified)
   * @param mu the behaviour policy
   * @param rng the generator
   * @return l + lr scale (1/K) sum_i A_i (e_{y_i} - pi_l)
   */
  public double[] step(double[] rewards, double[] logits, double[] mu, RandomGenerator rng) {
    int[] ys = new int[groupSize];
    double[] r = new double[groupSize];
    for (int i = 0; i < groupSize; i++) {
      ys[i] = draw(mu, rng);
      r[i] = rewards[ys[i]];
    }
    double[] d = increment(logits.length, ys, baseline.advantages(r), softmax(logits));
    double[] out = logits.clone();
    for (int y = 0; y < out.length; y++) {
      out[y] += d[y];
    }
    return out;
  }

  /**
   * The expected step over the group draw, by enumerating every group (mu^K-weighted).
   *
   * @param rewards r(y) per arm
   * @param logits l
   * @param mu the behaviour policy
   * @return E[l'] (its dimension, the number of arms, to the power K is enumerated)
   */
  public double[] expectedStep(double[] rewards, double[] logits, double[] mu) {
    int n = rewards.length;
    double[] acc = new double[n];
    int[] ys = new int[groupSize];
    double[] r = new double[groupSize];
    double[] pi = softmax(logits);
    long total = (long) Math.pow(n, groupSize);
    if (total > 10_000_000) {
      throw new ModelException("expected group step: " + n + "^" + groupSize + " groups is too "
          + "many to enumerate");
    }
    for (long code = 0; code < total; code++) {
      long c = code;
      double w = 1;
      for (int i = 0; i < groupSize; i++) {
        ys[i] = (int) (c % n);
        c /= n;
        w *= mu[ys[i]];
        r[i] = rewards[ys[i]];
      }
      if (w == 0) {
        continue;
      }
      double[] d = increment(n, ys, baseline.advantages(r), pi);
      for (int y = 0; y < n; y++) {
        acc[y] += w * d[y];
      }
    }
    double[] out = logits.clone();
    for (int y = 0; y < n; y++) {
      out[y] += acc[y];
    }
    return out;
  }

  /**
   * Runs {@code steps} sampled steps from logits l_0, with behaviour pi_{max(0, t - staleness)}.
   *
   * @param rewards r(y) per arm
   * @param logits0 l_0
   * @param steps the number of steps
   * @param rng the only randomness: the same seed gives the same run
   * @return pi_0 .. pi_steps
   */
  public List<double[]> run(double[] rewards, double[] logits0, int steps, RandomGenerator rng) {
    List<double[]> ls = new ArrayList<>();
    List<double[]> pis = new ArrayList<>();
    double[] l = logits0.clone();
    ls.add(l);
    pis.add(softmax(l));
    for (int t = 0; t < steps; t++) {
      double[] mu = pis.get(Math.max(0, t - staleness));
      l = step(rewards, l, mu, rng);
      ls.add(l);
      pis.add(softmax(l));
    }
    return pis;
  }

  /**
   * The AsymRE limit for a fixed behaviour mu and fixed baseline V &lt; V^mu (spec A5): with a_y =
   * mu(y)(r(y) - V) and b = V^mu - V, pi_inf(y) = (a_y - c)_+ / b, c the constant making the sum 1
   * (water filling, found by sorting).
   *
   * @param mu the behaviour policy
   * @param rewards r(y)
   * @param v the baseline V
   * @return pi_inf
   * @throws ModelException when V &gt;= V^mu
   */
  public static double[] waterFilling(double[] mu, double[] rewards, double v) {
    int n = mu.length;
    double vmu = 0;
    double[] a = new double[n];
    for (int y = 0; y < n; y++) {
      vmu += mu[y] * rewards[y];
      a[y] = mu[y] * (rewards[y] - v);
    }
    double b = vmu - v;
    if (!(b > 0)) {
      throw new ModelException("water filling needs V < V^mu, got V = " + v + ", V^mu = " + vmu);
    }
    // sum_y (a_y - c)_+ = b: scale by 1/b and project a/b onto the simplex
    double[] u = new double[n];
    for (int y = 0; y < n; y++) {
      u[y] = a[y] / b;
    }
    return MirrorUpdates.projectToSimplex(u);
  }

  /**
   * The pairwise consistency loss of a group (spec A5, the off-policy reading of group-relative
   * REINFORCE), with l_i = log pi_theta(y_i) - log pi_old(y_i):
   *
   * <pre>L_pair(theta) = -(1/K) sum_i (r_i - rbar) l_i + (tau/(2K)) sum_i (l_i - lbar)^2</pre>
   *
   * (up to a constant and a factor 2 tau, the mean over pairs of (r_i - r_j - tau (l_i - l_j))^2 /
   * 2). At theta = theta_old every l_i is 0, so its gradient is the group-mean REINFORCE gradient
   * -(1/K) sum_i (r_i - rbar) grad log pi_theta(y_i), whatever distribution drew the group.
   *
   * @param logits theta (softmax logits over the arms)
   * @param oldLogits theta_old
   * @param ys the group's arms
   * @param r their rewards
   * @param tau the regularisation weight
   * @return L_pair(theta)
   */
  public static double pairwiseLoss(double[] logits, double[] oldLogits, int[] ys, double[] r,
      double tau) {
    double[] p = softmax(logits);
    double[] q = softmax(oldLogits);
    int k = ys.length;
    double rbar = 0;
    double lbar = 0;
    double[] l = new double[k];
    for (int i = 0; i < k; i++) {
      rbar += r[i] / k;
      l[i] = Math.log(p[ys[i]]) - Math.log(q[ys[i]]);
      lbar += l[i] / k;
    }
    double loss = 0;
    for (int i = 0; i < k; i++) {
      loss += -(r[i] - rbar) * l[i] / k + tau / (2.0 * k) * (l[i] - lbar) * (l[i] - lbar);
    }
    return loss;
  }

  /**
   * The REINFORCE loss gradient -(1/K) sum_i A_i grad log pi_theta(y_i) for softmax logits
   * (grad log pi(y) = e_y - pi).
   *
   * @param logits theta
   * @param ys the group's arms
   * @param advantages A_i
   * @return the gradient over the arms
   */
  public static double[] reinforceGradient(double[] logits, int[] ys, double[] advantages) {
    double[] p = softmax(logits);
    double[] g = new double[logits.length];
    for (int i = 0; i < ys.length; i++) {
      g[ys[i]] -= advantages[i] / ys.length;
      for (int y = 0; y < g.length; y++) {
        g[y] += advantages[i] * p[y] / ys.length;
      }
    }
    return g;
  }

  /**
   * The softmax of logits, max-shifted.
   *
   * @param l logits
   * @return pi_l
   */
  public static double[] softmax(double[] l) {
    double[] p = new double[l.length];
    Mdpo.softmax(l, p);
    return p;
  }

  /** lr scale (1/K) sum_i A_i (e_{y_i} - pi). */
  private double[] increment(int n, int[] ys, double[] adv, double[] pi) {
    double f = learningRate * scale / groupSize;
    double[] d = new double[n];
    for (int i = 0; i < ys.length; i++) {
      d[ys[i]] += f * adv[i];
      for (int y = 0; y < n; y++) {
        d[y] -= f * adv[i] * pi[y];
      }
    }
    return d;
  }

  private static int draw(double[] mu, RandomGenerator rng) {
    double u = rng.nextDouble();
    int last = 0;
    for (int y = 0; y < mu.length; y++) {
      if (mu[y] > 0) {
        last = y;
        u -= mu[y];
        if (u < 0) {
          return y;
        }
      }
    }
    return last;
  }

  /** The baseline b of a group's advantages A_i = r_i - b. */
  public sealed interface Baseline {
    /**
     * {@return the advantages of a group}
     * @param r the group's rewards
     */
    double[] advantages(double[] r);

    /** {@return b = group mean (Trinity OPMD default); a singleton gets A = 0} */
    static Baseline mean() {
      return new Mean();
    }

    /**
     * {@return b = tau log((1/K) sum_j exp(r_j/tau)) (Trinity "logavgexp"; &gt;= the mean)}
     * @param tau the temperature &gt; 0
     */
    static Baseline logAvgExp(double tau) {
      return new LogAvgExp(tau);
    }

    /**
     * {@return b = group mean + delta (Trinity AsymRE, default delta = -0.1)}
     * @param delta the shift
     */
    static Baseline shifted(double delta) {
      return new Shifted(delta);
    }

    /**
     * {@return a fixed b = V (the AsymRE analysis)}
     * @param v V
     */
    static Baseline fixed(double v) {
      return new Fixed(v);
    }

    /** The group mean. */
    record Mean() implements Baseline {
      @Override
      public double[] advantages(double[] r) {
        double m = 0;
        for (double x : r) {
          m += x;
        }
        m /= r.length;
        double[] a = new double[r.length];
        for (int i = 0; i < r.length; i++) {
          a[i] = r.length == 1 ? 0 : r[i] - m;
        }
        return a;
      }
    }

    /**
     * tau log-average-exp, max-shifted.
     * @param tau the temperature
     */
    record LogAvgExp(double tau) implements Baseline {
      /** Checks tau. */
      public LogAvgExp {
        if (!(tau > 0) || Double.isInfinite(tau)) {
          throw new ModelException("logavgexp temperature " + tau + " must be finite and > 0");
        }
      }

      @Override
      public double[] advantages(double[] r) {
        double mx = Double.NEGATIVE_INFINITY;
        for (double x : r) {
          mx = Math.max(mx, x);
        }
        double s = 0;
        for (double x : r) {
          s += Math.exp((x - mx) / tau);
        }
        double b = mx + tau * (Math.log(s) - Math.log(r.length));
        double[] a = new double[r.length];
        for (int i = 0; i < r.length; i++) {
          a[i] = r.length == 1 ? 0 : r[i] - b;
        }
        return a;
      }
    }

    /**
     * Group mean plus a shift.
     * @param delta the shift
     */
    record Shifted(double delta) implements Baseline {
      @Override
      public double[] advantages(double[] r) {
        double[] a = new Mean().advantages(r);
        for (int i = 0; i < a.length; i++) {
          a[i] = r.length == 1 ? -delta : a[i] - delta;
        }
        return a;
      }
    }

    /**
     * A fixed baseline.
     * @param v V
     */
    record Fixed(double v) implements Baseline {
      @Override
      public double[] advantages(double[] r) {
        double[] a = new double[r.length];
        for (int i = 0; i < r.length; i++) {
          a[i] = r[i] - v;
        }
        return a;
      }
    }
  }
}
