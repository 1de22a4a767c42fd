#!/usr/bin/env python3
"""Loads an .npz with numpy (no pickle) and prints every member: key, dtype, shape, values.

Usage: python3 check_npz.py FILE.npz
NpzWriterTest runs it on a file the Java writer made and compares the output with
tabular/src/test/resources/io/npz/java-written/tiny.numpy.txt, which this script printed once for
the committed java-written/tiny.npz. It also checks the CSR invariants of fixpoint-mdp-npz/1 with
numpy, independently of the Java reader, and exits 1 when one fails.
"""
import sys

import numpy as np


def main(path):
    with np.load(path, allow_pickle=False) as z:
        for key in z.files:
            a = z[key]
            print(key, a.dtype.str, a.shape, repr(a.tolist()))
        s, a = int(z["num_states"]), int(z["num_actions"])
        indptr, indices, probs = z["indptr"], z["indices"], z["probs"]
        assert indptr.shape == (s * a + 1,) and indptr[0] == 0 and np.all(np.diff(indptr) > 0)
        assert indices.shape == probs.shape == (indptr[-1],)
        for r in range(s * a):
            row = indices[indptr[r]:indptr[r + 1]]
            assert np.all(np.diff(row) > 0) and row.min() >= 0 and row.max() < s
            assert abs(probs[indptr[r]:indptr[r + 1]].sum() - 1) <= 1e-9
        print("csr ok")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except AssertionError:
        print("csr invariant broken", file=sys.stderr)
        sys.exit(1)
