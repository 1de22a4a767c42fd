package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * The forest-management example of the Python MDP toolbox (pymdptoolbox, S. Cordwell, 2011-2014,
 * a port of the INRA MDPtoolbox described by Chad&egrave;s et al., Ecography 37, 2014), {@code
 * mdptoolbox.example.forest(S, r1, r2, p)}, with exact numbers.
 *
 * <p>States are the ages 0..S-1 of a forest stand (S-1 the oldest). Each year the manager either
 * waits (action 0) or cuts (action 1):
 *
 * <ul>
 *   <li>Wait: with probability p a fire burns the forest back to age 0, otherwise it grows one
 *       year older, staying at S-1 once there. Reward r1 when waiting in the oldest state, 0
 *       elsewhere.
 *   <li>Cut: back to age 0 for sure. Reward 0 at age 0, 1 at intermediate ages, r2 at the oldest.
 * </ul>
 *
 * <p>So P[Wait][s] = (p, 1-p at min(s+1, S-1)), P[Cut][s] = (1 at 0), and R[s][a] as above; for
 * the defaults S = 3, r1 = 4, r2 = 2, p = 1/10 the toolbox documents P[0] = [[.1, .9, 0], [.1, 0,
 * .9], [.1, 0, .9]], P[1] = [[1, 0, 0], [1, 0, 0], [1, 0, 0]] and R = [[0, 0], [0, 1], [4, 2]].
 *
 * <p>The toolbox takes the discount as a solver argument; here it is part of the model, 9/10 by
 * default (the toolbox's policy-iteration example), and {@code withDiscount("0.96")} gives its
 * value-iteration example. Exact optima (computed by hand from the policy (Wait, Wait, Wait)):
 * gamma 9/10 gives V* = (6561/250, 7371/250, 8371/250) = (26.244, 29.484, 33.484); gamma 24/25
 * gives V* = (46656/625, 48816/625, 51316/625) = (74.6496, 78.1056, 82.1056). The toolbox's
 * documented value iteration at gamma 0.96 stops after 4 sweeps at V = (5.93215488, 9.38815488,
 * 13.38815488), far from V*.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Forest {
  private Forest() {}

  /**
   * The age of the stand, a state.
   *
   * @param years from 0 to S-1
   */
  public record Age(int years) {
    /** Checks that the age is not negative. */
    public Age {
      if (years < 0) {
        throw new IllegalArgumentException("age " + years + " is negative");
      }
    }

    /** {@return the age as a number} */
    @Override
    public String toString() {
      return Integer.toString(years);
    }
  }

  /** What the manager does each year; the ordinal is the toolbox's action index. */
  public enum Action {
    /** Let the forest grow (action 0). */
    WAIT,
    /** Cut it and sell the wood (action 1). */
    CUT
  }

  /** The toolbox's default discount for this model here: 9/10. */
  public static final BigFraction DEFAULT_DISCOUNT = new BigFraction(9, 10);

  /**
   * {@return {@code forest()} with the toolbox's defaults: S = 3, r1 = 4, r2 = 2, p = 1/10;
   * discount 9/10}
   */
  public static Mdp<Age, Action> pymdptoolbox() {
    return of(3, new BigFraction(4), new BigFraction(2), new BigFraction(1, 10));
  }

  /**
   * The forest model, as {@code mdptoolbox.example.forest(S, r1, r2, p)} with discount 9/10.
   *
   * @param states S, the number of ages, at least 2
   * @param r1 the reward for waiting in the oldest state, positive (as the toolbox requires)
   * @param r2 the reward for cutting in the oldest state, positive
   * @param p the yearly probability of fire, in [0, 1]
   * @return the description; S states, 2S rows, exact
   * @throws ModelException naming the argument when one breaks its rule
   */
  public static Mdp<Age, Action> of(int states, BigFraction r1, BigFraction r2, BigFraction p) {
    Objects.requireNonNull(r1, "r1");
    Objects.requireNonNull(r2, "r2");
    Objects.requireNonNull(p, "p");
    List<String> problems = new ArrayList<>();
    if (states < 2) {
      problems.add("forest: number of states " + states + " must be at least 2");
    }
    if (Rationals.signum(r1) <= 0) {
      problems.add("forest: r1 = " + Rationals.format(r1) + " must be positive");
    }
    if (Rationals.signum(r2) <= 0) {
      problems.add("forest: r2 = " + Rationals.format(r2) + " must be positive");
    }
    if (Rationals.signum(p) < 0 || p.compareTo(BigFraction.ONE) > 0) {
      problems.add("forest: fire probability p = " + Rationals.format(p) + " is outside [0, 1]");
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
    int oldest = states - 1;
    List<Age> ages = new ArrayList<>(states);
    for (int s = 0; s < states; s++) {
      ages.add(new Age(s));
    }
    BigFraction grow = BigFraction.ONE.subtract(p);
    return Mdp.<Age, Action>of(ages, s -> List.of(Action.WAIT, Action.CUT), (s, a) -> {
      int age = s.years();
      return switch (a) {
        case WAIT -> {
          // the reward is a function of (s, a) in the toolbox: attach it to every outcome
          BigFraction r = age == oldest ? r1 : BigFraction.ZERO;
          yield Dist.<Outcome<Age>>builder()
              .add(Outcome.of(new Age(0), r), p)
              .add(Outcome.of(new Age(Math.min(age + 1, oldest)), r), grow)
              .build();
        }
        case CUT -> Dist.dirac(Outcome.of(new Age(0),
            age == 0 ? BigFraction.ZERO : age == oldest ? r2 : BigFraction.ONE));
      };
    }, DEFAULT_DISCOUNT).withName("pymdptoolbox forest (S " + states + ", r1 "
        + Rationals.format(r1) + ", r2 " + Rationals.format(r2) + ", p " + Rationals.format(p)
        + ")");
  }
}
