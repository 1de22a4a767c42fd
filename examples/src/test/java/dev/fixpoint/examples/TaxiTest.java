package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.Taxi.Action;
import dev.fixpoint.examples.Taxi.State;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Taxi-v3 against Gymnasium's documented table (taxi.py: 500 states encoded ((row * 5 + col) * 5
 * + passenger) * 4 + destination; actions south, north, east, west, pickup, dropoff; -1 a step,
 * +20 for delivery, -10 for an illegal pickup or dropoff) and optimal values counted by hand on
 * the map (deterministic, gamma = 1: v* = 20 - (moves + pickups)).
 */
class TaxiTest {
  static final TabularMdp<State, Action> TAXI = Taxi.gymnasium().tabulate();
  static final int R = 0;
  static final int G = 1;
  static final int Y = 2;
  static final int B = 3;

  static State s(int row, int col, int passenger, int destination) {
    return new State(row, col, passenger, destination);
  }

  static void assertStep(State from, Action a, State to, long reward) {
    assertEquals(Dist.dirac(to), TAXI.transition(from, a), from + " " + a);
    assertEquals(new BigFraction(reward), TAXI.exactExpectedReward(from, a), from + " " + a);
  }

  @Test
  void fiveHundredStatesInGymnasiumsEncoding() {
    assertEquals(500, TAXI.numStates());
    assertEquals(6, TAXI.numActions());
    assertEquals(328, s(3, 1, Y, R).index()); // Gymnasium's docs: encode(3, 1, 2, 0) = 328
    for (int i = 0; i < 500; i++) {
      assertEquals(i, TAXI.states().value(i).index());
      assertEquals(State.ofIndex(i), TAXI.states().value(i));
    }
    int terminal = 0;
    int starts = 0;
    for (int i = 0; i < 500; i++) {
      terminal += TAXI.isTerminal(i) ? 1 : 0;
      starts += TAXI.initial(i) > 0 ? 1 : 0;
    }
    assertEquals(100, terminal); // passenger delivered: 25 cells x 4 destinations
    assertEquals(2400, TAXI.numRows());
    assertEquals(300, starts); // 25 cells x 4 stands x 3 other destinations
    assertEquals(1.0 / 300, TAXI.initial(s(2, 2, R, G).index()), 1e-15);
  }

  @Test
  void wallsBlockEastAndWestMoves() {
    assertStep(s(0, 1, R, G), Action.EAST, s(0, 1, R, G), -1); // "R: |": wall right of (0,1)
    assertStep(s(0, 0, R, G), Action.EAST, s(0, 1, R, G), -1);
    assertStep(s(2, 1, R, G), Action.EAST, s(2, 2, R, G), -1); // row 2 is open
    assertStep(s(4, 0, R, G), Action.EAST, s(4, 0, R, G), -1); // "|Y|"
    assertStep(s(4, 4, R, G), Action.WEST, s(4, 3, R, G), -1);
    assertStep(s(0, 0, R, G), Action.NORTH, s(0, 0, R, G), -1); // the edge
    assertStep(s(0, 0, R, G), Action.SOUTH, s(1, 0, R, G), -1);
  }

  @Test
  void pickupAndDropoffRules() {
    assertStep(s(0, 0, R, G), Action.PICKUP, s(0, 0, Taxi.IN_TAXI, G), -1);
    assertStep(s(0, 1, R, G), Action.PICKUP, s(0, 1, R, G), -10); // not where the passenger is
    assertStep(s(0, 4, Taxi.IN_TAXI, G), Action.DROPOFF, s(0, 4, G, G), 20); // delivered
    assertTrue(TAXI.isTerminal(TAXI.states().indexOf(s(0, 4, G, G))));
    assertStep(s(4, 0, Taxi.IN_TAXI, G), Action.DROPOFF, s(4, 0, Y, G), -1); // left at Y
    assertStep(s(2, 2, Taxi.IN_TAXI, G), Action.DROPOFF, s(2, 2, Taxi.IN_TAXI, G), -10);
    assertStep(s(0, 0, R, G), Action.DROPOFF, s(0, 0, R, G), -10); // no passenger aboard
  }

  @Test
  void optimalValuesAreTwentyMinusTheStepsCountedByHand() {
    Solution<State, Action> sol = PolicyIteration.solveExact(TAXI);
    // at B with the passenger aboard, destination B: drop off at once
    assertEquals(new BigFraction(20), sol.values().exactValue(s(4, 3, Taxi.IN_TAXI, B)));
    // one step west from (4,4) (":" between B and (4,4)), then drop off: 20 - 1
    assertEquals(new BigFraction(19), sol.values().exactValue(s(4, 4, Taxi.IN_TAXI, B)));
    // at R with the passenger at R, destination G: pick up (1), down 2, right 4, up 2 (8): 11
    assertEquals(new BigFraction(11), sol.values().exactValue(s(0, 0, R, G)));
    // aboard at Y, destination B: north 2, east 3, south 2 (walls "|Y|" and "| |" below row 2): 13
    assertEquals(new BigFraction(13), sol.values().exactValue(s(4, 0, Taxi.IN_TAXI, B)));
    // at Y, passenger waiting at R, destination B: north 4, pickup, then R to B in 7: 20 - 12 = 8
    assertEquals(new BigFraction(8), sol.values().exactValue(s(4, 0, R, B)));
    assertEquals(Action.PICKUP, sol.policy().action(s(0, 0, R, G)));
  }
}
