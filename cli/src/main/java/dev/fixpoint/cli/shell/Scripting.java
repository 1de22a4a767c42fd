package dev.fixpoint.cli.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.apiguardian.api.API;

/**
 * A JShell session with the fixpoint library on its class path and its packages imported
 * ({@link #DEFAULT_IMPORTS}). Snippets run in JShell's separate execution JVM: a snippet that
 * calls {@code System.exit} ends that JVM, not the host, and a snippet that runs past the time
 * limit is stopped. Not thread-safe: one snippet at a time.
 *
 * <p>Example (a teaching platform running a student's line):
 *
 * <pre>{@code
 * try (Scripting s = Scripting.open()) {
 *   SnippetResult r = s.eval("Dist.uniform(1, 2, 3).probability(2)");
 *   r.value();        // Optional[1 / 3]
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Scripting implements AutoCloseable {
  /** The imports every session starts with: the fixpoint API packages and a few of java.util. */
  public static final List<String> DEFAULT_IMPORTS = List.of(
      "dev.fixpoint.dsl.*", "dev.fixpoint.dsl.features.*", "dev.fixpoint.dsl.gflownet.*",
      "dev.fixpoint.dsl.ope.*", "dev.fixpoint.tabular.solve.*", "dev.fixpoint.tabular.operators.*",
      "dev.fixpoint.tabular.backend.*", "dev.fixpoint.tabular.io.*", "dev.fixpoint.tabular.learn.*",
      "dev.fixpoint.tabular.random.*", "dev.fixpoint.tabular.traces.*",
      "dev.fixpoint.tabular.mirror.*", "dev.fixpoint.tabular.gflownet.*",
      "dev.fixpoint.tabular.ope.*", "dev.fixpoint.theory.mirror.*",
      "dev.fixpoint.theory.realizability.*", "dev.fixpoint.examples.*",
      "dev.fixpoint.examples.mirror.*", "dev.fixpoint.examples.realizability.*",
      "dev.fixpoint.examples.gflownet.*", "dev.fixpoint.examples.ope.*",
      "dev.fixpoint.examples.traces.*", "dev.fixpoint.gpu.*",
      "org.apache.commons.math3.fraction.BigFraction", "java.util.List", "java.util.Map",
      "java.util.Set", "java.util.Arrays", "java.util.function.*", "java.util.stream.*",
      "java.util.random.*");

  /** The default time limit per snippet for {@link #open()}. */
  public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(30);

  private final JShell shell;
  private final Switch out;
  private final Switch err;
  private final Duration limit;
  private final ExecutorService runner;
  private volatile boolean ended;

  private Scripting(String classPath, Duration limit, OutputStream passOut, OutputStream passErr) {
    this.out = new Switch(passOut);
    this.err = new Switch(passErr);
    this.limit = limit;
    this.runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fixpoint-jshell");
      t.setDaemon(true);
      return t;
    });
    this.shell = JShell.builder()
        .out(new PrintStream(out, true, StandardCharsets.UTF_8))
        .err(new PrintStream(err, true, StandardCharsets.UTF_8))
        .remoteVMOptions("--class-path", classPath)
        .build();
    shell.onShutdown(s -> ended = true);
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    for (String imp : DEFAULT_IMPORTS) {
      List<SnippetEvent> ev = shell.eval("import " + imp + ";");
      if (ev.isEmpty() || ev.get(0).status() != Snippet.Status.VALID) {
        throw new IllegalStateException("the default import " + imp + " failed: is the fixpoint "
            + "library on the class path?");
      }
    }
  }

  /**
   * {@return a session on this JVM's class path, output captured per snippet, limit {@link
   * #DEFAULT_LIMIT}}
   */
  public static Scripting open() {
    return open(System.getProperty("java.class.path"), DEFAULT_LIMIT);
  }

  /**
   * A session whose snippets' output is captured into each {@link SnippetResult#output()}.
   *
   * @param classPath the class path of the execution JVM (must hold the fixpoint jars)
   * @param limit the time limit per snippet
   * @return the session; close it
   */
  public static Scripting open(String classPath, Duration limit) {
    return new Scripting(classPath, limit, OutputStream.nullOutputStream(),
        OutputStream.nullOutputStream());
  }

  /**
   * A session whose snippets' output goes straight through to the given streams (as a script run
   * from the command line wants); {@link SnippetResult#output()} is then empty.
   *
   * @param classPath the class path of the execution JVM
   * @param limit the time limit per snippet
   * @param stdout where the snippets' standard output goes
   * @param stderr where their standard error goes
   * @return the session; close it
   */
  public static Scripting openPassingThrough(String classPath, Duration limit,
      OutputStream stdout, OutputStream stderr) {
    Scripting s = new Scripting(classPath, limit, stdout, stderr);
    s.out.passThrough = true;
    s.err.passThrough = true;
    return s;
  }

  /**
   * Evaluates the first complete snippet of {@code source} (a lone snippet needs no semicolon).
   *
   * @param source Java source: an expression, statement, declaration or import
   * @return the result, never an exception for a bad snippet
   */
  public SnippetResult eval(String source) {
    return evalOne(source, 1);
  }

  /**
   * Runs a script snippet by snippet and stops at the first snippet that does not compile, throws,
   * runs past the time limit or ends the execution JVM.
   *
   * @param text the script
   * @param name its name for messages
   * @param onEach called after each snippet (for progress), may do nothing
   * @return every evaluated snippet
   */
  public ScriptResult runScript(String text, String name, Consumer<SnippetResult> onEach) {
    // Like the jshell tool: read line by line and evaluate as soon as the text read so far is a
    // complete snippet, so a line without its semicolon ends a snippet.
    SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
    List<SnippetResult> results = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    StringBuilder pending = new StringBuilder();
    int startLine = 1;
    for (int i = 0; i < lines.length; i++) {
      if (pending.toString().isBlank()) {
        pending.setLength(0);
        startLine = i + 1;
      }
      pending.append(lines[i]).append('\n');
      while (!pending.toString().isBlank()) {
        SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(pending.toString());
        if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
          pending.setLength(0);
          break;
        }
        if (!ci.completeness().isComplete()) {
          break;
        }
        SnippetResult r = evalOne(ci.source(), startLine);
        results.add(r);
        onEach.accept(r);
        if (!r.ok()) {
          return new ScriptResult(name, results);
        }
        pending.setLength(0);
        pending.append(ci.remaining());
      }
    }
    if (!pending.toString().isBlank()) {
      SnippetResult r = new SnippetResult(pending.toString().strip(), startLine,
          SnippetResult.Status.COMPILE_ERROR, Optional.empty(),
          List.of("incomplete snippet at the end of the script"), "");
      results.add(r);
      onEach.accept(r);
    }
    return new ScriptResult(name, results);
  }

  private SnippetResult evalOne(String source, int line) {
    if (ended) {
      return new SnippetResult(source, line, SnippetResult.Status.EXECUTION_ENDED,
          Optional.empty(), List.of("an earlier snippet ended the execution JVM"), "");
    }
    out.begin();
    err.begin();
    Future<List<SnippetEvent>> f = runner.submit(() -> shell.eval(source));
    List<SnippetEvent> events;
    boolean timedOut = false;
    try {
      events = f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      timedOut = true;
      shell.stop();
      events = awaitAfterStop(f);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shell.stop();
      events = List.of();
    } catch (ExecutionException e) {
      String captured = out.end() + err.end();
      return new SnippetResult(source, line, SnippetResult.Status.EXECUTION_ENDED,
          Optional.empty(), List.of(String.valueOf(e.getCause())), captured);
    }
    String captured = out.end() + err.end();
    if (timedOut) {
      return new SnippetResult(source, line, SnippetResult.Status.TIMEOUT, Optional.empty(),
          List.of("stopped after " + limit.toMillis() + " ms"), captured);
    }
    if (ended) {
      return new SnippetResult(source, line, SnippetResult.Status.EXECUTION_ENDED,
          Optional.empty(), List.of("the snippet ended the execution JVM (System.exit?)"),
          captured);
    }
    return interpret(source, line, events, captured);
  }

  private static List<SnippetEvent> awaitAfterStop(Future<List<SnippetEvent>> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (ExecutionException | TimeoutException e) {
      return List.of();
    }
  }

  private SnippetResult interpret(String source, int line, List<SnippetEvent> events,
      String captured) {
    Optional<String> value = Optional.empty();
    for (SnippetEvent e : events) {
      if (e.causeSnippet() != null) {
        continue; // an update of an earlier snippet, not this one
      }
      Snippet sn = e.snippet();
      if (e.status() == Snippet.Status.REJECTED
          || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
        List<String> diags = new ArrayList<>();
        shell.diagnostics(sn).forEach(d -> diags.add(d.getMessage(Locale.ROOT)));
        if (diags.isEmpty()) {
          diags.add("unresolved references: "
              + shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) sn).toList());
        }
        return new SnippetResult(source, line, SnippetResult.Status.COMPILE_ERROR,
            Optional.empty(), diags, captured);
      }
      if (e.exception() != null) {
        Throwable t = e.exception();
        String what = t instanceof EvalException ee ? ee.getExceptionClassName()
            + (ee.getMessage() == null ? "" : ": " + ee.getMessage())
            : t instanceof UnresolvedReferenceException u ? "unresolved reference in "
                + u.getSnippet().source().strip() : t.toString();
        return new SnippetResult(source, line, SnippetResult.Status.EXCEPTION, Optional.empty(),
            List.of(what), captured);
      }
      if (e.value() != null) {
        value = Optional.of(e.value());
      }
    }
    return new SnippetResult(source, line, SnippetResult.Status.OK, value, List.of(), captured);
  }

  /** Ends the execution JVM. */
  @Override
  public void close() {
    runner.shutdownNow();
    shell.close();
  }

  /** An output stream that either passes bytes through or captures them per snippet. */
  private static final class Switch extends OutputStream {
    private final OutputStream pass;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    volatile boolean passThrough;

    Switch(OutputStream pass) {
      this.pass = pass;
    }

    synchronized void begin() {
      buffer.reset();
    }

    synchronized String end() {
      if (passThrough) {
        try {
          pass.flush();
        } catch (IOException e) {
          // the host's stream is gone; nothing to report to the snippet
        }
        return "";
      }
      return buffer.toString(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) throws IOException {
      if (passThrough) {
        pass.write(b);
      } else {
        buffer.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      if (passThrough) {
        pass.write(b, off, len);
      } else {
        buffer.write(b, off, len);
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      if (passThrough) {
        pass.flush();
      }
    }
  }
}
