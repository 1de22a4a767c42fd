package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.dsl.internal.Csr;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Off-policy TD learning of action values with eligibility traces of any {@link TraceRule}
 * (per-decision or trajectory-aware, a user's {@link TraceRule.Custom} included): the online
 * backward view of Daley, White, Amato and Machado, "Trajectory-Aware Eligibility Traces for
 * Off-Policy Reinforcement Learning" (ICML 2023), as in their repository ({@code
 * experiments/training.py}) and spec {@code traces.md} section 2.3. At every step t of an
 * episode, with mu = {@link #behaviour()} and pi = {@link #target()} evaluated on the live Q:
 *
 * <ol>
 *   <li>A_t ~ mu(. | S_t), rho_t = pi(A_t|S_t) / mu(A_t|S_t);
 *   <li>every stored entry k &lt; t advances: D_k &lt;- gamma D_k, Lambda_k &lt;- lambda
 *       Lambda_k, Pi_k &lt;- rho_t Pi_k, then beta_k &lt;- rule(beta_k, rho_t, Lambda_k, Pi_k);
 *   <li>an entry for k = t is appended with D = Lambda = Pi = beta = 1 (rho_t never touches its
 *       own entry);
 *   <li>delta_t = R_{t+1} + gamma sum_a pi(a | S_{t+1}) Q(S_{t+1}, a) - Q(S_t, A_t), without the
 *       bootstrap term when S_{t+1} is terminal;
 *   <li>Q(S_k, A_k) += alpha D_k beta_k delta_t for all k &lt;= t, accumulating;
 *   <li>after a terminal step every entry is dropped.
 * </ol>
 *
 * With {@link Storage#PER_PAIR} (per-decision rules only) steps 2, 3 and 5 use the classic table
 * e(s, a) &lt;- gamma c_t e(s, a), e(S_t, A_t) += 1, Q += alpha delta_t e, equal up to rounding.
 * Per step the cost is O(live entries) (per step) or O(rows) (per pair) and nothing is allocated
 * once the buffer has grown to the longest episode (a {@link TraceRule.Custom} rule allocates its
 * exact steps). {@link #forward} is the offline forward view (Q frozen for an episode): in
 * expectation one stochastic-approximation step Q &lt;- Q + alpha (M Q - Q) of the trace operator
 * M ({@link dev.fixpoint.tabular.traces.TraceOperators}).
 *
 * <p>Randomness: one generator; the same generator state gives the same run bit for bit.
 *
 * @param rule the trace rule
 * @param alpha the constant step size, in (0, 1]
 * @param behaviour mu, a function of the live Q
 * @param target pi, a function of the live Q
 * @param storage per-step entries (any rule) or a per-pair table (per-decision rules)
 */
@API(status = API.Status.EXPERIMENTAL)
public record OffPolicyTraces(TraceRule rule, double alpha, QPolicy behaviour, QPolicy target,
    Storage storage) {

  /** How the traces are stored. */
  public enum Storage {
    /** One entry per time step of the episode (the repository's form; any rule). */
    PER_STEP,
    /** One trace per pair, e(s, a) (per-decision rules only). */
    PER_PAIR
  }

  /** Checks the parameters. */
  public OffPolicyTraces {
    Objects.requireNonNull(rule, "rule");
    Kernels.checkAlpha(alpha);
    Objects.requireNonNull(behaviour, "behaviour");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(storage, "storage");
    if (storage == Storage.PER_PAIR) {
      TraceUpdates.requirePerDecision(rule);
    }
  }

  /**
   * {@return the learner with per-step storage}
   *
   * @param rule the trace rule
   * @param alpha in (0, 1]
   * @param behaviour mu on the live Q
   * @param target pi on the live Q
   */
  public static OffPolicyTraces of(TraceRule rule, double alpha, QPolicy behaviour,
      QPolicy target) {
    return new OffPolicyTraces(rule, alpha, behaviour, target, Storage.PER_STEP);
  }

  /**
   * {@return the control learner of the paper's experiments (spec 5.3): behaviour
   * epsilon_mu-greedy and target epsilon_pi-greedy on the live Q, ties to the first action}
   *
   * @param rule the trace rule
   * @param alpha in (0, 1]
   * @param behaviourEpsilon epsilon of mu (0.2 in the paper)
   * @param targetEpsilon epsilon of pi (0.1 in the paper)
   */
  public static OffPolicyTraces control(TraceRule rule, double alpha, double behaviourEpsilon,
      double targetEpsilon) {
    return of(rule, alpha, QPolicy.epsilonGreedy(behaviourEpsilon),
        QPolicy.epsilonGreedy(targetEpsilon));
  }

  /**
   * {@return the evaluation learner: fixed behaviour and target policies, Q converges (for small
   * enough alpha) towards Q^pi}
   *
   * @param rule the trace rule
   * @param alpha in (0, 1]
   * @param target pi over the model's rows
   * @param behaviour mu over the model's rows
   */
  public static OffPolicyTraces evaluation(TraceRule rule, double alpha,
      TabularPolicy<?, ?> target, TabularPolicy<?, ?> behaviour) {
    return of(rule, alpha, fixed(behaviour), fixed(target));
  }

  /**
   * {@return a policy that ignores Q: pi(a | s) read from a tabular policy}
   *
   * @param policy the probabilities per row
   */
  public static QPolicy fixed(TabularPolicy<?, ?> policy) {
    double[] p = policy.toArray();
    return (mdp, q, s, out) -> {
      if (p.length != mdp.numRows()) {
        throw new IllegalArgumentException("the policy has " + p.length + " rows, " + mdp.name()
            + " has " + mdp.numRows());
      }
      for (int r = mdp.rowStart(s); r < mdp.rowEnd(s); r++) {
        out[r] = p[r];
      }
    };
  }

  /**
   * {@return this learner with another storage}
   *
   * @param s per step or per pair
   */
  public OffPolicyTraces withStorage(Storage s) {
    return new OffPolicyTraces(rule, alpha, behaviour, target, s);
  }

  /**
   * {@return this learner with another step size}
   *
   * @param a in (0, 1]
   */
  public OffPolicyTraces withAlpha(double a) {
    return new OffPolicyTraces(rule, a, behaviour, target, storage);
  }

  /**
   * Lives and learns one episode online (steps 1-6 above), from a start state of the initial
   * distribution until a terminal state or {@code maxSteps} steps; {@code state} is not modified.
   *
   * @param mdp the model
   * @param state Q and visit counts before
   * @param rng the generator
   * @param maxSteps the step cap, or {@link Experience#NO_CAP}
   * @return Q and visits after, and the trajectory
   * @throws ArithmeticException when a value overflows
   */
  public ControlEpisode episode(TabularMdp<?, ?> mdp, ControlState state, RandomGenerator rng,
      int maxSteps) {
    ControlKernels.checkEpisode(mdp, maxSteps);
    double[] q = ControlKernels.q(mdp, state);
    long[] n = state.visits();
    Session session = session(mdp);
    session.recordInto(new Kernels.Builder(0), n);
    session.episode(q, rng, maxSteps);
    Kernels.requireFinite(q, label());
    return new ControlEpisode(new ControlState(q, n), session.recorded());
  }

  /**
   * The online backward view (steps 2-6 above) along a recorded episode: the actions are those
   * of the trajectory, and rho_t, pi_t and the expected target value use the policies on the live
   * Q. The traces are dropped at the end of the trajectory.
   *
   * @param mdp the model
   * @param q Q before (not modified)
   * @param episode the steps
   * @return Q after
   * @throws ModelException when a recorded action has behaviour probability 0
   */
  public double[] replay(TabularMdp<?, ?> mdp, double[] q, Trajectory episode) {
    Kernels.checkRowValues(mdp, q);
    Kernels.checkTrajectory(mdp, episode);
    double[] v = q.clone();
    Session session = session(mdp);
    for (int t = 0; t < episode.length(); t++) {
      session.learn(v, episode.state(t), episode.row(t), episode.reward(t), episode.state(t + 1));
    }
    session.reset();
    Kernels.requireFinite(v, label());
    return v;
  }

  /**
   * The offline forward view along a recorded episode: with Q and both policies frozen at
   * {@code q}, Q(S_k, A_k) += alpha sum_{t &gt;= k} gamma^(t-k) beta^(k)_t delta_t for every k
   * ({@link TraceUpdates#forward}).
   *
   * @param mdp the model
   * @param q Q before (not modified)
   * @param episode the steps
   * @return Q after
   */
  public double[] forward(TabularMdp<?, ?> mdp, double[] q, Trajectory episode) {
    TraceSteps steps = frozenSteps(mdp, q, episode);
    double[] u = TraceUpdates.forward(rule, mdp.discount(), steps, mdp.numRows());
    double[] v = q.clone();
    for (int r = 0; r < v.length; r++) {
      v[r] += alpha * u[r];
    }
    Kernels.requireFinite(v, label());
    return v;
  }

  /**
   * {@return the recorded steps of an episode with rho_t, pi_t and delta_t computed from a frozen
   * Q and the policies on it; done after the last step}
   *
   * @param mdp the model
   * @param q the frozen Q
   * @param episode the steps
   */
  public TraceSteps frozenSteps(TabularMdp<?, ?> mdp, double[] q, Trajectory episode) {
    Kernels.checkRowValues(mdp, q);
    Kernels.checkTrajectory(mdp, episode);
    Csr c = mdp.csr();
    int n = episode.length();
    int[] rows = new int[n];
    double[] rho = new double[n];
    double[] pi = new double[n];
    double[] delta = new double[n];
    boolean[] done = new boolean[n];
    double[] pb = new double[q.length];
    double[] pt = new double[q.length];
    for (int t = 0; t < n; t++) {
      int s = episode.state(t);
      int r = episode.row(t);
      behaviour.probabilities(mdp, q, s, pb);
      target.probabilities(mdp, q, s, pt);
      rows[t] = r;
      rho[t] = ratio(mdp, pt[r], pb[r], r);
      pi[t] = pt[r];
      int next = episode.state(t + 1);
      double boot = 0;
      if (!c.terminal()[next]) {
        target.probabilities(mdp, q, next, pt);
        boot = ControlKernels.expectation(c, pt, q, next);
      }
      delta[t] = episode.reward(t) + mdp.discount() * boot - q[r];
    }
    if (n > 0) {
      done[n - 1] = true;
    }
    return new TraceSteps(rows, rho, pi, delta, done);
  }

  /**
   * {@return a reusable online kernel for one model: buffers allocated once, Q updated in place}
   *
   * @param mdp the model
   */
  public Session session(TabularMdp<?, ?> mdp) {
    return new Session(this, mdp);
  }

  /** {@return a short name with the parameters} */
  public String label() {
    return "off-policy traces " + rule + ", alpha " + alpha + ", " + storage.name()
        .toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  static double ratio(TabularMdp<?, ?> mdp, double pi, double mu, int row) {
    if (!(mu > 0)) {
      throw new ModelException("row " + row + " of " + mdp.name() + " (state "
          + mdp.states().value(mdp.rowState(row)) + ") was taken with behaviour probability "
          + mu + "; the importance ratio pi/mu needs mu > 0");
    }
    return pi / mu;
  }

  /**
   * The online learner's mutable kernel for one model: a trace buffer (or per-pair table) and
   * probability scratch arrays, allocated once; {@link #episode} updates a caller's Q in place.
   * Not thread-safe: one session per thread (trial).
   */
  public static final class Session {
    private final OffPolicyTraces learner;
    private final TabularMdp<?, ?> mdp;
    private final Csr csr;
    private final boolean[] terminal;
    private final double gamma;
    private final TraceBuffer buffer;
    private final double[] table;
    private final TraceUpdates.PairTable pairs;
    private final double[] pb;
    private final double[] pt;
    private Kernels.Builder recorder;
    private long[] visits;
    private boolean terminated;

    Session(OffPolicyTraces learner, TabularMdp<?, ?> mdp) {
      this.learner = learner;
      this.mdp = mdp;
      this.csr = mdp.csr();
      this.terminal = csr.terminal();
      this.gamma = mdp.discount();
      this.buffer = TraceBuffer.create(learner.rule, gamma);
      boolean perPair = learner.storage == Storage.PER_PAIR;
      this.table = perPair ? new double[mdp.numRows()] : new double[0];
      this.pairs = perPair ? TraceUpdates.PairTable.of(learner.rule, gamma) : null;
      this.pb = new double[mdp.numRows()];
      this.pt = new double[mdp.numRows()];
    }

    void recordInto(Kernels.Builder b, long[] counts) {
      this.recorder = b;
      this.visits = counts;
    }

    Trajectory recorded() {
      return recorder.build(terminated);
    }

    /**
     * Runs one episode online from a start state of the initial distribution, updating {@code
     * q} in place, until a terminal state or {@code maxSteps} steps; the traces are dropped at the
     * end either way.
     *
     * @param q Q over the model's rows, updated in place
     * @param rng the generator
     * @param maxSteps the step cap (&gt;= 0)
     * @return the number of steps taken
     */
    public int episode(double[] q, RandomGenerator rng, int maxSteps) {
      if (q.length != mdp.numRows()) {
        throw new IllegalArgumentException(q.length + " action values for " + mdp.numRows()
            + " rows of " + mdp.name());
      }
      int s = Experience.initialState(mdp, rng);
      if (recorder != null) {
        recorder = new Kernels.Builder(s);
      }
      int t = 0;
      while (t < maxSteps && !terminal[s]) {
        learner.behaviour.probabilities(mdp, q, s, pb);
        int r = Experience.row(csr, pb, s, rng);
        int k = Experience.entry(csr, r, rng);
        int next = csr.next()[k];
        double reward = mdp.entryReward(k);
        update(q, s, r, reward, next, true);
        if (recorder != null) {
          recorder.add(r, reward, next);
          visits[r]++;
        }
        s = next;
        t++;
      }
      terminated = terminal[s];
      reset();
      return t;
    }

    /**
     * One online step (spec steps 1-6) for a given transition: S_t = {@code state}, the action of
     * row {@code row} (its behaviour probability must be positive), R_{t+1} = {@code reward},
     * S_{t+1} = {@code next}; the traces are dropped when {@code next} is terminal.
     *
     * @param q Q, updated in place
     * @param state S_t
     * @param row the row of (S_t, A_t)
     * @param reward R_{t+1}
     * @param next S_{t+1}
     */
    public void learn(double[] q, int state, int row, double reward, int next) {
      update(q, state, row, reward, next, false);
    }

    /** Steps 1-6; {@code pb} already holds mu on this Q at {@code state} when {@code known}. */
    private void update(double[] q, int state, int row, double reward, int next,
        boolean known) {
      if (!known) {
        learner.behaviour.probabilities(mdp, q, state, pb);
      }
      learner.target.probabilities(mdp, q, state, pt);
      double rho = ratio(mdp, pt[row], pb[row], row);
      double pi = pt[row];
      double boot = 0;
      if (!terminal[next]) {
        learner.target.probabilities(mdp, q, next, pt);
        boot = ControlKernels.expectation(csr, pt, q, next);
      }
      double delta = reward + gamma * boot - q[row];
      double scale = learner.alpha * delta;
      if (pairs == null) {
        buffer.advance(rho, pi);
        buffer.push(row);
        buffer.scatter(q, scale);
      } else {
        pairs.decay(table, rho, pi);
        table[row] += 1;
        for (int r = 0; r < table.length; r++) {
          q[r] += scale * table[r];
        }
      }
      if (terminal[next]) {
        reset();
      }
    }

    /** Drops every trace (the end of an episode). */
    public void reset() {
      buffer.clear();
      if (pairs != null) {
        Arrays.fill(table, 0);
      }
    }

    /** {@return the per-step trace buffer (empty in per-pair mode)} */
    public TraceBuffer buffer() {
      return buffer;
    }
  }
}
