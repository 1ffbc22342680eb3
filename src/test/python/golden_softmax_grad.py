#!/usr/bin/python3
"""Golden vectors for POST /softmax/grad, computed with PyTorch autograd in float64.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 src/test/python/golden_softmax_grad.py

It writes src/test/resources/golden/softmax_grad.json: a list of cases, each a request
body and the response the contract expects. `grad_logits` comes from torch.autograd.grad
and `jacobian` from torch.autograd.functional.jacobian, both of softmax (or log_softmax)
of x / T with respect to x. A `probabilities` (or `log_probabilities`) point is sent as
the softmax (log-softmax) of logits, and the reference is taken at logits that give
exactly the values sent: x' = T * log(y). For float32 cases every input is rounded to
float32 first and the reference computed in float64 on the rounded values, as the
contract's accuracy rule says. Tests read the file; they never call Python.
"""
import json
import math
import os
from fractions import Fraction

import torch

torch.manual_seed(20261123)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "softmax_grad.json")


def as_dtype(values, dtype):
    t = torch.tensor(values, dtype=torch.float64)
    return t.to(torch.float32).to(torch.float64) if dtype == "float32" else t


def exact_shift(x, m, temperature):
    """(x - m) / T rounded once to float64, where x - m overflows: -inf below the range."""
    if math.isinf(x):
        return x
    try:
        return float((Fraction(x) - Fraction(m)) / Fraction(temperature))
    except OverflowError:
        return float("-inf")


def function(axis, temperature, log):
    def f(x):
        # The stable form, as the contract asks: shift by the (constant) maximum, then
        # divide. Softmax is shift-invariant, so the derivative is unchanged.
        m = x.amax(dim=axis, keepdim=True).detach()
        z = (x - m) / temperature
        # Where x - max overflows for a finite logit, the exact (x - max) / T, with the
        # same derivative 1 / T.
        overflow = torch.isinf(x.detach() - m) & torch.isfinite(x.detach())
        if overflow.any():
            exact = torch.tensor([exact_shift(a, b, temperature) for a, b in
                                  zip(x.detach().flatten().tolist(), m.expand_as(x).flatten().tolist())],
                                 dtype=torch.float64).reshape(x.shape)
            z = torch.where(overflow, exact + (x - x.detach()) / temperature, z)
        return torch.log_softmax(z, dim=axis) if log else torch.softmax(z, dim=axis)
    return f


def jacobian_blocks(f, x, axis):
    """The Jacobian of each slice along the axis: shape x without the axis, then [C, C]."""
    moved = x.movedim(axis, -1).contiguous()
    outer = moved.shape[:-1]
    c = moved.shape[-1]
    m = moved.numel() // c

    def g(rows):
        return f(rows.reshape(moved.shape).movedim(-1, axis)).movedim(axis, -1).reshape(m, c)

    full = torch.autograd.functional.jacobian(g, moved.reshape(m, c))  # [m, c, m, c]
    blocks = torch.stack([full[i, :, i, :] for i in range(m)])
    return blocks.reshape(*outer, c, c)


def case(name, x, grad_output=None, point="logits", mode=None, axis=None, temperature=None, log=None,
         dtype=None):
    """x: logits; for other points the request carries softmax or log_softmax of x."""
    d = dtype or "float64"
    a = -1 if axis is None else axis
    t = 1.0 if temperature is None else temperature
    lg = bool(log)
    logits = torch.tensor(x, dtype=torch.float64)
    if point == "logits":
        sent = as_dtype(x, d)
        ref_x = sent.clone()
    else:
        z = logits / t
        values = torch.softmax(z, dim=a) if point == "probabilities" else torch.log_softmax(z, dim=a)
        sent = values.to(torch.float32).to(torch.float64) if d == "float32" else values
        ref_x = t * (torch.log(sent) if point == "probabilities" else sent)
    request = {point: sent.tolist()}
    f = function(a, t, lg)
    if mode == "jacobian":
        response = {"jacobian": jacobian_blocks(f, ref_x, a).tolist()}
    else:
        g = as_dtype(grad_output, d)
        request["grad_output"] = g.tolist()
        leaf = ref_x.clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(f(leaf), leaf, grad_outputs=g)
        response = {"grad_logits": grad.tolist()}
    for key, value in (("mode", mode), ("axis", axis), ("temperature", temperature), ("log", log),
                       ("dtype", dtype)):
        if value is not None:
            request[key] = value
    for tensor in response.values():
        assert all(math.isfinite(v) for v in torch.tensor(tensor, dtype=torch.float64).flatten().tolist()), name
    return {"name": name, "request": request, "response": response}


def rand(*shape, scale=3.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).tolist()


NEG_INF = float("-inf")
cases = [
    case("seed example", list(range(1, 10)), list(range(11, 20))),
    case("seed example, log", list(range(1, 10)), list(range(11, 20)), log=True),
    case("seed example, jacobian", list(range(1, 10)), mode="jacobian"),
    case("seed example from probabilities", list(range(1, 10)), list(range(11, 20)), point="probabilities"),
    case("huge gap", [[-1000, 0, 1000]], [[1, 2, 3]]),
    case("huge gap, log", [[-1000, 0, 1000]], [[1, 2, 3]], log=True),
    case("huge gap, jacobian", [[-1000, 0, 1000]], mode="jacobian"),
    case("huge gap, log jacobian", [[-1000, 0, 1000]], mode="jacobian", log=True),
    case("extreme range at temperature 0.5", [-1e308, 1e308], [1, -1], temperature=0.5),
    case("large logits, float32", [[88.7, 90.1, -87.3, 100.0]], [[1, -2, 3, 0.5]], dtype="float32"),
    case("masked", [[1, 2, NEG_INF], [NEG_INF, 0, 0]], [[1, 2, 3], [4, 5, 6]]),
    case("masked, log", [[1, 2, NEG_INF], [NEG_INF, 0, 0]], [[1, 2, 3], [4, 5, 6]], log=True),
    case("masked, jacobian", [[1, 2, NEG_INF], [NEG_INF, 0, 0]], mode="jacobian"),
    case("masked, log jacobian, axis 0", [[1, NEG_INF], [2, 3]], mode="jacobian", log=True, axis=0),
    case("zero probabilities", [[1, 2, NEG_INF]], [[1, 2, 3]], point="probabilities"),
    case("zero probabilities, log", [[1, 2, NEG_INF]], [[1, 2, 3]], point="probabilities", log=True),
    case("-Infinity log-probabilities", [[1, 2, NEG_INF]], [[1, 2, 3]], point="log_probabilities"),
    case("-Infinity log-probabilities, log jacobian", [[1, NEG_INF, 2]], point="log_probabilities",
         mode="jacobian", log=True),
    case("single class", [[4.5], [-3.0]], [[2.0], [-1.0]]),
    case("single class, log jacobian", [[4.5], [-3.0]], mode="jacobian", log=True),
    case("temperature 0.001", [[1.0, 1.01, 0.99]], [[1, 2, 3]], temperature=0.001),
    case("temperature 1e6, log", [[1.0, 2.0, 3.0]], [[1, 2, 3]], temperature=1e6, log=True),
    case("large grad_output", [[0.5, -1.0, 2.0]], [[1e300, -3e299, 2e300]]),
    case("large grad_output, log", [[0.5, -1.0, 2.0]], [[1e300, -3e299, 2e300]], log=True),
    case("uniform grad_output has zero gradient", [[0.3, -1.2, 2.2]], [[7, 7, 7]]),
    case("float32 rounding", [[0.1, 0.2, 0.3]], [[0.7, 0.11, -0.3]], dtype="float32"),
    # x - max overflows but (x - max) / T does not (Hardening issue, item 1).
    case("overflowing shift at temperature 2, log", [1.7e308, -1.7e308], [1, 2], temperature=2, log=True),
    case("overflowing shift at temperature 1e306", [[1.7e308, -1.7e308, 1e308]], [[1, 2, 3]], temperature=1e306),
    case("overflowing shift at temperature 1e306, log", [[1.7e308, -1.7e308, 1e308]], [[1, 2, 3]],
         temperature=1e306, log=True),
    case("overflowing shift at temperature 1e306, jacobian", [[1.7e308, -1.7e308, 1e308]], mode="jacobian",
         temperature=1e306),
    case("overflowing shift at temperature 1e306, log jacobian, axis 0", [[1.7e308], [-1.7e308], [1e308]],
         mode="jacobian", temperature=1e306, log=True, axis=0),
    case("overflowing shift at temperature 1", [[1.7e308, -1.7e308, 0]], [[1, 2, 3]]),
]
POINTS = ("logits", "probabilities", "log_probabilities")
for rank in range(1, 4):
    shape = [2, 3, 4][:rank]
    for axis in sorted({-1, 0, rank - 1, -rank} | ({1} if rank == 3 else set())):
        for point in POINTS:
            for log in (False, True):
                for dtype in (None, "float32"):
                    temperature = (None, 0.5, 3.0)[(rank + axis + POINTS.index(point)) % 3]
                    label = f"rank {rank}, axis {axis}, {point}, log {log}, T {temperature}, {dtype or 'float64'}"
                    cases.append(case(f"vjp, {label}", rand(*shape), rand(*shape, scale=2.0), point=point, axis=axis,
                                      temperature=temperature, log=log, dtype=dtype))
                    cases.append(case(f"jacobian, {label}", rand(*shape), point=point, mode="jacobian", axis=axis,
                                      temperature=temperature, log=log, dtype=dtype))
cases.append(case("rank 5, axis 2", rand(2, 1, 3, 2, 2), rand(2, 1, 3, 2, 2), axis=2))
cases.append(case("rank 5, axis -3, jacobian, log", rand(2, 1, 3, 2, 2), mode="jacobian", axis=-3, log=True))
cases.append(case("wide row, 2000 classes", rand(2, 2000, scale=10.0), rand(2, 2000)))
cases.append(case("wide row, 2000 classes, float32, log", rand(1, 2000, scale=10.0), rand(1, 2000), log=True,
                  dtype="float32"))
cases.append(case("wide row, 2000 classes, probabilities", rand(1, 2000, scale=5.0), rand(1, 2000),
                  point="probabilities"))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"generator": "src/test/python/golden_softmax_grad.py", "torch": torch.__version__, "cases": cases}, f)
    f.write("\n")
print(f"{len(cases)} cases -> {os.path.normpath(OUT)}")
