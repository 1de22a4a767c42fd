package dev.fixpoint.cli.shell;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What running a script gave: every snippet evaluated, in order, up to and including the first that
 * failed.
 *
 * @param name the script's name (a file name), used in messages
 * @param snippets the evaluated snippets
 */
@API(status = API.Status.EXPERIMENTAL)
public record ScriptResult(String name, List<SnippetResult> snippets) {
  /** Copies the list. */
  public ScriptResult {
    snippets = List.copyOf(snippets);
  }

  /** {@return the first snippet that failed, if any} */
  public Optional<SnippetResult> failure() {
    return snippets.stream().filter(s -> !s.ok()).findFirst();
  }

  /** {@return whether every snippet compiled and ran} */
  public boolean ok() {
    return failure().isEmpty();
  }
}
