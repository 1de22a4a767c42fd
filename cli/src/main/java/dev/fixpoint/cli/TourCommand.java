package dev.fixpoint.cli;

import dev.fixpoint.examples.Tour;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fixpoint tour}: the guided run through the example catalogue. */
@Command(name = "tour", description = "Solve the textbook examples and print our numbers next to the book's.")
final class TourCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : Tour.lines()) {
      spec.commandLine().getOut().println(line);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
