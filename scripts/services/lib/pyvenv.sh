#!/usr/bin/env bash
# Sourced by the service scripts that install PyPI packages into a venv under .tmp (ironic39.sh, pyclients-latest.sh,
# schemathesis.sh, tempest-latest.sh, inspector-client.sh). Lives in lib/ because scripts/test-all.sh runs every scripts/services/*.sh.
#
#   pyvenv_pick COND CANDIDATE...   prints the first candidate (a command name or a path; a glob that matched
#                                   nothing is passed over) whose Python has the venv and ensurepip modules and for which the
#                                   Python expression COND over `v = sys.version_info[:3]` is true; 1 when none
#   pyvenv_candidates               the usual candidates: python3.13, python3.12, python3 on PATH, /usr/bin/python3,
#                                   then every pyenv-installed 3.1x (newest first)
#   pyvenv_create TAG VENV PYTHON LOGFILE PIP_ARGS...
#                                   (PYVENV_OPTS: extra `venv` options, e.g. --system-site-packages)
#                                   (re)creates VENV with PYTHON and pip-installs PIP_ARGS into it, pip's output in
#                                   LOGFILE (its tail on stderr when it fails, prefixed with TAG); 1 on failure

pyvenv_candidates() {
  local pyenv_root
  pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  printf '%s\n' python3.13 python3.12 python3 /usr/bin/python3
  # newest first: 3.13.x before 3.12.x before 3.11.x ...
  ls -d "$pyenv_root"/versions/3.1[0-9]*/bin/python3 2>/dev/null | sort -t/ -k1,1 -V -r || true
}

pyvenv_pick() {
  local cond="$1" c p
  shift
  for c in "$@"; do
    p=$(command -v "$c" 2>/dev/null) || continue
    "$p" -c "import sys, venv, ensurepip; v = sys.version_info[:3]; sys.exit(0 if ($cond) else 1)" >/dev/null 2>&1 &&
      { echo "$p"; return 0; }
  done
  return 1
}

pyvenv_create() {
  local tag="$1" venv="$2" py="$3" logfile="$4"
  shift 4
  mkdir -p "$(dirname "$venv")" "$(dirname "$logfile")"
  echo "$tag: creating $venv with $* (pip, $("$py" -c 'import platform; print("Python", platform.python_version())'))" >&2
  rm -rf "$venv"
  # shellcheck disable=SC2086
  "$py" -m venv ${PYVENV_OPTS:-} "$venv" >"$logfile" 2>&1 || { tail -20 "$logfile" >&2; echo "$tag: $py -m venv failed" >&2; return 1; }
  "$venv/bin/pip" install -q "$@" >>"$logfile" 2>&1 ||
    { tail -20 "$logfile" >&2; echo "$tag: pip install $* failed (log: $logfile)" >&2; return 1; }
}
