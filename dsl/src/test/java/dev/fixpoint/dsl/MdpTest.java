package dev.fixpoint.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class MdpTest {
  enum Act { STAY, GO }

  /** s0 -GO-> s1 (1/3, reward 1) or end (2/3); s1 -GO-> end (reward 5); STAY only in s0. */
  static Mdp<String, Act> twoState() {
    return Mdp.<String, Act>of(List.of("s0", "s1", "end"),
        s -> s.equals("s0") ? List.of(Act.STAY, Act.GO) : List.of(Act.GO),
        (s, a) -> switch (s) {
          case "s0" -> a == Act.STAY ? Dist.dirac(Outcome.of("s0", 0))
              : Dist.<Outcome<String>>builder().add(Outcome.of("s1", 1), "1/3")
                  .add(Outcome.of("end", 0), "2/3").build();
          default -> Dist.dirac(Outcome.of("end", 5));
        }, "0.9").withTerminal(List.of("end")).withName("two-state");
  }

  @Test
  void tabulatesIntoCsrRowsGroupedByState() {
    TabularMdp<String, Act> t = twoState().tabulate();
    assertEquals(3, t.numStates());
    assertEquals(2, t.numActions());
    assertEquals(3, t.numRows());
    assertTrue(t.isExact());
    assertTrue(t.isTerminal(2));
    assertEquals(0, t.rowStart(0));
    assertEquals(2, t.rowEnd(0));
    assertEquals(t.rowEnd(2), t.rowStart(2)); // terminal: no rows
    assertEquals(new BigFraction(1, 3), t.exactExpectedReward("s0", Act.GO));
    assertEquals(Dist.<String>builder().add("s1", "1/3").add("end", "2/3").build(),
        t.transition("s0", Act.GO));
    assertEquals(List.of(Act.GO), t.availableActions("s1"));
    assertEquals(-1, t.row(1, t.actions().indexOf(Act.STAY)));
    assertEquals(new BigFraction(9, 10), t.exact().discount());
    // default initial: uniform over the non-terminal states
    assertEquals(0.5, t.initial(0));
    assertEquals(0.0, t.initial(2));
  }

  @Test
  void jointRewardsAreMergedIntoExpectations() {
    Mdp<String, String> m = Mdp.<String, String>of(List.of("a"), s -> List.of("x"),
        (s, a) -> Dist.<Outcome<String>>builder().add(Outcome.of("a", 1), "1/2")
            .add(Outcome.of("a", 4), "1/2").build(), "1/2");
    TabularMdp<String, String> t = m.tabulate();
    assertEquals(1, t.numEntries());
    assertEquals(new BigFraction(5, 2), t.exactExpectedReward("a", "x"));
    assertEquals(1.0, t.prob(0));
    assertEquals(2.5, t.entryReward(0));
  }

  @Test
  void transitionRewardsAreKeptPerEntryForSampling() {
    // from a: to a w.p. 1/4 with reward 1 or 3 (1/8 each), to b w.p. 3/4 with reward -2
    Mdp<String, String> m = Mdp.<String, String>of(List.of("a", "b"), s -> List.of("x"),
        (s, a) -> Dist.<Outcome<String>>builder().add(Outcome.of("a", 1), "1/8")
            .add(Outcome.of("a", 3), "1/8").add(Outcome.of("b", -2), "3/4").build(), "1/2");
    TabularMdp<String, String> t = m.tabulate();
    int r = t.row(0, 0);
    assertEquals(2.0, t.entryReward(t.entryStart(r)));
    assertEquals(-2.0, t.entryReward(t.entryStart(r) + 1));
    assertEquals(new BigFraction(-1), t.exactExpectedReward("a", "x")); // 1/4 * 2 - 3/4 * 2
    assertThrows(ModelException.class, () -> t.withEntryRewards(new double[] {0, 0, 0, 0}));
  }

  @Test
  void reachableStatesAreFoundBreadthFirst() {
    Mdp<Integer, String> chain = Mdp.<Integer, String>reachable(Dist.dirac(0),
        s -> List.of("step"), (s, a) -> Dist.dirac(Outcome.of(s + 1, -1)), BigFraction.ONE)
        .withTerminal(s -> s == 4);
    TabularMdp<Integer, String> t = chain.tabulate();
    assertEquals(List.of(0, 1, 2, 3, 4), t.states().values());
    assertEquals(1.0, t.initial(0));
  }

  @Test
  void infiniteStateSpaceIsStoppedWithAClearMessage() {
    Mdp<Integer, String> walk = Mdp.<Integer, String>reachable(Dist.dirac(0),
        s -> List.of("step"), (s, a) -> Dist.dirac(Outcome.of(s + 1, 0)), BigFraction.ONE);
    ModelException e = assertThrows(ModelException.class, () -> walk.tabulate(100));
    assertTrue(e.getMessage().contains("more than 100 states"), e.getMessage());
  }

  @Test
  void validationCollectsEveryProblemNamingStateAndAction() {
    Mdp<String, String> bad = Mdp.<String, String>of(List.of("a", "b", "c"),
        s -> switch (s) {
          case "a" -> List.of("x", "x");
          case "b" -> List.of();
          default -> List.of("y", "z");
        },
        (s, a) -> {
          if (a.equals("y")) {
            return Dist.dirac(Outcome.of("nowhere", 0));
          }
          if (a.equals("z")) {
            throw new IllegalStateException("boom");
          }
          return Dist.dirac(Outcome.of("a", 0));
        }, "3/2");
    ModelException e = assertThrows(ModelException.class, bad::tabulate);
    assertEquals(List.of(
        "mdp: discount 3/2 is outside [0, 1]",
        "mdp: state a, action x: listed twice",
        "mdp: state b: no available action (mark it terminal?)",
        "mdp: state c, action y: next state nowhere is not a declared state",
        "mdp: state c, action z: dynamics threw IllegalStateException: boom"), e.problems());
    assertTrue(e.getMessage().endsWith("(and 4 more problems)"), e.getMessage());
  }

  @Test
  void doubleProbabilitiesMakeAnInexactModel() {
    Mdp<String, String> m = Mdp.<String, String>of(List.of("a", "b"), s -> List.of("x"),
        (s, a) -> Dist.ofDoubles(List.of(Outcome.of("a", 0), Outcome.of("b", 1)),
            new double[] {0.3, 0.7}), 0.5);
    TabularMdp<String, String> t = m.tabulate();
    assertFalse(t.isExact());
    InexactModelException e = assertThrows(InexactModelException.class, t::exact);
    assertTrue(e.getMessage().contains("inexact"), e.getMessage());
    assertEquals(0.7, t.expectedReward("a", "x"), 1e-15);
  }

  @Test
  void tabularOfRejectsBrokenCsr() {
    Indexer<String> s = Indexer.numbered("state", 2);
    Indexer<String> a = Indexer.numbered("action", 1);
    ModelException e = assertThrows(ModelException.class, () -> TabularMdp.of("m", s, a,
        new int[] {0, 1, 2}, new int[] {0, 0}, new int[] {0, 2, 3}, new int[] {1, 0, 1},
        new double[] {0.5, 0.5, 1}, new double[] {0, Double.NaN}, new boolean[2], 0.9,
        new double[] {1, 0}, null));
    assertEquals(List.of("m: state 0, action 0: next states not strictly increasing at entry 1",
        "m: state 1, action 0: reward NaN is not finite"), e.problems());
    assertThrows(ModelException.class, () -> TabularMdp.of("m", s, a,
        new int[] {0, 1, 2}, new int[] {0, 0}, new int[] {0, 1, 2}, new int[] {1, 5},
        new double[] {1, 1}, new double[] {0, 0}, new boolean[2], 0.9,
        new double[] {1, 0}, null));
  }

  @Test
  void policiesTabulateAndCheckAvailability() {
    TabularMdp<String, Act> t = twoState().tabulate();
    TabularPolicy<String, Act> u = Policy.<String, Act>uniform().tabulate(t);
    assertEquals(new BigFraction(1, 2), u.at("s0").probability(Act.STAY));
    assertEquals(Act.GO, u.action("s1"));
    ModelException e = assertThrows(ModelException.class,
        () -> Policy.<String, Act>deterministic(s -> Act.STAY).tabulate(t));
    assertEquals("policy at state s1 picks action STAY, which is not available there",
        e.getMessage());
    QFunction<String, Act> q = QFunction.of(t, new double[] {1, 2, 0});
    TabularPolicy<String, Act> g = Policy.greedy(q).tabulate(t);
    assertEquals(Act.GO, g.action("s0"));
    TabularPolicy<String, Act> eg = Policy.epsilonGreedy(q, "1/10").tabulate(t);
    assertEquals(new BigFraction(19, 20), eg.at("s0").probability(Act.GO));
    assertEquals(2.0, q.maxValues().value("s0"));
    assertEquals(0.0, q.maxValues().value("end"));
  }
}
