package dev.fixpoint.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.random.Garnet;
import dev.fixpoint.tabular.solve.ValueIteration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** float32 on request: value iteration within the error bound stated in {@link OpenClBackend}. */
class OpenClFloat32Test {
  private static final OpenClBackend F32 = OpenClBackend.float32();

  @BeforeEach
  void needsOpenCl() {
    OpenClAvailability.require(F32);
  }

  @Test
  void valueIterationInFloat32IsWithinTheStatedBound() {
    double gamma = 0.95;
    int m = 4;
    TabularMdp<Integer, Integer> mdp = Garnet.of(3000, 3, m).withDiscount(gamma)
        .generate(new SplittableRandom(9));
    double[] exact = ValueIteration.jacobi().withTolerance(1e-12).solve(mdp).values().toArray();
    // 1000 sweeps: the float iterate is at its fixed point up to gamma^1000 ||v*|| (about 1e-21),
    // whether or not the unreachable tolerance stops it
    double[] f32 = ValueIteration.jacobi().withTolerance(1e-12).withMaxIterations(1000)
        .withBackend(F32).solve(mdp).values().toArray();
    double norm = 0;
    double err = 0;
    for (int s = 0; s < exact.length; s++) {
      norm = Math.max(norm, Math.abs(exact[s]));
      err = Math.max(err, Math.abs(exact[s] - f32[s]));
    }
    double u = Math.scalb(1.0, -24);
    // the float bound of OpenClBackend's class comment, plus the truncation gamma^1000 ||v*||
    double bound = (m + 3) * u * norm / (1 - gamma) + Math.pow(gamma, 1000) * norm;
    assertTrue(err <= bound, "error " + err + " exceeds the stated bound " + bound);
    assertTrue(err > 0, "float32 should differ from float64 somewhere");
    assertEquals("opencl-f32", F32.name());
  }
}
