package dev.fixpoint.tabular.gflownet;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.gflownet.FlowNetwork;
import dev.fixpoint.dsl.gflownet.Reward;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * The autoregressive BitSequence task (Malkin et al., "Trajectory balance", NeurIPS 2022; torchgfn
 * {@code BitSequence}, spec {@code gflownet.md} section 5): a state is a bit string whose length is
 * a multiple of the word size k; each step appends one of the 2^k words (children in increasing
 * word order); strings of the full length n terminate. The DAG is a tree, so P_B = 1. Reward log
 * R(x) = -min_m Hamming(x, m) / T over the modes m.
 *
 * @param wordSize k, in [1, 8]
 * @param length n, a multiple of k with 2^n small enough to enumerate (n &lt;= 20)
 * @param modes the mode strings, each of length n
 * @param temperature T &gt; 0
 */
@API(status = API.Status.EXPERIMENTAL)
public record BitSequence(int wordSize, int length, List<String> modes, double temperature) {

  /** The 8-bit motifs modes are built from (torchgfn). */
  public static final List<String> MOTIFS = List.of("00000000", "11111111", "11110000",
      "00001111", "00111100");

  /** Checks the parameters. */
  public BitSequence {
    modes = List.copyOf(modes);
    if (wordSize < 1 || wordSize > 8 || length < wordSize || length % wordSize != 0
        || length > 20 || modes.isEmpty() || !(temperature > 0)) {
      throw new ModelException("bit sequence: word size " + wordSize + " in [1, 8], length "
          + length + " a multiple of it and <= 20, at least one mode, temperature "
          + temperature + " > 0 required");
    }
    for (String m : modes) {
      if (m.length() != length || !m.matches("[01]+")) {
        throw new ModelException("bit sequence: mode \"" + m + "\" must be " + length + " bits");
      }
    }
  }

  /**
   * {@return a task whose modes are seeded concatenations of the 8-bit {@link #MOTIFS} (cut to the
   * length), T = 1}
   * @param wordSize k
   * @param length n
   * @param count the number of modes
   * @param rng the source of randomness
   */
  public static BitSequence seeded(int wordSize, int length, int count, RandomGenerator rng) {
    List<String> modes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder();
      while (b.length() < length) {
        b.append(MOTIFS.get(rng.nextInt(MOTIFS.size())));
      }
      modes.add(b.substring(0, length));
    }
    return new BitSequence(wordSize, length, modes, 1);
  }

  /**
   * {@return log R(x) = -min_m Hamming(x, m) / T}
   * @param x a full-length bit string
   */
  public double logReward(String x) {
    int best = Integer.MAX_VALUE;
    for (String m : modes) {
      int d = 0;
      for (int i = 0; i < length; i++) {
        d += x.charAt(i) != m.charAt(i) ? 1 : 0;
      }
      best = Math.min(best, d);
    }
    return -best / temperature;
  }

  /** {@return the flow network over bit strings} */
  public FlowNetwork<String> network() {
    return FlowNetwork.of("", s -> {
      List<String> out = new ArrayList<>();
      if (s.length() < length) {
        for (int w = 0; w < (1 << wordSize); w++) {
          out.add(s + Integer.toBinaryString((1 << wordSize) | w).substring(1));
        }
      }
      return out;
    }, s -> s.length() == length, s -> Reward.log(logReward(s)));
  }
}
