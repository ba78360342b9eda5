#!/usr/bin/env bash
# Installs what the tests need and runs the whole suite:
#   ruff check · mypy gongkai · makemigrations --check · pytest on SQLite · pytest on PostgreSQL (optional)
#
# Usage: scripts/test.sh [--postgres] [PYTEST_ARGS...]
#   --postgres      also run pytest on PostgreSQL, at $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test.
#                   A set DATABASE_URL turns this leg on by itself. Django's test database is `test_<name>`
#                   (with -n 2: test_<name>_gw0, _gw1), so the user needs CREATEDB.
#   PYTEST_ARGS     passed to pytest in every leg, e.g. `scripts/test.sh -k calendar` or `-- -x tests/test_a.py`.
# Environment:
#   PYTHON                 interpreter for a new .venv (default python3, must be >= 3.11)
#   GONGKAI_STRICT_MYPY=0  only report mypy errors (default 1: mypy errors fail the run)
#   GONGKAI_TEST_WORKERS   pytest-xdist workers (default 2; 0 = one process)
# Exit status: 0 only when every step passed; pytest collecting no tests (its exit 5) counts as a failure.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

postgres=0
pytest_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --postgres) postgres=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    --)
      shift
      pytest_args+=("$@")
      break
      ;;
    *) pytest_args+=("$1") ;;
  esac
  shift
done
[ -n "${DATABASE_URL:-}" ] && postgres=1
pg_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
# Do not keep PostgreSQL connections between requests in tests: the live-server threads would otherwise hold
# the test database open and Django could not drop it at the end.
export GONGKAI_DB_CONN_MAX_AGE=0
pg_shown=$(printf '%s' "$pg_url" | sed -E 's#(//[^:/@]*):[^@/]*@#\1:***@#') # the URL without its password
workers=${GONGKAI_TEST_WORKERS:-2}

header "set-up"
ensure_python
# python3-venv: virtual environments; fonts-noto-cjk: Chinese text in PDFs; libpango*: WeasyPrint;
# chromium: browser tests (/usr/bin/chromium); poppler-utils: pdftotext/pdffonts in the PDF tests;
# gettext: xgettext, the extraction of msgids (tests/i18n, `gongkai i18n-update`).
# PostgreSQL needs nothing here: psycopg[binary] brings libpq.
ensure_system_packages python3-venv fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 chromium poppler-utils gettext
ensure_venv test

results=()
failed=0
record() { # record NAME STATUS_TEXT [failed]
  results+=("$(printf '%-22s %s' "$1" "$2")")
  [ "${3:-}" = failed ] && failed=1
  return 0
}

header "ruff check"
if ruff check . && ruff format --check .; then record "ruff" "ok"; else record "ruff" "FAILED" failed; fi

header "mypy gongkai"
# mypy --strict is binding: the code base is clean and must stay so. GONGKAI_STRICT_MYPY=0 only reports errors
# (useful while a large change is under way; never in CI).
mypy_note=""
mypy_log=$(mktemp)
trap 'rm -f "$mypy_log"' EXIT
if mypy gongkai 2>&1 | tee "$mypy_log"; then
  record "mypy" "ok"
else
  mypy_summary=$(grep -E '^(Found [0-9]+ error|error:)' "$mypy_log" | tail -n 1 || true)
  if [ "${GONGKAI_STRICT_MYPY:-1}" = 1 ]; then
    record "mypy" "FAILED: ${mypy_summary:-see above}" failed
  else
    record "mypy" "not clean (not enforced: GONGKAI_STRICT_MYPY=0): ${mypy_summary:-see above}"
    mypy_note=" (mypy is not clean: reported, not enforced)"
  fi
fi

header "migrations are committed (makemigrations --check)"
if env -u DATABASE_URL gongkai makemigrations --check --dry-run; then
  record "migrations" "ok"
else
  record "migrations" "FAILED: a model change has no migration (run: gongkai makemigrations)" failed
fi

# run_pytest LABEL [VAR=VALUE...]: runs pytest under `env` with those changes (-u NAME unsets).
run_pytest() {
  local label=$1 rc=0
  shift
  # --dist loadgroup: tests/xdist_scheduling.py runs each module whose world is costly (the demo city, the
  # studio's exports, …) on one worker, first, and every other test on its own in pytest-django's order, so the
  # transactional tests (which empty the tables, data migrations' rows included) run after the others on each
  # worker.
  env "$@" pytest -n "$workers" --dist loadgroup "${pytest_args[@]}" || rc=$?
  case $rc in
    0) record "pytest $label" "ok" ;;
    5)
      printf '\nERROR: pytest ran no tests on %s (exit 5): the suite is empty or the selection matched nothing.\n' \
        "$label" >&2
      record "pytest $label" "FAILED: no tests were collected (pytest exit 5)" failed
      ;;
    *) record "pytest $label" "FAILED (pytest exit $rc)" failed ;;
  esac
}

header "pytest on SQLite (DATABASE_URL unset)"
run_pytest "SQLite" -u DATABASE_URL

if [ "$postgres" = 1 ]; then
  header "pytest on PostgreSQL ($pg_shown)"
  # A clear message beats a wall of connection errors from every test.
  if DATABASE_URL=$pg_url python - <<'PY'; then
import os, sys
import psycopg

try:
    psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5).close()
except psycopg.Error as exc:
    sys.exit(f"ERROR: cannot connect to PostgreSQL ({exc}).\n"
             "Start it (see .ci/run) or point DATABASE_URL at a server where the user may create databases.")
PY
    run_pytest "PostgreSQL" DATABASE_URL="$pg_url"
  else
    record "pytest PostgreSQL" "FAILED: cannot connect to $pg_shown" failed
  fi
fi

header "summary"
printf '%s\n' "${results[@]}"
if [ "$failed" = 1 ]; then
  printf '\nFAILED: see the steps marked FAILED above.\n'
  exit 1
fi
printf '\nAll enforced steps passed%s.\n' "$mypy_note"
