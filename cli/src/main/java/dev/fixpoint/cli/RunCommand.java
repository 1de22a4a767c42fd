package dev.fixpoint.cli;

import dev.fixpoint.cli.shell.ScriptResult;
import dev.fixpoint.cli.shell.Scripting;
import dev.fixpoint.cli.shell.SnippetResult;
import dev.fixpoint.dsl.ModelException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fixpoint run SCRIPT.jsh}: runs a JShell script with the library preloaded; stops at the
 * first snippet that fails and exits 2 naming it.
 */
@Command(name = "run", description = "Run a JShell script with the fixpoint library preloaded.")
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCRIPT", description = "the .jsh script")
  Path script;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "time limit per snippet (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Override
  public Integer call() {
    String text;
    try {
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ModelException(script + ": no such file");
    } catch (IOException e) {
      throw new ModelException(script + ": cannot read: " + e.getMessage());
    }
    if (timeoutSeconds < 1) {
      throw new ModelException("--timeout " + timeoutSeconds + ": must be at least 1 second");
    }
    OutputStream out = new WriterStream(spec.commandLine().getOut());
    OutputStream err = new WriterStream(spec.commandLine().getErr());
    try (Scripting s = Scripting.openPassingThrough(System.getProperty("java.class.path"),
        Duration.ofSeconds(timeoutSeconds), out, err)) {
      ScriptResult r = s.runScript(text, script.toString(), x -> { });
      spec.commandLine().getOut().flush();
      if (r.failure().isPresent()) {
        SnippetResult f = r.failure().get();
        spec.commandLine().getErr().println("fixpoint: " + script + " " + f.describe());
        spec.commandLine().getErr().flush();
        return 2;
      }
    }
    return 0;
  }

  /** Bytes from the execution JVM to picocli's writers, decoded as UTF-8. */
  private static final class WriterStream extends OutputStream {
    private final java.io.PrintWriter w;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    WriterStream(java.io.PrintWriter w) {
      this.w = w;
    }

    @Override
    public synchronized void write(int b) {
      pending.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void flush() {
      w.print(pending.toString(StandardCharsets.UTF_8));
      w.flush();
      pending.reset();
    }
  }
}
