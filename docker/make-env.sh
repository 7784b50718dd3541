#!/usr/bin/env bash
# Write .env for docker compose from .env.example, with a fresh random value for every secret left empty there.
#   bash docker/make-env.sh                 # writes ./.env (refuses to overwrite an existing one)
#   bash docker/make-env.sh --force         # replace it (the old passwords stop working for existing volumes!)
#   bash docker/make-env.sh --output PATH   # write elsewhere
# Needs only bash, coreutils and /dev/urandom.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
example="$here/.env.example"
out="$here/.env"
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --output) out="$2"; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "make-env: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$example" ] || { echo "make-env: $example is missing" >&2; exit 1; }
if [ -e "$out" ] && [ "$force" != 1 ]; then
  echo "make-env: $out exists; keeping it (use --force to replace it, which changes every password)" >&2
  exit 1
fi

alnum() {  # N random letters and digits (no pipe that could die of SIGPIPE under pipefail)
  local s=""
  while [ "${#s}" -lt "$1" ]; do s+="$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"; done
  printf '%s' "${s:0:$1}"
}
fernet() { head -c 32 /dev/urandom | base64 | tr '+/' '-_'; }  # url-safe base64 of 32 random bytes (44 chars)

value_for() {  # variable name -> generated value (empty: keep the example's)
  case "$1" in
    ELASTIC_PASSWORD|KIBANA_PASSWORD|POSTGRES_PASSWORD|REDIS_PASSWORD) alnum 24 ;;
    AIRFLOW_ADMIN_PASSWORD) alnum 16 ;;
    AIRFLOW_SECRET_KEY) alnum 32 ;;
    AIRFLOW_JWT_SECRET|KIBANA_ENCRYPTION_KEY) alnum 48 ;;
    AIRFLOW_FERNET_KEY|NEWSETL_WATCH_SECRET_KEY) fernet ;;
    AIRFLOW_UID) id -u | sed 's/^0$/50000/' ;;  # files on the volumes belong to you; never root
    *) ;;
  esac
}

tmp="$(mktemp "${out}.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line || [ -n "$line" ]; do
  if [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]]; then
    name="${BASH_REMATCH[1]}"; current="${BASH_REMATCH[2]}"
    new="$(value_for "$name")"
    if [ -n "$new" ] && { [ -z "$current" ] || [ "$name" = AIRFLOW_UID ]; }; then
      line="$name=$new"
    fi
  fi
  printf '%s\n' "$line"
done <"$example" >"$tmp"
chmod 600 "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "make-env: wrote $out (keep it private; it is in .gitignore)"
