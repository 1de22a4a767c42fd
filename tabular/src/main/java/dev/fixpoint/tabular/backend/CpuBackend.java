package dev.fixpoint.tabular.backend;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import java.util.stream.IntStream;
import org.apiguardian.api.API;

/**
 * The reference backend: loops over the CSR arrays of the model, no copies, no boxing. Models with
 * at least {@value #PARALLEL_STATES} states are split into blocks of states run on the common
 * fork-join pool; every state's result is computed by the same sequential loop whatever the
 * split, and the residual is a maximum, so results are bit-identical to the sequential run.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class CpuBackend implements Backend {
  static final CpuBackend INSTANCE = new CpuBackend();

  /** States from which Jacobi backups run in parallel blocks. */
  public static final int PARALLEL_STATES = 65_536;

  private static final int BLOCK = 16_384;

  /** Public for {@link java.util.ServiceLoader}; prefer {@link Backends#cpu()}. */
  public CpuBackend() {}

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public LoadedModel load(TabularMdp<?, ?> mdp) {
    return new Loaded(mdp.csr());
  }

  private static final class Loaded implements LoadedModel {
    private final Csr m;

    Loaded(Csr m) {
      this.m = m;
    }

    @Override
    public int numStates() {
      return m.numStates();
    }

    @Override
    public int numRows() {
      return m.numRows();
    }

    private void checkV(double[] v, double[] out) {
      if (v.length != m.numStates() || out.length != m.numStates()) {
        throw new IllegalArgumentException("value vectors need length " + m.numStates()
            + " (got " + v.length + " and " + out.length + ")");
      }
      if (v == out) {
        throw new IllegalArgumentException("input and output vectors must not alias");
      }
    }

    private boolean parallel() {
      return m.numStates() >= PARALLEL_STATES;
    }

    @Override
    public double optimalityBackup(double[] v, double[] vOut, int[] greedyRowOut) {
      checkV(v, vOut);
      int n = m.numStates();
      if (!parallel()) {
        return optimalityRange(v, vOut, greedyRowOut, 0, n);
      }
      int blocks = (n + BLOCK - 1) / BLOCK;
      return IntStream.range(0, blocks).parallel()
          .mapToDouble(b -> optimalityRange(v, vOut, greedyRowOut, b * BLOCK,
              Math.min(n, (b + 1) * BLOCK)))
          .max().orElse(0.0);
    }

    private double optimalityRange(double[] v, double[] vOut, int[] greedy, int from, int to) {
      final int[] rowStart = m.rowStart();
      final int[] entryStart = m.entryStart();
      final int[] next = m.next();
      final double[] prob = m.prob();
      final double[] reward = m.reward();
      final double gamma = m.discount();
      final boolean keep = greedy.length > 0;
      double res = 0;
      for (int s = from; s < to; s++) {
        int r0 = rowStart[s];
        int r1 = rowStart[s + 1];
        double best = 0;
        int arg = -1;
        for (int r = r0; r < r1; r++) {
          double acc = 0;
          for (int k = entryStart[r], e = entryStart[r + 1]; k < e; k++) {
            acc += prob[k] * v[next[k]];
          }
          double q = reward[r] + gamma * acc;
          if (arg < 0 || q > best) {
            best = q;
            arg = r;
          }
        }
        vOut[s] = best;
        if (keep) {
          greedy[s] = arg;
        }
        double d = Math.abs(best - v[s]);
        if (d > res) {
          res = d;
        }
      }
      return res;
    }

    @Override
    public double gaussSeidelOptimality(double[] v, int[] greedy) {
      if (v.length != m.numStates()) {
        throw new IllegalArgumentException("value vector needs length " + m.numStates());
      }
      final int[] rowStart = m.rowStart();
      final int[] entryStart = m.entryStart();
      final int[] next = m.next();
      final double[] prob = m.prob();
      final double[] reward = m.reward();
      final double gamma = m.discount();
      final boolean keep = greedy.length > 0;
      double res = 0;
      for (int s = 0, n = m.numStates(); s < n; s++) {
        double best = 0;
        int arg = -1;
        for (int r = rowStart[s], r1 = rowStart[s + 1]; r < r1; r++) {
          double acc = 0;
          for (int k = entryStart[r], e = entryStart[r + 1]; k < e; k++) {
            acc += prob[k] * v[next[k]];
          }
          double q = reward[r] + gamma * acc;
          if (arg < 0 || q > best) {
            best = q;
            arg = r;
          }
        }
        double d = Math.abs(best - v[s]);
        if (d > res) {
          res = d;
        }
        v[s] = best;
        if (keep) {
          greedy[s] = arg;
        }
      }
      return res;
    }

    @Override
    public double policyBackup(double[] policy, double[] v, double[] vOut) {
      checkV(v, vOut);
      if (policy.length != m.numRows()) {
        throw new IllegalArgumentException("policy needs one probability per row ("
            + m.numRows() + ")");
      }
      int n = m.numStates();
      if (!parallel()) {
        return policyRange(policy, v, vOut, 0, n);
      }
      int blocks = (n + BLOCK - 1) / BLOCK;
      return IntStream.range(0, blocks).parallel()
          .mapToDouble(b -> policyRange(policy, v, vOut, b * BLOCK, Math.min(n, (b + 1) * BLOCK)))
          .max().orElse(0.0);
    }

    private double policyRange(double[] pi, double[] v, double[] vOut, int from, int to) {
      final int[] rowStart = m.rowStart();
      final int[] entryStart = m.entryStart();
      final int[] next = m.next();
      final double[] prob = m.prob();
      final double[] reward = m.reward();
      final double gamma = m.discount();
      double res = 0;
      for (int s = from; s < to; s++) {
        double val = 0;
        for (int r = rowStart[s], r1 = rowStart[s + 1]; r < r1; r++) {
          double w = pi[r];
          if (w == 0) {
            continue;
          }
          double acc = 0;
          for (int k = entryStart[r], e = entryStart[r + 1]; k < e; k++) {
            acc += prob[k] * v[next[k]];
          }
          val += w * (reward[r] + gamma * acc);
        }
        vOut[s] = val;
        double d = Math.abs(val - v[s]);
        if (d > res) {
          res = d;
        }
      }
      return res;
    }

    @Override
    public void qValues(double[] v, double[] qOut) {
      if (v.length != m.numStates() || qOut.length != m.numRows()) {
        throw new IllegalArgumentException("qValues needs v of length " + m.numStates()
            + " and qOut of length " + m.numRows());
      }
      final int[] entryStart = m.entryStart();
      final int[] next = m.next();
      final double[] prob = m.prob();
      final double[] reward = m.reward();
      final double gamma = m.discount();
      for (int r = 0, rows = m.numRows(); r < rows; r++) {
        double acc = 0;
        for (int k = entryStart[r], e = entryStart[r + 1]; k < e; k++) {
          acc += prob[k] * v[next[k]];
        }
        qOut[r] = reward[r] + gamma * acc;
      }
    }

    @Override
    public void close() {}
  }
}
