package dev.fixpoint.cli;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.examples.bench.ValueIterationBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fixpoint bench}: the JMH value-iteration benchmark (one Jacobi sweep on a random model of
 * 1,000,000 states), reported as ratios against reference loops measured in the same run.
 */
@Command(name = "bench", description = "Benchmark one value-iteration sweep against a plain read "
    + "of the same arrays (JMH; ratios and bytes per second).")
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--warmup", defaultValue = "3", description = "warm-up iterations (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--iterations", defaultValue = "8", description = "measured iterations (default: ${DEFAULT-VALUE})")
  int iterations;

  @Override
  public Integer call() throws Exception {
    if (warmup < 0 || iterations < 1) {
      throw new ModelException("--warmup must be >= 0 and --iterations >= 1");
    }
    for (String line : ValueIterationBench.run(warmup, iterations)) {
      spec.commandLine().getOut().println(line);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
