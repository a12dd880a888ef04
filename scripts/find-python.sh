#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter, or explains what to install.
set -u
candidates=("${PYTHON:-}" python3.14 python3.13 python3.12 python3)
for dir in /root/.pyenv/versions/3.1[2-9]* "$HOME"/.pyenv/versions/3.1[2-9]* /usr/local/bin /usr/bin; do
  for name in python3.14 python3.13 python3.12; do
    [ -x "$dir/$name" ] && candidates+=("$dir/$name")
    [ -x "$dir/bin/$name" ] && candidates+=("$dir/bin/$name")
  done
done
for candidate in "${candidates[@]}"; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "Python >= 3.12 is needed: install python3.12 (or set PYTHON=/path/to/python3.12)." >&2
exit 1
