package dev.fixpoint.examples.gflownet;

import dev.fixpoint.dsl.gflownet.BackwardPolicy;
import dev.fixpoint.dsl.gflownet.BackwardTable;
import dev.fixpoint.dsl.gflownet.Loss;
import dev.fixpoint.dsl.gflownet.TabularFlowNetwork;
import dev.fixpoint.examples.plot.Glyph;
import dev.fixpoint.examples.plot.HeatGrid;
import dev.fixpoint.examples.plot.LineFigure;
import dev.fixpoint.examples.plot.Plots;
import dev.fixpoint.examples.plot.Series;
import dev.fixpoint.tabular.gflownet.Flows;
import dev.fixpoint.tabular.gflownet.GfnEvaluation;
import dev.fixpoint.tabular.gflownet.GfnRun;
import dev.fixpoint.tabular.gflownet.GfnTrainer;
import dev.fixpoint.tabular.gflownet.HyperGrid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Tabular TB, DB, SubTB(0.9) and FM on a 2-D HyperGrid with torchgfn's original reward (R0, R1,
 * R2) = (0.1, 0.5, 2), uniform P_B, batch 16, Adam with log Z learning rate 0.1 (the settings of
 * torchgfn's {@code policy_gradient_gflownets.ipynb}, with a table of logits in place of the MLP),
 * evaluated exactly by the forward push every 100 steps. Run {@code main} for the pictures.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class HyperGridTraining {
  private HyperGridTraining() {}

  /** The losses compared, with their names. */
  public static final List<Loss> LOSSES = List.of(Loss.tb(), Loss.db(), Loss.subTb(), Loss.fm());

  /**
   * {@return a short name of a loss: TB, DB, SubTB, FM, ...}
   * @param loss the loss
   */
  public static String name(Loss loss) {
    return switch (loss) {
      case Loss.TrajectoryBalance t -> "TB";
      case Loss.DetailedBalance d -> "DB";
      case Loss.SubTrajectoryBalance s -> "SubTB";
      case Loss.FlowMatching f -> "FM";
      case Loss.ForwardLookingDb f -> "FL-DB";
      case Loss.ModifiedDb m -> "MDB";
      case Loss.ZVar z -> "ZVar";
    };
  }

  /**
   * One training run per loss.
   *
   * @param height the grid side H (D = 2)
   * @param trajectories the budget of fresh trajectories
   * @param learningRate the logits' Adam step size
   * @param seed the seed of every run
   * @return the runs, in the order of {@link #LOSSES}
   */
  public static List<GfnRun> train(int height, long trajectories, double learningRate,
      long seed) {
    HyperGrid grid = HyperGrid.of(2, height);
    TabularFlowNetwork<List<Integer>> net = grid.tabulate();
    BackwardTable pb = net.backward(BackwardPolicy.uniform());
    List<GfnRun> runs = new ArrayList<>();
    for (Loss loss : LOSSES) {
      runs.add(GfnTrainer.of(loss).withLearningRates(learningRate, 0.1)
          .run(net, pb, grid.modes(), trajectories, seed));
    }
    return runs;
  }

  /**
   * {@return exact TV against trajectories sampled, one curve per loss}
   * @param title the title
   * @param runs the runs, in the order of {@link #LOSSES}
   */
  public static LineFigure tvFigure(String title, List<GfnRun> runs) {
    List<Series> curves = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      List<GfnEvaluation> ev = runs.get(i).evaluations();
      double[] x = new double[ev.size()];
      double[] y = new double[ev.size()];
      for (int k = 0; k < ev.size(); k++) {
        x[k] = Math.max(1, ev.get(k).trajectories());
        y[k] = ev.get(k).distance().tv();
      }
      curves.add(new Series(name(LOSSES.get(i)), x, y));
    }
    return LineFigure.of(title, "trajectories sampled", "exact TV(P_T, R/Z)", true, curves);
  }

  /**
   * {@return a heat map of a distribution over a 2-D grid's states (row = first coordinate)}
   * @param title the title
   * @param height H
   * @param distribution probabilities indexed like the grid's states
   */
  public static HeatGrid heatMap(String title, int height, double[] distribution) {
    double[][] v = new double[height][height];
    Glyph[][] g = new Glyph[height][height];
    List<String> labels = new ArrayList<>();
    for (int r = 0; r < height; r++) {
      labels.add(Integer.toString(r));
      for (int c = 0; c < height; c++) {
        v[r][c] = distribution[r * height + c];
        g[r][c] = Glyph.blank();
      }
    }
    return new HeatGrid(title, v, g, false, "coordinate 2", "coordinate 1", labels, labels);
  }

  /**
   * {@return one table row per run: loss, final exact TV, L1 sum and mean, JSD, log Z error,
   * modes found}
   * @param height H
   * @param runs the runs, in the order of {@link #LOSSES}
   */
  public static String table(int height, List<GfnRun> runs) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "%-6s %-6s %10s %8s %8s %9s %9s %9s %6s%n", "grid", "loss", "traj", "TV", "L1sum",
        "L1mean", "JSD", "|dlogZ|", "modes"));
    for (int i = 0; i < runs.size(); i++) {
      GfnEvaluation e = runs.get(i).last();
      b.append(String.format(Locale.ROOT, "%-6s %-6s %10d %8.4f %8.4f %9.6f %9.6f %9.4f %6d%n",
          height + "x" + height, name(LOSSES.get(i)), e.trajectories(), e.distance().tv(),
          e.distance().l1Sum(), e.distance().l1Mean(), e.distance().jsd(), e.logZError(),
          e.modesFound()));
    }
    return b.toString();
  }

  /**
   * Trains on 8x8 and 16x16 (32,000 trajectories, seed 0), prints the table and writes the TV
   * curves and the heat maps (true R/Z and each loss's learned P_T on 16x16) as PNG and SVG.
   *
   * @param args [folder (default target/gflownet)] [learning rate (default 0.01)]
   */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/gflownet");
    double lr = args.length > 1 ? Double.parseDouble(args[1]) : 0.01;
    for (int h : new int[] {8, 16}) {
      List<GfnRun> runs = train(h, 32_000, lr, 0);
      System.out.print(table(h, runs));
      Plots.write(tvFigure("HyperGrid " + h + "x" + h + ", tabular, lr " + lr, runs), dir,
          "hypergrid-" + h + "-tv");
      if (h == 16) {
        HyperGrid grid = HyperGrid.of(2, h);
        Plots.write(heatMap("R/Z on 16x16", h, Flows.target(grid.tabulate())), dir,
            "hypergrid-16-target");
        for (int i = 0; i < runs.size(); i++) {
          Plots.write(heatMap("learned P_T, " + name(LOSSES.get(i)) + ", 32000 trajectories", h,
              runs.get(i).terminal()), dir, "hypergrid-16-" + name(LOSSES.get(i)));
        }
      }
    }
    System.out.println("pictures in " + dir.toAbsolutePath());
  }
}
