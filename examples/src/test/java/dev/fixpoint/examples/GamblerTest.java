package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.Gambler.Capital;
import dev.fixpoint.examples.Gambler.Stake;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class GamblerTest {
  private static final TabularMdp<Capital, Stake> BOOK = Gambler.suttonBarto().tabulate();

  private static Capital cap(int d) {
    return new Capital(d);
  }

  private static List<Stake> stakes(int from, int to) {
    List<Stake> out = new ArrayList<>();
    for (int a = from; a <= to; a++) {
      out.add(new Stake(a));
    }
    return out;
  }

  @Test
  void statesAreCapitalZeroToGoalWithBothEndsTerminal() {
    assertEquals(101, BOOK.numStates());
    for (int s = 0; s <= 100; s++) {
      assertEquals(s == 0 || s == 100, BOOK.isTerminal(BOOK.states().indexOf(cap(s))), "" + s);
    }
    // rows: sum over s = 1..99 of min(s, 100 - s) = 2 (1 + ... + 49) + 50
    assertEquals(2 * 1225 + 50, BOOK.numRows());
    assertEquals(BigFraction.ONE, BOOK.exact().discount());
  }

  @Test
  void stakesRunFromOneToWhatCanBeLostOrIsNeeded() {
    assertEquals(stakes(1, 1), BOOK.availableActions(cap(1)));
    assertEquals(stakes(1, 30), BOOK.availableActions(cap(30)));
    assertEquals(stakes(1, 50), BOOK.availableActions(cap(50)));
    assertEquals(stakes(1, 30), BOOK.availableActions(cap(70)));
    assertEquals(stakes(1, 1), BOOK.availableActions(cap(99)));
  }

  @Test
  void headsWinTheStakeWithTwoFifthsAndOnlyTheGoalPays() {
    // Example 4.3: p_h = 0.4; reward +1 on reaching the goal, 0 otherwise
    assertEquals(Dist.<Capital>builder().add(cap(100), "2/5").add(cap(0), "3/5").build(),
        BOOK.transition(cap(50), new Stake(50)));
    assertEquals(new BigFraction(2, 5), BOOK.exactExpectedReward(cap(50), new Stake(50)));
    assertEquals(Dist.<Capital>builder().add(cap(35), "2/5").add(cap(15), "3/5").build(),
        BOOK.transition(cap(25), new Stake(10)));
    assertEquals(BigFraction.ZERO, BOOK.exactExpectedReward(cap(25), new Stake(10)));
    assertEquals(new BigFraction(2, 5), BOOK.exactExpectedReward(cap(99), new Stake(1)));
  }

  @Test
  void boldPlayValuesAreConsistentWithTheBellmanEquation() {
    // By hand (bold play is optimal for p_h < 1/2, Dubins & Savage 1965): v*(25) = 4/25,
    // v*(50) = 2/5, v*(75) = 16/25, and v* at the terminals is 0. Each satisfies its bold-play
    // equation in our model: v(50) = q(50, stake 50), v(25) = q(25, stake 25), v(75) = q(75, 25).
    BigFraction[] v = new BigFraction[101];
    java.util.Arrays.fill(v, BigFraction.ZERO);
    v[25] = new BigFraction(4, 25);
    v[50] = new BigFraction(2, 5);
    v[75] = new BigFraction(16, 25);
    assertEquals(v[50], ExactBellman.q(BOOK, v, BOOK.row(50, BOOK.actions().indexOf(new Stake(50)))));
    assertEquals(v[25], ExactBellman.q(BOOK, v, BOOK.row(25, BOOK.actions().indexOf(new Stake(25)))));
    assertEquals(v[75], ExactBellman.q(BOOK, v, BOOK.row(75, BOOK.actions().indexOf(new Stake(25)))));
  }

  @Test
  void otherProbabilitiesAndGoals() {
    TabularMdp<Capital, Stake> sure = Gambler.of(BigFraction.ONE, 4).tabulate();
    assertEquals(Dist.dirac(cap(4)), sure.transition(cap(2), new Stake(2)));
    assertEquals(5, sure.numStates());
    assertEquals(1 + 2 + 1, sure.numRows());
  }

  @Test
  void badParametersAreRefusedNamingTheValue() {
    ModelException p = assertThrows(ModelException.class,
        () -> Gambler.of(new BigFraction(3, 2), 10));
    assertTrue(p.getMessage().contains("3/2") && p.getMessage().contains("[0, 1]"), p.getMessage());
    ModelException g = assertThrows(ModelException.class,
        () -> Gambler.of(new BigFraction(1, 2), 1));
    assertTrue(g.getMessage().contains("goal 1"), g.getMessage());
  }
}
