package dev.fixpoint.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * A stationary policy described over typed states and actions: for a state and its available
 * actions, a distribution over those actions. {@link #tabulate(TabularMdp)} turns it into a
 * {@link TabularPolicy} over the rows of a model.
 *
 * <p>Greedy-type policies break ties towards the first available action in the model's action
 * order, so they are deterministic and reproducible.
 *
 * @param <S> the state type
 * @param <A> the action type
 */
@API(status = API.Status.STABLE)
public sealed interface Policy<S, A> {

  /**
   * The distribution over actions in a state.
   *
   * @param state a non-terminal state
   * @param available the actions available there, in the model's order (non-empty)
   * @return a distribution whose support lies in {@code available}
   */
  Dist<A> at(S state, List<A> available);

  /**
   * Tabulates against a model: probabilities over its rows, exact when every distribution is.
   *
   * @param mdp the model
   * @return the tabular policy
   * @throws ModelException naming the state when the policy picks an unavailable action or throws
   */
  default TabularPolicy<S, A> tabulate(TabularMdp<S, A> mdp) {
    return TabularPolicy.from(this, mdp);
  }

  // ---------------------------------------------------------------- factories

  /**
   * {@return the uniform random policy over available actions}
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Policy<S, A> uniform() {
    return new Uniform<>();
  }

  /**
   * {@return the deterministic policy s -> choice(s)}
   * @param choice the action per state
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Policy<S, A> deterministic(Function<S, A> choice) {
    return new Deterministic<>(choice);
  }

  /**
   * {@return the stochastic policy s -> choice(s)}
   * @param choice the distribution per state
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Policy<S, A> stochastic(Function<S, Dist<A>> choice) {
    return new Stochastic<>(choice);
  }

  /**
   * {@return the greedy policy of q (ties to the first action)}
   * @param q the action values
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Policy<S, A> greedy(QFunction<S, A> q) {
    return new Greedy<>(q);
  }

  /**
   * {@return epsilon-greedy: the greedy action with 1 - epsilon + epsilon/|A(s)|, every other with
   * epsilon/|A(s)|}
   * @param q the action values
   * @param epsilon in [0, 1], exact
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Policy<S, A> epsilonGreedy(QFunction<S, A> q, BigFraction epsilon) {
    return new EpsilonGreedy<>(q, epsilon);
  }

  /**
   * {@return epsilon-greedy}
   * @param q action values
   * @param epsilon integer, decimal or "p/q"
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Policy<S, A> epsilonGreedy(QFunction<S, A> q, String epsilon) {
    return epsilonGreedy(q, Rationals.parse(epsilon));
  }

  /**
   * {@return the Boltzmann policy pi(a|s) proportional to exp(q(s, a) / tau), inexact}
   * @param q the action values
   * @param temperature tau &gt; 0
   * @param <S> state type
   * @param <A> action type
   */
  static <S, A> Policy<S, A> softmax(QFunction<S, A> q, double temperature) {
    return new Softmax<>(q, temperature);
  }

  // ---------------------------------------------------------------- variants

  /**
   * Uniform over the available actions.
   * @param <S> state type
   * @param <A> action type
   */
  record Uniform<S, A>() implements Policy<S, A> {
    @Override
    public Dist<A> at(S state, List<A> available) {
      return Dist.uniform(available);
    }
  }

  /**
   * Always choice(s).
   * @param choice the action per state
   * @param <S> state type
   * @param <A> action type
   */
  record Deterministic<S, A>(Function<S, A> choice) implements Policy<S, A> {
    /** Checks the component. */
    public Deterministic {
      Objects.requireNonNull(choice, "choice");
    }

    @Override
    public Dist<A> at(S state, List<A> available) {
      return Dist.dirac(choice.apply(state));
    }
  }

  /**
   * Draws from choice(s).
   * @param choice the distribution per state
   * @param <S> state type
   * @param <A> action type
   */
  record Stochastic<S, A>(Function<S, Dist<A>> choice) implements Policy<S, A> {
    /** Checks the component. */
    public Stochastic {
      Objects.requireNonNull(choice, "choice");
    }

    @Override
    public Dist<A> at(S state, List<A> available) {
      return choice.apply(state);
    }
  }

  /**
   * The first action maximising q.
   * @param q the action values
   * @param <S> state type
   * @param <A> action type
   */
  record Greedy<S, A>(QFunction<S, A> q) implements Policy<S, A> {
    /** Checks the component. */
    public Greedy {
      Objects.requireNonNull(q, "q");
    }

    @Override
    public Dist<A> at(S state, List<A> available) {
      return Dist.dirac(argmax(q, state, available));
    }
  }

  /**
   * Epsilon-greedy on q.
   * @param q the action values
   * @param epsilon exploration probability
   * @param <S> state type
   * @param <A> action type
   */
  record EpsilonGreedy<S, A>(QFunction<S, A> q, BigFraction epsilon) implements Policy<S, A> {
    /** Checks the components. */
    public EpsilonGreedy {
      Objects.requireNonNull(q, "q");
      if (Rationals.signum(epsilon) < 0 || epsilon.compareTo(BigFraction.ONE) > 0) {
        throw new ModelException("epsilon " + Rationals.format(epsilon) + " is outside [0, 1]");
      }
    }

    @Override
    public Dist<A> at(S state, List<A> available) {
      A best = argmax(q, state, available);
      BigFraction each = epsilon.divide(available.size());
      List<BigFraction> ps = new ArrayList<>();
      for (A a : available) {
        ps.add(a.equals(best) ? each.add(BigFraction.ONE.subtract(epsilon)) : each);
      }
      return Dist.ofExact(available, ps.toArray(new BigFraction[0]));
    }
  }

  /**
   * Boltzmann policy on q.
   * @param q the action values
   * @param temperature tau &gt; 0
   * @param <S> state type
   * @param <A> action type
   */
  record Softmax<S, A>(QFunction<S, A> q, double temperature) implements Policy<S, A> {
    /** Checks the components. */
    public Softmax {
      Objects.requireNonNull(q, "q");
      if (!(temperature > 0) || Double.isInfinite(temperature)) {
        throw new ModelException("softmax temperature " + temperature + " must be positive");
      }
    }

    @Override
    public Dist<A> at(S state, List<A> available) {
      double m = Double.NEGATIVE_INFINITY;
      double[] z = new double[available.size()];
      for (int i = 0; i < z.length; i++) {
        z[i] = q.value(state, available.get(i)) / temperature;
        m = Math.max(m, z[i]);
      }
      double sum = 0;
      for (int i = 0; i < z.length; i++) {
        z[i] = Math.exp(z[i] - m);
        sum += z[i];
      }
      for (int i = 0; i < z.length; i++) {
        z[i] /= sum;
      }
      return Dist.ofDoubles(available, z);
    }
  }

  /**
   * A tabulated policy used as a description.
   * @param table the probabilities
   * @param <S> state type
   * @param <A> action type
   */
  record Tabular<S, A>(TabularPolicy<S, A> table) implements Policy<S, A> {
    /** Checks the component. */
    public Tabular {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public Dist<A> at(S state, List<A> available) {
      return table.at(state);
    }
  }

  private static <S, A> A argmax(QFunction<S, A> q, S state, List<A> available) {
    A best = available.get(0);
    if (q.isExact()) {
      BigFraction bv = q.exactValue(state, best);
      for (A a : available) {
        BigFraction v = q.exactValue(state, a);
        if (v.compareTo(bv) > 0) {
          best = a;
          bv = v;
        }
      }
      return best;
    }
    double bv = q.value(state, best);
    for (A a : available) {
      double v = q.value(state, a);
      if (v > bv) {
        best = a;
        bv = v;
      }
    }
    return best;
  }
}
