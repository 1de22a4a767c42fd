package dev.fixpoint.cli;

import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.io.PolicyFiles;
import dev.fixpoint.tabular.solve.PolicyEvaluation;
import dev.fixpoint.tabular.solve.Solution;
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

  @Option(names = "--verbose", description = "list every problem of a bad model or policy")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TabularMdp<String, String> m = Models.read(model, spec.commandLine().getErr());
    TabularPolicy<String, String> pi = policy.equals("uniform")
        ? Policy.<String, String>uniform().tabulate(m) : PolicyFiles.read(Path.of(policy), m);
    Solution<String, String> sol = exact ? PolicyEvaluation.exact(m, pi)
        : PolicyEvaluation.direct(m, pi);
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
