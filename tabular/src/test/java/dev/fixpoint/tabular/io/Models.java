package dev.fixpoint.tabular.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.dsl.internal.Csr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.function.Executable;

/** Test helpers: model comparison, resources, expected failures. */
final class Models {
  private Models() {}

  /** {@return the path of a test resource under io/} @param name e.g. "json/two-state.json" */
  static Path resource(String name) {
    try {
      return Path.of(Objects.requireNonNull(Models.class.getResource("/io/" + name), name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Asserts that two models have the same names, arrays (bit for bit), exactness and exact numbers.
   *
   * @param expected the model written
   * @param actual the model read back
   */
  static void assertSameModel(TabularMdp<?, ?> expected, TabularMdp<String, String> actual) {
    assertSameModel(expected, actual, 0);
  }

  /**
   * As {@link #assertSameModel(TabularMdp, TabularMdp)}, with row rewards r(s, a) allowed to
   * differ by {@code tolerance * (1 + |r|)} (a JSON file holds transition rewards only, so the row
   * reward of a double model is recomputed from them).
   *
   * @param expected the model written
   * @param actual the model read back
   * @param tolerance relative tolerance on r(s, a); 0 for identical bits
   */
  static void assertSameModel(TabularMdp<?, ?> expected, TabularMdp<String, String> actual,
      double tolerance) {
    assertEquals(expected.name(), actual.name(), "name");
    assertEquals(names(expected.states().values()), actual.states().values(), "states");
    assertEquals(names(expected.actions().values()), actual.actions().values(), "actions");
    Csr e = expected.csr();
    Csr a = actual.csr();
    assertArrayEquals(e.rowStart(), a.rowStart(), "rowStart");
    assertArrayEquals(e.rowAction(), a.rowAction(), "rowAction");
    assertArrayEquals(e.rowState(), a.rowState(), "rowState");
    assertArrayEquals(e.entryStart(), a.entryStart(), "entryStart");
    assertArrayEquals(e.next(), a.next(), "next");
    assertArrayEquals(e.prob(), a.prob(), "prob");
    if (tolerance == 0) {
      assertArrayEquals(e.reward(), a.reward(), "reward");
    } else {
      assertEquals(e.reward().length, a.reward().length);
      for (int r = 0; r < e.reward().length; r++) {
        assertEquals(e.reward()[r], a.reward()[r], tolerance * (1 + Math.abs(e.reward()[r])));
      }
    }
    assertArrayEquals(entryRewards(expected), entryRewards(actual), "entryReward");
    assertArrayEquals(e.terminal(), a.terminal(), "terminal");
    assertEquals(e.discount(), a.discount(), "discount");
    assertArrayEquals(expected.initialDistribution(), actual.initialDistribution(), "initial");
    assertEquals(expected.isExact(), actual.isExact(), "isExact");
    if (expected.isExact()) {
      assertArrayEquals(expected.exact().prob(), actual.exact().prob(), "exact prob");
      assertArrayEquals(expected.exact().reward(), actual.exact().reward(), "exact reward");
      assertEquals(expected.exact().discount(), actual.exact().discount(), "exact discount");
      assertArrayEquals(expected.exact().initial(), actual.exact().initial(), "exact initial");
    }
  }

  /** {@return E[r | s, a, s'] of every transition} @param m a model */
  static double[] entryRewards(TabularMdp<?, ?> m) {
    double[] out = new double[m.numEntries()];
    for (int k = 0; k < out.length; k++) {
      out[k] = m.entryReward(k);
    }
    return out;
  }

  private static List<String> names(List<?> xs) {
    List<String> out = new ArrayList<>();
    for (Object x : xs) {
      out.add(String.valueOf(x));
    }
    return out;
  }

  /** {@return the problems of the ModelException the action throws} @param action the action */
  static List<String> problems(Executable action) {
    return assertThrows(ModelException.class, action).problems();
  }

  /** Runs IO in a lambda. */
  interface IoAction {
    void run() throws IOException;
  }

  static void unchecked(IoAction a) {
    try {
      a.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
