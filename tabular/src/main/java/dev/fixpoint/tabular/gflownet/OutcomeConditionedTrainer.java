package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.Loss;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apiguardian.api.API;

/**
 * Seeded training of a tabular outcome-conditioned GFlowNet (OC-GFN; Pan, Zhang, Courville,
 * Huang and Bengio, <i>Pre-training and fine-tuning generative flow networks</i>, ICLR 2024) with
 * goal sampling and hindsight relabelling. One table of forward logits per outcome {@code y} (a
 * terminating state) parameterises {@code P_F(. | s, y)}; the conditional reward is {@code R(x |
 * y) = 1[x = y]}, so {@code Z(y) = 1} is known and not learned.
 *
 * <p>A step draws {@code batchSize} goals {@code y} uniformly from the terminating states, samples
 * one trajectory {@code tau} from {@code P_F(. | ., y)} (mixed with {@code epsilon} uniform
 * exploration, as {@link Sampler}) and relabels its goal to the state it reached, {@code x}
 * (hindsight: the trajectory is a success for goal {@code x}, reward 1). The loss is trajectory
 * balance with {@code log Z(x) = log R(x | x) = 0}: {@code (log P_F(tau | x) - log P_B(tau |
 * x))^2}, averaged over the batch; it vanishes for all trajectories exactly when {@code P_F(tau |
 * x) = P_B(tau | x)} on every trajectory ending at {@code x}, i.e. at the exact conditional flow of
 * {@link OutcomeConditioned#toward}, which reaches {@code x} with probability 1. Gradients come
 * from {@link Losses} (trajectory balance, with the network's log R(x) cancelled by setting log Z
 * to it); each goal present in the batch takes one Adam step (Kingma and Ba 2015; beta1 = 0.9,
 * beta2 = 0.999, eps = 1e-8) on its own table; goals absent from a batch are not stepped.
 *
 * <p>Evaluation is exact: {@link #successRates} pushes each conditional policy forward and reads
 * {@code P_T(y | y)}, the probability of reaching the goal, which is {@code 1 - TV(P_T(. | y),
 * delta_y)}.
 *
 * @param batchSize trajectories per step, &gt;= 1
 * @param learningRate Adam step size, &gt; 0
 * @param epsilon uniform exploration weight in [0, 1]
 */
@API(status = API.Status.EXPERIMENTAL)
public record OutcomeConditionedTrainer(int batchSize, double learningRate, double epsilon) {

  /** Checks the hyper-parameters. */
  public OutcomeConditionedTrainer {
    if (batchSize < 1 || !(learningRate > 0) || !(epsilon >= 0) || epsilon > 1) {
      throw new ModelException("outcome-conditioned trainer: batchSize = " + batchSize
          + " >= 1, learningRate = " + learningRate + " > 0, epsilon = " + epsilon
          + " in [0, 1] required");
    }
  }

  /**
   * A finished run.
   *
   * @param goals the terminating states, in the order of the logit tables
   * @param logits per goal, forward logits per action
   * @param trajectories trajectories sampled at each evaluation
   * @param meanSuccess mean over goals of the exact P_T(y | y) at each evaluation
   */
  public record Run(int[] goals, double[][] logits, long[] trajectories, double[] meanSuccess) {}

  /**
   * {@return P_T(y | y) for each goal y, exact by the forward push of each conditional policy}
   * @param net the network
   * @param goals the terminating states
   * @param logits per goal, forward logits per action
   */
  public static double[] successRates(TabularFlowNetwork<?> net, int[] goals, double[][] logits) {
    double[] s = new double[goals.length];
    for (int k = 0; k < goals.length; k++) {
      s[k] = ForwardPush.ofLogits(net, logits[k])[goals[k]];
    }
    return s;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /**
   * Trains from all-zero logits (uniform P_F for every goal) with randomness from {@code new
   * SplittableRandom(seed)} (same arguments, bit-identical run), evaluating at step 0, every
   * {@code evaluateEvery} steps and after the last.
   *
   * @param net the network
   * @param backward the fixed backward policy
   * @param trajectories the budget (rounded up to whole batches)
   * @param evaluateEvery steps between exact evaluations, &gt;= 1
   * @param seed the seed
   * @return the run
   */
  public Run run(TabularFlowNetwork<?> net, BackwardTable backward, long trajectories,
      int evaluateEvery, long seed) {
    if (evaluateEvery < 1) {
      throw new ModelException("outcome-conditioned trainer: evaluateEvery = " + evaluateEvery
          + " >= 1 required");
    }
    FlowCsr g = net.csr();
    int[] goals = net.terminatingStates();
    int[] goalOf = new int[g.n()];
    java.util.Arrays.fill(goalOf, -1);
    for (int k = 0; k < goals.length; k++) {
      goalOf[goals[k]] = k;
    }
    int a = g.actions();
    double[][] logits = new double[goals.length][a];
    double[][] m = new double[goals.length][a];
    double[][] v = new double[goals.length][a];
    int[] t = new int[goals.length];
    double[] pbLogits = backward.logProbabilities();
    double[] zeroFlow = new double[g.n()];
    double[] zeroEdge = new double[a];
    SplittableRandom rng = new SplittableRandom(seed);
    List<Long> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    xs.add(0L);
    ys.add(mean(successRates(net, goals, logits)));
    long steps = (trajectories + batchSize - 1) / batchSize;
    for (long step = 1; step <= steps; step++) {
      List<List<FlowTrajectory>> byGoal = new ArrayList<>();
      for (int k = 0; k < goals.length; k++) {
        byGoal.add(null);
      }
      for (int i = 0; i < batchSize; i++) {
        int y = rng.nextInt(goals.length);
        FlowTrajectory tau = Sampler.sample(net, logits[y], epsilon, 1, rng);
        int reached = goalOf[tau.last()];
        if (byGoal.get(reached) == null) {
          byGoal.set(reached, new ArrayList<>());
        }
        byGoal.get(reached).add(tau);
      }
      for (int k = 0; k < goals.length; k++) {
        List<FlowTrajectory> group = byGoal.get(k);
        if (group == null) {
          continue;
        }
        // log Z := log R(x) cancels the network's reward in the TB residual: R(x | x) = 1.
        GfnParameters p = new GfnParameters(logits[k], pbLogits, g.logReward()[goals[k]],
            zeroFlow, zeroEdge);
        double[] grad = Losses.evaluate(Loss.tb(), net, p, group).gradient().forwardLogits();
        double w = (double) group.size() / batchSize;
        t[k]++;
        double c1 = 1 - Math.pow(0.9, t[k]);
        double c2 = 1 - Math.pow(0.999, t[k]);
        for (int i = 0; i < a; i++) {
          double gi = w * grad[i];
          m[k][i] = 0.9 * m[k][i] + 0.1 * gi;
          v[k][i] = 0.999 * v[k][i] + 0.001 * gi * gi;
          logits[k][i] -= learningRate * (m[k][i] / c1) / (Math.sqrt(v[k][i] / c2) + 1e-8);
        }
      }
      if (step % evaluateEvery == 0 || step == steps) {
        xs.add(step * batchSize);
        ys.add(mean(successRates(net, goals, logits)));
      }
    }
    long[] tr = new long[xs.size()];
    double[] su = new double[ys.size()];
    for (int i = 0; i < tr.length; i++) {
      tr[i] = xs.get(i);
      su[i] = ys.get(i);
    }
    return new Run(goals, logits, tr, su);
  }
}
