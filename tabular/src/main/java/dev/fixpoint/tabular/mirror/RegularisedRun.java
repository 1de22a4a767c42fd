package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A run of entropy-regularised mirror descent: the iterates pi_0, pi_1, ... with their regularised
 * values V_tau^{pi_k} ({@link MirrorIterate#values()}) and Q_tau^{pi_k} ({@link MirrorIterate#q()}).
 *
 * @param mdp the model
 * @param method the algorithm, temperature and step
 * @param iterates pi_0 .. pi_K (non-empty)
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public record RegularisedRun<S, A>(TabularMdp<S, A> mdp, RegularisedMirrorDescent method,
    List<MirrorIterate<S, A>> iterates) {
  /** Checks the components and copies the list. */
  public RegularisedRun {
    Objects.requireNonNull(mdp, "mdp");
    Objects.requireNonNull(method, "method");
    iterates = List.copyOf(iterates);
    if (iterates.isEmpty()) {
      throw new IllegalArgumentException("a run has at least the start iterate");
    }
  }

  /** {@return the last iterate} */
  public MirrorIterate<S, A> last() {
    return iterates.get(iterates.size() - 1);
  }
}
