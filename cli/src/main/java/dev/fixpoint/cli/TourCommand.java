package dev.fixpoint.cli;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.examples.Tour;
import dev.fixpoint.examples.TourPlots;
import dev.fixpoint.examples.plot.PlotFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fixpoint tour}: the guided run through the example catalogue. Prints each textbook
 * number next to ours, then draws the pictures into the output folder, with a progress bar on
 * standard error once the run has taken more than a second.
 */
@Command(name = "tour", description = "Solve the textbook examples, print our numbers next to "
    + "the book's, and draw the pictures into ./fixpoint-out/.")
final class TourCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", defaultValue = "fixpoint-out", paramLabel = "DIR",
      description = "where the pictures go (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--no-plots", description = "print the numbers only")
  boolean noPlots;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    Progress progress = new Progress(spec.commandLine().getErr(),
        1 + (noPlots ? 0 : TourPlots.tasks().size()));
    progress.step("solving the textbook models");
    List<String> lines = Tour.lines();
    progress.done();
    lines.forEach(stdout::println);
    stdout.flush();
    if (noPlots) {
      progress.finish();
      return 0;
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new ModelException(out + ": cannot create the output folder: " + e.getMessage());
    }
    stdout.println();
    stdout.println("pictures in " + out + ":");
    for (TourPlots.Task t : TourPlots.tasks()) {
      progress.step(t.title());
      PlotFiles f = t.write().apply(out);
      progress.done();
      stdout.println("  " + f.png().getFileName() + ", " + f.svg().getFileName() + "  ("
          + t.title() + ")");
      stdout.flush();
    }
    progress.finish();
    return 0;
  }

  /** A one-line progress bar on stderr, shown only once the run has taken over a second. */
  static final class Progress {
    private final PrintWriter err;
    private final int total;
    private final long start = System.nanoTime();
    private int finished;
    private boolean shown;
    private String label = "";

    Progress(PrintWriter err, int total) {
      this.err = err;
      this.total = total;
    }

    void step(String what) {
      label = what;
      draw();
    }

    void done() {
      finished++;
      draw();
    }

    /** Only on a terminal: a redirected stderr would fill with carriage returns. */
    private static final boolean TERMINAL = System.console() != null
        && System.getenv("TERM") != null && !System.getenv("TERM").equals("dumb");

    private void draw() {
      if (!TERMINAL || !shown && System.nanoTime() - start < 1_000_000_000L) {
        return;
      }
      shown = true;
      int width = 30;
      int full = total == 0 ? width : finished * width / total;
      String text = String.format("\r[%s%s] %d/%d %s", "#".repeat(full), " ".repeat(width - full),
          finished, total, label);
      err.print(text.length() > 100 ? text.substring(0, 100) : text + "\u001b[K");
      err.flush();
    }

    void finish() {
      if (shown) {
        err.println();
        err.flush();
      }
    }
  }
}
