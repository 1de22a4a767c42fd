package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.fraction.BigFraction;

/** Random policies over the rows of a model, and their shrinkers. */
final class PolicyDraws {
  /** Exact stochastic policies put multiples of 1/DENOMINATOR on each row. */
  static final int DENOMINATOR = 12;

  private PolicyDraws() {}

  static <S, A> TabularPolicy<S, A> deterministic(TabularMdp<S, A> m, RandomGenerator rng) {
    int[] rows = new int[m.numStates()];
    for (int s = 0; s < m.numStates(); s++) {
      int count = m.rowEnd(s) - m.rowStart(s);
      rows[s] = count == 0 ? -1 : m.rowStart(s) + rng.nextInt(0, count);
    }
    return TabularPolicy.deterministic(m, rows);
  }

  /**
   * Exact: a weak composition of {@link #DENOMINATOR} over each state's rows (cut-points drawn
   * with replacement). Double: weights 1 + 63 u normalised, so every row has positive probability.
   */
  static <S, A> TabularPolicy<S, A> stochastic(TabularMdp<S, A> m, Tier tier,
      RandomGenerator rng) {
    int rows = m.numRows();
    if (tier == Tier.EXACT) {
      BigFraction[] p = new BigFraction[rows];
      for (int s = 0; s < m.numStates(); s++) {
        int k = m.rowEnd(s) - m.rowStart(s);
        if (k == 0) {
          continue;
        }
        int[] cuts = new int[k - 1];
        for (int i = 0; i < k - 1; i++) {
          cuts[i] = rng.nextInt(0, DENOMINATOR + 1);
        }
        Arrays.sort(cuts);
        int prev = 0;
        for (int i = 0; i < k; i++) {
          int c = i < k - 1 ? cuts[i] : DENOMINATOR;
          p[m.rowStart(s) + i] = new BigFraction(c - prev, DENOMINATOR);
          prev = c;
        }
      }
      return TabularPolicy.ofExact(m, p);
    }
    double[] p = new double[rows];
    for (int s = 0; s < m.numStates(); s++) {
      double total = 0;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        p[r] = 1 + (MdpDraws.WEIGHT_RANGE - 1) * rng.nextDouble();
        total += p[r];
      }
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        p[r] /= total;
      }
    }
    return TabularPolicy.of(m, p);
  }

  /**
   * Candidates: for a stochastic policy, its deterministic argmax (first row on ties), then the
   * uniform policy; for a deterministic one, the first row everywhere, then the first row in one
   * state at a time.
   */
  static <S, A> Stream<TabularPolicy<S, A>> shrink(TabularPolicy<S, A> pi) {
    TabularMdp<S, A> m = pi.mdp();
    int[] argmax = new int[m.numStates()];
    int[] first = new int[m.numStates()];
    for (int s = 0; s < m.numStates(); s++) {
      argmax[s] = -1;
      first[s] = m.rowStart(s) < m.rowEnd(s) ? m.rowStart(s) : -1;
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        if (argmax[s] < 0 || pi.probAt(r) > pi.probAt(argmax[s])) {
          argmax[s] = r;
        }
      }
    }
    if (!pi.isDeterministic()) {
      return Stream.of(TabularPolicy.deterministic(m, argmax), uniform(m, pi.isExact()));
    }
    List<TabularPolicy<S, A>> out = new ArrayList<>();
    if (!Arrays.equals(argmax, first)) {
      out.add(TabularPolicy.deterministic(m, first));
    }
    IntStream.range(0, m.numStates()).filter(s -> argmax[s] != first[s]).forEach(s -> {
      int[] rows = argmax.clone();
      rows[s] = first[s];
      out.add(TabularPolicy.deterministic(m, rows));
    });
    return out.stream();
  }

  static <S, A> TabularPolicy<S, A> uniform(TabularMdp<S, A> m, boolean exact) {
    BigFraction[] e = new BigFraction[m.numRows()];
    double[] d = new double[m.numRows()];
    for (int s = 0; s < m.numStates(); s++) {
      int k = m.rowEnd(s) - m.rowStart(s);
      for (int r = m.rowStart(s); r < m.rowEnd(s); r++) {
        e[r] = new BigFraction(1, k);
        d[r] = 1.0 / k;
      }
    }
    return exact ? TabularPolicy.ofExact(m, e) : TabularPolicy.of(m, d);
  }
}
