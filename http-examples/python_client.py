"""Calls softmax-service from Python with requests and NumPy (the README's "Python" section).

    python3 python_client.py [BASE_URL]        # default http://localhost:8080

Needs requests and NumPy (Debian: apt-get install python3-requests python3-numpy;
elsewhere: pip install requests numpy). CI runs it against the built jar.
"""
import json
import sys

import numpy as np
import requests

BASE_URL = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"


def call(path, body):
    """POSTs a JSON body and returns the decoded answer, or raises with the problem detail.

    The body is encoded with json.dumps, not requests' json= argument: json= refuses
    -Infinity and NaN ("Out of range float values are not JSON compliant"), while
    json.dumps writes -Infinity as the token the service reads (a masked-out class).
    """
    response = requests.post(BASE_URL + path, data=json.dumps(body),
                             headers={"Content-Type": "application/json"}, timeout=60)
    try:
        response.raise_for_status()
    except requests.HTTPError as error:
        # Every error is application/problem+json: detail says what to fix, errors[].pointer
        # is a JSON Pointer to the offending element of the body.
        problem = response.json()
        where = ", ".join(e["pointer"] for e in problem.get("errors", []))
        raise RuntimeError(f"{problem['status']} {problem['title']}: {problem['detail']}"
                           + (f" (at {where})" if where else "")) from error
    return response.json()  # json.loads reads -Infinity back as float("-inf")


# NumPy arrays go in as nested lists with .tolist(); answers come back with np.asarray.
logits = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, -np.inf]])  # -inf masks the last class of row 2
answer = call("/softmax", {"logits": logits.tolist()})
probabilities = np.asarray(answer["probabilities"])
expected = np.exp(logits - logits.max(axis=1, keepdims=True))
expected /= expected.sum(axis=1, keepdims=True)
assert probabilities.shape == (2, 3) and np.allclose(probabilities, expected, rtol=1e-12, atol=0)
print("softmax:", probabilities.tolist())

# Log-softmax of a masked class is -Infinity, read back as -inf.
answer = call("/softmax", {"logits": logits.tolist(), "log": True})
log_probabilities = np.asarray(answer["log_probabilities"])
assert log_probabilities[1, 2] == -np.inf
assert np.allclose(np.exp(log_probabilities), expected, rtol=1e-12, atol=0)
print("log-softmax:", log_probabilities.tolist())

# Without -Infinity: a boolean mask shaped like the logits (False masks a class out), which
# also lets requests' json= argument encode the body.
finite = np.where(np.isinf(logits), 0.0, logits)
response = requests.post(BASE_URL + "/softmax", json={"logits": finite.tolist(),
                                                      "mask": np.isfinite(logits).tolist()}, timeout=60)
response.raise_for_status()
assert np.allclose(np.asarray(response.json()["probabilities"]), expected, rtol=1e-12, atol=0)
print("softmax with a mask:", response.json()["probabilities"])

# float32: send float32 arrays with "dtype": "float32". .tolist() turns each float32 into the
# Python float of the same value, and the answer is written as the shortest decimal that
# round-trips a float32, so np.asarray(..., dtype=np.float32) gets the service's float32s back.
x32 = np.array([0.1, 0.2, 0.7], dtype=np.float32)
answer = call("/softmax", {"logits": x32.tolist(), "dtype": "float32"})
p32 = np.asarray(answer["probabilities"], dtype=np.float32)
e32 = np.exp(x32.astype(np.float64) - x32.max())
assert p32.dtype == np.float32 and np.allclose(p32, e32 / e32.sum(), rtol=1e-6, atol=0)
print("softmax float32:", p32)

# Cross-entropy as torch.nn.functional.cross_entropy: one loss per row (reduction none), with
# the gradient. A NumPy integer array of class indices also goes in with .tolist().
scores = np.array([[8.0, -3.0, 10.0], [0.5, 2.0, -1.0]])
target = np.array([1, 2])
answer = call("/cross-entropy", {"logits": scores.tolist(), "target": target.tolist(),
                                 "reduction": "none", "include_grad": True})
loss, grad = np.asarray(answer["loss"]), np.asarray(answer["grad_logits"])
log_p = scores - scores.max(axis=1, keepdims=True)
log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
assert np.allclose(loss, -log_p[np.arange(2), target], rtol=1e-12, atol=0)
assert np.allclose(grad, np.exp(log_p) - np.eye(3)[target], rtol=1e-12, atol=1e-15)
print("cross-entropy per row:", loss.tolist())

# A single unbatched example: rank-1 logits and a scalar target give a scalar loss.
answer = call("/cross-entropy", {"logits": [0.1, 0.2, 0.3], "target": 2})
assert isinstance(answer["loss"], float)
print("cross-entropy, one example:", answer["loss"])

# Errors: raise_for_status() raises, and the problem detail says what to fix and where.
try:
    call("/cross-entropy", {"logits": scores.tolist(), "target": [1, 3]})
    raise AssertionError("a class index out of range was accepted")
except RuntimeError as error:
    assert "400" in str(error) and "/target/1" in str(error), error
    print("error:", error)
