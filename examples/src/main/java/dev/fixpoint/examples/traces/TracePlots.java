package dev.fixpoint.examples.traces;

import dev.fixpoint.examples.plot.LineFigure;
import dev.fixpoint.examples.plot.PlotFiles;
import dev.fixpoint.examples.plot.Plots;
import dev.fixpoint.examples.plot.Series;
import dev.fixpoint.examples.traces.BifurcationExperiment.Cell;
import dev.fixpoint.examples.traces.BifurcationExperiment.Env;
import dev.fixpoint.examples.traces.BifurcationExperiment.Method;
import dev.fixpoint.examples.traces.BifurcationExperiment.Result;
import dev.fixpoint.examples.traces.BifurcationExperiment.Tested;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The pictures and tables of the traces experiment: the lambda sweep (mean test AUC against
 * lambda, one line per method with 95% interval bars and a dashed line at the optimal AUC: one
 * figure {@code lambda-sweep} with one panel per environment, two per row, and the same panels as
 * files {@code lambda-sweep-<env>}), the learning curves (mean evaluation return of the test trials at the
 * chosen alpha, every 10th step, one file per environment and method, a dashed line at the
 * optimal return) and the trace visualisation of spec 5.4 — each as PNG and SVG — and CSV files
 * holding every number drawn.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TracePlots {
  private TracePlots() {}

  /** The step between learning-curve points in plots and CSV. */
  public static final int CURVE_STRIDE = 10;

  /**
   * Writes {@code auc.csv} (every search and test cell), {@code learning-curves.csv}, the
   * lambda-sweep and learning-curve pictures.
   *
   * @param r the result
   * @param dir the output folder (created)
   * @return the files written
   */
  public static List<Path> write(Result r, Path dir) {
    List<Path> out = new ArrayList<>();
    StringBuilder auc = new StringBuilder("phase,env,method,lambda,alpha,trials,mean_auc,sd,ci95\n");
    for (Cell c : r.search()) {
      row(auc, "search", c);
    }
    for (Tested t : r.test()) {
      row(auc, "test", t.cell());
    }
    out.add(text(dir, "auc.csv", auc.toString()));
    StringBuilder curves = new StringBuilder("env,method,lambda,alpha,t,mean_return\n");
    for (Tested t : r.test()) {
      Cell c = t.cell();
      for (int i = 0; i < t.curve().length; i += CURVE_STRIDE) {
        curves.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%.6f%n", c.env(),
            c.method().label(), c.lambda(), c.alpha(), i, t.curve()[i]));
      }
    }
    out.add(text(dir, "learning-curves.csv", curves.toString()));
    PlotFiles all = lambdaSweepFigure(r, dir);
    out.add(all.png());
    out.add(all.svg());
    for (Env env : r.config().envs()) {
      PlotFiles f = lambdaSweep(r, env, dir);
      out.add(f.png());
      out.add(f.svg());
      for (Method m : r.config().methods()) {
        List<Series> series = new ArrayList<>();
        int len = 0;
        for (Tested t : r.test()) {
          Cell c = t.cell();
          if (c.env().equals(env.name()) && c.method() == m) {
            double[] y = t.curve();
            int n = (y.length + CURVE_STRIDE - 1) / CURVE_STRIDE;
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
              xs[i] = i * CURVE_STRIDE;
              ys[i] = y[i * CURVE_STRIDE];
            }
            len = y.length;
            series.add(new Series("lambda " + c.lambda() + " (alpha " + c.alpha() + ")", xs, ys));
          }
        }
        String optimal = "optimal " + String.format(Locale.ROOT, "%.4f", env.optimalReturn());
        series.add(new Series(optimal, new double[] {0, len - 1},
            new double[] {env.optimalReturn(), env.optimalReturn()}));
        PlotFiles lc = Plots.write(LineFigure.of(env.name() + ": " + m.label()
            + " learning curves (test trials)", "time step", "evaluation return (100-episode mean)",
            false, series).withDashed(optimal), dir, "learning-curves-" + slug(env.name()) + "-" + slug(m.label()));
        out.add(lc.png());
        out.add(lc.svg());
      }
    }
    return out;
  }

  /**
   * Writes the trace visualisation: {@code traces.csv} and one picture per method.
   *
   * @param seeds episodes averaged
   * @param steps steps shown
   * @param seed the seed
   * @param dir the output folder
   * @return the files written
   */
  public static List<Path> writeTraceVisualisation(int seeds, int steps, long seed, Path dir) {
    List<Path> out = new ArrayList<>();
    String[] names = TraceVisualisation.actionNames();
    StringBuilder csv = new StringBuilder("method,lambda,action,t,mean_summed_trace\n");
    for (Method m : Method.values()) {
      double[][] tr = TraceVisualisation.summedTraces(m, seeds, steps, seed);
      List<Series> series = new ArrayList<>();
      for (int a = 0; a < tr.length; a++) {
        double[] xs = new double[steps];
        for (int t = 0; t < steps; t++) {
          xs[t] = t;
          csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.6f%n", m.label(),
              TraceVisualisation.lambda(m), names[a], t, tr[a][t]));
        }
        series.add(new Series(names[a], xs, tr[a]));
      }
      PlotFiles f = Plots.write(LineFigure.of("Bifurcation1: " + m.label() + " (lambda "
          + TraceVisualisation.lambda(m) + ") summed traces at the fork, mean of " + seeds
          + " episodes", "time step", "summed trace of (fork, action)", false, series)
          .withYRange(0, 1.4), dir, "traces-" + slug(m.label()));
      out.add(f.png());
      out.add(f.svg());
    }
    out.add(text(dir, "traces.csv", csv.toString()));
    return out;
  }

  /** Width of one lambda-sweep panel in pixels. */
  static final int PANEL_WIDTH = 900;
  /** Height of one lambda-sweep panel in pixels. */
  static final int PANEL_HEIGHT = 560;

  /**
   * Writes {@code lambda-sweep.png/svg}: one figure with one lambda-sweep panel per environment,
   * two panels per row (one row for a single environment).
   */
  static PlotFiles lambdaSweepFigure(Result r, Path dir) {
    List<XYChart> charts = new ArrayList<>();
    for (Env env : r.config().envs()) {
      charts.add(sweepChart(r, env));
    }
    int cols = Math.min(2, charts.size());
    try {
      byte[] png = PanelGrid.png(charts, cols, PANEL_WIDTH, PANEL_HEIGHT);
      String svg = PanelGrid.svg(charts, cols, PANEL_WIDTH, PANEL_HEIGHT);
      Files.createDirectories(dir);
      Path p = dir.resolve("lambda-sweep.png");
      Path s = dir.resolve("lambda-sweep.svg");
      Files.write(p, png);
      Files.writeString(s, svg, StandardCharsets.UTF_8);
      return new PlotFiles(p, s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lambda-sweep figure in " + dir, e);
    }
  }

  /** {@return the lambda-sweep panel of one environment, with interval bars} */
  static PlotFiles lambdaSweep(Result r, Env env, Path dir) {
    return writeSweep(sweepChart(r, env), env, dir);
  }

  /** {@return the lambda-sweep chart of one environment} */
  static XYChart sweepChart(Result r, Env env) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
        .title(env.name() + ": test AUC at the best alpha (" + r.config().testTrials()
            + " trials, 95% CI)").build();
    chart.setXAxisTitle("lambda");
    chart.setYAxisTitle("area under the learning curve");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    double[] lambdas = r.config().lambdas();
    for (Method m : r.config().methods()) {
      double[] y = new double[lambdas.length];
      double[] e = new double[lambdas.length];
      for (Tested t : r.test()) {
        Cell c = t.cell();
        if (c.env().equals(env.name()) && c.method() == m) {
          for (int i = 0; i < lambdas.length; i++) {
            if (lambdas[i] == c.lambda()) {
              y[i] = c.mean();
              e[i] = c.ci95();
            }
          }
        }
      }
      XYSeries s = chart.addSeries(m.label(), lambdas, y, e);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    double lo = lambdas[0];
    double hi = lambdas[lambdas.length - 1];
    XYSeries opt = chart.addSeries("optimal", new double[] {lo, hi == lo ? lo + 1 : hi},
        new double[] {env.optimalAuc(), env.optimalAuc()});
    opt.setMarker(SeriesMarkers.NONE);
    opt.setLineColor(Color.GRAY);
    opt.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
        new float[] {6, 4}, 0));
    return chart;
  }

  private static PlotFiles writeSweep(XYChart chart, Env env, Path dir) {
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      ByteArrayOutputStream svg = new ByteArrayOutputStream();
      VectorGraphicsEncoder.saveVectorGraphic(chart, svg,
          VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      Files.createDirectories(dir);
      String base = "lambda-sweep-" + slug(env.name());
      Path p = dir.resolve(base + ".png");
      Path s = dir.resolve(base + ".svg");
      Files.write(p, png);
      Files.write(s, svg.toByteArray());
      return new PlotFiles(p, s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lambda sweep in " + dir, e);
    }
  }

  /**
   * {@return the test cells as a text table: method, then mean +- CI per lambda}
   *
   * @param r the result
   */
  public static String table(Result r) {
    StringBuilder b = new StringBuilder();
    for (Env env : r.config().envs()) {
      b.append(env.name()).append(" (optimal AUC ").append(String.format(Locale.ROOT, "%.1f",
          env.optimalAuc())).append("): test AUC mean +- 95% CI [alpha]\n");
      b.append(String.format(Locale.ROOT, "%-18s", "lambda"));
      for (double l : r.config().lambdas()) {
        b.append(String.format(Locale.ROOT, "%20s", l));
      }
      b.append('\n');
      for (Method m : r.config().methods()) {
        b.append(String.format(Locale.ROOT, "%-18s", m.label()));
        for (double l : r.config().lambdas()) {
          for (Tested t : r.test()) {
            Cell c = t.cell();
            if (c.env().equals(env.name()) && c.method() == m && c.lambda() == l) {
              b.append(String.format(Locale.ROOT, "%20s", String.format(Locale.ROOT,
                  "%.0f+-%.0f [%.1f]", c.mean(), c.ci95(), c.alpha())));
            }
          }
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String phase, Cell c) {
    b.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%d,%.4f,%.4f,%.4f%n", phase, c.env(),
        c.method().label(), c.lambda(), c.alpha(), c.trials(), c.mean(), c.sd(), c.ci95()));
  }

  private static Path text(Path dir, String name, String content) {
    try {
      Files.createDirectories(dir);
      Path p = dir.resolve(name);
      Files.writeString(p, content, StandardCharsets.UTF_8);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + " in " + dir, e);
    }
  }

  private static String slug(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
