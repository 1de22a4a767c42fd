package dev.fixpoint.examples.bench;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.examples.traces.BifurcationExperiment;
import dev.fixpoint.examples.traces.BifurcationExperiment.Env;
import dev.fixpoint.examples.traces.BifurcationExperiment.Method;
import dev.fixpoint.examples.traces.BifurcationExperiment.SharedEpsilonGreedy;
import dev.fixpoint.tabular.learn.Experience;
import dev.fixpoint.tabular.learn.OffPolicyTraces;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Speed of the online trace learner ({@link OffPolicyTraces}, per-time-step storage, spec {@code
 * traces.md} 2.3) on Bifurcation1 with the paper's control settings (behaviour 0.2-greedy and
 * target 0.1-greedy on the live Q, alpha 0.9), on one thread:
 *
 * <ul>
 *   <li>{@link #learn}: environment steps per second of learning episodes (JMH reports the
 *       {@code steps} counter per second); Q restarts from 0.01 N(0, 1) every 200 episodes so
 *       that early long episodes (many live entries) are in the mix;
 *   <li>{@link #reference}: the same episodes' sampling alone (policy probabilities, action and
 *       next-state draws, no learning) in the same run: learn / reference is the learning's cost
 *       factor;
 *   <li>{@link #trial}: one whole trial of the protocol ({@link BifurcationExperiment#trial}:
 *       3000 training steps plus the evaluation episodes) in milliseconds. The paper protocol on
 *       Bifurcation1 is 4 methods x 11 lambdas x (5 alphas x 1000 + 1000) = 264,000 trials, so
 *       its wall time on c cores is about 264,000 x (ms per trial) / c.
 * </ul>
 *
 * <p>Run, from the repository root, with a JDK 21 or later:
 *
 * <pre>
 * ./mvnw -q -o -pl examples -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp examples/target/classes:$(cat examples/target/classpath.txt) org.openjdk.jmh.Main TracesBench -f 1 -wi 2 -i 3
 * </pre>
 */
@API(status = API.Status.EXPERIMENTAL)
@State(Scope.Thread)
@Fork(1)
@Threads(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class TracesBench {
  /** The trace rule. */
  @Param({"RBIS", "TRUNCATED_IS", "RETRACE"})
  public String method;

  /** Lambda. */
  @Param({"0.9"})
  public double lambda;

  private Env env;
  private TabularMdp<?, ?> mdp;
  private OffPolicyTraces.Session session;
  private SplittableRandom rng;
  private double[] q;
  private double[] probs;
  private int episodes;
  private TraceRule rule;
  private final SharedEpsilonGreedy behaviour = new SharedEpsilonGreedy(0.2);

  /** Environment steps taken, reported per second by JMH. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Steps {
    /** Steps in this iteration. */
    public long steps;

    /** Clears the counter. */
    @Setup(Level.Iteration)
    public void clear() {
      steps = 0;
    }
  }

  /** Builds the model and the learner. */
  @Setup(Level.Trial)
  public void setUp() {
    env = BifurcationExperiment.env(1);
    mdp = env.mdp();
    rule = Method.valueOf(method).rule(lambda);
    session = OffPolicyTraces.of(rule, 0.9, new SharedEpsilonGreedy(0.2),
        new SharedEpsilonGreedy(0.1)).session(mdp);
    rng = new SplittableRandom(42);
    q = new double[mdp.numRows()];
    probs = new double[mdp.numRows()];
    restart();
  }

  private void restart() {
    for (int r = 0; r < q.length; r++) {
      q[r] = 0.01 * rng.nextGaussian();
    }
  }

  /**
   * One learning episode (capped at 1000 steps).
   *
   * @param s the step counter
   * @return Q, so that the work is not dropped
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public double[] learn(Steps s) {
    if (++episodes % 200 == 0) {
      restart();
    }
    s.steps += session.episode(q, rng, 1000);
    return q;
  }

  /**
   * The same kind of episode without learning: probabilities and draws only.
   *
   * @param s the step counter
   * @return the last state
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int reference(Steps s) {
    int state = Experience.initialState(mdp, rng);
    int t = 0;
    while (t < 1000 && !mdp.isTerminal(state)) {
      behaviour.probabilities(mdp, q, state, probs);
      int row = Experience.sampleRow(mdp, probs, state, rng);
      state = mdp.next(Experience.sampleEntry(mdp, row, rng));
      t++;
    }
    s.steps += t;
    return state;
  }

  /** {@return one whole protocol trial (AUC)} */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public double trial() {
    return BifurcationExperiment.trial(env, rule, 0.9, new SplittableRandom(rng.nextLong()),
        false)[0];
  }
}
