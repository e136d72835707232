#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 installs on 3.8–3.10 only, not 3.11).
# Looks at $PYTHON310, python3.10 on PATH, then pyenv's versions; fails with a clear message.
set -u
candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
roots=()
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root 2>/dev/null)")
roots+=("${PYENV_ROOT:-}" "$HOME/.pyenv" /root/.pyenv /opt/pyenv)
for r in "${roots[@]}"; do
  [ -n "$r" ] || continue
  for p in $(ls -d "$r"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do candidates+=("$p"); done
done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)
for c in "${candidates[@]}"; do
  if [ -x "$c" ] && "$c" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$c"; exit 0
  fi
done
echo "error: no Python 3.10 found (Rasa 3.6.21 needs 3.8–3.10). Install one (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10" >&2
exit 1
