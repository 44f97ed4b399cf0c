# pullprintd.sh: a private pullprintd for one test (sourced after common.sh): loopback, a free
# port, its own state directory, trusted identities, no TLS, no DNS-SD.

PP_PULLPRINTD="$PULLPRINT_BUILD_DIR/pappl-server/pullprintd"
PP_SUBMIT_TEST="$PULLPRINT_SOURCE_DIR/tests/integration/support/pullprintd-submit.test"

# pp_start_pullprintd STATE_DIR LOG [-o KEY=VALUE ...]: starts pullprintd (configuration file
# $PP_CONFIG, none by default; it runs the analyser built beside it, as a built server does
# without an `analyzer` key); sets PP_PORT, PP_URI and PP_PULLPRINTD_PID; stopped with SIGTERM
# at exit.
pp_start_pullprintd() {
  local state=$1 log=$2
  shift 2
  local attempt
  for attempt in 1 2 3; do
    PP_PORT=$(pp_free_port)
    "$PP_PULLPRINTD" -c "${PP_CONFIG:-/dev/null}" -o "listen=127.0.0.1:$PP_PORT" -o "state-dir=$state" \
      -o auth=trusted -o tls=off -o dnssd=off "$@" >>"$log" 2>&1 &
    PP_PULLPRINTD_PID=$!
    PP_URI="ipp://127.0.0.1:$PP_PORT/ipp/print"
    if pp_wait_for_ipp 15; then
      pp_on_exit "pp_stop_pullprintd $PP_PULLPRINTD_PID"
      return 0
    fi
    pp_stop_pullprintd "$PP_PULLPRINTD_PID"
    grep -q "Address already in use" "$log" || break  # lost a port race: try another port
  done
  cat "$log" >&2
  pp_fail "pullprintd did not start"
}

# Polls Get-Printer-Attributes until pullprintd answers or TIMEOUT seconds pass.
pp_wait_for_ipp() {
  local deadline=$((SECONDS + $1))
  until ipptool -T 2 "$PP_URI" get-printer-attributes.test >/dev/null 2>&1; do
    kill -0 "$PP_PULLPRINTD_PID" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# pp_stop_pullprintd PID: SIGTERM, then waits up to 20 s for the exit; prints the seconds taken.
pp_stop_pullprintd() {
  local pid=$1 start=$SECONDS
  kill -TERM "$pid" 2>/dev/null || return 0
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null
      echo "pullprintd $pid did not stop on SIGTERM" >&2
      return 1
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
  echo $((SECONDS - start))
}

# pp_submit OWNER FILE [ipptool -d NAME=VALUE ...]: Print-Job, waits for the job to finish;
# prints the ipptool output (job-id, job-state, job-state-message lines).
pp_submit() {
  local owner=$1 file=$2
  shift 2
  ipptool -t -T 30 -d "owner=$owner" -d copies=1 "$@" -f "$file" "$PP_URI" "$PP_SUBMIT_TEST" ||
    true
}

# Reads "NAME (type) = VALUE" from ipptool output on stdin; prints the last VALUE.
pp_ipp_value() { sed -n "s/^ *$1 ([^)]*) = //p" | tail -n 1; }

# pp_ipp_op OP OWNER JOB_ID: runs one IPP operation; prints ipptool's output.
pp_ipp_op() {
  ipptool -t -T 10 -d "op=$1" -d "owner=$2" -d "job=$3" "$PP_URI" \
    "$PULLPRINT_SOURCE_DIR/tests/integration/support/pullprintd-op.test" 2>&1 || true
}

# pp_assert_refused OP OWNER JOB_ID: the operation gets HTTP 403 (client-error-forbidden).
pp_assert_refused() {
  local out
  out=$(pp_ipp_op "$@")
  grep -q "client-error-forbidden" <<<"$out" || { echo "$out" >&2; pp_fail "$1 by $2 not refused"; }
  pp_pass "$1 by $2 on job $3 refused"
}

# pp_test_config BASE STATE: makes the state directory and the test configuration the pullprintd
# tests share (EUR, initial-balance 0, 10 cents grey and 50 cents colour per impression) in
# BASE/pullprint.conf, exported as PP_CONFIG for pp_start_pullprintd and the helpers below.
pp_test_config() {
  local base=$1 state=$2
  mkdir -p "$state"
  export PP_CONFIG="$base/pullprint.conf"
  cat >"$PP_CONFIG" <<CONF
state-dir = $state
currency = EUR
initial-balance = 0
[price default]
mono-impression = 10
color-impression = 50
CONF
}

# pp ARGS...: the pullprint CLI on the test configuration.
pp() { "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" "$@"; }

# reserved USER: the amount held on USER's account, in cents.
reserved() { pp account show "$1" --json | pp_json .reserved; }

# pp_config_top LINE...: adds top-level "key = value" lines to $PP_CONFIG before its first
# [section] (pp_test_config ends inside [price default]).
pp_config_top() {
  { printf '%s\n' "$@"; cat "$PP_CONFIG"; } >"$PP_CONFIG.new"
  mv "$PP_CONFIG.new" "$PP_CONFIG"
}

# pp_use_pam BASE USER:PASSWORD...: from now on pp_start_pullprintd runs pullprintd (alone, not
# ipptool or the CLI) under pam_wrapper, with private PAM services in BASE/pam.d: "pullprint"
# checks these passwords (pam_matrix), "pullprint-card" runs the build's pam_pullprint.so on
# $PP_CONFIG. Skips the test when libpam-wrapper is not installed.
pp_use_pam() {
  local base=$1
  shift
  local multiarch wrapper matrix type pair
  multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
  wrapper="/usr/lib/$multiarch/libpam_wrapper.so"
  matrix="/usr/lib/$multiarch/pam_wrapper/pam_matrix.so"
  if [[ ! -f "$wrapper" || ! -f "$matrix" ]]; then
    echo "SKIP: libpam-wrapper is not installed (.ci/install-deps installs it)"
    exit 77
  fi
  mkdir -p "$base/pam.d"
  for type in auth account password session; do echo "$type required $matrix"; done \
    >"$base/pam.d/pullprint"
  for type in auth account; do
    echo "$type required $PULLPRINT_BUILD_DIR/pam/pam_pullprint.so config=$PP_CONFIG"
  done >"$base/pam.d/pullprint-card"
  : >"$base/passdb"
  for pair in "$@"; do echo "${pair%%:*}:${pair#*:}:pullprint" >>"$base/passdb"; done
  cat >"$base/pullprintd-pam" <<SH
#!/bin/sh
export LD_PRELOAD="$wrapper" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$base/pam.d" \\
  PAM_MATRIX_PASSWD="$base/passdb"
exec "$PP_PULLPRINTD" "\$@"
SH
  chmod +x "$base/pullprintd-pam"
  PP_PULLPRINTD="$base/pullprintd-pam"
}

# pp_sample_pdf PATH: the sample document (share/samples/sample.ps, 4 pages, 1 in colour) as a
# PDF at PATH.
pp_sample_pdf() {
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$1" \
    "$PULLPRINT_SOURCE_DIR/share/samples/sample.ps"
}

# pp_funded_accounts AMOUNT USER...: creates each user's account and tops it up with AMOUNT
# (key topup-USER).
pp_funded_accounts() {
  local amount=$1 user
  shift
  for user in "$@"; do
    pp account create "$user" >/dev/null
    pp topup "$user" "$amount" --key "topup-$user" >/dev/null
  done
}

# pp_test_site [STATE_NAME]: the start most pullprintd tests share: sets base (pp_make_base) and
# state (base/STATE_NAME, "state" by default) and writes the test configuration (pp_test_config).
pp_test_site() {
  base=$(pp_make_base)
  state="$base/${1:-state}"
  pp_test_config "$base" "$state"
}

# pp_test_home: HOME is base/home, made (ipptool, curl and the CLI keep their files there).
pp_test_home() {
  export HOME="$base/home"
  mkdir -p "$HOME"
}

# pp_start_plain_pullprintd: pullprintd with its defaults (PP_CONFIG unset), its state in
# base/state (made here), its log in base/pullprintd.log.
pp_start_plain_pullprintd() {
  mkdir -p "$base/state"
  pp_start_pullprintd "$base/state" "$base/pullprintd.log"
}

# pp_lab_a_printer: release printer Lab_A is the test's ippeveprinter ($PP_PRINTER_URI, from
# pp_start_ipp_printer) at the default prices, reached through the build's wrapper backend.
pp_lab_a_printer() {
  pp_config_top "backend = $PULLPRINT_BUILD_DIR/backend/pullprint"
  cat >>"$PP_CONFIG" <<CONF
[printer Lab_A]
price-profile = default
device-uri = $PP_PRINTER_URI
CONF
}

# pp_lab_a_library_printer: release printer Lab_A, in the Library, is the test's ippeveprinter
# at its own prices (7 cents grey, 40 cents colour per impression); the caller names the backend.
pp_lab_a_library_printer() {
  cat >>"$PP_CONFIG" <<CONF
[price Lab_A]
mono-impression = 7
color-impression = 40
[printer Lab_A]
location = Library
device-uri = $PP_PRINTER_URI
CONF
}

# pp_escaped_title_doc: the sample PDF (pp_sample_pdf) saved under a file name that must be
# escaped in HTML, the job's title: sets title, doc (its path in base/docs) and escaped_title.
pp_escaped_title_doc() {
  mkdir -p "$base/docs"
  title="a<b>&'c'.pdf"
  doc="$base/docs/$title"
  pp_sample_pdf "$doc"
  escaped_title="a&lt;b&gt;&amp;&#39;c&#39;.pdf"
}
