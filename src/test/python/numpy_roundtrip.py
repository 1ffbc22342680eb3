#!/usr/bin/python3
"""Round trips from real NumPy through the running service, run by .ci/run.

    /usr/bin/python3 src/test/python/numpy_roundtrip.py http://localhost:8080

Posts .npz and .npy bodies made by np.savez, np.savez_compressed and np.save (every float
type, both byte orders, Fortran order, integer targets) to the three endpoints, reads the
answers back with np.load (allow_pickle=False) and checks their members, dtypes, shapes and
values against NumPy references within the contract's tolerances. Also checks that errors
are problem+json with JSON-shaped pointers, the 406 for a two-field .npy answer, the 400
for a query parameter on a JSON body, and the JSON switch `nonfinite=null`. Needs Debian's
python3-numpy and python3-requests. Exits 1 on the first failure.
"""
import io
import json
import sys

import numpy as np
import requests

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://localhost:8080"
NPZ = "application/x-npz"
NPY = "application/x-npy"
checks = 0


def check(condition, message):
    global checks
    if not condition:
        print("FAIL:", message, file=sys.stderr)
        sys.exit(1)
    checks += 1


def npz(**arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def npz_compressed(**arrays):
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def npy(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def post(path, body, content_type, accept=None, params=None):
    headers = {"Content-Type": content_type}
    if accept is not None:
        headers["Accept"] = accept
    return requests.post(BASE + path, data=body, headers=headers, params=params, timeout=60)


def load_npz(response, path):
    check(response.status_code == 200, f"{path}: HTTP {response.status_code} {response.text[:300]}")
    check(response.headers["Content-Type"].startswith(NPZ), f"{path}: content type {response.headers['Content-Type']}")
    with np.load(io.BytesIO(response.content), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def load_npy(response, path):
    check(response.status_code == 200, f"{path}: HTTP {response.status_code} {response.text[:300]}")
    check(response.headers["Content-Type"].startswith(NPY), f"{path}: content type {response.headers['Content-Type']}")
    return np.load(io.BytesIO(response.content), allow_pickle=False)


def close(got, ref, rtol, atol, relative_to_max, what):
    got = np.asarray(got, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    check(got.shape == ref.shape, f"{what}: shape {got.shape} != {ref.shape}")
    same_inf = np.isinf(ref)
    check(np.array_equal(np.isinf(got), same_inf) and np.array_equal(got[same_inf], ref[same_inf]),
          f"{what}: infinities differ")
    finite = ~same_inf
    scale = max(np.max(np.abs(ref[finite]), initial=0.0), 1.0) if relative_to_max else np.abs(ref[finite])
    check(np.all(np.abs(got[finite] - ref[finite]) <= atol + rtol * scale), f"{what}: values differ")


def softmax(x, axis=-1, t=1.0, log=False):
    z = (x - np.max(x, axis=axis, keepdims=True)) / t
    if log:
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def problem(response, status, pointer, what):
    check(response.status_code == status, f"{what}: HTTP {response.status_code}, expected {status}")
    check(response.headers["Content-Type"].startswith("application/problem+json"), f"{what}: not problem+json")
    body = response.json()
    if pointer is not None:
        check(body["errors"][0]["pointer"] == pointer, f"{what}: pointer {body['errors'][0]['pointer']} != {pointer}")


rng = np.random.RandomState(20261202)
F64 = dict(rtol=1e-12, atol=1e-300)
F32 = dict(rtol=1e-5, atol=1e-30)

# Softmax of a float64 batch, np.savez: float64 answer, members named as in JSON.
x = rng.standard_normal((64, 1000)) * 5
x[3, 7] = -np.inf
answer = load_npz(post("/softmax", npz(logits=x), NPZ), "/softmax f8")
check(sorted(answer) == ["probabilities"], f"/softmax members {sorted(answer)}")
check(answer["probabilities"].dtype == np.dtype("<f8"), "/softmax f8: dtype")
close(answer["probabilities"], softmax(x), **F64, relative_to_max=False, what="/softmax f8")

# float32 and float16 from np.savez_compressed, both byte orders: the computation follows the array.
for dtype in ("<f4", ">f4", "<f2", ">f2"):
    xs = x.astype(dtype)
    answer = load_npz(post("/softmax", npz_compressed(logits=xs), NPZ), f"/softmax {dtype}")
    check(answer["probabilities"].dtype == np.dtype("<f4"), f"/softmax {dtype}: dtype {answer['probabilities'].dtype}")
    close(answer["probabilities"], softmax(xs.astype(np.float64)), **F32, relative_to_max=False,
          what=f"/softmax {dtype}")

# Query parameters: log-softmax along axis 0 at temperature 0.5; masked stays -inf.
answer = load_npz(post("/softmax", npz(logits=x), NPZ, params={"axis": "0.0", "log": "true", "temperature": "0.5"}),
                  "/softmax log")
close(answer["log_probabilities"], softmax(x, axis=0, t=0.5, log=True), **F64, relative_to_max=True,
      what="/softmax log")

# A bool mask member masks classes out exactly as -inf logits do.
keep = rng.rand(64, 1000) > 0.3
keep[:, 0] = True
answer = load_npz(post("/softmax", npz(logits=x, mask=keep), NPZ, params={"log": "true"}), "/softmax mask")
close(answer["log_probabilities"], softmax(np.where(keep, x, -np.inf), log=True), **F64, relative_to_max=True,
      what="/softmax mask")

# .npy in and out, Fortran order, big-endian, rank 3 along axis 1.
y = np.asfortranarray(rng.standard_normal((4, 5, 6)).astype(">f8"))
got = load_npy(post("/softmax", npy(y), NPY, params={"axis": "1"}), "/softmax npy")
close(got, softmax(y.astype(np.float64), axis=1), **F64, relative_to_max=False, what="/softmax npy")

# Jacobian of an .npy body.
p = rng.standard_normal((3, 4))
got = load_npy(post("/softmax/grad", npy(p), NPY, params={"mode": "jacobian"}), "/softmax/grad jacobian")
s = softmax(p)
close(got, s[:, :, None] * (np.eye(4)[None] - s[:, None, :]), **F64, relative_to_max=True, what="jacobian")

# Vector-Jacobian product of log-softmax from an archive.
g = rng.standard_normal((3, 4))
answer = load_npz(post("/softmax/grad", npz(logits=p, grad_output=g), NPZ, params={"log": "true"}), "vjp")
close(answer["grad_logits"], g - s * g.sum(axis=-1, keepdims=True), **F64, relative_to_max=True, what="vjp")

# Cross-entropy with int64 and uint8 targets: the loss is a 0-d array.
logits = rng.standard_normal((256, 1000))
for target in (rng.randint(0, 1000, 256).astype(np.int64), rng.randint(0, 256, 256).astype(np.uint8)):
    answer = load_npz(post("/cross-entropy", npz(logits=logits, target=target), NPZ, params={"include_grad": "true"}),
                      f"/cross-entropy {target.dtype}")
    check(sorted(answer) == ["grad_logits", "loss"], f"/cross-entropy members {sorted(answer)}")
    check(answer["loss"].shape == (), f"/cross-entropy: loss shape {answer['loss'].shape}")
    logp = softmax(logits, log=True)
    rows = np.arange(256)
    close(answer["loss"], -logp[rows, target].mean(), **F64, relative_to_max=True, what="loss")
    grad = softmax(logits)
    grad[rows, target] -= 1
    close(answer["grad_logits"], grad / 256, **F64, relative_to_max=True, what="grad_logits")
losses = load_npy(post("/cross-entropy", npz(logits=logits, target=target), NPZ, accept=NPY,
                       params={"reduction": "none"}), "/cross-entropy none npy")
close(losses, -logp[rows, target], **F64, relative_to_max=True, what="losses")

# Errors: problem+json with JSON-shaped pointers.
problem(post("/softmax", npy(np.array([{"a": 1}], dtype=object)), NPY), 400, "/logits", "object array")
problem(post("/softmax", npz(logits=np.array([[1.0, 2.0], [np.nan, 0.0]])), NPZ), 400, "/logits/1/0", "NaN")
problem(post("/softmax", npz(logits=x, logit=x), NPZ), 400, "/logit", "unknown member")
problem(post("/softmax", npz(logits=x), NPZ, params={"axis": "2.5"}), 400, "/axis", "axis 2.5")
problem(post("/cross-entropy", npz(logits=logits, target=target), NPZ, accept=NPY, params={"include_grad": "true"}),
        406, None, "two fields as .npy")
problem(requests.post(BASE + "/softmax?axis=0", data='{"logits": [1, 2]}',
                      headers={"Content-Type": "application/json"}, timeout=60), 400, "/axis", "query on JSON")

# JSON for every client: non-finite answers as null, so a strict parser reads them.
response = requests.post(BASE + "/softmax", data=json.dumps({"logits": [0, float("-inf")], "log": True}),
                         headers={"Content-Type": "application/json", "Accept": "application/json; nonfinite=null"},
                         timeout=60)
strict = json.loads(response.text, parse_constant=lambda token: (_ for _ in ()).throw(ValueError(token)))
check(strict == {"log_probabilities": [0.0, None]}, f"nonfinite=null: {response.text}")

print(f"numpy round trips: {checks} checks passed against {BASE}")
