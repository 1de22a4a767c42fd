package dev.fixpoint.tabular.ope;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
import dev.fixpoint.dsl.ope.Estimators;
import dev.fixpoint.dsl.ope.TimeIndexedQ;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Models fitted from logged data, and cross-fitting (spec estimators.md section 7.2). The
 * unbiasedness results assume the true mu and a Q-hat fixed independently of the evaluation data;
 * results that break either are labelled ("mu estimated", "Q-hat fitted on evaluation data") and
 * no unbiasedness is claimed for them. Cross-fitting keeps each fold's Q-hat independent of that
 * fold's data, so with the true mu cross-fitted DR stays unbiased.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Fitting {
  private Fitting() {}

  /**
   * An estimate with the labels that qualify it.
   *
   * @param value the estimate
   * @param labels what was estimated from the evaluation data
   */
  public record Labelled(double value, List<String> labels) {
    /** Copies the labels. */
    public Labelled {
      labels = List.copyOf(labels);
    }
  }

  /**
   * A cross-fitted estimate.
   *
   * @param value the mean over all trajectories of the per-fold estimates' terms
   * @param folds the fold of each episode (seeded, reported)
   * @param perFold the estimate on each fold
   */
  public record CrossFit(double value, int[] folds, double[] perFold) {
    /** Copies the arrays. */
    public CrossFit {
      folds = folds.clone();
      perFold = perFold.clone();
    }
  }

  /**
   * The empirical behaviour policy mu-hat(a|s) = n(s, a) / n(s) over all logged steps; uniform
   * over the available actions of a state never logged.
   *
   * @param mdp the model
   * @param data the logged data
   * @param <S> state type
   * @param <A> action type
   * @return mu-hat (double)
   */
  public static <S, A> TabularPolicy<S, A> behaviour(TabularMdp<S, A> mdp, Dataset data) {
    int[] rows = OpeDouble.rows(mdp, data);
    double[] count = new double[mdp.numRows()];
    double[] total = new double[mdp.numStates()];
    for (int k = 0; k < rows.length; k++) {
      count[rows[k]]++;
      total[data.state(k)]++;
    }
    double[] p = new double[mdp.numRows()];
    for (int s = 0; s < mdp.numStates(); s++) {
      int width = mdp.rowEnd(s) - mdp.rowStart(s);
      for (int r = mdp.rowStart(s); r < mdp.rowEnd(s); r++) {
        p[r] = total[s] == 0 ? 1.0 / width : count[r] / total[s];
      }
    }
    return TabularPolicy.of(mdp, p);
  }

  /**
   * Regression importance sampling: the estimator evaluated with mu-hat fitted on the same data in
   * place of the logged probabilities; labelled "mu estimated".
   *
   * @param e the estimator
   * @param pi the target policy
   * @param data the data (its logged probabilities are ignored)
   * @param <S> state type
   * @param <A> action type
   * @return the labelled estimate
   */
  public static <S, A> Labelled withEstimatedBehaviour(dev.fixpoint.dsl.ope.Estimator e,
      TabularPolicy<S, A> pi, Dataset data) {
    TabularPolicy<S, A> muHat = behaviour(pi.mdp(), data);
    int[] rows = OpeDouble.rows(pi.mdp(), data);
    double[] probs = new double[rows.length];
    for (int k = 0; k < rows.length; k++) {
      probs[k] = muHat.probAt(rows[k]);
    }
    return new Labelled(OpeDouble.estimate(e, pi, data.withBehaviourProbs(probs)),
        List.of("mu estimated (empirical frequencies on the evaluation data)"));
  }

  /**
   * A model-based fitted Q-hat_t: the empirical model (mean rewards r-hat(s, a) over all logged
   * steps; transition frequencies P-hat(s'|s, a) over the steps whose successor is known, an
   * episode that ends before H counting as a move to termination and the last step of an episode
   * cut at H not counting) evaluated for pi by backward induction over H steps. Pairs never logged get
   * Q-hat = 0.
   *
   * @param pi the target policy
   * @param data the data it is fitted on
   * @param <S> state type
   * @param <A> action type
   * @return Q-hat_t, t = 0..H-1 (double)
   */
  public static <S, A> TimeIndexedQ q(TabularPolicy<S, A> pi, Dataset data) {
    TabularMdp<S, A> m = pi.mdp();
    int[] rows = OpeDouble.rows(m, data);
    int n = m.numStates();
    int nr = m.numRows();
    double[] visits = new double[nr];
    double[] rewardSum = new double[nr];
    double[] trans = new double[nr * n];
    double[] moves = new double[nr]; // steps whose successor is known (or that terminated)
    for (int i = 0; i < data.numEpisodes(); i++) {
      for (int t = 0; t < data.length(i); t++) {
        int k = data.start(i) + t;
        visits[rows[k]]++;
        rewardSum[rows[k]] += data.reward(k);
        if (t + 1 < data.length(i)) {
          trans[rows[k] * n + data.state(k + 1)]++;
          moves[rows[k]]++;
        } else if (data.length(i) < data.horizon()) {
          moves[rows[k]]++; // ended before H: it moved to a terminal state
        }
      }
    }
    int h = data.horizon();
    double gamma = m.discount();
    double[][] q = new double[h][nr];
    double[] v = new double[n];
    for (int t = h - 1; t >= 0; t--) {
      for (int r = 0; r < nr; r++) {
        if (visits[r] == 0) {
          continue;
        }
        double x = rewardSum[r] / visits[r];
        for (int sp = 0; sp < n; sp++) {
          double c = trans[r * n + sp];
          if (c > 0) {
            x += gamma * c / moves[r] * v[sp];
          }
        }
        q[t][r] = x;
      }
      double[] nv = new double[n];
      for (int r = 0; r < nr; r++) {
        nv[m.rowState(r)] += pi.probAt(r) * q[t][r];
      }
      v = nv;
    }
    return TimeIndexedQ.of(q);
  }

  /**
   * Cross-fitted DR: episodes are assigned to K folds by a seeded random permutation (fold of the
   * j-th permuted episode = j mod K); for each fold Q-hat = {@link #q} fitted on the other folds,
   * DR evaluated on the fold; the result is the trajectory-weighted mean of the fold estimates.
   *
   * @param pi the target policy
   * @param data the data, at least K episodes
   * @param folds K &gt;= 2
   * @param rng the generator of the assignment
   * @param <S> state type
   * @param <A> action type
   * @return the estimate, the assignment and the per-fold estimates
   */
  public static <S, A> CrossFit crossFitDr(TabularPolicy<S, A> pi, Dataset data, int folds,
      RandomGenerator rng) {
    int n = data.numEpisodes();
    if (folds < 2 || n < folds) {
      throw new ModelException("cross-fitting needs 2 <= K <= n, got K = " + folds + ", n = " + n);
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    int[] fold = new int[n];
    for (int j = 0; j < n; j++) {
      fold[perm[j]] = j % folds;
    }
    double[] per = new double[folds];
    double total = 0;
    for (int f = 0; f < folds; f++) {
      List<Integer> in = new ArrayList<>();
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (fold[i] == f ? in : out).add(i);
      }
      Dataset train = data.select(out.stream().mapToInt(Integer::intValue).toArray());
      Dataset test = data.select(in.stream().mapToInt(Integer::intValue).toArray());
      per[f] = OpeDouble.estimate(Estimators.dr(q(pi, train)), pi, test);
      total += per[f] * in.size();
    }
    return new CrossFit(total / n, fold, per);
  }
}
