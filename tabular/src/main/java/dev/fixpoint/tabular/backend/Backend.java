package dev.fixpoint.tabular.backend;

import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The hot loops of the double solvers, behind one interface so that a GPU implementation can
 * replace the CPU one without changing any solver (DESIGN.md, core idea 5).
 *
 * <p>A backend {@linkplain #load(TabularMdp) loads} a model once (a GPU backend uploads it) and
 * then runs Bellman backups on it. Vectors are host {@code double[]} arrays: V over states, Q and
 * policies over rows (see {@link TabularMdp}). Terminal states always get value 0. Every operation
 * is deterministic: the same input gives the same output bit for bit, whatever the thread count.
 *
 * <p><b>Resident buffers and batches.</b> Besides the host-array operations, a loaded model hands
 * out {@link Vectors}: K vectors of one length kept where the backend computes (device memory for a
 * GPU backend, a plain array on the CPU), so that a solver moves data across the bus only to start
 * and to finish. The vector operations work on all K vectors at once and return one sup-norm
 * residual per vector, reduced where the data lives. A model loaded with {@link #loadBatch(List)}
 * holds K models of one shape (same states, same rows per state, same entries per row); vector k
 * then belongs to model k. One model with K vectors evaluates K value functions (or K policies)
 * of the same model at once.
 *
 * <p><b>Arithmetic.</b> Every backend computes each value by the same sequence of IEEE-754 double
 * operations as {@link CpuBackend} (no fused multiply-add, entries summed in CSR order), so results
 * agree bit for bit unless a backend documents a lower precision.
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

  /**
   * Prepares K models of one shape for batched backups: vector k of every {@link Vectors}
   * argument belongs to model k. Models have one shape when they have the same number of states,
   * the same rows per state and the same entries per row (the {@code rowStart} and {@code
   * entryStart} arrays are equal); next states, probabilities, rewards and discounts may differ.
   *
   * @param mdps the models, at least one
   * @return the loaded batch, with {@link LoadedModel#instances()} = K; close it to free memory
   * @throws dev.fixpoint.dsl.ModelException when the list is empty or a model's shape differs from
   *     the first one's (the message names the model and the first differing state or row)
   */
  LoadedModel loadBatch(List<? extends TabularMdp<?, ?>> mdps);

  /**
   * K vectors of one length resident on a backend, stored vector after vector: element i of
   * vector k is at host index {@code k * length() + i} in {@link #write} and {@link #read}. Not
   * thread-safe; usable only with the model that made it.
   */
  interface Vectors extends AutoCloseable {
    /** {@return K, the number of vectors} */
    int count();

    /** {@return the length of each vector} */
    int length();

    /**
     * Copies host values in.
     *
     * @param host {@code count() * length()} values
     */
    void write(double[] host);

    /**
     * Copies the values out.
     *
     * @param host receives {@code count() * length()} values
     */
    void read(double[] host);

    /** {@return a new host array with the values} */
    default double[] read() {
      double[] out = new double[Math.multiplyExact(count(), length())];
      read(out);
      return out;
    }

    /** Frees the memory (nothing on the CPU). */
    @Override
    void close();
  }

  /** K vectors of row indices over states (greedy policies), resident on a backend. */
  interface Indices extends AutoCloseable {
    /** {@return K} */
    int count();

    /** {@return the length of each vector (the number of states)} */
    int length();

    /**
     * Copies the indices out, vector after vector.
     *
     * @param host receives {@code count() * length()} indices
     */
    void read(int[] host);

    /** {@return a new host array with the indices} */
    default int[] read() {
      int[] out = new int[Math.multiplyExact(count(), length())];
      read(out);
      return out;
    }

    /** Frees the memory. */
    @Override
    void close();
  }

  /** A model (or a batch of models of one shape) resident on a backend. Not thread-safe. */
  interface LoadedModel extends AutoCloseable {

    /** {@return S} */
    int numStates();

    /** {@return the number of rows} */
    int numRows();

    /**
     * {@return the number of models held: 1 after {@link Backend#load}, K after {@link
     * Backend#loadBatch}} The host-array operations below need 1.
     */
    int instances();

    /**
     * Allocates K zero vectors.
     *
     * @param count K &gt;= 1; when {@link #instances()} &gt; 1 the operations need K = instances()
     * @param length numStates() for values, numRows() for policies and Q
     * @return the vectors
     */
    Vectors vectors(int count, int length);

    /**
     * Allocates K index vectors of length numStates().
     *
     * @param count K &gt;= 1
     * @return the index vectors, initially 0
     */
    Indices indices(int count);

    /**
     * K synchronous optimality backups at once: for every vector k, vOut_k(s) = max over rows r of
     * s of r(r) + gamma sum_j p_j v_k(next_j), 0 at terminal states, with the model of vector k.
     *
     * @param v K vectors of length S, not modified
     * @param vOut receives the new values (same K, not the same object as v)
     * @param greedyOut receives per vector and state the first maximising row (-1 at terminal
     *     states), or null to skip
     * @return per vector, the sup-norm change max_s |vOut_k(s) - v_k(s)|
     */
    double[] optimality(Vectors v, Vectors vOut, @Nullable Indices greedyOut);

    /**
     * K policy backups at once: vOut_k(s) = sum over rows r of s of pi(r) (r(r) + gamma sum_j p_j
     * v_k(next_j)), where pi is policy k, or the one policy when {@code pi.count() == 1}.
     *
     * @param pi 1 or K vectors of length numRows(), probabilities per row
     * @param v K value vectors, not modified
     * @param vOut receives the new values (not the same object as v)
     * @return per vector, the sup-norm change
     */
    double[] policy(Vectors pi, Vectors v, Vectors vOut);

    /**
     * K action-value vectors: qOut_k(r) = r(r) + gamma sum_j p_j v_k(next_j).
     *
     * @param v K vectors of length S
     * @param qOut K vectors of length numRows()
     */
    void qValues(Vectors v, Vectors qOut);

    /**
     * Policy extraction: per vector and state, the first row maximising r(r) + gamma sum_j p_j
     * v_k(next_j) (-1 at terminal states), the greedy policy of Puterman 1994, eq. 6.2.4.
     *
     * @param v K vectors of length S
     * @param rowsOut receives the rows (same K)
     */
    void greedy(Vectors v, Indices rowsOut);

    /**
     * The deterministic policies of K greedy row choices, as probabilities over rows: piOut_k(r)
     * = 1 when r is the row {@code rows} holds for vector k at the state of r, else 0 (terminal
     * states have no rows). Modified policy iteration uses it to evaluate the greedy policy
     * without leaving the backend.
     *
     * @param rows K index vectors, one row per state (as {@link #optimality} or {@link #greedy}
     *     write them)
     * @param piOut K vectors of length numRows()
     */
    void deterministicPolicy(Indices rows, Vectors piOut);

    /**
     * {@return per vector k, the sup-norm distance max_i |a_k(i) - b_k(i)|, reduced where the
     * data lives}
     *
     * @param a K vectors
     * @param b K vectors of the same length
     */
    double[] supDistance(Vectors a, Vectors b);

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
