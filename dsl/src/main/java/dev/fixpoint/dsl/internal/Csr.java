package dev.fixpoint.dsl.internal;

/**
 * The raw arrays of a {@link dev.fixpoint.dsl.TabularMdp}, shared without copying with the kernels
 * of sibling modules. Never modify them.
 *
 * <p>Rows are the available (state, action) pairs grouped by state: rows of state s are {@code
 * rowStart[s] .. rowStart[s+1]-1}; row r is action {@code rowAction[r]} of state {@code rowState[r]}.
 * Entries of row r are {@code entryStart[r] .. entryStart[r+1]-1}: next state {@code next[k]} with
 * probability {@code prob[k]}, next states strictly increasing within a row. Terminal states have
 * no rows.
 *
 * @param numStates S
 * @param numActions A, the number of distinct actions
 * @param rowStart S+1 row offsets
 * @param rowAction action index per row
 * @param rowState state index per row
 * @param entryStart rows+1 entry offsets
 * @param next next state per entry
 * @param prob probability per entry
 * @param reward expected reward per row
 * @param terminal per state
 * @param discount gamma
 */
public record Csr(int numStates, int numActions, int[] rowStart, int[] rowAction, int[] rowState,
    int[] entryStart, int[] next, double[] prob, double[] reward, boolean[] terminal,
    double discount) {

  /** {@return the number of rows (available state-action pairs)} */
  public int numRows() {
    return rowAction.length;
  }

  /** {@return the number of stored transitions} */
  public int numEntries() {
    return next.length;
  }
}
