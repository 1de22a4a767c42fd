package dev.fixpoint.gpu.internal;

/**
 * The OpenCL C source of every kernel, compiled once per context with {@code -D REAL=double} (or
 * {@code float}). Each value is computed by the same sequence of operations as the CPU backend:
 * entries summed in CSR order, then {@code reward + gamma * acc}, with contraction into fused
 * multiply-adds switched off, so float64 results agree with the CPU bit for bit.
 *
 * <p>Layout: vector k of a K-vector buffer starts at {@code k * length}; model arrays of a batch
 * start at {@code inst * entries} / {@code inst * rows} with {@code inst = instanced ? k : 0}. The
 * backup kernels run on a 2-D range (state, vector); each work-group reduces its states'
 * |new - old| to one partial maximum, and {@code reduce_max} folds a vector's partials into one
 * number, so only K numbers cross the bus per sweep.
 */
public final class KernelSource {
  private KernelSource() {}

  /** The source. */
  public static final String SOURCE = """
      #ifdef USE_FP64
      #pragma OPENCL EXTENSION cl_khr_fp64 : enable
      #endif
      #pragma OPENCL FP_CONTRACT OFF

      // Local max-reduction of one value per work-item; item 0 writes the group's partial.
      inline void group_max(__local REAL* scratch, REAL d, __global REAL* partial, long slot) {
        int lid = get_local_id(0);
        int lsz = get_local_size(0);
        scratch[lid] = d;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int off = lsz / 2; off > 0; off >>= 1) {
          if (lid < off && scratch[lid + off] > scratch[lid]) {
            scratch[lid] = scratch[lid + off];
          }
          barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (lid == 0) {
          partial[slot] = scratch[0];
        }
      }

      inline REAL row_value(__global const int* entryStart, __global const int* next,
          __global const REAL* prob, __global const REAL* reward, REAL gamma, long eOff,
          long rOff, __global const REAL* v, long vOff, int r) {
        REAL acc = 0;
        for (int k = entryStart[r], e = entryStart[r + 1]; k < e; k++) {
          acc += prob[eOff + k] * v[vOff + next[eOff + k]];
        }
        return reward[rOff + r] + gamma * acc;
      }

      __kernel void optimality(__global const int* rowStart, __global const int* entryStart,
          __global const int* next, __global const REAL* prob, __global const REAL* reward,
          __global const REAL* discount, int S, int R, int E, int instanced,
          __global const REAL* v, __global REAL* vOut, int writeValues,
          __global int* greedy, int keepGreedy, __global REAL* partial,
          __local REAL* scratch) {
        int s = get_global_id(0);
        int k = get_global_id(1);
        long inst = instanced ? k : 0;
        long vOff = (long) k * S;
        REAL d = 0;
        if (s < S) {
          REAL best = 0;
          int arg = -1;
          REAL gamma = discount[inst];
          for (int r = rowStart[s], r1 = rowStart[s + 1]; r < r1; r++) {
            REAL q = row_value(entryStart, next, prob, reward, gamma, inst * E, inst * R, v,
                vOff, r);
            if (arg < 0 || q > best) {
              best = q;
              arg = r;
            }
          }
          if (writeValues) {
            vOut[vOff + s] = best;
          }
          if (keepGreedy) {
            greedy[vOff + s] = arg;
          }
          d = fabs(best - v[vOff + s]);
        }
        group_max(scratch, d, partial, (long) k * get_num_groups(0) + get_group_id(0));
      }

      __kernel void policy(__global const int* rowStart, __global const int* entryStart,
          __global const int* next, __global const REAL* prob, __global const REAL* reward,
          __global const REAL* discount, int S, int R, int E, int instanced,
          __global const REAL* pi, int piShared, __global const REAL* v, __global REAL* vOut,
          __global REAL* partial, __local REAL* scratch) {
        int s = get_global_id(0);
        int k = get_global_id(1);
        long inst = instanced ? k : 0;
        long vOff = (long) k * S;
        long pOff = piShared ? 0 : (long) k * R;
        REAL d = 0;
        if (s < S) {
          REAL val = 0;
          REAL gamma = discount[inst];
          for (int r = rowStart[s], r1 = rowStart[s + 1]; r < r1; r++) {
            REAL w = pi[pOff + r];
            if (w == 0) {
              continue;
            }
            val += w * row_value(entryStart, next, prob, reward, gamma, inst * E, inst * R, v,
                vOff, r);
          }
          vOut[vOff + s] = val;
          d = fabs(val - v[vOff + s]);
        }
        group_max(scratch, d, partial, (long) k * get_num_groups(0) + get_group_id(0));
      }

      __kernel void qvalues(__global const int* entryStart, __global const int* next,
          __global const REAL* prob, __global const REAL* reward, __global const REAL* discount,
          int S, int R, int E, int instanced, __global const REAL* v, __global REAL* q) {
        int r = get_global_id(0);
        int k = get_global_id(1);
        if (r < R) {
          long inst = instanced ? k : 0;
          q[(long) k * R + r] = row_value(entryStart, next, prob, reward, discount[inst],
              inst * E, inst * R, v, (long) k * S, r);
        }
      }

      // pi_k(r) = 1 at the chosen row of each state, 0 at its other rows.
      __kernel void deterministic_policy(__global const int* rowStart, int S, int R,
          __global const int* greedy, __global REAL* pi) {
        int s = get_global_id(0);
        int k = get_global_id(1);
        if (s < S) {
          int chosen = greedy[(long) k * S + s];
          for (int r = rowStart[s], r1 = rowStart[s + 1]; r < r1; r++) {
            pi[(long) k * R + r] = r == chosen ? 1 : 0;
          }
        }
      }

      // Gauss-Seidel: one work-item per vector sweeps the states in order (inherently serial).
      __kernel void gauss_seidel(__global const int* rowStart, __global const int* entryStart,
          __global const int* next, __global const REAL* prob, __global const REAL* reward,
          __global const REAL* discount, int S, int R, int E, int instanced,
          __global REAL* v, __global int* greedy, int keepGreedy, __global REAL* res) {
        int k = get_global_id(0);
        long inst = instanced ? k : 0;
        long vOff = (long) k * S;
        REAL gamma = discount[inst];
        REAL m = 0;
        for (int s = 0; s < S; s++) {
          REAL best = 0;
          int arg = -1;
          for (int r = rowStart[s], r1 = rowStart[s + 1]; r < r1; r++) {
            REAL q = row_value(entryStart, next, prob, reward, gamma, inst * E, inst * R, v,
                vOff, r);
            if (arg < 0 || q > best) {
              best = q;
              arg = r;
            }
          }
          REAL d = fabs(best - v[vOff + s]);
          if (d > m) {
            m = d;
          }
          v[vOff + s] = best;
          if (keepGreedy) {
            greedy[vOff + s] = arg;
          }
        }
        res[k] = m;
      }

      __kernel void sup_distance(__global const REAL* a, __global const REAL* b, int n,
          __global REAL* partial, __local REAL* scratch) {
        int i = get_global_id(0);
        int k = get_global_id(1);
        REAL d = 0;
        if (i < n) {
          d = fabs(a[(long) k * n + i] - b[(long) k * n + i]);
        }
        group_max(scratch, d, partial, (long) k * get_num_groups(0) + get_group_id(0));
      }

      // One work-group per vector folds that vector's partial maxima into out[k].
      __kernel void reduce_max(__global const REAL* partial, int groups, __global REAL* out,
          __local REAL* scratch) {
        int k = get_group_id(1);
        int lid = get_local_id(0);
        REAL m = 0;
        for (int g = lid; g < groups; g += get_local_size(0)) {
          REAL x = partial[(long) k * groups + g];
          if (x > m) {
            m = x;
          }
        }
        group_max(scratch, m, out, k);
      }

      // The device's copy bandwidth reference: b = a.
      __kernel void copy(__global const REAL* a, __global REAL* b, long n) {
        long i = get_global_id(0);
        if (i < n) {
          b[i] = a[i];
        }
      }
      """;
}
