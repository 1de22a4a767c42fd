package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.cli.RunCommandTest.Outcome;
import dev.fixpoint.tabular.io.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * solve, evaluate and export through the real entry point, on the spec's two-state example. By
 * hand: v(s1) = 5; v*(s0) = max(0.9 v(s0), 1/3 + 0.9 * 1/3 * 5) = 11/6 (go); under the uniform
 * policy v(s0) = 1/2 * 0.9 v(s0) + 1/2 * 11/6, so v(s0) = (11/12) / (1 - 9/20) = 5/3.
 */
class ModelCommandsTest {
  @TempDir
  Path dir;

  Path model;

  @BeforeEach
  void copyModel() throws IOException {
    model = dir.resolve("two-state.json");
    try (InputStream in = getClass().getResourceAsStream("/two-state.json")) {
      Files.copy(in, model);
    }
  }

  static Outcome fixpoint(String... args) {
    return RunCommandTest.fixpoint(args);
  }

  @Test
  void solveExactJsonFollowsTheContract() {
    Outcome o = fixpoint("solve", model.toString(), "--exact", "--json");
    assertEquals("", o.err());
    assertEquals(0, o.code());
    assertTrue(o.out().startsWith("{\"values\": {\"s0\": \"11/6\", \"s1\": \"5\", \"end\": \"0\"}, "
        + "\"policy\": {\"s0\": \"go\", \"s1\": \"go\"}, \"method\": \"policy iteration (exact)\", "
        + "\"iterations\": "), o.out());
    assertTrue(o.out().contains("\"certificate\": {\"kind\": \"exact\", \"bound\": \"0.0\""),
        o.out());
  }

  @Test
  void solveByEveryMethodGivesTheSameValues() {
    for (String method : new String[] {"pi", "vi", "lp"}) {
      Outcome o = fixpoint("solve", model.toString(), "--method", method, "--json");
      assertEquals(0, o.code(), o.err());
      assertTrue(o.out().contains("\"s0\": \"1.833333333333"), method + ": " + o.out());
    }
    Outcome lp = fixpoint("solve", model.toString(), "--method", "lp", "--exact");
    assertTrue(lp.out().contains("s0     11/6   go"), lp.out());
  }

  @Test
  void valueIterationCarriesASupNormCertificateAndRefusesExact() {
    Outcome o = fixpoint("solve", model.toString(), "--method", "vi", "--json");
    assertTrue(o.out().contains("\"kind\": \"sup-norm\""), o.out());
    Outcome refused = fixpoint("solve", model.toString(), "--method", "vi", "--exact");
    assertEquals(2, refused.code());
    assertEquals("fixpoint: --exact does not work with --method vi: value iteration does not end "
        + "in an exact answer; use --method pi (or lp)\n", refused.err());
  }

  @Test
  void humanTableByDefault() {
    Outcome o = fixpoint("solve", model.toString(), "--exact");
    assertEquals("""
        model two-state example: 3 states, 2 actions, discount 9/10 (exact)
        method: policy iteration (exact), 2 iterations, converged
        state  value  action
        s0     11/6   go
        s1     5      go
        end    0      (terminal)
        """, o.out().substring(0, o.out().indexOf("certificate")));
  }

  @Test
  void evaluateUniformAndAPolicyFile() throws IOException {
    Outcome u = fixpoint("evaluate", model.toString(), "--policy", "uniform", "--exact", "--json");
    assertEquals(0, u.code(), u.err());
    assertEquals("{\"values\": {\"s0\": \"5/3\", \"s1\": \"5\", \"end\": \"0\"}, \"policy\": "
        + "{\"s0\": {\"stay\": \"1/2\", \"go\": \"1/2\"}, \"s1\": {\"go\": \"1\"}}, \"method\": "
        + "\"policy evaluation (exact)\"}\n", u.out());
    Path pol = dir.resolve("pol.json");
    Files.writeString(pol, "{\"s0\": {\"stay\": \"1/4\", \"go\": 0.75}, \"s1\": \"go\"}");
    Outcome f = fixpoint("evaluate", model.toString(), "--policy", pol.toString(), "--exact",
        "--json");
    // v(s0) = 1/4 * 0.9 v(s0) + 3/4 * 11/6  =>  v(s0) = (11/8) / (31/40) = 55/31
    assertTrue(f.out().startsWith("{\"values\": {\"s0\": \"55/31\""), f.out());
  }

  @Test
  void badPolicyFileIsOneLineNamingTheState() throws IOException {
    Path pol = dir.resolve("pol.json");
    Files.writeString(pol, "{\"s0\": \"fly\"}");
    Outcome o = fixpoint("evaluate", model.toString(), "--policy", pol.toString());
    assertEquals(2, o.code());
    assertEquals("fixpoint: " + pol + ":1:2: state s0: action fly is not available there (and 1 "
        + "more problem)\n", o.err());
    Outcome all = fixpoint("evaluate", model.toString(), "--policy", pol.toString(), "--verbose");
    assertEquals("fixpoint: " + pol + ":1:2: state s0: action fly is not available there\n"
        + "fixpoint: " + pol + ": state s1 is missing from the policy\n", all.err());
  }

  @Test
  void badModelIsOneLineAndExitTwo() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"fixpoint-mdp/1\", \"discount\": 2}");
    Outcome o = fixpoint("solve", bad.toString());
    assertEquals(2, o.code());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("fixpoint: " + bad), o.err());
    Outcome missing = fixpoint("solve", dir.resolve("none.json").toString());
    assertEquals(2, missing.code());
    assertEquals(1, missing.err().lines().count(), missing.err());
    Outcome method = fixpoint("solve", model.toString(), "--method", "magic");
    assertEquals(2, method.code());
    assertEquals(1, method.err().lines().count(), method.err());
  }

  @Test
  void exportWritesFilesThatReadBack() {
    Path json = dir.resolve("small.json");
    Outcome o = fixpoint("export", "small", json.toString());
    assertEquals(0, o.code(), o.err());
    assertEquals(2, ModelFiles.read(json).mdp().numStates());
    Outcome s = fixpoint("solve", json.toString(), "--exact", "--json");
    // pymdptoolbox small(): V* = (1825/43, 1550/43)
    assertTrue(s.out().startsWith("{\"values\": {\"0\": \"1825/43\", \"1\": \"1550/43\"}"),
        s.out());
    Path npz = dir.resolve("small.npz");
    assertEquals(0, fixpoint("export", "small", npz.toString()).code());
    Outcome unknown = fixpoint("export", "tetris", npz.toString());
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().startsWith("fixpoint: unknown example \"tetris\"; known: "),
        unknown.err());
  }
}
