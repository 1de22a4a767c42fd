package dev.fixpoint.cli;

import dev.fixpoint.examples.Catalogue;
import dev.fixpoint.tabular.io.ModelFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fixpoint export EXAMPLE FILE}: writes a built-in example as JSON or npz. */
@Command(name = "export", description = "Write a built-in example to FILE.json or FILE.npz.")
final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXAMPLE", description = "one of the catalogue's names")
  String example;

  @Parameters(index = "1", paramLabel = "FILE", description = "the .json or .npz file to write")
  Path file;

  @Override
  public Integer call() {
    List<String> notes = ModelFiles.write(Catalogue.model(example).tabulate(), file);
    for (String n : notes) {
      spec.commandLine().getErr().println("fixpoint: note: " + n);
    }
    spec.commandLine().getErr().flush();
    spec.commandLine().getOut().println("wrote " + example + " to " + file);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
