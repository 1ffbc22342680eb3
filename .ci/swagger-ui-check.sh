#!/usr/bin/env bash
# Opens Swagger UI in headless Chromium (Debian's package, installed here if missing) on the
# /cross-entropy operation and checks what a person would see: every problem status shows its
# own example, with /cross-entropy as the instance, and the 200 examples are the answers. Then
# tries /softmax there (Selenium, chromium-driver): a masked log-softmax asked for as
# "application/json; nonfinite=null" is shown parsed, with null for the masked class.
# Usage: .ci/swagger-ui-check.sh BASE_URL
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1
if ! command -v chromium > /dev/null || ! command -v chromedriver > /dev/null \
	|| ! /usr/bin/python3 -c 'import selenium' 2> /dev/null; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver python3-selenium > /dev/null
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# The flags keep Chromium off the network (only localhost is reachable) and let it run as root.
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
	--virtual-time-budget=15000 --dump-dom "$base/swagger-ui/index.html#/cross-entropy/crossEntropy" \
	2> /dev/null > target/swagger-ui-cross-entropy.html
python3 - target/swagger-ui-cross-entropy.html <<'PY'
import html, re, sys
text = html.unescape(re.sub(r"<[^>]+>", "", open(sys.argv[1], encoding="utf-8").read()))
shown = set(re.findall(r"urn:softmax-service:problem:([a-z-]+)", text))
expected = {"invalid-input", "not-acceptable", "payload-too-large", "unsupported-media-type",
            "internal-error", "overloaded"}
assert shown >= expected, f"Swagger UI shows the problem examples {sorted(shown)}, not {sorted(expected)}"
assert '"instance": "/softmax"' not in text, "a /cross-entropy error example names /softmax"
assert text.count('"instance": "/cross-entropy"') >= len(expected), "an error example lacks its instance"
assert '"loss": 13.126930001932529' in text, "the 200 example is not the first request example's answer"
print(f"Swagger UI shows {len(shown)} problem examples for /cross-entropy, each with its own instance")
PY
timeout 120 /usr/bin/python3 .ci/swagger_ui_try_it.py "$base"
