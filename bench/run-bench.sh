#!/usr/bin/env bash
# run-bench.sh: builds the benchmark and runs it over the whole corpus in one run.
#
# Usage: bench/run-bench.sh BUILD_DIR [--quick] [pullprint-bench options...]
#   BUILD_DIR  CMake build folder; configured here (optimised, -O2 like Debian's builds) if new.
#   --quick    no inkcov and no pixel reference on files over 300 pages (the ratio covers fewer files).
# Other options go to pullprint-bench (see bench/README.md), e.g. --repeat 3 or --gs-max-pages N.
# The table is printed and also saved as bench/results/bench-DATE.md. Exit status 1 when our
# analysis failed on a file or miscounted its pages.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
corpus="$here/corpus"

# Prints the usage and exits with status 2.
usage() {
  sed -n '4,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

# Installs Ghostscript when missing (peak memory comes from wait4, so GNU time is not needed).
ensure_tools() {
  command -v gs >/dev/null && return 0
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ghostscript >/dev/null
}

# Configures BUILD_DIR when it has no CMake cache yet, then builds the two benchmark programs.
build() {
  local dir="$1" log type
  log="$(mktemp)"
  if [[ ! -f "$dir/CMakeCache.txt" ]]; then
    cmake -S "$here/.." -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >"$log" 2>&1 ||
      { tail -n 30 "$log" >&2; rm -f "$log"; exit 1; }
  fi
  type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$dir/CMakeCache.txt")"
  [[ "$type" == Debug || -z "$type" ]] && echo "warning: $dir is an unoptimised ($type) build" >&2
  cmake --build "$dir" --target pullprint-bench pullprint-qpdf-floor -j"$(nproc)" >"$log" 2>&1 ||
    { grep -E 'error|Error' "$log" | head -n 20 >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
}

# Prints the corpus files, building the corpus first when it is empty.
corpus_files() {
  if ! compgen -G "$corpus/*.pdf" >/dev/null; then
    "$here/make-corpus.sh" "$corpus" >&2
  fi
  ls "$corpus"/*.pdf
}

# Prints the conditions of this run: versions, machine, load.
print_context() {
  echo "pullprint $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "gs $(gs --version), $(qpdf --version | head -n1), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
}

# Builds, runs the benchmark over the corpus, prints and saves the table.
main() {
  [[ $# -ge 1 && "$1" != -* ]] || usage
  local build_dir="$1" args=() status=0
  shift
  for a in "$@"; do
    if [[ "$a" == --quick ]]; then args+=(--gs-max-pages 300); else args+=("$a"); fi
  done
  ensure_tools
  build "$build_dir"
  mapfile -t files < <(corpus_files)
  mkdir -p "$here/results"
  local out
  out="$here/results/bench-$(date -u +%Y%m%d-%H%M%S).md"
  print_context | tee "$out"
  set +e
  "$build_dir/bench/pullprint-bench" "${args[@]}" "${files[@]}" | tee -a "$out"
  status=${PIPESTATUS[0]}
  set -e
  printf '\nload average after the run: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
  echo "saved: $out" >&2
  return "$status"
}

main "$@"
