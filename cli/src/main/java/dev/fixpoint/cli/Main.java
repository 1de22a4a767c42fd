package dev.fixpoint.cli;

import dev.fixpoint.dsl.ModelException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fixpoint} command. Exit codes: 0 success, 2 bad input or arguments (one line on
 * stderr), 1 internal error. {@code --help} and {@code --version} work on every subcommand
 * (inherited), and {@code fixpoint help COMMAND} prints a subcommand's usage.
 */
@Command(name = "fixpoint", mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, version = "fixpoint 0.1.0-SNAPSHOT",
    description = "A functional DSL and reference implementation for reinforcement-learning theory.",
    subcommands = {TourCommand.class, SolveCommand.class, EvaluateCommand.class,
        ExportCommand.class, RunCommand.class, ShellCommand.class, BenchCommand.class,
        OpeCommand.class, TracesCommand.class, GfnCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
  private Main() {}

  /**
   * Entry point.
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command without exiting, for tests.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("fixpoint: " + ex.getMessage());
      err.flush();
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof ModelException me) {
        if (verbose(parsed)) {
          me.problems().forEach(p -> err.println("fixpoint: " + p));
        } else {
          err.println("fixpoint: " + me.getMessage());
        }
        err.flush();
        return 2;
      }
      err.println("fixpoint: internal error: " + ex);
      err.flush();
      return 1;
    });
    return cl.execute(args);
  }

  private static boolean verbose(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }
}
