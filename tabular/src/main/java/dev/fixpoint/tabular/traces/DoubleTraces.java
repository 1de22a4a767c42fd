package dev.fixpoint.tabular.traces;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.dsl.TraceRule.Custom;
import dev.fixpoint.dsl.TraceRule.ImportanceSampling;
import dev.fixpoint.dsl.TraceRule.QLambda;
import dev.fixpoint.dsl.TraceRule.Rbis;
import dev.fixpoint.dsl.TraceRule.RecursiveRetrace;
import dev.fixpoint.dsl.TraceRule.Retrace;
import dev.fixpoint.dsl.TraceRule.TreeBackup;
import dev.fixpoint.dsl.TraceRule.TruncatedIs;
import dev.fixpoint.dsl.internal.Csr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;

/** The double computations behind {@link TraceOperators}; mirrors {@link ExactTraces}. */
final class DoubleTraces {
  private DoubleTraces() {}

  @SuppressWarnings("unchecked")
  static double[] tabulate(Policy<?, ?> policy, TabularMdp<?, ?> mdp) {
    return ((Policy<Object, Object>) policy).tabulate((TabularMdp<Object, Object>) mdp)
        .toArray();
  }

  static double[][] policyKernel(Csr m, double[] pi) {
    int n = m.numRows();
    double[][] p = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int k = m.entryStart()[r]; k < m.entryStart()[r + 1]; k++) {
        int s2 = m.next()[k];
        for (int r2 = m.rowStart()[s2]; r2 < m.rowStart()[s2 + 1]; r2++) {
          p[r][r2] += m.prob()[k] * pi[r2];
        }
      }
    }
    return p;
  }

  static double coefficient(TraceRule rule, double rho, double pi) {
    return switch (rule) {
      case ImportanceSampling(var l) -> Rationals.toDouble(l) * rho;
      case QLambda(var l) -> Rationals.toDouble(l);
      case TreeBackup(var l) -> Rationals.toDouble(l) * pi;
      case Retrace(var l) -> Rationals.toDouble(l) * Math.min(1, rho);
      case TruncatedIs t -> throw new IllegalArgumentException(rule + " is not per-decision");
      case RecursiveRetrace t -> throw new IllegalArgumentException(rule + " is not per-decision");
      case Rbis t -> throw new IllegalArgumentException(rule + " is not per-decision");
      case Custom t -> throw new IllegalArgumentException(rule + " is not per-decision");
    };
  }

  /** One step in double: {beta_t, sigma_t}. A custom rule runs exactly on the exact doubles. */
  static double[] step(TraceRule rule, double stat, int t, double rho, double pi) {
    return switch (rule) {
      case TruncatedIs(var l) -> {
        double prod = stat * rho;
        yield new double[] {Math.pow(Rationals.toDouble(l), t) * Math.min(1, prod), prod};
      }
      case RecursiveRetrace(var l) -> {
        double b = Rationals.toDouble(l) * Math.min(1, rho * stat);
        yield new double[] {b, b};
      }
      case Rbis(var l) -> {
        double b = Math.min(Math.pow(Rationals.toDouble(l), t), rho * stat);
        yield new double[] {b, b};
      }
      case ImportanceSampling i -> product(coefficient(rule, rho, pi), stat);
      case QLambda q -> product(coefficient(rule, rho, pi), stat);
      case TreeBackup q -> product(coefficient(rule, rho, pi), stat);
      case Retrace q -> product(coefficient(rule, rho, pi), stat);
      case Custom c -> {
        TraceRule.Update u = c.step(Rationals.fromDouble(stat), t, Rationals.fromDouble(rho),
            Rationals.fromDouble(pi));
        yield new double[] {Rationals.toDouble(u.beta()), Rationals.toDouble(u.statistic())};
      }
    };
  }

  private static double[] product(double c, double stat) {
    return new double[] {c * stat, c * stat};
  }

  static DoubleTraceOperator perDecision(TabularMdp<?, ?> mdp, double[] pi, double[] mu,
      TraceRule rule, String name) {
    Csr m = mdp.csr();
    int n = m.numRows();
    double g = m.discount();
    double[] weight = new double[n];
    boolean[] reached = new boolean[n];
    for (int r = 0; r < n; r++) {
      for (int k = m.entryStart()[r]; k < m.entryStart()[r + 1]; k++) {
        if (m.prob()[k] > 0) {
          int s2 = m.next()[k];
          for (int r2 = m.rowStart()[s2]; r2 < m.rowStart()[s2 + 1]; r2++) {
            reached[r2] = true;
          }
        }
      }
    }
    String violation = "";
    for (int r = 0; r < n; r++) {
      if (mu[r] == 0) {
        continue;
      }
      double rho = pi[r] / mu[r];
      weight[r] = mu[r] * coefficient(rule, rho, pi[r]);
      // a relative slack of a few ulps: mu (pi / mu) may round above pi
      if (violation.isEmpty() && reached[r] && weight[r] > pi[r] * (1 + 1e-12)) {
        violation = "at t = 1 into " + ExactTraces.rowName(mdp, r) + ": mu c = " + weight[r]
            + " > pi = " + pi[r] + ", so B_1 > B_0 P_pi there";
      }
    }
    double[][] pPi = policyKernel(m, pi);
    double[][] a = new double[n][n];
    double[][] zt = new double[n][];
    for (int r = 0; r < n; r++) {
      a[r][r] = 1;
      for (int k = m.entryStart()[r]; k < m.entryStart()[r + 1]; k++) {
        int s2 = m.next()[k];
        for (int r2 = m.rowStart()[s2]; r2 < m.rowStart()[s2 + 1]; r2++) {
          a[r][r2] -= g * m.prob()[k] * weight[r2];
        }
      }
    }
    // one LU of I - gamma P_cmu, right-hand sides [gamma (P_pi - P_cmu) | r]
    double[][] rhs = new double[n][n + 1];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        rhs[r][c] = g * pPi[r][c] - (r == c ? 1 : 0) + a[r][c];
      }
      rhs[r][n] = m.reward()[r];
    }
    double[][] x = solve(a, rhs, name);
    double[][] z = new double[n][];
    double[] b = new double[n];
    for (int r = 0; r < n; r++) {
      z[r] = java.util.Arrays.copyOf(x[r], n);
      b[r] = x[r][n];
    }
    check(z, b, name);
    boolean holds = violation.isEmpty();
    return new DoubleTraceOperator(b, z, 0, new ContractionCertificate(name, norm(z), 0, g, holds,
        holds ? "checked as mu c <= pi on every reachable pair, i.e. P_cmu <= P_pi" : violation));
  }

  /** Most (row, statistic) entries one layer of one start row may hold. */
  static final int MAX_FRONT = 200_000;

  static DoubleTraceOperator layered(TabularMdp<?, ?> mdp, double[] pi, double[] mu,
      TraceRule rule, String name, int horizon) {
    boolean truncated = false;
    Csr m = mdp.csr();
    int n = m.numRows();
    List<double[][]> layers = new ArrayList<>();
    double[][] b0 = new double[n][n];
    for (int r = 0; r < n; r++) {
      b0[r][r] = 1;
    }
    layers.add(b0);
    double init = Rationals.toDouble(rule.initial());
    for (int r0 = 0; r0 < n; r0++) {
      // keys: (row, bits of the statistic rounded to 40 mantissa bits), see mergeBits
      Map<Key, double[]> front = new HashMap<>();
      front.put(new Key(r0, mergeBits(init)), new double[] {1});
      for (int t = 1; !front.isEmpty(); t++) {
        if (horizon > 0 && t > horizon) {
          truncated = true;
          break;
        }
        if (front.size() > MAX_FRONT) {
          throw new ModelException(name + ": " + front.size() + " distinct "
              + "(pair, statistic) entries at step " + t + " from " + ExactTraces.rowName(mdp, r0)
              + " (more than " + MAX_FRONT + "); use a shorter horizon");
        }
        if (horizon <= 0 && t > m.numStates()) {
          throw new ModelException(name + ": the layered computation needs "
              + "a terminating acyclic model, but from " + ExactTraces.rowName(mdp, r0)
              + " histories are still running after " + m.numStates() + " steps");
        }
        if (layers.size() <= t) {
          layers.add(new double[n][n]);
        }
        double[] bt = layers.get(t)[r0];
        Map<Key, double[]> next = new HashMap<>();
        for (Map.Entry<Key, double[]> e : front.entrySet()) {
          int r = e.getKey().row();
          double stat = Double.longBitsToDouble(e.getKey().bits());
          for (int k = m.entryStart()[r]; k < m.entryStart()[r + 1]; k++) {
            int s2 = m.next()[k];
            for (int r2 = m.rowStart()[s2]; r2 < m.rowStart()[s2 + 1]; r2++) {
              if (mu[r2] == 0 || m.prob()[k] == 0) {
                continue;
              }
              double mass = e.getValue()[0] * m.prob()[k] * mu[r2];
              double[] u = step(rule, stat, t, pi[r2] / mu[r2], pi[r2]);
              bt[r2] += mass * u[0];
              next.computeIfAbsent(new Key(r2, mergeBits(u[1])),
                  key -> new double[1])[0] += mass;
            }
          }
        }
        front = next;
      }
    }
    double tail = truncated ? Tails.coefficient(rule, m.discount(), horizon, name) : 0;
    return fromLayers(policyKernel(m, pi), m.reward().clone(), m.discount(), layers, false, name,
        tail);
  }

  /** The double twin of {@link ExactTraces#fromLayers}. */
  static DoubleTraceOperator fromLayers(double[][] pPi, double[] reward, double g,
      List<double[][]> layers, boolean repeatLast, String name, double tail) {
    int n = reward.length;
    double[][] s = new double[n][n];
    double gt = 1;
    String violation = "";
    for (int t = 0; t < layers.size(); t++) {
      double[][] bt = layers.get(t);
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          s[r][c] += gt * bt[r][c];
        }
      }
      if (t > 0 && violation.isEmpty()) {
        violation = compare(bt, multiply(layers.get(t - 1), pPi), t);
      }
      gt *= g;
    }
    double[][] last = layers.get(layers.size() - 1);
    if (repeatLast) {
      if (!(g < 1)) {
        throw new ModelException(name + ": a repeating last layer needs "
            + "gamma < 1, got " + g);
      }
      double f = gt / (1 - g);
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          s[r][c] += f * last[r][c];
        }
      }
      if (violation.isEmpty()) {
        violation = compare(last, multiply(last, pPi), layers.size());
      }
    }
    double[][] sp = multiply(s, pPi);
    double[][] z = new double[n][n];
    double[] b = new double[n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        z[r][c] = (r == c ? 1 : 0) - s[r][c] + g * sp[r][c];
        b[r] += s[r][c] * reward[c];
      }
    }
    check(z, b, name);
    boolean holds = violation.isEmpty();
    return new DoubleTraceOperator(b, z, tail, new ContractionCertificate(name, norm(z),
        tail * (1 + g), g, holds, (holds ? "checked layer by layer, t = 1 .. " + (layers.size()
            - (repeatLast ? 0 : 1)) : violation) + (tail > 0 ? "; later layers were truncated"
            : "")));
  }

  /** A relative slack of 1e-12 absorbs rounding; a real violation is far larger. */
  private static String compare(double[][] bt, double[][] bound, int t) {
    for (int r = 0; r < bt.length; r++) {
      for (int c = 0; c < bt.length; c++) {
        if (bt[r][c] > bound[r][c] + 1e-12 * Math.max(1, bound[r][c])) {
          return "at t = " + t + ", row " + r + ", column " + c + ": B_t = " + bt[r][c]
              + " > (B_{t-1} P_pi) = " + bound[r][c];
        }
      }
    }
    return "";
  }

  private record Key(int row, long bits) {}

  /**
   * The statistic rounded to 40 of its 52 mantissa bits (relative change at most 2^-41, about
   * 5e-13), as the key under which histories merge. Keying on exact bits, as the spec suggests,
   * lets products of the same ratios taken in different orders round apart, and the number of
   * entries then grows exponentially (truncated IS on counterexample 5.7 holds 200 000 entries at
   * step 529); rounding merges them, so each step perturbs the carried statistic by at most 2^-41
   * relative. Boundary cases still split: on that example the entries grow about quadratically
   * in t (some 25 000 at t = 250, 99 000 at t = 500) instead of linearly. The exact tier merges
   * exactly equal statistics only.
   */
  static long mergeBits(double x) {
    return (Double.doubleToLongBits(x) + 0x800L) & ~0xFFFL;
  }

  /**
   * Solves A X = B by one LU decomposition with partial pivoting (EJML), with the singularity test
   * of {@code LinearSystems.solve}: a pivot at most n 2^-52 max |pivot| is rounding noise.
   */
  private static double[][] solve(double[][] a, double[][] rhs, String name) {
    int n = a.length;
    int k = n == 0 ? 0 : rhs[0].length;
    if (n == 0) {
      return new double[0][];
    }
    DMatrixRMaj am = new DMatrixRMaj(a);
    LinearSolverLu_DDRM solver = new LinearSolverLu_DDRM(new LUDecompositionAlt_DDRM());
    solver.setA(am);
    DMatrixRMaj lu = solver.getDecomposition().getLU();
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.abs(lu.unsafe_get(i, i)));
    }
    double floor = n * 0x1p-52 * max;
    for (int i = 0; i < n; i++) {
      if (max == 0 || Math.abs(lu.unsafe_get(i, i)) <= floor) {
        throw new ModelException(name + ": I - gamma P_cmu is singular to "
            + "working precision (LU pivot " + i + "; gamma = 1 without termination?)");
      }
    }
    DMatrixRMaj xm = new DMatrixRMaj(n, k);
    solver.solve(new DMatrixRMaj(rhs), xm);
    double[][] x = new double[n][k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        x[i][j] = xm.unsafe_get(i, j);
      }
    }
    return x;
  }

  private static void check(double[][] z, double[] b, String name) {
    for (int r = 0; r < b.length; r++) {
      if (!Double.isFinite(b[r]) || !Double.isFinite(norm(new double[][] {z[r]}))) {
        throw new ModelException(name + ": row " + r + " is not finite "
            + "(I - gamma P_cmu singular, gamma = 1 without termination?)");
      }
    }
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    double[][] out = new double[n][b[0].length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b.length; k++) {
        double v = a[i][k];
        if (v == 0) {
          continue;
        }
        for (int j = 0; j < out[i].length; j++) {
          out[i][j] += v * b[k][j];
        }
      }
    }
    return out;
  }

  static double norm(double[][] z) {
    double best = 0;
    for (double[] row : z) {
      double acc = 0;
      for (double v : row) {
        acc += Math.abs(v);
      }
      best = Math.max(best, acc);
    }
    return best;
  }
}
