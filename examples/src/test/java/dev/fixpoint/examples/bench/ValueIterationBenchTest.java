package dev.fixpoint.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValueIterationBenchTest {
  @Test
  void bytesPerSweepFollowTheCountedArrays() {
    // by hand: 16e6 entries x (4 + 8 + 8) + 4e6 rows x (4 + 8) + 1e6 states x (4 + 8 + 8)
    assertEquals(320_000_000L + 48_000_000L + 20_000_000L,
        ValueIterationBench.sweepBytes(1_000_000, 4_000_000, 16_000_000));
    assertEquals(320_000_000L, ValueIterationBench.referenceBytes(16_000_000));
  }

  @Test
  void bothReferenceLoopsComputeTheSameSumAndTheSweepRuns() {
    ValueIterationBench b = new ValueIterationBench();
    b.states = 100_000; // above the backend's parallel threshold, so both paths are exercised
    b.actions = 2;
    b.successors = 3;
    b.seed = 5;
    b.setUp();
    double ref = b.referenceRead();
    assertTrue(ref > 0, "values and probabilities are positive: " + ref);
    assertEquals(ref, b.referenceReadParallel(), 1e-12 * ref);
    assertTrue(b.jacobiSweep() > 0);
    b.tearDown();
  }

  @Test
  void reportWithoutResultsStillStatesTheBytes() {
    List<String> lines = ValueIterationBench.report(List.of());
    assertTrue(lines.get(0).contains("bytes per sweep 388,000,000"), lines.get(0));
  }
}
