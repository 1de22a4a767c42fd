package dev.fixpoint.examples.ope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's numbers obey the theorems it illustrates, and its figures are written. */
class OpeBenchmarkTest {
  @Test
  void unbiasedEstimatorsAreUnbiasedAndDmIsExactOnlyForTheBehaviourPolicy(@TempDir Path dir) {
    OpeBenchmark.Result r = OpeBenchmark.run(8, 50, 30, 1);
    assertEquals(OpeBenchmark.EPSILONS.size() * 7, r.rows().size());
    for (OpeBenchmark.Row row : r.rows()) {
      switch (row.estimator()) {
        case "IS", "PDIS", "DR", "MIS" -> assertEquals(0, row.bias(), 1e-12, row.toString());
        // DM's model is Q^mu: exact for mu (eps = 1/2), wrong for the others
        case "DM" -> assertEquals(row.candidate().equals("1/2"), Math.abs(row.bias()) < 1e-12,
            row.toString());
        // WIS for the behaviour policy itself: every weight is 1, WIS is the sample mean of G
        case "WIS" -> {
          assertTrue(row.how().startsWith("Laplace"), row.how());
          assertTrue(!Double.isNaN(row.simulatedMse()), row.toString());
          if (row.candidate().equals("1/2")) {
            assertEquals(0, row.bias(), 1e-12, row.toString());
          }
        }
        default -> assertTrue(row.how().startsWith("SIMULATED"), row.how());
      }
      if (!row.how().startsWith("SIMULATED")) {
        assertEquals(row.bias() * row.bias() + row.variance(), row.mse(), 1e-12 + 1e-9 * row.mse());
      }
    }
    // the greedy policy (eps = 0) is the best candidate and uniform (eps = 1) the worst
    double[] j = r.truth();
    for (double x : j) {
      assertTrue(j[0] >= x && x >= j[j.length - 1]);
    }
    var files = OpeBenchmark.write(r, dir);
    assertEquals(4, files.size());
    assertTrue(Files.exists(files.get(0).png()));
  }
}
