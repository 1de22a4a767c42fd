package dev.fixpoint.theory.realizability;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * An offline dataset of transitions (s, a, r, s') with (s, a) ~ mu and s' ~ p(.|s, a), stored as
 * the model's row and entry indices: the next state is {@code m.next(entry)} and the reward
 * {@code m.entryReward(entry)} (r(s, a) unless the model carries per-transition rewards). Drawn
 * from an explicit seeded generator: the same generator state gives the same dataset.
 *
 * @param mdp the model
 * @param rows the row (s, a) of each transition
 * @param entries the entry (s, a, s') of each transition
 */
@API(status = API.Status.EXPERIMENTAL)
public record TransitionData(TabularMdp<?, ?> mdp, int[] rows, int[] entries) {
  /** Checks and copies the arrays. */
  public TransitionData {
    Objects.requireNonNull(mdp, "mdp");
    if (rows.length != entries.length) {
      throw new IllegalArgumentException(rows.length + " rows but " + entries.length
          + " entries");
    }
    rows = rows.clone();
    entries = entries.clone();
    for (int i = 0; i < rows.length; i++) {
      if (entries[i] < mdp.entryStart(rows[i]) || entries[i] >= mdp.entryEnd(rows[i])) {
        throw new IllegalArgumentException("transition " + i + ": entry " + entries[i]
            + " is not in row " + rows[i]);
      }
    }
  }

  /**
   * Draws n transitions: the row by inversion of mu's cumulative sums, the next state by
   * inversion within the row.
   *
   * @param m the model
   * @param mu the data distribution
   * @param n the number of transitions
   * @param rng the seeded source
   * @return the dataset
   */
  public static TransitionData draw(TabularMdp<?, ?> m, DataWeights mu, int n, RandomGenerator rng) {
    double[] w = mu.toArray();
    if (w.length != m.numRows()) {
      throw new ModelException("mu has " + w.length + " weights, the model has " + m.numRows()
          + " rows");
    }
    if (n < 0) {
      throw new IllegalArgumentException("n = " + n + " must be >= 0");
    }
    double[] cum = new double[w.length];
    double acc = 0;
    for (int i = 0; i < w.length; i++) {
      acc += w[i];
      cum[i] = acc;
    }
    int[] rows = new int[n];
    int[] entries = new int[n];
    for (int i = 0; i < n; i++) {
      double x = rng.nextDouble() * acc;
      int lo = 0;
      int hi = w.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cum[mid] > x) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      while (w[lo] == 0 && lo > 0) {
        lo--; // never pick a zero-weight row through rounding
      }
      rows[i] = lo;
      double y = rng.nextDouble();
      int k = m.entryStart(lo);
      double c = m.prob(k);
      while (c <= y && k + 1 < m.entryEnd(lo)) {
        k++;
        c += m.prob(k);
      }
      entries[i] = k;
    }
    return new TransitionData(m, rows, entries);
  }

  /** {@return the number of transitions} */
  public int size() {
    return rows.length;
  }

  /** {@return a copy of the rows} */
  @Override
  public int[] rows() {
    return rows.clone();
  }

  /** {@return a copy of the entries} */
  @Override
  public int[] entries() {
    return entries.clone();
  }
}
