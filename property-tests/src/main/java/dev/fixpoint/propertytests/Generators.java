package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.Operator;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import dev.fixpoint.tabular.random.ExactGarnet;
import dev.fixpoint.tabular.random.Garnet;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Library-neutral generators of the objects RL theory quantifies over: MDPs, policies, value and
 * Q-functions, operator terms. Each is a {@link Generator}: a function of a {@link
 * java.util.random.RandomGenerator} plus a shrinker; wrap one with {@link QuickTheoriesGen#of} for
 * QuickTheories.
 *
 * <p>Generators of policies, vectors and operators are for one given model (their values index its
 * rows); draw the model first and the rest from it with {@link Generator#then}.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Generators {
  private Generators() {}

  // ---------------------------------------------------------------- models

  /**
   * Random MDPs as typed descriptions with their tabulation (see {@link MdpSpec} for what is
   * drawn). Shrink candidates, biggest first: remove a state (its incoming transitions go to
   * another state of the same kind), make a state terminal (when the spec allows terminal states),
   * remove an action label, remove one available pair, remove one outcome of a pair
   * (renormalising), lower the discount to the spec's smallest, zero then truncate the rewards,
   * make every pair's outcomes uniform, sort the state and action orders. Models with gamma = 1
   * stay proper (a terminal state remains, and a terminal successor in every pair).
   *
   * @param spec what to draw
   * @return the generator
   */
  public static Generator<RandomMdp> mdps(MdpSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return Generator.of(rng -> MdpDraws.draw(spec, rng), m -> MdpShrinker.shrink(spec, m));
  }

  /**
   * {@return the tabulations of {@link #mdps(MdpSpec)}; these do not shrink through {@link
   * Generator#shrink} (QuickTheories still shrinks their draws); shrink a {@link RandomMdp} and
   * take {@link RandomMdp#tabular()} instead}
   *
   * @param spec what to draw
   */
  public static Generator<TabularMdp<Integer, Integer>> tabularMdps(MdpSpec spec) {
    return mdps(spec).map(RandomMdp::tabular);
  }

  /**
   * {@return Garnet models from a fixed spec (no shrinking: the spec fixes the sizes)}
   *
   * @param spec the double-tier Garnet spec
   */
  public static Generator<TabularMdp<Integer, Integer>> garnets(Garnet spec) {
    return Generator.of(spec::generate);
  }

  /**
   * {@return exact Garnet models from a fixed spec (no shrinking)}
   *
   * @param spec the spec
   */
  public static Generator<TabularMdp<Integer, Integer>> garnets(ExactGarnet spec) {
    return Generator.of(spec::generate);
  }

  // ---------------------------------------------------------------- policies

  /**
   * Deterministic policies of a model: in every non-terminal state one of its rows, uniformly.
   * Shrinks towards the first row of each state.
   *
   * @param mdp the model
   * @param <S> state type
   * @param <A> action type
   * @return the generator (policies are exact)
   */
  public static <S, A> Generator<TabularPolicy<S, A>> deterministicPolicies(
      TabularMdp<S, A> mdp) {
    return Generator.of(rng -> PolicyDraws.deterministic(mdp, rng), PolicyDraws::shrink);
  }

  /**
   * Stochastic policies of a model. Exact tier: each state's probabilities are multiples of 1/12
   * (a random weak composition of 12, so some actions may get 0). Double tier: normalised weights
   * in [1, 64), every action positive. Shrinks to the deterministic argmax policy, then to uniform.
   *
   * @param mdp the model
   * @param tier exact or double probabilities
   * @param <S> state type
   * @param <A> action type
   * @return the generator
   */
  public static <S, A> Generator<TabularPolicy<S, A>> stochasticPolicies(TabularMdp<S, A> mdp,
      Tier tier) {
    return Generator.of(rng -> PolicyDraws.stochastic(mdp, tier, rng), PolicyDraws::shrink);
  }

  /**
   * Deterministic or stochastic policies, half and half.
   *
   * @param mdp the model
   * @param tier the tier of the stochastic ones (deterministic policies are always exact)
   * @param <S> state type
   * @param <A> action type
   * @return the generator
   */
  public static <S, A> Generator<TabularPolicy<S, A>> policies(TabularMdp<S, A> mdp, Tier tier) {
    return Generator.of(rng -> rng.nextInt(0, 2) == 0 ? PolicyDraws.deterministic(mdp, rng)
        : PolicyDraws.stochastic(mdp, tier, rng), PolicyDraws::shrink);
  }

  // ---------------------------------------------------------------- vectors

  /**
   * Vectors of doubles uniform in [lo, hi); shrinks entries to the point of [lo, hi] nearest 0 and
   * to integers.
   *
   * @param length the length
   * @param lo smallest entry
   * @param hi largest entry, at least lo
   * @return the generator
   */
  public static Generator<double[]> doubleVectors(int length, double lo, double hi) {
    if (length < 0 || !(lo <= hi) || !Double.isFinite(hi - lo)) {
      throw new IllegalArgumentException("length " + length + ", range [" + lo + ", " + hi + "]");
    }
    return Generator.of(rng -> VectorDraws.doubles(length, lo, hi, rng),
        x -> VectorDraws.shrink(x, lo, hi));
  }

  /**
   * Exact vectors on the grid k / denominator in [lo, hi]; shrinks entries to the point nearest 0
   * and to integers.
   *
   * @param length the length
   * @param lo smallest entry
   * @param hi largest entry, at least lo
   * @param denominator grid denominator, at least 1
   * @return the generator
   */
  public static Generator<BigFraction[]> exactVectors(int length, int lo, int hi,
      int denominator) {
    if (length < 0 || lo > hi || denominator < 1) {
      throw new IllegalArgumentException("length " + length + ", range [" + lo + ", " + hi
          + "], denominator " + denominator);
    }
    return Generator.of(rng -> VectorDraws.exact(length, lo, hi, denominator, rng),
        x -> VectorDraws.shrink(x, lo, hi));
  }

  /**
   * {@return Q-functions of a model: one double in [lo, hi) per row}
   *
   * @param mdp the model
   * @param lo smallest value
   * @param hi largest value
   */
  public static Generator<double[]> qFunctions(TabularMdp<?, ?> mdp, double lo, double hi) {
    return doubleVectors(mdp.numRows(), lo, hi);
  }

  /**
   * {@return exact Q-functions of a model: one k/denominator in [lo, hi] per row}
   *
   * @param mdp the model
   * @param lo smallest value
   * @param hi largest value
   * @param denominator grid denominator
   */
  public static Generator<BigFraction[]> exactQFunctions(TabularMdp<?, ?> mdp, int lo, int hi,
      int denominator) {
    return exactVectors(mdp.numRows(), lo, hi, denominator);
  }

  /**
   * {@return value functions of a model: one double in [lo, hi) per state, 0 at terminal states}
   *
   * @param mdp the model
   * @param lo smallest value
   * @param hi largest value
   */
  public static Generator<double[]> valueFunctions(TabularMdp<?, ?> mdp, double lo, double hi) {
    Generator<double[]> g = doubleVectors(mdp.numStates(), lo, hi);
    return Generator.of(rng -> zeroTerminal(mdp, g.next(rng)),
        v -> g.shrink(v).map(x -> zeroTerminal(mdp, x)));
  }

  /**
   * {@return exact value functions of a model: one k/denominator in [lo, hi] per state, 0 at
   * terminal states}
   *
   * @param mdp the model
   * @param lo smallest value
   * @param hi largest value
   * @param denominator grid denominator
   */
  public static Generator<BigFraction[]> exactValueFunctions(TabularMdp<?, ?> mdp, int lo, int hi,
      int denominator) {
    Generator<BigFraction[]> g = exactVectors(mdp.numStates(), lo, hi, denominator);
    return Generator.of(rng -> zeroTerminal(mdp, g.next(rng)),
        v -> g.shrink(v).map(x -> zeroTerminal(mdp, x)));
  }

  private static double[] zeroTerminal(TabularMdp<?, ?> mdp, double[] v) {
    for (int s = 0; s < v.length; s++) {
      if (mdp.isTerminal(s)) {
        v[s] = 0;
      }
    }
    return v;
  }

  private static BigFraction[] zeroTerminal(TabularMdp<?, ?> mdp, BigFraction[] v) {
    for (int s = 0; s < v.length; s++) {
      if (mdp.isTerminal(s)) {
        v[s] = BigFraction.ZERO;
      }
    }
    return v;
  }

  // ---------------------------------------------------------------- operators

  /**
   * Random operator terms over a model, up to a nesting depth: leaves T*, T^pi, n-step and (double
   * tier only) T_tau; inner nodes compose, power and lambda-return. Every term has a value under
   * the tier's interpreter (the exact tier takes lambda-returns of T^pi only, as does any model
   * with gamma = 1). Policies inside are drawn by {@link #policies(TabularMdp, Tier)} for this
   * very model instance. Shrinks to subterms, smaller powers and steps, lambda 0, T*.
   *
   * @param mdp the model (the same instance the terms will be applied to)
   * @param tier EXACT for terms the exact interpreter accepts
   * @param maxDepth the most nested inner nodes, at least 0
   * @param <S> state type
   * @param <A> action type
   * @return the generator
   */
  public static <S, A> Generator<Operator> operators(TabularMdp<S, A> mdp, Tier tier,
      int maxDepth) {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth " + maxDepth + " is negative");
    }
    OperatorDraws<S, A> draws = new OperatorDraws<>(mdp, tier);
    return Generator.of(rng -> draws.draw(rng, maxDepth), draws::shrink);
  }
}
