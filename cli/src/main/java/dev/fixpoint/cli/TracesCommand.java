package dev.fixpoint.cli;

import dev.fixpoint.examples.traces.BifurcationExperiment;
import dev.fixpoint.examples.traces.BifurcationExperiment.Config;
import dev.fixpoint.examples.traces.BifurcationExperiment.Env;
import dev.fixpoint.examples.traces.BifurcationExperiment.Method;
import dev.fixpoint.examples.traces.BifurcationExperiment.Result;
import dev.fixpoint.examples.traces.TracePlots;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fixpoint traces}: the off-policy eligibility-trace control experiment of Daley et al.
 * (ICML 2023) on the Bifurcation gridworlds ({@link BifurcationExperiment}): prints the test AUC
 * table and writes the lambda sweep, learning curves, trace visualisation and CSV files.
 */
@Command(name = "traces", description = "Run the trajectory-aware traces experiment (Daley et "
    + "al. 2023) on the Bifurcation gridworlds: alpha search, test trials, AUC table, plots, CSV.")
final class TracesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--env", split = ",", defaultValue = "1", paramLabel = "K",
      description = "Bifurcation environments 1-4, comma separated (default: ${DEFAULT-VALUE})")
  List<Integer> envs;

  @Option(names = "--trials", defaultValue = "30", paramLabel = "N",
      description = "trials per cell in the alpha search and in the test (default: "
          + "${DEFAULT-VALUE}; the paper uses 1000)")
  int trials;

  @Option(names = "--lambdas", split = ",", paramLabel = "L",
      description = "lambdas (default: 0,0.1,...,1)")
  List<Double> lambdas;

  @Option(names = "--alphas", split = ",", paramLabel = "A",
      description = "step sizes searched (default: 0.1,0.3,0.5,0.7,0.9)")
  List<Double> alphas;

  @Option(names = "--threads", paramLabel = "T",
      description = "worker threads (default: all cores; results do not depend on it)")
  Integer threads;

  @Option(names = "--paper", description = "the full protocol: all four environments, 1000 "
      + "search and 1000 test trials per cell")
  boolean paper;

  @Option(names = "--out", defaultValue = "fixpoint-out/traces", paramLabel = "DIR",
      description = "where the pictures and CSV files go (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--no-plots", description = "print the table only")
  boolean noPlots;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    List<Env> es = new ArrayList<>();
    for (int k : paper ? List.of(1, 2, 3, 4) : envs) {
      es.add(BifurcationExperiment.env(k));
    }
    Config c = paper ? Config.paper(es, t) : new Config(es, List.of(Method.values()),
        lambdas == null ? BifurcationExperiment.PAPER_LAMBDAS : toArray(lambdas),
        alphas == null ? BifurcationExperiment.PAPER_ALPHAS : toArray(alphas), trials, trials, 0,
        1, t);
    stdout.printf(Locale.ROOT, "%d trials on %d thread(s)%n", c.totalTrials(), t);
    stdout.flush();
    Bar bar = new Bar(spec.commandLine().getErr(), c.totalTrials());
    long start = System.nanoTime();
    Result r = BifurcationExperiment.run(c, bar::advance);
    bar.finish();
    stdout.print(TracePlots.table(r));
    stdout.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
    if (!noPlots) {
      List<Path> files = new ArrayList<>(TracePlots.write(r, out));
      files.addAll(TracePlots.writeTraceVisualisation(100, 30, 0, out));
      stdout.println("files in " + out + ":");
      for (Path p : files) {
        stdout.println("  " + p.getFileName());
      }
    }
    stdout.flush();
    return 0;
  }

  private static double[] toArray(List<Double> xs) {
    double[] a = new double[xs.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = xs.get(i);
    }
    return a;
  }

  /** A trial counter on stderr, drawn only on a terminal. */
  static final class Bar {
    private static final boolean TERMINAL = System.console() != null
        && System.getenv("TERM") != null && !System.getenv("TERM").equals("dumb");
    private final PrintWriter err;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private boolean shown;

    Bar(PrintWriter err, long total) {
      this.err = err;
      this.total = total;
    }

    synchronized void advance(long n) {
      long d = done.addAndGet(n);
      if (!TERMINAL) {
        return;
      }
      shown = true;
      int width = 30;
      int full = (int) (total == 0 ? width : d * width / total);
      err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d trials\u001b[K", "#".repeat(full),
          " ".repeat(width - full), d, total));
      err.flush();
    }

    synchronized void finish() {
      if (shown) {
        err.println();
        err.flush();
      }
    }
  }
}
