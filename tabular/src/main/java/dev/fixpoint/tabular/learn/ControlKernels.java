package dev.fixpoint.tabular.learn;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;

/** Helpers shared by the control learners; package-private. */
final class ControlKernels {
  private ControlKernels() {}

  /** Checks the step cap and that an uncapped episode can end. */
  static void checkEpisode(TabularMdp<?, ?> mdp, int maxSteps) {
    Kernels.checkMaxSteps(maxSteps);
    Experience.requireEnd(mdp, maxSteps);
  }

  /** {@return a copy of the state's Q, checked to have one value per row of the model} */
  static double[] q(TabularMdp<?, ?> mdp, ControlState state) {
    double[] q = state.q();
    if (q.length != mdp.numRows()) {
      throw new IllegalArgumentException(q.length + " action values for " + mdp.numRows()
          + " rows of " + mdp.name());
    }
    return q;
  }

  /** {@return max_a Q(s, a) over the rows of a non-terminal state} */
  static double max(Csr c, double[] q, int s) {
    int start = c.rowStart()[s];
    int end = c.rowStart()[s + 1];
    double m = q[start];
    for (int r = start + 1; r < end; r++) {
      m = Math.max(m, q[r]);
    }
    return m;
  }

  /** {@return sum_a pi(a | s) Q(s, a) over the rows of a non-terminal state} */
  static double expectation(Csr c, double[] pi, double[] q, int s) {
    int start = c.rowStart()[s];
    int end = c.rowStart()[s + 1];
    double e = 0;
    for (int r = start; r < end; r++) {
      e += pi[r] * q[r];
    }
    return e;
  }
}
