package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A model read from a file, with what the reader noticed but did not refuse. States and actions
 * are named by the strings of the file.
 *
 * <p>A warning is one line, for instance that a JSON model whose rows sum to 1 only within
 * 10<sup>-9</sup> was read as a double model ({@code mdp.isExact()} false). Readers never print;
 * the caller decides what to show.
 *
 * @param mdp the validated model
 * @param warnings one line per warning, in the order found (empty when there is nothing to say)
 */
@API(status = API.Status.EXPERIMENTAL)
public record LoadedModel(TabularMdp<String, String> mdp, List<String> warnings) {
  /** Copies the warnings. */
  public LoadedModel {
    Objects.requireNonNull(mdp, "mdp");
    warnings = List.copyOf(warnings);
  }
}
