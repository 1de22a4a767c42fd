package dev.fixpoint.propertytests;

import dev.fixpoint.dsl.Operator;
import dev.fixpoint.dsl.Operator.Compose;
import dev.fixpoint.dsl.Operator.Lambda;
import dev.fixpoint.dsl.Operator.NStep;
import dev.fixpoint.dsl.Operator.Optimality;
import dev.fixpoint.dsl.Operator.PolicyEvaluation;
import dev.fixpoint.dsl.Operator.Power;
import dev.fixpoint.dsl.Operator.Soft;
import dev.fixpoint.dsl.Operator.Traces;
import dev.fixpoint.dsl.Operators;
import dev.fixpoint.dsl.Policy;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * Random operator terms over one model. Leaves: T*, T^pi, n-step of pi (n in 1..3) and, in the
 * double tier, T_tau (tau in {1/2, 1, 3/2, 2}); inner nodes: compose, power (n in 0..3) and the
 * lambda-return (lambda in {0, 1/4, 1/2, 3/4}). Every term has a value under its tier's
 * interpreter: in the exact tier (and whenever gamma = 1) the lambda-return is only taken of T^pi,
 * which has a closed form; otherwise of any base with at least one backup, whose modulus is below
 * 1 so its series can be truncated with a bound.
 */
final class OperatorDraws<S, A> {
  private final TabularMdp<S, A> mdp;
  private final Tier tier;
  private final Generator<TabularPolicy<S, A>> policies;

  OperatorDraws(TabularMdp<S, A> mdp, Tier tier) {
    this.mdp = mdp;
    this.tier = tier;
    this.policies = Generators.policies(mdp, tier);
  }

  Operator draw(RandomGenerator rng, int depth) {
    int kind = depth == 0 ? 0 : rng.nextInt(0, 6);
    return switch (kind) {
      case 3 -> Operators.compose(draw(rng, depth - 1), draw(rng, depth - 1));
      case 4 -> Operators.power(draw(rng, depth - 1), rng.nextInt(0, 4));
      case 5 -> {
        BigFraction lambda = new BigFraction(rng.nextInt(0, 4), 4);
        Operator base = draw(rng, depth - 1);
        yield Operators.lambda(lambda, lambdaBaseAllowed(base) ? base : policyLeaf(rng));
      }
      default -> leaf(rng);
    };
  }

  private Operator leaf(RandomGenerator rng) {
    return switch (rng.nextInt(0, tier == Tier.EXACT ? 3 : 4)) {
      case 0 -> Operators.optimality();
      case 1 -> policyLeaf(rng);
      case 2 -> Operators.nStep(policy(rng), rng.nextInt(1, 4));
      default -> Operators.soft(new BigFraction(rng.nextInt(1, 5), 2));
    };
  }

  private Operator policyLeaf(RandomGenerator rng) {
    return Operators.policy(policy(rng));
  }

  private Policy<S, A> policy(RandomGenerator rng) {
    return policies.next(rng).asPolicy();
  }

  /** Whether lambda of this base has a value under the tier's interpreter. */
  boolean lambdaBaseAllowed(Operator base) {
    if (base instanceof PolicyEvaluation) {
      return true;
    }
    return tier == Tier.DOUBLE && mdp.discount() < 1 && backups(base) >= 1;
  }

  /** Whether every lambda node in the term is allowed and the exact tier has no soft leaf. */
  boolean valid(Operator op) {
    return switch (op) {
      case PolicyEvaluation p -> true;
      case Optimality o -> true;
      case NStep n -> true;
      case Soft s -> tier == Tier.DOUBLE;
      case Compose(var outer, var inner) -> valid(outer) && valid(inner);
      case Power(var base, int n) -> valid(base);
      case Lambda(var lambda, var base) -> valid(base) && lambdaBaseAllowed(base);
      case Traces t -> false; // not drawn here: trace operators have their own properties
    };
  }

  /** The fewest Bellman backups the term applies: its modulus is gamma to this power. */
  static int backups(Operator op) {
    return switch (op) {
      case PolicyEvaluation p -> 1;
      case Optimality o -> 1;
      case Soft s -> 1;
      case NStep(var pi, int n) -> n;
      case Compose(var outer, var inner) -> backups(outer) + backups(inner);
      case Power(var base, int n) -> n * backups(base);
      case Lambda(var lambda, var base) -> backups(base);
      case Traces t -> 1;
    };
  }

  /** Subterms first, then simpler parameters and leaves; only valid terms. */
  Stream<Operator> shrink(Operator op) {
    Stream<Operator> candidates = switch (op) {
      case Optimality o -> Stream.empty();
      case PolicyEvaluation(var pi) -> Stream.concat(Stream.of(Operators.optimality()),
          shrinkPolicy(pi).map(Operators::policy));
      case Soft(var tau) -> Stream.of(Operators.optimality(), Operators.soft(BigFraction.ONE));
      case NStep(var pi, int n) -> Stream.of(Operators.policy(pi),
          n > 1 ? Operators.nStep(pi, n - 1) : Operators.policy(pi));
      case Compose(var outer, var inner) -> Stream.concat(Stream.of(outer, inner),
          Stream.concat(shrink(outer).map(o -> Operators.compose(o, inner)),
              shrink(inner).map(i -> Operators.compose(outer, i))));
      case Power(var base, int n) -> Stream.concat(Stream.of(base,
          Operators.power(base, Math.max(0, n - 1))),
          shrink(base).map(b -> Operators.power(b, n)));
      case Lambda(var lambda, var base) -> Stream.concat(Stream.of(base,
          Operators.lambda(BigFraction.ZERO, base)),
          shrink(base).map(b -> Operators.lambda(lambda, b)));
      case Traces t -> Stream.empty();
    };
    return candidates.filter(c -> !c.equals(op) && valid(c));
  }

  @SuppressWarnings("unchecked")
  private Stream<Policy<S, A>> shrinkPolicy(Policy<?, ?> pi) {
    if (pi instanceof Policy.Tabular<?, ?> t && t.table().mdp() == mdp) {
      return PolicyDraws.shrink((TabularPolicy<S, A>) t.table()).map(TabularPolicy::asPolicy);
    }
    return Stream.empty();
  }
}
