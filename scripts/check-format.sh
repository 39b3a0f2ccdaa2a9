#!/usr/bin/env bash
# Checks that every C++ file of libestate, tools and tests is laid out as .clang-format
# says (Debian 12's clang-format 14, installed when missing). Lists the files that are
# not and exits 1; fix them with:  clang-format -i FILE...
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh --format
mapfile -t files < <(git ls-files 'libestate/*.cpp' 'libestate/*.hpp' 'libestate/*.h' 'tools/*.cpp' 'tools/*.hpp' \
                                  'tests/*.cpp' 'tests/*.hpp')
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not laid out as .clang-format says:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "fix them with: clang-format -i ${bad[*]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files laid out as .clang-format says ($(clang-format --version))"
