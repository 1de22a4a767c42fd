package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.cli.RunCommandTest.Outcome;
import org.junit.jupiter.api.Test;

class TourCommandTest {
  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path dir;

  @Test
  void tourRunsAndEveryPublishedNumberAgrees() throws java.io.IOException {
    Outcome o = RunCommandTest.fixpoint("tour", "--out", dir.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("Example 3.5 gridworld"), o.out());
    assertTrue(o.out().contains("agrees"), o.out());
    assertFalse(o.out().contains("DIFFERS"), o.out());
    assertTrue(o.out().contains("7 of 7 steps agree with their sources"), o.out());
    for (var t : dev.fixpoint.examples.TourPlots.tasks()) {
      for (String ext : new String[] {".png", ".svg"}) {
        java.nio.file.Path f = dir.resolve(t.name() + ext);
        assertTrue(java.nio.file.Files.size(f) > 1000, f + " is missing or tiny");
      }
    }
  }
}
