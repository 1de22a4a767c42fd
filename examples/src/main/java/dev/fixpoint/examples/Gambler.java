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
 * The gambler's problem of Sutton &amp; Barto, <i>Reinforcement Learning: An Introduction</i>,
 * 2nd ed. (2018), Example 4.3 (Figure 4.3). A gambler with capital s in {1, ..., goal - 1} stakes
 * an integer amount; the coin comes up heads with probability p_h, and the gambler then wins as
 * many dollars as staked, otherwise loses them. Reaching the goal gives reward +1, every other
 * transition 0; capital 0 and capital goal are terminal; undiscounted (gamma = 1). The value of a
 * state is thus the probability of reaching the goal from it.
 *
 * <p><b>Stakes.</b> The book lets the gambler stake {0, 1, ..., min(s, goal - s)}. Stake 0 is left
 * out here: it is a self-loop with reward 0, so it never raises a value, and with gamma = 1 any
 * policy that stakes 0 somewhere never terminates from there and has a singular evaluation
 * system. With stakes of at least 1 and 0 &lt; p_h &lt; 1 every policy ends the game with
 * probability 1, so policy iteration is well defined; v* is the same as the book's.
 *
 * <p><b>Known values.</b> For p_h &lt; 1/2 bold play (stake min(s, goal - s)) is optimal (Dubins
 * &amp; Savage, 1965), which gives for p_h = 2/5 and goal 100: v*(50) = 2/5, v*(25) = (2/5)^2 =
 * 4/25 and v*(75) = 2/5 + (3/5)(2/5) = 16/25, exactly.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Gambler {
  private Gambler() {}

  /**
   * The gambler's capital in dollars, a state.
   *
   * @param dollars from 0 to the goal
   */
  public record Capital(int dollars) {
    /** Checks that the capital is not negative. */
    public Capital {
      if (dollars < 0) {
        throw new IllegalArgumentException("capital " + dollars + " is negative");
      }
    }

    /** {@return the dollars as a number} */
    @Override
    public String toString() {
      return Integer.toString(dollars);
    }
  }

  /**
   * A stake in dollars, an action.
   *
   * @param dollars at least 1
   */
  public record Stake(int dollars) {
    /** Checks that the stake is positive. */
    public Stake {
      if (dollars < 1) {
        throw new IllegalArgumentException("stake " + dollars + " is not positive");
      }
    }

    /** {@return the dollars as a number} */
    @Override
    public String toString() {
      return Integer.toString(dollars);
    }
  }

  /**
   * {@return the book's instance: p_h = 2/5, goal 100 (Sutton &amp; Barto 2018, Example 4.3 and
   * Figure 4.3)}
   */
  public static Mdp<Capital, Stake> suttonBarto() {
    return of(new BigFraction(2, 5), 100);
  }

  /**
   * The gambler's problem with a given probability of heads and goal.
   *
   * @param ph the probability of heads, in [0, 1]
   * @param goal the capital that ends the game with reward 1, at least 2
   * @return the description: states 0..goal (0 and goal terminal), in state s the stakes 1 ..
   *     min(s, goal - s); sum over s of min(s, goal - s) rows
   * @throws ModelException when ph is outside [0, 1] or goal is below 2
   */
  public static Mdp<Capital, Stake> of(BigFraction ph, int goal) {
    Objects.requireNonNull(ph, "ph");
    if (Rationals.signum(ph) < 0 || ph.compareTo(BigFraction.ONE) > 0) {
      throw new ModelException("gambler: probability of heads " + Rationals.format(ph)
          + " is outside [0, 1]");
    }
    if (goal < 2) {
      throw new ModelException("gambler: goal " + goal + " must be at least 2 (with goal 1 no "
          + "stake is possible)");
    }
    List<Capital> states = new ArrayList<>(goal + 1);
    for (int s = 0; s <= goal; s++) {
      states.add(new Capital(s));
    }
    BigFraction tails = BigFraction.ONE.subtract(ph);
    return Mdp.<Capital, Stake>of(states, s -> stakes(s.dollars(), goal), (s, a) -> {
      int up = s.dollars() + a.dollars();
      int down = s.dollars() - a.dollars();
      return Dist.<Outcome<Capital>>builder()
          .add(Outcome.of(new Capital(up), up == goal ? 1 : 0), ph)
          .add(Outcome.of(new Capital(down), 0), tails)
          .build();
    }, BigFraction.ONE)
        .withTerminal(s -> s.dollars() == 0 || s.dollars() == goal)
        .withName("gambler (p_h " + Rationals.format(ph) + ", goal " + goal + ")");
  }

  private static List<Stake> stakes(int s, int goal) {
    int most = Math.min(s, goal - s);
    List<Stake> out = new ArrayList<>(most);
    for (int a = 1; a <= most; a++) {
      out.add(new Stake(a));
    }
    return out;
  }
}
