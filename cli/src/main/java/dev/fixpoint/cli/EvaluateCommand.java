package dev.fixpoint.cli;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.io.PolicyFiles;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.Solution;
import dev.fixpoint.tabular.solve.ValueIteration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fixpoint evaluate MODEL --policy uniform|FILE}: the values of a given policy. */
@Command(name = "evaluate", description = "The values of a policy on a model file.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "a .json or .npz model")
  Path model;

  @Option(names = "--policy", required = true, paramLabel = "uniform|FILE",
      description = "uniform over the available actions, or a policy JSON file")
  String policy;

  @Option(names = "--exact", description = "exact rational arithmetic")
  boolean exact;

  @Option(names = "--json", description = "JSON output")
  boolean json;

  @Option(names = "--backend", defaultValue = "",
      description = "evaluate iteratively (v <- T^pi v) on this backend (cpu, opencl, ...) "
          + "instead of the direct linear solve")
  String backend;

  @Option(names = "--tolerance", defaultValue = "1e-10",
      description = "with --backend: target bound on |v - v^pi| (default: ${DEFAULT-VALUE})")
  double tolerance;

  @Option(names = "--verbose", description = "list every problem of a bad model or policy")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TabularMdp<String, String> m = Models.read(model, spec.commandLine().getErr());
    TabularPolicy<String, String> pi = policy.equals("uniform")
        ? Policy.<String, String>uniform().tabulate(m) : PolicyFiles.read(Path.of(policy), m);
    if (exact && !backend.isEmpty()) {
      throw new ModelException("--exact does not work with --backend: iterative evaluation does "
          + "not end in an exact answer");
    }
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new ModelException("--tolerance " + tolerance + ": must be a positive number");
    }
    Solution<String, String> sol = exact ? PolicyEvaluation.exact(m, pi)
        : backend.isEmpty() ? PolicyEvaluation.direct(m, pi)
        : PolicyEvaluation.iterative(m, pi, tolerance, ValueIteration.DEFAULT_MAX_ITERATIONS,
            Backends.byName(backend));
    if (json) {
      out.println("{\"values\": " + Format.valuesJson(m, sol.values(), exact) + ", \"policy\": "
          + Format.distributionsJson(m, pi) + ", \"method\": " + Format.quote(sol.method()) + "}");
    } else {
      out.println(Format.describe(m));
      out.println("policy: " + policy + "; method: " + sol.method());
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"state", "value"});
      for (int s = 0; s < m.numStates(); s++) {
        rows.add(new String[] {m.states().value(s), Format.number(sol.values(), s, exact)});
      }
      Format.table(rows).forEach(out::println);
    }
    out.flush();
    return 0;
  }
}
