#!/usr/bin/env bash
# System packages the tests need beyond Python: Debian's docker-compose (for `docker-compose config -q`, which
# checks docker-compose.yml without a Docker engine). Idempotent: does nothing when the command exists.
# Installs with apt-get when running as root (CI does); otherwise prints the command to run.
set -euo pipefail

if command -v docker-compose >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: docker-compose is missing and this is not a Debian/Ubuntu system;" \
       "install Docker Compose (v1 'docker-compose' or v2 plugin) by hand" >&2
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-system-deps: docker-compose is missing; run: sudo apt-get install -y docker-compose" >&2
  exit 0
fi
echo "install-system-deps: installing docker-compose (Debian package)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
docker-compose version
