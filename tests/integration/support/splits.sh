# splits.sh: helpers of the split-job tests (sourced after pullprintd.sh, once pullprintd runs
# and $state is its state directory).

# as USER ARGS...: the pullprint CLI as USER (auth = trusted: requesting-user-name as sent).
as() { CUPS_USER=$1 pp "${@:2}" --server "$PP_URI"; }

job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT coalesce(max(id), 0) FROM held_jobs WHERE owner = '$1'"; }
price_of() { sqlite3 "$state/jobs.sqlite" "SELECT price_minor FROM held_jobs WHERE id = $1"; }
final_price_of() { sqlite3 "$state/jobs.sqlite" "SELECT final_price_minor FROM held_jobs WHERE id = $1"; }
uuid_of() { sqlite3 "$state/jobs.sqlite" "SELECT uuid FROM held_jobs WHERE id = $1"; }

# share_column JOB PAYER COLUMN: one column of PAYER's own (not cover) share of JOB's split.
share_column() {
  sqlite3 "$state/ledger.sqlite" "SELECT sh.$3 FROM split_shares sh JOIN splits s ON s.id = sh.split_id
    WHERE s.job_ref = 'pullprintd/$(uuid_of "$1")' AND sh.payer = '$2' AND sh.cover_of = ''"
}
share_state() { share_column "$1" "$2" state; }
share_amount() { share_column "$1" "$2" amount; }
share_is() { [[ $(share_state "$1" "$2") == "$3" ]]; }

# captured USER: the sum of USER's captures, in cents (positive).
captured() {
  pp history "$1" --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0'
}

# terminal ARGS...: the release terminal at Lab_A (password "x", ignored in trusted mode).
terminal() { printf 'x\n' | "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" release \
  --server "$PP_URI" --printer Lab_A "$@"; }
