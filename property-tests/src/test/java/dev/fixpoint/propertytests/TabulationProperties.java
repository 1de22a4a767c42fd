package dev.fixpoint.propertytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Describe-then-tabulate loses nothing: for every declared state and available action, the
 * tabulated transition is the next-state marginal of the description's joint p(s', r | s, a), the
 * tabulated expected reward is its expected reward (Sutton &amp; Barto 2018, eqs. 3.4 and 3.5),
 * each transition keeps E[r | s, a, s'], and the state and action indexers are bijections that
 * follow the declaration.
 */
class TabulationProperties {

  @Test
  void exactTabulationThenMapBackIsTheIdentity() {
    qt().withFixedSeed(101).withExamples(300)
        .forAll(QuickTheoriesGen.of(Generators.mdps(MdpSpec.exact().withUndiscounted(true))))
        .checkAssert(TabulationProperties::mapsBack);
  }

  @Test
  void doubleTabulationThenMapBackIsTheIdentity() {
    qt().withFixedSeed(102).withExamples(300)
        .forAll(QuickTheoriesGen.of(Generators.mdps(MdpSpec.doubles().withUndiscounted(true))))
        .checkAssert(TabulationProperties::mapsBack);
  }

  static void mapsBack(RandomMdp rm) {
    Mdp<Integer, Integer> d = rm.description();
    TabularMdp<Integer, Integer> t = d.tabulate();
    assertEquals(d.declaredStates().get(), t.states().values(), "states in declaration order");
    for (int i = 0; i < t.numStates(); i++) {
      assertEquals(i, t.states().indexOf(t.states().value(i)));
    }
    for (int j = 0; j < t.numActions(); j++) {
      assertEquals(j, t.actions().indexOf(t.actions().value(j)));
    }
    assertEquals(Rationals.toDouble(d.discount()), t.discount(), 0.0, "discount");
    if (rm.isExact()) {
      assertEquals(d.discount(), t.exact().discount(), "exact discount");
    }
    int rows = 0;
    for (Integer s : d.declaredStates().get()) {
      int si = t.states().indexOf(s);
      boolean terminal = d.terminal().test(s);
      assertEquals(terminal, t.isTerminal(si), () -> "terminal flag of state " + s);
      if (terminal) {
        assertEquals(0, t.rowEnd(si) - t.rowStart(si));
        continue;
      }
      List<Integer> declared = d.actions().apply(s);
      List<Integer> tabulated = t.availableActions(s);
      assertEquals(declared.size(), tabulated.size(), () -> "actions of state " + s);
      assertEquals(new HashSet<>(declared), new HashSet<>(tabulated));
      for (Integer a : declared) {
        rows++;
        int r = t.row(si, t.actions().indexOf(a));
        assertTrue(r >= 0 && t.rowState(r) == si, () -> "row of " + s + ", " + a);
        Dist<Outcome<Integer>> joint = d.dynamics().apply(s, a);
        for (int k = t.entryStart(r); k < t.entryEnd(r); k++) {
          Integer next = t.states().value(t.next(k));
          double given = joint.given(o -> o.next().equals(next)).expect(Outcome::rewardAsDouble);
          assertEquals(given, t.entryReward(k), 1e-12 * (1 + Math.abs(given)),
              () -> "E[r | " + s + ", " + a + ", " + next + "]");
        }
        Dist<Integer> marginal = joint.map(Outcome::next);
        Dist<Integer> transition = t.transition(s, a);
        if (rm.isExact()) {
          assertEquals(marginal, transition, () -> "p(. | " + s + ", " + a + ")");
          assertEquals(joint.expectExact(Outcome::reward), t.exactExpectedReward(s, a),
              () -> "r(" + s + ", " + a + ")");
        } else {
          assertEquals(new HashSet<>(marginal.support()), new HashSet<>(transition.support()));
          for (Integer next : marginal.support()) {
            assertEquals(marginal.probabilityAsDouble(next), transition.probabilityAsDouble(next),
                1e-12, () -> "p(" + next + " | " + s + ", " + a + ")");
          }
          assertEquals(joint.expect(Outcome::rewardAsDouble), t.expectedReward(s, a), 1e-12,
              () -> "r(" + s + ", " + a + ")");
        }
      }
    }
    assertEquals(rows, t.numRows());
  }
}
