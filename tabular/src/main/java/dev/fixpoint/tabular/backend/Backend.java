package dev.fixpoint.tabular.backend;

import dev.fixpoint.dsl.TabularMdp;
import org.apiguardian.api.API;

/**
 * The hot loops of the double solvers, behind one interface so that a GPU implementation can
 * replace the CPU one without changing any solver (DESIGN.md, core idea 5).
 *
 * <p>A backend {@linkplain #load(TabularMdp) loads} a model once (a GPU backend uploads it) and
 * then runs Bellman backups on it. Vectors are host {@code double[]} arrays: V over states, Q and
 * policies over rows (see {@link TabularMdp}). Terminal states always get value 0. Every operation
 * is deterministic: the same input gives the same output bit for bit, whatever the thread count.
 */
@API(status = API.Status.EXPERIMENTAL)
public interface Backend {

  /** {@return the name used by {@link Backends#byName(String)}, e.g. "cpu"} */
  String name();

  /**
   * Prepares a model for repeated backups.
   *
   * @param mdp the model
   * @return the loaded model; close it to free device memory
   */
  LoadedModel load(TabularMdp<?, ?> mdp);

  /** A model resident on a backend. Not thread-safe. */
  interface LoadedModel extends AutoCloseable {

    /** {@return S} */
    int numStates();

    /** {@return the number of rows} */
    int numRows();

    /**
     * One synchronous (Jacobi) optimality backup: vOut(s) = max over rows r of s of r(r) + gamma
     * sum_k p_k v(next_k), and 0 at terminal states.
     *
     * @param v the current values (length S), not modified
     * @param vOut receives the new values (length S, not aliasing v)
     * @param greedyRowOut receives per state the first maximising row (-1 at terminal states), or
     *     an empty array to skip
     * @return the sup-norm change max_s |vOut(s) - v(s)|
     */
    double optimalityBackup(double[] v, double[] vOut, int[] greedyRowOut);

    /**
     * One in-place Gauss-Seidel optimality sweep over the states in index order: each state's
     * new value is used by the states after it.
     *
     * @param v the values, updated in place
     * @param greedyRowOut receives the first maximising row per state, or an empty array
     * @return the sup-norm change of this sweep
     */
    double gaussSeidelOptimality(double[] v, int[] greedyRowOut);

    /**
     * One policy backup: vOut(s) = sum over rows r of s of pi(r) (r(r) + gamma sum_k p_k
     * v(next_k)).
     *
     * @param policy probability per row
     * @param v the current values, not modified
     * @param vOut receives the new values (not aliasing v)
     * @return the sup-norm change
     */
    double policyBackup(double[] policy, double[] v, double[] vOut);

    /**
     * Action values of v: qOut(r) = r(r) + gamma sum_k p_k v(next_k) for every row.
     *
     * @param v values over states
     * @param qOut receives values over rows
     */
    void qValues(double[] v, double[] qOut);

    /** Frees resources held for this model (nothing on the CPU). */
    @Override
    void close();
  }
}
