# cupsd.sh: a private cupsd for one test (sourced after common.sh), modelled on CUPS's
# test/run-stp-tests.sh: own ServerRoot, ServerBin with our filter, loopback port, page_log on.

# pp_start_cupsd BASE: starts cupsd in BASE; sets CUPS_SERVER, PP_CUPS_PORT, PP_CUPS_LOGS.
pp_start_cupsd() {
  local base=$1
  local port
  port=$(pp_free_port)
  pp_write_cupsd_config "$base" "$port"
  pp_check_cupsd_config "$base"
  cupsd -f -c "$base/conf/cupsd.conf" -s "$base/conf/cups-files.conf" &
  local pid=$!
  pp_on_exit "kill $pid; wait $pid"
  export CUPS_SERVER=127.0.0.1:$port PP_CUPS_PORT=$port PP_CUPS_LOGS=$base/log
  pp_wait_for 15 "cupsd on port $port" pp_cupsd_running
}

# pp_write_cupsd_config BASE PORT: lays out BASE (conf, ServerBin, spool, logs) for a cupsd on PORT.
pp_write_cupsd_config() {
  local base=$1 port=$2
  mkdir -p "$base"/{conf/ppd,conf/ssl,bin/filter,bin/backend,spool/temp,cache,state,log}
  # Everything cupsd runs must be root-owned and not writable by others when cupsd is root.
  local program
  for program in /usr/lib/cups/filter/*; do ln -s "$program" "$base/bin/filter/"; done
  for program in /usr/lib/cups/backend/*; do ln -s "$program" "$base/bin/backend/"; done
  for dir in cgi-bin daemon driver monitor notifier; do
    [[ -e /usr/lib/cups/$dir ]] && ln -s "/usr/lib/cups/$dir" "$base/bin/$dir"
  done
  install -m 0755 "$PULLPRINT_BUILD_DIR/filters/pullprint-cost" "$base/bin/filter/pullprint-cost"
  chmod 0755 "$base/bin" "$base/bin/filter" "$base/bin/backend"
  chmod 1777 "$base/spool/temp"
  chmod 0755 "$base/spool"
  cat >"$base/conf/cupsd.conf" <<CONF
Listen 127.0.0.1:$port
Listen $base/sock
LogLevel debug2
MaxLogSize 0
PageLogFormat %p %u %j %T %P %C %{job-impressions-completed} %{job-name}
Browsing Off
DefaultAuthType None
WebInterface No
PreserveJobFiles No
<Policy default>
  <Limit All>
    Order Allow,Deny
    Allow all
  </Limit>
</Policy>
CONF
  cat >"$base/conf/cups-files.conf" <<CONF
ServerRoot $base/conf
ServerBin $base/bin
DataDir /usr/share/cups
StateDir $base/state
CacheDir $base/cache
RequestRoot $base/spool
TempDir $base/spool/temp
AccessLog $base/log/access_log
ErrorLog $base/log/error_log
PageLog $base/log/page_log
FileDevice Yes
Printcap $base/state/printcap
SetEnv PULLPRINT_CONFIG $base/pullprint.conf
CONF
}

# pp_check_cupsd_config BASE: fails the test when `cupsd -t` refuses BASE's configuration. A CUPS
# update can make a directive fatal (deb12u10 made an empty Printcap one): the failure names
# cupsd's version, its verdict and the line it refused, so such a break is read at a glance.
pp_check_cupsd_config() {
  local base=$1 verdict
  if ! verdict=$(cupsd -t -c "$base/conf/cupsd.conf" -s "$base/conf/cups-files.conf" 2>&1); then
    verdict=$(grep -v 'contains errors' <<<"$verdict" || true)
    pp_fail "cupsd $(pp_cupsd_version) rejects the test configuration: ${verdict}$(pp_cupsd_rejected_line "$verdict")"
  fi
}

# The installed cupsd's Debian version (the update that changed its parser is the first suspect).
pp_cupsd_version() {
  dpkg-query -W -f='${Version}' cups-daemon 2>/dev/null || echo "(version unknown)"
}

# pp_cupsd_rejected_line VERDICT: " -> LINE" quoting the line of FILE that cupsd -t names in
# "... on line N of FILE.", or nothing when the verdict names no line.
pp_cupsd_rejected_line() {
  local line file
  [[ "$1" =~ line\ ([0-9]+)\ of\ ([^ ]+)\. ]] || return 0
  line=${BASH_REMATCH[1]} file=${BASH_REMATCH[2]}
  [[ -r "$file" ]] && printf ' -> line %s of %s reads "%s"' "$line" "${file##*/}" "$(sed -n "${line}p" "$file")"
}

# True when the scheduler answers (`lpstat -r` exits 0 even when it does not: read its words).
pp_cupsd_running() {
  [[ "$(lpstat -r 2>/dev/null)" == "scheduler is running" ]]
}

# pp_cups_job_state JOB_ID: the job's job-state keyword now (pending-held, completed, ...).
pp_cups_job_state() {
  ipptool -c "ipp://$CUPS_SERVER/jobs/$1" /dev/stdin <<'TEST' 2>/dev/null | tail -1
{
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri job-uri $uri
  ATTR name requesting-user-name root
  ATTR keyword requested-attributes job-state
  DISPLAY job-state
}
TEST
}

# pp_wait_job JOB_ID: waits until the job is completed, aborted, cancelled or stopped (a filter
# failed); prints its state.
pp_wait_job() {
  local job=$1
  local state=""
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    state=$(pp_cups_job_state "$job")
    case "$state" in
      completed | aborted | canceled | processing-stopped) echo "$state"; return 0 ;;
    esac
    sleep 0.2
  done
  pp_fail "job $job did not finish (last state: $state)"
}
