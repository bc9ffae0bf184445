#!/usr/bin/env bash
# Sourced by the services that install Debian packages (scripts/services/*.sh): find which Debian packages are
# missing and apt-get install them. Lives in lib/ because scripts/test-all.sh runs every scripts/services/*.sh.
#
#   have CMD                      CMD is on PATH (sbin included)
#   pymod MODULE                  Debian's /usr/bin/python3 finds MODULE (find_spec on a top-level package does not
#                                 import it: fast)
#   apt_missing CMD:PKG... [-- MODULE:PKG...]
#                                 prints, sorted and once each, the packages whose command (or python module) is absent;
#                                 a CMD that is a path (/usr/bin/x) must be that executable file
#   apt_install [--with-recommends] NAME PKG...
#                                 apt-get installs PKG... as root (nothing when none is given; not root: names what is
#                                 missing and exits 1); NAME labels messages
#   apt_get_install [OPT...] PKG...  the install itself: quiet, non-interactive, one `apt-get update` retry

have() { case $1 in /*) [ -x "$1" ] ;; *) PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1 ;; esac; }
pymod() { /usr/bin/python3 -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('$1') else 1)" >/dev/null 2>&1; }

apt_missing() {
  local pkgs=() t py=0
  for t in "$@"; do
    if [ "$t" = -- ]; then py=1; continue; fi
    if [ $py = 1 ]; then pymod "${t%%:*}" || pkgs+=("${t#*:}"); else have "${t%%:*}" || pkgs+=("${t#*:}"); fi
  done
  [ ${#pkgs[@]} -gt 0 ] && printf '%s\n' "${pkgs[@]}" | sort -u
  return 0
}

apt_install() {
  local opt=--no-install-recommends name
  [ "$1" = --with-recommends ] && { opt=; shift; }
  name=$1
  shift
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then echo "$name: missing $* (need root to apt-get install)" >&2; exit 1; fi
  echo "$name: installing $*" >&2
  # shellcheck disable=SC2086
  apt_get_install $opt "$@"
}

# apt_get_install [OPTION...] PKG...: apt-get install quietly, non-interactively; on failure refresh the package lists
# once and try again (then its errors show).
apt_get_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}
