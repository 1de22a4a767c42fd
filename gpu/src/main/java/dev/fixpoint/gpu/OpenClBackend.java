package dev.fixpoint.gpu;

import static org.jocl.CL.*;

import dev.fixpoint.dsl.ModelException;
import dev.fixpoint.dsl.TabularMdp;
import dev.fixpoint.gpu.internal.ClContext;
import dev.fixpoint.gpu.internal.ClContext.LocalBytes;
import dev.fixpoint.tabular.backend.Backend;
import dev.fixpoint.tabular.internal.ModelBatch;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jspecify.annotations.Nullable;

/**
 * The OpenCL backend (through JOCL): every {@link Backend} operation as an OpenCL kernel over the
 * CSR arrays, which are uploaded once by {@link #load} and stay on the device; {@link Vectors}
 * live in device memory, and the sup-norm residual of a sweep is reduced on the device (a
 * work-group maximum, then one maximum per vector), so a Jacobi sweep moves K numbers to the host.
 * The kernels are compiled once per OpenCL context, and one context is kept per precision for the
 * life of the JVM. Found by name ({@code "opencl"}, {@code "opencl-f32"}) through {@link
 * dev.fixpoint.tabular.backend.Backends#byName} or {@link java.util.ServiceLoader}.
 *
 * <p><b>float64</b> (the default, {@code "opencl"}): needs a device with {@code cl_khr_fp64}. The
 * kernels perform the same IEEE-754 operations in the same order as {@link
 * dev.fixpoint.tabular.backend.CpuBackend} with fused multiply-add contraction off, so results
 * equal the CPU's bit for bit (the contract tests check equality, not a tolerance).
 *
 * <p><b>float32</b> ({@code "opencl-f32"}, {@link #float32()}): model and vectors are rounded to
 * float on upload, so with unit roundoff u = 2^-24 (about 6e-8) each backup's value carries a
 * relative error of at most about (m + 3) u for rows of m successors (Higham 2002, eq. 3.5, for the
 * dot product, plus the rounding of p, r and v), and the fixed point of the float iteration lies
 * within about (m + 3) u ||v*||_inf / (1 - gamma) of v* (errors of a gamma-contraction add up
 * geometrically). For gamma = 0.99 and m = 4 that is about 4e-5 ||v*||; a tolerance below that is
 * not reachable in float32, and the residual then stalls near it.
 *
 * <p>Gauss-Seidel sweeps are serial by nature: they run as one work-item per vector, correct but
 * not fast. Host-array operations upload their inputs and download their outputs on every call;
 * solvers that care use the {@link Vectors} operations.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class OpenClBackend implements Backend {
  private final boolean fp64;

  /** Frees the device memory of vectors and models that were dropped without close(). */
  private static final Cleaner CLEANER = Cleaner.create();

  /** Device buffers released together, by close() or by the cleaner; holds no owner. */
  private static final class Buffers implements Runnable {
    private final List<cl_mem> mems = new ArrayList<>();

    synchronized cl_mem add(cl_mem m) {
      mems.add(m);
      return m;
    }

    synchronized void release(cl_mem m) {
      if (mems.remove(m)) {
        clReleaseMemObject(m);
      }
    }

    @Override
    public synchronized void run() {
      for (cl_mem m : mems) {
        clReleaseMemObject(m);
      }
      mems.clear();
    }
  }

  /** The float64 backend, {@code "opencl"}; public for {@link java.util.ServiceLoader}. */
  public OpenClBackend() {
    this(true);
  }

  private OpenClBackend(boolean fp64) {
    this.fp64 = fp64;
  }

  /** {@return the float64 backend, named "opencl"} */
  public static OpenClBackend float64() {
    return new OpenClBackend(true);
  }

  /** {@return the float32 backend, named "opencl-f32" (see the class comment for its error)} */
  public static OpenClBackend float32() {
    return new OpenClBackend(false);
  }

  /** The float32 backend as a {@link java.util.ServiceLoader} provider, named "opencl-f32". */
  public static final class Float32 implements Backend {
    private final OpenClBackend inner = float32();

    /** For {@link java.util.ServiceLoader}; prefer {@link OpenClBackend#float32()}. */
    public Float32() {}

    /** {@return the float32 {@link OpenClBackend} this provider hands out} */
    public OpenClBackend backend() {
      return inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public LoadedModel load(TabularMdp<?, ?> mdp) {
      return inner.load(mdp);
    }

    @Override
    public LoadedModel loadBatch(List<? extends TabularMdp<?, ?>> mdps) {
      return inner.loadBatch(mdps);
    }
  }

  /**
   * Whether this backend can run here, and on what.
   *
   * @param available true when a device with the precision exists
   * @param detail the device ("platform / device") when available, else the reason it is not
   */
  public record Probe(boolean available, String detail) {}

  /** {@return whether a device for this precision exists, with the device or the reason} */
  public Probe probe() {
    try {
      return new Probe(true, ClContext.get(fp64).description);
    } catch (ModelException e) {
      return new Probe(false, e.getMessage());
    }
  }

  @Override
  public String name() {
    return fp64 ? "opencl" : "opencl-f32";
  }

  /** {@return true for float64, false for float32} */
  public boolean isFloat64() {
    return fp64;
  }

  @Override
  public LoadedModel load(TabularMdp<?, ?> mdp) {
    return new Loaded(ClContext.get(fp64), ModelBatch.of(mdp));
  }

  @Override
  public LoadedModel loadBatch(List<? extends TabularMdp<?, ?>> mdps) {
    ModelBatch b = ModelBatch.of(mdps);
    return new Loaded(ClContext.get(fp64), b);
  }

  /**
   * Measures the device's copy bandwidth: the mean time of {@code repeats} launches of a kernel
   * that copies n values (b[i] = a[i]), after one warm-up launch.
   *
   * @param n values to copy (8 or 4 bytes each)
   * @param repeats timed launches, &gt;= 1
   * @return bytes moved per second (read plus write)
   */
  public double copyBandwidth(long n, int repeats) {
    ClContext c = ClContext.get(fp64);
    long bytes = n * c.realBytes;
    cl_mem a = c.buffer(bytes, null, "the copy benchmark");
    cl_mem b = c.buffer(bytes, null, "the copy benchmark");
    try {
      synchronized (c) {
        cl_kernel k = c.kernel("copy");
        ClContext.args(k, a, b, n);
        long global = (n + c.workGroup - 1) / c.workGroup * c.workGroup;
        clEnqueueNDRangeKernel(c.queue(), k, 1, null, new long[] {global},
            new long[] {c.workGroup}, 0, null, null);
        clFinish(c.queue());
        long t0 = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
          clEnqueueNDRangeKernel(c.queue(), k, 1, null, new long[] {global},
              new long[] {c.workGroup}, 0, null, null);
        }
        clFinish(c.queue());
        double sec = (System.nanoTime() - t0) / 1e9 / repeats;
        return 2.0 * bytes / sec;
      }
    } finally {
      clReleaseMemObject(a);
      clReleaseMemObject(b);
    }
  }

  /** {@return "platform / device" of the device this backend runs on} */
  public String device() {
    return ClContext.get(fp64).description;
  }

  // ------------------------------------------------------------------ resident buffers

  private static final class ClVectors implements Vectors {
    final Loaded owner;
    final int count;
    final int length;
    cl_mem mem;
    private final Cleaner.Cleanable cleanable;

    ClVectors(Loaded owner, int count, int length) {
      this.owner = owner;
      this.count = count;
      this.length = length;
      long n = (long) count * length;
      ClContext c = owner.c;
      Buffers held = new Buffers();
      this.mem = held.add(c.buffer(n * c.realBytes, owner.realPointer(new double[(int) n]),
          "vectors"));
      this.cleanable = CLEANER.register(this, held);
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public int length() {
      return length;
    }

    private void check(int n, String what) {
      if (mem == null) {
        throw new IllegalStateException("these vectors are closed");
      }
      if (n != count * length) {
        throw new IllegalArgumentException(what + " needs " + count * length + " values (got "
            + n + ")");
      }
    }

    @Override
    public void write(double[] host) {
      check(host.length, "write");
      synchronized (owner.c) {
        clEnqueueWriteBuffer(owner.c.queue(), mem, CL_TRUE, 0,
            (long) host.length * owner.c.realBytes, owner.realPointer(host), 0, null, null);
      }
    }

    @Override
    public void read(double[] host) {
      check(host.length, "read");
      owner.readReals(mem, host);
    }

    @Override
    public void close() {
      if (mem != null) {
        mem = null;
        cleanable.clean();
      }
    }
  }

  private static final class ClIndices implements Indices {
    final Loaded owner;
    final int count;
    final int length;
    cl_mem mem;
    private final Cleaner.Cleanable cleanable;

    ClIndices(Loaded owner, int count, int length) {
      this.owner = owner;
      this.count = count;
      this.length = length;
      Buffers held = new Buffers();
      this.mem = held.add(owner.c.buffer((long) count * length * Sizeof.cl_int, null, "indices"));
      this.cleanable = CLEANER.register(this, held);
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void read(int[] host) {
      if (host.length != count * length) {
        throw new IllegalArgumentException("read needs room for " + count * length
            + " indices (got " + host.length + ")");
      }
      synchronized (owner.c) {
        clEnqueueReadBuffer(owner.c.queue(), mem, CL_TRUE, 0, (long) host.length * Sizeof.cl_int,
            Pointer.to(host), 0, null, null);
      }
    }

    @Override
    public void close() {
      if (mem != null) {
        mem = null;
        cleanable.clean();
      }
    }
  }

  // ------------------------------------------------------------------ the loaded model

  private static final class Loaded implements LoadedModel {
    final ClContext c;
    private final int numStates;
    private final int numRows;
    private final int numEntries;
    private final int instances;
    private final cl_mem rowStart;
    private final cl_mem entryStart;
    private final cl_mem next;
    private final cl_mem prob;
    private final cl_mem reward;
    private final cl_mem discount;
    private final cl_mem dummyIndices;
    private cl_mem partial;
    private long partialCap;
    private cl_mem result;
    private long resultCap;
    private boolean closed;
    private final Buffers held = new Buffers();
    private final Cleaner.Cleanable cleanable;

    Loaded(ClContext c, ModelBatch b) {
      this.c = c;
      this.cleanable = CLEANER.register(this, held);
      this.numStates = b.numStates();
      this.numRows = b.rows();
      this.numEntries = b.entries();
      this.instances = b.instances();
      synchronized (c) {
        rowStart = held.add(c.buffer((long) b.rowStart().length * Sizeof.cl_int,
            Pointer.to(b.rowStart()), "the row offsets"));
        entryStart = held.add(c.buffer((long) b.entryStart().length * Sizeof.cl_int,
            Pointer.to(b.entryStart()), "the entry offsets"));
        next = held.add(c.buffer((long) b.next().length * Sizeof.cl_int, Pointer.to(b.next()),
            "the next states"));
        prob = held.add(c.buffer((long) b.prob().length * c.realBytes, realPointer(b.prob()),
            "the probabilities"));
        reward = held.add(c.buffer((long) b.reward().length * c.realBytes,
            realPointer(b.reward()), "the rewards"));
        discount = held.add(c.buffer((long) b.discount().length * c.realBytes,
            realPointer(b.discount()), "the discounts"));
        dummyIndices = held.add(c.buffer(Sizeof.cl_int, null, "indices"));
      }
    }

    Pointer realPointer(double[] x) {
      if (c.fp64) {
        return Pointer.to(x);
      }
      float[] f = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        f[i] = (float) x[i];
      }
      return Pointer.to(f);
    }

    void readReals(cl_mem mem, double[] host) {
      synchronized (c) {
        if (c.fp64) {
          clEnqueueReadBuffer(c.queue(), mem, CL_TRUE, 0, (long) host.length * Sizeof.cl_double,
              Pointer.to(host), 0, null, null);
        } else {
          float[] f = new float[host.length];
          clEnqueueReadBuffer(c.queue(), mem, CL_TRUE, 0, (long) host.length * Sizeof.cl_float,
              Pointer.to(f), 0, null, null);
          for (int i = 0; i < f.length; i++) {
            host[i] = f[i];
          }
        }
      }
    }

    @Override
    public int numStates() {
      return numStates;
    }

    @Override
    public int numRows() {
      return numRows;
    }

    @Override
    public int instances() {
      return instances;
    }

    // ---------------------------------------------------------- checks

    private void open() {
      if (closed) {
        throw new IllegalStateException("this loaded model is closed");
      }
    }

    private ClVectors own(Vectors x, int length, String what) {
      open();
      if (!(x instanceof ClVectors v) || v.owner != this) {
        throw new IllegalArgumentException(what + " was not made by this loaded model");
      }
      if (v.mem == null) {
        throw new IllegalStateException(what + " is closed");
      }
      if (v.length != length) {
        throw new IllegalArgumentException(what + " needs vectors of length " + length + " (got "
            + v.length + ")");
      }
      if (instances > 1 && v.count != instances) {
        throw new IllegalArgumentException(what + " needs one vector per model (" + instances
            + "), got " + v.count);
      }
      return v;
    }

    private static void distinct(ClVectors a, ClVectors b, String what) {
      if (a.count != b.count) {
        throw new IllegalArgumentException(what + ": vector counts differ (" + a.count + " and "
            + b.count + ")");
      }
      if (a == b) {
        throw new IllegalArgumentException(what + ": input and output must not be the same vectors");
      }
    }

    private ClIndices ownIndices(Indices x, int count) {
      if (!(x instanceof ClIndices i) || i.owner != this || i.mem == null) {
        throw new IllegalArgumentException("indices were not made by this loaded model");
      }
      if (i.count != count) {
        throw new IllegalArgumentException("indices need " + count + " vectors (got " + i.count
            + ")");
      }
      return i;
    }

    // ---------------------------------------------------------- launching

    /**
     * Work-group size for vectors of length n: the device's size, or the smallest power of two
     * covering n when that is smaller, so that a batch of small models does not leave most
     * work-items of each group idle.
     */
    private int local(int n) {
      int p = n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
      return Math.min(c.workGroup, p);
    }

    private int groups(int n) {
      int l = local(n);
      return Math.max(1, (n + l - 1) / l);
    }

    private LocalBytes scratch(int n) {
      return new LocalBytes((long) local(n) * c.realBytes);
    }

    private void launch2(cl_kernel k, int n, int count) {
      clEnqueueNDRangeKernel(c.queue(), k, 2, null,
          new long[] {(long) groups(n) * local(n), count}, new long[] {local(n), 1}, 0,
          null, null);
    }

    private cl_mem partial(long values) {
      if (partial == null || partialCap < values) {
        if (partial != null) {
          held.release(partial);
        }
        partialCap = Math.max(values, 1);
        partial = held.add(c.buffer(partialCap * c.realBytes, null, "the residual partials"));
      }
      return partial;
    }

    private cl_mem result(int count) {
      if (result == null || resultCap < count) {
        if (result != null) {
          held.release(result);
        }
        resultCap = count;
        result = held.add(c.buffer((long) count * c.realBytes, null, "the residuals"));
      }
      return result;
    }

    /** Folds the partial maxima of K vectors (groups each) into K numbers and reads them. */
    private double[] reduce(int count, int groups) {
      cl_kernel k = c.kernel("reduce_max");
      cl_mem out = result(count);
      int l = local(groups);
      ClContext.args(k, partial, groups, out, scratch(groups));
      clEnqueueNDRangeKernel(c.queue(), k, 2, null, new long[] {l, count}, new long[] {l, 1}, 0,
          null, null);
      double[] res = new double[count];
      readReals(out, res);
      return res;
    }

    private Object[] model() {
      return new Object[] {rowStart, entryStart, next, prob, reward, discount, numStates,
          numRows, numEntries, instances > 1 ? 1 : 0};
    }

    private static Object[] concat(Object[] a, Object... b) {
      Object[] out = new Object[a.length + b.length];
      System.arraycopy(a, 0, out, 0, a.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }

    private double[] optimalityKernel(ClVectors v, @Nullable ClVectors out,
        @Nullable ClIndices greedy) {
      int count = v.count;
      int g = groups(numStates);
      synchronized (c) {
        cl_kernel k = c.kernel("optimality");
        cl_mem part = partial((long) g * count);
        ClContext.args(k, concat(model(), v.mem, out == null ? v.mem : out.mem,
            out == null ? 0 : 1, greedy == null ? dummyIndices : greedy.mem,
            greedy == null ? 0 : 1, part, scratch(numStates)));
        launch2(k, numStates, count);
        return reduce(count, g);
      }
    }

    @Override
    public Vectors vectors(int count, int length) {
      open();
      if (count < 1 || length < 0) {
        throw new IllegalArgumentException("vectors need count >= 1 and length >= 0 (got "
            + count + ", " + length + ")");
      }
      Math.multiplyExact(count, length);
      synchronized (c) {
        return new ClVectors(this, count, length);
      }
    }

    @Override
    public Indices indices(int count) {
      open();
      if (count < 1) {
        throw new IllegalArgumentException("indices need count >= 1 (got " + count + ")");
      }
      Math.multiplyExact(count, numStates);
      synchronized (c) {
        return new ClIndices(this, count, numStates);
      }
    }

    @Override
    public double[] optimality(Vectors v, Vectors vOut, @Nullable Indices greedyOut) {
      ClVectors a = own(v, numStates, "v");
      ClVectors b = own(vOut, numStates, "vOut");
      distinct(a, b, "optimality");
      ClIndices g = greedyOut == null ? null : ownIndices(greedyOut, a.count);
      return optimalityKernel(a, b, g);
    }

    @Override
    public double[] policy(Vectors pi, Vectors v, Vectors vOut) {
      ClVectors a = own(v, numStates, "v");
      ClVectors b = own(vOut, numStates, "vOut");
      distinct(a, b, "policy");
      if (!(pi instanceof ClVectors p) || p.owner != this || p.mem == null
          || p.length != numRows || (p.count != 1 && p.count != a.count)) {
        throw new IllegalArgumentException("pi needs 1 or " + a.count + " vectors of length "
            + numRows + " made by this loaded model");
      }
      int count = a.count;
      int g = groups(numStates);
      synchronized (c) {
        cl_kernel k = c.kernel("policy");
        cl_mem part = partial((long) g * count);
        ClContext.args(k, concat(model(), p.mem, p.count == 1 ? 1 : 0, a.mem, b.mem, part,
            scratch(numStates)));
        launch2(k, numStates, count);
        return reduce(count, g);
      }
    }

    @Override
    public void qValues(Vectors v, Vectors qOut) {
      ClVectors a = own(v, numStates, "v");
      ClVectors q = own(qOut, numRows, "qOut");
      if (a.count != q.count) {
        throw new IllegalArgumentException("qValues: vector counts differ (" + a.count + " and "
            + q.count + ")");
      }
      synchronized (c) {
        cl_kernel k = c.kernel("qvalues");
        ClContext.args(k, entryStart, next, prob, reward, discount, numStates, numRows,
            numEntries, instances > 1 ? 1 : 0, a.mem, q.mem);
        launch2(k, numRows, a.count);
        clFinish(c.queue());
      }
    }

    @Override
    public void greedy(Vectors v, Indices rowsOut) {
      ClVectors a = own(v, numStates, "v");
      optimalityKernel(a, null, ownIndices(rowsOut, a.count));
    }

    @Override
    public void deterministicPolicy(Indices rows, Vectors piOut) {
      ClVectors p = own(piOut, numRows, "piOut");
      ClIndices g = ownIndices(rows, p.count);
      synchronized (c) {
        cl_kernel k = c.kernel("deterministic_policy");
        ClContext.args(k, rowStart, numStates, numRows, g.mem, p.mem);
        launch2(k, numStates, p.count);
        clFinish(c.queue());
      }
    }

    @Override
    public double[] supDistance(Vectors a, Vectors b) {
      open();
      if (!(a instanceof ClVectors x) || x.owner != this || x.mem == null
          || !(b instanceof ClVectors y) || y.owner != this || y.mem == null) {
        throw new IllegalArgumentException("supDistance needs open vectors made by this loaded "
            + "model");
      }
      if (x.count != y.count || x.length != y.length) {
        throw new IllegalArgumentException("supDistance needs vectors of one shape (" + x.count
            + "x" + x.length + " and " + y.count + "x" + y.length + ")");
      }
      int g = groups(x.length);
      synchronized (c) {
        cl_kernel k = c.kernel("sup_distance");
        cl_mem part = partial((long) g * x.count);
        ClContext.args(k, x.mem, y.mem, x.length, part, scratch(x.length));
        launch2(k, x.length, x.count);
        return reduce(x.count, g);
      }
    }

    // ---------------------------------------------------------- host-array operations

    private void checkSingle() {
      open();
      if (instances != 1) {
        throw new IllegalStateException("host-array operations need one model; this batch holds "
            + instances + " (use the Vectors operations)");
      }
    }

    private void checkV(double[] v, double[] out) {
      checkSingle();
      if (v.length != numStates || out.length != numStates) {
        throw new IllegalArgumentException("value vectors need length " + numStates
            + " (got " + v.length + " and " + out.length + ")");
      }
      if (v == out) {
        throw new IllegalArgumentException("input and output vectors must not alias");
      }
    }

    @Override
    public double optimalityBackup(double[] v, double[] vOut, int[] greedyRowOut) {
      checkV(v, vOut);
      try (ClVectors a = (ClVectors) vectors(1, numStates);
          ClVectors b = (ClVectors) vectors(1, numStates);
          ClIndices g = (ClIndices) indices(1)) {
        a.write(v);
        double res = optimalityKernel(a, b, greedyRowOut.length > 0 ? g : null)[0];
        b.read(vOut);
        if (greedyRowOut.length > 0) {
          g.read(greedyRowOut);
        }
        return res;
      }
    }

    @Override
    public double gaussSeidelOptimality(double[] v, int[] greedyRowOut) {
      checkSingle();
      if (v.length != numStates) {
        throw new IllegalArgumentException("value vector needs length " + numStates);
      }
      boolean keep = greedyRowOut.length > 0;
      try (ClVectors a = (ClVectors) vectors(1, numStates);
          ClIndices g = (ClIndices) indices(1)) {
        a.write(v);
        synchronized (c) {
          cl_kernel k = c.kernel("gauss_seidel");
          cl_mem out = result(1);
          ClContext.args(k, concat(model(), a.mem, keep ? g.mem : dummyIndices, keep ? 1 : 0,
              out));
          clEnqueueNDRangeKernel(c.queue(), k, 1, null, new long[] {1}, new long[] {1}, 0, null,
              null);
          double[] res = new double[1];
          readReals(out, res);
          a.read(v);
          if (keep) {
            g.read(greedyRowOut);
          }
          return res[0];
        }
      }
    }

    @Override
    public double policyBackup(double[] policy, double[] v, double[] vOut) {
      checkV(v, vOut);
      if (policy.length != numRows) {
        throw new IllegalArgumentException("policy needs one probability per row ("
            + numRows + ")");
      }
      try (Vectors p = vectors(1, numRows);
          Vectors a = vectors(1, numStates);
          Vectors b = vectors(1, numStates)) {
        p.write(policy);
        a.write(v);
        double res = policy(p, a, b)[0];
        b.read(vOut);
        return res;
      }
    }

    @Override
    public void qValues(double[] v, double[] qOut) {
      checkSingle();
      if (v.length != numStates || qOut.length != numRows) {
        throw new IllegalArgumentException("qValues needs v of length " + numStates
            + " and qOut of length " + numRows);
      }
      try (Vectors a = vectors(1, numStates);
          Vectors q = vectors(1, numRows)) {
        a.write(v);
        qValues(a, q);
        q.read(qOut);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      synchronized (c) {
        cleanable.clean();
      }
    }
  }
}
