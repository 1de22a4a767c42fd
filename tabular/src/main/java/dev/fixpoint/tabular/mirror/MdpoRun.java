package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A tabular MDPO run: the iterates pi_0 .. pi_K with their exact values (V^{pi_k}, Q^{pi_k}
 * on-policy; V_lambda^{pi_k}, Q_lambda^{pi_k} off-policy), whatever critic the learner used.
 *
 * @param mdp the model
 * @param method the learner
 * @param iterates pi_0 .. pi_K (non-empty)
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public record MdpoRun<S, A>(TabularMdp<S, A> mdp, Mdpo method, List<MirrorIterate<S, A>> iterates) {
  /** Checks the components and copies the list. */
  public MdpoRun {
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
