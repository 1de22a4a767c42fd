package dev.fixpoint.tabular.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.learn.LearnModels.Cell;
import dev.fixpoint.tabular.learn.LearnModels.Move;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cliff Walking, Sutton &amp; Barto 2018, Example 6.6 and Figure 6.4 (epsilon = 0.1, alpha = 0.5):
 * Sarsa learns the longer, safer path and earns more per episode while exploring; Q-learning
 * learns the optimal path along the edge of the cliff and falls off more often. Figure 6.3: Expected
 * Sarsa does better than Sarsa at alpha = 0.5. Only robust inequalities over 20 fixed-seed runs
 * are asserted.
 */
class CliffWalkingTest {
  static final TabularMdp<Cell, Move> CLIFF = LearnModels.cliff();
  static final int RUNS = 20;
  static final int EPISODES = 500;

  static List<ControlRun<Cell, Move>> runs(Control learner) {
    return Trials.run(606, RUNS, g -> learner.run(CLIFF, EPISODES, g, RunOptions.defaults()));
  }

  /** Mean over runs and over episodes 100 .. 500 of the return as lived. */
  static double onlineReturn(List<ControlRun<Cell, Move>> runs) {
    double[] mean = Trials.mean(runs.stream().map(ControlRun::returns).toList());
    double sum = 0;
    for (int e = 99; e < EPISODES; e++) {
      sum += mean[e];
    }
    return sum / (EPISODES - 99);
  }

  /** The cells visited by following a greedy policy from the start, at most 60 moves. */
  static List<Cell> greedyPath(TabularPolicy<Cell, Move> greedy) {
    List<Cell> path = new ArrayList<>();
    Cell s = LearnModels.START;
    path.add(s);
    for (int i = 0; i < 60 && !s.equals(LearnModels.GOAL); i++) {
      s = CLIFF.transition(s, greedy.action(s)).outcome(0);
      path.add(s);
    }
    return path;
  }

  /** Whether a path reaches the goal without entering row 2 between columns 1 and 10. */
  static boolean safe(List<Cell> path) {
    return path.get(path.size() - 1).equals(LearnModels.GOAL)
        && path.stream().noneMatch(c -> c.row() == 2 && c.col() >= 1 && c.col() <= 10);
  }

  /** The optimal path: up, eleven steps right along row 2, down (13 moves, return -13). */
  static List<Cell> edgePath() {
    List<Cell> p = new ArrayList<>(List.of(LearnModels.START));
    for (int c = 0; c <= 11; c++) {
      p.add(new Cell(2, c));
    }
    p.add(LearnModels.GOAL);
    return p;
  }

  @Test
  void modelIsTheBooksGrid() {
    // 4 x 12 cells minus the 10 cliff cells; 4 moves in each of the 37 non-terminal cells
    assertEquals(38, CLIFF.numStates());
    assertEquals(37 * 4, CLIFF.numRows());
    assertEquals(-100, CLIFF.expectedReward(new Cell(2, 5), Move.DOWN));
    assertEquals(LearnModels.START, CLIFF.transition(new Cell(2, 5), Move.DOWN).outcome(0));
    assertEquals(-1, CLIFF.expectedReward(new Cell(0, 0), Move.UP));
  }

  @Test
  void sarsaEarnsMoreOnlineThanQLearning() {
    double sarsa = onlineReturn(runs(Sarsa.of(0.5, 0.1)));
    double q = onlineReturn(runs(QLearning.of(0.5, 0.1)));
    double expected = onlineReturn(runs(ExpectedSarsa.of(0.5, 0.1)));
    // Figure 6.4: Sarsa near -25, Q-learning near -50
    assertTrue(sarsa > q + 10, "Sarsa " + sarsa + ", Q-learning " + q);
    assertTrue(expected > sarsa, "Expected Sarsa " + expected + ", Sarsa " + sarsa);
  }

  @Test
  void qLearningsGreedyPathRunsAlongTheCliff() {
    List<ControlRun<Cell, Move>> runs = runs(QLearning.of(0.5, 0.1));
    for (ControlRun<Cell, Move> r : runs) {
      assertEquals(edgePath(), greedyPath(r.greedyPolicy()));
    }
  }

  @Test
  void sarsasGreedyPathIsTheSaferOne() {
    List<ControlRun<Cell, Move>> runs = runs(Sarsa.of(0.5, 0.1));
    // Q averaged over the runs: its greedy path keeps away from the cliff edge
    double[] meanQ = Trials.mean(runs.stream().map(r -> r.q().toArray()).toList());
    List<Cell> path = greedyPath(QPolicy.greedy().tabulate(CLIFF, meanQ));
    assertTrue(safe(path), path.toString());
    assertTrue(path.size() > edgePath().size(), "longer than the edge path");
    // and so does most single runs' greedy path (constant alpha = 0.5 keeps Q noisy)
    long safeRuns = runs.stream().filter(r -> safe(greedyPath(r.greedyPolicy()))).count();
    assertTrue(safeRuns >= RUNS / 2, safeRuns + " of " + RUNS);
  }
}
