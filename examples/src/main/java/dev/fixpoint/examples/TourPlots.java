package dev.fixpoint.examples;

import dev.fixpoint.examples.plot.Convergence;
import dev.fixpoint.examples.plot.GridView;
import dev.fixpoint.examples.plot.LearningCurves;
import dev.fixpoint.examples.plot.PlotFiles;
import dev.fixpoint.examples.plot.Plots;
import dev.fixpoint.tabular.solve.PolicyIteration;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The pictures of the tour, as tasks the {@code fixpoint tour} command runs one by one (with a
 * progress bar) into its output folder. Each writes a PNG and an SVG.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TourPlots {
  private TourPlots() {}

  /**
   * One picture to draw.
   *
   * @param name the base file name (without extension)
   * @param title what it shows, for progress messages
   * @param write draws it into a folder
   */
  public record Task(String name, String title, Function<Path, PlotFiles> write) {}

  /** {@return the tour's pictures, in order} */
  public static List<Task> tasks() {
    return List.of(
        new Task("gridworld-3.5-optimal", "Example 3.5 grid world: v* and an optimal policy",
            dir -> Plots.write(Plots.heatMap("Grid world (S&B Example 3.5): v* and pi*",
                GridView.gridWorld(5), PolicyIteration.solveExact(
                    GridWorld.suttonBarto35().tabulate())), dir, "gridworld-3.5-optimal")),
        new Task("frozenlake-4x4", "FrozenLake 4x4 (slippery): success probabilities under pi*",
            dir -> Plots.write(Plots.heatMap("FrozenLake 4x4, slippery: P(goal) under pi*",
                GridView.frozenLake(FrozenLake.MAP_4X4), PolicyIteration.solveExact(
                    FrozenLake.fourByFour().tabulate())), dir, "frozenlake-4x4")),
        new Task("cliff-optimal", "Cliff walking: v* and the optimal path",
            dir -> Plots.write(Plots.heatMap("Cliff walking (S&B Example 6.6): v* and pi*",
                GridView.cliffWalking(), PolicyIteration.solveExact(
                    CliffWalking.suttonBarto().tabulate())), dir, "cliff-optimal")),
        new Task("forest-0.96-convergence",
            "value iteration on pymdptoolbox forest at gamma 0.96: residual per sweep",
            dir -> {
              var m = Forest.pymdptoolbox().tabulate()
                  .withDiscount(new org.apache.commons.math3.fraction.BigFraction(24, 25));
              return Plots.write(Plots.convergence("Forest, gamma 0.96: value iteration residuals",
                  List.of(Convergence.jacobi(m, 1e-10, 10_000),
                      Convergence.gaussSeidel(m, 1e-10, 10_000))), dir,
                  "forest-0.96-convergence");
            }),
        new Task("cliff-learning", "cliff walking: Sarsa vs Q-learning (Figure 6.4), 50 runs",
            dir -> Plots.write(LearningCurves.cliffWalking(2026, 50, 500, 10), dir,
                "cliff-learning")));
  }
}
