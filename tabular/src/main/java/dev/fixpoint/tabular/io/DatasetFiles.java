package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.ope.Dataset;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipOutputStream;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Logged OPE datasets ({@link Dataset}) as files.
 *
 * <p><b>CSV</b> (UTF-8, comma separated, one logged step per line, header required):
 * <pre>{@code episode,t,state,action,reward,behaviour_prob}</pre>
 * {@code episode} is any integer label, the steps of an episode on consecutive lines with
 * {@code t} = 0, 1, 2, ...; {@code state} and {@code action} are the model's indices;
 * {@code reward} a finite number; {@code behaviour_prob} = mu(action | state) in (0, 1], the
 * exact logging probability. An empty field or {@code nan} is a missing value. Every problem is
 * reported with its line number (the header is line 1).
 *
 * <p><b>NPZ</b> ({@code fixpoint-ope-npz/1}, readable by {@code numpy.load}): members
 * {@code format} (a unicode scalar), {@code horizon} (int64 scalar), {@code episode_start}
 * (int64, n + 1 offsets), {@code state}, {@code action} (int64 per step), {@code reward},
 * {@code behaviour_prob} (float64 per step).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class DatasetFiles {
  /** The CSV header line. */
  public static final String CSV_HEADER = "episode,t,state,action,reward,behaviour_prob";
  /** The NPZ format tag. */
  public static final String NPZ_FORMAT = "fixpoint-ope-npz/1";

  private DatasetFiles() {}

  /**
   * {@return the CSV text of a dataset} Numbers are written as Java prints doubles, so reading
   * the text back gives the same doubles.
   *
   * @param d the dataset
   */
  public static String toCsv(Dataset d) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (int i = 0; i < d.numEpisodes(); i++) {
      for (int t = 0; t < d.length(i); t++) {
        int k = d.start(i) + t;
        b.append(i).append(',').append(t).append(',').append(d.state(k)).append(',')
            .append(d.action(k)).append(',').append(d.reward(k)).append(',')
            .append(d.behaviourProb(k)).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * Writes a dataset as CSV.
   *
   * @param d the dataset
   * @param path the file to create or replace
   * @throws ModelException when the file cannot be written
   */
  public static void writeCsv(Dataset d, Path path) {
    try {
      Files.writeString(path, toCsv(d), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a CSV dataset; the horizon is the longest episode.
   *
   * @param path the file
   * @return the dataset
   * @throws ModelException listing every problem with its line
   */
  public static Dataset readCsv(Path path) {
    return parseCsv(read(path), path.toString(), 0);
  }

  /**
   * Reads a CSV dataset with a given horizon.
   *
   * @param path the file
   * @param horizon H, at least the longest episode
   * @return the dataset
   * @throws ModelException listing every problem with its line
   */
  public static Dataset readCsv(Path path, int horizon) {
    return parseCsv(read(path), path.toString(), horizon);
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ModelException(path + ": no such file");
    } catch (IOException e) {
      throw new ModelException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Parses CSV text (see the class comment).
   *
   * @param text the text
   * @param source a name for messages
   * @param horizon H, or 0 for the longest episode
   * @return the dataset
   * @throws ModelException listing every problem (at most 20) with its line
   */
  public static Dataset parseCsv(String text, String source, int horizon) {
    String[] lines = text.split("\r?\n", -1);
    List<String> problems = new ArrayList<>();
    if (lines.length == 0 || !lines[0].strip().replace(" ", "").equals(CSV_HEADER)) {
      throw new ModelException(source + ": line 1: header must be " + CSV_HEADER);
    }
    int cap = lines.length;
    int[] start = new int[cap + 1];
    int[] s = new int[cap];
    int[] a = new int[cap];
    double[] r = new double[cap];
    double[] p = new double[cap];
    int steps = 0;
    int episodes = 0;
    long currentLabel = 0;
    int expectT = 0;
    int longest = 0;
    Set<Long> seen = new HashSet<>();
    for (int li = 1; li < lines.length && problems.size() < 20; li++) {
      String line = lines[li].strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + ": line " + (li + 1);
      String[] f = line.split(",", -1);
      if (f.length != 6) {
        problems.add(where + ": " + f.length + " fields, expected 6 (" + CSV_HEADER + ")");
        continue;
      }
      Long label = parseLong(f[0], where, "episode", problems);
      Long t = parseLong(f[1], where, "t", problems);
      Long st = parseLong(f[2], where, "state", problems);
      Long ac = parseLong(f[3], where, "action", problems);
      Double rew = parseDouble(f[4], where, "reward", problems);
      Double prob = parseDouble(f[5], where, "behaviour_prob", problems);
      if (label == null || t == null || st == null || ac == null || rew == null || prob == null) {
        continue;
      }
      boolean fresh = steps == 0 || label != currentLabel;
      if (fresh) {
        if (!seen.add(label)) {
          problems.add(where + ": episode " + label + " continues after another episode "
              + "(ragged episode: an episode's steps must be on consecutive lines)");
          continue;
        }
        if (steps > 0) {
          episodes++;
          start[episodes] = steps;
        }
        currentLabel = label;
        expectT = 0;
      }
      if (t != expectT) {
        problems.add(where + ": episode " + label + " has t = " + t + " where t = " + expectT
            + " was expected (ragged episode: t must run 0, 1, 2, ... without gaps)");
        continue;
      }
      expectT++;
      longest = Math.max(longest, expectT);
      if (Double.isNaN(prob)) {
        problems.add(where + ": missing behaviour probability mu(a_t | s_t)");
        continue;
      }
      if (prob == 0) {
        problems.add(where + ": behaviour probability 0 for the logged action " + ac
            + " in state " + st + " (a logged action must have mu > 0)");
        continue;
      }
      if (st < 0 || ac < 0 || st > Integer.MAX_VALUE || ac > Integer.MAX_VALUE) {
        problems.add(where + ": state " + st + " or action " + ac + " is not a valid index");
        continue;
      }
      s[steps] = (int) (long) st;
      a[steps] = (int) (long) ac;
      r[steps] = rew;
      p[steps] = prob;
      steps++;
    }
    if (!problems.isEmpty()) {
      throw new ModelException(problems);
    }
    if (steps == 0) {
      throw new ModelException(source + ": no logged steps after the header");
    }
    episodes++;
    start[episodes] = steps;
    try {
      return Dataset.of(horizon > 0 ? horizon : longest, Arrays.copyOf(start, episodes + 1),
          Arrays.copyOf(s, steps), Arrays.copyOf(a, steps), Arrays.copyOf(r, steps),
          Arrays.copyOf(p, steps));
    } catch (ModelException e) {
      throw new ModelException(e.problems().stream().map(x -> source + ": " + x
          + " (data row k is on line k + 2)").toList());
    }
  }

  private static @Nullable Long parseLong(String f, String where, String what,
      List<String> problems) {
    try {
      return Long.parseLong(f.strip());
    } catch (NumberFormatException e) {
      problems.add(where + ": " + what + " \"" + f + "\" is not an integer");
      return null;
    }
  }

  private static @Nullable Double parseDouble(String f, String where, String what,
      List<String> problems) {
    String x = f.strip();
    if (x.isEmpty() || x.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    try {
      double d = Double.parseDouble(x);
      if (Double.isInfinite(d)) {
        problems.add(where + ": " + what + " " + x + " is not finite");
        return null;
      }
      return d;
    } catch (NumberFormatException e) {
      problems.add(where + ": " + what + " \"" + f + "\" is not a number");
      return null;
    }
  }

  /**
   * Writes a dataset as {@code fixpoint-ope-npz/1} (stored zip members, fixed time stamps: the
   * same dataset gives the same bytes).
   *
   * @param d the dataset
   * @param path the file to create or replace
   * @throws ModelException when the file cannot be written
   */
  public static void writeNpz(Dataset d, Path path) {
    int n = d.numEpisodes();
    int m = d.numSteps();
    long[] start = new long[n + 1];
    for (int i = 0; i <= n; i++) {
      start[i] = i < n ? d.start(i) : m;
    }
    long[] st = new long[m];
    long[] ac = new long[m];
    double[] rw = new double[m];
    double[] pr = new double[m];
    for (int k = 0; k < m; k++) {
      st[k] = d.state(k);
      ac[k] = d.action(k);
      rw[k] = d.reward(k);
      pr[k] = d.behaviourProb(k);
    }
    try (ZipOutputStream zip = new ZipOutputStream(
        new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))) {
      NpzModelWriter.store(zip, "format.npy", out -> {
        Npy.writeHeader(out, "<U" + NPZ_FORMAT.length());
        Npy.writeUnicode(out, List.of(NPZ_FORMAT), NPZ_FORMAT.length());
      });
      NpzModelWriter.store(zip, "horizon.npy", out -> {
        Npy.writeHeader(out, "<i8");
        Npy.writeI8(out, new long[] {d.horizon()});
      });
      NpzModelWriter.store(zip, "episode_start.npy", out -> {
        Npy.writeHeader(out, "<i8", start.length);
        Npy.writeI8(out, start);
      });
      NpzModelWriter.store(zip, "state.npy", out -> {
        Npy.writeHeader(out, "<i8", m);
        Npy.writeI8(out, st);
      });
      NpzModelWriter.store(zip, "action.npy", out -> {
        Npy.writeHeader(out, "<i8", m);
        Npy.writeI8(out, ac);
      });
      NpzModelWriter.store(zip, "reward.npy", out -> {
        Npy.writeHeader(out, "<f8", m);
        Npy.writeF8(out, rw);
      });
      NpzModelWriter.store(zip, "behaviour_prob.npy", out -> {
        Npy.writeHeader(out, "<f8", m);
        Npy.writeF8(out, pr);
      });
    } catch (IOException e) {
      throw new ModelException("cannot write " + path + ": " + e, e);
    }
  }

  /**
   * Reads a {@code fixpoint-ope-npz/1} dataset.
   *
   * @param path the file
   * @return the dataset
   * @throws ModelException listing every problem (missing member, dtype, shape, CRC, values)
   */
  public static Dataset readNpz(Path path) {
    String src = path.toString();
    try (NpzArchive z = NpzArchive.open(path, src)) {
      for (String key : List.of("format", "horizon", "episode_start", "state", "action",
          "reward", "behaviour_prob")) {
        if (!z.has(key)) {
          z.problem(key + ": missing member (" + NPZ_FORMAT + " needs it)");
        }
      }
      String[] format = z.read("format", "<U", 0, -1, "",
          (in, k, h, w) -> Npy.readUnicode(in, k, Integer.parseInt(h.descr().substring(2)), w));
      if (format != null && !format[0].equals(NPZ_FORMAT)) {
        z.problem("format: \"" + format[0] + "\", expected \"" + NPZ_FORMAT + "\"");
      }
      long[] h = z.read("horizon", "<i8", 0, -1, "", (in, k, hd, w) -> Npy.readI8(in, k, w));
      long[] start = z.read("episode_start", "<i8", 1, -1, "",
          (in, k, hd, w) -> Npy.readI8(in, k, w));
      long[] st = z.read("state", "<i8", 1, -1, "", (in, k, hd, w) -> Npy.readI8(in, k, w));
      long[] ac = z.read("action", "<i8", 1, -1, "", (in, k, hd, w) -> Npy.readI8(in, k, w));
      double[] rw = z.read("reward", "<f8", 1, -1, "", (in, k, hd, w) -> Npy.readF8(in, k, w));
      double[] pr = z.read("behaviour_prob", "<f8", 1, -1, "",
          (in, k, hd, w) -> Npy.readF8(in, k, w));
      if (!z.problems().isEmpty() || h == null || start == null || st == null || ac == null
          || rw == null || pr == null) {
        throw new ModelException(z.problems().isEmpty() ? List.of(src + ": unreadable")
            : z.problems());
      }
      try {
        return Dataset.of(toInt(h[0], "horizon", src), toInts(start, "episode_start", src),
            toInts(st, "state", src), toInts(ac, "action", src), rw, pr);
      } catch (ModelException e) {
        throw new ModelException(e.problems().stream().map(x -> src + ": " + x).toList());
      }
    }
  }

  private static int toInt(long x, String key, String src) {
    if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
      throw new ModelException(src + ": " + key + ": value " + x + " does not fit an int");
    }
    return (int) x;
  }

  private static int[] toInts(long[] xs, String key, String src) {
    int[] out = new int[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = toInt(xs[i], key + "[" + i + "]", src);
    }
    return out;
  }
}
