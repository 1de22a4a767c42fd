package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The result of a policy mirror descent run: the iterates pi_0, pi_1, ... with their exact values,
 * and why the run stopped.
 *
 * @param mdp the model
 * @param method the mirror map and step schedule
 * @param exact whether every iterate was computed in exact rational arithmetic
 * @param iterates pi_0 .. pi_K with their values (non-empty)
 * @param stop why the run stopped
 * @param explanation the stop reason in words, with the numbers
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public record MirrorRun<S, A>(TabularMdp<S, A> mdp, PolicyMirrorDescent method, boolean exact,
    List<MirrorIterate<S, A>> iterates, Stop stop, String explanation) {

  /** Why a run stopped. */
  public enum Stop {
    /** The requested number of updates was made. */
    ITERATIONS,
    /**
     * The adaptive step was 0: pi_k is greedy with respect to its own Q^{pi_k}, so it is optimal
     * (Johnson et al. 2023; spec A6.2).
     */
    GREEDY,
    /** An update returned the same policy, so every later iterate would repeat it. */
    UNCHANGED
  }

  /** Checks the components and copies the list. */
  public MirrorRun {
    Objects.requireNonNull(mdp, "mdp");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(stop, "stop");
    Objects.requireNonNull(explanation, "explanation");
    iterates = List.copyOf(iterates);
    if (iterates.isEmpty()) {
      throw new IllegalArgumentException("a run has at least the start iterate");
    }
  }

  /** {@return the last iterate} */
  public MirrorIterate<S, A> last() {
    return iterates.get(iterates.size() - 1);
  }

  /** {@return the number of updates made (iterates minus one)} */
  public int updates() {
    return iterates.size() - 1;
  }
}
