#!/bin/sh
# Creates the laptop stack's secrets once, in the directory given (compose mounts the `secrets` volume there), so
# no secret is written in compose.yaml or kept in git. Each file is readable only by the one service that needs it.
# Running it again keeps the existing secrets: PostgreSQL keeps the password it was initialised with.
# Owners default to the images' users; tests override them to run without root.
set -eu

dir=${1:?usage: generate-secrets.sh DIRECTORY}
postgres_uid=${POSTGRES_UID:-70}
links_uid=${LINKS_UID:-10001}
grafana_uid=${GRAFANA_UID:-472}
alertmanager_uid=${ALERTMANAGER_UID:-65534}

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# write FILE OWNER CONTENT: atomically, so a crash never leaves a half-written secret that a rerun would keep.
# chmod comes before chown: the container has CAP_CHOWN but not CAP_FOWNER, so once the file belongs to its
# reader, root may no longer change its mode.
write() {
  umask 077
  printf '%s\n' "$3" >"$dir/$1.tmp"
  chmod 0400 "$dir/$1.tmp"
  chown "$2:$2" "$dir/$1.tmp"
  mv "$dir/$1.tmp" "$dir/$1"
}

if [ -f "$dir/links.env" ]; then
  echo "secrets already present in $dir"
  exit 0
fi

database_password=$(random_hex 24)
write postgres-password "$postgres_uid" "$database_password"
write grafana-admin-password "$grafana_uid" "$(random_hex 16)"
# Alertmanager reads the Slack webhooks from files (observability/alertmanager/alertmanager.yaml). A laptop has
# no Slack: the placeholder points at the discard port, so a notification fails at once and is logged. Write a
# real webhook URL into these files to receive alerts.
mkdir -p "$dir/alertmanager-slack"
for hook in paging-webhook-url alerts-webhook-url; do
  write "alertmanager-slack/$hook" "$alertmanager_uid" "http://127.0.0.1:9/slack-webhook-not-configured"
done
chmod 0500 "$dir/alertmanager-slack"
chown "$alertmanager_uid:$alertmanager_uid" "$dir/alertmanager-slack"
# links.env is last: its presence marks a complete set (see the check above).
write links.env "$links_uid" "DATABASE_URL=postgres://links:$database_password@postgres:5432/links
SESSION_SECRET=$(random_hex 32)"
echo "generated secrets in $dir"
