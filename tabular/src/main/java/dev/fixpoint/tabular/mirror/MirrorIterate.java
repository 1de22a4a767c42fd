package dev.fixpoint.tabular.mirror;

import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One iterate of policy mirror descent: the policy pi_k with its exact values V^{pi_k} and action
 * values Q^{pi_k} (exact rationals on the exact path, a direct LU solve on the double path).
 *
 * @param index k
 * @param policy pi_k
 * @param values V^{pi_k}
 * @param q Q^{pi_k}
 * @param step eta_{k-1}, the step that produced pi_k from pi_{k-1} ({@code +Infinity} for the
 *     greedy limit); 0 for the start pi_0
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.EXPERIMENTAL)
public record MirrorIterate<S, A>(int index, TabularPolicy<S, A> policy, ValueFunction<S> values,
    QFunction<S, A> q, double step) {
  /** Checks the components. */
  public MirrorIterate {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(q, "q");
    if (index < 0 || !(step >= 0)) {
      throw new IllegalArgumentException("iterate " + index + " with step " + step);
    }
  }
}
