#!/usr/bin/env bash
# Runs gongkai with its bundled production server: the huey worker (`gongkai run_huey`) in the background and the
# web server (`gongkai serve`, gunicorn) in the foreground. Ctrl-C or SIGTERM stops both. For a single host
# without systemd; under systemd use deploy/systemd/ instead (docs/deploy.md).
#
# It installs nothing and migrates nothing: run `gongkai migrate` (and in production `gongkai collectstatic`) first.
#
# Usage: scripts/serve.sh [--no-worker] [gongkai serve options: --bind ADDRESS --workers N --threads N --timeout S]
# Environment: as for any gongkai command (docs/configuration.md), e.g. GONGKAI_BIND, GONGKAI_WEB_WORKERS,
#   GONGKAI_ENV and the keys in production; GONGKAI=path of the gongkai command (default: .venv/bin/gongkai of
#   this checkout, else the one on PATH). The worker's output goes to <data dir>/huey.log.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gongkai=${GONGKAI:-}
if [ -z "$gongkai" ]; then
  if [ -x "$root/.venv/bin/gongkai" ]; then gongkai="$root/.venv/bin/gongkai"; else gongkai=$(command -v gongkai || true); fi
fi
[ -n "$gongkai" ] || { echo "ERROR: no gongkai command (install it, or set GONGKAI=/path/to/gongkai)" >&2; exit 1; }

worker=1
args=()
for arg in "$@"; do
  case $arg in
    --no-worker) worker=0 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) args+=("$arg") ;;
  esac
done

# Fails here, with the reason, if the settings are incomplete (in production: the keys).
data_dir=$("$gongkai" shell -c 'from django.conf import settings; print(settings.DATA_DIR)' | tail -n 1)

worker_pid=""
server_pid=""
# shellcheck disable=SC2317 # runs from the EXIT trap
stop() { # stop NAME PID SIGNAL: the signal, up to 30 s to finish, then SIGKILL
  local name=$1 pid=$2 signal=$3
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  echo "==> stopping the $name (pid $pid)"
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317
cleanup() {
  stop "web server" "$server_pid" TERM # gunicorn: graceful stop
  stop "worker" "$worker_pid" INT      # huey: finish the running tasks, then exit
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$worker" = 1 ]; then
  echo "==> starting the worker: gongkai run_huey (log: $data_dir/huey.log)"
  "$gongkai" run_huey >>"$data_dir/huey.log" 2>&1 &
  worker_pid=$!
fi
"$gongkai" serve "${args[@]+"${args[@]}"}" &
server_pid=$!
rc=0
wait "$server_pid" || rc=$?
server_pid=""
exit "$rc"
