package dev.fixpoint.tabular.io;

import static dev.fixpoint.tabular.io.Models.problems;
import static dev.fixpoint.tabular.io.Models.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixpoint.dsl.TabularMdp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading {@code fixpoint-mdp-npz/1} files that numpy itself wrote ({@code
 * src/test/python/make_npz_fixtures.py}). Expected values are the numbers written in that script;
 * each bad fixture breaks one rule of shared/spec/model-format.md.
 */
class NpzReaderTest {

  /** The "tiny" model of make_npz_fixtures.py, as a TabularMdp sees it (terminal rows dropped). */
  static void assertTiny(TabularMdp<String, String> m) {
    assertFalse(m.isExact());
    assertEquals(List.of("s0", "s1", "end"), m.states().values());
    assertEquals(List.of("stay", "go"), m.actions().values());
    assertEquals(0.9, m.discount());
    assertArrayEquals(new boolean[] {false, false, true}, m.csr().terminal());
    assertArrayEquals(new int[] {0, 2, 4, 4}, m.csr().rowStart());
    assertArrayEquals(new int[] {0, 1, 0, 1}, m.csr().rowAction());
    assertArrayEquals(new int[] {0, 1, 3, 4, 5}, m.csr().entryStart());
    assertArrayEquals(new int[] {0, 1, 2, 1, 2}, m.csr().next());
    assertArrayEquals(new double[] {1.0, 1 / 3.0, 2 / 3.0, 1.0, 1.0}, m.csr().prob());
    assertArrayEquals(new double[] {0.0, 1 / 3.0, -0.5, 5.0}, m.csr().reward());
    // no initial distribution in npz: uniform over the two non-terminal states
    assertArrayEquals(new double[] {0.5, 0.5, 0.0}, m.initialDistribution());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-savez", "tiny-savez-compressed", "tiny-npy-v2-v3", "tiny-zip64"})
  void readsWhatNumpyWrote(String name) {
    LoadedModel lm = ModelFiles.read(resource("npz/" + name + ".npz"));
    assertEquals(List.of(), lm.warnings());
    assertEquals(name, lm.mdp().name());
    assertTiny(lm.mdp());
  }

  @Test
  void readsAFileWithoutOptionalKeys() {
    TabularMdp<String, String> m = ModelFiles.readNpz(resource("npz/minimal.npz")).mdp();
    assertEquals(List.of("0", "1"), m.states().values());
    assertEquals(List.of("0"), m.actions().values());
    assertEquals(0.5, m.discount());
    assertArrayEquals(new boolean[] {false, false}, m.csr().terminal());
    assertArrayEquals(new int[] {0, 1, 0}, m.csr().next());
    assertArrayEquals(new double[] {0.75, 0.25, 1.0}, m.csr().prob());
    assertArrayEquals(new double[] {1.0, 2.0}, m.csr().reward());
    assertArrayEquals(new double[] {0.5, 0.5}, m.initialDistribution());
  }

  private static List<String> bad(String name) {
    Path p = resource("npz/bad-" + name + ".npz");
    List<String> problems = problems(() -> ModelFiles.read(p));
    String prefix = p + ": ";
    for (String q : problems) {
      assertTrue(q.startsWith(prefix), q);
    }
    return problems.stream().map(q -> q.substring(prefix.length())).toList();
  }

  @Test
  void wrongDtypeNamesTheKeyAndTheExpectedDtype() {
    assertEquals(List.of("indices: dtype <i8, expected <i4 (little-endian int32: "
        + "numpy.asarray(x, dtype='<i4'))"), bad("dtype-indices"));
    assertEquals(List.of("state_names: dtype |O, expected <U (a unicode string array such as "
        + "numpy.array(['a', 'b']); not bytes, not an object array)"), bad("object-names"));
  }

  @Test
  void indicesMustBeInRangeAndStrictlyIncreasingWithinARow() {
    assertEquals(List.of("indices[2] (state s0, action go): 1 after 2 (next states must be "
        + "strictly increasing within a row)"), bad("unsorted-indices"));
    assertEquals(List.of("indices[2] (state s0, action go): next state 3 is outside [0, 3)"),
        bad("index-out-of-range"));
  }

  @Test
  void missingAndUnknownKeysAreRefused() {
    assertEquals(List.of("missing key \"reward\""), bad("missing-reward"));
    assertEquals(List.of("unknown key \"extra\" (known keys: format, discount, num_states, "
        + "num_actions, indptr, indices, probs, reward, terminal, state_names, action_names)"),
        bad("unknown-key"));
  }

  @Test
  void indptrMustStartAtZeroHaveTheRightLengthAndNoEmptyRow() {
    assertEquals(List.of("indptr[0]: 1, expected 0"), bad("indptr-start"));
    assertEquals(List.of("indptr[1] = indptr[2] = 1: row 1 (state s0, action go) is empty "
        + "(every row needs at least one next state)"), bad("empty-row"));
    assertEquals(List.of("indptr: shape (6,), expected (7,) (num_states * num_actions + 1 = 7)"),
        bad("indptr-length"));
    assertEquals(List.of("indptr[3]: 2 is less than indptr[2] = 3 (row pointers must not "
        + "decrease)"), bad("indptr-decreasing"));
  }

  @Test
  void probabilitiesMustLieInTheHalfOpenIntervalAndSumToOne() {
    // the fixture's row 1 is (0, 1): it sums to 1 but holds a 0; 0.3 + 0.6 is 0.8999999999999999
    assertEquals(List.of("probs[1] (state s0, action go): 0.0 is outside (0, 1]"),
        bad("prob-zero"));
    assertEquals(List.of("probs (state s0, action go): row 1 (probs[1:3]) sums to "
        + "0.8999999999999999, expected 1 within 1.0E-9"), bad("row-sum"));
  }

  @Test
  void rewardsMustBeFinite() {
    assertEquals(List.of("reward[1] (state s0, action go): NaN is not finite"), bad("reward-nan"));
  }

  @Test
  void discountMustLieInTheUnitIntervalAndOneNeedsATerminalState() {
    assertEquals(List.of("discount: 1.5 is outside [0, 1]"), bad("discount"));
    assertEquals(List.of("discount: 1 needs at least one terminal state (key \"terminal\"), "
        + "otherwise no policy ends"), bad("discount-one"));
  }

  @Test
  void terminalRowsMustBeSelfLoopsWithRewardZero() {
    assertEquals(List.of("terminal[2]: row 5 (state end, action go) of a terminal state must be"
        + " a self-loop with reward 0 (found 1 entry, first next state 2, reward 2.0)"),
        bad("terminal-reward"));
    assertEquals(List.of("terminal[2]: row 4 (state end, action stay) of a terminal state must "
        + "be a self-loop with reward 0 (found 1 entry, first next state 0, reward 0.0)"),
        bad("terminal-not-loop"));
  }

  @Test
  void namesMustBeUnique() {
    assertEquals(List.of("state_names[2]: \"s0\" is listed twice (first at state_names[0])"),
        bad("duplicate-names"));
  }

  @Test
  void formatShapeAndOrderAreChecked() {
    assertEquals(List.of("format: \"fixpoint-mdp-npz/2\", expected \"fixpoint-mdp-npz/1\""),
        bad("format"));
    assertEquals(List.of("num_states: shape (1,), expected () (a scalar)"), bad("scalar-shape"));
    assertEquals(List.of("indptr: fortran_order is True; write C order "
        + "(numpy.ascontiguousarray)"), bad("fortran"));
  }

  @Test
  void truncatedFilesAndOtherFilesAreNotZipArchives() {
    for (String name : List.of("truncated", "not-a-zip")) {
      List<String> p = bad(name);
      assertEquals(1, p.size());
      assertTrue(p.get(0).startsWith("not a zip archive (an .npz file is a zip of .npy arrays; "
          + "is it truncated?): "), p.get(0));
    }
  }

  /** Copies tiny-savez.npz with one member's bytes changed (members stay stored). */
  private static Path damaged(Path dir, String member, UnaryOperator<byte[]> change)
      throws IOException {
    Path out = dir.resolve("damaged.npz");
    try (ZipFile in = new ZipFile(resource("npz/tiny-savez.npz").toFile());
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
      for (ZipEntry e : Collections.list(in.entries())) {
        byte[] data;
        try (InputStream is = in.getInputStream(e)) {
          data = is.readAllBytes();
        }
        if (e.getName().equals(member)) {
          data = change.apply(data);
        }
        zip.putNextEntry(new ZipEntry(e.getName()));
        zip.write(data);
        zip.closeEntry();
      }
    }
    return out;
  }

  private static List<String> damagedProblems(Path dir, String member,
      UnaryOperator<byte[]> change) throws IOException {
    Path p = damaged(dir, member, change);
    return problems(() -> ModelFiles.read(p)).stream()
        .map(q -> q.substring((p + ": ").length())).toList();
  }

  @Test
  void damagedMembersAreNamed(@TempDir Path dir) throws IOException {
    assertEquals(List.of("format: not a .npy array (the magic \\x93NUMPY is missing)"),
        damagedProblems(dir, "format.npy", b -> "hello".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(List.of("discount: 8 bytes after the 1 elements of shape ()"),
        damagedProblems(dir, "discount.npy", b -> Arrays.copyOf(b, b.length + 8)));
    assertEquals(List.of("indptr: .npy version 4.0 is not supported (1.0, 2.0 and 3.0 are)"),
        damagedProblems(dir, "indptr.npy", b -> {
          b[6] = 4;
          return b;
        }));
    assertEquals(List.of("terminal[1]: boolean byte 2 is neither 0 nor 1"),
        damagedProblems(dir, "terminal.npy", b -> {
          b[b.length - 2] = 2;
          return b;
        }));
    assertEquals(List.of("indices: the .npy data ends early (file truncated?)"),
        damagedProblems(dir, "indices.npy", b -> Arrays.copyOf(b, b.length - 4)));
  }

  @Test
  void aDamagedStoredMemberFailsItsCrc(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(resource("npz/tiny-savez.npz"));
    byte[] ucs4 = {'f', 0, 0, 0, 'i', 0, 0, 0, 'x', 0, 0, 0};
    int at = indexOf(bytes, ucs4);
    assertTrue(at > 0);
    bytes[at] = 'g'; // "gixpoint-mdp-npz/1": the stored data no longer matches its CRC-32
    Path p = dir.resolve("crc.npz");
    Files.write(p, bytes);
    assertEquals(List.of(p + ": format: CRC-32 mismatch (the file is damaged)"),
        problems(() -> ModelFiles.read(p)));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
