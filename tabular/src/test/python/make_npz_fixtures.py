#!/usr/bin/env python3
"""Writes the fixpoint-mdp-npz/1 fixtures that NpzInteropTest reads, with numpy itself.

Run from anywhere: python3 tabular/src/test/python/make_npz_fixtures.py
Output: tabular/src/test/resources/io/npz/*.npz (deterministic: fixed zip time stamps).

The numbers below are the expected values of the Java tests; they are written here, by hand,
independently of the Java code.

The "tiny" model (S=3 states s0, s1, end; A=2 actions stay, go; end is terminal; gamma 0.9):
  row 0 (s0, stay): s0 w.p. 1,                      reward 0
  row 1 (s0, go):   s1 w.p. 1/3, end w.p. 2/3,      reward 1/3
  row 2 (s1, stay): s1 w.p. 1,                      reward -0.5
  row 3 (s1, go):   end w.p. 1,                     reward 5
  row 4 (end, stay), row 5 (end, go): self-loops,   reward 0
"""
import io
import os
import time
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io", "npz")
STAMP = (2000, 1, 1, 0, 0, 0)


def tiny():
    return {
        "format": np.array("fixpoint-mdp-npz/1"),
        "discount": np.array(0.9),
        "num_states": np.array(3, dtype=np.int64),
        "num_actions": np.array(2, dtype=np.int64),
        "indptr": np.array([0, 1, 3, 4, 5, 6, 7], dtype=np.int64),
        "indices": np.array([0, 1, 2, 1, 2, 2, 2], dtype=np.int32),
        "probs": np.array([1.0, 1 / 3, 2 / 3, 1.0, 1.0, 1.0, 1.0]),
        "reward": np.array([0.0, 1 / 3, -0.5, 5.0, 0.0, 0.0]),
        "terminal": np.array([False, False, True]),
        "state_names": np.array(["s0", "s1", "end"]),
        "action_names": np.array(["stay", "go"]),
    }


def minimal():
    """S=2, A=1, no optional key: 0 -> 1 w.p. 1/4, else stays; 1 -> 0; rewards 1 and 2."""
    return {
        "format": np.array("fixpoint-mdp-npz/1"),
        "discount": np.array(0.5),
        "num_states": np.array(2, dtype=np.int64),
        "num_actions": np.array(1, dtype=np.int64),
        "indptr": np.array([0, 2, 3], dtype=np.int64),
        "indices": np.array([0, 1, 0], dtype=np.int32),
        "probs": np.array([0.75, 0.25, 1.0]),
        "reward": np.array([1.0, 2.0]),
    }


def savez(name, arrays, compressed=False):
    """numpy.savez(_compressed) itself, with the clock stopped so that the bytes are reproducible.

    numpy opens each member with force_zip64=True, so its local headers carry a ZIP64 extra field.
    """
    path = os.path.join(OUT, name)
    real_time = time.time
    time.time = lambda: 946684800.0  # 2000-01-01T00:00:00Z (TZ is UTC, see main)
    try:
        (np.savez_compressed if compressed else np.savez)(path, **arrays)
    finally:
        time.time = real_time


def npy_bytes(array, version=None):
    b = io.BytesIO()
    np.lib.format.write_array(b, array, version=version, allow_pickle=True)
    return b.getvalue()


def handmade(name, members, compression=zipfile.ZIP_STORED):
    """A zip built member by member; members maps file names to .npy bytes."""
    with zipfile.ZipFile(os.path.join(OUT, name), "w", compression) as z:
        for member, data in members.items():
            z.writestr(zipfile.ZipInfo(member, STAMP), data, compression)


def main():
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.makedirs(OUT, exist_ok=True)
    # --- good files
    savez("tiny-savez.npz", tiny())
    savez("tiny-savez-compressed.npz", tiny(), compressed=True)
    savez("minimal.npz", minimal())
    versions = {}
    for i, (k, v) in enumerate(tiny().items()):
        versions[k + ".npy"] = npy_bytes(v, version=(2, 0) if i % 2 == 0 else (3, 0))
    handmade("tiny-npy-v2-v3.npz", versions, zipfile.ZIP_DEFLATED)
    # ZIP64: lower the limit so that every record is written in its ZIP64 form
    limit = zipfile.ZIP64_LIMIT
    zipfile.ZIP64_LIMIT = 0
    try:
        handmade("tiny-zip64.npz", {k + ".npy": npy_bytes(v) for k, v in tiny().items()})
    finally:
        zipfile.ZIP64_LIMIT = limit
    with open(os.path.join(OUT, "tiny-zip64.npz"), "rb") as f:
        assert b"PK\x06\x06" in f.read(), "no ZIP64 end of central directory record"

    # --- bad files: one rule broken each
    def bad(name, **changes):
        arrays = tiny()
        for k, v in changes.items():
            if v is None:
                del arrays[k]
            else:
                arrays[k] = v
        savez("bad-" + name + ".npz", arrays)

    bad("dtype-indices", indices=np.array([0, 1, 2, 1, 2, 2, 2], dtype=np.int64))
    bad("unsorted-indices", indices=np.array([0, 2, 1, 1, 2, 2, 2], dtype=np.int32),
        probs=np.array([1.0, 2 / 3, 1 / 3, 1.0, 1.0, 1.0, 1.0]))
    bad("index-out-of-range", indices=np.array([0, 1, 3, 1, 2, 2, 2], dtype=np.int32))
    bad("missing-reward", reward=None)
    bad("unknown-key", extra=np.array([1.0]))
    bad("indptr-start", indptr=np.array([1, 1, 3, 4, 5, 6, 7], dtype=np.int64))
    bad("empty-row", indptr=np.array([0, 1, 1, 4, 5, 6, 7], dtype=np.int64))
    bad("indptr-decreasing", indptr=np.array([0, 1, 3, 2, 5, 6, 7], dtype=np.int64))
    bad("indptr-length", indptr=np.array([0, 1, 3, 4, 5, 7], dtype=np.int64))
    bad("prob-zero", probs=np.array([1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0]))
    bad("row-sum", probs=np.array([1.0, 0.3, 0.6, 1.0, 1.0, 1.0, 1.0]))
    bad("reward-nan", reward=np.array([0.0, np.nan, -0.5, 5.0, 0.0, 0.0]))
    bad("discount", discount=np.array(1.5))
    bad("discount-one", discount=np.array(1.0), terminal=None)
    bad("terminal-reward", reward=np.array([0.0, 1 / 3, -0.5, 5.0, 0.0, 2.0]))
    bad("terminal-not-loop", indices=np.array([0, 1, 2, 1, 2, 0, 2], dtype=np.int32))
    bad("duplicate-names", state_names=np.array(["s0", "s1", "s0"]))
    bad("object-names", state_names=np.array(["s0", "s1", "end"], dtype=object))
    bad("format", format=np.array("fixpoint-mdp-npz/2"))
    bad("scalar-shape", num_states=np.array([3], dtype=np.int64))
    # fortran_order: True can only come from a 2-d array; write that header by hand for indptr
    arrays = {k + ".npy": npy_bytes(v) for k, v in tiny().items()}
    arrays["indptr.npy"] = arrays["indptr.npy"].replace(b"'fortran_order': False",
                                                        b"'fortran_order': True ")
    handmade("bad-fortran.npz", arrays)
    # truncated: the first 300 bytes of a good file
    with open(os.path.join(OUT, "tiny-savez.npz"), "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "bad-truncated.npz"), "wb") as f:
        f.write(data[:300])
    with open(os.path.join(OUT, "bad-not-a-zip.npz"), "wb") as f:
        f.write(b"this is not a zip archive\n")


if __name__ == "__main__":
    main()
