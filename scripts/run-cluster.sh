#!/usr/bin/env bash
# N Rasa servers and M action servers behind nginx on this machine, in the production profile: conversations in
# PostgreSQL, per-conversation locks (and the WeChat channel's dedupe and token cache) in Redis. PostgreSQL and
# Redis must be running already; they are given as for YANGLAO_PROFILE=production (DB_HOST, DB_NAME, DB_USER,
# DB_PASSWORD, REDIS_HOST, …: deploy/production.env.sh, deploy/README.md). Everything logs to $RUN_DIR;
# Ctrl-C (or SIGTERM) stops every process it started, and so does any one of them exiting.
#
#   RASA_SERVERS      number of Rasa servers (2)          RASA_BASE_PORT    first Rasa port (5005; then 5006, …)
#   ACTION_SERVERS    number of action servers (2; 0: the actions run inside each Rasa server, ACTIONS_MODULE)
#   ACTION_BASE_PORT  first action port (5055; then 5056, …)
#   PORT              nginx's public port (8080)           ACTION_LB_PORT    nginx → action servers, loopback (5054)
#   RUN_DIR           logs, pid files, nginx.conf (var/cluster)
#   MODEL             models/assistant.tar.gz              CORS_ORIGINS      as for scripts/run.sh
#   CREDENTIALS       channels file (credentials.yml)
#   RASA_API_TOKEN    if set, Rasa's HTTP API (/conversations, …) is enabled on the servers' own ports with it
#   SANIC_PROXIES_COUNT  proxies in front of the Rasa servers whose X-Forwarded-For they trust (1: this nginx)
#   RESTART_EXITED    1: a Rasa or action server that exits (crash, kill -9) is started again on its port, as
#                     Kubernetes restarts a container (the soak test kills one this way); nginx exiting still stops
#                     all. Default 0: any process exiting stops all.
#
# The Rasa servers and action servers listen on 127.0.0.1 only; nginx listens on $PORT (all interfaces).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PY:-$ROOT/.venv/bin/python}
RASA_SERVERS=${RASA_SERVERS:-2}
ACTION_SERVERS=${ACTION_SERVERS:-2}
PORT=${PORT:-8080}
RASA_BASE_PORT=${RASA_BASE_PORT:-5005}
ACTION_BASE_PORT=${ACTION_BASE_PORT:-5055}
ACTION_LB_PORT=${ACTION_LB_PORT:-5054}
RUN_DIR=${RUN_DIR:-$ROOT/var/cluster}
MODEL=${MODEL:-models/assistant.tar.gz}
CREDENTIALS=${CREDENTIALS:-credentials.yml}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

[[ $RASA_SERVERS =~ ^[1-9][0-9]*$ ]] || { echo "RASA_SERVERS must be a positive number" >&2; exit 2; }
[[ $ACTION_SERVERS =~ ^(0|[1-9][0-9]*)$ ]] || { echo "ACTION_SERVERS must be a number (0: actions in process)" >&2; exit 2; }
[ -x "$NGINX" ] || { echo "nginx not found: scripts/install-services.sh installs it" >&2; exit 2; }
[ -f "$MODEL" ] || { echo "$MODEL missing: make train" >&2; exit 2; }

if [ "$ACTION_SERVERS" -eq 0 ]; then  # the actions inside each Rasa server (deploy/endpoints.production.yml)
  export ACTIONS_MODULE=actions
  unset ACTION_URL
else
  export ACTION_URL=${ACTION_URL:-http://127.0.0.1:$ACTION_LB_PORT/webhook}
fi
source deploy/production.env.sh
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# The servers see every client as nginx (127.0.0.1): Sanic takes the client's address from the last entry of
# nginx's X-Forwarded-For instead (a client's own X-Forwarded-For entries come before it and are not used), so
# per-address limits and the audit log see the real address. The servers listen on 127.0.0.1 only: nothing but
# nginx can reach them to send that header.
export SANIC_PROXIES_COUNT=${SANIC_PROXIES_COUNT:-1}

mkdir -p "$RUN_DIR/nginx-tmp"
chmod 755 "$RUN_DIR" "$RUN_DIR/nginx-tmp"  # nginx's workers (not root) write their temp files there

# nginx.conf from the template: one upstream line per process.
rasa_lines="" action_lines=""
for ((i = 0; i < RASA_SERVERS; i++)); do
  rasa_lines+="        server 127.0.0.1:$((RASA_BASE_PORT + i)) max_fails=1 fail_timeout=5s;"$'\n'
done
# Case codes and the review queue live in the tracker store's PostgreSQL database (bot/handoff/settings.py).
export YANGLAO_ENDPOINTS=deploy/endpoints.production.yml
for ((i = 0; i < ACTION_SERVERS; i++)); do
  action_lines+="        server 127.0.0.1:$((ACTION_BASE_PORT + i)) max_fails=1 fail_timeout=5s;"$'\n'
done
# nginx wants a server in every upstream: with no action servers, one marked down (nothing calls it)
[ "$ACTION_SERVERS" -eq 0 ] && action_lines="        server 127.0.0.1:$ACTION_LB_PORT down;"$'\n'
TEMPLATE="$ROOT/deploy/nginx.conf" RUN_DIR="$RUN_DIR" LISTEN="$PORT" ACTION_LISTEN="$ACTION_LB_PORT" \
RASA_LINES="$rasa_lines" ACTION_LINES="$action_lines" "$PY" - > "$RUN_DIR/nginx.conf" <<'EOF'
import os
text = open(os.environ["TEMPLATE"], encoding="utf-8").read()
for name, value in {"RUN_DIR": os.environ["RUN_DIR"], "LISTEN": os.environ["LISTEN"],
                    "ACTION_LISTEN": os.environ["ACTION_LISTEN"], "RASA_SERVERS": os.environ["RASA_LINES"].rstrip("\n"),
                    "ACTION_SERVERS": os.environ["ACTION_LINES"].rstrip("\n")}.items():
    text = text.replace(f"@{name}@", value)
assert "@" not in "".join(l for l in text.splitlines() if not l.lstrip().startswith("#")), "unfilled placeholder"
print(text, end="")
EOF
"$NGINX" -t -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" 2>"$RUN_DIR/nginx-test.log" || {
  cat "$RUN_DIR/nginx-test.log" >&2; exit 2; }

# The processes' current pids by name (rasa-0, actions-1, nginx): a restarted server replaces its entry.
declare -A PIDS=()
stop_all() {
  trap - INT TERM EXIT
  echo "run-cluster: stopping ${#PIDS[@]} processes"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -f "$RUN_DIR"/*.pid
  echo "run-cluster: stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

api=()
[ -n "${RASA_API_TOKEN:-}" ] && api=(--enable-api --auth-token "$RASA_API_TOKEN")
cors=()
[ -n "${CORS_ORIGINS:-}" ] && { read -r -a origins <<< "$CORS_ORIGINS"; cors=(--cors "${origins[@]}"); }

# One function per kind of process, so that the supervisor below starts a server again exactly as at first.
start_actions() {
  "$PY" -m rasa_sdk --actions actions --port "$((ACTION_BASE_PORT + $1))" >>"$RUN_DIR/actions-$1.log" 2>&1 &
  PIDS[actions-$1]=$!; echo $! > "$RUN_DIR/actions-$1.pid"
}
start_rasa() {
  "$PY" -m rasa run --model "$MODEL" --endpoints deploy/endpoints.production.yml --credentials "$CREDENTIALS" \
      --interface 127.0.0.1 --port "$((RASA_BASE_PORT + $1))" "${api[@]}" "${cors[@]}" >>"$RUN_DIR/rasa-$1.log" 2>&1 &
  PIDS[rasa-$1]=$!; echo $! > "$RUN_DIR/rasa-$1.pid"
}
for ((i = 0; i < ACTION_SERVERS; i++)); do : >"$RUN_DIR/actions-$i.log"; start_actions "$i"; done
for ((i = 0; i < RASA_SERVERS; i++)); do : >"$RUN_DIR/rasa-$i.log"; start_rasa "$i"; done
"$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" &
PIDS[nginx]=$!

# Ready when every server answers (a Rasa server listens once its model is loaded).
urls=()
for ((i = 0; i < ACTION_SERVERS; i++)); do urls+=("http://127.0.0.1:$((ACTION_BASE_PORT + i))/health"); done
for ((i = 0; i < RASA_SERVERS; i++)); do urls+=("http://127.0.0.1:$((RASA_BASE_PORT + i))/"); done
urls+=("http://127.0.0.1:$PORT/")
"$PY" - "${urls[@]}" <<'EOF' &
import sys, time, urllib.request
# The servers first, nginx last: a probe through nginx before a server listens would make nginx mark that
# server failed (max_fails=1) and answer 502 for fail_timeout after "ready".
servers, balancer = list(sys.argv[1:-1]), sys.argv[-1]
deadline = time.time() + 300
for pending in (servers, [balancer]):
    while pending and time.time() < deadline:
        for url in list(pending):
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        pending.remove(url)
            except Exception:
                pass
        time.sleep(0.3)
    if pending:
        sys.exit(1)
EOF
waiter=$!
while kill -0 "$waiter" 2>/dev/null; do
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run-cluster: a process exited during start-up; logs in $RUN_DIR" >&2; exit 1; }
  done
  sleep 0.3
done
wait "$waiter" || { echo "run-cluster: not ready after 300 s; logs in $RUN_DIR" >&2; exit 1; }
echo "run-cluster: ready: http://127.0.0.1:$PORT ($RASA_SERVERS Rasa servers on $RASA_BASE_PORT.., $ACTION_SERVERS action servers on $ACTION_BASE_PORT.., logs in $RUN_DIR; Ctrl-C stops all)"

if [ "${RESTART_EXITED:-0}" != 1 ]; then
  wait -n "${PIDS[@]}" || true
  echo "run-cluster: a process exited; stopping the others (logs in $RUN_DIR)" >&2
  exit 1
fi
# Supervisor: a server that exits is started again (its log appended to); nginx has no state to lose, but without
# it nothing is served, so its exit stops all. The pause keeps a server that cannot start from spinning.
while true; do
  wait -n "${PIDS[@]}" || true
  for name in "${!PIDS[@]}"; do
    kill -0 "${PIDS[$name]}" 2>/dev/null && continue
    if [ "$name" = nginx ]; then
      echo "run-cluster: nginx exited; stopping the others (logs in $RUN_DIR)" >&2
      exit 1
    fi
    echo "run-cluster: $name (pid ${PIDS[$name]}) exited; starting it again"
    sleep 1
    "start_${name%-*}" "${name##*-}"
  done
done
