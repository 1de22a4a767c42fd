package dev.fixpoint.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.GridState.Cell;
import dev.fixpoint.dsl.GridState.Exit;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Layout parsing, gym-classics movement (gridworld.py: blocked and off-grid moves stay) and the
 * two reward conventions on a 1 x 3 corridor "S.G", every number worked out by hand in fractions.
 */
class GridLayoutTest {
  static final Cell S = new Cell(0, 0);
  static final Cell MID = new Cell(0, 1);
  static final Cell G = new Cell(0, 2);
  static final GridLayout CORRIDOR = GridLayout.of("S.G");

  static BigFraction f(long n, long d) {
    return new BigFraction(n, d);
  }

  static Dist<Outcome<GridState>> step(Mdp<GridState, GridMove> m, GridState s, GridMove a) {
    return m.dynamics().apply(s, a);
  }

  @Test
  void parsesCellsAndGymClassicsCoordinates() {
    GridLayout l = GridLayout.of("XX G", "S . ");
    assertEquals(2, l.height());
    assertEquals(4, l.width());
    assertEquals(new Cell(1, 0), l.start());
    assertEquals(List.of(new Cell(0, 3)), l.goals());
    assertTrue(l.isWall(new Cell(0, 1)));
    assertFalse(l.isWall(new Cell(1, 1)));
    // (x, y) with y up from the bottom row: (0,0) bottom left is S, (3,1) top right is G
    assertEquals(l.start(), l.cellAtXy(0, 0));
    assertEquals(new Cell(0, 3), l.cellAtXy(3, 1));
    assertThrows(IllegalArgumentException.class, () -> l.cellAtXy(4, 0));
  }

  @Test
  void blockedAndOffGridMovesStayInPlace() {
    GridLayout l = GridLayout.of("XX G", "S . ");
    Cell s = l.start();
    assertEquals(s, l.move(s, GridMove.UP)); // wall X above
    assertEquals(s, l.move(s, GridMove.LEFT)); // off the grid
    assertEquals(s, l.move(s, GridMove.DOWN)); // off the grid
    assertEquals(new Cell(1, 1), l.move(s, GridMove.RIGHT));
    assertEquals(new Cell(0, 2), l.move(new Cell(1, 2), GridMove.UP));
  }

  @Test
  void reachableCellsSkipWallsAndWalledOffCells() {
    // (0,0) is free but walled off by X at (0,1) and (1,0)
    GridLayout l = GridLayout.of(".XG", "X..", "S..");
    assertEquals(List.of(new Cell(2, 0), new Cell(2, 1), new Cell(1, 1), new Cell(2, 2),
        new Cell(1, 2), new Cell(0, 2)), l.reachableCells());
    assertEquals(4, l.shortestPath()); // right, right, up, up (or right, up, right, up)
  }

  @Test
  void enteringGoalPaysOnTheMoveInAndEnds() {
    BigFraction gamma = f(1, 2);
    Mdp<GridState, GridMove> m = CORRIDOR.toMdp(GridRules.enteringGoal()
        .withDiscount("1/2"));
    TabularMdp<GridState, GridMove> t = m.tabulate();
    assertEquals(3, t.numStates());
    assertTrue(t.isTerminal(t.states().indexOf(G)));
    assertFalse(t.states().contains(new Exit()));
    assertTrue(t.isExact());
    assertEquals(Dist.dirac(Outcome.<GridState>of(G, 1)), step(m, MID, GridMove.RIGHT));
    assertEquals(Dist.dirac(Outcome.<GridState>of(MID, 0)), step(m, S, GridMove.RIGHT));
    assertEquals(Dist.dirac(Outcome.<GridState>of(S, 0)), step(m, S, GridMove.LEFT));
    assertEquals(Dist.dirac(Outcome.<GridState>of(MID, 0)), step(m, MID, GridMove.UP));
    // always RIGHT by hand: v(G) = 0 (terminal), v(MID) = 1, v(S) = 0 + gamma * 1 = 1/2
    BigFraction vMid = t.exactExpectedReward(MID, GridMove.RIGHT);
    BigFraction vS = t.exactExpectedReward(S, GridMove.RIGHT).add(gamma.multiply(vMid));
    assertEquals(BigFraction.ONE, vMid);
    assertEquals(f(1, 2), vS);
  }

  @Test
  void actingFromGoalPaysOnTheWayOutThroughTheExit() {
    Mdp<GridState, GridMove> m = CORRIDOR.toMdp(GridRules.actingFromGoal(f(1, 2)));
    TabularMdp<GridState, GridMove> t = m.tabulate();
    assertEquals(4, t.numStates()); // three cells and the exit
    assertFalse(t.isTerminal(t.states().indexOf(G)));
    assertTrue(t.isTerminal(t.states().indexOf(new Exit())));
    assertEquals(List.of(GridMove.values()), t.availableActions(G));
    for (GridMove a : GridMove.values()) {
      assertEquals(Dist.dirac(Outcome.<GridState>of(new Exit(), 1)), step(m, G, a));
    }
    assertEquals(Dist.dirac(Outcome.<GridState>of(G, 0)), step(m, MID, GridMove.RIGHT));
    // always RIGHT by hand: v(G) = 1, v(MID) = 0 + 1/2 * 1, v(S) = 0 + 1/2 * 1/2 = gamma^2
    BigFraction vG = t.exactExpectedReward(G, GridMove.RIGHT);
    BigFraction vMid = t.exactExpectedReward(MID, GridMove.RIGHT).add(f(1, 2).multiply(vG));
    BigFraction vS = t.exactExpectedReward(S, GridMove.RIGHT).add(f(1, 2).multiply(vMid));
    assertEquals(f(1, 4), vS);
  }

  @Test
  void slipSpreadsHalfOfItsProbabilityToEachPerpendicularMove() {
    Mdp<GridState, GridMove> m = CORRIDOR.toMdp(GridRules.enteringGoal().withSlip("1/5"));
    // RIGHT from MID: right into G 4/5 (reward 1); up and down are off the grid, 1/10 each: stay
    assertEquals(Dist.<Outcome<GridState>>builder().add(Outcome.of(G, 1), f(4, 5))
        .add(Outcome.of(MID, 0), f(1, 5)).build(), step(m, MID, GridMove.RIGHT));
    // UP from S: up and left stay (4/5 + 1/10), right to MID 1/10
    Dist<Outcome<GridState>> up = step(m, S, GridMove.UP);
    assertEquals(f(9, 10), up.probability(Outcome.of(S, 0)));
    assertEquals(f(1, 10), up.probability(Outcome.of(MID, 0)));
    assertEquals(f(4, 5), m.tabulate().exactExpectedReward(MID, GridMove.RIGHT));
    // slip 1: only the perpendicular moves (FrozenLake with 2/3 keeps 1/3 straight ahead)
    Dist<Outcome<GridState>> all = step(CORRIDOR.toMdp(GridRules.enteringGoal().withSlip("1")),
        MID, GridMove.RIGHT);
    assertEquals(Dist.dirac(Outcome.<GridState>of(MID, 0)), all);
    Dist<Outcome<GridState>> frozen = step(CORRIDOR.toMdp(GridRules.enteringGoal()
        .withSlip("2/3")), MID, GridMove.UP);
    assertEquals(f(1, 3), frozen.probability(Outcome.of(G, 1)));
    assertEquals(f(1, 3), frozen.probability(Outcome.of(S, 0)));
    assertEquals(f(1, 3), frozen.probability(Outcome.of(MID, 0)));
  }

  @Test
  void stepRewardIsPaidOnEveryActionAndTheGoalRewardOnTop() {
    // Cliff Walking style: -1 per step, goal reward 0
    Mdp<GridState, GridMove> cliff = CORRIDOR.toMdp(GridRules.enteringGoal()
        .withStepReward("-1").withGoalReward("0"));
    assertEquals(Dist.dirac(Outcome.<GridState>of(G, -1)), step(cliff, MID, GridMove.RIGHT));
    assertEquals(Dist.dirac(Outcome.<GridState>of(S, -1)), step(cliff, S, GridMove.LEFT));
    Mdp<GridState, GridMove> acting = CORRIDOR.toMdp(GridRules.actingFromGoal(BigFraction.ONE)
        .withStepReward("-1/4").withGoalReward("5"));
    assertEquals(Dist.dirac(Outcome.<GridState>of(new Exit(), f(19, 4))),
        step(acting, G, GridMove.DOWN));
    assertEquals(Dist.dirac(Outcome.<GridState>of(G, f(-1, 4))),
        step(acting, MID, GridMove.RIGHT));
  }

  static ModelException bad(String... lines) {
    return assertThrows(ModelException.class, () -> GridLayout.of(lines));
  }

  @Test
  void validationNamesRowColumnAndRule() {
    assertEquals("grid layout: no start 'S'; expected exactly one", bad("..G").getMessage());
    assertEquals("grid layout: 2 starts 'S' at row 0, column 0; row 1, column 2; expected "
        + "exactly one", bad("S.G", "..S").getMessage());
    assertEquals("grid layout: row 1 has 2 characters, expected 3 (the length of row 0): rows "
        + "must all have the same length", bad("S.G", "..").getMessage());
    assertEquals("grid layout: row 0, column 1: character 'H' is not one of 'S' (start), "
        + "'G' (goal), 'X' (wall), '.' or ' ' (free)", bad("SHG").getMessage());
    assertEquals("grid layout: goal 'G' at row 0, column 2 cannot be reached from the start at "
        + "row 0, column 0 (walls 'X' cut it off)", bad("SXG").getMessage());
    assertEquals("grid layout: no goal 'G'; expected at least one", bad("S..").getMessage());
    assertEquals("grid layout: the map is empty", bad().getMessage());
    assertEquals("grid layout: the map is empty", bad("").getMessage());
  }

  @Test
  void validationCollectsEveryProblem() {
    ModelException e = bad("S?", "S", "q.");
    assertEquals(List.of(
        "grid layout: row 0, column 1: character '?' is not one of 'S' (start), 'G' (goal), "
            + "'X' (wall), '.' or ' ' (free)",
        "grid layout: row 1 has 1 characters, expected 2 (the length of row 0): rows must all "
            + "have the same length",
        "grid layout: row 2, column 0: character 'q' is not one of 'S' (start), 'G' (goal), "
            + "'X' (wall), '.' or ' ' (free)",
        "grid layout: 2 starts 'S' at row 0, column 0; row 1, column 0; expected exactly one",
        "grid layout: no goal 'G'; expected at least one"), e.problems());
  }

  @Test
  void rulesRejectProbabilitiesOutsideTheUnitInterval() {
    ModelException e = assertThrows(ModelException.class,
        () -> GridRules.enteringGoal().withSlip("3/2"));
    assertEquals("grid rules: slip probability 3/2 is outside [0, 1]", e.getMessage());
    e = assertThrows(ModelException.class, () -> GridRules.actingFromGoal(f(-1, 10)));
    assertEquals("grid rules: discount -1/10 is outside [0, 1]", e.getMessage());
  }
}
