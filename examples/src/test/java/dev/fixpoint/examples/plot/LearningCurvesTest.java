package dev.fixpoint.examples.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.examples.CliffWalking;
import dev.fixpoint.examples.GridWorld.Cell;
import dev.fixpoint.tabular.learn.ControlRun;
import dev.fixpoint.tabular.learn.QLearning;
import dev.fixpoint.tabular.learn.RunOptions;
import dev.fixpoint.tabular.learn.Sarsa;
import dev.fixpoint.tabular.learn.Trials;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator.SplittableGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learning curves: the series are the mean returns of the runs; Figure 6.4's ordering holds. */
class LearningCurvesTest {

  @Test
  void meanReturnsAreTheMeanOverRunsOfEachEpisodesReturn() {
    TabularMdp<Cell, CliffWalking.Move> m = CliffWalking.suttonBarto().tabulate();
    Series s = LearningCurves.meanReturns(m, Sarsa.of(0.5, 0.1), 9, 3, 20, RunOptions.defaults());
    SplittableGenerator[] g = Trials.generators(9, 3);
    double[] sum = new double[20];
    for (int i = 0; i < 3; i++) {
      ControlRun<Cell, CliffWalking.Move> run =
          Sarsa.of(0.5, 0.1).run(m, 20, g[i], RunOptions.defaults());
      double[] r = run.returns();
      for (int e = 0; e < 20; e++) {
        sum[e] += r[e] / 3;
      }
    }
    assertArrayEquals(sum, s.y(), 1e-9);
    assertEquals(1.0, s.x()[0]);
    assertEquals(Sarsa.of(0.5, 0.1).label(), s.name());
  }

  @Test
  void sarsaEarnsMoreOnlineThanQLearningOnTheCliff(@TempDir Path dir) throws Exception {
    // Sutton & Barto 2018, Figure 6.4: with epsilon = 0.1 Sarsa's online return (about -25) is
    // above Q-learning's (about -50)
    LineFigure f = LearningCurves.cliffWalking(2024, 10, 300, 1);
    assertEquals(2, f.series().size());
    double[] sarsa = f.series().get(0).y();
    double[] q = f.series().get(1).y();
    assertEquals(300, sarsa.length);
    assertTrue(mean(sarsa, 100) > mean(q, 100) + 10, mean(sarsa, 100) + " vs " + mean(q, 100));
    assertTrue(f.series().get(1).name().startsWith("Q-learning"));
    assertEquals(-100.0, f.yRange().get().min());
    PlotsTest.assertPictures(Plots.write(f, dir, "cliff-curves"));
  }

  @Test
  void sameSeedSameCurves() {
    TabularMdp<Cell, CliffWalking.Move> m = CliffWalking.suttonBarto().tabulate();
    Series a = LearningCurves.meanReturns(m, QLearning.of(0.5, 0.1), 5, 4, 30,
        RunOptions.defaults());
    Series b = LearningCurves.meanReturns(m, QLearning.of(0.5, 0.1), 5, 4, 30,
        RunOptions.defaults());
    assertArrayEquals(a.y(), b.y());
  }

  static double mean(double[] y, int from) {
    double s = 0;
    for (int i = from; i < y.length; i++) {
      s += y[i];
    }
    return s / (y.length - from);
  }

  static List<String> names(LineFigure f) {
    return f.series().stream().map(Series::name).toList();
  }
}
