package dev.fixpoint.tabular.operators;

import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;

/** Tabulates a policy held by an operator term against the model the term is applied to. */
final class Policies {
  private Policies() {}

  /**
   * Operator terms hold {@code Policy<?, ?>} so that they need no type parameters; the policy is
   * asked about the model's own states, and a policy written for other types fails inside {@link
   * Policy#tabulate} with a {@code ModelException} naming the state.
   */
  @SuppressWarnings("unchecked")
  static TabularPolicy<Object, Object> tabulate(Policy<?, ?> policy, TabularMdp<?, ?> mdp) {
    return ((Policy<Object, Object>) policy).tabulate((TabularMdp<Object, Object>) mdp);
  }
}
