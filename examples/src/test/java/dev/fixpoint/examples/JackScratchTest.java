package dev.fixpoint.examples;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.JacksCarRental.Lots;
import dev.fixpoint.examples.JacksCarRental.Transfer;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import org.junit.jupiter.api.Test;

class JackScratchTest {
  @Test
  void scratch() {
    long t0 = System.nanoTime();
    TabularMdp<Lots, Transfer> m = JacksCarRental.suttonBarto().tabulate();
    long t1 = System.nanoTime();
    Solution<Lots, Transfer> s = PolicyIteration.solve(m);
    long t2 = System.nanoTime();
    StringBuilder sb = new StringBuilder();
    sb.append("tab ").append((t1 - t0) / 1e6).append(" ms, PI ").append((t2 - t1) / 1e6).append(" ms, iters ").append(s.iterations()).append("\n");
    double min = 1e9, max = -1e9;
    for (int i = 0; i < m.numStates(); i++) { min = Math.min(min, s.values().valueAt(i)); max = Math.max(max, s.values().valueAt(i)); }
    sb.append("min ").append(min).append(" max ").append(max).append(" rows ").append(m.numRows()).append(" entries ").append(m.numEntries()).append("\n");
    for (int a = 20; a >= 0; a--) {
      for (int b = 0; b <= 20; b++) {
        sb.append(String.format("%3d", s.policy().action(new Lots(a, b)).cars()));
      }
      sb.append("\n");
    }
    sb.append(s.summary());
    throw new AssertionError(sb.toString());
  }
}
