#!/usr/bin/env bash
# One-shot, in the Elasticsearch image: give the built-in kibana_system user the password from .env, so Kibana can
# log in to Elasticsearch. Idempotent: setting the same password again is harmless.
set -euo pipefail

ES_URL="${ES_URL:-http://elasticsearch:9200}"
: "${ELASTIC_PASSWORD:?ELASTIC_PASSWORD is not set (see .env.example)}"
: "${KIBANA_PASSWORD:?KIBANA_PASSWORD is not set (see .env.example)}"

echo "es-setup: waiting for Elasticsearch at $ES_URL"
for i in $(seq 1 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -u "elastic:${ELASTIC_PASSWORD}" "$ES_URL/_security/_authenticate" || true)
  [ "$code" = "200" ] && break
  if [ "$code" = "401" ]; then
    echo "es-setup: Elasticsearch refused the elastic user's password (401). ELASTIC_PASSWORD only takes effect" \
         "when the data volume is first created: use the old password, or remove the volume (docker compose down -v)." >&2
    exit 1
  fi
  sleep 2
done
[ "$code" = "200" ] || { echo "es-setup: Elasticsearch did not answer at $ES_URL (last HTTP code: $code)" >&2; exit 1; }

echo "es-setup: setting the kibana_system password"
body=$(printf '{"password":"%s"}' "$KIBANA_PASSWORD")
out=$(curl -sS -w '\n%{http_code}' -u "elastic:${ELASTIC_PASSWORD}" -H 'Content-Type: application/json' \
      -X POST "$ES_URL/_security/user/kibana_system/_password" -d "$body")
code=${out##*$'\n'}
if [ "$code" != "200" ]; then
  echo "es-setup: could not set the kibana_system password: HTTP $code ${out%$'\n'*}" >&2
  exit 1
fi
echo "es-setup: done"
