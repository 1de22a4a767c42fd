package dev.fixpoint.cli;

import dev.fixpoint.cli.shell.Scripting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine.Command;

/** {@code fixpoint shell}: interactive JShell with the library on the class path and imported. */
@Command(name = "shell", description = "Open JShell with the fixpoint library preloaded.")
final class ShellCommand implements Callable<Integer> {
  @picocli.CommandLine.Option(names = "--batch",
      description = "read from standard input without terminal editing (for pipes and tests)")
  boolean batch;

  @Override
  public Integer call() throws Exception {
    Path startup = Files.createTempFile("fixpoint-startup", ".jsh");
    try {
      StringBuilder b = new StringBuilder();
      for (String imp : Scripting.DEFAULT_IMPORTS) {
        b.append("import ").append(imp).append(";\n");
      }
      Files.writeString(startup, b);
      JavaShellToolBuilder tool = JavaShellToolBuilder.builder();
      if (batch) {
        tool = tool.in(System.in, null).out(System.out).interactiveTerminal(false);
      }
      return tool.start("--class-path",
          System.getProperty("java.class.path"), "--startup", "DEFAULT", "--startup",
          startup.toString());
    } finally {
      try {
        Files.deleteIfExists(startup);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
