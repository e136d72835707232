# Sourced (bash) by scripts/run.sh and scripts/run-cluster.sh when YANGLAO_PROFILE=production: checks the
# variables deploy/endpoints.production.yml reads, fills in the optional ones and exports them. Secrets come from
# the environment only (a secret manager, a Kubernetes Secret, an env file outside the repo) — never this file.
#
#   required: DB_HOST DB_NAME DB_USER DB_PASSWORD REDIS_HOST
#   optional: DB_PORT (5432) DB_SSLMODE (prefer) REDIS_PORT (6379) REDIS_PASSWORD (none) REDIS_LOCK_DB (1)
#             ACTION_URL (http://127.0.0.1:$ACTION_PORT/webhook: the action server run.sh starts), or instead
#             ACTIONS_MODULE=actions: the actions run inside each Rasa server, no action server (faster per turn;
#             action servers scale the actions apart from the Rasa servers)
#             WECHAT_REDIS_DB (2) — WECHAT_REDIS_URL is made from REDIS_* unless set: the WeChat channel's
#             shared dedupe and access-token cache (bot/channels/wechat/)
#             TICKET_LOCK_LIFETIME (15 s: how long a crashed turn can hold its conversation's lock)

_yanglao_missing=()
for _v in DB_HOST DB_NAME DB_USER DB_PASSWORD REDIS_HOST; do
  [ -n "${!_v:-}" ] || _yanglao_missing+=("$_v")
done
if [ ${#_yanglao_missing[@]} -gt 0 ]; then
  echo "production profile: set ${_yanglao_missing[*]} (see deploy/README.md)" >&2
  exit 2
fi
unset _v _yanglao_missing

export DB_HOST DB_NAME DB_USER DB_PASSWORD REDIS_HOST
export DB_PORT=${DB_PORT:-5432}
export DB_SSLMODE=${DB_SSLMODE:-prefer}
export REDIS_PORT=${REDIS_PORT:-6379}
export REDIS_PASSWORD=${REDIS_PASSWORD:-}
export REDIS_LOCK_DB=${REDIS_LOCK_DB:-1}
export ACTIONS_MODULE=${ACTIONS_MODULE:-}
if [ -n "$ACTIONS_MODULE" ]; then
  if [ -n "${ACTION_URL:-}" ]; then
    echo "production profile: set ACTION_URL (an action server) or ACTIONS_MODULE (actions in process), not both" >&2
    exit 2
  fi
  export ACTION_URL=""
else
  export ACTION_URL=${ACTION_URL:-http://127.0.0.1:${ACTION_PORT:-5055}/webhook}
fi
export TICKET_LOCK_LIFETIME=${TICKET_LOCK_LIFETIME:-15}
if [ -z "${WECHAT_REDIS_URL:-}" ]; then
  # the password URL-encoded, so any character works
  _pw=$(REDIS_PASSWORD="$REDIS_PASSWORD" "${PY:-python3}" -c \
        'import os, urllib.parse; print(urllib.parse.quote(os.environ["REDIS_PASSWORD"], safe=""))')
  WECHAT_REDIS_URL="redis://${_pw:+:$_pw@}$REDIS_HOST:$REDIS_PORT/${WECHAT_REDIS_DB:-2}"
  unset _pw
fi
export WECHAT_REDIS_URL
