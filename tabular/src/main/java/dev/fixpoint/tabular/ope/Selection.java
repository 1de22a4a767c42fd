package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.ModelException;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Off-policy selection metrics (spec estimators.md section 5; SCOPE-RL {@code ops.py}; Kiyohara
 * et al., "Towards Assessing and Benchmarking Risk-Return Tradeoff of Off-Policy Evaluation",
 * ICLR 2024). Candidates are indices 0..m-1 with true values J[i] and estimates (or lower
 * bounds) Jhat[i]; the top-k set Pi_k holds the k candidates with the largest Jhat.
 *
 * <p>Two conventions. {@link Convention#FIXPOINT}: ties in Jhat put the earlier-listed candidate
 * first; Regret@k = max J - max_{Pi_k} J (Fu et al. 2021); std@k with 1/k; SharpeRatio@k =
 * max(best@k - J(pi_b), 0) / std@k, +infinity when std@k = 0 and the numerator is positive, 0
 * when both are 0, not reported for k = 1. {@link Convention#SCOPE_RL} reproduces SCOPE-RL
 * (commit b1c9e9f): the order of the reversed ascending argsort (numpy's insertion sort, stable on
 * small arrays, so ties put the later-listed candidate first), Regret@k = sum of the k largest J
 * - sum_{Pi_k} J, std@k with 1/(k - 1), baseline = mean logged return + 1e-10, NaN for k = 1 and
 * for 0/0, and with capping NaN becomes 0, +infinity 100, and values are clipped to [0, 100] for k
 * &gt;= 2. No method of the FIXPOINT convention returns NaN.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Selection {
  private Selection() {}

  /** Which library's conventions to follow. */
  public enum Convention {
    /** fixpoint's definitions (spec section 5). */
    FIXPOINT,
    /** SCOPE-RL's code, commit b1c9e9f. */
    SCOPE_RL
  }

  /**
   * The metrics of one top-k set.
   *
   * @param k the size of the top-k set
   * @param selected the candidates of Pi_k, best estimate first
   * @param best best@k = max_{Pi_k} J
   * @param worst worst@k = min_{Pi_k} J
   * @param mean mean@k
   * @param std std@k (1/k, or 1/(k - 1) in SCOPE-RL mode)
   * @param regret Regret@k
   * @param sharpeNumerator max(best@k - baseline, 0)
   * @param sharpe SharpeRatio@k (see the class comment for 0/0, x/0 and k = 1)
   */
  public record TopK(int k, int[] selected, double best, double worst, double mean, double std,
      double regret, double sharpeNumerator, double sharpe) {
    @Override
    public String toString() {
      return String.format("@%d %s: best %.6g worst %.6g mean %.6g std %.6g regret %.6g "
          + "sharpe %.6g (numerator %.6g)", k, Arrays.toString(selected), best, worst, mean, std,
          regret, sharpe, sharpeNumerator);
    }
  }

  private static void check(double[] est, double[] truth) {
    if (est.length != truth.length || est.length == 0) {
      throw new ModelException(est.length + " estimates for " + truth.length
          + " candidates; need the same positive number");
    }
    for (int i = 0; i < est.length; i++) {
      if (!Double.isFinite(est[i]) || !Double.isFinite(truth[i])) {
        throw new ModelException("candidate " + i + ": estimate " + est[i] + " or value "
            + truth[i] + " is not finite");
      }
    }
  }

  /**
   * {@return the candidates ordered by decreasing estimate under a convention's tie rule}
   *
   * @param est the estimates (or lower bounds)
   * @param c the convention
   */
  public static int[] ranking(double[] est, Convention c) {
    Integer[] idx = new Integer[est.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    if (c == Convention.FIXPOINT) {
      Arrays.sort(idx, (a, b) -> Double.compare(est[b], est[a])); // stable: earlier first
    } else {
      Arrays.sort(idx, (a, b) -> Double.compare(est[a], est[b])); // stable ascending
      for (int i = 0, j = idx.length - 1; i < j; i++, j--) {
        Integer t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
      }
    }
    int[] out = new int[idx.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  /**
   * {@return SCOPE-RL's across-candidates MSE (1/m) sum_i (Jhat_i - J_i)^2 on one dataset}
   *
   * @param est the estimates
   * @param truth the true values
   */
  public static double mse(double[] est, double[] truth) {
    check(est, truth);
    double s = 0;
    for (int i = 0; i < est.length; i++) {
      s += (est[i] - truth[i]) * (est[i] - truth[i]);
    }
    return s / est.length;
  }

  /**
   * {@return the relative estimation error |Jhat - J| / |J| (OBP "relative-ee")}
   *
   * @param est an estimate
   * @param truth the true value, not 0
   * @throws ModelException when J = 0
   */
  public static double relativeError(double est, double truth) {
    if (truth == 0) {
      throw new ModelException("relative estimation error is undefined when J = 0");
    }
    return Math.abs(est - truth) / Math.abs(truth);
  }

  /**
   * {@return Spearman's rank correlation of Jhat with J, ties given their average rank (the
   * Pearson correlation of the two rank vectors)}
   *
   * @param est the estimates
   * @param truth the true values
   * @throws ModelException when either vector is constant (the correlation is undefined)
   */
  public static double spearman(double[] est, double[] truth) {
    check(est, truth);
    double[] a = averageRanks(est);
    double[] b = averageRanks(truth);
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (saa == 0 || sbb == 0) {
      throw new ModelException("Spearman's correlation is undefined: the "
          + (saa == 0 ? "estimates" : "true values") + " are constant");
    }
    return sab / Math.sqrt(saa * sbb);
  }

  private static double[] averageRanks(double[] x) {
    int n = x.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
    double[] r = new double[n];
    for (int i = 0; i < n;) {
      int j = i;
      while (j + 1 < n && x[idx[j + 1]] == x[idx[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int l = i; l <= j; l++) {
        r[idx[l]] = avg;
      }
      i = j + 1;
    }
    return r;
  }

  /**
   * Type I and Type II error rates against a safety threshold, as SCOPE-RL defines them: a
   * candidate is safe when J &gt;= threshold and estimated safe when Jhat &gt;= threshold; Type I =
   * (safe but estimated unsafe) / (safe), Type II = (unsafe but estimated safe) / (unsafe), each 0
   * when its denominator is 0. SCOPE-RL's threshold is {@code safety_criteria} times the
   * behaviour value.
   *
   * @param est the estimates
   * @param truth the true values
   * @param threshold the safety threshold
   * @return {Type I rate, Type II rate}
   */
  public static double[] typeErrors(double[] est, double[] truth, double threshold) {
    check(est, truth);
    int safe = 0;
    int unsafe = 0;
    int rejected = 0;
    int accepted = 0;
    for (int i = 0; i < est.length; i++) {
      boolean s = truth[i] >= threshold;
      boolean e = est[i] >= threshold;
      if (s) {
        safe++;
        rejected += e ? 0 : 1;
      } else {
        unsafe++;
        accepted += e ? 1 : 0;
      }
    }
    return new double[] {safe == 0 ? 0 : (double) rejected / safe,
        unsafe == 0 ? 0 : (double) accepted / unsafe};
  }

  /**
   * The top-k metrics of one selection.
   *
   * @param est the estimates Jhat (or lower bounds L, for selection by lower bound)
   * @param truth the true values J
   * @param k 1..m
   * @param baseline FIXPOINT: the exact J(pi_b); SCOPE_RL: the mean discounted return of the
   *     logged trajectories (1e-10 is added, as SCOPE-RL does)
   * @param c the convention
   * @param cap SCOPE_RL only: SCOPE-RL's {@code clip_sharpe_ratio}
   * @return the metrics
   * @throws ModelException for k outside 1..m; in the FIXPOINT convention for k = 1 (SharpeRatio@1
   *     is not reported: use k &gt;= 2)
   */
  public static TopK topK(double[] est, double[] truth, int k, double baseline, Convention c,
      boolean cap) {
    check(est, truth);
    int m = est.length;
    if (k < 1 || k > m) {
      throw new ModelException("k = " + k + " outside 1.." + m);
    }
    if (c == Convention.FIXPOINT && k == 1) {
      throw new ModelException("SharpeRatio@1 is not reported (std@1 = 0 always); use k >= 2");
    }
    int[] order = ranking(est, c);
    int[] sel = Arrays.copyOf(order, k);
    double best = Double.NEGATIVE_INFINITY;
    double worst = Double.POSITIVE_INFINITY;
    double sum = 0;
    for (int i : sel) {
      best = Math.max(best, truth[i]);
      worst = Math.min(worst, truth[i]);
      sum += truth[i];
    }
    double mean = sum / k;
    double ss = 0;
    for (int i : sel) {
      ss += (truth[i] - mean) * (truth[i] - mean);
    }
    double regret;
    if (c == Convention.FIXPOINT) {
      double max = Double.NEGATIVE_INFINITY;
      for (double j : truth) {
        max = Math.max(max, j);
      }
      regret = max - best;
    } else {
      double[] sorted = truth.clone();
      Arrays.sort(sorted);
      double top = 0;
      for (int i = 0; i < k; i++) {
        top += sorted[m - 1 - i];
      }
      regret = top - sum;
    }
    if (c == Convention.FIXPOINT) {
      double std = Math.sqrt(ss / k);
      double num = Math.max(best - baseline, 0);
      double sharpe = std > 0 ? num / std : num > 0 ? Double.POSITIVE_INFINITY : 0;
      return new TopK(k, sel, best, worst, mean, std, regret, num, sharpe);
    }
    double std = Math.sqrt(ss / (k - 1)); // k = 1: 0/0 = NaN, as numpy's ddof=1
    double num = Math.max(best - (baseline + 1e-10), 0);
    double sharpe = num / std;
    if (cap && k >= 2) {
      sharpe = Double.isNaN(sharpe) ? 0 : Double.isInfinite(sharpe) ? 100
          : Math.min(Math.max(sharpe, 0), 100);
    }
    return new TopK(k, sel, best, worst, mean, std, regret, num, sharpe);
  }

  /**
   * nDCG@k of the ranking by the estimates, a metric of neither SCOPE-RL nor OBP, so its gain and
   * discount are fixpoint's (spec section 5 asks to state them): the gain of candidate i is
   * J(pi_i) - min_j J(pi_j) (non-negative, invariant under adding a constant to every value), the
   * discount of position p = 1, 2, ... is 1 / log2(p + 1) (Jarvelin and Kekalainen 2002), DCG@k
   * = sum_{p &lt;= k} gain(ranked_p) / log2(p + 1) over the ranking by the estimates (fixpoint's
   * tie rule: earlier-listed first), and nDCG@k = DCG@k / IDCG@k with IDCG@k the DCG@k of the
   * ranking by the true values. 1 when the top k by estimate carry the k largest gains in order.
   *
   * @param est the estimates
   * @param truth the true values J
   * @param k 1 &lt;= k &lt;= m
   * @return nDCG@k in [0, 1]
   * @throws ModelException when every candidate has the same true value (IDCG@k = 0) or k is out
   *     of range
   */
  public static double ndcg(double[] est, double[] truth, int k) {
    check(est, truth);
    if (k < 1 || k > est.length) {
      throw new ModelException("nDCG@k needs 1 <= k <= " + est.length + ", got k = " + k);
    }
    double min = Double.POSITIVE_INFINITY;
    for (double j : truth) {
      min = Math.min(min, j);
    }
    int[] byEst = ranking(est, Convention.FIXPOINT);
    int[] byTruth = ranking(truth, Convention.FIXPOINT);
    double dcg = 0;
    double ideal = 0;
    for (int p = 1; p <= k; p++) {
      double disc = Math.log(2) / Math.log(p + 1);
      dcg += (truth[byEst[p - 1]] - min) * disc;
      ideal += (truth[byTruth[p - 1]] - min) * disc;
    }
    if (!(ideal > 0)) {
      throw new ModelException("nDCG@" + k + " is undefined: every candidate has the true value "
          + min + " (all gains 0)");
    }
    return dcg / ideal;
  }

  /**
   * {@return the per-candidate level delta / m that makes a lower bound hold for the selected
   * candidate too (union bound over m candidates; spec section 7.3)}
   *
   * @param delta the overall 1 - level
   * @param m the number of candidates
   */
  public static double perCandidateDelta(double delta, int m) {
    if (m < 1 || !(delta > 0 && delta < 1)) {
      throw new ModelException("need delta in (0, 1) and m >= 1, got " + delta + ", " + m);
    }
    return delta / m;
  }
}
