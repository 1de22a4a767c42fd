package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.cli.RunCommandTest.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {

  @ParameterizedTest
  @ValueSource(strings = {"tour", "solve", "evaluate", "export", "run", "shell", "bench", "ope",
      "traces", "gfn"})
  void everySubcommandPrintsItsUsageOnHelpEvenWithoutItsRequiredArguments(String command) {
    Outcome o = RunCommandTest.fixpoint(command, "--help");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().startsWith("Usage: fixpoint " + command), o.out());
    assertEquals("", o.err());
  }

  @Test
  void helpCommandPrintsASubcommandsUsage() {
    Outcome o = RunCommandTest.fixpoint("help", "solve");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().startsWith("Usage: fixpoint solve"), o.out());
  }
}
