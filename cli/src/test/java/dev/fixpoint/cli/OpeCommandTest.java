package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.cli.RunCommandTest.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fixpoint ope} on the two-state example. By hand with H = 3, pi = always go: from s0, go
 * pays 1 and reaches s1 with probability 1/3, where go pays 5 one step later (gamma = 9/10), so
 * J(pi) = 1/3 (1 + 9/10 * 5) = 11/6.
 */
class OpeCommandTest {
  @TempDir
  Path dir;

  @Test
  void estimatesAndExactMoments() throws IOException {
    Path model = dir.resolve("two-state.json");
    try (InputStream in = getClass().getResourceAsStream("/two-state.json")) {
      Files.copy(in, model);
    }
    Path go = dir.resolve("go.json");
    Files.writeString(go, "{\"s0\": \"go\", \"s1\": \"go\"}");
    Outcome o = RunCommandTest.fixpoint("ope", model.toString(), "--target", go.toString(),
        "--behaviour", "uniform", "--horizon", "3", "--n", "200", "--seed", "4", "--exact");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("J(pi) = 11/6"), o.out());
    assertTrue(o.out().contains("DR (2-fold cross-fitted Q-hat)"), o.out());
    assertTrue(o.out().contains("exact, n = 200:"), o.out());
    Outcome bad = RunCommandTest.fixpoint("ope", model.toString(), "--target", "uniform",
        "--behaviour", go.toString(), "--horizon", "3");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("support violation: state s0, action stay"), bad.err());
  }
}
