package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.cli.RunCommandTest.Outcome;
import org.junit.jupiter.api.Test;

class TourCommandTest {
  @Test
  void tourRunsAndEveryPublishedNumberAgrees() {
    Outcome o = RunCommandTest.fixpoint("tour");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("Example 3.5 gridworld"), o.out());
    assertTrue(o.out().contains("agrees"), o.out());
    assertFalse(o.out().contains("DIFFERS"), o.out());
  }
}
