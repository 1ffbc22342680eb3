"""Calls every endpoint of the service through a Python client generated from its OpenAPI
document by openapi-generator, as a user of that client would, and checks the answers.

Usage: python3 generated_client_check.py CLIENT_DIR BASE_URL
(CLIENT_DIR holds the generated package softmax_client.)
"""
import math
import sys

sys.path.insert(0, sys.argv[1])

import softmax_client  # noqa: E402
from softmax_client import ApiClient, Configuration  # noqa: E402
from softmax_client.exceptions import ApiException  # noqa: E402

client = ApiClient(Configuration(host=sys.argv[2]))
softmax_api = softmax_client.SoftmaxApi(client)
cross_entropy_api = softmax_client.CrossEntropyApi(client)
checks = 0


def close(got, want):
    """Compares nested lists of numbers elementwise, to 1e-12 relative."""
    global checks
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            close(g, w)
        return
    assert isinstance(got, (int, float)) and not isinstance(got, bool), (got, want)
    if math.isinf(want):
        assert got == want, (got, want)
    else:
        assert abs(got - want) <= 1e-12 * max(1.0, abs(want)), (got, want)
    checks += 1


def answer(response):
    """The answer as plain JSON values, whatever model classes the generator made."""
    return response.to_dict()


def softmax(e):
    m = max(e)
    z = sum(math.exp(x - m) for x in e)
    return [math.exp(x - m) / z for x in e]


# POST /softmax: probabilities of a batch, log-probabilities with a masked class.
out = answer(softmax_api.softmax(softmax_client.SoftmaxRequest.from_dict({"logits": [[1, 2, 3], [1, 1, 1]]})))
assert set(out) == {"probabilities"}, out
close(out["probabilities"], [softmax([1, 2, 3]), softmax([1, 1, 1])])
out = answer(softmax_api.softmax(softmax_client.SoftmaxRequest.from_dict(
    {"logits": [[1, 2, float("-inf")]], "log": True, "temperature": 0.5})))
assert set(out) == {"log_probabilities"}, out
close(out["log_probabilities"], [[math.log(p) for p in softmax([2, 4])] + [float("-inf")]])

out = answer(softmax_api.softmax(softmax_client.SoftmaxRequest.from_dict(
    {"logits": [[1, 2, 0]], "mask": [[True, True, False]]})))
close(out["probabilities"], [softmax([1, 2]) + [0.0]])

# POST /softmax/grad: a vector-Jacobian product, and a rank-3 Jacobian.
y = softmax([1, 2, 3])
g = [1.0, 0.0, 0.0]
dot = sum(gi * yi for gi, yi in zip(g, y))
out = answer(softmax_api.grad(softmax_client.SoftmaxGradRequest.from_dict(
    {"logits": [[1, 2, 3]], "grad_output": [g]})))
close(out["grad_logits"], [[yi * (gi - dot) for gi, yi in zip(g, y)]])
out = answer(softmax_api.grad(softmax_client.SoftmaxGradRequest.from_dict(
    {"probabilities": [[0.25, 0.75]], "mode": "jacobian"})))
close(out["jacobian"], [[[0.1875, -0.1875], [-0.1875, 0.1875]]])

# POST /cross-entropy: a scalar target (rank-1 logits), a per-row loss (reduction none)
# with its gradient, and probability targets summed.
out = answer(cross_entropy_api.cross_entropy(softmax_client.CrossEntropyRequest.from_dict(
    {"logits": [0.1, 0.2, 0.3], "target": 2})))
close(out["loss"], -math.log(softmax([0.1, 0.2, 0.3])[2]))
out = answer(cross_entropy_api.cross_entropy(softmax_client.CrossEntropyRequest.from_dict(
    {"logits": [[1, 2, 3], [1, 1, 1]], "target": [2, 0], "reduction": "none", "include_grad": True})))
close(out["loss"], [-math.log(softmax([1, 2, 3])[2]), math.log(3)])
close(out["grad_logits"], [[p - (c == 2) for c, p in enumerate(softmax([1, 2, 3]))],
                           [p - (c == 0) for c, p in enumerate(softmax([1, 1, 1]))]])
out = answer(cross_entropy_api.cross_entropy(softmax_client.CrossEntropyRequest.from_dict(
    {"logits": [1, 2, 3], "target": 0, "reduction": "none"})))
close(out["loss"], -math.log(softmax([1, 2, 3])[0]))
out = answer(cross_entropy_api.cross_entropy(softmax_client.CrossEntropyRequest.from_dict(
    {"logits": [[1, 2, 3]], "target": [[0.1, 0.2, 0.7]], "reduction": "sum"})))
close(out["loss"], -sum(t * math.log(p) for t, p in zip([0.1, 0.2, 0.7], softmax([1, 2, 3]))))

# An error: the client raises, with the problem detail in the body.
try:
    cross_entropy_api.cross_entropy(softmax_client.CrossEntropyRequest.from_dict(
        {"logits": [[1, 2, 3]], "target": [3]}))
    raise AssertionError("a class index out of range was accepted")
except ApiException as problem:
    assert problem.status == 400, problem
    assert '"pointer":"/target/0"' in problem.body, problem.body

print(f"generated client: {checks} values checked over every endpoint")
