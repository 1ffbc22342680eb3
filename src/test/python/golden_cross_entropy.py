#!/usr/bin/python3
"""Golden vectors for POST /cross-entropy, computed with PyTorch in float64.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 src/test/python/golden_cross_entropy.py

It writes src/test/resources/golden/cross_entropy.json: a list of cases, each a request
body and the response the contract expects. The loss is torch.nn.functional.cross_entropy
on the logits with the class axis moved to dimension 1 (as PyTorch wants it), and
grad_logits is torch.autograd.grad of the returned loss (of its sum for reduction
"none"). For float32 cases the expected values are the float64 reference computed on the
float32-rounded logits, probability targets and weights, as the contract's accuracy rule
says.

Masked logits (-Infinity) are handed to PyTorch as -1e5: the service treats a class whose
share of the target is 0 (target probability 0, weight 0) as contributing nothing, where
PyTorch computes 0 * -inf = nan. With a finite stand-in that far below the other logits,
its probability underflows to exactly 0 and its term is exactly 0, which is that limit.
The script also checks every case against an independent formula, so a misread of
PyTorch's semantics fails here, not in the Java tests.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261123)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "cross_entropy.json")
MASK_STAND_IN = -1e5


def as_tensor(values, dtype):
    t = torch.tensor(values, dtype=torch.float64)
    if dtype == "float32":
        t = t.to(torch.float32).to(torch.float64)
    return t


def reference(request):
    dtype = request.get("dtype", "float64")
    x = as_tensor(request["logits"], dtype)
    x = torch.where(torch.isinf(x) & (x < 0), torch.full_like(x, MASK_STAND_IN), x)
    rank = x.dim()
    axis = request.get("axis", 1 if rank >= 2 else 0)
    axis = axis + rank if axis < 0 else axis
    probability = torch.tensor(request["target"]).dim() == rank
    if probability:
        target = as_tensor(request["target"], dtype)
        target = target.movedim(axis, 1) if rank >= 2 else target
    else:
        target = torch.tensor(request["target"], dtype=torch.float64).to(torch.int64)
    weight = as_tensor(request["weight"], dtype) if "weight" in request else None
    x.requires_grad_(True)
    moved = x.movedim(axis, 1) if rank >= 2 else x
    loss = F.cross_entropy(moved, target, weight=weight, ignore_index=request.get("ignore_index", -100),
                           reduction=request.get("reduction", "mean"),
                           label_smoothing=request.get("label_smoothing", 0.0))
    response = {"loss": loss.tolist()}
    if request.get("include_grad"):
        (grad,) = torch.autograd.grad(loss.sum(), x)
        response["grad_logits"] = grad.tolist()
    check(request, x.detach(), axis, probability, weight, loss.detach(), response)
    return response


def check(request, x, axis, probability, weight, loss, response):
    """The service's formula, written independently of F.cross_entropy."""
    C = x.shape[axis]
    eps = request.get("label_smoothing", 0.0)
    w = weight if weight is not None else torch.ones(C, dtype=torch.float64)
    shape = [1] * x.dim()
    shape[axis] = C
    w = w.view(shape)
    logp = torch.log_softmax(x, dim=axis)
    if probability:
        t = as_tensor(request["target"], request.get("dtype", "float64"))
        a = w * (t * (1 - eps) + eps / C)
        denominator = x.numel() / C
    else:
        t = torch.tensor(request["target"], dtype=torch.float64).to(torch.int64)
        keep = t != request.get("ignore_index", -100)
        onehot = F.one_hot(torch.where(keep, t, 0), C).to(torch.float64).movedim(-1, axis)
        keep = keep.unsqueeze(axis).to(torch.float64)
        a = keep * w * ((1 - eps) * onehot + eps / C)
        denominator = (keep * w * onehot).sum()
    # A class with no share of the target adds nothing, even where log p is -inf.
    per = -torch.where(a != 0, a * logp, torch.zeros_like(logp)).sum(dim=axis)
    reduction = request.get("reduction", "mean")
    scale = 1 / denominator if reduction == "mean" else 1.0
    ours = per if reduction == "none" else per.sum() * scale
    assert torch.allclose(ours, loss, rtol=1e-12, atol=1e-12), (request, ours, loss)
    if "grad_logits" in response:
        grad = (torch.softmax(x, dim=axis) * a.sum(dim=axis, keepdim=True) - a) * scale
        assert torch.allclose(grad, torch.tensor(response["grad_logits"], dtype=torch.float64),
                              rtol=1e-12, atol=1e-14), request


def case(name, logits, target, **fields):
    request = {"logits": logits, "target": target}
    request.update({key: value for key, value in fields.items() if value is not None})
    return {"name": name, "request": request, "response": reference(request)}


def rand(*shape, scale=3.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).tolist()


def indices(C, *shape):
    return torch.randint(0, C, shape).tolist()


def probabilities(C, shape, axis):
    """Rows along the axis that sum to 1, and some that do not (PyTorch allows both)."""
    t = torch.softmax(torch.randn(*shape, dtype=torch.float64) * 2, dim=axis)
    return t.tolist()


def weights(C):
    return (torch.rand(C, dtype=torch.float64) * 2 + 0.1).tolist()


INF = float("inf")
cases = [
    case("seed example 1", [[8, -3, 10]], [1], reduction="sum"),
    case("seed example 2", [[10, -5, 5], [5, 2, -1], [4, -9, 5]], [1, 1, 1], reduction="sum"),
    case("seed example 1, grad", [[8, -3, 10]], [1], reduction="sum", include_grad=True),
    case("seed example 2, grad", [[10, -5, 5], [5, 2, -1], [4, -9, 5]], [1, 1, 1], reduction="sum",
         include_grad=True),
    case("huge gap", [[-1000, 0, 1000]], [0]),
    case("huge gap, grad", [[-1000, 0, 1000]], [0], include_grad=True),
    case("huge gap, probability target", [[-1000, 0, 1000]], [[1, 0, 0]], include_grad=True),
    case("extreme magnitudes", [[1e300, -1e300]], [1], include_grad=True),
    case("tiny logits", [[1e-300, -1e-300, 0.0]], [2], include_grad=True),
    case("class index written as decimal", [[1.0, 2.0, 3.0]], [2.0], include_grad=True),
    case("single class", [[4.5], [-3.0]], [0, 0], include_grad=True),
    case("masked other class", [[1, -INF, 2], [0, 3, -INF]], [0, 1], include_grad=True),
    case("masked other class, sum", [[1, -INF, 2], [0, 3, -INF]], [2, 1], reduction="sum", include_grad=True),
    case("masked class, probability target 0 there", [[1, -INF, 2]], [[0.25, 0, 0.75]], include_grad=True),
    case("masked class, weight 0 there, smoothing", [[1, -INF, 2]], [0], weight=[1, 0, 2],
         label_smoothing=0.1, include_grad=True),
    case("masked target class, ignored", [[1, -INF, 2], [0.5, 1, 1.5]], [1, 2], ignore_index=1,
         include_grad=True),
    case("masked target class, weight 0", [[1, -INF, 2], [0.5, 1, 1.5]], [1, 2], weight=[1, 0, 1],
         include_grad=True),
    case("probability target not summing to 1", [[1, 2, 3], [0, 0, 0]], [[0.5, 0.5, 0.5], [0, 0.1, 0]],
         include_grad=True),
    case("ignored entries, mean", [[1, 2, 3], [3, 2, 1], [0, 0, 1]], [2, -100, 0], include_grad=True),
    case("ignored entries, none", [[1, 2, 3], [3, 2, 1], [0, 0, 1]], [2, -100, 0], reduction="none",
         include_grad=True),
    case("every target ignored, sum", [[1, 2, 3], [3, 2, 1]], [-100, -100], reduction="sum", include_grad=True),
    case("every target ignored, none", [[1, 2, 3], [3, 2, 1]], [-100, -100], reduction="none",
         include_grad=True),
    case("ignore_index inside [0, C)", [[1, 2, 3], [3, 2, 1], [0, 0, 1]], [2, 1, 1], ignore_index=1,
         include_grad=True),
    case("probability target, negative ignore_index", [[1, 2, 3]], [[0.2, 0.3, 0.5]], ignore_index=-7,
         include_grad=True),
    case("rank 1, scalar target", [0.5, -1.25, 3.0, 0.0], 1, include_grad=True),
    case("rank 1, scalar target, none", [0.5, -1.25, 3.0, 0.0], 3, reduction="none", include_grad=True),
    case("rank 1, scalar target ignored, none", [0.5, -1.25, 3.0, 0.0], -100, reduction="none",
         include_grad=True),
    case("rank 1, scalar target ignored, sum", [0.5, -1.25, 3.0, 0.0], 2, ignore_index=2, reduction="sum",
         include_grad=True),
    case("rank 1, weight, smoothing", [0.5, -1.25, 3.0, 0.0], 0, weight=[1, 2, 3, 4], label_smoothing=0.1,
         include_grad=True),
    case("rank 1, axis -1", [0.5, -1.25, 3.0], 2, axis=-1, include_grad=True),
    case("rank 1, probability target", [0.5, -1.25, 3.0], [0.1, 0.2, 0.7], include_grad=True),
    case("rank 1, probability target, weight, smoothing, none", [0.5, -1.25, 3.0], [0.1, 0.2, 0.7],
         weight=[0.5, 1, 2], label_smoothing=0.1, reduction="none", include_grad=True),
    case("axis 0 on (C, N)", [[1, 2], [3, -1], [0, 0.5]], [2, 0], axis=0, include_grad=True),
    case("axis 0 on (C, N), probability target", [[1, 2], [3, -1], [0, 0.5]], [[0.2, 0.5], [0.3, 0.5], [0.5, 0]],
         axis=0, include_grad=True),
    case("explicit axis 1", [[1, 2, 3], [0, 0, 1]], [0, 2], axis=1, include_grad=True),
    case("explicit axis -2 on (C, N)", [[1, 2, 3], [0, 0, 1]], [0, 1, 1], axis=-2, reduction="none", include_grad=True),
    case("float32 rounding", [[0.1, 0.2, 0.3], [0.7, -0.1, 0.4]], [2, 0], dtype="float32", include_grad=True),
    case("float32 huge gap", [[-1000, 0, 1000]], [0], dtype="float32", include_grad=True),
    # x - max overflows for a class with no share of the target: its term is 0.
    case("overflowing shift, index target", [[1.7e308, -1.7e308, 0], [1, 2, 3]], [0, 2], include_grad=True),
    case("overflowing shift, index target, sum", [[-1.7e308, 1.7e308]], [1], reduction="sum",
         include_grad=True),
    case("null fields are defaults", [[1, 2, 3]], [1], include_grad=True),
]
# null for every optional field: same as absent
cases[-1]["request"].update({"axis": None, "weight": None, "ignore_index": None, "reduction": None,
                             "label_smoothing": None, "dtype": None})

N, C = 4, 5
for target_kind in ("index", "probability"):
    for weighted in (False, True):
        for reduction in ("mean", "sum", "none"):
            for smoothing in (0.0, 0.1, 1.0):
                logits = rand(N, C)
                if target_kind == "index":
                    target = indices(C, N)
                    target[1] = -100  # an ignored entry
                    extra = {}
                else:
                    target = probabilities(C, (N, C), 1)
                    extra = {}
                name = f"{target_kind}, weight {weighted}, {reduction}, smoothing {smoothing}"
                cases.append(case(name, logits, target, weight=weights(C) if weighted else None,
                                  reduction=reduction, label_smoothing=smoothing or None,
                                  include_grad=(reduction != "sum" or smoothing != 1.0), **extra))
                if target_kind == "index" and smoothing == 0.1:
                    t = indices(C, N)
                    t[0] = t[2] = 3
                    cases.append(case(name + ", ignore_index 3", rand(N, C), t, ignore_index=3,
                                      weight=weights(C) if weighted else None, reduction=reduction,
                                      label_smoothing=smoothing, include_grad=True))
                    cases.append(case(name + ", float32", rand(N, C), indices(C, N), dtype="float32",
                                      weight=weights(C) if weighted else None, reduction=reduction,
                                      label_smoothing=smoothing, include_grad=True))
                if target_kind == "probability" and smoothing == 0.1:
                    cases.append(case(name + ", float32", rand(N, C), probabilities(C, (N, C), 1),
                                      dtype="float32", weight=weights(C) if weighted else None,
                                      reduction=reduction, label_smoothing=smoothing, include_grad=True))

# K-dimensional: (N, C, d1, d2) and sequences (N, T, C) with axis -1
for reduction in ("mean", "sum", "none"):
    for smoothing in (0.0, 0.1):
        for weighted in (False, True):
            w = weights(3) if weighted else None
            t = indices(3, 2, 2, 4)
            t[0][1][2] = -100
            cases.append(case(f"rank 4 (N, C, d1, d2), index, weight {weighted}, {reduction}, smoothing {smoothing}",
                              rand(2, 3, 2, 4), t, weight=w, reduction=reduction,
                              label_smoothing=smoothing or None, include_grad=True))
            cases.append(case(f"rank 4 (N, C, d1, d2), probability, weight {weighted}, {reduction}, "
                              f"smoothing {smoothing}", rand(2, 3, 2, 4), probabilities(3, (2, 3, 2, 4), 1),
                              weight=w, reduction=reduction, label_smoothing=smoothing or None, include_grad=True))
            t = indices(4, 2, 3)
            t[1][0] = -100
            cases.append(case(f"(N, T, C) axis -1, index, weight {weighted}, {reduction}, smoothing {smoothing}",
                              rand(2, 3, 4), t, axis=-1, weight=weights(4) if weighted else None,
                              reduction=reduction, label_smoothing=smoothing or None, include_grad=True))
            cases.append(case(f"(N, T, C) axis -1, probability, weight {weighted}, {reduction}, "
                              f"smoothing {smoothing}", rand(2, 3, 4), probabilities(4, (2, 3, 4), -1), axis=-1,
                              weight=weights(4) if weighted else None, reduction=reduction,
                              label_smoothing=smoothing or None, include_grad=True))
cases.append(case("rank 4, axis -1, index, float32", rand(2, 2, 3, 5), indices(5, 2, 2, 3), axis=-1,
                  dtype="float32", label_smoothing=0.2, include_grad=True))
cases.append(case("rank 4, axis 2, probability", rand(2, 2, 3, 2), probabilities(3, (2, 2, 3, 2), 2), axis=2,
                  reduction="sum", include_grad=True))
cases.append(case("rank 8", rand(2, 3, 1, 2, 1, 2, 1, 2), indices(3, 2, 1, 2, 1, 2, 1, 2), include_grad=True))
cases.append(case("no grad, mean", rand(3, 4), indices(4, 3)))
cases.append(case("no grad, none, probability", rand(3, 4), probabilities(4, (3, 4), 1), reduction="none"))
cases.append(case("include_grad false", rand(3, 4), indices(4, 3), include_grad=False))
cases.append(case("wide row, 5000 classes, smoothing", rand(2, 5000, scale=10.0), indices(5000, 2),
                  label_smoothing=0.1, weight=weights(5000), include_grad=True))
cases.append(case("wide row, 5000 classes, float32, probability", rand(1, 5000, scale=10.0),
                  probabilities(5000, (1, 5000), 1), dtype="float32", label_smoothing=0.05, include_grad=True))
cases.append(case("large logits", rand(8, 6, scale=1e6), indices(6, 8), label_smoothing=0.3, include_grad=True))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"generator": "src/test/python/golden_cross_entropy.py", "torch": torch.__version__,
               "cases": cases}, f)
    f.write("\n")
print(f"{len(cases)} cases -> {os.path.normpath(OUT)}")
