// splits.h: splitting one held job among several payers, each approving before a deadline
// (issue 5; DESIGN.md "Splitting a job among payers"). Include this header for all of lib/splits.
//
// Design note
//
// Syntax (split-request.h): one job attribute, `pullprint-split`, printable ASCII without
// spaces or quotes, at most 255 bytes, so that it survives `lp -o`, cupsParseOptions and IPP:
//     ratio:alice=50,bob=30,carol=20;deadline=24h;on-decline=cancel
//     ratio:alice=1/3,bob=2/3        copies:alice=2,bob=3
//     pages:alice=1-4+9,bob=5-8      method:alice=color+a4+duplex,bob=mono+a3+type=stationery
// parse_split_request() validates it strictly (shares that do not add up, duplicate payers, bad
// names, overlapping pages, zero copies, unknown options); validate_split_pages() checks pages
// against the document (price_split() runs it).
//
// Money (money-split.h): ratio divides the one print's price by largest remainder (floors, then
// the leftover minor units to the largest remainders; ties: larger share, then the payer written
// first): parts sum to the price exactly, none negative, deterministic. copies/pages/method price
// each payer's sub-job by itself through the pricing module.
//
// States (split-store.h): a share is pending -> approved -> printed, or declined / expired /
// discarded. A ratio decline or expiry makes the owner cover the share (a cover share reserved on
// the owner) or, with on-decline=cancel (or when the owner cannot afford it), cancels the split.
// A split is open, then closed (nothing pending or approved) or cancelled.
//
// Keys (ledger idempotency): "reserve:split:<job_ref>:<payer>" on approval,
// "capture:split:<job_ref>:<payer>" when the part prints, "void:split:<job_ref>:<payer>" when it
// is discarded; a cover share uses "<owner>:cover-of:<payer>" as its <payer>. Every step can be
// repeated; expire_due() finishes what a crash interrupted. check_splits() (split-check.h)
// proves shares and reservations agree.
//
// Wiring (the caller's part): parse the attribute at submission or `pullprint split JOB ...`,
// refuse jobs that are no longer held, price_split() on the held job's analysis and options,
// create_split() (then void the job's own reservation: the shares replace it), notify the
// payers, run expire_due() and reminders_due() on a timer and at start-up, print approved parts
// (releasable()) and capture_share() each, void_share()/cancel_split() on discard or cancel.
#pragma once

#include "splits/money-split.h"
#include "splits/split-check.h"
#include "splits/split-form.h"
#include "splits/split-request.h"
#include "splits/split-store.h"
