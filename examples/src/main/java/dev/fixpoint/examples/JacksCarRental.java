package dev.fixpoint.examples;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.fraction.BigFraction;
import org.apiguardian.api.API;

/**
 * Jack's car rental, Sutton &amp; Barto, <i>Reinforcement Learning: An Introduction</i>, 2nd ed.
 * (2018), Example 4.2 and Figure 4.2. Jack manages two locations of a car rental company. Each day
 * customers ask for cars at each location; a car rented earns $10; a request with no car left is
 * lost. Returned cars can be rented from the next day on. Overnight Jack may move up to 5 cars
 * from one location to the other at $2 a car. Requests and returns are Poisson: requests with
 * means 3 (first location) and 4 (second), returns with means 3 and 2. At most 20 cars stay at a
 * location: any more are returned to the nationwide company and leave the problem. Discount 0.9.
 *
 * <p><b>State</b>: the cars at each location at the end of the day, {@link Lots}, 21 x 21 = 441
 * states. <b>Action</b>: the net number of cars moved overnight, {@link Transfer}, positive from
 * the first location to the second (the sign convention of Figure 4.2); only feasible moves are
 * offered: at most 5, and no more than the sending location has. <b>Day</b>: after the move the
 * locations hold m1 = min(n1 - a, 20) and m2 = min(n2 + a, 20) cars; at location i, with requests
 * X_i and returns Y_i, min(X_i, m_i) cars are rented and the day ends with min(m_i - min(X_i, m_i)
 * + Y_i, 20) cars. Reward: 10 (cars rented) - 2 |a|.
 *
 * <p><b>Poisson tails.</b> Nothing is cut off: the probability that requests reach or exceed the
 * cars on hand, P(X_i &gt;= m_i), is the probability of renting all m_i cars, and the probability
 * that returns would fill the lot past 20 is put on 20 cars (the cap). The distributions over next
 * states therefore sum to 1 up to rounding. (Many published implementations cut the Poisson at
 * 11 and drop the rest; their numbers differ slightly near the edges.) The probabilities contain
 * e^-lambda and are irrational, so this model is built in doubles ({@link Dist#isExact()} false):
 * exact interpreters refuse it, the double solvers take it.
 *
 * <p><b>Rewards per outcome.</b> The reward depends on the cars rented, which the next state does
 * not determine. Each outcome (s', r) here carries r = E[reward | s, a, s'], computed exactly from
 * the two locations' joint laws of (cars rented, cars at the end of the day), and carried as the
 * exact binary value of its double (the model is inexact anyway). Expected rewards
 * r(s, a), every Bellman operator and so v*, pi* are those of the book's process; a learner that
 * samples from this model sees less reward noise than one living the book's days.
 *
 * <p><b>What Figure 4.2 shows.</b> The optimal policy pi* (panel pi_4) moves 5 cars from the first
 * to the second location when the first is full and the second empty, moves none in a broad band
 * around the diagonal, and moves cars to the first location when the second has many more; v*
 * (panel v_4) is drawn as a surface whose axis is labelled from 420 to 612.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class JacksCarRental {
  private JacksCarRental() {}

  /**
   * The cars at each location at the end of a day, a state.
   *
   * @param first cars at the first location, 0 .. maxCars
   * @param second cars at the second location, 0 .. maxCars
   */
  public record Lots(int first, int second) {
    /** Checks that the counts are not negative. */
    public Lots {
      if (first < 0 || second < 0) {
        throw new IllegalArgumentException("lots (" + first + "," + second + ") hold a negative "
            + "number of cars");
      }
    }

    /** {@return "(first,second)"} */
    @Override
    public String toString() {
      return "(" + first + "," + second + ")";
    }
  }

  /**
   * Cars moved overnight, an action: positive from the first location to the second, negative the
   * other way.
   *
   * @param cars the net number moved
   */
  public record Transfer(int cars) {
    /** {@return the signed number, e.g. "+3", "0", "-2"} */
    @Override
    public String toString() {
      return cars > 0 ? "+" + cars : Integer.toString(cars);
    }
  }

  /**
   * The parameters of the problem.
   *
   * @param maxCars the most cars a location holds (book: 20)
   * @param maxMove the most cars moved in one night (book: 5)
   * @param rent dollars earned per car rented (book: 10)
   * @param moveCost dollars per car moved (book: 2)
   * @param requestsFirst mean of the Poisson requests at the first location (book: 3)
   * @param requestsSecond mean of the requests at the second location (book: 4)
   * @param returnsFirst mean of the returns at the first location (book: 3)
   * @param returnsSecond mean of the returns at the second location (book: 2)
   * @param discount gamma (book: 9/10)
   */
  public record Parameters(int maxCars, int maxMove, long rent, long moveCost,
      double requestsFirst, double requestsSecond, double returnsFirst, double returnsSecond,
      BigFraction discount) {

    /**
     * Checks the parameters.
     *
     * @throws ModelException naming the parameter and the rule broken
     */
    public Parameters {
      Objects.requireNonNull(discount, "discount");
      List<String> problems = new ArrayList<>();
      if (maxCars < 1) {
        problems.add("jack's car rental: maxCars " + maxCars + " must be at least 1");
      }
      if (maxMove < 0) {
        problems.add("jack's car rental: maxMove " + maxMove + " must be at least 0");
      }
      double[] means = {requestsFirst, requestsSecond, returnsFirst, returnsSecond};
      String[] names = {"requestsFirst", "requestsSecond", "returnsFirst", "returnsSecond"};
      for (int i = 0; i < means.length; i++) {
        if (!(means[i] >= 0) || means[i] > 700) {
          problems.add("jack's car rental: Poisson mean " + names[i] + " = " + means[i]
              + " must be in [0, 700] (e^-mean underflows beyond)");
        }
      }
      if (!problems.isEmpty()) {
        throw new ModelException(problems);
      }
    }

    /** {@return the book's parameters (Sutton &amp; Barto 2018, Example 4.2)} */
    public static Parameters suttonBarto() {
      return new Parameters(20, 5, 10, 2, 3, 4, 3, 2, new BigFraction(9, 10));
    }
  }

  /** {@return the book's problem: 441 states, discount 0.9 (Example 4.2)} */
  public static Mdp<Lots, Transfer> suttonBarto() {
    return of(Parameters.suttonBarto());
  }

  /**
   * The problem with other parameters.
   *
   * @param p the parameters
   * @return the description over (maxCars + 1)^2 states, inexact (double probabilities)
   */
  public static Mdp<Lots, Transfer> of(Parameters p) {
    int cap = p.maxCars();
    // day[i][m]: the law of the end-of-day count at location i after starting with m cars
    Day[][] days = new Day[2][cap + 1];
    for (int m = 0; m <= cap; m++) {
      days[0][m] = Day.of(m, cap, p.requestsFirst(), p.returnsFirst());
      days[1][m] = Day.of(m, cap, p.requestsSecond(), p.returnsSecond());
    }
    List<Lots> states = new ArrayList<>((cap + 1) * (cap + 1));
    for (int a = 0; a <= cap; a++) {
      for (int b = 0; b <= cap; b++) {
        states.add(new Lots(a, b));
      }
    }
    return Mdp.<Lots, Transfer>of(states, s -> transfers(s, p.maxMove()), (s, t) -> {
      int m1 = Math.min(s.first() - t.cars(), cap);
      int m2 = Math.min(s.second() + t.cars(), cap);
      Day d1 = days[0][m1];
      Day d2 = days[1][m2];
      double cost = (double) p.moveCost() * Math.abs(t.cars());
      List<Outcome<Lots>> outs = new ArrayList<>();
      List<Double> probs = new ArrayList<>();
      for (int j1 = 0; j1 <= cap; j1++) {
        if (d1.prob[j1] == 0) {
          continue;
        }
        for (int j2 = 0; j2 <= cap; j2++) {
          double q = d1.prob[j1] * d2.prob[j2];
          if (q == 0) {
            continue;
          }
          double reward = p.rent() * (d1.meanRented[j1] + d2.meanRented[j2]) - cost;
          outs.add(new Outcome<>(new Lots(j1, j2), new BigFraction(reward)));
          probs.add(q);
        }
      }
      double[] ps = new double[probs.size()];
      for (int i = 0; i < ps.length; i++) {
        ps[i] = probs.get(i);
      }
      return Dist.ofDoubles(outs, ps);
    }, p.discount()).withName("Jack's car rental (Sutton & Barto Example 4.2)");
  }

  /** {@return the feasible transfers from s: -min(maxMove, second) .. min(maxMove, first)} */
  private static List<Transfer> transfers(Lots s, int maxMove) {
    int most = Math.min(maxMove, s.first());
    int least = -Math.min(maxMove, s.second());
    List<Transfer> out = new ArrayList<>(most - least + 1);
    for (int a = least; a <= most; a++) {
      out.add(new Transfer(a));
    }
    return out;
  }

  /**
   * One location's day from m cars: {@code prob[j]} = P(j cars at the end), {@code
   * meanRented[j]} = E[cars rented | j cars at the end].
   */
  private record Day(double[] prob, double[] meanRented) {
    static Day of(int m, int cap, double requestMean, double returnMean) {
      double[] rentPmf = capped(requestMean, m);
      double[] prob = new double[cap + 1];
      double[] rentedMass = new double[cap + 1];
      for (int k = 0; k <= m; k++) {
        int left = m - k;
        double[] back = capped(returnMean, cap - left);
        for (int y = 0; y <= cap - left; y++) {
          double q = rentPmf[k] * back[y];
          prob[left + y] += q;
          rentedMass[left + y] += q * k;
        }
      }
      double[] mean = new double[cap + 1];
      for (int j = 0; j <= cap; j++) {
        mean[j] = prob[j] > 0 ? rentedMass[j] / prob[j] : 0;
      }
      return new Day(prob, mean);
    }
  }

  /**
   * {@return P(min(X, top) = k) for k = 0 .. top, X ~ Poisson(mean): the pmf below top and the
   * whole tail P(X &gt;= top) at top}
   */
  static double[] capped(double mean, int top) {
    double[] out = new double[top + 1];
    double term = Math.exp(-mean);
    double below = 0;
    for (int k = 0; k < top; k++) {
      out[k] = term;
      below += term;
      term *= mean / (k + 1);
    }
    out[top] = Math.max(0, 1 - below);
    return out;
  }
}
