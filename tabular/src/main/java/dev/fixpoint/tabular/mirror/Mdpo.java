package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import dev.fixpoint.tabular.learn.Experience;
import dev.fixpoint.tabular.learn.Transition;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.Solution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Tabular mirror descent policy optimisation (MDPO; Tomar, Shani, Efroni and Ghavamzadeh, ICLR
 * 2022, arXiv 2005.09814), on softmax logits, in its two forms (spec A4). Iteration k freezes the
 * anchor pi_k, gets a critic, and approximately maximises, per state s,
 *
 * <pre>
 * on-policy:   f_s(pi) = &lt;A^{pi_k}(s,.), pi&gt; - (1/t_k) KL(pi || pi_k(.|s))
 * off-policy:  f_s(pi) = &lt;Q_lambda^{pi_k}(s,.) - lambda log pi_k(.|s), pi&gt; - c KL(pi || pi_k(.|s)),
 *              c = 1/t_k (the authors' klcoeff), entropy linearised at the anchor
 * </pre>
 *
 * whose exact maximisers are pi_{k+1} proportional to pi_k exp(t_k A^{pi_k}) (KL policy mirror
 * descent with eta_k = t_k) and pi_{k+1} proportional to pi_k^(1 - lambda t_k) exp(t_k
 * Q_lambda^{pi_k}) (Cen et al.'s regularised NPG with tau = lambda, eta = (1 - gamma) t_k; with c =
 * lambda, soft policy iteration, the SAC limit). The state weights of the sampled objective (visit
 * frequencies) do not move a per-state maximiser, so the tabular learner maximises state by state.
 *
 * <p>The inner maximisation is {@link Inner#exact()} (the closed form above) or {@link
 * Inner#gradient(int, double)}: m plain gradient-ascent steps on the logits from theta = log pi_k,
 * d f_s / d theta_b = pi_b (g_b - &lt;pi, g&gt;) with g = A - (1/t_k)(log pi - log pi_k) (on-policy)
 * or g = Q - lambda log pi_k - c (log pi - log pi_k) (off-policy) — the authors take m Adam steps on a
 * network; plain steps keep the tabular learner reproducible. The critic is {@link Critic#exact()}
 * (exact evaluation of pi_k) or sampled: on-policy {@link Critic#monteCarlo(int, int)} (every-visit
 * Monte Carlo returns of pi_k from the model's initial distribution, run for at most a horizon H;
 * from an episode cut at H only the visits of its first ceil(H/2) steps count, so each return misses
 * at most gamma^(H/2) of its tail; A =
 * Q-hat - sum_a pi_k Q-hat, and A = 0 at pairs never visited), off-policy {@link
 * Critic#replay(int, int, int)} (transitions of each pi_k appended to a replay buffer; the soft Q
 * of pi_k fitted by sweeps of expected-SARSA targets r + gamma sum_a' pi_k(a'|s') (Q(s',a') - lambda
 * log pi_k(a'|s')) over the whole buffer, each pair set to the mean target of its transitions).
 * Randomness comes only from the generator passed to {@link #run}: the same seed gives the same
 * run, bit for bit.
 *
 * @param offPolicy whether this is off-policy MDPO (entropy weight lambda) or on-policy (lambda 0)
 * @param lambda the entropy weight (off-policy), 0 on-policy
 * @param steps t_0, t_1, ..., one per iteration (each &gt; 0; off-policy also lambda t_k &lt;= 1)
 * @param critic the critic
 * @param inner the inner maximisation
 */
@API(status = API.Status.EXPERIMENTAL)
public record Mdpo(boolean offPolicy, double lambda, double[] steps, Critic critic, Inner inner) {

  /** Checks the parameters and copies the steps. */
  public Mdpo {
    Objects.requireNonNull(critic, "critic");
    Objects.requireNonNull(inner, "inner");
    steps = steps.clone();
    if (!(lambda >= 0) || Double.isInfinite(lambda) || (offPolicy != lambda > 0)) {
      throw new ModelException("MDPO entropy weight lambda = " + lambda + ": must be > 0 "
          + "off-policy and 0 on-policy");
    }
    for (int k = 0; k < steps.length; k++) {
      if (!(steps[k] > 0) || Double.isInfinite(steps[k]) || lambda * steps[k] > 1 + 1e-12) {
        throw new ModelException("MDPO step t_" + k + " = " + steps[k] + " must be finite, "
            + "positive and (off-policy) at most 1/lambda = " + 1 / lambda);
      }
    }
    if (offPolicy && critic instanceof Critic.MonteCarlo) {
      throw new ModelException("off-policy MDPO needs a soft critic: Critic.exact() or "
          + "Critic.replay(...), not Monte Carlo returns");
    }
    if (!offPolicy && critic instanceof Critic.Replay) {
      throw new ModelException("on-policy MDPO uses Critic.exact() or Critic.monteCarlo(...)");
    }
  }

  /**
   * On-policy MDPO with the authors' schedule t_k = 1 - k/K, k = 0 .. K-1 (KL weight 1/t_k growing
   * from 1).
   *
   * @param iterations K
   * @param critic the critic
   * @param inner the inner maximisation
   * @return the learner
   */
  public static Mdpo onPolicy(int iterations, Critic critic, Inner inner) {
    double[] t = new double[iterations];
    for (int k = 0; k < iterations; k++) {
      t[k] = 1 - (double) k / iterations;
    }
    return new Mdpo(false, 0, t, critic, inner);
  }

  /**
   * On-policy MDPO with a constant step t (= KL-PMD with eta = t, when exact).
   *
   * @param t the step
   * @param iterations K
   * @param critic the critic
   * @param inner the inner maximisation
   * @return the learner
   */
  public static Mdpo onPolicy(double t, int iterations, Critic critic, Inner inner) {
    double[] s = new double[iterations];
    Arrays.fill(s, t);
    return new Mdpo(false, 0, s, critic, inner);
  }

  /**
   * Off-policy MDPO with a constant KL coefficient c = 1/t (the authors' README: c = 1, lambda =
   * 0.2).
   *
   * @param lambda the entropy weight
   * @param t 1/c, with lambda t &lt;= 1
   * @param iterations K
   * @param critic the critic (exact or replay)
   * @param inner the inner maximisation
   * @return the learner
   */
  public static Mdpo offPolicy(double lambda, double t, int iterations, Critic critic,
      Inner inner) {
    double[] s = new double[iterations];
    Arrays.fill(s, t);
    return new Mdpo(true, lambda, s, critic, inner);
  }

  /** {@return a copy of t_0 .. t_{K-1}} */
  @Override
  public double[] steps() {
    return steps.clone();
  }

  /**
   * Runs the K iterations from pi_0.
   *
   * @param m the model, gamma &lt; 1
   * @param start pi_0, full support
   * @param rng the only source of randomness (unused by exact critics)
   * @param <S> the state type
   * @param <A> the action type
   * @return the iterates with their exact values (V^{pi_k} on-policy, V_lambda^{pi_k}
   *     off-policy), each iterate's step t_{k-1}
   * @throws ModelException when gamma = 1 or pi_0 lacks full support
   */
  public <S, A> MdpoRun<S, A> run(TabularMdp<S, A> m, TabularPolicy<S, A> start,
      RandomGenerator rng) {
    if (!(m.discount() < 1)) {
      throw new ModelException(m.name() + ": MDPO needs a discount below 1, got "
          + m.discount());
    }
    for (int r = 0; r < m.numRows(); r++) {
      if (!(start.probAt(r) > 0)) {
        throw new ModelException("state " + m.states().value(m.rowState(r)) + ", action "
            + m.actions().value(m.rowAction(r)) + ": the start policy gives probability "
            + start.probAt(r) + "; MDPO's KL penalty needs full support");
      }
    }
    List<MirrorIterate<S, A>> its = new ArrayList<>();
    List<Transition> buffer = new ArrayList<>();
    TabularPolicy<S, A> pi = start;
    for (int k = 0; ; k++) {
      double[] p = pi.toArray();
      double[] exactQ;
      double[] v;
      if (offPolicy) {
        var sv = EntropyRegularised.evaluate(m, pi, lambda);
        exactQ = sv.q().toArray();
        v = sv.values().toArray();
      } else {
        Solution<S, A> sol = PolicyEvaluation.direct(m, pi);
        exactQ = sol.q().toArray();
        v = sol.values().toArray();
      }
      its.add(new MirrorIterate<>(k, pi, ValueFunction.of(m.states(), v),
          QFunction.of(m, exactQ), k == 0 ? 0 : steps[k - 1]));
      if (k == steps.length) {
        return new MdpoRun<>(m, this, its);
      }
      double[] g0 = switch (critic) {
        case Critic.Exact e -> offPolicy ? exactQ : advantage(m, p, exactQ);
        case Critic.MonteCarlo mc -> advantage(m, p, monteCarloQ(m, p, mc, rng));
        case Critic.Replay rp -> replayQ(m, p, rp, buffer, rng);
      };
      if (offPolicy) {
        for (int r = 0; r < g0.length; r++) {
          g0[r] -= lambda * Math.log(p[r]);
        }
      }
      double t = steps[k];
      pi = TabularPolicy.of(m, maximise(m, p, g0, t));
    }
  }

  /** argmax_pi &lt;g0, pi&gt; - (1/t) KL(pi || p), state by state. */
  double[] maximise(TabularMdp<?, ?> m, double[] p, double[] g0, double t) {
    double[] out = new double[p.length];
    for (int s = 0; s < m.numStates(); s++) {
      int lo = m.rowStart(s);
      int hi = m.rowEnd(s);
      if (lo == hi) {
        continue;
      }
      double[] theta = new double[hi - lo];
      switch (inner) {
        case Inner.Exact e -> {
          for (int r = lo; r < hi; r++) {
            theta[r - lo] = Math.log(p[r]) + t * g0[r];
          }
        }
        case Inner.Gradient gr -> {
          for (int r = lo; r < hi; r++) {
            theta[r - lo] = Math.log(p[r]);
          }
          double[] q = new double[theta.length];
          double[] g = new double[theta.length];
          for (int it = 0; it < gr.steps(); it++) {
            softmax(theta, q);
            double mean = 0;
            for (int i = 0; i < q.length; i++) {
              g[i] = g0[lo + i] - (Math.log(q[i]) - Math.log(p[lo + i])) / t;
              mean += q[i] * g[i];
            }
            for (int i = 0; i < q.length; i++) {
              theta[i] += gr.learningRate() * q[i] * (g[i] - mean);
            }
          }
        }
      }
      double[] q = new double[theta.length];
      softmax(theta, q);
      System.arraycopy(q, 0, out, lo, q.length);
    }
    return out;
  }

  static void softmax(double[] theta, double[] out) {
    double mx = Double.NEGATIVE_INFINITY;
    for (double x : theta) {
      mx = Math.max(mx, x);
    }
    double sum = 0;
    for (int i = 0; i < theta.length; i++) {
      out[i] = Math.exp(theta[i] - mx);
      sum += out[i];
    }
    for (int i = 0; i < theta.length; i++) {
      out[i] /= sum;
    }
  }

  static double[] advantage(TabularMdp<?, ?> m, double[] p, double[] q) {
    double[] a = q.clone();
    for (int s = 0; s < m.numStates(); s++) {
      double v = 0;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        v += p[r] * q[r];
      }
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        a[r] -= v;
      }
    }
    return a;
  }

  /** Every-visit Monte Carlo Q of pi; unvisited pairs get their state's pi-weighted mean. */
  static double[] monteCarloQ(TabularMdp<?, ?> m, double[] p, Critic.MonteCarlo mc,
      RandomGenerator rng) {
    double gamma = m.discount();
    double[] sum = new double[m.numRows()];
    int[] count = new int[m.numRows()];
    int[] rows = new int[mc.horizon()];
    double[] rewards = new double[mc.horizon()];
    for (int e = 0; e < mc.episodes(); e++) {
      int s = Experience.initialState(m, rng);
      int n = 0;
      while (n < mc.horizon() && !m.isTerminal(s)) {
        int r = Experience.sampleRow(m, p, s, rng);
        Transition tr = Experience.step(m, r, rng);
        rows[n] = r;
        rewards[n] = tr.reward();
        n++;
        s = tr.next();
      }
      // a return from step i is truncated after n - i steps: when the episode was cut at the
      // horizon, keep only the first half, whose returns miss at most gamma^(horizon/2) of the tail
      int keep = m.isTerminal(s) ? n : Math.min(n, (mc.horizon() + 1) / 2);
      double g = 0;
      for (int i = n - 1; i >= 0; i--) {
        g = rewards[i] + gamma * g;
        if (i < keep) {
          sum[rows[i]] += g;
          count[rows[i]]++;
        }
      }
    }
    double[] q = new double[m.numRows()];
    for (int s = 0; s < m.numStates(); s++) {
      double seen = 0;
      double mass = 0;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (count[r] > 0) {
          q[r] = sum[r] / count[r];
          seen += p[r] * q[r];
          mass += p[r];
        }
      }
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (count[r] == 0) {
          q[r] = mass > 0 ? seen / mass : 0;
        }
      }
    }
    return q;
  }

  /** Appends transitions of pi to the buffer, then fits the soft Q of pi on the whole buffer. */
  double[] replayQ(TabularMdp<?, ?> m, double[] p, Critic.Replay rp, List<Transition> buffer,
      RandomGenerator rng) {
    int s = Experience.initialState(m, rng);
    int len = 0;
    for (int i = 0; i < rp.transitions(); i++) {
      if (m.isTerminal(s) || len == rp.episodeLength()) {
        s = Experience.initialState(m, rng);
        len = 0;
        if (m.isTerminal(s)) {
          continue;
        }
      }
      Transition tr = Experience.step(m, Experience.sampleRow(m, p, s, rng), rng);
      buffer.add(tr);
      s = tr.next();
      len++;
    }
    double gamma = m.discount();
    double[] q = new double[m.numRows()];
    for (int sweep = 0; sweep < rp.sweeps(); sweep++) {
      double[] v = new double[m.numStates()];
      for (int x = 0; x < v.length; x++) {
        for (int r = m.rowStart(x); r < m.rowEnd(x); r++) {
          v[x] += p[r] * (q[r] - lambda * Math.log(p[r]));
        }
      }
      double[] sum = new double[q.length];
      int[] count = new int[q.length];
      for (Transition tr : buffer) {
        sum[tr.row()] += tr.reward() + (tr.terminal() ? 0 : gamma * v[tr.next()]);
        count[tr.row()]++;
      }
      for (int r = 0; r < q.length; r++) {
        q[r] = count[r] > 0 ? sum[r] / count[r] : 0;
      }
    }
    return q;
  }

  /** The critic that gives each iteration its action values. */
  public sealed interface Critic {
    /** {@return exact evaluation of pi_k (Q^{pi_k} on-policy, Q_lambda^{pi_k} off-policy)} */
    static Critic exact() {
      return new Exact();
    }

    /**
     * {@return every-visit Monte Carlo returns of pi_k}
     * @param episodes episodes per iteration, &gt;= 1
     * @param horizon the step cap per episode, &gt;= 1
     */
    static Critic monteCarlo(int episodes, int horizon) {
      return new MonteCarlo(episodes, horizon);
    }

    /**
     * {@return a replay buffer with fitted soft Q evaluation}
     * @param transitions transitions of pi_k added per iteration, &gt;= 1
     * @param episodeLength the longest run before a restart from the initial distribution
     * @param sweeps fitted-evaluation sweeps over the buffer per iteration, &gt;= 1
     */
    static Critic replay(int transitions, int episodeLength, int sweeps) {
      return new Replay(transitions, episodeLength, sweeps);
    }

    /** Exact evaluation. */
    record Exact() implements Critic {}

    /**
     * Monte Carlo returns.
     * @param episodes episodes per iteration
     * @param horizon the step cap
     */
    record MonteCarlo(int episodes, int horizon) implements Critic {
      /** Checks the sizes. */
      public MonteCarlo {
        if (episodes < 1 || horizon < 1) {
          throw new ModelException("Monte Carlo critic: episodes " + episodes + " and horizon "
              + horizon + " must be >= 1");
        }
      }
    }

    /**
     * Replay buffer with fitted evaluation.
     * @param transitions new transitions per iteration
     * @param episodeLength run length before a restart
     * @param sweeps fitted sweeps per iteration
     */
    record Replay(int transitions, int episodeLength, int sweeps) implements Critic {
      /** Checks the sizes. */
      public Replay {
        if (transitions < 1 || episodeLength < 1 || sweeps < 1) {
          throw new ModelException("replay critic: transitions " + transitions
              + ", episode length " + episodeLength + " and sweeps " + sweeps
              + " must be >= 1");
        }
      }
    }
  }

  /** How each iteration's per-state problem is maximised. */
  public sealed interface Inner {
    /** {@return the closed-form maximiser} */
    static Inner exact() {
      return new Exact();
    }

    /**
     * {@return m gradient-ascent steps on the logits}
     * @param steps m &gt;= 1
     * @param learningRate the step size &gt; 0
     */
    static Inner gradient(int steps, double learningRate) {
      return new Gradient(steps, learningRate);
    }

    /** The closed form. */
    record Exact() implements Inner {}

    /**
     * Plain gradient ascent on logits.
     * @param steps m
     * @param learningRate the step size
     */
    record Gradient(int steps, double learningRate) implements Inner {
      /** Checks the parameters. */
      public Gradient {
        if (steps < 1 || !(learningRate > 0) || Double.isInfinite(learningRate)) {
          throw new ModelException("gradient inner loop: steps " + steps + " must be >= 1 and "
              + "learning rate " + learningRate + " finite and positive");
        }
      }
    }
  }
}
