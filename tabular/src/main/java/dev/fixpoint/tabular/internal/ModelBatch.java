package dev.fixpoint.tabular.internal;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import java.util.Arrays;
import java.util.List;

/**
 * K models of one shape laid out for batched backends: the shared {@code rowStart} and {@code
 * entryStart} of the first model, and the per-model arrays concatenated model after model (model
 * k's entries at {@code k * entries() ..}, its rows at {@code k * rows() ..}). Shared with the GPU
 * module; never modify the arrays.
 *
 * @param numStates S, the same for every model
 * @param rowStart S+1 row offsets, the same for every model
 * @param entryStart rows+1 entry offsets, the same for every model
 * @param next K * entries next states
 * @param prob K * entries probabilities
 * @param reward K * rows expected rewards
 * @param discount K discounts
 */
public record ModelBatch(int numStates, int[] rowStart, int[] entryStart, int[] next,
    double[] prob, double[] reward, double[] discount) {

  /** {@return K} */
  public int instances() {
    return discount.length;
  }

  /** {@return the rows of one model} */
  public int rows() {
    return entryStart.length - 1;
  }

  /** {@return the entries of one model} */
  public int entries() {
    return entryStart[entryStart.length - 1];
  }

  /** {@return a batch of one model, sharing its arrays without copying} @param m the model */
  public static ModelBatch of(TabularMdp<?, ?> m) {
    Csr c = m.csr();
    return new ModelBatch(c.numStates(), c.rowStart(), c.entryStart(), c.next(), c.prob(),
        c.reward(), new double[] {c.discount()});
  }

  /**
   * {@return the batch of these models, checked to have one shape}
   *
   * @param mdps at least one model
   * @throws ModelException when the list is empty or a model differs in shape from model 0: the
   *     message names the model, the state or row, and both counts
   */
  public static ModelBatch of(List<? extends TabularMdp<?, ?>> mdps) {
    if (mdps.isEmpty()) {
      throw new ModelException("a batch needs at least one model (got none)");
    }
    if (mdps.size() == 1) {
      return of(mdps.get(0));
    }
    Csr first = mdps.get(0).csr();
    int s = first.numStates();
    int rows = first.numRows();
    int entries = first.numEntries();
    int k = mdps.size();
    int[] next = new int[Math.multiplyExact(k, entries)];
    double[] prob = new double[next.length];
    double[] reward = new double[Math.multiplyExact(k, rows)];
    double[] discount = new double[k];
    for (int i = 0; i < k; i++) {
      TabularMdp<?, ?> m = mdps.get(i);
      Csr c = m.csr();
      if (c.numStates() != s) {
        throw new ModelException("batch model " + i + " (\"" + m.name() + "\") has "
            + c.numStates() + " states; model 0 has " + s + ": a batch needs one shape");
      }
      if (!Arrays.equals(c.rowStart(), first.rowStart())) {
        int st = Arrays.mismatch(c.rowStart(), first.rowStart()) - 1;
        throw new ModelException("batch model " + i + " (\"" + m.name() + "\"): state " + st
            + " has " + (c.rowStart()[st + 1] - c.rowStart()[st]) + " rows; model 0 has "
            + (first.rowStart()[st + 1] - first.rowStart()[st]) + ": a batch needs one shape");
      }
      if (!Arrays.equals(c.entryStart(), first.entryStart())) {
        int r = Arrays.mismatch(c.entryStart(), first.entryStart()) - 1;
        throw new ModelException("batch model " + i + " (\"" + m.name() + "\"): row " + r
            + " has " + (c.entryStart()[r + 1] - c.entryStart()[r]) + " successors; model 0 has "
            + (first.entryStart()[r + 1] - first.entryStart()[r])
            + ": a batch needs one shape");
      }
      System.arraycopy(c.next(), 0, next, i * entries, entries);
      System.arraycopy(c.prob(), 0, prob, i * entries, entries);
      System.arraycopy(c.reward(), 0, reward, i * rows, rows);
      discount[i] = c.discount();
    }
    return new ModelBatch(s, first.rowStart(), first.entryStart(), next, prob, reward, discount);
  }
}
