package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.random.Garnet;
import dev.fixpoint.tabular.solve.ValueIteration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchChecksTest {
  @Test
  void aBatchOfGarnetsOnTheCpuEqualsEachModelSolvedAlone() {
    BatchChecks.Report r = BatchChecks.run(Backends.cpu(),
        Generators.garnets(Garnet.of(20, 3, 2).withDiscount(0.9)), 500, 1, 1e-8, 10_000);
    assertEquals(500, r.models());
    assertTrue(r.agrees(0), r.toString());
    // the batch stops on the same rule as ValueIteration: the sweeps needed by the slowest model
    Generator<TabularMdp<Integer, Integer>> gen =
        Generators.garnets(Garnet.of(20, 3, 2).withDiscount(0.9));
    SplittableRandom rng = new SplittableRandom(1);
    int most = 0;
    for (int i = 0; i < 500; i++) {
      most = Math.max(most, ValueIteration.jacobi().withTolerance(1e-8).solve(gen.next(rng))
          .iterations());
    }
    assertEquals(most, r.sweeps());
  }

  @Test
  void modelsOfDifferentShapesAreRefused() {
    Generator<TabularMdp<Integer, Integer>> mixed = Generator.of(rng ->
        Garnet.of(20, 3, rng.nextInt(2) + 1).generate(rng));
    assertThrows(ModelException.class, () -> BatchChecks.run(Backends.cpu(), mixed, 50, 2, 1e-6,
        100));
  }
}
