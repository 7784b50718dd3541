#!/usr/bin/env bash
# One-shot, in the newsetl image, as root: prepare the shared volumes, migrate the Airflow metadata database and set
# the admin password of Airflow's simple auth manager. Idempotent.
set -euo pipefail

uid="${AIRFLOW_UID:-50000}"
user="${AIRFLOW_ADMIN_USER:-admin}"
: "${AIRFLOW_ADMIN_PASSWORD:?AIRFLOW_ADMIN_PASSWORD is not set (see .env.example)}"

if [ "$uid" = "0" ]; then
  echo "airflow-init: AIRFLOW_UID=0 would run Airflow as root; set it to your user id (id -u) or keep 50000" >&2
  exit 1
fi

mkdir -p /opt/newsetl/storage /opt/airflow/logs /opt/airflow/auth
chown -R "${uid}:0" /opt/newsetl/storage /opt/airflow/logs /opt/airflow/auth
chmod -R g+rwX /opt/newsetl/storage /opt/airflow/logs

# The simple auth manager keeps the users' passwords in this JSON file; it only generates one for a user missing here.
python - "$user" <<'PY'
import json, os, sys
path = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
with open(path, "w") as f:
    json.dump({sys.argv[1]: os.environ["AIRFLOW_ADMIN_PASSWORD"]}, f)
    f.write("\n")
PY
chown "${uid}:0" "$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"
chmod 600 "$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"

echo "airflow-init: migrating the metadata database"
airflow db migrate
echo "airflow-init: creating the pools the DAGs use (ingest.*_pool in config/newsetl.yaml)"
python -m pipeline.dagkit pools --apply
echo "airflow-init: done (Airflow $(airflow version))"
