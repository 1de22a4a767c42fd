package dev.fixpoint.tabular.io;

import dev.fixpoint.dsl.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The NumPy {@code .npy} array format, versions 1.0, 2.0 and 3.0 (NumPy Enhancement Proposal 1,
 * R. Kern, 2007, and {@code numpy.lib.format}): the magic {@code \x93NUMPY}, a major and a minor
 * version byte, the header length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), then a
 * Python dict literal {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3,), }} padded
 * with spaces and ended by a line feed (latin-1 in 1.0 and 2.0, UTF-8 in 3.0), then the raw
 * elements in C order.
 *
 * <p>Only the element types of the model format are read and written: {@code <f8}, {@code <i8},
 * {@code <i4}, {@code |b1} and {@code <U}n (n UCS-4 code units per element, trailing NULs
 * stripped, as NumPy does). Errors are {@link ModelException}s whose message starts with the
 * member name. Elements are read in chunks, so an array needs memory only for itself.
 */
final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int CHUNK = 1 << 16;

  private Npy() {}

  /**
   * A parsed header.
   *
   * @param major the format's major version (1, 2 or 3)
   * @param minor the minor version (0)
   * @param descr the dtype string, such as {@code <f8}
   * @param fortranOrder whether the data is in Fortran (column-major) order
   * @param shape the dimensions; empty for a scalar
   */
  record Header(int major, int minor, String descr, boolean fortranOrder, long[] shape) {
    /** {@return the number of elements, or -1 when it exceeds Integer.MAX_VALUE - 8} */
    long count() {
      long n = 1;
      for (long d : shape) {
        if (d != 0 && n > (Integer.MAX_VALUE - 8) / d) {
          return -1;
        }
        n *= d;
      }
      return n;
    }

    /** {@return the shape as NumPy prints it: (), (3,), (2, 3)} */
    String shapeText() {
      if (shape.length == 1) {
        return "(" + shape[0] + ",)";
      }
      StringBuilder b = new StringBuilder("(");
      for (int i = 0; i < shape.length; i++) {
        b.append(i == 0 ? "" : ", ").append(shape[i]);
      }
      return b.append(')').toString();
    }
  }

  /**
   * Reads the magic, the version and the header.
   *
   * @param in the stream, positioned at the start of the member
   * @param where the member name for messages
   * @return the header
   * @throws ModelException when the member is not a valid .npy header
   * @throws IOException when reading fails
   */
  static Header readHeader(InputStream in, String where) throws IOException {
    byte[] start = in.readNBytes(8);
    if (start.length < 8 || !Arrays.equals(Arrays.copyOf(start, 6), MAGIC)) {
      throw new ModelException(where + ": not a .npy array (the magic \\x93NUMPY is missing)");
    }
    int major = start[6] & 0xff;
    int minor = start[7] & 0xff;
    if (major < 1 || major > 3 || minor != 0) {
      throw new ModelException(where + ": .npy version " + major + "." + minor
          + " is not supported (1.0, 2.0 and 3.0 are)");
    }
    long len;
    if (major == 1) {
      byte[] l = in.readNBytes(2);
      if (l.length < 2) {
        throw truncated(where);
      }
      len = (l[0] & 0xff) | (l[1] & 0xff) << 8;
    } else {
      byte[] l = in.readNBytes(4);
      if (l.length < 4) {
        throw truncated(where);
      }
      len = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    }
    if (len > 1 << 20) {
      throw new ModelException(where + ": .npy header of " + len + " bytes is implausibly long");
    }
    byte[] h = in.readNBytes((int) len);
    if (h.length < len) {
      throw truncated(where);
    }
    String text = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    return new HeaderParser(text, where, major, minor).parse();
  }

  private static ModelException truncated(String where) {
    return new ModelException(where + ": the .npy data ends early (file truncated?)");
  }

  /** {@return n little-endian float64 values} @param in data @param n count @param where name */
  static double[] readF8(InputStream in, int n, String where) throws IOException {
    double[] out = new double[n];
    int i = 0;
    while (i < n) {
      int m = Math.min(n - i, CHUNK);
      chunk(in, m * 8, where).asDoubleBuffer().get(out, i, m);
      i += m;
    }
    return out;
  }

  /** {@return n little-endian int64 values} @param in data @param n count @param where name */
  static long[] readI8(InputStream in, int n, String where) throws IOException {
    long[] out = new long[n];
    int i = 0;
    while (i < n) {
      int m = Math.min(n - i, CHUNK);
      chunk(in, m * 8, where).asLongBuffer().get(out, i, m);
      i += m;
    }
    return out;
  }

  /** {@return n little-endian int32 values} @param in data @param n count @param where name */
  static int[] readI4(InputStream in, int n, String where) throws IOException {
    int[] out = new int[n];
    int i = 0;
    while (i < n) {
      int m = Math.min(n - i, CHUNK);
      chunk(in, m * 4, where).asIntBuffer().get(out, i, m);
      i += m;
    }
    return out;
  }

  /**
   * {@return n booleans, one byte each} @param in data @param n count @param where name
   *
   * @throws ModelException naming the first byte that is neither 0 nor 1
   */
  static boolean[] readB1(InputStream in, int n, String where) throws IOException {
    boolean[] out = new boolean[n];
    int i = 0;
    while (i < n) {
      int m = Math.min(n - i, CHUNK);
      ByteBuffer b = chunk(in, m, where);
      for (int k = 0; k < m; k++) {
        byte v = b.get(k);
        if (v != 0 && v != 1) {
          throw new ModelException(where + "[" + (i + k) + "]: boolean byte " + v
              + " is neither 0 nor 1");
        }
        out[i + k] = v == 1;
      }
      i += m;
    }
    return out;
  }

  /**
   * Reads n fixed-width UCS-4 strings.
   *
   * @param in data
   * @param n count
   * @param width code units per element
   * @param where the member name
   * @return the strings, trailing NULs stripped
   * @throws ModelException naming the first element with an invalid code point
   * @throws IOException when reading fails
   */
  static String[] readUnicode(InputStream in, int n, int width, String where) throws IOException {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      ByteBuffer b = chunk(in, width * 4, where);
      int end = width;
      while (end > 0 && b.getInt((end - 1) * 4) == 0) {
        end--;
      }
      StringBuilder s = new StringBuilder(end);
      for (int k = 0; k < end; k++) {
        int cp = b.getInt(k * 4);
        if (!Character.isValidCodePoint(cp) || (cp >= 0xd800 && cp <= 0xdfff)) {
          throw new ModelException(where + "[" + i + "]: invalid code point 0x"
              + Integer.toHexString(cp));
        }
        s.appendCodePoint(cp);
      }
      out[i] = s.toString();
    }
    return out;
  }

  private static ByteBuffer chunk(InputStream in, int bytes, String where) throws IOException {
    byte[] b = in.readNBytes(bytes);
    if (b.length < bytes) {
      throw truncated(where);
    }
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Writes a version 1.0 header, padded with spaces so that the data starts at a multiple of 64
   * bytes (as {@code numpy.lib.format} does).
   *
   * @param out the stream
   * @param descr the dtype string
   * @param shape the dimensions (none for a scalar)
   * @throws IOException when writing fails
   */
  static void writeHeader(OutputStream out, String descr, long... shape) throws IOException {
    StringBuilder dims = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      dims.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    dims.append(shape.length == 1 ? ",)" : ")");
    StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, "
        + "'shape': " + dims + ", }");
    int total = MAGIC.length + 2 + 2 + h.length() + 1;
    h.append(" ".repeat((64 - total % 64) % 64)).append('\n');
    out.write(MAGIC);
    out.write(new byte[] {1, 0, (byte) (h.length() & 0xff), (byte) (h.length() >>> 8)});
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes float64 values, little-endian. @param out stream @param xs values */
  static void writeF8(OutputStream out, double[] xs) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < xs.length; i += CHUNK) {
      int m = Math.min(CHUNK, xs.length - i);
      b.clear();
      b.asDoubleBuffer().put(xs, i, m);
      out.write(b.array(), 0, m * 8);
    }
  }

  /** Writes int64 values, little-endian. @param out stream @param xs values */
  static void writeI8(OutputStream out, long[] xs) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < xs.length; i += CHUNK) {
      int m = Math.min(CHUNK, xs.length - i);
      b.clear();
      b.asLongBuffer().put(xs, i, m);
      out.write(b.array(), 0, m * 8);
    }
  }

  /** Writes int32 values, little-endian. @param out stream @param xs values */
  static void writeI4(OutputStream out, int[] xs) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < xs.length; i += CHUNK) {
      int m = Math.min(CHUNK, xs.length - i);
      b.clear();
      b.asIntBuffer().put(xs, i, m);
      out.write(b.array(), 0, m * 4);
    }
  }

  /** Writes booleans as bytes 0 and 1. @param out stream @param xs values */
  static void writeB1(OutputStream out, boolean[] xs) throws IOException {
    byte[] b = new byte[xs.length];
    for (int i = 0; i < xs.length; i++) {
      b[i] = (byte) (xs[i] ? 1 : 0);
    }
    out.write(b);
  }

  /**
   * Writes strings as UCS-4 little-endian, each padded with NULs to {@code width} code points.
   *
   * @param out stream
   * @param xs strings of at most {@code width} code points, without NUL characters
   * @param width the element width
   * @throws IOException when writing fails
   */
  static void writeUnicode(OutputStream out, List<String> xs, int width) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * width).order(ByteOrder.LITTLE_ENDIAN);
    for (String s : xs) {
      b.clear();
      s.codePoints().forEach(b::putInt);
      while (b.position() < b.capacity()) {
        b.putInt(0);
      }
      out.write(b.array());
    }
  }

  /** The header dict: a tiny recursive-descent reader for the Python literal NumPy writes. */
  private static final class HeaderParser {
    private final String text;
    private final String where;
    private final int major;
    private final int minor;
    private int pos;

    HeaderParser(String text, String where, int major, int minor) {
      this.text = text;
      this.where = where;
      this.major = major;
      this.minor = minor;
    }

    Header parse() {
      String descr = null;
      Boolean fortran = null;
      long[] shape = null;
      expect('{');
      while (true) {
        skip();
        if (peek() == '}') {
          pos++;
          break;
        }
        String key = quoted();
        expect(':');
        skip();
        switch (key) {
          case "descr" -> {
            if (peek() != '\'' && peek() != '"') {
              throw bad("descr is not a simple dtype string (structured and object dtypes are"
                  + " not supported)");
            }
            descr = quoted();
          }
          case "fortran_order" -> fortran = bool();
          case "shape" -> shape = tuple();
          default -> throw bad("unknown header key '" + key + "'");
        }
        skip();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw bad("expected ',' or '}' in the header dict");
        }
      }
      if (!text.substring(pos).isBlank()) {
        throw bad("text after the header dict");
      }
      if (descr == null || fortran == null || shape == null) {
        throw bad("the header needs 'descr', 'fortran_order' and 'shape'");
      }
      return new Header(major, minor, descr, fortran, shape);
    }

    private long[] tuple() {
      expect('(');
      List<Long> dims = new ArrayList<>();
      while (true) {
        skip();
        if (peek() == ')') {
          pos++;
          break;
        }
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (start == pos || pos - start > 18) {
          throw bad("the shape must be a tuple of non-negative integers");
        }
        dims.add(Long.parseLong(text.substring(start, pos)));
        if (peek() == 'L') {
          pos++; // Python 2 long suffix
        }
        skip();
        if (peek() == ',') {
          pos++;
        } else if (peek() != ')') {
          throw bad("expected ',' or ')' in the shape");
        }
      }
      return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private boolean bool() {
      if (text.startsWith("True", pos)) {
        pos += 4;
        return true;
      }
      if (text.startsWith("False", pos)) {
        pos += 5;
        return false;
      }
      throw bad("fortran_order must be True or False");
    }

    private String quoted() {
      char q = peek();
      if (q != '\'' && q != '"') {
        throw bad("expected a quoted string in the header dict");
      }
      int end = text.indexOf(q, pos + 1);
      if (end < 0) {
        throw bad("unterminated string in the header dict");
      }
      String s = text.substring(pos + 1, end);
      pos = end + 1;
      return s;
    }

    private void expect(char c) {
      skip();
      if (peek() != c) {
        throw bad("expected '" + c + "' in the header dict");
      }
      pos++;
    }

    private void skip() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private ModelException bad(String why) {
      String h = text.strip();
      return new ModelException(where + ": bad .npy header (" + why + "): "
          + (h.length() > 200 ? h.substring(0, 200) + "..." : h));
    }
  }
}
