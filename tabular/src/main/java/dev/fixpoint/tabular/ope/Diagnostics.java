package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Importance-weight diagnostics of a dataset for a target policy (spec estimators.md section
 * 7.1), per time step t = 0..H-1 over the padded cumulative weights w_{0:t} of the n episodes:
 * the effective sample size ESS_t = (sum_i w_i)^2 / sum_i w_i^2 (Kong 1992; 0 when every weight is
 * 0), the largest weight and the fraction of zero weights; plus, from the data alone, the
 * (state, action) pairs that pi may take at a logged state but that were never logged there (a
 * possible support problem: mu is known only for the actions logged).
 *
 * @param ess ESS_t
 * @param maxWeight max_i w^(i)_{0:t}
 * @param zeroFraction the fraction of episodes with w^(i)_{0:t} = 0
 * @param unlogged "state S, action A" for each pair with pi(a|s) &gt; 0 at a logged state s where
 *     a was never logged
 */
@API(status = API.Status.EXPERIMENTAL)
public record Diagnostics(double[] ess, double[] maxWeight, double[] zeroFraction,
    List<String> unlogged) {

  /** Copies the arrays. */
  public Diagnostics {
    ess = ess.clone();
    maxWeight = maxWeight.clone();
    zeroFraction = zeroFraction.clone();
    unlogged = List.copyOf(unlogged);
  }

  /**
   * Computes the diagnostics.
   *
   * @param pi the target policy
   * @param data the logged data
   * @param <S> state type
   * @param <A> action type
   * @return the diagnostics
   */
  public static <S, A> Diagnostics of(TabularPolicy<S, A> pi, Dataset data) {
    TabularMdp<S, A> m = pi.mdp();
    int[] rows = OpeDouble.rows(m, data);
    int h = data.horizon();
    int n = data.numEpisodes();
    double[] sum = new double[h];
    double[] sum2 = new double[h];
    double[] max = new double[h];
    double[] zeros = new double[h];
    boolean[] loggedState = new boolean[m.numStates()];
    boolean[] loggedRow = new boolean[m.numRows()];
    for (int i = 0; i < n; i++) {
      double w = 1;
      for (int t = 0; t < h; t++) {
        if (t < data.length(i)) {
          int k = data.start(i) + t;
          w *= pi.probAt(rows[k]) / data.behaviourProb(k);
          loggedState[data.state(k)] = true;
          loggedRow[rows[k]] = true;
        }
        sum[t] += w;
        sum2[t] += w * w;
        max[t] = Math.max(max[t], w);
        zeros[t] += w == 0 ? 1 : 0;
      }
    }
    double[] ess = new double[h];
    for (int t = 0; t < h; t++) {
      ess[t] = sum2[t] == 0 ? 0 : sum[t] * sum[t] / sum2[t];
      zeros[t] /= n;
    }
    List<String> unlogged = new ArrayList<>();
    for (int s = 0; s < m.numStates(); s++) {
      if (!loggedState[s]) {
        continue;
      }
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (pi.probAt(r) > 0 && !loggedRow[r]) {
          unlogged.add("state " + m.states().value(s) + ", action "
              + m.actions().value(m.rowAction(r)));
        }
      }
    }
    return new Diagnostics(ess, max, zeros, unlogged);
  }

  @Override
  public String toString() {
    return "ESS per step " + Arrays.toString(ess) + ", max weight " + Arrays.toString(maxWeight)
        + ", zero-weight fraction " + Arrays.toString(zeroFraction)
        + (unlogged.isEmpty() ? "" : ", pi takes actions never logged: " + unlogged);
  }
}
