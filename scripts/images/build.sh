#!/usr/bin/env bash
# Cached image builds: scripts/images/build.sh NAME prints the directory holding NAME's outputs (.tmp/images/NAME-<hash>,
# the hash taken over scripts/images/NAME*.sh), running scripts/images/NAME.sh only when no build of those exact
# scripts exists. Older builds of NAME are removed. NAME: agent-ramdisk | instance-image.
set -euo pipefail
name=${1:?usage: build.sh agent-ramdisk|instance-image}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ -f "$here/$name.sh" ] || { echo "build.sh: no scripts/images/$name.sh" >&2; exit 2; }
hash=$(cat "$here/$name"*.sh | sha256sum | cut -c1-12)
dir=$repo/.tmp/images/$name-$hash
if [ ! -f "$dir/build.json" ]; then
  mkdir -p "$repo/.tmp/images"
  for old in "$repo/.tmp/images/$name"-*; do [ -e "$old" ] && [ "$old" != "$dir" ] && rm -rf "$old"; done
  echo "build.sh: building $name (scripts/images/$name.sh changed or never built)" >&2
  start=$(date +%s)
  bash "$here/$name.sh" "$dir.partial" >&2
  mv "$dir.partial" "$dir"
  echo "build.sh: $name built in $(($(date +%s) - start)) s" >&2
fi
echo "$dir"
