#!/usr/bin/env bash
# Installs gongkai and starts the demo site with the demo city loaded, on SQLite, with no other service:
# creates/reuses .venv, `pip install -e .`, `gongkai migrate`, `gongkai demo` (idempotent), then runs the huey
# worker (`gongkai run_huey`) in the background and the bundled web server (`gongkai serve`, gunicorn) in the
# foreground. Ctrl-C stops both. Its random keys are made on first start and kept in <data dir>/keys/.
#
# Usage: scripts/demo.sh [--port PORT]        (default port 8000, on 127.0.0.1)
# Environment:
#   PYTHON                     interpreter for a new .venv (default python3, must be >= 3.11)
#   GONGKAI_DEMO_NO_SERVER=1   install and load the demo data, then exit without starting anything
#   GONGKAI_DATA_DIR, DATABASE_URL, ...   as for any gongkai command (docs/configuration.md); by default the
#                              database, the huey queue and the worker's log are in var/
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

port=8000
while [ $# -gt 0 ]; do
  case $1 in
    --port)
      [ $# -ge 2 ] || die "--port needs a value"
      port=$2
      shift
      ;;
    --port=*) port=${1#--port=} ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
if ! [[ $port =~ ^[0-9]{1,5}$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  die "--port must be a number from 1 to 65535, not '$port'"
fi

ensure_python
# python3-venv: virtual environments; fonts-noto-cjk: Chinese text in generated PDFs; libpango*: WeasyPrint;
# poppler-utils: pdftotext, with which the report checker reads PDF reports (docs/checker-input.md).
ensure_system_packages python3-venv fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
ensure_venv "" # no extras

[ -n "${DATABASE_URL:-}" ] && say "DATABASE_URL is set: the demo uses that database, not the default SQLite file"
say "gongkai migrate"
gongkai migrate --noinput
if gongkai help demo >/dev/null 2>&1; then
  say "gongkai demo (loads the demo city; safe to run again)"
  gongkai demo
else
  warn "this checkout has no 'gongkai demo' command yet: starting without demo data"
fi

if [ "${GONGKAI_DEMO_NO_SERVER:-0}" = 1 ]; then
  say "installed and loaded; GONGKAI_DEMO_NO_SERVER=1, so no server started"
  exit 0
fi

# Where gongkai keeps its data (settings.DATA_DIR): the worker's log goes there too.
data_dir=$(python -c 'from gongkai import settings; print(settings.DATA_DIR)' 2>/dev/null || echo "$GONGKAI_ROOT/var")
worker_log="$data_dir/huey-demo.log"

# Both processes run in the background and this script waits for the server, so that Ctrl-C (SIGINT) and a plain
# `kill` of the script (SIGTERM) both stop both (gunicorn stops its workers on SIGTERM).
worker_pid=""
server_pid=""
# shellcheck disable=SC2317 # both functions run from the EXIT trap
stop_process() { # stop_process NAME PID: SIGTERM, up to 5 s to finish, then SIGKILL
  local name=$1 pid=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  say "stopping the $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317
cleanup() {
  stop_process "web server" "$server_pid"
  stop_process "background worker" "$worker_pid"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting the background worker: gongkai run_huey (log: $worker_log)"
gongkai run_huey >>"$worker_log" 2>&1 &
worker_pid=$!
sleep 1
kill -0 "$worker_pid" 2>/dev/null || die "the worker stopped at once; see $worker_log"

cat <<MSG

  gongkai demo:   http://127.0.0.1:$port/
  staff log-in:   http://127.0.0.1:$port/accounts/login/   (Django admin: http://127.0.0.1:$port/admin/)
                  the demo accounts and their passwords are the ones 'gongkai demo' printed above
  stop:           Ctrl-C (stops the worker too)

MSG
# The production server on the loopback; the app serves its own static files (WhiteNoise), so no collectstatic.
gongkai serve --bind "127.0.0.1:$port" --workers 2 &
server_pid=$!
rc=0
wait "$server_pid" || rc=$?
server_pid=""
exit "$rc"
