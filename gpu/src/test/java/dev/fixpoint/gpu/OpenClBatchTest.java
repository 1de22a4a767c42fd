package dev.fixpoint.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.propertytests.BatchChecks;
import dev.fixpoint.propertytests.Generators;
import dev.fixpoint.tabular.random.Garnet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workload (b): thousands of random models of one shape solved at once on OpenCL. */
class OpenClBatchTest {
  private static final OpenClBackend OPENCL = OpenClBackend.float64();

  @BeforeEach
  void needsOpenCl() {
    OpenClAvailability.require(OPENCL);
  }

  @Test
  void twoThousandGarnetsSolvedAtOnceEqualTheCpuBitForBit() {
    BatchChecks.Report r = BatchChecks.run(OPENCL,
        Generators.garnets(Garnet.of(30, 3, 3).withDiscount(0.9)), 2000, 77, 1e-8, 10_000);
    assertEquals(2000, r.models());
    assertTrue(r.agrees(0), r.toString());
  }
}
