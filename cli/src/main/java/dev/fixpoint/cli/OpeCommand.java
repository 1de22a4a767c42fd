package dev.fixpoint.cli;

import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ope.Dataset;
import dev.fixpoint.dsl.ope.Estimator;
import dev.fixpoint.dsl.ope.Estimators;
import dev.fixpoint.tabular.io.DatasetFiles;
import dev.fixpoint.tabular.io.PolicyFiles;
import dev.fixpoint.tabular.learn.Trials;
import dev.fixpoint.tabular.ope.ExactMoments;
import dev.fixpoint.tabular.ope.Fitting;
import dev.fixpoint.tabular.ope.Logging;
import dev.fixpoint.tabular.ope.Occupancy;
import dev.fixpoint.tabular.ope.OpeDouble;
import dev.fixpoint.tabular.ope.OpeExact;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fixpoint ope MODEL --target P --behaviour P --horizon H (--n N --seed S | --data FILE)
 * [--exact]}: off-policy estimates of the target's value from data logged by the behaviour
 * policy (drawn, or read from CSV/NPZ), and with {@code --exact} the exact bias, variance and MSE
 * of the per-trajectory estimators at that n.
 */
@Command(name = "ope", description = "Off-policy evaluation of a target policy from logged data.")
final class OpeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "a .json or .npz model")
  Path model;

  @Option(names = "--target", required = true, paramLabel = "uniform|FILE",
      description = "the policy to evaluate")
  String target;

  @Option(names = "--behaviour", required = true, paramLabel = "uniform|FILE",
      description = "the logging policy")
  String behaviour;

  @Option(names = "--horizon", required = true, paramLabel = "H", description = "episode length")
  int horizon;

  @Option(names = "--n", defaultValue = "1000", paramLabel = "N",
      description = "episodes to draw (default 1000)")
  int n;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "seed (default 1)")
  long seed;

  @Option(names = "--data", paramLabel = "FILE",
      description = "read logged data (.csv or .npz) instead of drawing it")
  Path data;

  @Option(names = "--exact", description = "also the exact bias, variance and MSE at this n")
  boolean exact;

  private TabularPolicy<String, String> policy(String p, TabularMdp<String, String> m) {
    return p.equals("uniform") ? Policy.<String, String>uniform().tabulate(m)
        : PolicyFiles.read(Path.of(p), m);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TabularMdp<String, String> m = Models.read(model, spec.commandLine().getErr());
    TabularPolicy<String, String> pi = policy(target, m);
    TabularPolicy<String, String> mu = policy(behaviour, m);
    Dataset d = data == null ? Logging.draw(m, mu, horizon, n, Trials.generator(seed, 0))
        : data.toString().endsWith(".npz") ? DatasetFiles.readNpz(data)
        : DatasetFiles.readCsv(data, horizon);
    out.println(Format.describe(m));
    out.println("data: " + d + (data == null ? " drawn with seed " + seed : " from " + data));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"estimator", "estimate"});
    List<Estimator> es = List.of(Estimators.onPolicy(), Estimators.is(), Estimators.pdis(),
        Estimators.wis(), Estimators.wpdis(), Estimators.mis(Occupancy.countRatios(pi, d)));
    List<String> names = List.of("MC (behaviour)", "IS", "PDIS", "WIS", "WPDIS",
        "MIS (count-based)");
    for (int i = 0; i < es.size(); i++) {
      rows.add(new String[] {names.get(i),
          String.format("%.6g", OpeDouble.estimate(es.get(i), pi, mu, d))});
    }
    var dr = Fitting.crossFitDr(pi, d, 2, new SplittableRandom(seed));
    rows.add(new String[] {"DR (2-fold cross-fitted Q-hat)", String.format("%.6g", dr.value())});
    Format.table(rows).forEach(out::println);
    if (exact) {
      OpeExact<String, String> x = OpeExact.of(pi, mu, d.horizon());
      out.println("J(pi) = " + Rationals.format(x.truth()) + " = "
          + String.format("%.6g", Rationals.toDouble(x.truth())));
      List<String[]> ex = new ArrayList<>();
      ex.add(new String[] {"estimator", "bias", "variance", "MSE"});
      int size = d.numEpisodes();
      for (Estimator e : List.of(Estimators.is(), Estimators.pdis(),
          Estimators.dr(x.qPi()), Estimators.mis(x.ratios()))) {
        ExactMoments mo = x.moments(e, size);
        ex.add(new String[] {label(e), String.format("%.6g",
            Rationals.toDouble(mo.bias())), String.format("%.6g",
            Rationals.toDouble(mo.variance())), String.format("%.6g",
            Rationals.toDouble(mo.mse()))});
      }
      out.println("exact, n = " + size + ":");
      Format.table(ex).forEach(out::println);
    }
    out.flush();
    return 0;
  }

  private static String label(Estimator e) {
    return e instanceof Estimator.Dr ? "DR (Q-hat = Q^pi)"
        : e instanceof Estimator.Mis ? "MIS (exact ratios)" : e.name();
  }
}
