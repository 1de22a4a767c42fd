package dev.fixpoint.cli;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.tabular.backend.Backends;
import dev.fixpoint.tabular.solve.LinearProgramming;
import dev.fixpoint.tabular.solve.PolicyIteration;
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

/** {@code fixpoint solve MODEL}: optimal values and a greedy optimal policy. */
@Command(name = "solve", description = "Optimal values and a greedy optimal policy of a model file.")
final class SolveCommand implements Callable<Integer> {
  /** The solution methods. */
  enum Method { vi, pi, lp }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "a .json or .npz model")
  Path model;

  @Option(names = "--method", defaultValue = "pi",
      description = "vi, pi or lp (default: ${DEFAULT-VALUE})")
  Method method;

  @Option(names = "--exact", description = "exact rational arithmetic (pi or lp)")
  boolean exact;

  @Option(names = "--json", description = "JSON output")
  boolean json;

  @Option(names = "--tolerance", defaultValue = "1e-10",
      description = "value iteration: target bound on |v - v*| (default: ${DEFAULT-VALUE})")
  double tolerance;

  @Option(names = "--backend", defaultValue = "cpu",
      description = "value iteration: the backend (default: ${DEFAULT-VALUE})")
  String backend;

  @Option(names = "--verbose", description = "list every problem of a bad model")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (exact && method == Method.vi) {
      throw new ModelException("--exact does not work with --method vi: value iteration does not "
          + "end in an exact answer; use --method pi (or lp)");
    }
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new ModelException("--tolerance " + tolerance + ": must be a positive number");
    }
    TabularMdp<String, String> m = Models.read(model, spec.commandLine().getErr());
    Solution<String, String> sol = switch (method) {
      case pi -> exact ? PolicyIteration.solveExact(m) : PolicyIteration.solve(m);
      case lp -> exact ? LinearProgramming.solveExact(m) : LinearProgramming.solve(m);
      case vi -> ValueIteration.jacobi().withTolerance(tolerance)
          .withBackend(Backends.byName(backend)).solve(m);
    };
    boolean ex = exact && sol.values().isExact();
    if (json) {
      out.println("{\"values\": " + Format.valuesJson(m, sol.values(), ex) + ", \"policy\": "
          + Format.actionsJson(m, sol.policy()) + ", \"method\": " + Format.quote(sol.method())
          + ", \"iterations\": " + sol.iterations() + ", \"converged\": " + sol.converged()
          + ", \"certificate\": " + Format.certificateJson(sol.certificate()) + "}");
    } else {
      out.println(Format.describe(m));
      out.println("method: " + sol.method() + ", " + sol.iterations() + " iterations"
          + (sol.converged() ? ", converged" : ", NOT converged"));
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"state", "value", "action"});
      for (int s = 0; s < m.numStates(); s++) {
        rows.add(new String[] {m.states().value(s), Format.number(sol.values(), s, ex),
            m.isTerminal(s) ? "(terminal)"
                : m.actions().value(m.rowAction(Format.bestRow(m, sol.policy(), s)))});
      }
      Format.table(rows).forEach(out::println);
      out.println("certificate (" + sol.certificate().kind() + "): "
          + sol.certificate().explain());
    }
    out.flush();
    return 0;
  }
}
