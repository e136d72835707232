#!/usr/bin/env bash
# Start the action server (5055) and the Rasa server with the REST channel (5005); both log here.
# Ctrl-C stops both. Ports and files can be changed with RASA_PORT, ACTION_PORT, MODEL, ENDPOINTS.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
MODEL=${MODEL:-models/assistant.tar.gz}
ENDPOINTS=${ENDPOINTS:-endpoints.yml}
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
mkdir -p var
PY=.venv/bin/python
$PY -m rasa_sdk --actions actions --port "$ACTION_PORT" &
ACTIONS_PID=$!
$PY -m rasa run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials credentials.yml \
    --port "$RASA_PORT" --enable-api --cors "*" &
RASA_PID=$!
trap 'kill $ACTIONS_PID $RASA_PID 2>/dev/null; wait 2>/dev/null; echo stopped' INT TERM EXIT
echo "REST channel: http://localhost:$RASA_PORT/webhooks/rest/webhook  (Ctrl-C stops both servers)"
wait -n $ACTIONS_PID $RASA_PID
