package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.FlowNetwork;
import dev.fixpoint.dsl.gflownet.Reward;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The DiscreteEBM environment of torchgfn (after Zhang, Malkin, Liu, Volokhova, Courville and
 * Bengio, "Generative flow networks for discrete probabilistic modeling", ICML 2022; spec {@code
 * gflownet.md} section 5): states {-1, 0, 1}^D (-1 = unset), s_0 = (-1, ..., -1); the actions of
 * a state set an unset coordinate i to 0 (actions i) or to 1 (actions D+i), in that order; only
 * complete states x in {0, 1}^D terminate (and have no children). Each x is reached by D! fill
 * orders. Reward log R(x) = alpha c^T J c with c = 2x - 1; the default J is the all-ones matrix
 * (log R = alpha (sum c)^2). {@link #ising} is J = kappa A with A the 4-neighbour adjacency of an
 * L x L torus (torchgfn's {@code train_ising.py}).
 *
 * <p>With uniform P_B the flow has the closed form F(s) = C(D, k)^-1 sum_{x consistent with s}
 * R(x) for s with k fixed coordinates (the backward chain unfixes a uniformly random coordinate,
 * so the fixed set that survives is a uniform k-subset).
 *
 * @param dim D, in [1, 16]
 * @param alpha the inverse temperature
 * @param coupling J, D x D (copied)
 */
@API(status = API.Status.EXPERIMENTAL)
public record DiscreteEbm(int dim, double alpha, double[][] coupling) {

  /** Checks and copies. */
  public DiscreteEbm {
    if (dim < 1 || dim > 16 || coupling.length != dim || !Double.isFinite(alpha)) {
      throw new ModelException("discrete EBM: dim = " + dim + " must be in [1, 16], alpha = "
          + alpha + " finite, J " + dim + " x " + dim);
    }
    double[][] j = new double[dim][];
    for (int i = 0; i < dim; i++) {
      if (coupling[i].length != dim) {
        throw new ModelException("discrete EBM: row " + i + " of J has " + coupling[i].length
            + " entries, expected " + dim);
      }
      j[i] = coupling[i].clone();
    }
    coupling = j;
  }

  /**
   * {@return torchgfn's default, J = all ones, alpha = 1}
   * @param dim D
   */
  public static DiscreteEbm of(int dim) {
    double[][] j = new double[dim][dim];
    for (double[] row : j) {
      java.util.Arrays.fill(row, 1.0);
    }
    return new DiscreteEbm(dim, 1, j);
  }

  /**
   * {@return the Ising model on an L x L torus: J = kappa A, alpha = 1, D = L^2}
   * @param side L &gt;= 2 (L^2 &lt;= 16)
   * @param kappa the coupling strength
   */
  public static DiscreteEbm ising(int side, double kappa) {
    int d = side * side;
    double[][] j = new double[d][d];
    for (int r = 0; r < side; r++) {
      for (int c = 0; c < side; c++) {
        int i = r * side + c;
        int[] nb = {((r + 1) % side) * side + c, ((r + side - 1) % side) * side + c,
            r * side + (c + 1) % side, r * side + (c + side - 1) % side};
        for (int k : nb) {
          if (k != i) {
            j[i][k] = kappa;
          }
        }
      }
    }
    return new DiscreteEbm(d, 1, j);
  }

  /**
   * {@return log R(x) = alpha c^T J c, c = 2x - 1}
   * @param x a complete state (entries 0 or 1)
   */
  public double logReward(List<Integer> x) {
    double s = 0;
    for (int i = 0; i < dim; i++) {
      for (int k = 0; k < dim; k++) {
        s += (2 * x.get(i) - 1) * coupling[i][k] * (2 * x.get(k) - 1);
      }
    }
    return alpha * s;
  }

  /** {@return the flow network over states as lists of -1/0/1} */
  public FlowNetwork<List<Integer>> network() {
    List<Integer> source = Collections.nCopies(dim, -1);
    return FlowNetwork.of(source, s -> {
      List<List<Integer>> out = new ArrayList<>();
      for (int v = 0; v <= 1; v++) {
        for (int i = 0; i < dim; i++) {
          if (s.get(i) == -1) {
            List<Integer> t = new ArrayList<>(s);
            t.set(i, v);
            out.add(List.copyOf(t));
          }
        }
      }
      return out;
    }, s -> !s.contains(-1), s -> Reward.log(logReward(s)));
  }
}
