#!/usr/bin/env bash
# Generates Python clients from the running service's OpenAPI document with
# openapi-generator (from Maven Central) and calls every endpoint through them
# (.ci/generated_client_check.py). Usage: .ci/generated-client-check.sh BASE_URL
#
# Two generators, each run by a Python that has what its client imports:
# - python-pydantic-v1 under Debian's /usr/bin/python3 with Debian bookworm's packages
#   (pydantic 1.10, python-dateutil, urllib3 1.26), installed here if missing;
# - python (pydantic 2, the generator's default) under the python3 on PATH, when that one
#   has pydantic 2 and urllib3 2 (no other package index is reachable to install them).
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1
version=7.25.0
work=target/generated-client
rm -rf "$work"
mkdir -p "$work"

if ! /usr/bin/python3 -c 'import pydantic, dateutil, urllib3, typing_extensions' 2>/dev/null; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pydantic python3-dateutil python3-urllib3 \
		python3-typing-extensions > /dev/null
fi

./mvnw -B -q dependency:copy -Dartifact="org.openapitools:openapi-generator-cli:$version" \
	-DoutputDirectory="$work" -Dmdep.stripVersion=true
curl -fsS "$base/v3/api-docs" -o "$work/api-docs.json"

generate() {
	java -jar "$work/openapi-generator-cli.jar" generate -g "$1" -i "$work/api-docs.json" -o "$work/$1" \
		--package-name softmax_client \
		--global-property=modelTests=false,apiTests=false,modelDocs=false,apiDocs=false > "$work/$1.log" 2>&1 \
		|| { cat "$work/$1.log" >&2; return 1; }
}

echo "openapi-generator $version, python-pydantic-v1, Debian python3:"
generate python-pydantic-v1
/usr/bin/python3 .ci/generated_client_check.py "$work/python-pydantic-v1" "$base"

if python3 -c 'import sys, pydantic, urllib3, dateutil, typing_extensions
sys.exit(not (pydantic.VERSION >= "2.11" and urllib3.__version__ >= "2"))' 2>/dev/null; then
	echo "openapi-generator $version, python (pydantic 2), $(python3 --version):"
	generate python
	python3 .ci/generated_client_check.py "$work/python" "$base"
else
	echo "Skipped the pydantic-2 client: the python3 on PATH has no pydantic >= 2.11 and urllib3 >= 2."
fi
