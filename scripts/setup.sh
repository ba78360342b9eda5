# shellcheck shell=bash
# Shared set-up logic for scripts/demo.sh and scripts/test.sh. It is sourced, never run on its own.
#
# Sourcing it moves to the repository root (so the scripts work from any directory) and defines:
#   ensure_python                     check ${PYTHON:-python3} exists and is Python >= 3.11
#   ensure_system_packages PKG...     check Debian packages with dpkg-query; install the missing ones when root,
#                                     otherwise print the `sudo apt-get install` line (and stop only when no
#                                     virtual environment can be made without them)
#   ensure_venv [EXTRAS]              create or reuse .venv, `pip install -e .[EXTRAS]` quietly, put .venv/bin on PATH,
#                                     compile the translation catalogues
#   say / warn / die / header         output helpers
#
# Variables read: PYTHON (default python3).

GONGKAI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$GONGKAI_ROOT" || exit 1
VENV="$GONGKAI_ROOT/.venv"
PY=${PYTHON:-python3}
MIN_PYTHON=3.11

say() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}
header() { printf '\n======== %s ========\n' "$*"; }

# True when PYTHON_BIN is at least MIN_PYTHON.
python_is_recent() {
  "$1" -c "import sys; sys.exit(0 if sys.version_info >= tuple(map(int, '$MIN_PYTHON'.split('.'))) else 1)" \
    2>/dev/null
}

ensure_python() {
  command -v "$PY" >/dev/null 2>&1 || die "no Python found: '$PY' is not on PATH (set PYTHON=/path/to/python3.11)"
  if ! python_is_recent "$PY"; then
    local found
    found=$("$PY" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo "unknown")
    die "gongkai needs Python >= $MIN_PYTHON, but $PY is Python $found (set PYTHON=/path/to/python$MIN_PYTHON or newer)"
  fi
}

# Can a virtual environment with pip be made? (On Debian the system Python needs python3-venv for ensurepip.)
venv_possible() {
  [ -x "$VENV/bin/python" ] && python_is_recent "$VENV/bin/python" && return 0
  "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1
}

ensure_system_packages() {
  local pkg missing=()
  if ! command -v dpkg-query >/dev/null 2>&1; then
    warn "not a Debian system (no dpkg-query): cannot check the system packages; gongkai expects: $*"
    return 0
  fi
  for pkg in "$@"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != "installed" ]; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if [ "$(id -u)" -eq 0 ]; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # The lock timeout waits for another apt/dpkg run to finish instead of failing at once.
    { apt-get -qq -o DPkg::Lock::Timeout=300 update &&
      apt-get -qq -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${missing[@]}" >/dev/null; } ||
      die "apt-get could not install: ${missing[*]}"
    return 0
  fi

  printf '\nSome system packages are missing. Install them with:\n\n    sudo apt-get install -y %s\n\n' \
    "${missing[*]}" >&2
  if ! venv_possible; then
    case " ${missing[*]} " in
      *" python3-venv "*) die "cannot create a virtual environment without python3-venv (install it with the line above)" ;;
      *) die "$PY cannot create a virtual environment (no venv/ensurepip module): use another PYTHON" ;;
    esac
  fi
  warn "continuing without ${missing[*]}: what needs them (PDF fonts, browser tests, pdftotext) will skip or fail"
}

# ensure_venv [EXTRAS]: e.g. `ensure_venv test` installs .[test].
ensure_venv() {
  local extras=${1:-} spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  if [ -x "$VENV/bin/python" ] && python_is_recent "$VENV/bin/python" &&
    "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    say "reusing $VENV ($("$VENV/bin/python" -V 2>&1))"
  else
    [ -e "$VENV" ] && warn "$VENV is unusable (broken, no pip, or Python < $MIN_PYTHON): recreating it"
    say "creating $VENV with $PY ($("$PY" -V 2>&1))"
    "$PY" -m venv --clear "$VENV" ||
      die "'$PY -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"
  fi
  say "pip install -e '$spec' (quiet; the first run downloads the dependencies)"
  # The filter drops pip's notes about local package folders that a machine's pip.conf may name but not have.
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q -e "$spec" 2>&1 |
    { grep -v "^WARNING: Location 'file:.*' is ignored: it is neither a file nor a directory\.$" || true; } ||
    die "pip install -e '$spec' failed (see the messages above)"
  export VIRTUAL_ENV="$VENV"
  export PATH="$VENV/bin:$PATH"
  # The zh-Hant and English catalogues (gongkai/locale/*/LC_MESSAGES/*.po → .mo, with polib: no gettext needed).
  "$VENV/bin/python" -m gongkai.ops.catalogues compile >/dev/null || die "could not compile the translation catalogues"
}
