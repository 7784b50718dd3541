#!/usr/bin/env bash
# One-shot check before anything starts: every secret the stack needs is set, long enough, and made of characters
# that survive being placed in URLs and JSON (letters, digits, '.', '_', '-'). Exits 1 naming each problem.
set -uo pipefail

problems=0
fail() { echo "preflight: $1" >&2; problems=$((problems + 1)); }

check() {  # name, minimum length
  local name="$1" min="$2" value="${!1:-}"
  if [ -z "$value" ]; then
    fail "$name is not set — run 'bash docker/make-env.sh' (or copy .env.example to .env and fill it in)"
  elif [ "$value" = "changeme" ]; then
    fail "$name is still 'changeme' — put a real secret in .env (bash docker/make-env.sh generates them)"
  elif [ "${#value}" -lt "$min" ]; then
    fail "$name is ${#value} characters long; use at least $min"
  elif ! [[ "$value" =~ ^[A-Za-z0-9._=-]+$ ]]; then
    fail "$name contains characters other than letters, digits, '.', '_', '-', '=' (they break URLs and JSON)"
  fi
}

check ELASTIC_PASSWORD 12
check KIBANA_PASSWORD 12
check KIBANA_ENCRYPTION_KEY 32
check POSTGRES_PASSWORD 12
check AIRFLOW_FERNET_KEY 44
check AIRFLOW_SECRET_KEY 16
check AIRFLOW_JWT_SECRET 32
check AIRFLOW_ADMIN_PASSWORD 8
case "${AIRFLOW_EXECUTOR:-LocalExecutor}" in
  LocalExecutor) ;;
  CeleryExecutor) check REDIS_PASSWORD 12 ;;
  *) fail "AIRFLOW_EXECUTOR=${AIRFLOW_EXECUTOR} — use LocalExecutor, or CeleryExecutor with --profile celery" ;;
esac
if [ -n "${ELASTIC_PASSWORD:-}" ] && [ "${ELASTIC_PASSWORD:-}" = "${KIBANA_PASSWORD:-}" ]; then
  fail "KIBANA_PASSWORD must differ from ELASTIC_PASSWORD"
fi

if [ "$problems" -gt 0 ]; then
  echo "preflight: $problems problem(s) in .env; nothing was started" >&2
  exit 1
fi
echo "preflight: ok"
