package dev.fixpoint.examples;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Mdp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * The built-in example models by name, as {@code fixpoint export EXAMPLE FILE} and scripts find
 * them.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Catalogue {
  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  /**
   * One example.
   *
   * @param name the short name
   * @param description one line: what it is and its source
   * @param model builds the description
   */
  public record Entry(String name, String description, Supplier<Mdp<?, ?>> model) {}

  static {
    add("gridworld-3.5", "Sutton & Barto (2018) Example 3.5: 5x5 grid world, gamma 0.9",
        GridWorld::suttonBarto35);
    add("gridworld-4.1", "Sutton & Barto (2018) Example 4.1: 4x4 grid world, gamma 1, terminal corners",
        GridWorld::suttonBarto41);
    add("gambler", "Sutton & Barto (2018) Example 4.3: gambler's problem, p_h 0.4, goal 100",
        Gambler::suttonBarto);
    add("forest", "pymdptoolbox forest(): S 3, r1 4, r2 2, p 0.1, gamma 0.9",
        Forest::pymdptoolbox);
    add("small", "pymdptoolbox small(): 2 states, 2 actions, gamma 0.9", PyMdpToolbox::small);
    add("rand", "pymdptoolbox rand(10, 3) law, seed 42 (Java generator, not numpy's), gamma 0.9",
        () -> PyMdpToolboxRand.rand(10, 3, 42));
    add("jack", "Sutton & Barto (2018) Example 4.2: Jack's car rental, 441 states, gamma 0.9 "
        + "(double: Poisson probabilities)", JacksCarRental::suttonBarto);
    add("cliff", "Sutton & Barto (2018) Example 6.6: cliff walking, 4x12, gamma 1",
        CliffWalking::suttonBarto);
    add("random-walk-5", "Sutton & Barto (2018) Example 6.2: 5-state random walk, rewards 0/+1",
        RandomWalk::fiveStates);
    add("random-walk-19", "Sutton & Barto (2018) sec. 7.1, 12.1: 19-state random walk, "
        + "rewards -1/+1", RandomWalk::nineteenStates);
    add("frozenlake-4x4", "Gymnasium FrozenLake-v1, map 4x4, slippery, gamma 1",
        FrozenLake::fourByFour);
    add("frozenlake-4x4-det", "Gymnasium FrozenLake-v1, map 4x4, is_slippery=False, gamma 1",
        () -> FrozenLake.of(FrozenLake.MAP_4X4, false));
    add("frozenlake-8x8", "Gymnasium FrozenLake-v1, map 8x8, slippery, gamma 1",
        FrozenLake::eightByEight);
    add("frozenlake-8x8-det", "Gymnasium FrozenLake-v1, map 8x8, is_slippery=False, gamma 1",
        () -> FrozenLake.of(FrozenLake.MAP_8X8, false));
    add("cliffwalking-gym", "Gymnasium CliffWalking-v0: 48 cells in Gymnasium's order, gamma 1",
        CliffWalking::gymnasium);
    add("taxi", "Gymnasium Taxi-v3: 500 states, 6 actions, gamma 1", Taxi::gymnasium);
    add("bifurcation-1", "Daley et al. (ICML 2023) Bifurcation1: 5x5 gridworld, 14 cells + exit, "
        + "reward 1 on acting from G, gamma 0.9", Bifurcation::one);
    add("bifurcation-2", "Daley et al. (ICML 2023) Bifurcation2: 7x7 gridworld, 34 cells + exit, "
        + "reward 1 on acting from G, gamma 0.9", Bifurcation::two);
    add("bifurcation-3", "Daley et al. (ICML 2023) Bifurcation3: 6x6 gridworld, 31 cells + exit, "
        + "three goals, reward 1 on acting from G, gamma 0.9", Bifurcation::three);
    add("bifurcation-4", "Daley et al. (ICML 2023) Bifurcation4: 7x7 gridworld, 43 cells + exit, "
        + "reward 1 on acting from G, gamma 0.9", Bifurcation::four);
  }

  private Catalogue() {}

  private static void add(String name, String description, Supplier<Mdp<?, ?>> model) {
    ENTRIES.put(name, new Entry(name, description, model));
  }

  /** {@return every example, in catalogue order} */
  public static List<Entry> entries() {
    return List.copyOf(ENTRIES.values());
  }

  /** {@return the example names, in catalogue order} */
  public static List<String> names() {
    return List.copyOf(ENTRIES.keySet());
  }

  /**
   * {@return the description of the named example}
   *
   * @param name a name from {@link #names()}
   * @throws ModelException naming the known examples when there is none of that name
   */
  public static Mdp<?, ?> model(String name) {
    Entry e = ENTRIES.get(name);
    if (e == null) {
      throw new ModelException("unknown example \"" + name + "\"; known: "
          + String.join(", ", names()));
    }
    return e.model().get();
  }
}
