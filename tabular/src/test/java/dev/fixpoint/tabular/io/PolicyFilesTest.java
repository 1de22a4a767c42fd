package dev.fixpoint.tabular.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.TabularPolicy;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class PolicyFilesTest {
  static final TabularMdp<String, String> M = ModelFiles.parseJson("""
      {"format": "fixpoint-mdp/1", "discount": "1/2", "states": ["a", "b", "end"],
       "actions": ["x", "y"], "terminal": ["end"],
       "transitions": [
         {"state": "a", "action": "x", "outcomes": [{"next": "b", "prob": 1, "reward": 0}]},
         {"state": "a", "action": "y", "outcomes": [{"next": "end", "prob": 1, "reward": 1}]},
         {"state": "b", "action": "y", "outcomes": [{"next": "end", "prob": 1, "reward": 2}]}]}
      """, "m.json").mdp();

  @Test
  void deterministicAndStochasticEntriesAreReadExactly() {
    TabularPolicy<String, String> p = PolicyFiles.parse(
        "{\"a\": {\"x\": \"1/3\", \"y\": 0.6666666666666666666}, \"b\": \"y\"}", "p.json", M);
    assertFalse(p.isExact()); // 0.666... is within 1e-9 of 2/3 but not 2/3
    TabularPolicy<String, String> q = PolicyFiles.parse(
        "{\"a\": {\"x\": \"1/3\", \"y\": \"2/3\"}, \"b\": \"y\"}", "p.json", M);
    assertTrue(q.isExact());
    assertEquals(new BigFraction(2, 3), q.at("a").probability("y"));
    assertEquals("y", q.action("b"));
  }

  @Test
  void everyProblemIsCollectedWithItsPlace() {
    ModelException e = assertThrows(ModelException.class, () -> PolicyFiles.parse("""
        {"a": {"x": "1/2", "z": "1/2"},
         "end": "x",
         "nowhere": "x"}""", "p.json", M));
    assertEquals(List.of(
        "p.json:1:20: state a, action z: not available there",
        "p.json:2:2: state end: is terminal and takes no action",
        "p.json:3:2: state nowhere: not a state of the model",
        "p.json: state b is missing from the policy"), e.problems());
  }

  @Test
  void probabilitiesMustSumToOneAndBeNonNegative() {
    ModelException e = assertThrows(ModelException.class, () -> PolicyFiles.parse(
        "{\"a\": {\"x\": \"-1/2\", \"y\": \"3/2\"}, \"b\": {\"y\": 0.5}}", "p.json", M));
    assertEquals(List.of("p.json:1:8: state a, action x: probability -1/2 is negative",
        "p.json:1:34: state b: probabilities sum to 1/2, expected 1"), e.problems());
  }

  @Test
  void notAnObjectOrAMissingFile() {
    assertThrows(ModelException.class, () -> PolicyFiles.parse("[1]", "p.json", M));
    ModelException e = assertThrows(ModelException.class,
        () -> PolicyFiles.read(Path.of("/nonexistent/p.json"), M));
    assertEquals("/nonexistent/p.json: no such file", e.getMessage());
  }
}
