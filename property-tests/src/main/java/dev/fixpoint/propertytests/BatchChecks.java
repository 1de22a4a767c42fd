package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apiguardian.api.API;

/**
 * Batched model checks: K random models of one shape, drawn from a {@link Generator} (e.g.
 * {@link Generators#garnets(dev.fixpoint.tabular.random.Garnet)}), solved at once by value
 * iteration on one backend ({@link Backend#loadBatch}, K value vectors resident, one Jacobi
 * sweep of all K per launch), then each model solved alone on the CPU backend with the same
 * number of sweeps and compared: the values must agree to within {@code tolerance} (0 demands bit
 * equality, which float64 backends give) and the greedy policies must be equal.
 *
 * <p>Value iteration: v_0 = 0, v_{n+1} = T v_n (Bellman 1957; Puterman 1994, sec. 6.3); the batch
 * stops when every model's sup-norm change is at most {@code epsilon (1 - gamma) / gamma}, that
 * is when Puterman's Thm 6.3.1 bounds each ||v - v*|| by epsilon, or after {@code maxSweeps}.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class BatchChecks {
  private BatchChecks() {}

  /**
   * What a batched check found.
   *
   * @param backend the backend's name
   * @param models K
   * @param states states per model
   * @param sweeps Jacobi sweeps run
   * @param maxDifference largest |v_batch(s) - v_cpu(s)| over all models and states
   * @param policyMismatches models whose greedy policy differs from the CPU's
   * @param batchSeconds wall time of the batched solve (load, sweeps, read back)
   * @param cpuSeconds wall time of the K solves one by one on the CPU backend
   */
  public record Report(String backend, int models, int states, int sweeps, double maxDifference,
      int policyMismatches, double batchSeconds, double cpuSeconds) {
    /** {@return whether values agree within the tolerance and every policy matches} @param tol the tolerance */
    public boolean agrees(double tol) {
      return maxDifference <= tol && policyMismatches == 0;
    }
  }

  /**
   * Draws K models and runs the check.
   *
   * @param backend where the batch runs
   * @param models the generator; every draw must have the same shape
   * @param k K &gt;= 1
   * @param seed seed of the {@link SplittableRandom} the models are drawn with
   * @param epsilon target ||v - v*||_inf per model, &gt; 0
   * @param maxSweeps the most sweeps, &gt;= 1
   * @return the report
   * @throws ModelException when the drawn models differ in shape, or a discount is 1
   */
  public static Report run(Backend backend, Generator<? extends TabularMdp<?, ?>> models, int k,
      long seed, double epsilon, int maxSweeps) {
    if (k < 1 || !(epsilon > 0) || maxSweeps < 1) {
      throw new IllegalArgumentException("need k >= 1, epsilon > 0, maxSweeps >= 1 (got " + k
          + ", " + epsilon + ", " + maxSweeps + ")");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<TabularMdp<?, ?>> mdps = new ArrayList<>(k);
    double[] stop = new double[k];
    for (int i = 0; i < k; i++) {
      TabularMdp<?, ?> m = models.next(rng);
      double g = m.discount();
      if (!(g < 1)) {
        throw new ModelException("batch model " + i + " (\"" + m.name() + "\") has discount "
            + g + "; the batched check needs gamma < 1");
      }
      stop[i] = g == 0 ? Double.POSITIVE_INFINITY : epsilon * (1 - g) / g;
      mdps.add(m);
    }
    int n = mdps.get(0).numStates();
    double[] values = new double[Math.multiplyExact(k, n)];
    int[] rows = new int[values.length];
    int sweeps = 0;
    long t0 = System.nanoTime();
    try (Backend.LoadedModel lm = backend.loadBatch(mdps);
        Backend.Vectors a = lm.vectors(k, n);
        Backend.Vectors b = lm.vectors(k, n);
        Backend.Indices greedy = lm.indices(k)) {
      Backend.Vectors cur = a;
      Backend.Vectors nxt = b;
      while (sweeps < maxSweeps) {
        double[] res = lm.optimality(cur, nxt, null);
        sweeps++;
        Backend.Vectors t = cur;
        cur = nxt;
        nxt = t;
        boolean done = true;
        for (int i = 0; i < k && done; i++) {
          done = res[i] <= stop[i];
        }
        if (done) {
          break;
        }
      }
      cur.read(values);
      lm.greedy(cur, greedy);
      greedy.read(rows);
    }
    long t1 = System.nanoTime();
    double maxDiff = 0;
    int mismatches = 0;
    double[] v = new double[n];
    double[] w = new double[n];
    int[] g = new int[n];
    for (int i = 0; i < k; i++) {
      try (Backend.LoadedModel one = Backends.cpu().load(mdps.get(i))) {
        java.util.Arrays.fill(v, 0);
        for (int j = 0; j < sweeps; j++) {
          one.optimalityBackup(v, w, new int[0]);
          double[] t = v;
          v = w;
          w = t;
        }
        one.optimalityBackup(v, w, g);
      }
      boolean same = true;
      for (int s = 0; s < n; s++) {
        maxDiff = Math.max(maxDiff, Math.abs(values[i * n + s] - v[s]));
        same &= rows[i * n + s] == g[s];
      }
      if (!same) {
        mismatches++;
      }
    }
    long t2 = System.nanoTime();
    return new Report(backend.name(), k, n, sweeps, maxDiff, mismatches, (t1 - t0) / 1e9,
        (t2 - t1) / 1e9);
  }
}
