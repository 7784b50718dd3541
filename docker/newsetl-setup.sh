#!/usr/bin/env bash
# One-shot, in the newsetl image: create the index template and aliases, then import the Kibana saved objects (data
# view, saved searches, "News overview" dashboard) once Kibana is available. Idempotent: safe on every `up`.
set -euo pipefail

echo "newsetl-setup: index template and aliases"
newsetl index ensure

echo "newsetl-setup: Kibana saved objects"
newsetl kibana import --overwrite --wait "${KIBANA_WAIT_SECONDS:-600}" --url "${NEWSETL_KIBANA_URL:-http://kibana:5601}"
echo "newsetl-setup: done"
