package dev.fixpoint.tabular.io;

import static dev.fixpoint.tabular.io.Models.assertSameModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.Mdp;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.Outcome;
import dev.fixpoint.dsl.Rationals;
import dev.fixpoint.dsl.TabularMdp;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * read(write(m)) gives back m: the canonical JSON text of the spec's example (written by hand),
 * typed models, and seeded random models (exact and double, names that need escaping, rows in any
 * action order, terminal states) through both formats.
 */
class RoundTripTest {
  private static final String[] SUFFIX = {"", "\"q\"", "\\", "\t", "\u00e9", "\uD83D\uDE00", " ",
      "/", "\n"};

  @Test
  void theSpecExampleHasThisCanonicalText() {
    TabularMdp<String, String> m = ModelFiles.read(Models.resource("json/two-state.json")).mdp();
    String expected = """
        {
          "format": "fixpoint-mdp/1",
          "name": "two-state example",
          "discount": "9/10",
          "states": ["s0", "s1", "end"],
          "actions": ["stay", "go"],
          "initial": {"s0": 1},
          "terminal": ["end"],
          "transitions": [
            {"state": "s0", "action": "stay", "outcomes": [{"next": "s0", "prob": 1, "reward": 0}]},
            {"state": "s0", "action": "go", "outcomes": [{"next": "s1", "prob": "1/3", \
        "reward": 1}, {"next": "end", "prob": "2/3", "reward": 0}]},
            {"state": "s1", "action": "go", "outcomes": [{"next": "end", "prob": 1, "reward": 5}]}
          ]
        }
        """;
    assertEquals(expected, ModelFiles.toJson(m));
    LoadedModel back = ModelFiles.parseJson(expected, "x.json");
    assertSameModel(m, back.mdp());
    assertEquals(expected, ModelFiles.toJson(back.mdp()));
  }

  enum Act { LEFT, RIGHT }

  @Test
  void typedModelsAreWrittenByTheirNames(@TempDir Path dir) {
    // a chain 0 - 1 - 2 with 2 terminal; RIGHT moves right w.p. 3/4, LEFT moves left (reward -1)
    TabularMdp<Integer, Act> m = Mdp.<Integer, Act>of(List.of(0, 1, 2), s -> List.of(Act.RIGHT,
        Act.LEFT), (s, a) -> a == Act.RIGHT
            ? Dist.<Outcome<Integer>>builder().add(Outcome.of(s + 1, 1), "3/4")
                .add(Outcome.of(s, 0), "1/4").build()
            : Dist.dirac(Outcome.of(Math.max(s - 1, 0), -1)), "1")
        .withTerminal(List.of(2)).withName("chain").tabulate();
    Path f = dir.resolve("chain.json");
    ModelFiles.write(m, f);
    TabularMdp<String, String> back = ModelFiles.read(f).mdp();
    assertSameModel(m, back);
    assertEquals(List.of("RIGHT", "LEFT"), back.actions().values());
    assertEquals(new BigFraction(3, 4), back.exactExpectedReward("0", "RIGHT"));
  }

  @Test
  void namesThatPrintAlikeAreRefused() {
    TabularMdp<Object, String> m = TabularMdp.of("clash", Indexer.of("state", List.of(1, "1")),
        Indexer.of("action", List.of("x")), new int[] {0, 1, 2}, new int[] {0, 0},
        new int[] {0, 1, 2}, new int[] {0, 1}, new double[] {1, 1}, new double[] {0, 0},
        new boolean[] {false, false}, 0.5, new double[] {1, 0}, null);
    assertEquals("states 0 and 1 both print as \"1\"; a model file needs distinct state names",
        assertThrows(ModelException.class, () -> ModelFiles.toJson(m)).getMessage());
  }

  @Test
  void randomExactModelsSurviveJson() {
    RandomGenerator rng = new SplittableRandom(20240611L);
    for (int i = 0; i < 300; i++) {
      TabularMdp<String, String> m = random(rng, true, false, "m" + i);
      TabularMdp<String, String> back = ModelFiles.parseJson(ModelFiles.toJson(m), "m" + i)
          .mdp();
      assertSameModel(m, back);
    }
  }

  @Test
  void randomDoubleModelsSurviveJson() {
    RandomGenerator rng = new SplittableRandom(77L);
    int stayedInexact = 0;
    for (int i = 0; i < 300; i++) {
      TabularMdp<String, String> m = random(rng, false, false, "m" + i);
      LoadedModel back = ModelFiles.parseJson(ModelFiles.toJson(m), "m" + i);
      if (decimalsSumToOne(m)) {
        // documented: such a model reads back exact, with the same doubles
        assertTrue(back.mdp().isExact());
        assertArrayEquals(m.csr().prob(), back.mdp().csr().prob());
        assertArrayEquals(Models.entryRewards(m), Models.entryRewards(back.mdp()));
        if (!varies(m)) {
          assertArrayEquals(m.csr().reward(), back.mdp().csr().reward());
        }
      } else {
        stayedInexact++;
        assertSameModel(m, back.mdp(), varies(m) ? 1e-14 : 0);
        assertEquals(1, back.warnings().size());
      }
    }
    assertTrue(stayedInexact > 100, "the generator must mostly give genuinely inexact rows: "
        + stayedInexact);
  }

  @Test
  void randomModelsWithEveryActionSurviveNpz(@TempDir Path dir) {
    RandomGenerator rng = new SplittableRandom(4242L);
    for (int i = 0; i < 200; i++) {
      boolean exact = rng.nextBoolean();
      TabularMdp<String, String> m = random(rng, exact, true, "m" + i);
      Path f = dir.resolve("m" + i + ".npz");
      ModelFiles.write(m, f);
      TabularMdp<String, String> back = ModelFiles.read(f).mdp();
      assertFalse(back.isExact());
      if (exact) {
        assertArrayEquals(m.csr().prob(), back.csr().prob());
        assertArrayEquals(m.csr().reward(), back.csr().reward());
        assertEquals(m.discount(), back.discount());
      } else if (!varies(m)) {
        assertSameModel(m, back);
      }
      // npz keeps r(s, a) only: every transition of the file carries it
      for (int r = 0; r < back.numRows(); r++) {
        for (int k = back.entryStart(r); k < back.entryEnd(r); k++) {
          assertEquals(back.reward(r), back.entryReward(k));
        }
      }
    }
  }

  private static boolean varies(TabularMdp<?, ?> m) {
    for (int r = 0; r < m.numRows(); r++) {
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        if (m.entryReward(k) != m.reward(r)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void exactRowRewardsStayExactWhenTransitionRewardsAreNotDecimals() {
    // one state, two next states w.p. 1/2 each, transition rewards 1/3 and 2/3 as doubles,
    // r(s, a) = 1/2 exactly: the writer keeps 1/2 by writing the last reward as 1 - 0.333...3
    TabularMdp<String, String> m = TabularMdp.of("thirds", Indexer.of("state", List.of("a",
        "b")), Indexer.of("action", List.of("x")), new int[] {0, 1, 2}, new int[] {0, 0},
        new int[] {0, 2, 3}, new int[] {0, 1, 1}, new double[] {0.5, 0.5, 1},
        new double[] {0.5, 0}, new boolean[] {false, false}, 0.5, new double[] {1, 0},
        new TabularMdp.Exact(new BigFraction[] {new BigFraction(1, 2), new BigFraction(1, 2),
            BigFraction.ONE}, new BigFraction[] {new BigFraction(1, 2), BigFraction.ZERO},
            new BigFraction(1, 2), new BigFraction[] {BigFraction.ONE, BigFraction.ZERO}))
        .withEntryRewards(new double[] {1 / 3.0, 2 / 3.0, 0});
    String text = ModelFiles.toJson(m);
    assertTrue(text.contains("{\"next\": \"a\", \"prob\": \"1/2\", \"reward\": "
        + "\"3333333333333333/10000000000000000\"}, {\"next\": \"b\", \"prob\": \"1/2\", "
        + "\"reward\": \"6666666666666667/10000000000000000\"}"), text);
    TabularMdp<String, String> back = ModelFiles.parseJson(text, "thirds.json").mdp();
    assertEquals(new BigFraction(1, 2), back.exactExpectedReward("a", "x"));
    assertArrayEquals(new double[] {1 / 3.0, 0.6666666666666667, 0}, Models.entryRewards(back));
  }

  /** Whether every row and the initial distribution sum to 1 as the decimals the writer prints. */
  private static boolean decimalsSumToOne(TabularMdp<?, ?> m) {
    for (int r = 0; r < m.numRows(); r++) {
      BigDecimal sum = BigDecimal.ZERO;
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        sum = sum.add(new BigDecimal(Double.toString(m.prob(k))));
      }
      if (sum.compareTo(BigDecimal.ONE) != 0) {
        return false;
      }
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (int s = 0; s < m.numStates(); s++) {
      sum = sum.add(new BigDecimal(Double.toString(m.initial(s))));
    }
    return sum.compareTo(BigDecimal.ONE) == 0;
  }

  /**
   * A random model: 1-5 states with names that need escaping, 1-3 actions, about one state in five
   * terminal, rows of 1-S next states with weights 1..9, rewards p/q in [-10, 10] (exact) or
   * Gaussian (double). With {@code allActions} every non-terminal state has every action in index
   * order and the initial distribution is uniform over non-terminal states (what npz holds);
   * otherwise a random non-empty subset in random order and a random initial distribution.
   */
  static TabularMdp<String, String> random(RandomGenerator rng, boolean exact,
      boolean allActions, String name) {
    int n = 1 + rng.nextInt(5);
    int na = 1 + rng.nextInt(3);
    List<String> states = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      states.add("s" + s + SUFFIX[rng.nextInt(SUFFIX.length)]);
    }
    List<String> actions = new ArrayList<>();
    for (int a = 0; a < na; a++) {
      actions.add("a" + a + SUFFIX[rng.nextInt(SUFFIX.length)]);
    }
    boolean[] terminal = new boolean[n];
    int[] rowStart = new int[n + 1];
    List<Integer> rowAction = new ArrayList<>();
    List<Integer> entryStart = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    List<BigFraction> eprob = new ArrayList<>();
    List<Double> dprob = new ArrayList<>();
    List<BigFraction> ereward = new ArrayList<>();
    List<Double> dreward = new ArrayList<>();
    List<Double> entryReward = new ArrayList<>();
    boolean varying = false;
    int live = 0;
    for (int s = 0; s < n; s++) {
      rowStart[s] = rowAction.size();
      terminal[s] = rng.nextInt(5) == 0;
      if (terminal[s]) {
        continue;
      }
      live++;
      List<Integer> acts = new ArrayList<>();
      for (int a = 0; a < na; a++) {
        if (allActions || rng.nextBoolean()) {
          acts.add(a);
        }
      }
      if (acts.isEmpty()) {
        acts.add(rng.nextInt(na));
      }
      if (!allActions) {
        java.util.Collections.shuffle(acts, rng);
      }
      for (int a : acts) {
        rowAction.add(a);
        entryStart.add(next.size());
        List<Integer> targets = new ArrayList<>();
        for (int t = 0; t < n; t++) {
          if (rng.nextInt(3) == 0) {
            targets.add(t);
          }
        }
        if (targets.isEmpty()) {
          targets.add(rng.nextInt(n));
        }
        int[] w = new int[targets.size()];
        int total = 0;
        for (int j = 0; j < w.length; j++) {
          w[j] = 1 + rng.nextInt(9);
          total += w[j];
        }
        for (int j = 0; j < w.length; j++) {
          next.add(targets.get(j));
          eprob.add(new BigFraction(w[j], total));
          dprob.add(w[j] / (double) total);
        }
        if (rng.nextInt(3) == 0) {
          // rewards that depend on the next state: halves (exact) or Gaussian (double)
          BigFraction er = BigFraction.ZERO;
          double dr = 0;
          for (int j = 0; j < w.length; j++) {
            double x = exact ? (rng.nextInt(21) - 10) / 2.0 : rng.nextGaussian() * 10;
            entryReward.add(x);
            er = er.add(eprob.get(eprob.size() - w.length + j).multiply(Rationals.fromDouble(x)));
            dr += dprob.get(dprob.size() - w.length + j) * x;
          }
          ereward.add(er);
          dreward.add(dr);
          varying = true;
        } else {
          BigFraction er = new BigFraction(rng.nextInt(21) - 10, 1 + rng.nextInt(6));
          double dr = rng.nextGaussian() * 10;
          ereward.add(er);
          dreward.add(dr);
          for (int j = 0; j < w.length; j++) {
            entryReward.add(exact ? Rationals.toDouble(er) : dr);
          }
        }
      }
    }
    rowStart[n] = rowAction.size();
    entryStart.add(next.size());
    int d = 1 + rng.nextInt(7);
    BigFraction discount = new BigFraction(rng.nextInt(d + 1), d);
    if (discount.equals(BigFraction.ONE) && live == n) {
      discount = new BigFraction(9, 10);
    }
    BigFraction[] einit = new BigFraction[n];
    double[] dinit = new double[n];
    int[] w = new int[n];
    int total = 0;
    for (int s = 0; s < n; s++) {
      w[s] = allActions ? (live == 0 || !terminal[s] ? 1 : 0) : rng.nextInt(4);
      total += w[s];
    }
    if (total == 0) {
      w[0] = 1;
      total = 1;
    }
    for (int s = 0; s < n; s++) {
      einit[s] = new BigFraction(w[s], total);
      dinit[s] = w[s] / (double) total;
    }
    int[] ra = rowAction.stream().mapToInt(Integer::intValue).toArray();
    int[] es = entryStart.stream().mapToInt(Integer::intValue).toArray();
    int[] nx = next.stream().mapToInt(Integer::intValue).toArray();
    double[] dp = dprob.stream().mapToDouble(Double::doubleValue).toArray();
    double[] dr = dreward.stream().mapToDouble(Double::doubleValue).toArray();
    TabularMdp.Exact ex = exact ? new TabularMdp.Exact(eprob.toArray(new BigFraction[0]),
        ereward.toArray(new BigFraction[0]), discount, einit) : null;
    TabularMdp<String, String> m = TabularMdp.of(name, Indexer.of("state", states),
        Indexer.of("action", actions), rowStart, ra, es, nx, dp, dr, terminal, rng.nextDouble(),
        dinit, ex);
    return varying
        ? m.withEntryRewards(entryReward.stream().mapToDouble(Double::doubleValue).toArray()) : m;
  }
}
