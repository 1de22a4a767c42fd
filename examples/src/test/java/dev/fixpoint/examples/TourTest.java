package dev.fixpoint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.examples.TourStep.Check;
import java.util.List;
import org.junit.jupiter.api.Test;

class TourTest {
  @Test
  void everyStepAgreesWithItsSource() {
    List<TourStep> steps = Tour.run();
    assertEquals(7, steps.size());
    for (TourStep s : steps) {
      assertFalse(s.checks().isEmpty(), s.title());
      for (Check c : s.checks()) {
        assertTrue(c.agrees(), s.title() + ": " + c);
      }
    }
  }

  @Test
  void linesShowPublishedNextToOursAndASummary() {
    List<String> lines = Tour.lines();
    assertTrue(lines.contains("7 of 7 steps agree with their sources"), String.join("\n", lines));
    // Figure 3.5's first row as the book prints it, and ours rounded the same way
    assertTrue(lines.stream().anyMatch(l -> l.matches(
        " *row 0 +22\\.0 24\\.4 22\\.0 19\\.4 17\\.5 +22\\.0 24\\.4 22\\.0 19\\.4 17\\.5 +agrees")),
        String.join("\n", lines));
    assertTrue(lines.stream().anyMatch(l -> l.matches(
        " *V\\* \\(by hand\\) +1825/43 1550/43 +1825/43 1550/43 +agrees")));
  }

  @Test
  void aDisagreementIsShownAsSuch() {
    TourStep s = new TourStep("t", "src", "m",
        List.of(new Check("x", "1.0", "1.2", false), new Check("y", "2", "2", true)), List.of());
    assertFalse(s.agrees());
    assertTrue(s.lines().stream().anyMatch(l -> l.contains("1.2") && l.endsWith("DIFFERS")));
    assertTrue(s.lines().stream().anyMatch(l -> l.startsWith("  y") && l.endsWith("agrees")));
  }
}
