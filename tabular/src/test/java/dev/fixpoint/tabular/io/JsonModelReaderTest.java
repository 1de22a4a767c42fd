package dev.fixpoint.tabular.io;

import static dev.fixpoint.tabular.io.Models.problems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Dist;
import dev.fixpoint.dsl.InexactModelException;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Reading {@code fixpoint-mdp/1}: the spec's example, exact numbers, and one test per rule of the
 * spec (shared/spec/model-format.md), each asserting the message that names the place. Expected
 * values are the spec's numbers, worked by hand in fractions.
 */
class JsonModelReaderTest {
  /** Two states a, b; one action x; a -> b or a w.p. 1/2 each (reward 1 or 0); b -> b (2). */
  static final String BASE = """
      {"format": "fixpoint-mdp/1", "discount": 0.9,
       "states": ["a", "b"], "actions": ["x"],
       "transitions": [
        {"state": "a", "action": "x", "outcomes": [{"next": "b", "prob": "1/2", "reward": 1},
                                                   {"next": "a", "prob": 0.5, "reward": 0}]},
        {"state": "b", "action": "x", "outcomes": [{"next": "b", "prob": 1, "reward": 2}]}
       ]}
      """;

  private static LoadedModel read(String text) {
    return ModelFiles.parseJson(text, "t.json");
  }

  /** The problems of reading BASE with one fragment replaced (which must occur in BASE). */
  private static List<String> broken(String from, String to) {
    assertTrue(BASE.contains(from), from);
    return problems(() -> read(BASE.replace(from, to)));
  }

  private static void assertOne(String expected, List<String> problems) {
    assertEquals(List.of(expected), problems);
  }

  @Test
  void readsTheSpecExampleExactly() {
    LoadedModel lm = ModelFiles.read(Models.resource("json/two-state.json"));
    TabularMdp<String, String> m = lm.mdp();
    assertEquals(List.of(), lm.warnings());
    assertEquals("two-state example", m.name());
    assertTrue(m.isExact());
    assertEquals(new BigFraction(9, 10), m.exact().discount());
    assertEquals(List.of("s0", "s1", "end"), m.states().values());
    assertEquals(List.of("stay", "go"), m.actions().values());
    assertTrue(m.isTerminal(2));
    assertEquals(List.of("stay", "go"), m.availableActions("s0"));
    assertEquals(List.of("go"), m.availableActions("s1"));
    assertEquals(List.of(), m.availableActions("end"));
    // s0/go: s1 w.p. 1/3 (reward 1), end w.p. 2/3 (reward 0): r = 1/3
    assertEquals(Dist.<String>builder().add("s1", "1/3").add("end", "2/3").build(),
        m.transition("s0", "go"));
    assertEquals(new BigFraction(1, 3), m.exactExpectedReward("s0", "go"));
    // the rewards of the two transitions are kept: 1 towards s1, 0 towards end
    int go = m.row(0, 1);
    assertArrayEquals(new double[] {1.0, 0.0}, java.util.Arrays.copyOfRange(
        Models.entryRewards(m), m.entryStart(go), m.entryEnd(go)));
    assertEquals(Dist.<String>builder().add("s0", "1").build(), m.transition("s0", "stay"));
    assertEquals(BigFraction.ZERO, m.exactExpectedReward("s0", "stay"));
    assertEquals(new BigFraction(5), m.exactExpectedReward("s1", "go"));
    assertArrayEquals(new BigFraction[] {BigFraction.ONE, BigFraction.ZERO, BigFraction.ZERO},
        m.exact().initial());
  }

  @Test
  void mergesJointOutcomesIntoExpectedRewardsAndDropsZeroProbabilities() {
    // by hand: r(0) = 1/4*4 + 1/4*(-2) + 1/2*3/2 + 0*1000 = 5/4; p(1|0) = 1/4 + 1/4 = 1/2
    TabularMdp<String, String> m = ModelFiles.read(Models.resource("json/joint-rewards.json"))
        .mdp();
    assertEquals("joint-rewards", m.name());
    assertEquals(List.of("0", "1"), m.states().values());
    assertEquals(List.of("0"), m.actions().values());
    assertEquals(new BigFraction(1, 2), m.exact().discount());
    assertEquals(2, m.entryEnd(0) - m.entryStart(0));
    assertEquals(Dist.<String>builder().add("0", "1/2").add("1", "1/2").build(),
        m.transition("0", "0"));
    assertEquals(new BigFraction(5, 4), m.exactExpectedReward("0", "0"));
    assertEquals(new BigFraction(1, 1000), m.exactExpectedReward("1", "0"));
    // E[r | 0, 0, 0] = (1/2 * 3/2) / (1/2) = 3/2; E[r | 0, 0, 1] = (1/4 * 4 - 1/4 * 2) / (1/2) = 1
    assertArrayEquals(new double[] {1.5, 1.0, 0.001}, Models.entryRewards(m));
    // no initial and no terminal: uniform over all states
    assertArrayEquals(new BigFraction[] {new BigFraction(1, 2), new BigFraction(1, 2)},
        m.exact().initial());
  }

  @Test
  void decimalsAreReadFromTheirTextNotThroughDouble() {
    // 0.1 as a double is 3602879701896397/36028797018963968; the text means 1/10
    LoadedModel lm = read(BASE.replace("\"discount\": 0.9", "\"discount\": 0.1"));
    assertEquals(new BigFraction(1, 10), lm.mdp().exact().discount());
    lm = read(BASE.replace("\"discount\": 0.9", "\"discount\": \"-0.0e0\""));
    assertEquals(BigFraction.ZERO, lm.mdp().exact().discount());
    lm = read(BASE.replace("\"reward\": 2", "\"reward\": \" 7/3 \""));
    assertEquals(new BigFraction(7, 3), lm.mdp().exactExpectedReward("b", "x"));
    lm = read(BASE.replace("\"reward\": 2", "\"reward\": 25e-1"));
    assertEquals(new BigFraction(5, 2), lm.mdp().exactExpectedReward("b", "x"));
  }

  @Test
  void rowsWithinTheToleranceGiveADoubleModelAndOneWarning() {
    String text = BASE.replace("\"prob\": \"1/2\"", "\"prob\": 0.49999999999")
        .replace("\"prob\": 1,", "\"prob\": 0.9999999999,");
    LoadedModel lm = read(text);
    assertFalse(lm.mdp().isExact());
    assertThrows(InexactModelException.class, () -> lm.mdp().exact());
    assertEquals(List.of("t.json: transitions[0].outcomes (state a, action x): probabilities sum"
        + " to 1 only within 1.0E-9 (off by -1.0E-11) (and 1 more); read as a double model "
        + "(isExact() false): exact computations will refuse it"), lm.warnings());
    assertEquals(0.49999999999, lm.mdp().prob(1));
    // the reward is the expectation under the row's distribution: 2 for b whatever the rounding
    assertEquals(2.0, lm.mdp().expectedReward("b", "x"));
  }

  @Test
  void anInitialDistributionWithinTheToleranceAlsoGivesADoubleModel() {
    LoadedModel lm = read(BASE.replace("\"discount\"",
        "\"initial\": {\"a\": 0.3333333333, \"b\": 0.6666666666}, \"discount\""));
    assertFalse(lm.mdp().isExact());
    assertEquals(1, lm.warnings().size());
    assertTrue(lm.warnings().get(0).startsWith("t.json: initial: probabilities sum to 1 only "
        + "within 1.0E-9 (off by -1.0E-10);"), lm.warnings().get(0));
  }

  @Test
  void unknownKeysAreRejectedAtEveryLevel() {
    assertOne("t.json:1:30: discont: unknown key \"discont\" (known keys: format, name, discount,"
        + " states, numStates, actions, numActions, initial, terminal, transitions)",
        problems(() -> read(BASE.replace("\"discount\": 0.9",
            "\"discont\": 0.9, \"discount\": 0.9"))));
    assertOne("t.json:6:86: transitions[1].why: unknown key \"why\" (known keys of "
        + "transitions[1]: state, action, outcomes)", broken("\"reward\": 2}]}",
        "\"reward\": 2}], \"why\": 1}"));
    assertOne("t.json:6:84: transitions[1].outcomes[0].rewad: unknown key \"rewad\" (known keys"
        + " of transitions[1].outcomes[0]: next, prob, reward)", broken("\"prob\": 1, \"reward\"",
        "\"prob\": 1, \"reward\": 2, \"rewad\""));
  }

  @Test
  void missingKeysAreNamed() {
    assertOne("t.json:1:1: missing key \"discount\"", broken("\"discount\": 0.9,", ""));
    assertOne("t.json:1:1: missing key \"format\"", broken("\"format\": \"fixpoint-mdp/1\",", ""));
    assertOne("t.json:6:3: transitions[1]: missing key \"action\"",
        broken("\"state\": \"b\", \"action\": \"x\",", "\"state\": \"b\","));
    assertOne("t.json:4:46: transitions[0].outcomes[0]: missing key \"prob\"",
        broken("\"prob\": \"1/2\", ", ""));
  }

  @Test
  void wrongTypesAreNamed() {
    assertOne("t.json:1:42: discount: expected a number (or a string holding an integer, a "
        + "decimal or a fraction \"p/q\"), found true", broken("0.9", "true"));
    assertOne("t.json:2:12: states: expected an array, found the string \"a\"",
        broken("[\"a\", \"b\"]", "\"a\""));
    assertOne("t.json:6:13: transitions[1].state: expected a string, found the number 2",
        broken("\"state\": \"b\"", "\"state\": 2"));
    assertOne("t.json:1:12: format: expected \"fixpoint-mdp/1\", found \"fixpoint-mdp/2\"",
        broken("fixpoint-mdp/1", "fixpoint-mdp/2"));
    assertOne("t.json:1:1: expected an object with \"format\": \"fixpoint-mdp/1\", found an array",
        problems(() -> read("[]")));
  }

  @Test
  void unknownStatesAndActionsAreNamed() {
    assertOne("t.json:4:55: transitions[0].outcomes[0].next: unknown state \"c\" (not in the "
        + "states)", broken("\"next\": \"b\", \"prob\": \"1/2\"", "\"next\": \"c\", \"prob\": \"1/2\""));
    assertOne("t.json:6:28: transitions[1].action: unknown action \"y\" (not in the actions)",
        broken("\"state\": \"b\", \"action\": \"x\"", "\"state\": \"b\", \"action\": \"y\""));
  }

  @Test
  void duplicateNamesAndPairsAreNamed() {
    assertOne("t.json:2:23: states[2]: state \"a\" is listed twice (first at states[0])",
        broken("[\"a\", \"b\"]", "[\"a\", \"b\", \"a\"]"));
    assertOne("t.json:2:41: actions[1]: action \"x\" is listed twice (first at actions[0])",
        broken("[\"x\"]", "[\"x\", \"x\"]"));
    List<String> p = problems(() -> read(BASE.replace("\n ]}",
        ",\n  {\"state\": \"b\", \"action\": \"x\", \"outcomes\": [{\"next\": \"a\", \"prob\": 1, "
            + "\"reward\": 0}]}\n ]}")));
    assertOne("t.json:7:3: transitions[2]: state b, action x is listed twice (first at "
        + "transitions[1])", p);
  }

  @Test
  void probabilitiesMustSumToOne() {
    assertOne("t.json:6:45: transitions[1].outcomes (state b, action x): probabilities sum to "
        + "9/10, expected 1", broken("\"prob\": 1,", "\"prob\": 0.9,"));
  }

  @Test
  void negativeProbabilitiesAndProbabilitiesAboveOneAreRefused() {
    assertOne("t.json:6:68: transitions[1].outcomes[0].prob (state b, action x): probability "
        + "-1/2 is negative", broken("\"prob\": 1,", "\"prob\": \"-1/2\","));
    assertOne("t.json:6:68: transitions[1].outcomes[0].prob (state b, action x): probability "
        + "3/2 is greater than 1", broken("\"prob\": 1,", "\"prob\": 1.5,"));
  }

  @Test
  void discountMustLieInTheUnitInterval() {
    assertOne("t.json:1:42: discount: 11/10 is outside [0, 1]", broken("0.9", "1.1"));
    assertOne("t.json:1:42: discount: -1/10 is outside [0, 1]", broken("0.9", "-0.1"));
  }

  @Test
  void nonFiniteNumbersAreRefusedInEverySpelling() {
    assertEquals("t.json:1:42: expected a value, found 'NaN' (NaN and Infinity are not JSON "
        + "numbers; a model needs finite numbers)", broken("0.9", "NaN").get(0));
    assertOne("t.json:1:42: discount: \"NaN\" is not a finite number (NaN and infinities are not "
        + "allowed)", broken("0.9", "\"NaN\""));
    assertOne("t.json:6:81: transitions[1].outcomes[0].reward (state b, action x): \"-Infinity\""
        + " is not a finite number (NaN and infinities are not allowed)",
        broken("\"reward\": 2", "\"reward\": \"-Infinity\""));
    assertOne("t.json:6:81: transitions[1].outcomes[0].reward (state b, action x): 1e400 is not"
        + " finite as a double (its magnitude exceeds 1.7976931348623157E308)",
        broken("\"reward\": 2", "\"reward\": 1e400"));
    assertOne("t.json:6:81: transitions[1].outcomes[0].reward (state b, action x): \"10/1e-3\" "
        + "is not a number (expected an integer, a decimal or a fraction \"p/q\" of two integers)",
        broken("\"reward\": 2", "\"reward\": \"10/1e-3\""));
    assertOne("t.json:6:81: transitions[1].outcomes[0].reward (state b, action x): \"1/0\": the "
        + "denominator is zero", broken("\"reward\": 2", "\"reward\": \"1/0\""));
    assertOne("t.json:1:42: discount: 1e-999999999 has more than 10000 digits after the decimal "
        + "point", broken("0.9", "1e-999999999"));
  }

  @Test
  void terminalStatesHaveNoTransitionsAndOtherStatesHaveSome() {
    assertOne("t.json:6:3: transitions[1]: state b is terminal and must have no transitions",
        broken("\"actions\": [\"x\"],", "\"actions\": [\"x\"], \"terminal\": [\"b\"],"));
    assertOne("t.json:3:17: transitions: state c has no available action (add a transition or "
        + "list it in \"terminal\")", broken("[\"a\", \"b\"]", "[\"a\", \"b\", \"c\"]"));
    assertOne("t.json:2:55: terminal[0]: unknown state \"z\"",
        broken("\"actions\": [\"x\"],", "\"actions\": [\"x\"], \"terminal\": [\"z\"],"));
  }

  @Test
  void statesAndNumStatesBothOrNeitherAreRefused() {
    assertOne("t.json:2:37: numStates: give either \"states\" or \"numStates\", not both",
        broken("\"actions\"", "\"numStates\": 2, \"actions\""));
    assertOne("t.json:1:1: missing key \"states\" (or \"numStates\")",
        broken("\"states\": [\"a\", \"b\"],", ""));
    assertOne("t.json:1:1: missing key \"actions\" (or \"numActions\")",
        broken("\"actions\": [\"x\"],", ""));
    assertOne("t.json:2:15: numStates: 2.5 is not an integer",
        broken("\"states\": [\"a\", \"b\"]", "\"numStates\": 2.5"));
    assertOne("t.json:2:15: numStates: 0 is outside [1, 10000000]",
        broken("\"states\": [\"a\", \"b\"]", "\"numStates\": 0"));
  }

  @Test
  void initialMustSumToOneOverKnownStates() {
    assertOne("t.json:1:41: initial: probabilities sum to 1/2, expected 1",
        broken("\"discount\"", "\"initial\": {\"a\": 0.5}, \"discount\""));
    assertOne("t.json:1:47: initial.z: unknown state \"z\"",
        broken("\"discount\"", "\"initial\": {\"z\": 1}, \"discount\""));
  }

  @Test
  void everyProblemIsCollectedAndTheMessageCountsTheRest() {
    ModelException e = assertThrows(ModelException.class, () -> read(BASE
        .replace("0.9", "2").replace("\"prob\": 1,", "\"prob\": 0.5,")
        .replace("\"next\": \"a\"", "\"next\": \"q\"")));
    assertEquals(List.of("t.json:1:42: discount: 2 is outside [0, 1]",
        "t.json:5:55: transitions[0].outcomes[1].next: unknown state \"q\" (not in the states)",
        "t.json:6:45: transitions[1].outcomes (state b, action x): probabilities sum to 1/2, "
            + "expected 1"), e.problems());
    assertEquals("t.json:1:42: discount: 2 is outside [0, 1] (and 2 more problems)",
        e.getMessage());
  }
}
