package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * An open {@code .npz} file: a zip of {@code KEY.npy} members, stored or deflated, ZIP64 or not
 * ({@link ZipFile} reads the central directory, including ZIP64 end records and extra fields).
 * Each member is read once, streamed, its dtype and shape checked against what the caller
 * expects, its CRC-32 verified, and problems recorded as {@code source: key...: rule}.
 * Not thread-safe; close it after use.
 */
final class NpzArchive implements AutoCloseable {
  private static final Pattern UNICODE = Pattern.compile("<U(\\d{1,7})");
  private static final Map<String, String> DTYPE_HINT = Map.of(
      "<f8", "little-endian float64", "<i8", "little-endian int64",
      "<i4", "little-endian int32", "|b1", "bool");

  /** Reads a member's elements once its header is checked. */
  interface Body<T> {
    /**
     * @param in the stream positioned at the first element
     * @param n the element count
     * @param header the member's header
     * @param where the key, for messages
     * @return the elements
     * @throws IOException when reading fails
     */
    T read(InputStream in, int n, Npy.Header header, String where) throws IOException;
  }

  private final ZipFile zip;
  private final String source;
  private final Map<String, ZipEntry> members = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private NpzArchive(ZipFile zip, String source) {
    this.zip = zip;
    this.source = source;
  }

  /**
   * Opens a file and lists its members; a member that is not {@code KEY.npy} or a key found twice
   * is a problem.
   *
   * @param path the file
   * @param source the name used in messages
   * @return the archive
   * @throws ModelException when the file is missing, unreadable or not a zip archive
   */
  static NpzArchive open(Path path, String source) {
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw new ModelException(source + ": not a zip archive (an .npz file is a zip of .npy "
          + "arrays; is it truncated?): " + e.getMessage(), e);
    } catch (IOException e) {
      throw ModelFiles.unreadable(path, source, e);
    }
    NpzArchive a = new NpzArchive(zip, source);
    Enumeration<? extends ZipEntry> es = zip.entries();
    while (es.hasMoreElements()) {
      ZipEntry e = es.nextElement();
      String name = e.getName();
      if (e.isDirectory() || !name.endsWith(".npy")) {
        a.problem("member " + JsonText.quote(name) + " is not an .npy array (unknown key)");
        continue;
      }
      String key = name.substring(0, name.length() - 4);
      if (a.members.putIfAbsent(key, e) != null) {
        a.problem("member " + JsonText.quote(name) + " appears twice");
      }
    }
    return a;
  }

  /** {@return the keys present, in archive order} */
  List<String> keys() {
    return new ArrayList<>(members.keySet());
  }

  /** {@return whether the key is present} @param key a key */
  boolean has(String key) {
    return members.containsKey(key);
  }

  /** {@return the problems recorded so far} */
  List<String> problems() {
    return problems;
  }

  /** Records a problem. @param message starts with the key and names the rule */
  void problem(String message) {
    problems.add(source + ": " + message);
  }

  /**
   * Reads a member after checking its dtype and shape.
   *
   * @param key the key (member name without {@code .npy})
   * @param descr the dtype expected: {@code <f8}, {@code <i8}, {@code <i4}, {@code |b1} or
   *     {@code <U} for a unicode array of any width
   * @param rank 0 for a scalar, 1 for a vector
   * @param length the vector length expected, or -1 when any length will do
   * @param lengthRule how the length is defined, for the message ("S*A+1 = 7")
   * @param body reads the elements
   * @param <T> the element array type
   * @return the elements, or null after recording a problem (also when the key is absent)
   */
  <T> @Nullable T read(String key, String descr, int rank, long length, String lengthRule,
      Body<T> body) {
    ZipEntry e = members.get(key);
    if (e == null) {
      return null;
    }
    String where = key;
    try (InputStream raw = zip.getInputStream(e);
        CheckedInputStream in = new CheckedInputStream(raw, new CRC32())) {
      Npy.Header h = Npy.readHeader(in, where);
      int itemSize;
      if (descr.equals("<U")) {
        Matcher m = UNICODE.matcher(h.descr());
        if (!m.matches()) {
          problem(where + ": dtype " + h.descr() + ", expected <U (a unicode string array such "
              + "as numpy.array(['a', 'b']); not bytes, not an object array)");
          return null;
        }
        itemSize = 4 * Integer.parseInt(m.group(1));
      } else if (!h.descr().equals(descr)) {
        problem(where + ": dtype " + h.descr() + ", expected " + descr + " ("
            + DTYPE_HINT.get(descr) + ": numpy.asarray(x, dtype='" + descr + "'))");
        return null;
      } else {
        itemSize = descr.equals("|b1") ? 1 : descr.endsWith("4") ? 4 : 8;
      }
      if (h.fortranOrder()) {
        problem(where + ": fortran_order is True; write C order (numpy.ascontiguousarray)");
        return null;
      }
      if (h.shape().length != rank || (rank == 1 && length >= 0 && h.shape()[0] != length)) {
        String want = rank == 0 ? "() (a scalar)"
            : length >= 0 ? "(" + length + ",) (" + lengthRule + ")" : "(n,) (a vector)";
        problem(where + ": shape " + h.shapeText() + ", expected " + want);
        return null;
      }
      long n = h.count();
      if (n < 0 || (e.getSize() >= 0 && n * itemSize > e.getSize())) {
        problem(where + ": shape " + h.shapeText() + " needs " + (n < 0 ? "more" : n * itemSize)
            + " bytes but the member holds " + e.getSize() + " (file truncated or damaged)");
        return null;
      }
      T out = body.read(in, (int) n, h, where);
      long extra = in.transferTo(OutputStream.nullOutputStream());
      if (extra > 0) {
        problem(where + ": " + extra + " bytes after the " + n + " elements of shape "
            + h.shapeText());
        return null;
      }
      if (e.getCrc() != -1 && in.getChecksum().getValue() != e.getCrc()) {
        problem(where + ": CRC-32 mismatch (the file is damaged)");
        return null;
      }
      return out;
    } catch (ModelException x) {
      problem(x.getMessage());
      return null;
    } catch (IOException x) {
      problem(where + ": cannot read the member (file truncated or damaged): " + x.getMessage());
      return null;
    }
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException e) {
      // nothing was written; a failed close of a read-only file loses nothing
    }
  }
}
