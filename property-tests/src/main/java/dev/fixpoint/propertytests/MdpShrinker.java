package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.fraction.BigFraction;
import org.jspecify.annotations.Nullable;

/**
 * Shrink candidates of a {@link RandomMdp}, biggest steps first: remove a state (its incoming
 * transitions redirected to another state of the same kind), make a state terminal (when the spec
 * allows terminal states), remove an
 * action label, remove one available pair, remove one outcome (renormalising), lower the discount
 * to the spec's smallest, zero or truncate rewards, make rows uniform, undo the state and action
 * orders. Each candidate has strictly fewer states, rows, outcomes, non-zero or non-integer rewards,
 * non-uniform rows, or a smaller discount or a sorted order, so shrinking ends. Models with gamma
 * = 1 keep at least one terminal state and a terminal successor in every row (they stay proper).
 */
final class MdpShrinker {
  private MdpShrinker() {}

  static Stream<RandomMdp> shrink(MdpSpec spec, RandomMdp m) {
    List<Supplier<Stream<RandomMdp>>> steps = List.of(
        () -> IntStream.iterate(m.numStates(), x -> x >= 1, x -> x - 1)
            .mapToObj(x -> removeState(m, x)),
        () -> spec.terminals() || spec.undiscounted()
            ? IntStream.rangeClosed(1, m.numStates()).mapToObj(x -> makeTerminal(m, x))
            : Stream.<RandomMdp>empty(),
        () -> IntStream.iterate(m.numActions(), a -> a >= 1, a -> a - 1)
            .mapToObj(a -> removeAction(m, a)),
        () -> rows(m).map(sa -> removeRow(m, sa[0], sa[1])),
        () -> rows(m).flatMap(sa -> IntStream.range(0, m.dynamicsLists().get(sa[0] - 1)
            .get(sa[1]).size()).mapToObj(k -> removeOutcome(m, sa[0], sa[1], k))),
        () -> Stream.of(lowerDiscount(spec, m)),
        () -> Stream.of(mapRewards(m, r -> BigFraction.ZERO), mapRewards(m, MdpShrinker::trunc)),
        () -> Stream.of(uniformRows(m)),
        () -> Stream.of(sortedOrders(m)));
    return steps.stream().flatMap(Supplier::get).filter(Objects::nonNull)
        .filter(c -> !c.equals(m));
  }

  /** Every available pair as {state label, index in its action list}. */
  private static Stream<int[]> rows(RandomMdp m) {
    return IntStream.rangeClosed(1, m.numStates()).boxed().flatMap(s -> IntStream
        .range(0, m.actions(s).size()).mapToObj(i -> new int[] {s, i}));
  }

  private static boolean proper(RandomMdp m) {
    return m.discount().equals(BigFraction.ONE);
  }

  private static @Nullable RandomMdp removeState(RandomMdp m, int x) {
    int n = m.numStates();
    if (n < 2) {
      return null;
    }
    boolean[] term = m.terminalFlags();
    int sameKind = 0;
    int target = -1;
    for (int s = 1; s <= n; s++) {
      if (s != x && term[s - 1] == term[x - 1]) {
        sameKind++;
        target = target < 0 ? s : target;
      }
    }
    if (sameKind == 0 && (!term[x - 1] || proper(m))) {
      return null; // the last non-terminal state, or the last terminal state of a proper model
    }
    int to = target > 0 ? target : (x == 1 ? 2 : 1);
    UnaryOperator<Integer> relabel = y -> {
      int z = y == x ? to : y;
      return z > x ? z - 1 : z;
    };
    List<Integer> order = new ArrayList<>();
    for (int s : m.states()) {
      if (s != x) {
        order.add(relabel.apply(s));
      }
    }
    boolean[] t2 = new boolean[n - 1];
    List<List<Integer>> acts = new ArrayList<>();
    List<List<Dist<Outcome<Integer>>>> dyn = new ArrayList<>();
    for (int s = 1; s <= n; s++) {
      if (s == x) {
        continue;
      }
      t2[relabel.apply(s) - 1] = term[s - 1];
      acts.add(m.actions(s));
      List<Dist<Outcome<Integer>>> ds = new ArrayList<>();
      for (Dist<Outcome<Integer>> d : m.dynamicsLists().get(s - 1)) {
        ds.add(d.map(o -> new Outcome<>(relabel.apply(o.next()), o.reward())));
      }
      dyn.add(ds);
    }
    return build(m, m.numActions(), order, t2, acts, dyn, m.discount());
  }

  private static @Nullable RandomMdp makeTerminal(RandomMdp m, int x) {
    boolean[] term = m.terminalFlags();
    if (term[x - 1]) {
      return null;
    }
    term[x - 1] = true;
    boolean anyLive = false;
    for (boolean t : term) {
      anyLive |= !t;
    }
    if (!anyLive) {
      return null;
    }
    List<List<Integer>> acts = new ArrayList<>(m.actionLists());
    List<List<Dist<Outcome<Integer>>>> dyn = new ArrayList<>(m.dynamicsLists());
    acts.set(x - 1, List.of());
    dyn.set(x - 1, List.of());
    return build(m, m.numActions(), m.states(), term, acts, dyn, m.discount());
  }

  private static @Nullable RandomMdp removeAction(RandomMdp m, int a) {
    List<List<Integer>> acts = new ArrayList<>();
    List<List<Dist<Outcome<Integer>>>> dyn = new ArrayList<>();
    for (int s = 1; s <= m.numStates(); s++) {
      List<Integer> as = new ArrayList<>();
      List<Dist<Outcome<Integer>>> ds = new ArrayList<>();
      for (int i = 0; i < m.actions(s).size(); i++) {
        int b = m.actions(s).get(i);
        if (b != a) {
          as.add(b > a ? b - 1 : b);
          ds.add(m.dynamicsLists().get(s - 1).get(i));
        }
      }
      if (as.isEmpty() && !m.isTerminal(s)) {
        return null;
      }
      acts.add(as);
      dyn.add(ds);
    }
    return build(m, m.numActions() - 1, m.states(), m.terminalFlags(), acts, dyn, m.discount());
  }

  private static @Nullable RandomMdp removeRow(RandomMdp m, int s, int i) {
    if (m.actions(s).size() < 2) {
      return null;
    }
    return withRow(m, s, i, null, true);
  }

  private static @Nullable RandomMdp removeOutcome(RandomMdp m, int s, int i, int k) {
    Dist<Outcome<Integer>> d = m.dynamicsLists().get(s - 1).get(i);
    if (d.size() < 2) {
      return null;
    }
    if (proper(m)) {
      boolean otherTerminal = false;
      for (int j = 0; j < d.size(); j++) {
        otherTerminal |= j != k && m.isTerminal(d.outcome(j).next());
      }
      if (!otherTerminal) {
        return null;
      }
    }
    LinkedHashMap<Outcome<Integer>, BigFraction> exact = new LinkedHashMap<>();
    List<Outcome<Integer>> outs = new ArrayList<>();
    List<Double> ps = new ArrayList<>();
    double total = 0;
    for (int j = 0; j < d.size(); j++) {
      if (j != k) {
        outs.add(d.outcome(j));
        ps.add(d.probabilityAt(j));
        total += d.probabilityAt(j);
        if (d.isExact()) {
          exact.put(d.outcome(j), d.exactProbabilityAt(j));
        }
      }
    }
    Dist<Outcome<Integer>> reduced;
    if (d.isExact()) {
      reduced = Dist.normalized(exact);
    } else {
      double[] w = new double[ps.size()];
      for (int j = 0; j < w.length; j++) {
        w[j] = ps.get(j) / total;
      }
      reduced = Dist.ofDoubles(outs, w);
    }
    return withRow(m, s, i, reduced, false);
  }

  private static @Nullable RandomMdp withRow(RandomMdp m, int s, int i,
      @Nullable Dist<Outcome<Integer>> d, boolean remove) {
    List<List<Integer>> acts = new ArrayList<>(m.actionLists());
    List<List<Dist<Outcome<Integer>>>> dyn = new ArrayList<>(m.dynamicsLists());
    List<Integer> as = new ArrayList<>(acts.get(s - 1));
    List<Dist<Outcome<Integer>>> ds = new ArrayList<>(dyn.get(s - 1));
    if (remove) {
      as.remove(i);
      ds.remove(i);
    } else {
      ds.set(i, Objects.requireNonNull(d, "d"));
    }
    acts.set(s - 1, as);
    dyn.set(s - 1, ds);
    return build(m, m.numActions(), m.states(), m.terminalFlags(), acts, dyn, m.discount());
  }

  private static @Nullable RandomMdp lowerDiscount(MdpSpec spec, RandomMdp m) {
    BigFraction low = new BigFraction(MdpSpec.firstDiscountNumerator(spec.minDiscount(),
        spec.discountDenominator()), spec.discountDenominator());
    if (m.discount().compareTo(low) <= 0) {
      return null;
    }
    return build(m, m.numActions(), m.states(), m.terminalFlags(), m.actionLists(),
        m.dynamicsLists(), low);
  }

  private static BigFraction trunc(BigFraction r) {
    BigInteger[] qr = r.getNumerator().divideAndRemainder(r.getDenominator());
    return new BigFraction(qr[0]);
  }

  private static @Nullable RandomMdp mapRewards(RandomMdp m,
      Function<BigFraction, BigFraction> f) {
    return mapRows(m, d -> d.map(o -> new Outcome<>(o.next(), f.apply(o.reward()))));
  }

  private static @Nullable RandomMdp uniformRows(RandomMdp m) {
    return mapRows(m, d -> {
      Dist<Outcome<Integer>> u = Dist.uniform(d.support());
      return d.isExact() ? u : u.toInexact();
    });
  }

  private static @Nullable RandomMdp mapRows(RandomMdp m,
      UnaryOperator<Dist<Outcome<Integer>>> f) {
    List<List<Dist<Outcome<Integer>>>> dyn = new ArrayList<>();
    for (List<Dist<Outcome<Integer>>> ds : m.dynamicsLists()) {
      dyn.add(ds.stream().map(f).toList());
    }
    return build(m, m.numActions(), m.states(), m.terminalFlags(), m.actionLists(), dyn,
        m.discount());
  }

  private static @Nullable RandomMdp sortedOrders(RandomMdp m) {
    List<Integer> order = m.states().stream().sorted().toList();
    List<List<Integer>> acts = new ArrayList<>();
    List<List<Dist<Outcome<Integer>>>> dyn = new ArrayList<>();
    for (int s = 1; s <= m.numStates(); s++) {
      List<Integer> as = m.actions(s).stream().sorted().toList();
      acts.add(as);
      List<Dist<Outcome<Integer>>> ds = new ArrayList<>();
      for (int a : as) {
        ds.add(m.outcomes(s, a));
      }
      dyn.add(ds);
    }
    return build(m, m.numActions(), order, m.terminalFlags(), acts, dyn, m.discount());
  }

  private static @Nullable RandomMdp build(RandomMdp m, int numActions, List<Integer> order,
      boolean[] terminal, List<List<Integer>> acts, List<List<Dist<Outcome<Integer>>>> dyn,
      BigFraction discount) {
    try {
      return RandomMdp.of(m.tier(), numActions, order, terminal, acts, dyn, discount);
    } catch (ModelException e) {
      return null; // a candidate that breaks a rule is no candidate
    }
  }
}
