package dev.fixpoint.examples.mirror;

import dev.fixpoint.dsl.Bound;
import dev.fixpoint.dsl.MirrorMap;
import dev.fixpoint.dsl.StepSize;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.examples.GridWorld;
import dev.fixpoint.examples.plot.LineFigure;
import dev.fixpoint.examples.plot.PlotFiles;
import dev.fixpoint.examples.plot.Plots;
import dev.fixpoint.examples.plot.Series;
import dev.fixpoint.tabular.learn.Trials;
import dev.fixpoint.tabular.mirror.MirrorRun;
import dev.fixpoint.tabular.mirror.PolicyMirrorDescent;
import dev.fixpoint.tabular.random.Garnet;
import dev.fixpoint.theory.mirror.MirrorBounds;
import dev.fixpoint.theory.mirror.Optimum;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Policy mirror descent against its convergence bounds: on Sutton &amp; Barto's Example 3.5
 * gridworld and on a Garnet(20, 4, 3) random MDP (seed 2026, gamma 0.9), the gap V*(rho) -
 * V^{pi_k}(rho) per iteration (rho uniform over the states) for the KL, Euclidean and Tsallis(1/2)
 * mirror maps under a constant step (1/10), geometric steps (eta_0 = 1/10, ratio 1/gamma) and
 * Johnson et al.'s adaptive steps (c_0 = 1), each beside the rate of {@link MirrorBounds} for its
 * schedule (spec A2.2, A2.3, A2.4; the adaptive rate bounds the sup-norm gap, hence also the
 * rho-gap). Every run starts from the uniform policy.
 *
 * <p>{@link #main} prints a table and writes one log-scale figure per model and schedule (PNG and
 * SVG) with the measured gaps (solid) and their bounds.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class MirrorDescentExample {
  /** The mirror maps compared. */
  public static final List<MirrorMap> MAPS = List.of(MirrorMap.kl(), MirrorMap.euclidean(),
      MirrorMap.tsallis(0.5));

  /** The step schedules compared, with their names. */
  public static final List<StepSize> STEPS = List.of(StepSize.constant("1/10"),
      StepSize.geometric("1/10"), StepSize.adaptive("1"));

  private MirrorDescentExample() {}

  /**
   * One run: its gaps and bounds per iterate (a run that stopped early keeps its last policy, so
   * its last gap is repeated).
   *
   * @param model the model's label
   * @param map the mirror map
   * @param step the schedule
   * @param gap V*(rho) - V^{pi_k}(rho), k = 0 .. updates
   * @param bound the rate's value at each k (+infinity where vacuous, e.g. k = 0 for constant
   *     steps)
   * @param stop how the run ended
   */
  public record Curve(String model, MirrorMap map, StepSize step, double[] gap, double[] bound,
      MirrorRun.Stop stop) {
    /** {@return the largest gap / bound over the finite bounds (at most 1 when every bound holds)} */
    public double worstRatio() {
      double w = 0;
      for (int k = 0; k < gap.length; k++) {
        if (Double.isFinite(bound[k]) && bound[k] > 0) {
          w = Math.max(w, gap[k] / bound[k]);
        } else if (Double.isFinite(bound[k]) && gap[k] > 1e-12) {
          w = Double.POSITIVE_INFINITY;
        }
      }
      return w;
    }
  }

  /** {@return the Example 3.5 gridworld} */
  public static TabularMdp<?, ?> gridworld() {
    return GridWorld.suttonBarto35().tabulate();
  }

  /** {@return the Garnet(20, 4, 3) model of seed 2026, rewards in [0, 1), gamma 0.9} */
  public static TabularMdp<?, ?> garnet() {
    return Garnet.of(20, 4, 3).generate(Trials.generator(2026, 0));
  }

  /**
   * Runs every map and schedule on a model.
   *
   * @param label the model's label
   * @param m the model
   * @param updates updates per run
   * @return one curve per map and schedule
   */
  public static List<Curve> curves(String label, TabularMdp<?, ?> m, int updates) {
    return curves(label, m, updates, MAPS, STEPS);
  }

  /**
   * Runs the given maps and schedules on a model.
   *
   * @param label the model's label
   * @param m the model
   * @param updates updates per run
   * @param maps the mirror maps
   * @param steps the schedules
   * @return one curve per map and schedule
   */
  public static List<Curve> curves(String label, TabularMdp<?, ?> m, int updates,
      List<MirrorMap> maps, List<StepSize> steps) {
    return typed(label, m, updates, maps, steps);
  }

  private static <S, A> List<Curve> typed(String label, TabularMdp<S, A> m, int updates,
      List<MirrorMap> maps, List<StepSize> steps) {
    double[] rho = new double[m.numStates()];
    Arrays.fill(rho, 1.0 / m.numStates());
    Optimum<S, A> o = Optimum.of(m, rho);
    double[] vStar = o.vStar();
    TabularPolicy<S, A> start = TabularPolicy.uniform(m);
    List<Curve> out = new ArrayList<>();
    for (StepSize step : steps) {
      for (MirrorMap map : maps) {
        PolicyMirrorDescent pmd = PolicyMirrorDescent.of(map, step);
        MirrorRun<S, A> run = pmd.run(m, start, updates);
        double[] gap = new double[updates + 1];
        double[] bound = new double[updates + 1];
        for (int k = 0; k <= updates; k++) {
          int i = Math.min(k, run.iterates().size() - 1);
          double[] v = run.iterates().get(i).values().toArray();
          double g = 0;
          for (int s = 0; s < v.length; s++) {
            g += rho[s] * (vStar[s] - v[s]);
          }
          gap[k] = g;
          Bound b = MirrorBounds.forRun(o, pmd, start, k);
          bound[k] = b.value();
        }
        out.add(new Curve(label, map, step, gap, bound, run.stop()));
      }
    }
    return out;
  }

  /**
   * {@return a short name for a schedule: "constant 1/10", "geometric 1/10", "adaptive c0=1"}
   * @param step the schedule
   */
  public static String name(StepSize step) {
    return switch (step) {
      case StepSize.Constant c -> "constant " + dev.fixpoint.dsl.Rationals.format(c.eta());
      case StepSize.Geometric g -> "geometric " + dev.fixpoint.dsl.Rationals.format(g.initial());
      case StepSize.Adaptive a -> "adaptive c0=" + dev.fixpoint.dsl.Rationals.format(a.c0());
      case StepSize.Infinite i -> "infinite";
    };
  }

  /**
   * The table: per curve the gap and bound at a few iterations and the worst gap/bound ratio.
   *
   * @param curves the curves
   * @param at the iterations to show
   * @return the text
   */
  public static String table(List<Curve> curves, int... at) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %-17s %-15s",
        "model", "map", "step"));
    for (int k : at) {
      sb.append(String.format(Locale.ROOT, " %21s", "gap / bound k=" + k));
    }
    sb.append(String.format(Locale.ROOT, " %9s  %s%n", "max ratio", "stop"));
    for (Curve c : curves) {
      sb.append(String.format(Locale.ROOT, "%-10s %-17s %-15s", c.model(), c.map(),
          name(c.step())));
      for (int k : at) {
        int i = Math.min(k, c.gap().length - 1);
        sb.append(String.format(Locale.ROOT, " %9.3g / %9.3g", c.gap()[i], c.bound()[i]));
      }
      sb.append(String.format(Locale.ROOT, " %9.3g  %s%n", c.worstRatio(), c.stop()));
    }
    return sb.toString();
  }

  /**
   * One log-scale figure per schedule: the measured gaps and their bounds.
   *
   * @param curves the curves of one model
   * @param step the schedule to draw
   * @return the figure
   */
  public static LineFigure figure(List<Curve> curves, StepSize step) {
    List<Series> series = new ArrayList<>();
    String model = "";
    for (Curve c : curves) {
      if (!c.step().equals(step)) {
        continue;
      }
      model = c.model();
      double[] ks = new double[c.gap().length];
      for (int k = 0; k < ks.length; k++) {
        ks[k] = k;
      }
      series.add(new Series(c.map() + " gap", ks, c.gap()));
      double[] b = c.bound().clone();
      for (int k = 0; k < b.length; k++) {
        // no finite bound (k = 0 under constant steps): a non-positive point is not drawn
        b[k] = Double.isFinite(b[k]) ? b[k] : 0;
      }
      series.add(new Series(c.map() + " bound", ks, b));
    }
    return LineFigure.of(model + ": PMD, " + name(step) + " steps", "iteration k",
        "V*(rho) - V^{pi_k}(rho)", true, series);
  }

  /**
   * Prints the table for both models and writes the figures.
   *
   * @param args the output folder (default {@code target/mirror})
   */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/mirror");
    List<Curve> all = new ArrayList<>();
    for (var e : List.of(List.of("gridworld", gridworld()), List.of("garnet", garnet()))) {
      String label = (String) e.get(0);
      List<Curve> cs = curves(label, (TabularMdp<?, ?>) e.get(1), 40);
      all.addAll(cs);
      for (StepSize step : STEPS) {
        PlotFiles f = Plots.write(figure(cs, step), dir, "mirror-" + label + "-"
            + name(step).replaceAll("[^A-Za-z0-9]+", "-"));
        System.out.println("wrote " + f.png() + " and " + f.svg());
      }
    }
    System.out.print(table(all, 0, 1, 5, 10, 20, 40));
  }
}
