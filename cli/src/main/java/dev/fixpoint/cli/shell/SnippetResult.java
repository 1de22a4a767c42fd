package dev.fixpoint.cli.shell;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What evaluating one snippet gave.
 *
 * @param source the snippet's source text
 * @param line the line of the script where the snippet starts (1-based; 1 for a lone snippet)
 * @param status how it ended
 * @param value the value's text form (an expression or a variable declaration), when it has one
 * @param diagnostics compiler messages, or the exception's class and message
 * @param output what the snippet printed to standard output and standard error
 */
@API(status = API.Status.EXPERIMENTAL)
public record SnippetResult(String source, int line, Status status, Optional<String> value,
    List<String> diagnostics, String output) {

  /** How a snippet ended. */
  public enum Status {
    /** It compiled and ran. */
    OK,
    /** It did not compile (or was not a complete snippet). */
    COMPILE_ERROR,
    /** It threw an exception. */
    EXCEPTION,
    /** It ran past its time limit and was stopped. */
    TIMEOUT,
    /** The execution JVM went away (the snippet called {@code System.exit}, say). */
    EXECUTION_ENDED
  }

  /** Copies the lists. */
  public SnippetResult {
    diagnostics = List.copyOf(diagnostics);
  }

  /** {@return whether the snippet compiled and ran} */
  public boolean ok() {
    return status == Status.OK;
  }

  /** {@return one line: where, how it failed and the first diagnostic} */
  public String describe() {
    String first = diagnostics.isEmpty() ? "" : ": " + diagnostics.get(0);
    return switch (status) {
      case OK -> "line " + line + ": ok";
      case COMPILE_ERROR -> "line " + line + ": does not compile" + first;
      case EXCEPTION -> "line " + line + ": threw " + (diagnostics.isEmpty() ? "" : diagnostics.get(0));
      case TIMEOUT -> "line " + line + ": stopped after its time limit";
      case EXECUTION_ENDED -> "line " + line + ": the execution JVM ended" + first;
    };
  }
}
