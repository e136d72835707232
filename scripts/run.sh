#!/usr/bin/env bash
# Start the action server (5055) and the Rasa server with the REST channel (5005); both log here.
# Ctrl-C stops both. Ports and files can be changed with RASA_PORT, ACTION_PORT, MODEL, ENDPOINTS.
# CORS_ORIGINS: the origins (space-separated) whose pages may call the server from the browser, i.e. the portals
# that embed the chat widget, e.g. CORS_ORIGINS="https://www.jining.gov.cn https://www.zaozhuang.gov.cn".
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
MODEL=${MODEL:-models/assistant.tar.gz}
# Profile: YANGLAO_PROFILE=production uses PostgreSQL + Redis (deploy/endpoints.production.yml; its variables are
# checked by deploy/production.env.sh, see deploy/README.md); the default is the embedded SQLite store.
case "${YANGLAO_PROFILE:-default}" in
  default) ENDPOINTS=${ENDPOINTS:-endpoints.yml} ;;
  production) PY=.venv/bin/python source deploy/production.env.sh
              ENDPOINTS=${ENDPOINTS:-deploy/endpoints.production.yml} ;;
  *) echo "YANGLAO_PROFILE must be default or production, not '$YANGLAO_PROFILE'" >&2; exit 2 ;;
esac
read -r -a CORS <<< "${CORS_ORIGINS:-http://localhost:$RASA_PORT}"
# Rasa's HTTP API (/conversations/…, /model/…) only with a token: RASA_API_TOKEN=… make run.
API=()
[ -n "${RASA_API_TOKEN:-}" ] && API=(--enable-api --auth-token "$RASA_API_TOKEN")
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
# Both servers read the tracker store's database (case codes, review queue) from this file: bot/handoff/settings.py.
export YANGLAO_ENDPOINTS="$ENDPOINTS"
mkdir -p var
PY=.venv/bin/python
$PY -m rasa_sdk --actions actions --port "$ACTION_PORT" &
ACTIONS_PID=$!
$PY -m rasa run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials credentials.yml \
    --port "$RASA_PORT" "${API[@]}" --cors "${CORS[@]}" &
RASA_PID=$!
trap 'kill $ACTIONS_PID $RASA_PID 2>/dev/null; wait 2>/dev/null; echo stopped' INT TERM EXIT
echo "REST channel: http://localhost:$RASA_PORT/webhooks/rest/webhook; portal: http://localhost:$RASA_PORT/portal;"
echo "operator console: http://localhost:$RASA_PORT/console  (Ctrl-C stops both servers)"
wait -n $ACTIONS_PID $RASA_PID
