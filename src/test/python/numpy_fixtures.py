#!/usr/bin/python3
"""NumPy file fixtures for the .npy / .npz readers and writers, made by NumPy itself.

Run from the repository root with Debian's NumPy (apt-get install python3-numpy):

    /usr/bin/python3 src/test/python/numpy_fixtures.py

It writes src/test/resources/numpy/: .npy files of every element type the service reads
(float16/32/64, signed and unsigned integers, bool) in both byte orders, Fortran order,
0-d and rank 8, format versions 1.0, 2.0 and 3.0, the kinds it must refuse (object,
structured, complex, string, NaN, an empty dimension, rank 9), .npz archives from
np.savez and np.savez_compressed (and a few made with zipfile to break the rules), and
fixtures.json: for each .npy file its shape and its values in row-major (C) order as
float64, and the exact headers np.save writes for a few shapes. Tests read these files;
they never call Python.
"""
import io
import json
import os
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "numpy")
os.makedirs(OUT, exist_ok=True)
expected = {}


def save(name, array, version=None, allow_pickle=False):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, array, allow_pickle=allow_pickle)
        else:
            np.lib.format.write_array(f, array, version=version, allow_pickle=allow_pickle)
    if array.dtype.kind in "fiub":
        # The values as the service reads them: C order, float64 (float16 via float32).
        values = np.ascontiguousarray(array).astype(np.float64).ravel(order="C")
        expected[name] = {"shape": list(array.shape), "values": [float(v) for v in values]}


rng = np.random.RandomState(20261202)
base = rng.standard_normal((3, 4)) * 10
base[1, 2] = -np.inf

for order in "<>":
    end = "le" if order == "<" else "be"
    for size in (2, 4, 8):
        save(f"f{size}_{end}.npy", base.astype(f"{order}f{size}"))
    for kind in "iu":
        for size in (1, 2, 4, 8):
            if size == 1 and order == ">":
                continue
            values = np.array([[0, 1, 2], [3, 4, 127]], dtype=f"{order}{kind}{size}")
            save(f"{kind}{size}_{end}.npy", values)
save("i8_negative.npy", np.array([-100, -1, 0, 2], dtype="<i8"))
save("u8_large.npy", np.array([2**64 - 1, 2**63, 5], dtype="<u8"))
save("b1.npy", np.array([[True, False, True], [False, True, True]]))

# Fortran order: the file holds the transpose's bytes; the values are the logical ones.
save("f8_fortran.npy", np.asfortranarray(base))
save("f4_fortran_rank3.npy", np.asfortranarray(np.arange(24, dtype="<f4").reshape(2, 3, 4)))
save("f8_be_fortran.npy", np.asfortranarray(base.astype(">f8")))
save("f8_0d.npy", np.array(2.5))
save("i8_0d.npy", np.array(1, dtype="<i8"))
save("f8_rank8.npy", np.arange(2 * 1 * 2 * 1 * 2 * 1 * 2 * 3, dtype="<f8").reshape(2, 1, 2, 1, 2, 1, 2, 3) / 7)
save("f8_v2.npy", base, version=(2, 0))
save("f4_v3.npy", base.astype("<f4"), version=(3, 0))

# Refused kinds.
save("object.npy", np.array([{"a": 1}, [2]], dtype=object), allow_pickle=True)
save("structured.npy", np.zeros(3, dtype=[("x", "<f8"), ("y", "<i4")]))
save("complex.npy", np.array([1 + 2j, 3j]))
save("string.npy", np.array(["ab", "c"]))
save("nan.npy", np.array([[1.0, 2.0], [np.nan, 3.0]]))
save("empty.npy", np.zeros((2, 0)))
save("rank9.npy", np.zeros((1,) * 9))
save("f16.npy", np.zeros(2, dtype=np.longdouble))

# Exact headers np.save writes (version 1.0), for the writer.
headers = []
for shape in [(), (5,), (3, 4), (64, 32000), (1,) * 8, (123456789,), (2, 3, 4, 5, 6, 7, 8, 9)]:
    for descr in ("<f8", "<f4"):
        buf = io.BytesIO()
        np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
        headers.append({"shape": list(shape), "descr": descr, "header": buf.getvalue().decode("latin1")})
expected["headers"] = headers

# Archives.
logits = rng.standard_normal((4, 5))
target = np.array([0, 4, 2, 1], dtype=np.int64)
np.savez(os.path.join(OUT, "savez.npz"), logits=logits, target=target)
np.savez_compressed(os.path.join(OUT, "savez_compressed.npz"), logits=logits.astype(np.float32), target=target)
expected["savez.npz"] = {"logits": [float(v) for v in logits.ravel()], "logits_shape": list(logits.shape),
                         "target": [float(v) for v in target]}
expected["savez_compressed.npz"] = {"logits": [float(v) for v in logits.astype(np.float32).ravel()]}


def member(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def archive(name, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(os.path.join(OUT, name), "w", compression=compression) as z:
        for member_name, data in members:
            z.writestr(zipfile.ZipInfo(member_name, date_time=(1980, 1, 1, 0, 0, 0)), data)


archive("bare_names.npz", [("logits", member(logits)), ("target", member(target))])
archive("path.npz", [("dir/logits.npy", member(logits))])
archive("unknown.npz", [("logits.npy", member(logits)), ("logit.npy", member(logits))])
archive("duplicate.npz", [("logits.npy", member(logits)), ("logits", member(logits))])
archive("scalar_member.npz", [("logits.npy", member(logits)), ("axis.npy", member(np.array(0)))])
# 5,000,000 zeros: 40 MB inflated, a few kB on the wire.
np.savez_compressed(os.path.join(OUT, "bomb.npz"), logits=np.zeros(5_000_000))

with open(os.path.join(OUT, "fixtures.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
print("wrote", len(os.listdir(OUT)), "files to", os.path.normpath(OUT))
