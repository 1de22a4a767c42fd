package dev.fixpoint.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.gpu.internal.ClContext;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.contract.BackendContract;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.random.Garnet;
import dev.fixpoint.tabular.solve.ModifiedPolicyIteration;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.Solution;
import dev.fixpoint.tabular.solve.ValueIteration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared backend contract on OpenCL in float64, plus the solvers run through it. */
class OpenClBackendTest extends BackendContract {
  private static final OpenClBackend OPENCL = OpenClBackend.float64();

  @Override
  protected Backend backend() {
    return OPENCL;
  }

  @BeforeEach
  void needsOpenCl() {
    OpenClAvailability.require(OPENCL);
  }

  @Test
  void foundByNameAndByServiceLoader() {
    assertInstanceOf(OpenClBackend.class, Backends.byName("opencl"));
    assertEquals("opencl-f32", Backends.byName("opencl-f32").name());
    assertTrue(Backends.names().containsAll(java.util.List.of("cpu", "opencl", "opencl-f32")));
  }

  @Test
  void valueIterationPolicyEvaluationAndModifiedPolicyIterationEqualTheCpuBitForBit() {
    TabularMdp<Integer, Integer> m = Garnet.of(2000, 3, 4).generate(new SplittableRandom(5));
    Solution<Integer, Integer> cpu = ValueIteration.jacobi().withTolerance(1e-8).solve(m);
    Solution<Integer, Integer> gpu = ValueIteration.jacobi().withTolerance(1e-8)
        .withBackend(OPENCL).solve(m);
    assertArrayEquals(cpu.values().toArray(), gpu.values().toArray());
    assertEquals(cpu.iterations(), gpu.iterations());
    Solution<Integer, Integer> gsCpu = ValueIteration.gaussSeidel().solve(m);
    Solution<Integer, Integer> gsGpu = ValueIteration.gaussSeidel().withBackend(OPENCL).solve(m);
    assertArrayEquals(gsCpu.values().toArray(), gsGpu.values().toArray());
    TabularPolicy<Integer, Integer> pi = cpu.policy();
    Solution<Integer, Integer> pe = PolicyEvaluation.iterative(m, pi, 1e-9, 100_000, OPENCL);
    Solution<Integer, Integer> peCpu = PolicyEvaluation.iterative(m, pi, 1e-9, 100_000,
        Backends.cpu());
    assertArrayEquals(peCpu.values().toArray(), pe.values().toArray());
    Solution<Integer, Integer> mpiCpu = ModifiedPolicyIteration.of(5).solve(m);
    Solution<Integer, Integer> mpiGpu = ModifiedPolicyIteration.of(5).withBackend(OPENCL).solve(m);
    assertArrayEquals(mpiCpu.values().toArray(), mpiGpu.values().toArray());
    assertEquals(mpiCpu.iterations(), mpiGpu.iterations());
  }

  @Test
  void closingTwiceIsHarmlessAndClosedBuffersAreRefused() {
    Backend.LoadedModel m = OPENCL.load(small());
    Backend.Vectors v = m.vectors(1, 3);
    Backend.Vectors out = m.vectors(1, 3);
    v.close();
    v.close();
    assertThrows(IllegalStateException.class, () -> v.read());
    assertThrows(IllegalStateException.class, () -> m.optimality(v, out, null));
    m.close();
    m.close();
    assertThrows(IllegalStateException.class, () -> m.vectors(1, 3));
  }

  @Test
  void anUnmatchedDeviceIsAModelExceptionListingTheDevices() {
    ModelException e = assertThrows(ModelException.class,
        () -> ClContext.open(true, "no such device 1234"));
    assertTrue(e.getMessage().startsWith("OpenCL: no float64-capable device matches "
        + "FIXPOINT_OPENCL_DEVICE=\"no such device 1234\"; devices: ["), e.getMessage());
  }
}
