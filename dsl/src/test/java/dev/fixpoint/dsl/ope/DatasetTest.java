package dev.fixpoint.dsl.ope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.ModelException;
import org.junit.jupiter.api.Test;

/** Validation of logged data: every problem names its row, episode and time step. */
class DatasetTest {

  static String message(Runnable r) {
    return String.join("\n", assertThrows(ModelException.class, r::run).problems());
  }

  @Test
  void missingProbabilityNamesTheRow() {
    String m = message(() -> Dataset.of(2, new int[] {0, 2}, new int[] {0, 1},
        new int[] {0, 0}, new double[] {1, 1}, new double[] {0.5, Double.NaN}));
    assertTrue(m.contains("row 1 (episode 0, t = 1): missing behaviour probability"), m);
  }

  @Test
  void zeroProbabilityOfALoggedActionIsRefused() {
    String m = message(() -> Dataset.of(2, new int[] {0, 1}, new int[] {3}, new int[] {1},
        new double[] {1}, new double[] {0}));
    assertTrue(m.contains("row 0") && m.contains("probability 0 for the logged action 1 in state 3"),
        m);
  }

  @Test
  void episodeLongerThanTheHorizonIsRagged() {
    String m = message(() -> Dataset.of(1, new int[] {0, 1, 3}, new int[] {0, 0, 0},
        new int[] {0, 0, 0}, new double[] {1, 1, 1}, new double[] {1, 1, 1}));
    assertTrue(m.contains("episode 1 (rows 1..2): length 2 outside 1..1 (ragged episode)"), m);
  }

  @Test
  void nonFiniteRewardAndProbabilityAboveOneAreRefused() {
    String m = message(() -> Dataset.of(2, new int[] {0, 2}, new int[] {0, 0}, new int[] {0, 0},
        new double[] {Double.POSITIVE_INFINITY, 0}, new double[] {1, 1.5}));
    assertTrue(m.contains("reward Infinity") && m.contains("1.5 outside (0, 1]"), m);
  }

  @Test
  void selectFormsResamples() {
    Dataset d = Dataset.of(2, new int[] {0, 1, 3}, new int[] {0, 1, 0}, new int[] {0, 1, 1},
        new double[] {1, 2, 3}, new double[] {1, 0.5, 0.5});
    Dataset s = d.select(new int[] {1, 1, 0});
    assertEquals(3, s.numEpisodes());
    assertEquals(2, s.length(0));
    assertEquals(3.0, s.reward(3));
    assertEquals(1.0, s.reward(4));
    assertEquals((1 + 5) / 2.0, d.meanReturn(1));
  }
}
