package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.GridLayout;
import dev.fixpoint.dsl.GridMove;
import dev.fixpoint.dsl.GridState;
import dev.fixpoint.dsl.GridState.Cell;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.solve.PolicyIteration;
import dev.fixpoint.tabular.solve.Solution;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * The four Bifurcation tasks against the table of spec traces.md section 5.2 (start, goals,
 * shortest path in actions, optimal return 0.9^(actions - 1), free cells counted by BFS), itself
 * read from the paper's repository (trajectory_aware_etraces/envs/bifurcation{1..4}.py and
 * configs/*.yml, field shortest_path).
 */
class BifurcationTest {

  record Expected(GridLayout layout, Mdp<GridState, GridMove> mdp, int[] startXy,
      int[][] goalsXy, int shortestPathActions, int cells) {}

  static final List<Expected> TABLE = List.of(
      new Expected(Bifurcation.LAYOUT_1, Bifurcation.one(), new int[] {0, 0},
          new int[][] {{4, 2}}, 7, 14),
      new Expected(Bifurcation.LAYOUT_2, Bifurcation.two(), new int[] {3, 0},
          new int[][] {{2, 6}}, 8, 34),
      new Expected(Bifurcation.LAYOUT_3, Bifurcation.three(), new int[] {2, 1},
          new int[][] {{0, 3}, {0, 4}, {0, 5}}, 5, 31),
      new Expected(Bifurcation.LAYOUT_4, Bifurcation.four(), new int[] {0, 0},
          new int[][] {{3, 3}}, 7, 43));

  @Test
  void startAndGoalsAreTheSpecsCoordinates() {
    for (Expected e : TABLE) {
      GridLayout l = e.layout();
      assertEquals(l.cellAtXy(e.startXy()[0], e.startXy()[1]), l.start());
      assertEquals(e.goalsXy().length, l.goals().size());
      for (int[] g : e.goalsXy()) {
        assertTrue(l.goals().contains(l.cellAtXy(g[0], g[1])), "goal " + g[0] + "," + g[1]);
      }
    }
  }

  @Test
  void reachableStateCountsAreTheSpecsFreeCellsPlusTheExit() {
    for (Expected e : TABLE) {
      assertEquals(e.cells(), e.layout().reachableCells().size(), e.mdp().name());
      TabularMdp<GridState, GridMove> t = e.mdp().tabulate();
      assertEquals(e.cells() + 1, t.numStates(), e.mdp().name());
      assertEquals(4 * e.cells(), t.numRows(), e.mdp().name()); // the exit has no rows
      assertTrue(t.isTerminal(t.states().indexOf(new GridState.Exit())));
      assertTrue(t.isExact());
    }
  }

  @Test
  void shortestPathsTakeTheSpecsNumberOfActions() {
    for (Expected e : TABLE) {
      // moves to a goal, plus the action taken on the goal
      assertEquals(e.shortestPathActions(), e.layout().shortestPath() + 1, e.mdp().name());
    }
  }

  @Test
  void optimalStartValueIsGammaToTheActionsMinusOne() {
    for (Expected e : TABLE) {
      TabularMdp<GridState, GridMove> t = e.mdp().tabulate();
      Solution<GridState, GridMove> s = PolicyIteration.solveExact(t);
      BigFraction expected = new BigFraction(9, 10).pow(e.shortestPathActions() - 1);
      assertEquals(expected, s.values().exactValue(e.layout().start()), e.mdp().name());
      for (Cell g : e.layout().goals()) {
        assertEquals(BigFraction.ONE, s.values().exactValue(g), e.mdp().name() + " goal " + g);
      }
    }
  }

  @Test
  void bifurcationOneForksAtTwoZero() {
    // spec 5.2: short route 6 moves via (4,0), long route 10 moves via (2,4), fork at (2,0)
    GridLayout l = Bifurcation.LAYOUT_1;
    Solution<GridState, GridMove> s = PolicyIteration.solveExact(Bifurcation.one().tabulate());
    Cell fork = l.cellAtXy(2, 0);
    BigFraction gamma = new BigFraction(9, 10);
    assertEquals(gamma.pow(4), s.values().exactValue(fork)); // 4 moves on, then act on G
    assertEquals(gamma.pow(4), s.q().exactValue(fork, GridMove.RIGHT));
    // up to (2,1), whose best is back down through the fork: 1 + 5 moves, then act on G
    assertEquals(gamma.pow(6), s.q().exactValue(fork, GridMove.UP));
    assertFalse(l.isWall(l.cellAtXy(2, 4)));
  }
}
