#!/usr/bin/env bash
# System packages the tests need beyond Python: Debian's docker-compose (for `docker-compose config -q`, which
# checks docker-compose.yml without a Docker engine) and Node.js 18+ with npm (tools/vega renders the Kibana Vega
# panels with the vega/vega-lite npm packages). Idempotent: does nothing for a command that exists.
# Installs with apt-get when running as root (CI does); otherwise prints the command to run.
set -euo pipefail

missing=()     # Debian packages to install
hints=()       # what to do by hand where apt-get cannot

if ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
  hints+=("install Docker Compose (v1 'docker-compose' or v2 plugin)")
fi
node_major() { node -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
  hints+=("install Node.js 18+ with npm")
fi

if [ ${#missing[@]} -eq 0 ]; then
  :
elif ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: ${missing[*]} missing and this is not a Debian/Ubuntu system;" \
       "$(IFS=';'; echo "${hints[*]}") by hand" >&2
elif [ "$(id -u)" != "0" ]; then
  echo "install-system-deps: ${missing[*]} missing; run: sudo apt-get install -y ${missing[*]}" >&2
else
  echo "install-system-deps: installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if command -v docker-compose >/dev/null 2>&1; then docker-compose version; fi
fi

# the distribution's nodejs can be too old for vega 5 (it needs Node.js 18 or newer)
if command -v node >/dev/null 2>&1 && [ "$(node_major)" -lt 18 ]; then
  echo "install-system-deps: Node.js $(node --version) is too old for tools/vega (vega 5 needs 18+);" \
       "install Node.js 18 or newer (e.g. from nodejs.org or NodeSource)" >&2
fi
exit 0
