package dev.fixpoint.tabular.solve;

import dev.fixpoint.dsl.Certificate;
import dev.fixpoint.dsl.QFunction;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.dsl.ValueFunction;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a solver returns: the values, their action values, a greedy policy, how the run went and
 * what is guaranteed. Read {@link #values()} as the optimal (or evaluated) values only when {@link
 * #certificate()} says so: a value-iteration run that stopped early is not V*.
 *
 * @param mdp the solved model
 * @param values the values over states (exact when the solver was exact)
 * @param q the action values r + gamma P values over rows
 * @param policy a policy greedy with respect to q (for evaluation: the evaluated policy)
 * @param method the algorithm, e.g. "value iteration (Jacobi)", "policy iteration (exact)"
 * @param iterations sweeps or improvement steps performed
 * @param residual the last sup-norm change (0 for direct solves)
 * @param converged whether the stopping rule was met
 * @param certificate the guarantee on values and policy
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.STABLE)
public record Solution<S, A>(
    TabularMdp<S, A> mdp,
    ValueFunction<S> values,
    QFunction<S, A> q,
    TabularPolicy<S, A> policy,
    String method,
    int iterations,
    double residual,
    boolean converged,
    Certificate certificate) {

  /** Checks the components. */
  public Solution {
    Objects.requireNonNull(mdp, "mdp");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(q, "q");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(certificate, "certificate");
  }

  /** {@return a short report: method, iterations, residual, convergence and the certificate} */
  public String summary() {
    return method + ": " + iterations + " iterations, residual " + residual
        + (converged ? ", converged" : ", NOT converged") + "; " + certificate.kind() + ": "
        + certificate.explain();
  }
}
