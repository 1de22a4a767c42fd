package dev.fixpoint.tabular.random;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Small sampling kernels shared by the Garnet generators; not thread-safe (scratch arrays). */
final class Sampling {
  /** Above this many successors, duplicates are detected with a stamp array instead of a scan. */
  private static final int SCAN_LIMIT = 32;

  private final int[] stamp;
  private int epoch;

  /**
   * @param universe the largest universe drawn from (sizes the stamp array when needed)
   * @param maxDraws the largest number of distinct values drawn at once
   */
  Sampling(int universe, int maxDraws) {
    this.stamp = maxDraws > SCAN_LIMIT ? new int[universe] : new int[0];
  }

  /**
   * Writes k distinct values of {0, ..., n-1} into out[off .. off+k), uniformly among all k-subsets,
   * in increasing order. Robert Floyd's algorithm (Bentley &amp; Floyd, "Programming pearls: a
   * sample of brilliance", CACM 30(9), 1987): for j = n-k .. n-1 draw t in [0, j]; take t unless it
   * was taken already, then take j. Exactly k draws of {@code rng.nextInt(j + 1)}.
   */
  void distinct(RandomGenerator rng, int n, int k, int[] out, int off) {
    boolean stamped = k > SCAN_LIMIT;
    if (stamped && ++epoch == 0) { // wrapped around: clear the stamps once
      Arrays.fill(stamp, 0);
      epoch = 1;
    }
    int filled = 0;
    for (int j = n - k; j < n; j++) {
      int t = rng.nextInt(j + 1);
      boolean taken;
      if (stamped) {
        taken = stamp[t] == epoch;
      } else {
        taken = false;
        for (int i = off; i < off + filled; i++) {
          if (out[i] == t) {
            taken = true;
            break;
          }
        }
      }
      int pick = taken ? j : t;
      out[off + filled++] = pick;
      if (stamped) {
        stamp[pick] = epoch;
      }
    }
    sort(out, off, k);
  }

  /** Sorts a[off .. off+k) ascending: insertion sort for the usual handful, else the JDK sort. */
  static void sort(int[] a, int off, int k) {
    if (k > SCAN_LIMIT) {
      Arrays.sort(a, off, off + k);
      return;
    }
    for (int i = off + 1; i < off + k; i++) {
      int x = a[i];
      int j = i - 1;
      while (j >= off && a[j] > x) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }

  /** Sorts a[off .. off+k) ascending. */
  static void sort(double[] a, int off, int k) {
    if (k > SCAN_LIMIT) {
      Arrays.sort(a, off, off + k);
      return;
    }
    for (int i = off + 1; i < off + k; i++) {
      double x = a[i];
      int j = i - 1;
      while (j >= off && a[j] > x) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }
}
