package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.JacksCarRental.Lots;
import dev.fixpoint.examples.JacksCarRental.Parameters;
import dev.fixpoint.examples.JacksCarRental.Transfer;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Jack's car rental, Sutton &amp; Barto 2018, Example 4.2 and Figure 4.2. The figure shows the
 * optimal policy as regions of equal action and v* as a surface; only what can be read off it is
 * asserted: 5 cars moved at (20, 0), none in the middle of the grid, cars moved towards the first
 * location when the second is full and the first empty, and v* between about 420 and 612 (the
 * labels of the figure's value axis). Our v* runs from 421.4 to 637.0: the lower end agrees with
 * the figure's label; the upper end lies above it (this model keeps the whole Poisson tail; the
 * book's program is not published with the book), so the upper end is only bounded by hand.
 */
class JacksCarRentalTest {
  static final TabularMdp<Lots, Transfer> JACK = JacksCarRental.suttonBarto().tabulate();
  static final Solution<Lots, Transfer> OPT = PolicyIteration.solve(JACK);

  static int move(int first, int second) {
    return OPT.policy().action(new Lots(first, second)).cars();
  }

  @Test
  void fourHundredFortyOneStatesAndFeasibleTransfersOnly() {
    assertEquals(441, JACK.numStates());
    assertFalse(JACK.isExact()); // e^-lambda: the double tier only
    assertEquals(List.of(new Transfer(0)), JACK.availableActions(new Lots(0, 0)));
    assertEquals(11, JACK.availableActions(new Lots(10, 10)).size()); // -5 .. +5
    assertEquals(new Transfer(-2), JACK.availableActions(new Lots(2, 2)).get(0));
    assertEquals(new Transfer(2), JACK.availableActions(new Lots(2, 2)).get(4));
    assertThrows(InexactModelException.class, () -> PolicyIteration.solveExact(JACK));
  }

  @Test
  void expectedRewardIsTenPerExpectedRentalMinusTwoPerCarMoved() {
    // Hand: with 1 car at each location after the move, a car is rented when requests >= 1:
    // P = 1 - e^-3 (first) and 1 - e^-4 (second); moving none costs nothing
    double r = 10 * ((1 - Math.exp(-3)) + (1 - Math.exp(-4)));
    assertEquals(r, JACK.expectedReward(new Lots(1, 1), new Transfer(0)), 1e-9);
    // from (2, 0) moving one car gives (1, 1) after the move, minus $2
    assertEquals(r - 2, JACK.expectedReward(new Lots(2, 0), new Transfer(1)), 1e-9);
    // the transition law sums to 1 (tails put on 0 rentals left and on the cap of 20)
    double sum = 0;
    for (Lots s : JACK.transition(new Lots(20, 20), new Transfer(0)).support()) {
      sum += JACK.transition(new Lots(20, 20), new Transfer(0)).probabilityAsDouble(s);
    }
    assertEquals(1.0, sum, 1e-12);
  }

  @Test
  void policyMatchesFigureFourTwo() {
    assertTrue(OPT.converged());
    assertEquals(5, move(20, 0)); // top-left corner of pi_4: move 5 to the second location
    assertEquals(0, move(0, 0));
    assertEquals(0, move(10, 10)); // the 0 band around the diagonal
    assertTrue(move(0, 20) < 0, "move cars to the first location: " + move(0, 20));
    for (Lots s : JACK.states().values()) {
      int a = OPT.policy().action(s).cars();
      assertTrue(a >= -5 && a <= 5);
    }
  }

  @Test
  void optimalValuesLieOnTheFiguresScale() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < JACK.numStates(); i++) {
      min = Math.min(min, OPT.values().valueAt(i));
      max = Math.max(max, OPT.values().valueAt(i));
    }
    // the figure's axis starts at 420
    assertTrue(min > 415 && min < 430, "min " + min);
    // by hand: at most 3 + 4 cars are asked for a day, so v* <= 10 * 7 / (1 - 0.9) = 700
    assertTrue(max > 600 && max < 700, "max " + max);
  }

  @Test
  void parametersAreChecked() {
    ModelException e = assertThrows(ModelException.class,
        () -> new Parameters(0, 5, 10, 2, 3, -4, 3, 2, new BigFraction(9, 10)));
    assertTrue(e.getMessage().contains("maxCars 0"), e.getMessage());
    assertTrue(e.problems().get(1).contains("requestsSecond = -4.0"), e.problems().toString());
  }

  @Test
  void cappedPoissonPutsTheTailOnTheCap() {
    double[] p = JacksCarRental.capped(3, 2);
    assertEquals(Math.exp(-3), p[0], 1e-15);
    assertEquals(3 * Math.exp(-3), p[1], 1e-15);
    assertEquals(1 - 4 * Math.exp(-3), p[2], 1e-15);
  }
}
