package dev.fixpoint.examples.traces;

import dev.fixpoint.dsl.GridMove;
import dev.fixpoint.dsl.GridState;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.examples.Bifurcation;
import dev.fixpoint.examples.traces.BifurcationExperiment.Method;
import dev.fixpoint.examples.traces.BifurcationExperiment.SharedEpsilonGreedy;
import dev.fixpoint.tabular.learn.Experience;
import dev.fixpoint.tabular.learn.TraceBuffer;
import dev.fixpoint.tabular.learn.Trials;
import dev.fixpoint.tabular.solve.PolicyIteration;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * The trace-visualisation experiment of Daley et al. (ICML 2023; repository {@code
 * moretrace/experiments/control/plot_traces.py}, spec {@code traces.md} 5.4): on Bifurcation1
 * with Q* from policy iteration, behaviour mu = 0.2-greedy(Q*) and target pi = 0.1-greedy(Q*),
 * no learning (alpha = 0, so Q stays Q*), the summed trace sum_{k: (S_k, A_k) = (fork, a)}
 * beta^(k)_t of each action a at the fork cell (x, y) = (2, 0) over the steps t of an episode,
 * averaged over seeds (a finished episode contributes 0). Lambda per method as in the
 * repository's figure: Retrace 0.6, truncated IS 0.4, recursive Retrace 0.7, RBIS 0.4.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TraceVisualisation {
  private TraceVisualisation() {}

  /** {@return the figure's lambda for a method} @param m the method */
  public static double lambda(Method m) {
    return switch (m) {
      case RETRACE -> 0.6;
      case TRUNCATED_IS -> 0.4;
      case RECURSIVE_RETRACE -> 0.7;
      case RBIS -> 0.4;
    };
  }

  /**
   * {@return mean summed trace [action][t], t = 0 .. steps-1, over {@code seeds} episodes}
   *
   * @param method the rule (at {@link #lambda(Method)})
   * @param seeds episodes (100 in the repository)
   * @param steps the steps shown (episodes are cut there)
   * @param seed the experiment's seed
   */
  public static double[][] summedTraces(Method method, int seeds, int steps, long seed) {
    TabularMdp<GridState, GridMove> m = Bifurcation.one().tabulate();
    double[] qStar = PolicyIteration.solve(m).q().toArray();
    int fork = m.states().indexOf(Bifurcation.LAYOUT_1.cellAtXy(2, 0));
    TraceRule rule = method.rule(lambda(method));
    SharedEpsilonGreedy mu = new SharedEpsilonGreedy(BifurcationExperiment.BEHAVIOUR_EPSILON);
    SharedEpsilonGreedy pi = new SharedEpsilonGreedy(BifurcationExperiment.TARGET_EPSILON);
    double[] pb = new double[m.numRows()];
    double[] pt = new double[m.numRows()];
    int actions = m.rowEnd(fork) - m.rowStart(fork);
    double[][] sum = new double[actions][steps];
    RandomGenerator[] gens = Trials.generators(seed, seeds);
    for (int i = 0; i < seeds; i++) {
      RandomGenerator rng = gens[i];
      TraceBuffer buffer = TraceBuffer.create(rule, m.discount());
      int s = Experience.initialState(m, rng);
      for (int t = 0; t < steps && !m.isTerminal(s); t++) {
        mu.probabilities(m, qStar, s, pb);
        pi.probabilities(m, qStar, s, pt);
        int row = Experience.sampleRow(m, pb, s, rng);
        buffer.advance(pt[row] / pb[row], pt[row]);
        buffer.push(row);
        for (int k = 0; k < buffer.size(); k++) {
          int a = buffer.row(k) - m.rowStart(fork);
          if (a >= 0 && a < actions) {
            sum[a][t] += buffer.beta(k);
          }
        }
        s = m.next(Experience.sampleEntry(m, row, rng));
      }
    }
    for (double[] a : sum) {
      for (int t = 0; t < steps; t++) {
        a[t] /= seeds;
      }
    }
    return sum;
  }

  /** {@return the action names in row order at the fork} */
  public static String[] actionNames() {
    TabularMdp<GridState, GridMove> m = Bifurcation.one().tabulate();
    int fork = m.states().indexOf(Bifurcation.LAYOUT_1.cellAtXy(2, 0));
    String[] out = new String[m.rowEnd(fork) - m.rowStart(fork)];
    for (int r = m.rowStart(fork); r < m.rowEnd(fork); r++) {
      out[r - m.rowStart(fork)] = m.actions().value(m.rowAction(r)).toString();
    }
    return out;
  }
}
