package dev.fixpoint.tabular.io;

import static dev.fixpoint.tabular.io.Models.assertSameModel;
import static dev.fixpoint.tabular.io.Models.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing {@code fixpoint-mdp-npz/1}: round trips, the exact bytes (checked here byte by byte
 * against the .npy and zip layouts, and once by numpy: {@code npz/java-written/tiny.numpy.txt} is
 * what {@code src/test/python/check_npz.py} printed for {@code npz/java-written/tiny.npz}), and the
 * models the form cannot hold.
 */
class NpzWriterTest {

  /** The "tiny" model of make_npz_fixtures.py, built directly (terminal state end has no rows). */
  static TabularMdp<String, String> tiny(String name) {
    return TabularMdp.of(name, Indexer.of("state", List.of("s0", "s1", "end")),
        Indexer.of("action", List.of("stay", "go")), new int[] {0, 2, 4, 4},
        new int[] {0, 1, 0, 1}, new int[] {0, 1, 3, 4, 5}, new int[] {0, 1, 2, 1, 2},
        new double[] {1.0, 1 / 3.0, 2 / 3.0, 1.0, 1.0}, new double[] {0.0, 1 / 3.0, -0.5, 5.0},
        new boolean[] {false, false, true}, 0.9, new double[] {0.5, 0.5, 0.0}, null);
  }

  @Test
  void writesAModelThatReadsBackToTheSameArrays(@TempDir Path dir) {
    Path f = dir.resolve("tiny.npz");
    assertEquals(List.of(), ModelFiles.write(tiny("tiny"), f));
    LoadedModel back = ModelFiles.read(f);
    assertSameModel(tiny("tiny"), back.mdp());
    NpzReaderTest.assertTiny(back.mdp());
  }

  @Test
  void writesTheBytesNumpyWasShown(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("tiny.npz");
    ModelFiles.writeNpz(tiny("tiny"), f);
    Path copy = Path.of("target", "io", "java-written-tiny.npz"); // for inspection
    Files.createDirectories(copy.getParent());
    Files.copy(f, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertArrayEquals(Files.readAllBytes(resource("npz/java-written/tiny.npz")),
        Files.readAllBytes(f), "the writer's bytes changed: rerun check_npz.py on them and "
            + "update npz/java-written/");
  }

  @Test
  void zipAndNpyLayoutAreThoseOfNumpySavez(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("tiny.npz");
    ModelFiles.writeNpz(tiny("tiny"), f);
    try (ZipFile z = new ZipFile(f.toFile())) {
      List<String> names = new ArrayList<>();
      for (ZipEntry e : Collections.list(z.entries())) {
        names.add(e.getName());
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
      }
      assertEquals(List.of("format.npy", "discount.npy", "num_states.npy", "num_actions.npy",
          "indptr.npy", "indices.npy", "probs.npy", "reward.npy", "terminal.npy",
          "state_names.npy", "action_names.npy"), names);
      ByteBuffer b = npy(z, "format.npy", "{'descr': '<U18', 'fortran_order': False, "
          + "'shape': (), }");
      StringBuilder s = new StringBuilder();
      while (b.hasRemaining()) {
        s.appendCodePoint(b.getInt());
      }
      assertEquals("fixpoint-mdp-npz/1", s.toString());
      b = npy(z, "discount.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (), }");
      assertEquals(0.9, b.getDouble());
      assertFalse(b.hasRemaining());
      b = npy(z, "indptr.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (7,), }");
      for (long v : new long[] {0, 1, 3, 4, 5, 6, 7}) {
        assertEquals(v, b.getLong());
      }
      b = npy(z, "indices.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (7,), }");
      for (int v : new int[] {0, 1, 2, 1, 2, 2, 2}) {
        assertEquals(v, b.getInt());
      }
      b = npy(z, "reward.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }");
      for (double v : new double[] {0, 1 / 3.0, -0.5, 5, 0, 0}) {
        assertEquals(v, b.getDouble());
      }
      b = npy(z, "terminal.npy", "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }");
      assertEquals(List.of((byte) 0, (byte) 0, (byte) 1), List.of(b.get(), b.get(), b.get()));
      b = npy(z, "action_names.npy", "{'descr': '<U4', 'fortran_order': False, "
          + "'shape': (2,), }");
      assertEquals(32, b.remaining()); // "stay", "go\0\0" in UCS-4
      assertEquals('s', b.getInt());
      assertEquals(0, b.getInt(28));
    }
  }

  /** Checks magic, version 1.0, header text and 64-byte alignment; returns the data. */
  private static ByteBuffer npy(ZipFile z, String name, String dict) throws IOException {
    byte[] all;
    try (InputStream in = z.getInputStream(z.getEntry(name))) {
      all = in.readAllBytes();
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0},
        java.util.Arrays.copyOf(all, 8), name);
    int len = b.getShort(8) & 0xffff;
    assertEquals(0, (10 + len) % 64, name + ": data must start at a multiple of 64 bytes");
    String header = new String(all, 10, len, StandardCharsets.ISO_8859_1);
    assertEquals(dict + " ".repeat(len - dict.length() - 1) + "\n", header, name);
    return b.position(10 + len).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void numpyReadsWhatJavaWrites(@TempDir Path dir) throws Exception {
    // optional external check: the pure-Java checks above run everywhere
    Assumptions.assumeTrue(numpyAvailable(), "python3 with numpy is not installed");
    Path f = dir.resolve("tiny.npz");
    ModelFiles.writeNpz(tiny("tiny"), f);
    Process p = new ProcessBuilder("python3", "src/test/python/check_npz.py", f.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals(Files.readString(resource("npz/java-written/tiny.numpy.txt")), out);
  }

  private static boolean numpyAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true)
          .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void refusesUnavailableActionsAndSuggestsJson(@TempDir Path dir) {
    TabularMdp<String, String> m = ModelFiles.read(resource("json/two-state.json")).mdp();
    Path f = dir.resolve("m.npz");
    ModelException e = assertThrows(ModelException.class, () -> ModelFiles.write(m, f));
    assertEquals("two-state example: state s1, action stay is not available; the npz form needs "
        + "every action in every non-terminal state (write the model as .json instead)",
        e.getMessage());
    assertFalse(Files.exists(f));
  }

  @Test
  void refusesDiscountOneWithoutATerminalState(@TempDir Path dir) {
    TabularMdp<String, String> m = ModelFiles.read(resource("json/joint-rewards.json")).mdp()
        .withDiscount(org.apache.commons.math3.fraction.BigFraction.ONE);
    assertEquals("joint-rewards: discount 1 without a terminal state cannot be written as npz "
        + "(the format requires a terminal state with discount 1)",
        assertThrows(ModelException.class, () -> ModelFiles.writeNpz(m, dir.resolve("m.npz")))
            .getMessage());
  }

  @Test
  void refusesNamesWithNul(@TempDir Path dir) {
    TabularMdp<String, String> m = TabularMdp.of("nul", Indexer.of("state", List.of("a\0")),
        Indexer.of("action", List.of("x")), new int[] {0, 1}, new int[] {0}, new int[] {0, 1},
        new int[] {0}, new double[] {1}, new double[] {0}, new boolean[] {false}, 0.5,
        new double[] {1}, null);
    assertEquals("state \"a\\u0000\": names with a NUL character cannot be stored in a NumPy "
        + "unicode array (NumPy strips trailing NULs)",
        assertThrows(ModelException.class, () -> ModelFiles.writeNpz(m, dir.resolve("m.npz")))
            .getMessage());
  }

  @Test
  void notesWhatTheFileCannotHold(@TempDir Path dir) {
    TabularMdp<String, String> m = ModelFiles.read(resource("json/joint-rewards.json")).mdp();
    // exact, with rewards per next state, and the default initial
    assertEquals(List.of("joint-rewards: rewards that depend on the next state are stored as "
        + "their expectation r(s, a) (values and policies are unchanged; use .json to keep them)",
        "joint-rewards: exact numbers are stored as the nearest doubles (the npz form holds "
            + "float64; use .json to keep them exact)"),
        ModelFiles.write(m, dir.resolve("a.npz")));
    TabularMdp<String, String> t = TabularMdp.of("t", m.states(), m.actions(),
        m.csr().rowStart(), m.csr().rowAction(), m.csr().entryStart(), m.csr().next(),
        m.csr().prob(), m.csr().reward(), m.csr().terminal(), 0.5, new double[] {1, 0}, null);
    assertEquals(List.of("t: the initial distribution is not stored (the npz form has none; "
        + "readers use the uniform distribution over the non-terminal states)"),
        ModelFiles.write(t, dir.resolve("b.npz")));
    TabularMdp<String, String> back = ModelFiles.read(dir.resolve("a.npz")).mdp();
    assertFalse(back.isExact());
    assertArrayEquals(m.csr().prob(), back.csr().prob());
    assertArrayEquals(m.csr().reward(), back.csr().reward());
    // the transitions of the file carry r(s, a): 5/4 for both next states of state 0
    assertArrayEquals(new double[] {1.25, 1.25, 0.001}, Models.entryRewards(back));
  }
}
