#!/usr/bin/python3
"""Golden vectors for POST /softmax, computed with PyTorch in float64.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 src/test/python/golden_softmax.py

It writes src/test/resources/golden/softmax.json: a list of cases, each a request body
and the response the contract expects. For float32 cases the expected values are the
float64 reference computed on the float32-rounded inputs, as the contract's accuracy rule
says. Tests read the file; they never call Python.
"""
import json
import math
import os
from fractions import Fraction

import torch

torch.manual_seed(20261122)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "softmax.json")


def reference(logits, axis, temperature, log, dtype):
    x = torch.tensor(logits, dtype=torch.float64)
    if dtype == "float32":
        x = x.to(torch.float32).to(torch.float64)
    # The stable form: shift by the maximum, then divide by the temperature.
    m = x.amax(dim=axis, keepdim=True)
    z = (x - m) / temperature
    # Where x - max overflows for a finite logit, (x - max) / T may still be finite
    # ([1.7e308, -1.7e308] at T = 2): compute it exactly with rationals, rounded once.
    overflow = torch.isinf(x - m) & torch.isfinite(x)
    if overflow.any():
        exact = [_exact_shift(a, b, temperature) for a, b in zip(x.flatten().tolist(), m.expand_as(x).flatten().tolist())]
        z = torch.where(overflow, torch.tensor(exact, dtype=torch.float64).reshape(x.shape), z)
    if log:
        return z - torch.logsumexp(z, dim=axis, keepdim=True)
    return torch.softmax(z, dim=axis)


def _exact_shift(x, m, temperature):
    """(x - m) / T rounded once to float64; -inf where it is below the range."""
    if math.isinf(x):
        return x
    value = (Fraction(x) - Fraction(m)) / Fraction(temperature)
    try:
        return float(value)
    except OverflowError:
        return float("-inf")


def case(name, logits, axis=None, temperature=None, log=None, dtype=None):
    request = {"logits": logits}
    for key, value in (("axis", axis), ("temperature", temperature), ("log", log), ("dtype", dtype)):
        if value is not None:
            request[key] = value
    out = reference(logits, -1 if axis is None else axis, 1.0 if temperature is None else temperature,
                    bool(log), dtype or "float64")
    field = "log_probabilities" if log else "probabilities"
    finite_in = torch.isfinite(torch.tensor(logits, dtype=torch.float64))
    assert torch.isfinite(out[finite_in]).all(), f"{name}: the reference overflows; the service answers 400"
    return {"name": name, "request": request, "response": {field: out.tolist()}}


def rand(*shape, scale=3.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).tolist()


cases = [
    case("seed example", [[1, 2, 3]]),
    case("seed example, log", [[1, 2, 3]], log=True),
    case("rank 1", [0.5, -1.25, 3.0, 0.0]),
    case("uniform row", [[7, 7, 7, 7]]),
    case("single class", [[4.5], [-3.0]]),
    case("large logits", [1000, 1001]),
    case("large logits, log", [1000, 1001], log=True),
    case("huge gap, log", [[-1000, 0, 1000]], log=True),
    case("huge gap", [[-1000, 0, 1000]]),
    case("extreme range at temperature 0.5", [-1e308, 1e308], temperature=0.5),
    case("extreme magnitudes", [[1e300, 1e300 - 1e284, -1e300]]),
    case("tiny logits", [[1e-300, -1e-300, 0.0]]),
    case("masked", [[1, 2, float("-inf")], [float("-inf"), 0, 0]]),
    case("masked, log", [[1, 2, float("-inf")], [float("-inf"), 0, 0]], log=True),
    case("masked, axis 0", [[1, float("-inf")], [2, 3]], axis=0),
    case("masked, float32, log", [[0.1, float("-inf"), 0.3]], log=True, dtype="float32"),
    case("temperature 0.001 approaches one-hot", [[1.0, 1.01, 0.99]], temperature=0.001),
    case("temperature 1e-300", [[1.0, 2.0, 0.5]], temperature=1e-300),
    case("temperature 1e6", [[1.0, 2.0, 3.0]], temperature=1e6),
    case("float32 rounding", [[0.1, 0.2, 0.3]], dtype="float32"),
    case("float32 large", [[88.7, 90.1, -87.3, 100.0]], dtype="float32"),
    # x - max overflows but (x - max) / T does not (Hardening issue, item 1).
    case("overflowing shift at temperature 2, log", [1.7e308, -1.7e308], temperature=2, log=True),
    case("overflowing shift at temperature 1e300, log", [1e308, -1e308, 0], temperature=1e300, log=True),
    case("overflowing shift at temperature 1e300", [1e308, -1e308, 0], temperature=1e300),
    case("overflowing shift at temperature 1e306", [[1.7e308, -1.7e308, 1e308]], temperature=1e306),
    case("overflowing shift at temperature 1e306, log", [[1.7e308, -1.7e308, 1e308]], temperature=1e306, log=True),
    case("overflowing shift at temperature 2, log, axis 0", [[1.7e308, 1], [-1.7e308, 2], [0, float("-inf")]],
         axis=0, temperature=2, log=True),
    case("overflowing shift at temperature 3, masked", [[-1.7e308, float("-inf"), 1.7e308, 5e307]],
         temperature=3),
    case("overflowing shift at temperature 3, masked, log", [[-1.7e308, float("-inf"), 1.7e308, 5e307]],
         temperature=3, log=True),
    case("float32 extreme range at temperature 2, log", [[3e38, -3e38, 1]], temperature=2, log=True,
         dtype="float32"),
    case("temperature 1e300, small logits", [[1.0, 2.0, -3.0]], temperature=1e300),
    case("temperature 1e-300, log", [[1.0, 2.0, 0.5]], temperature=1e-300, log=True),
    case("subnormal logits at temperature 1e-300", [[5e-324, 1e-320, 0.0]], temperature=1e-300),
]
for rank in range(1, 5):
    shape = [2, 3, 4, 5][:rank]
    logits = rand(*shape)
    for axis in range(-rank, rank):
        for log in (False, True):
            for temperature in (None, 0.3, 2.5):
                cases.append(case(f"rank {rank}, axis {axis}, T {temperature}, log {log}", logits, axis=axis,
                                  temperature=temperature, log=log))
    cases.append(case(f"rank {rank}, float32", rand(*shape), dtype="float32"))
    cases.append(case(f"rank {rank}, float32, log, axis 0", rand(*shape), axis=0, log=True, dtype="float32"))
cases.append(case("rank 8", rand(2, 1, 2, 1, 2, 1, 2, 3), axis=3))
cases.append(case("rank 8, log", rand(2, 1, 2, 1, 2, 1, 2, 3), axis=-1, log=True))
cases.append(case("wide row, 5000 classes", rand(2, 5000, scale=10.0)))
cases.append(case("wide row, 5000 classes, float32", rand(2, 5000, scale=10.0), dtype="float32"))
cases.append(case("wide row, 5000 classes, log", rand(1, 5000, scale=50.0), log=True))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"generator": "src/test/python/golden_softmax.py", "torch": torch.__version__, "cases": cases}, f)
    f.write("\n")
print(f"{len(cases)} cases -> {os.path.normpath(OUT)}")
