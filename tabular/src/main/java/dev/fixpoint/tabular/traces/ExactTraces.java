package dev.fixpoint.tabular.traces;

import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.TraceRule;
import dev.fixpoint.dsl.TraceRule.Custom;
import dev.fixpoint.dsl.TraceRule.ImportanceSampling;
import dev.fixpoint.dsl.TraceRule.QLambda;
import dev.fixpoint.dsl.TraceRule.Rbis;
import dev.fixpoint.dsl.TraceRule.RecursiveRetrace;
import dev.fixpoint.dsl.TraceRule.Retrace;
import dev.fixpoint.dsl.TraceRule.TreeBackup;
import dev.fixpoint.dsl.TraceRule.TruncatedIs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.fraction.BigFraction;

/** The exact (BigFraction) computations behind {@link TraceOperators}. */
final class ExactTraces {
  private ExactTraces() {}

  @SuppressWarnings("unchecked")
  static BigFraction[] tabulate(Policy<?, ?> policy, TabularMdp<?, ?> mdp, String role) {
    TabularPolicy<Object, Object> tab = ((Policy<Object, Object>) policy)
        .tabulate((TabularMdp<Object, Object>) mdp);
    if (!tab.isExact()) {
      throw new InexactModelException(role + " policy " + policy + " has inexact (double) "
          + "probabilities; the exact trace operator needs exact ones");
    }
    return tab.toExactArray();
  }

  /** P_pi[(s,a),(s',a')] = P(s'|s,a) pi(a'|s'); substochastic where the model terminates. */
  static BigFraction[][] policyKernel(TabularMdp<?, ?> m, TabularMdp.Exact ex, BigFraction[] pi) {
    int n = m.numRows();
    BigFraction[][] p = zeros(n, n);
    for (int r = 0; r < n; r++) {
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        int s2 = m.next(k);
        for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
          p[r][r2] = p[r][r2].add(ex.prob()[k].multiply(pi[r2]));
        }
      }
    }
    return p;
  }

  /** The per-decision coefficient c(rho, pi) of spec section 3. */
  static BigFraction coefficient(TraceRule rule, BigFraction rho, BigFraction pi) {
    return switch (rule) {
      case ImportanceSampling(var l) -> l.multiply(rho);
      case QLambda(var l) -> l;
      case TreeBackup(var l) -> l.multiply(pi);
      case Retrace(var l) -> l.multiply(rho.compareTo(BigFraction.ONE) < 0 ? rho : BigFraction.ONE);
      case TruncatedIs t -> throw notPerDecision(rule);
      case RecursiveRetrace t -> throw notPerDecision(rule);
      case Rbis t -> throw notPerDecision(rule);
      case Custom t -> throw notPerDecision(rule);
    };
  }

  private static IllegalArgumentException notPerDecision(TraceRule rule) {
    return new IllegalArgumentException("rule " + rule + " is not per-decision");
  }

  /**
   * The closed form for a per-decision rule: S = (I - gamma P_cmu)^-1, so (I - gamma P_cmu) Z =
   * gamma (P_pi - P_cmu) and (I - gamma P_cmu) b = r.
   */
  static ExactTraceOperator perDecision(TabularMdp<?, ?> m, BigFraction[] pi, BigFraction[] mu,
      TraceRule rule, String name) {
    TabularMdp.Exact ex = m.exact();
    int n = m.numRows();
    BigFraction g = ex.discount();
    BigFraction[] weight = new BigFraction[n]; // mu(r) c(r), 0 where mu = 0
    String violation = "";
    boolean[] reached = reachedRows(m, ex);
    for (int r = 0; r < n; r++) {
      if (Rationals.signum(mu[r]) == 0) {
        weight[r] = BigFraction.ZERO;
        continue;
      }
      BigFraction rho = pi[r].divide(mu[r]);
      weight[r] = mu[r].multiply(coefficient(rule, rho, pi[r]));
      if (violation.isEmpty() && reached[r] && weight[r].compareTo(pi[r]) > 0) {
        violation = "at t = 1 into " + rowName(m, r) + ": mu c = " + Rationals.format(weight[r])
            + " > pi = " + Rationals.format(pi[r]) + ", so B_1 > B_0 P_pi there (c = "
            + Rationals.format(coefficient(rule, rho, pi[r])) + " > rho = "
            + Rationals.format(rho) + ")";
      }
    }
    BigFraction[][] pPi = policyKernel(m, ex, pi);
    BigFraction[][] a = zeros(n, n);
    BigFraction[][] rhs = zeros(n, n + 1);
    for (int r = 0; r < n; r++) {
      a[r][r] = BigFraction.ONE;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        int s2 = m.next(k);
        for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
          BigFraction pc = ex.prob()[k].multiply(weight[r2]);
          a[r][r2] = a[r][r2].subtract(g.multiply(pc));
          rhs[r][r2] = rhs[r][r2].subtract(g.multiply(pc));
        }
      }
      for (int c = 0; c < n; c++) {
        rhs[r][c] = rhs[r][c].add(g.multiply(pPi[r][c]));
      }
      rhs[r][n] = ex.reward()[r];
    }
    BigFraction[][] x = solve(a, rhs, name);
    BigFraction[][] z = new BigFraction[n][];
    BigFraction[] b = new BigFraction[n];
    for (int r = 0; r < n; r++) {
      z[r] = Arrays.copyOf(x[r], n);
      b[r] = x[r][n];
    }
    boolean holds = violation.isEmpty();
    String report = holds ? "checked as mu c <= pi on every reachable pair, i.e. P_cmu <= P_pi"
        : violation;
    return new ExactTraceOperator(b, z, 0, new ContractionCertificate(name,
        Rationals.toDouble(norm(z)), 0, Rationals.toDouble(g), holds, report));
  }

  /**
   * The layered computation of spec section 2.2 on a terminating acyclic model: for each start
   * row, a map (row, statistic) -&gt; probability mass, one layer per step, merging equal keys.
   * With {@code horizon} H &gt; 0 the layers stop after t = H and the rule's tail bound is
   * carried; with H &lt;= 0 the model must be acyclic and terminating (checked).
   */
  static ExactTraceOperator layered(TabularMdp<?, ?> m, BigFraction[] pi, BigFraction[] mu,
      TraceRule rule, String name, int horizon) {
    boolean truncated = false;
    TabularMdp.Exact ex = m.exact();
    int n = m.numRows();
    List<BigFraction[][]> layers = new ArrayList<>();
    BigFraction[][] b0 = zeros(n, n);
    for (int r = 0; r < n; r++) {
      b0[r][r] = BigFraction.ONE;
    }
    layers.add(b0);
    for (int r0 = 0; r0 < n; r0++) {
      Map<Key, BigFraction> front = new HashMap<>();
      front.put(new Key(r0, rule.initial()), BigFraction.ONE);
      for (int t = 1; !front.isEmpty(); t++) {
        if (horizon > 0 && t > horizon) {
          truncated = true;
          break;
        }
        if (horizon <= 0 && t > m.numStates()) {
          throw new ModelException(name + ": the layered computation needs "
              + "a terminating acyclic model, but from " + rowName(m, r0) + " histories are "
              + "still running after " + m.numStates() + " steps (more than the number of "
              + "states, so the model has a cycle)");
        }
        if (layers.size() <= t) {
          layers.add(zeros(n, n));
        }
        BigFraction[] bt = layers.get(t)[r0];
        Map<Key, BigFraction> next = new HashMap<>();
        for (Map.Entry<Key, BigFraction> e : front.entrySet()) {
          int r = e.getKey().row();
          for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
            int s2 = m.next(k);
            for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
              if (Rationals.signum(mu[r2]) == 0 || Rationals.signum(ex.prob()[k]) == 0) {
                continue;
              }
              BigFraction mass = e.getValue().multiply(ex.prob()[k]).multiply(mu[r2]);
              TraceRule.Update u = rule.step(e.getKey().statistic(), t, pi[r2].divide(mu[r2]),
                  pi[r2]);
              bt[r2] = bt[r2].add(mass.multiply(u.beta()));
              next.merge(new Key(r2, u.statistic()), mass, BigFraction::add);
            }
          }
        }
        front = next;
      }
    }
    BigFraction[] reward = Arrays.copyOf(ex.reward(), n);
    double tail = truncated
        ? Tails.coefficient(rule, Rationals.toDouble(ex.discount()), horizon, name) : 0;
    return fromLayers(policyKernel(m, ex, pi), reward, ex.discount(), layers, false, name, tail);
  }

  private record Key(int row, BigFraction statistic) {}

  /**
   * S = sum_{t &lt;= N} gamma^t B_t (+ gamma^(N+1) / (1 - gamma) B_N when the last layer repeats
   * forever); Z = I - S (I - gamma P_pi); b = S r; the condition is checked layer by layer.
   */
  static ExactTraceOperator fromLayers(BigFraction[][] pPi, BigFraction[] reward, BigFraction g,
      List<BigFraction[][]> layers, boolean repeatLast, String name, double tail) {
    int n = reward.length;
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("no layers: B_0 is needed");
    }
    BigFraction[][] s = zeros(n, n);
    BigFraction gt = BigFraction.ONE;
    String violation = "";
    for (int t = 0; t < layers.size(); t++) {
      addScaled(s, layers.get(t), gt);
      if (t > 0 && violation.isEmpty()) {
        violation = compare(layers.get(t), multiply(layers.get(t - 1), pPi), t);
      }
      gt = gt.multiply(g);
    }
    BigFraction[][] last = layers.get(layers.size() - 1);
    if (repeatLast) {
      if (g.compareTo(BigFraction.ONE) >= 0) {
        throw new ModelException(name + ": a repeating last layer needs "
            + "gamma < 1, got " + Rationals.format(g));
      }
      addScaled(s, last, gt.divide(BigFraction.ONE.subtract(g)));
      if (violation.isEmpty()) {
        violation = compare(last, multiply(last, pPi), layers.size());
      }
    }
    BigFraction[][] z = zeros(n, n);
    BigFraction[] b = new BigFraction[n];
    for (int r = 0; r < n; r++) {
      BigFraction acc = BigFraction.ZERO;
      for (int c = 0; c < n; c++) {
        acc = acc.add(s[r][c].multiply(reward[c]));
        // (S (I - gamma P_pi))[r][c] = S[r][c] - gamma sum_k S[r][k] P_pi[k][c]
        BigFraction sp = BigFraction.ZERO;
        for (int k = 0; k < n; k++) {
          if (Rationals.signum(s[r][k]) != 0 && Rationals.signum(pPi[k][c]) != 0) {
            sp = sp.add(s[r][k].multiply(pPi[k][c]));
          }
        }
        BigFraction id = r == c ? BigFraction.ONE : BigFraction.ZERO;
        z[r][c] = id.subtract(s[r][c]).add(g.multiply(sp));
      }
      b[r] = acc;
    }
    boolean holds = violation.isEmpty();
    String report = (holds ? "checked layer by layer, t = 1 .. " + (layers.size()
        - (repeatLast ? 0 : 1)) : violation) + (tail > 0 ? "; later layers were truncated" : "");
    double gd = Rationals.toDouble(g);
    return new ExactTraceOperator(b, z, tail, new ContractionCertificate(name,
        Rationals.toDouble(norm(z)), tail * (1 + gd), gd, holds, report));
  }

  private static String compare(BigFraction[][] bt, BigFraction[][] bound, int t) {
    for (int r = 0; r < bt.length; r++) {
      for (int c = 0; c < bt.length; c++) {
        if (bt[r][c].compareTo(bound[r][c]) > 0) {
          return "at t = " + t + ", row " + r + ", column " + c + ": B_t = "
              + Rationals.format(bt[r][c]) + " > (B_{t-1} P_pi) = " + Rationals.format(bound[r][c]);
        }
      }
    }
    return "";
  }

  static BigFraction norm(BigFraction[][] z) {
    BigFraction best = BigFraction.ZERO;
    for (BigFraction[] row : z) {
      BigFraction acc = BigFraction.ZERO;
      for (BigFraction v : row) {
        acc = acc.add(v.abs());
      }
      best = Rationals.max(best, acc);
    }
    return best;
  }

  static BigFraction[][] multiply(BigFraction[][] a, BigFraction[][] b) {
    int n = a.length;
    int m = b[0].length;
    BigFraction[][] out = zeros(n, m);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b.length; k++) {
        if (Rationals.signum(a[i][k]) == 0) {
          continue;
        }
        for (int j = 0; j < m; j++) {
          if (Rationals.signum(b[k][j]) != 0) {
            out[i][j] = out[i][j].add(a[i][k].multiply(b[k][j]));
          }
        }
      }
    }
    return out;
  }

  private static void addScaled(BigFraction[][] s, BigFraction[][] b, BigFraction f) {
    for (int r = 0; r < s.length; r++) {
      for (int c = 0; c < s.length; c++) {
        if (Rationals.signum(b[r][c]) != 0) {
          s[r][c] = s[r][c].add(f.multiply(b[r][c]));
        }
      }
    }
  }

  /** Gauss-Jordan elimination with several right-hand sides; a zero pivot is a singular model. */
  static BigFraction[][] solve(BigFraction[][] a, BigFraction[][] rhs, String name) {
    int n = a.length;
    int m = rhs.length == 0 ? 0 : rhs[0].length;
    BigFraction[][] aa = new BigFraction[n][];
    BigFraction[][] x = new BigFraction[n][];
    for (int i = 0; i < n; i++) {
      aa[i] = a[i].clone();
      x[i] = rhs[i].clone();
    }
    for (int col = 0; col < n; col++) {
      int piv = col;
      while (piv < n && Rationals.signum(aa[piv][col]) == 0) {
        piv++;
      }
      if (piv == n) {
        throw new ModelException(name + ": I - gamma P_cmu is singular "
            + "(gamma = 1 without termination?), so sum_t gamma^t B_t diverges");
      }
      BigFraction[] t = aa[piv];
      aa[piv] = aa[col];
      aa[col] = t;
      t = x[piv];
      x[piv] = x[col];
      x[col] = t;
      BigFraction inv = aa[col][col].reciprocal();
      for (int j = 0; j < n; j++) {
        aa[col][j] = aa[col][j].multiply(inv);
      }
      for (int j = 0; j < m; j++) {
        x[col][j] = x[col][j].multiply(inv);
      }
      for (int i = 0; i < n; i++) {
        BigFraction f = aa[i][col];
        if (i == col || Rationals.signum(f) == 0) {
          continue;
        }
        for (int j = col; j < n; j++) {
          aa[i][j] = aa[i][j].subtract(f.multiply(aa[col][j]));
        }
        for (int j = 0; j < m; j++) {
          x[i][j] = x[i][j].subtract(f.multiply(x[col][j]));
        }
      }
    }
    return x;
  }

  /** Rows whose state some transition of positive probability leads to. */
  static boolean[] reachedRows(TabularMdp<?, ?> m, TabularMdp.Exact ex) {
    boolean[] out = new boolean[m.numRows()];
    for (int r = 0; r < m.numRows(); r++) {
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        if (Rationals.signum(ex.prob()[k]) > 0) {
          int s2 = m.next(k);
          for (int r2 = m.rowStart(s2); r2 < m.rowEnd(s2); r2++) {
            out[r2] = true;
          }
        }
      }
    }
    return out;
  }

  static String rowName(TabularMdp<?, ?> m, int r) {
    return "(" + m.states().value(m.rowState(r)) + ", " + m.actions().value(m.rowAction(r)) + ")";
  }

  static BigFraction[][] zeros(int n, int m) {
    BigFraction[][] out = new BigFraction[n][m];
    for (BigFraction[] row : out) {
      Arrays.fill(row, BigFraction.ZERO);
    }
    return out;
  }
}
