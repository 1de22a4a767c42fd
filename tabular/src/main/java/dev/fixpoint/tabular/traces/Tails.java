package dev.fixpoint.tabular.traces;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Rationals;
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

/**
 * Tail bounds of the truncated layered computation (spec {@code traces.md} section 2.2): with a
 * pathwise bound b_t &gt;= beta_t, ||sum_{t &gt; H} gamma^t B_t||_inf &lt;= sum_{t &gt; H} gamma^t
 * b_t, which is (gamma lambda)^(H+1) / (1 - gamma lambda) for b_t = lambda^t (RBIS, truncated IS,
 * Retrace, Q(lambda), TB) and lambda gamma^(H+1) / (1 - gamma) for b_t = lambda (recursive
 * Retrace). Plain IS and custom rules have no such bound.
 */
final class Tails {
  private Tails() {}

  static double coefficient(TraceRule rule, double g, int horizon, String name) {
    return switch (rule) {
      case Retrace(var l) -> geometric(g * Rationals.toDouble(l), horizon, name);
      case TruncatedIs(var l) -> geometric(g * Rationals.toDouble(l), horizon, name);
      case Rbis(var l) -> geometric(g * Rationals.toDouble(l), horizon, name);
      case QLambda(var l) -> geometric(g * Rationals.toDouble(l), horizon, name);
      case TreeBackup(var l) -> geometric(g * Rationals.toDouble(l), horizon, name);
      case RecursiveRetrace(var l) -> Rationals.toDouble(l) * geometric(g, horizon, name);
      case ImportanceSampling i -> throw new ModelException(name + ": plain IS has no pathwise "
          + "trace bound, so a truncated history sum cannot be bounded; it is per-decision, use "
          + "the closed form");
      case Custom c -> throw new ModelException(name + ": a custom rule gives no pathwise bound "
          + "on beta_t, so a truncated history sum on a model with cycles cannot be bounded; use "
          + "a terminating acyclic model");
    };
  }

  /** sum_{t &gt; H} x^t = x^(H+1) / (1 - x). */
  private static double geometric(double x, int horizon, String name) {
    if (!(x < 1)) {
      throw new ModelException(name + ": gamma lambda = " + x + " is not below 1, so the trace "
          + "sum over an infinite horizon has no bound");
    }
    return Math.pow(x, horizon + 1) / (1 - x);
  }

  /** Whether the graph of positive-probability transitions between states has no cycle. */
  static boolean isAcyclic(Csr m) {
    int n = m.numStates();
    int[] color = new int[n]; // 0 new, 1 on the stack, 2 done
    int[] stack = new int[n];
    int[] edge = new int[n]; // next entry position per stacked state
    for (int root = 0; root < n; root++) {
      if (color[root] != 0) {
        continue;
      }
      int top = 0;
      stack[0] = root;
      color[root] = 1;
      edge[0] = m.entryStart()[m.rowStart()[root]];
      while (top >= 0) {
        int s = stack[top];
        int end = m.entryStart()[m.rowStart()[s + 1]];
        if (edge[top] >= end) {
          color[s] = 2;
          top--;
          continue;
        }
        int k = edge[top]++;
        if (!(m.prob()[k] > 0)) {
          continue;
        }
        int s2 = m.next()[k];
        if (color[s2] == 1) {
          return false;
        }
        if (color[s2] == 0) {
          color[s2] = 1;
          top++;
          stack[top] = s2;
          edge[top] = m.entryStart()[m.rowStart()[s2]];
        }
      }
    }
    return true;
  }
}
