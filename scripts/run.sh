#!/usr/bin/env bash
# Start the Rasa server with the REST channel (5005), and the action server (5055) when the endpoints file calls
# one by URL (the production profile; the default runs the actions inside the Rasa server); both log here.
# Ctrl-C stops both. Ports and files can be changed with RASA_PORT, ACTION_PORT, MODEL, ENDPOINTS.
# CORS_ORIGINS: the origins (space-separated) whose pages may call the server from the browser, i.e. the portals
# that embed the chat widget, e.g. CORS_ORIGINS="https://www.jining.gov.cn https://www.zaozhuang.gov.cn".
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
MODEL=${MODEL:-models/assistant.tar.gz}
PY=.venv/bin/python
# Profile: YANGLAO_PROFILE=production uses PostgreSQL + Redis (deploy/endpoints.production.yml; its variables are
# checked by deploy/production.env.sh, see deploy/README.md); the default is the embedded SQLite store. The profile
# and the endpoints file (ENDPOINTS, else YANGLAO_ENDPOINTS, else the profile's) are bot/settings.py's answers, as
# in the servers; a wrong YANGLAO_PROFILE or YANGLAO_ENV stops here.
PROFILE=$($PY -m bot.settings profile) || exit 2
if [ "$PROFILE" = production ]; then PY=$PY source deploy/production.env.sh; fi
ENDPOINTS=${ENDPOINTS:-$($PY -m bot.settings endpoints)}
read -r -a CORS <<< "${CORS_ORIGINS:-http://localhost:$RASA_PORT}"
# Rasa's HTTP API (/conversations/…, /model/…) only with a token: RASA_API_TOKEN=… make run.
API=()
[ -n "${RASA_API_TOKEN:-}" ] && API=(--enable-api --auth-token "$RASA_API_TOKEN")
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
# Both servers read the tracker store's database (case codes, review queue) from this file: bot/handoff/settings.py.
export YANGLAO_ENDPOINTS="$ENDPOINTS"
mkdir -p var
PIDS=()
# The endpoints file read as Rasa reads it: an unset ${VAR} in it stops here, naming it.
ACTION_SERVER_URL=$($PY -m bot.settings action-url "$ENDPOINTS") || exit 2
if [ -n "$ACTION_SERVER_URL" ]; then
  $PY -m rasa_sdk --actions actions --port "$ACTION_PORT" &
  PIDS+=($!)
fi
$PY -m rasa run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials credentials.yml \
    --port "$RASA_PORT" "${API[@]}" --cors "${CORS[@]}" &
PIDS+=($!)
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; echo stopped' INT TERM EXIT
echo "REST channel: http://localhost:$RASA_PORT/webhooks/rest/webhook; portal: http://localhost:$RASA_PORT/portal;"
echo "operator console: http://localhost:$RASA_PORT/console  (Ctrl-C stops the server${PIDS[1]:+s})"
wait -n "${PIDS[@]}"
