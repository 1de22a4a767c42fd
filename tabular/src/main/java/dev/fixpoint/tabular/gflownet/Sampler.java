package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.dsl.internal.FlowCsr;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Draws complete trajectories from a behaviour policy built from per-action logits: at state s,
 * beta(a | s) = (1 - epsilon) softmax(theta / T)(a | s) + epsilon / |A(s)|, with temperature T &gt;
 * 0 (tempered sampling, T = 1 is on-policy) and exploration epsilon in [0, 1]. Only the
 * trajectory is returned: losses always score it with the learner's own P_F, never with beta, so
 * off-policy sampling cannot bias log Z (the torchgfn bug class of issue #148, fixed in PR #174).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Sampler {
  private Sampler() {}

  /**
   * {@return one complete trajectory, drawn with exactly one {@code nextDouble()} per step}
   * @param net the network
   * @param logits theta per forward action
   * @param epsilon exploration weight in [0, 1]
   * @param temperature T &gt; 0
   * @param rng the source of randomness
   */
  public static FlowTrajectory sample(TabularFlowNetwork<?> net, double[] logits, double epsilon,
      double temperature, RandomGenerator rng) {
    if (!(epsilon >= 0 && epsilon <= 1) || !(temperature > 0) || Double.isInfinite(temperature)) {
      throw new ModelException("sampler: epsilon = " + epsilon + " must be in [0, 1] and "
          + "temperature = " + temperature + " positive and finite");
    }
    FlowCsr g = net.csr();
    int[] as = g.actionStart();
    int[] states = new int[8];
    int[] edges = new int[8];
    int len = 0;
    int s = 0;
    double[] w = new double[16];
    while (true) {
      if (len == states.length) {
        states = Arrays.copyOf(states, 2 * len);
        edges = Arrays.copyOf(edges, 2 * len);
      }
      states[len] = s;
      int k = as[s + 1] - as[s];
      if (w.length < k) {
        w = new double[2 * k];
      }
      double m = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < k; i++) {
        m = Math.max(m, logits[as[s] + i] / temperature);
      }
      double sum = 0;
      for (int i = 0; i < k; i++) {
        w[i] = Math.exp(logits[as[s] + i] / temperature - m);
        sum += w[i];
      }
      double u = rng.nextDouble();
      int chosen = k - 1;
      double acc = 0;
      for (int i = 0; i < k; i++) {
        acc += (1 - epsilon) * w[i] / sum + epsilon / k;
        if (u < acc) {
          chosen = i;
          break;
        }
      }
      int deg = g.childStart()[s + 1] - g.childStart()[s];
      if (chosen >= deg) { // the exit action (last)
        return new FlowTrajectory(Arrays.copyOf(states, len + 1), Arrays.copyOf(edges, len));
      }
      int e = g.childStart()[s] + chosen;
      edges[len++] = e;
      s = g.child()[e];
    }
  }
}
