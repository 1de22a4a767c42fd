package dev.fixpoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.cli.RunCommandTest.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracesCommandTest {
  @TempDir
  Path dir;

  @Test
  void smallRunPrintsTheTableAndWritesEveryFile() throws java.io.IOException {
    Outcome o = RunCommandTest.fixpoint("traces", "--trials", "1", "--lambdas", "0,1",
        "--alphas", "0.9", "--threads", "2", "--out", dir.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("16 trials on 2 thread(s)"), o.out());
    assertTrue(o.out().contains("RBIS"), o.out());
    for (String f : new String[] {"auc.csv", "learning-curves.csv", "traces.csv",
        "lambda-sweep.png", "lambda-sweep.svg",
        "lambda-sweep-bifurcation1.png", "lambda-sweep-bifurcation1.svg",
        "learning-curves-bifurcation1-rbis.png", "traces-truncated-is.svg"}) {
      assertTrue(Files.size(dir.resolve(f)) > 100, f + " is missing or tiny");
    }
    // 4 methods x 2 lambdas x 1 alpha search rows, then 8 test rows, after the header
    assertEquals(1 + 8 + 8, Files.readAllLines(dir.resolve("auc.csv")).size());
  }

  @Test
  void anUnknownEnvironmentIsABadArgument() {
    Outcome o = RunCommandTest.fixpoint("traces", "--env", "7", "--no-plots");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("Bifurcation7 does not exist"), o.err());
  }

  // One 2-second JMH iteration each: checks the wiring and the report, not the speed.
  @Test
  void benchTracesWorkloadReportsStepsPerSecondBesideTheReference() {
    Outcome o = RunCommandTest.fixpoint("bench", "--workload", "traces", "--warmup", "0",
        "--iterations", "1");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("learn (RBIS)"), o.out());
    assertTrue(o.out().contains("reference (sampling only)"), o.out());
    assertTrue(o.out().contains("of the sampling reference's rate"), o.out());
  }
}
