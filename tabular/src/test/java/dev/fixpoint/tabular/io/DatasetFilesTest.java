package dev.fixpoint.tabular.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.ope.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV and NPZ round trips of logged datasets, and refusals that name the line. */
class DatasetFilesTest {
  static final Dataset D = Dataset.of(3, new int[] {0, 2, 3}, new int[] {0, 1, 2},
      new int[] {1, 0, 1}, new double[] {0.1, -2.5, 1.0 / 3}, new double[] {0.5, 1, 2.0 / 3});

  static String problems(Runnable r) {
    return String.join("\n", assertThrows(ModelException.class, r::run).problems());
  }

  @Test
  void csvRoundTripKeepsEveryDouble(@TempDir Path dir) {
    Path f = dir.resolve("d.csv");
    DatasetFiles.writeCsv(D, f);
    assertEquals(D, DatasetFiles.readCsv(f, 3));
    assertEquals(2, DatasetFiles.readCsv(f).horizon());
  }

  @Test
  void npzRoundTrip(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.npz");
    DatasetFiles.writeNpz(D, f);
    assertEquals(D, DatasetFiles.readNpz(f));
    byte[] once = Files.readAllBytes(f);
    DatasetFiles.writeNpz(D, f);
    assertEquals(java.util.Arrays.hashCode(once), java.util.Arrays.hashCode(Files.readAllBytes(f)));
  }

  @Test
  void csvProblemsNameTheirLines() {
    String text = DatasetFiles.CSV_HEADER + "\n"
        + "7,0,0,1,1.0,0.5\n"
        + "7,2,0,1,1.0,0.5\n"   // line 3: gap in t
        + "8,0,1,0,1.0,\n"      // line 4: missing probability
        + "8,1,1,0,1.0,0\n"     // line 5: probability 0
        + "7,0,0,0,1.0,1\n";    // line 6: episode 7 resumes
    String m = problems(() -> DatasetFiles.parseCsv(text, "x.csv", 0));
    assertTrue(m.contains("x.csv: line 3: episode 7 has t = 2 where t = 1 was expected"), m);
    assertTrue(m.contains("x.csv: line 4: missing behaviour probability"), m);
    assertTrue(m.contains("x.csv: line 5: behaviour probability 0 for the logged action 0"), m);
    assertTrue(m.contains("x.csv: line 6: episode 7 continues after another episode"), m);
  }

  @Test
  void csvNeedsItsHeaderAndAHorizonCoveringTheData() {
    assertTrue(problems(() -> DatasetFiles.parseCsv("a,b\n", "x", 0)).contains("header"));
    String m = problems(() -> DatasetFiles.parseCsv(DatasetFiles.toCsv(D), "x", 1));
    assertTrue(m.contains("length 2 outside 1..1 (ragged episode)"), m);
  }
}
