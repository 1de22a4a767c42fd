package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Operator;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** The generators' contracts: reproducible draws, the spec's invariants, valid shrink steps. */
class GeneratorsTest {
  static final MdpSpec PROPER = MdpSpec.exact().withUndiscounted(true).withStates(2, 5);

  static List<RandomMdp> sample(MdpSpec spec, long seed, int n) {
    SplittableRandom rng = new SplittableRandom(seed);
    Generator<RandomMdp> g = Generators.mdps(spec);
    return Stream.generate(() -> g.next(rng)).limit(n).toList();
  }

  @Test
  void sameSeedSameModels() {
    for (MdpSpec spec : List.of(MdpSpec.exact(), MdpSpec.doubles(), PROPER)) {
      assertEquals(sample(spec, 5, 30), sample(spec, 5, 30));
      assertNotEquals(sample(spec, 5, 30), sample(spec, 6, 30));
    }
  }

  @Test
  void modelsRespectTheSpec() {
    for (MdpSpec spec : List.of(MdpSpec.exact(), MdpSpec.doubles(), PROPER)) {
      for (RandomMdp m : sample(spec, 11, 200)) {
        checkInvariants(spec, m);
      }
    }
  }

  @Test
  void undiscountedModelsOccurAndAreProper() {
    List<RandomMdp> ms = sample(PROPER, 3, 200);
    long undiscounted = ms.stream().filter(m -> m.discount().equals(BigFraction.ONE)).count();
    assertTrue(undiscounted > 20 && undiscounted < 100, "about a quarter: " + undiscounted);
  }

  @Test
  void theGeneratorsCoverTheirRanges() {
    List<RandomMdp> ms = sample(MdpSpec.exact(), 2, 300);
    assertEquals(Set5.of(1, 2, 3, 4, 5), ms.stream().map(RandomMdp::numStates)
        .collect(Collectors.toSet()));
    assertTrue(ms.stream().anyMatch(m -> m.states().stream().anyMatch(m::isTerminal)));
    assertTrue(ms.stream().anyMatch(m -> !m.states().equals(m.states().stream().sorted()
        .toList())), "some state orders are permuted");
    assertTrue(ms.stream().anyMatch(m -> m.tabular().numRows() < m.tabular().numStates()
        * m.tabular().numActions()), "some actions are unavailable somewhere");
    assertTrue(ms.stream().anyMatch(m -> m.states().stream().anyMatch(s -> m.actions(s).stream()
        .anyMatch(a -> hasSplitOutcome(m.outcomes(s, a))))), "some rewards depend on more");
  }

  static boolean hasSplitOutcome(Dist<Outcome<Integer>> d) {
    return d.support().stream().map(Outcome::next).distinct().count() < d.size();
  }

  /** Every shrink candidate satisfies the spec's invariants and is simpler by the measure. */
  @Test
  void shrinkCandidatesAreValidAndSmaller() {
    for (MdpSpec spec : List.of(MdpSpec.exact(), MdpSpec.doubles(), PROPER,
        MdpSpec.exact().withTerminals(false))) {
      Generator<RandomMdp> g = Generators.mdps(spec);
      for (RandomMdp m : sample(spec, 17, 40)) {
        List<RandomMdp> cs = g.shrink(m).toList();
        for (RandomMdp c : cs) {
          checkInvariants(spec, c);
          assertTrue(measureLess(c, m), () -> c + "\nis not simpler than\n" + m);
        }
        if (m.numStates() > 1 || m.numRows() > 1) {
          assertFalse(cs.isEmpty(), "a model with more than one row shrinks: " + m);
        }
      }
    }
  }

  @Test
  void minimizeFindsTheSmallestCounterexample() {
    // "at most 2 states" fails first on a model with 3 or more; the smallest failing model has
    // exactly 3 states, 1 row per live state, 1 successor, reward 0, discount 0, sorted order.
    Generator<RandomMdp> g = Generators.mdps(MdpSpec.exact().withTerminals(false));
    RandomMdp big = sample(MdpSpec.exact().withTerminals(false).withStates(5, 5), 1, 1).get(0);
    Shrinking.Result<RandomMdp> r = Shrinking.minimize(g, big, m -> m.numStates() > 2, 100_000);
    RandomMdp m = r.value();
    assertEquals(3, m.numStates(), m::toString);
    assertEquals(3, m.numRows(), m::toString);
    assertEquals(BigFraction.ZERO, m.discount());
    assertEquals(List.of(1, 2, 3), m.states());
    for (int s = 1; s <= 3; s++) {
      Dist<Outcome<Integer>> d = m.outcomes(s, m.actions(s).get(0));
      assertEquals(1, d.size(), m::toString);
      assertEquals(BigFraction.ZERO, d.outcome(0).reward());
    }
  }

  @Test
  void quickTheoriesShrinksThroughTheDraws() {
    AssertionError e = assertThrows(AssertionError.class, () -> qt().withFixedSeed(3)
        .withExamples(100).forAll(QuickTheoriesGen.of(Generators.mdps(MdpSpec.doubles())))
        .check(m -> m.numStates() < 4));
    // the report names the smallest failing model found: 4 states
    assertTrue(e.getMessage().contains("RandomMdp[DOUBLE"), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*states \\[[1-4], [1-4], [1-4], [1-4]\\].*"),
        e.getMessage());
  }

  @Test
  void policiesAreValidAndShrinkToDeterministic() {
    for (RandomMdp rm : sample(MdpSpec.exact(), 4, 30)) {
      TabularMdp<Integer, Integer> m = rm.tabular();
      SplittableRandom rng = new SplittableRandom(1);
      for (Tier tier : Tier.values()) {
        Generator<TabularPolicy<Integer, Integer>> g = Generators.stochasticPolicies(m, tier);
        TabularPolicy<Integer, Integer> pi = g.next(rng);
        assertEquals(tier == Tier.EXACT, pi.isExact());
        g.shrink(pi).forEach(c -> assertTrue(c.isDeterministic() || isUniform(c)));
      }
      TabularPolicy<Integer, Integer> d = Generators.deterministicPolicies(m).next(rng);
      assertTrue(d.isDeterministic() && d.isExact());
    }
  }

  static boolean isUniform(TabularPolicy<Integer, Integer> pi) {
    TabularMdp<Integer, Integer> m = pi.mdp();
    for (int r = 0; r < m.numRows(); r++) {
      int s = m.rowState(r);
      if (pi.probAt(r) != 1.0 / (m.rowEnd(s) - m.rowStart(s))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void vectorsStayInRangeAndShrinkTowardsZero() {
    Generator<double[]> g = Generators.doubleVectors(6, -3, 4);
    double[] x = g.next(new SplittableRandom(8));
    for (double v : x) {
      assertTrue(v >= -3 && v < 4);
    }
    assertArrayEquals(new double[6], g.shrink(x).findFirst().orElseThrow(), 0.0);
    Generator<BigFraction[]> e = Generators.exactVectors(4, 2, 5, 3);
    BigFraction[] y = e.next(new SplittableRandom(8));
    assertEquals(new BigFraction(2), e.shrink(y).findFirst().orElseThrow()[0]);
  }

  @Test
  void exactOperatorTermsAvoidSoftAndNonLinearLambda() {
    for (RandomMdp rm : sample(MdpSpec.exact(), 9, 20)) {
      Generator<Operator> g = Generators.operators(rm.tabular(), Tier.EXACT, 3);
      SplittableRandom rng = new SplittableRandom(2);
      for (int i = 0; i < 20; i++) {
        Operator op = g.next(rng);
        assertFalse(op.toString().contains("Soft"), op::toString);
        g.shrink(op).forEach(c -> assertFalse(c.toString().contains("Soft")));
      }
    }
  }

  @Test
  void dependentPairsShrinkConsistently() {
    Generator<Pair<Integer, double[]>> g = Generator.integers(0, 10)
        .then(n -> Generators.doubleVectors(n, 1, 2));
    Pair<Integer, double[]> p = g.next(new SplittableRandom(4));
    assertEquals(p.first(), p.second().length);
    List<Pair<Integer, double[]>> cs = g.shrink(p).toList();
    assertFalse(cs.isEmpty());
    for (Pair<Integer, double[]> c : cs) {
      assertEquals(c.first(), c.second().length, "the second component fits the first");
      assertTrue(c.first() < p.first() || c.first().equals(p.first()));
    }
    // the redraw after the first component shrank is reproducible
    List<Pair<Integer, double[]>> again = g.shrink(p).toList();
    for (int i = 0; i < cs.size(); i++) {
      assertArrayEquals(cs.get(i).second(), again.get(i).second(), 0.0);
    }
    Generator<Pair<Integer, Integer>> both = Generator.integers(-5, 5).and(Generator.integers(3, 9));
    assertTrue(both.shrink(new Pair<>(4, 7)).allMatch(c -> Math.abs(c.first()) <= 4
        && c.second() >= 3 && c.second() <= 7));
  }

  // ---------------------------------------------------------------- helpers

  static void checkInvariants(MdpSpec spec, RandomMdp m) {
    int n = m.numStates();
    assertTrue(n >= 1 && n <= spec.maxStates(), m::toString);
    assertEquals(spec.tier() == Tier.EXACT, m.tabular().isExact(), m::toString);
    assertTrue(m.states().stream().anyMatch(s -> !m.isTerminal(s)), m::toString);
    boolean proper = m.discount().equals(BigFraction.ONE);
    if (!spec.terminals() && !spec.undiscounted()) {
      assertTrue(m.states().stream().noneMatch(m::isTerminal), m::toString);
    }
    if (proper) {
      assertTrue(m.states().stream().anyMatch(m::isTerminal), m::toString);
    }
    for (int s = 1; s <= n; s++) {
      assertEquals(m.isTerminal(s), m.actions(s).isEmpty(), m::toString);
      for (int a : m.actions(s)) {
        Dist<Outcome<Integer>> d = m.outcomes(s, a);
        assertEquals(spec.tier() == Tier.EXACT, d.isExact());
        assertTrue(d.support().stream().map(Outcome::next).distinct().count()
            <= spec.maxBranching(), m::toString);
        if (proper) {
          assertTrue(d.support().stream().anyMatch(o -> m.isTerminal(o.next())), m::toString);
        }
      }
    }
  }

  /** Lexicographic: states, rows, outcomes, then anything else (checked as "not equal"). */
  static boolean measureLess(RandomMdp c, RandomMdp m) {
    int[] a = {c.numStates(), c.numRows(), outcomes(c)};
    int[] b = {m.numStates(), m.numRows(), outcomes(m)};
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return a[i] < b[i];
      }
    }
    return !c.equals(m);
  }

  static int outcomes(RandomMdp m) {
    int k = 0;
    for (int s = 1; s <= m.numStates(); s++) {
      for (int a : m.actions(s)) {
        k += m.outcomes(s, a).size();
      }
    }
    return k;
  }

  /** Tiny helper: a set literal. */
  static final class Set5 {
    static java.util.Set<Integer> of(Integer... xs) {
      return java.util.Set.of(xs);
    }
  }
}
