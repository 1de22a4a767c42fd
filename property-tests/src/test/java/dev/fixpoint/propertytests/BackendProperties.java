package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.backend.Backends;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Laws of the backend SPI on random models (terminal states, uneven rows, gamma = 1 included), on
 * the CPU reference: a call on K resident vectors is K independent calls (batching changes nothing,
 * bit for bit), a batch of K copies of one model is the same as one model with K vectors, the
 * residual an optimality backup returns is the sup-norm distance ||T v - v|| computed by {@code
 * supDistance}, and the greedy rows are those the backup reports.
 */
class BackendProperties {
  static final MdpSpec SPEC = MdpSpec.doubles().withStates(1, 8).withTerminals(true)
      .withUndiscounted(true);
  static final int K = 3;

  record Case(RandomMdp m, double[] v, double[] pi) {
    @Override
    public String toString() {
      return m + "\nv " + Arrays.toString(v) + "\npi " + Arrays.toString(pi);
    }
  }

  static Generator<Case> cases() {
    Generator<RandomMdp> mdps = Generators.mdps(SPEC);
    return Generator.of(rng -> {
      RandomMdp m = mdps.next(rng);
      TabularMdp<Integer, Integer> t = m.tabular();
      double[] v = new double[K * t.numStates()];
      double[] pi = new double[K * t.numRows()];
      for (int k = 0; k < K; k++) {
        System.arraycopy(Generators.valueFunctions(t, -5, 5).next(rng), 0, v, k * t.numStates(),
            t.numStates());
        System.arraycopy(Generators.stochasticPolicies(t, Tier.DOUBLE).next(rng).toArray(), 0, pi,
            k * t.numRows(), t.numRows());
      }
      return new Case(m, v, pi);
    });
  }

  @Test
  void kResidentVectorsAreKIndependentHostCalls() {
    qt().withFixedSeed(1001).withExamples(300).forAll(QuickTheoriesGen.of(cases()))
        .checkAssert(c -> {
          TabularMdp<Integer, Integer> t = c.m().tabular();
          int n = t.numStates();
          int rows = t.numRows();
          try (Backend.LoadedModel lm = Backends.cpu().load(t);
              Backend.LoadedModel batch = Backends.cpu().loadBatch(List.of(t, t, t));
              Backend.Vectors v = lm.vectors(K, n);
              Backend.Vectors out = lm.vectors(K, n);
              Backend.Vectors pi = lm.vectors(K, rows);
              Backend.Indices g = lm.indices(K);
              Backend.Vectors bv = batch.vectors(K, n);
              Backend.Vectors bout = batch.vectors(K, n)) {
            v.write(c.v());
            bv.write(c.v());
            pi.write(c.pi());
            double[] res = lm.optimality(v, out, g);
            double[] bres = batch.optimality(bv, bout, null);
            assertArrayEquals(res, bres, "batch of copies = one model, K vectors");
            assertArrayEquals(out.read(), bout.read(), "batch of copies = one model, K vectors");
            assertArrayEquals(res, lm.supDistance(v, out), "residual = ||Tv - v||");
            double[] tv = out.read();
            int[] rowsOut = g.read();
            double[] pres = lm.policy(pi, v, out);
            double[] tpv = out.read();
            for (int k = 0; k < K; k++) {
              double[] vk = Arrays.copyOfRange(c.v(), k * n, k * n + n);
              double[] o = new double[n];
              int[] gk = new int[n];
              assertEquals(hostOptimality(t, vk, o, gk), res[k]);
              assertArrayEquals(o, Arrays.copyOfRange(tv, k * n, k * n + n));
              assertArrayEquals(gk, Arrays.copyOfRange(rowsOut, k * n, k * n + n));
              double[] pk = Arrays.copyOfRange(c.pi(), k * rows, k * rows + rows);
              double r = hostPolicy(t, pk, vk, o);
              assertEquals(r, pres[k]);
              assertArrayEquals(o, Arrays.copyOfRange(tpv, k * n, k * n + n));
            }
          }
        });
  }

  private static double hostOptimality(TabularMdp<?, ?> t, double[] v, double[] o, int[] g) {
    try (Backend.LoadedModel one = Backends.cpu().load(t)) {
      return one.optimalityBackup(v, o, g);
    }
  }

  private static double hostPolicy(TabularMdp<?, ?> t, double[] pi, double[] v, double[] o) {
    try (Backend.LoadedModel one = Backends.cpu().load(t)) {
      return one.policyBackup(pi, v, o);
    }
  }
}
