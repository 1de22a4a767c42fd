package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * Draws a {@link RandomMdp} from an {@link MdpSpec}. Every draw is a bounded one whose value
 * nearest zero means "simpler" (fewer states, actions and successors; no terminal state; identity
 * order; all actions available; uniform-ish probabilities; zero rewards), which is what
 * QuickTheories' draw-level shrinking moves towards.
 */
final class MdpDraws {
  /** Double-tier probabilities are proportional to weights 1 + (WEIGHT_RANGE - 1) u. */
  static final double WEIGHT_RANGE = 64;

  private MdpDraws() {}

  static RandomMdp draw(MdpSpec spec, RandomGenerator rng) {
    boolean undiscounted = spec.undiscounted() && rng.nextInt(0, 4) == 3;
    int minStates = undiscounted ? Math.max(2, spec.minStates()) : spec.minStates();
    int n = rng.nextInt(minStates, spec.maxStates() + 1);
    int numActions = rng.nextInt(1, spec.maxActions() + 1);
    BigFraction discount = undiscounted ? BigFraction.ONE : drawDiscount(spec, rng);
    boolean[] terminal = new boolean[n];
    if (spec.terminals() || undiscounted) {
      for (int s = 0; s < n; s++) {
        terminal[s] = rng.nextInt(0, 4) == 3;
      }
    }
    if (undiscounted && !anyTrue(terminal)) {
      terminal[n - 1] = true;
    }
    if (allTrue(terminal)) {
      terminal[0] = false;
    }
    List<Integer> order = shuffled(rangeList(1, n), rng);
    List<Integer> terminalStates = new ArrayList<>();
    for (int s = 1; s <= n; s++) {
      if (terminal[s - 1]) {
        terminalStates.add(s);
      }
    }
    List<List<Integer>> actions = new ArrayList<>();
    List<List<Dist<Outcome<Integer>>>> dynamics = new ArrayList<>();
    for (int s = 1; s <= n; s++) {
      List<Integer> as = new ArrayList<>();
      List<Dist<Outcome<Integer>>> ds = new ArrayList<>();
      actions.add(as);
      dynamics.add(ds);
      if (terminal[s - 1]) {
        continue;
      }
      for (int a = 1; a <= numActions; a++) {
        if (rng.nextInt(0, 4) != 3) {
          as.add(a);
        }
      }
      if (as.isEmpty()) {
        as.add(rng.nextInt(1, numActions + 1));
      }
      shuffled(as, rng);
      for (int i = 0; i < as.size(); i++) {
        ds.add(drawRow(spec, rng, n, undiscounted, terminalStates));
      }
    }
    return RandomMdp.of(spec.tier(), numActions, order, terminal, actions, dynamics, discount);
  }

  private static BigFraction drawDiscount(MdpSpec spec, RandomGenerator rng) {
    int d = spec.discountDenominator();
    int lo = MdpSpec.firstDiscountNumerator(spec.minDiscount(), d);
    int hi = MdpSpec.lastDiscountNumerator(spec.maxDiscount(), d);
    return new BigFraction(rng.nextInt(lo, hi + 1), d);
  }

  private static Dist<Outcome<Integer>> drawRow(MdpSpec spec, RandomGenerator rng, int n,
      boolean undiscounted, List<Integer> terminalStates) {
    boolean exact = spec.tier() == Tier.EXACT;
    int maxB = Math.min(spec.maxBranching(), n);
    if (exact) {
      maxB = Math.min(maxB, spec.denominator());
    }
    int b = rng.nextInt(1, maxB + 1);
    List<Integer> next = new ArrayList<>(shuffledPrefix(rangeList(1, n), b, rng));
    if (undiscounted && next.stream().noneMatch(terminalStates::contains)) {
      next.set(b - 1, terminalStates.get(rng.nextInt(0, terminalStates.size())));
    }
    List<Outcome<Integer>> outs = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      outs.add(new Outcome<>(next.get(i), drawReward(spec, rng)));
    }
    boolean split = rng.nextInt(0, 4) == 3; // a second reward for the first next state
    if (exact) {
      int q = spec.denominator();
      List<Integer> cuts = new ArrayList<>(shuffledPrefix(rangeList(1, q - 1), b - 1, rng));
      cuts.sort(null);
      BigFraction[] p = new BigFraction[b];
      int prev = 0;
      for (int i = 0; i < b - 1; i++) {
        p[i] = new BigFraction(cuts.get(i) - prev, q);
        prev = cuts.get(i);
      }
      p[b - 1] = new BigFraction(q - prev, q);
      if (split) {
        outs.add(new Outcome<>(next.get(0), drawReward(spec, rng)));
        p = Arrays.copyOf(p, b + 1);
        p[0] = p[0].divide(2);
        p[b] = p[0];
      }
      return Dist.ofExact(outs, p);
    }
    double[] w = new double[b];
    double total = 0;
    for (int i = 0; i < b; i++) {
      w[i] = 1 + (WEIGHT_RANGE - 1) * rng.nextDouble();
      total += w[i];
    }
    for (int i = 0; i < b; i++) {
      w[i] /= total;
    }
    if (split) {
      outs.add(new Outcome<>(next.get(0), drawReward(spec, rng)));
      w = Arrays.copyOf(w, b + 1);
      w[0] /= 2;
      w[b] = w[0];
    }
    return Dist.ofDoubles(outs, w);
  }

  private static BigFraction drawReward(MdpSpec spec, RandomGenerator rng) {
    if (spec.tier() == Tier.EXACT) {
      int d = spec.rewardDenominator();
      int k = rng.nextInt(spec.minReward() * d, spec.maxReward() * d + 1);
      return new BigFraction(k, d);
    }
    double r = spec.minReward() == spec.maxReward() ? spec.minReward()
        : rng.nextDouble(spec.minReward(), spec.maxReward());
    return Rationals.fromDouble(r);
  }

  static List<Integer> rangeList(int from, int to) {
    List<Integer> xs = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      xs.add(i);
    }
    return xs;
  }

  /** Fisher-Yates from the back; a draw of 0 leaves the element in place. */
  static <T> List<T> shuffled(List<T> xs, RandomGenerator rng) {
    for (int i = xs.size() - 1; i > 0; i--) {
      int j = i - rng.nextInt(0, i + 1);
      T t = xs.get(i);
      xs.set(i, xs.get(j));
      xs.set(j, t);
    }
    return xs;
  }

  /** The first k of a partial Fisher-Yates shuffle; draws of 0 give the first k elements. */
  static <T> List<T> shuffledPrefix(List<T> xs, int k, RandomGenerator rng) {
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(0, xs.size() - i);
      T t = xs.get(i);
      xs.set(i, xs.get(j));
      xs.set(j, t);
    }
    return xs.subList(0, k);
  }

  private static boolean anyTrue(boolean[] xs) {
    for (boolean x : xs) {
      if (x) {
        return true;
      }
    }
    return false;
  }

  private static boolean allTrue(boolean[] xs) {
    for (boolean x : xs) {
      if (!x) {
        return false;
      }
    }
    return true;
  }
}
