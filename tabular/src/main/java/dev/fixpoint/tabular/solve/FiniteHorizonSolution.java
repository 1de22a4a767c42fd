package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The result of backward induction over a finite horizon H: the optimal k-steps-to-go values V_k
 * for k = 0..H (V_0 = 0), the action values Q_k = r + gamma P V_{k-1} and a greedy (first
 * maximising action) deterministic policy for k = 1..H steps to go. The optimal non-stationary
 * policy with k steps left takes {@code policyAt(k)}.
 *
 * @param mdp the model
 * @param horizon H &gt;= 0
 * @param values V_0 .. V_H (H + 1 entries)
 * @param q Q_1 .. Q_H (H entries; {@code q.get(k - 1)} is Q_k)
 * @param policies the greedy policies for 1 .. H steps to go ({@code policies.get(k - 1)})
 * @param exact whether the values are exact rationals
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.STABLE)
public record FiniteHorizonSolution<S, A>(
    TabularMdp<S, A> mdp,
    int horizon,
    List<ValueFunction<S>> values,
    List<QFunction<S, A>> q,
    List<TabularPolicy<S, A>> policies,
    boolean exact) {

  /** Checks the components and copies the lists. */
  public FiniteHorizonSolution {
    Objects.requireNonNull(mdp, "mdp");
    values = List.copyOf(values);
    q = List.copyOf(q);
    policies = List.copyOf(policies);
    if (horizon < 0 || values.size() != horizon + 1 || q.size() != horizon
        || policies.size() != horizon) {
      throw new IllegalArgumentException("horizon " + horizon + " needs " + (horizon + 1)
          + " value functions and " + horizon + " Q-functions and policies, got "
          + values.size() + ", " + q.size() + ", " + policies.size());
    }
  }

  /**
   * {@return V_k, the optimal value with k steps to go}
   *
   * @param stepsToGo k in 0..H
   */
  public ValueFunction<S> valuesAt(int stepsToGo) {
    Objects.checkIndex(stepsToGo, horizon + 1);
    return values.get(stepsToGo);
  }

  /**
   * {@return Q_k = r + gamma P V_(k-1)}
   *
   * @param stepsToGo k in 1..H
   */
  public QFunction<S, A> qAt(int stepsToGo) {
    return q.get(checkStep(stepsToGo));
  }

  /**
   * {@return the greedy policy with k steps to go}
   *
   * @param stepsToGo k in 1..H
   */
  public TabularPolicy<S, A> policyAt(int stepsToGo) {
    return policies.get(checkStep(stepsToGo));
  }

  private int checkStep(int k) {
    if (k < 1 || k > horizon) {
      throw new IndexOutOfBoundsException("steps to go " + k + " outside 1.." + horizon);
    }
    return k - 1;
  }
}
