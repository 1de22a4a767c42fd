package dev.fixpoint.tabular.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PropernessTest {

  @Test
  void selfLoopPolicyIsImproperAtItsState() {
    TabularMdp<String, String> m = TestModels.stayOrExit();
    TabularPolicy<String, String> stay = Policy.<String, String>deterministic(s -> "stay")
        .tabulate(m);
    TabularPolicy<String, String> exit = Policy.<String, String>deterministic(s -> "exit")
        .tabulate(m);
    assertEquals(OptionalInt.of(0), Properness.firstImproperState(m, stay));
    assertEquals(OptionalInt.empty(), Properness.firstImproperState(m, exit));
  }

  @Test
  void improperStatePropagatesToStatesThatReachIt() {
    // s0 -> s1 always; s1 may stay forever. Under "stay" in s1 both s0 and s1 are improper.
    TabularMdp<String, String> m = Mdp.<String, String>of(List.of("s0", "s1", "T"),
        s -> s.equals("s0") ? List.of("go") : List.of("stay", "exit"),
        (s, a) -> s.equals("s0") ? Dist.dirac(Outcome.of("s1", 0))
            : a.equals("stay") ? Dist.dirac(Outcome.of("s1", 0)) : Dist.dirac(Outcome.of("T", 0)),
        "1").withTerminal(Set.of("T")).tabulate();
    TabularPolicy<String, String> pi = Policy.<String, String>deterministic(
        s -> s.equals("s0") ? "go" : "stay").tabulate(m);
    assertEquals(OptionalInt.of(0), Properness.firstImproperState(m, pi));
  }

  @Test
  void stochasticPolicyThatExitsWithPositiveProbabilityIsProper() {
    TabularMdp<String, String> m = TestModels.stayOrExit();
    TabularPolicy<String, String> uniform = Policy.<String, String>uniform().tabulate(m);
    assertEquals(OptionalInt.empty(), Properness.firstImproperState(m, uniform));
  }

  @Test
  void properPolicyAvoidsTheSelfLoop() {
    TabularMdp<String, String> m = TestModels.stayOrExit();
    TabularPolicy<String, String> pi = Properness.properPolicy(m);
    assertEquals("exit", pi.action("s"));
    assertTrue(pi.isDeterministic());
  }

  @Test
  void properPolicyIsProperOnWalkOrJump() {
    TabularMdp<String, String> m = TestModels.walkOrJump();
    TabularPolicy<String, String> pi = Properness.properPolicy(m);
    assertEquals(OptionalInt.empty(), Properness.firstImproperState(m, pi));
  }

  // s0 reaches T only with probability 1/2 (else the absorbing trap): plain reachability would
  // accept it, almost-sure reachability must not. s0 is the first such state.
  @Test
  void properPolicyNamesTheFirstStateThatCannotTerminateAlmostSurely() {
    ModelException e = assertThrows(ModelException.class,
        () -> Properness.properPolicy(TestModels.halfTrap()));
    assertTrue(e.getMessage().contains("state s0:"), e.getMessage());
    assertTrue(e.getMessage().contains("probability 1"), e.getMessage());
  }

  @Test
  void properPolicyWithoutTerminalStatesSaysSo() {
    ModelException e = assertThrows(ModelException.class,
        () -> Properness.properPolicy(TestModels.cycle("1")));
    assertTrue(e.getMessage().contains("state A:") && e.getMessage().contains("no terminal state"),
        e.getMessage());
  }

  // Only a chain of "safe" actions terminates: in s1, "risky" may fall into the trap, "safe"
  // goes back to s0 or on to T. A proper policy must use safe in s1 and right in s0.
  @Test
  void properPolicyUsesOnlyActionsThatStayInTheWinningRegion() {
    TabularMdp<String, String> m = Mdp.<String, String>of(List.of("s0", "s1", "trap", "T"),
        s -> switch (s) {
          case "s0" -> List.of("right");
          case "s1" -> List.of("risky", "safe");
          default -> List.of("stay");
        },
        (s, a) -> switch (s) {
          case "s0" -> Dist.dirac(Outcome.of("s1", 0));
          case "s1" -> a.equals("risky")
              ? Dist.<Outcome<String>>builder().add(Outcome.of("T", 0), "9/10")
                  .add(Outcome.of("trap", 0), "1/10").build()
              : Dist.<Outcome<String>>builder().add(Outcome.of("s0", 0), "1/2")
                  .add(Outcome.of("T", 0), "1/2").build();
          default -> Dist.dirac(Outcome.of("trap", 0));
        }, "1").withTerminal(Set.of("T")).tabulate();
    ModelException e = assertThrows(ModelException.class, () -> Properness.properPolicy(m));
    assertTrue(e.getMessage().contains("state trap:"), e.getMessage());
    boolean[] allowed = new boolean[m.numRows()];
    java.util.Arrays.fill(allowed, true);
    int[] rows = Properness.properRows(m, allowed);
    assertEquals("safe", m.actions().value(m.rowAction(rows[1])));
    assertEquals(-1, rows[2]);
  }
}
