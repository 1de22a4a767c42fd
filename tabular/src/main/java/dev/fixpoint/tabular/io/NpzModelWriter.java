package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.Indexer;
import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the {@code fixpoint-mdp-npz/1} form: a zip of stored (uncompressed) {@code .npy} 1.0
 * members, as {@code numpy.savez} writes them, that {@code numpy.load} reads without {@code
 * allow_pickle}. Terminal states get self-loop rows with probability 1 and reward 0 under every
 * action; {@code terminal} is written when some state is terminal, {@code state_names} and {@code
 * action_names} when the names are not "0".."N-1". Every member has a fixed time stamp, so the
 * same model gives the same bytes. Each member is serialized twice (once to learn its size and
 * CRC-32, which a stored zip entry needs up front, once for real), so memory stays at the size of
 * the model's own arrays.
 */
final class NpzModelWriter {
  private static final LocalDateTime STAMP = LocalDateTime.of(2000, 1, 1, 0, 0);

  /** Writes one member: its .npy header and data. */
  interface Member {
    void write(OutputStream out) throws IOException;
  }

  private NpzModelWriter() {}

  /**
   * Writes a model.
   *
   * @param m the model; every action must be available in every non-terminal state
   * @param path the file to create or replace
   * @return notes on what the file cannot hold (an initial distribution other than the default,
   *     rewards that depend on the next state, exact numbers), one line each
   * @throws ModelException when the model has an unavailable action, discount 1 without a
   *     terminal state, names that clash or contain NUL, or the file cannot be written
   */
  static List<String> write(TabularMdp<?, ?> m, Path path) {
    int s = m.numStates();
    int a = m.numActions();
    boolean anyTerminal = false;
    long nnz = 0;
    for (int x = 0; x < s; x++) {
      if (m.isTerminal(x)) {
        anyTerminal = true;
        nnz += a;
        continue;
      }
      for (int y = 0; y < a; y++) {
        int r = m.row(x, y);
        if (r < 0) {
          throw new ModelException(m.name() + ": state " + m.states().value(x) + ", action "
              + m.actions().value(y) + " is not available; the npz form needs every action in "
              + "every non-terminal state (write the model as .json instead)");
        }
        nnz += m.entryEnd(r) - m.entryStart(r);
      }
    }
    if (m.discount() == 1 && !anyTerminal) {
      throw new ModelException(m.name() + ": discount 1 without a terminal state cannot be "
          + "written as npz (the format requires a terminal state with discount 1)");
    }
    if ((long) s * a + 1 > Integer.MAX_VALUE - 9 || nnz > Integer.MAX_VALUE - 9) {
      throw new ModelException(m.name() + ": too large for one npz array (" + nnz
          + " transitions)");
    }
    List<String> states = JsonModelWriter.names(m.states().values(), "state");
    List<String> actions = JsonModelWriter.names(m.actions().values(), "action");
    int rows = s * a;
    long[] indptr = new long[rows + 1];
    int[] indices = new int[(int) nnz];
    double[] probs = new double[(int) nnz];
    double[] reward = new double[rows];
    boolean[] terminal = new boolean[s];
    int k = 0;
    for (int x = 0; x < s; x++) {
      terminal[x] = m.isTerminal(x);
      for (int y = 0; y < a; y++) {
        int out = x * a + y;
        indptr[out] = k;
        if (terminal[x]) {
          indices[k] = x;
          probs[k++] = 1.0;
          continue;
        }
        int r = m.row(x, y);
        reward[out] = m.reward(r);
        for (int e = m.entryStart(r); e < m.entryEnd(r); e++) {
          indices[k] = m.next(e);
          probs[k++] = m.prob(e);
        }
      }
    }
    indptr[rows] = k;
    List<String> names = new ArrayList<>(List.of("format", "discount", "num_states",
        "num_actions", "indptr", "indices", "probs", "reward"));
    List<Member> members = new ArrayList<>(List.of(
        unicode(List.of(NpzModelReader.FORMAT), true),
        out -> {
          Npy.writeHeader(out, "<f8");
          Npy.writeF8(out, new double[] {m.discount()});
        },
        out -> {
          Npy.writeHeader(out, "<i8");
          Npy.writeI8(out, new long[] {s});
        },
        out -> {
          Npy.writeHeader(out, "<i8");
          Npy.writeI8(out, new long[] {a});
        },
        out -> {
          Npy.writeHeader(out, "<i8", indptr.length);
          Npy.writeI8(out, indptr);
        },
        out -> {
          Npy.writeHeader(out, "<i4", indices.length);
          Npy.writeI4(out, indices);
        },
        out -> {
          Npy.writeHeader(out, "<f8", probs.length);
          Npy.writeF8(out, probs);
        },
        out -> {
          Npy.writeHeader(out, "<f8", reward.length);
          Npy.writeF8(out, reward);
        }));
    if (anyTerminal) {
      names.add("terminal");
      members.add(out -> {
        Npy.writeHeader(out, "|b1", terminal.length);
        Npy.writeB1(out, terminal);
      });
    }
    if (!states.equals(Indexer.numbered("state", s).values())) {
      names.add("state_names");
      members.add(unicode(checkNoNul(states, "state"), false));
    }
    if (!actions.equals(Indexer.numbered("action", a).values())) {
      names.add("action_names");
      members.add(unicode(checkNoNul(actions, "action"), false));
    }
    try (ZipOutputStream zip = new ZipOutputStream(
        new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))) {
      for (int i = 0; i < names.size(); i++) {
        store(zip, names.get(i) + ".npy", members.get(i));
      }
    } catch (IOException e) {
      throw new ModelException("cannot write " + path + ": " + e, e);
    }
    return notes(m);
  }

  private static List<String> notes(TabularMdp<?, ?> m) {
    List<String> notes = new ArrayList<>();
    int live = 0;
    for (int x = 0; x < m.numStates(); x++) {
      live += m.isTerminal(x) ? 0 : 1;
    }
    for (int x = 0; x < m.numStates(); x++) {
      double uniform = live == 0 ? 1.0 / m.numStates() : m.isTerminal(x) ? 0 : 1.0 / live;
      if (m.initial(x) != uniform) {
        notes.add(m.name() + ": the initial distribution is not stored (the npz form has none;"
            + " readers use the uniform distribution over the non-terminal states)");
        break;
      }
    }
    boolean perTransition = false;
    for (int r = 0; r < m.numRows() && !perTransition; r++) {
      for (int k = m.entryStart(r); k < m.entryEnd(r); k++) {
        perTransition |= m.entryReward(k) != m.reward(r);
      }
    }
    if (perTransition) {
      notes.add(m.name() + ": rewards that depend on the next state are stored as their "
          + "expectation r(s, a) (values and policies are unchanged; use .json to keep them)");
    }
    if (m.isExact()) {
      notes.add(m.name() + ": exact numbers are stored as the nearest doubles (the npz form "
          + "holds float64; use .json to keep them exact)");
    }
    return notes;
  }

  private static List<String> checkNoNul(List<String> names, String kind) {
    for (String n : names) {
      if (n.indexOf('\0') >= 0) {
        throw new ModelException(kind + " " + JsonText.quote(n) + ": names with a NUL character "
            + "cannot be stored in a NumPy unicode array (NumPy strips trailing NULs)");
      }
    }
    return names;
  }

  private static Member unicode(List<String> xs, boolean scalar) {
    int width = 1;
    for (String x : xs) {
      width = Math.max(width, x.codePointCount(0, x.length()));
    }
    int w = width;
    return out -> {
      if (scalar) {
        Npy.writeHeader(out, "<U" + w);
      } else {
        Npy.writeHeader(out, "<U" + w, xs.size());
      }
      Npy.writeUnicode(out, xs, w);
    };
  }

  static void store(ZipOutputStream zip, String name, Member member)
      throws IOException {
    CRC32 crc = new CRC32();
    long[] size = {0};
    member.write(new OutputStream() {
      @Override
      public void write(int b) {
        crc.update(b);
        size[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        crc.update(b, off, len);
        size[0] += len;
      }
    });
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size[0]);
    e.setCompressedSize(size[0]);
    e.setCrc(crc.getValue());
    e.setTimeLocal(STAMP);
    zip.putNextEntry(e);
    member.write(zip);
    zip.closeEntry();
  }
}
