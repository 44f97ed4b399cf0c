// split-store-decide.cpp: the share state machine and the money that follows it.
//
// Every step commits the state change first (a compare-and-set on the share's state: the commit
// point) and then moves money with an idempotent ledger key, or the other way round where the
// money must exist before the state may claim it (approve, capture). Whatever a crash leaves
// half done, a repeated call or expire_due() finishes: keys make every ledger step a replay.
#include <algorithm>

#include "pricing/pricing.h"
#include "splits/split-store-sqlite.h"
#include "sqlite/compare-and-set.h"
#include "sqlite/rows.h"

namespace pp::splits_detail {

namespace {

// Actor recorded on the ledger entries the split rules make on their own.
constexpr const char* kSplitActor = "pullprintd";

std::string share_name(const Share& share) {
  std::string name = "share " + std::to_string(share.id) + " (";
  if (share.is_cover()) name += share.payer + " covering " + share.cover_of;
  else name += share.payer;
  return name + ", job " + share.job_ref + ")";
}

Status conflict(const Share& share, const std::string& what) {
  return Status(Code::kConflict, share_name(share) + " " + what);
}

Status not_yours(const Share& share, std::string_view user, std::string_view verb) {
  // Says nothing about the share to someone who may not see it.
  return Status(Code::kPermissionDenied, "user " + std::string(user) + " may not " +
                                             std::string(verb) + " split share " +
                                             std::to_string(share.id));
}

bool holds_no_money(ShareState state) {
  return state == ShareState::kDeclined || state == ShareState::kExpired ||
         state == ShareState::kDiscarded;
}

}  // namespace

Status SqliteSplitStore::void_by_key(const Share& share, const std::string& actor,
                                     const std::string& note) {
  Result<std::optional<Reservation>> held =
      ledger_.find_reservation_by_key(share.part_ref().reserve_key());
  if (!held) return held.status();
  if (!*held || (*held)->state == ReservationState::kVoided) return Status::ok();
  if ((*held)->state == ReservationState::kCaptured)
    return conflict(share, "was captured already; it cannot be voided");
  Result<JournalEntry> voided =
      ledger_.void_reservation((*held)->id, share.part_ref().void_key(), actor, note);
  return voided.status();
}

Status SqliteSplitStore::refresh_state(std::int64_t split_id, SplitClock now) {
  return connection_.write([&]() -> Status {
    sqlite::execute(db_,
                    "UPDATE splits SET state = 'closed', updated_at = ?"
                    " WHERE id = ? AND state = 'open' AND NOT EXISTS"
                    " (SELECT 1 FROM split_shares WHERE split_id = splits.id"
                    "   AND state IN ('pending', 'approved'))",
                    iso_utc(now), split_id);
    return Status::ok();
  });
}

Status SqliteSplitStore::cancel_internal(std::int64_t split_id, const std::string& actor,
                                         SplitClock now) {
  const std::string at = iso_utc(now);
  Status written = connection_.write([&]() -> Status {
    sqlite::execute(db_,
                    "UPDATE splits SET state = 'cancelled', updated_at = ?"
                    " WHERE id = ? AND state = 'open'",
                    at, split_id);
    sqlite::execute(db_,
                    "UPDATE split_shares SET state = 'discarded', options = '{}', decided_at = ?"
                    " WHERE split_id = ? AND state IN ('pending', 'approved')",
                    at, split_id);
    return Status::ok();
  });
  if (!written.is_ok()) return written;
  Result<Split> split = connection_.read([&]() { return load_split_by_id(split_id); });
  if (!split) return split.status();
  for (const Share& share : split->shares) {
    if (share.state != ShareState::kDiscarded) continue;
    if (Status status = void_by_key(share, actor, "split of job " + share.job_ref + " cancelled");
        !status.is_ok())
      return status;
  }
  return Status::ok();
}

Status SqliteSplitStore::apply_ratio_rule(std::int64_t split_id, SplitClock now) {
  Result<Split> split = connection_.read([&]() { return load_split_by_id(split_id); });
  if (!split) return split.status();
  if (split->mode != SplitMode::kRatio || split->state != SplitState::kOpen)
    return refresh_state(split_id, now);
  std::vector<const Share*> gone;
  for (const Share& share : split->shares) {
    if (!share.is_cover() && (share.state == ShareState::kDeclined ||
                              share.state == ShareState::kExpired))
      gone.push_back(&share);
  }
  if (gone.empty()) return refresh_state(split_id, now);
  if (split->on_decline == OnDecline::kCancel) return cancel_internal(split_id, kSplitActor, now);

  // Owner covers: a cover share per share gone, pending until its reservation exists.
  Status written = connection_.write([&]() -> Status {
    for (std::size_t i = 0; i < gone.size(); ++i) {
      const Share& share = *gone[i];
      SQLite::Statement insert(db_,
                               "INSERT OR IGNORE INTO split_shares (split_id, position, payer,"
                               " cover_of, part, options, impressions, amount)"
                               " SELECT split_id, position, ?, payer, ?, options, impressions,"
                               " amount FROM split_shares WHERE id = ?");
      sqlite::bind_values(insert, split->owner,
                          share.description + " of " + share.payer + ", covered by " + split->owner,
                          share.id);
      insert.exec();
    }
    return Status::ok();
  });
  if (!written.is_ok()) return written;
  split = connection_.read([&]() { return load_split_by_id(split_id); });
  if (!split) return split.status();
  for (const Share& cover : split->shares) {
    if (!cover.is_cover() || cover.state != ShareState::kPending) continue;
    Result<Reservation> held =
        ledger_.reserve(cover.payer, cover.amount, cover.part_ref().reserve_key(),
                        cover.part_ref().str(), kSplitActor);
    if (!held) {
      Code code = held.status().code();
      if (code == Code::kInsufficientFunds || code == Code::kPermissionDenied ||
          code == Code::kNotFound) {
        // The owner cannot take the share over: the job does not print.
        return cancel_internal(split_id, kSplitActor, now);
      }
      return held.status();
    }
    Result<bool> approved = connection_.write([&]() -> Result<bool> {
      return sqlite::execute(db_,
                             "UPDATE split_shares SET state = 'approved', reservation_id = ?,"
                             " decided_at = ? WHERE id = ? AND state = 'pending'",
                             held->id, iso_utc(now), cover.id) > 0;
    });
    if (!approved) return approved.status();
    if (!*approved) {  // cancelled meanwhile: the reservation has no share to belong to
      if (Status status = void_by_key(cover, kSplitActor, "split cancelled while covering");
          !status.is_ok())
        return status;
    }
  }
  return refresh_state(split_id, now);
}

Status SqliteSplitStore::sweep_dangling(SplitClock now) {
  (void)now;
  // Shares that hold no money but whose reserve key holds an open reservation: a crash between
  // a decline/expiry/discard and its void, or an approval that lost its race. Found from the
  // ledger's side: the open reservations of split parts are few (approved, unprinted shares),
  // and each names its share by its reference (JobRef), so no key is rebuilt in SQL.
  Result<std::vector<Reservation>> open = ledger_.open_reservations(kSplitPartRefPrefix);
  if (!open) return open.status();
  std::vector<Share> dangling;
  for (const Reservation& reservation : *open) {
    std::optional<JobRef> part = JobRef::parse(reservation.job_ref);
    std::optional<JobRef> job = part ? part->split_job() : std::nullopt;
    if (!job) continue;
    Result<Split> split = get_split(job->str());
    if (!split) {
      if (split.status().code() == Code::kNotFound) continue;
      return split.status();
    }
    for (const Share& share : split->shares) {
      bool holds_no_money = share.state == ShareState::kDeclined ||
                            share.state == ShareState::kExpired ||
                            share.state == ShareState::kDiscarded;
      if (holds_no_money && share.part_ref().reserve_key() == reservation.idempotency_key)
        dangling.push_back(share);
    }
  }
  std::sort(dangling.begin(), dangling.end(),
            [](const Share& a, const Share& b) { return a.id < b.id; });
  for (const Share& share : dangling) {
    if (Status status = void_by_key(share, kSplitActor, "share holds no money any more");
        !status.is_ok())
      return status;
  }
  return Status::ok();
}

Result<Share> SqliteSplitStore::approve(std::int64_t share_id, std::string_view user,
                                        SplitClock now) {
  Result<Share> share = get_share(share_id);
  if (!share) return share.status();
  if (share->payer != user) return not_yours(*share, user, "approve");
  if (share->is_cover()) return conflict(*share, "covers a declined share; it needs no approval");
  if (share->state == ShareState::kApproved || share->state == ShareState::kPrinted) return share;
  if (share->state != ShareState::kPending)
    return conflict(*share, "is " + std::string(share_state_name(share->state)) +
                                "; it can no longer be approved");
  const std::string now_iso = iso_utc(now);
  if (share->deadline <= now_iso)
    return conflict(*share, "can no longer be approved: its deadline passed at " + share->deadline);
  Result<Split> split = get_split(share->job_ref);
  if (!split) return split.status();
  if (split->state != SplitState::kOpen)
    return conflict(*share, "belongs to a " + std::string(split_state_name(split->state)) + " split");

  Result<Reservation> held = ledger_.reserve(
      share->payer, share->amount, share->part_ref().reserve_key(), share->part_ref().str(), user);
  if (!held) {
    if (held.status().code() != Code::kInsufficientFunds) return held.status();
    Result<Account> account = ledger_.get_account(share->payer);
    std::string available =
        account ? format_money(account->available(), share->currency) : std::string("too little");
    return Status(Code::kInsufficientFunds,
                  "account " + share->payer + " has " + available + " available, the share (" +
                      share->description + " of \"" + share->title + "\") costs " +
                      format_money(share->amount, share->currency) +
                      "; top up, then approve again before " + share->deadline);
  }
  Result<bool> approved = connection_.write([&]() -> Result<bool> {
    return sqlite::execute(db_,
                           "UPDATE split_shares SET state = 'approved', reservation_id = ?,"
                           " decided_at = ? WHERE id = ? AND state = 'pending'"
                           " AND (SELECT state = 'open' AND deadline > ? FROM splits"
                           "      WHERE splits.id = split_shares.split_id)",
                           held->id, now_iso, share_id, now_iso) > 0;
  });
  if (!approved) return approved.status();
  Result<Share> after = get_share(share_id);
  if (!after) return after.status();
  if (*approved || (after->state == ShareState::kApproved && after->reservation_id == held->id))
    return after;
  // Expired, declined or cancelled while we reserved: the reservation must go again.
  if (Status status = void_by_key(*after, std::string(user), "approval came too late");
      !status.is_ok())
    return status;
  return conflict(*after, "is " + std::string(share_state_name(after->state)) +
                              "; it can no longer be approved");
}

Result<Split> SqliteSplitStore::decline(std::int64_t share_id, std::string_view user,
                                        SplitClock now) {
  Result<Share> share = get_share(share_id);
  if (!share) return share.status();
  if (share->payer != user) return not_yours(*share, user, "decline");
  if (share->is_cover()) return conflict(*share, "covers a declined share; it cannot be declined");
  if (share->state != ShareState::kPending && share->state != ShareState::kDeclined)
    return conflict(*share, "is " + std::string(share_state_name(share->state)) +
                                "; it can no longer be declined");
  Result<bool> declined = connection_.write([&]() -> Result<bool> {
    return sqlite::execute(
               db_,
               "UPDATE split_shares SET state = 'declined', options = '{}', decided_at = ?"
               " WHERE id = ? AND state = 'pending' AND (SELECT state = 'open'"
               " FROM splits WHERE splits.id = split_shares.split_id)",
               iso_utc(now), share_id) > 0;
  });
  if (!declined) return declined.status();
  Result<Share> after = get_share(share_id);
  if (!after) return after.status();
  if (after->state != ShareState::kDeclined)
    return conflict(*after, "is " + std::string(share_state_name(after->state)) +
                                "; it can no longer be declined");
  // An approval interrupted before it recorded its reservation leaves one behind.
  if (Status status = void_by_key(*after, std::string(user), "share declined"); !status.is_ok())
    return status;
  if (Status status = apply_ratio_rule(after->split_id, now); !status.is_ok()) return status;
  return get_split(after->job_ref);
}

Result<std::vector<ExpiredSplit>> SqliteSplitStore::expire_due(SplitClock now) {
  const std::string now_iso = iso_utc(now);
  Result<std::vector<Share>> expired = connection_.write([&]() -> Result<std::vector<Share>> {
    std::vector<Share> due = query_shares(
        "WHERE s.state = 'pending' AND s.cover_of = '' AND p.state = 'open' AND p.deadline <= ?"
        " ORDER BY s.split_id, s.position",
        [&](SQLite::Statement& q) { q.bind(1, now_iso); });
    for (Share& share : due) {
      sqlite::execute(db_,
                      "UPDATE split_shares SET state = 'expired', options = '{}', decided_at = ?"
                      " WHERE id = ? AND state = 'pending'",
                      now_iso, share.id);
      share.state = ShareState::kExpired;
    }
    return due;
  });
  if (!expired) return expired.status();
  for (const Share& share : *expired) {
    if (Status status = void_by_key(share, kSplitActor, "deadline passed"); !status.is_ok())
      return status;
  }

  // The ratio rule for these and for whatever an interrupted decline or expiry left undone.
  Result<std::vector<std::int64_t>> unsettled =
      connection_.read([&]() -> Result<std::vector<std::int64_t>> {
        SQLite::Statement query(
            db_,
            "SELECT DISTINCT p.id FROM splits p JOIN split_shares s ON s.split_id = p.id"
            " WHERE p.state = 'open' AND p.mode = 'ratio' AND"
            " ((s.cover_of = '' AND s.state IN ('declined', 'expired') AND NOT EXISTS"
            "   (SELECT 1 FROM split_shares c WHERE c.split_id = p.id AND c.cover_of = s.payer"
            "      AND c.state <> 'pending'))"
            "  OR (s.cover_of <> '' AND s.state = 'pending')) ORDER BY p.id");
        std::vector<std::int64_t> ids;
        while (query.executeStep()) ids.push_back(query.getColumn(0).getInt64());
        return ids;
      });
  if (!unsettled) return unsettled.status();
  for (std::int64_t split_id : *unsettled) {
    if (Status status = apply_ratio_rule(split_id, now); !status.is_ok()) return status;
  }

  std::vector<ExpiredSplit> changes;
  for (const Share& share : *expired) {
    if (changes.empty() || changes.back().split.id != share.split_id) {
      if (Status status = refresh_state(share.split_id, now); !status.is_ok()) return status;
      ExpiredSplit change;
      change.split.id = share.split_id;
      changes.push_back(std::move(change));
    }
    changes.back().expired.push_back(share.id);
  }
  // Splits the catch-up cancelled without an expiry now (an interrupted decline) are news too.
  for (std::int64_t split_id : *unsettled) {
    bool listed = std::any_of(changes.begin(), changes.end(), [&](const ExpiredSplit& change) {
      return change.split.id == split_id;
    });
    if (!listed) {
      ExpiredSplit change;
      change.split.id = split_id;
      changes.push_back(std::move(change));
    }
  }
  for (ExpiredSplit& change : changes) {
    Result<Split> split = connection_.read([&]() { return load_split_by_id(change.split.id); });
    if (!split) return split.status();
    change.split = std::move(split).value();
  }
  std::erase_if(changes, [](const ExpiredSplit& change) {
    return change.expired.empty() && change.split.state != SplitState::kCancelled;
  });
  if (Status status = sweep_dangling(now); !status.is_ok()) return status;
  return changes;
}

Result<Share> SqliteSplitStore::capture_share(std::int64_t share_id, std::string_view actor,
                                              SplitClock now) {
  Result<Share> share = get_share(share_id);
  if (!share) return share.status();
  if (share->state == ShareState::kPrinted) return share;
  if (share->state != ShareState::kApproved)
    return conflict(*share, "is " + std::string(share_state_name(share->state)) +
                                "; only an approved share is captured");
  Result<Split> split = get_split(share->job_ref);
  if (!split) return split.status();
  if (split->state != SplitState::kOpen)
    return conflict(*share, "belongs to a " + std::string(split_state_name(split->state)) + " split");
  if (split->mode == SplitMode::kRatio) {
    for (const Share& other : split->shares) {
      if (other.state == ShareState::kPending)
        return conflict(*share, "cannot be captured yet: the ratio split still waits for " +
                                    other.payer);
    }
  }
  Result<JournalEntry> captured = ledger_.capture(*share->reservation_id, share->amount,
                                                  share->part_ref().capture_key(), actor);
  if (!captured) return captured.status();
  Status written = connection_.write([&]() -> Status {
    sqlite::execute(db_,
                    "UPDATE split_shares SET state = 'printed', decided_at = ?"
                    " WHERE id = ? AND state = 'approved'",
                    iso_utc(now), share_id);
    return Status::ok();
  });
  if (!written.is_ok()) return written;
  if (Status status = refresh_state(share->split_id, now); !status.is_ok()) return status;
  return get_share(share_id);
}

Result<Share> SqliteSplitStore::void_share(std::int64_t share_id, std::string_view actor,
                                           SplitClock now) {
  Result<Share> share = get_share(share_id);
  if (!share) return share.status();
  if (share->mode == SplitMode::kRatio)
    return conflict(*share, "is part of a ratio split, which is discarded as a whole (cancel_split)");
  if (share->state == ShareState::kPrinted) return conflict(*share, "is printed already");
  const std::string who(actor);
  if (holds_no_money(share->state)) {
    if (Status status = void_by_key(*share, who, "share discarded"); !status.is_ok()) return status;
    return share;
  }
  if (share->reservation_id) {
    // A capture whose state change was interrupted: the part did print.
    Result<Reservation> held = ledger_.get_reservation(*share->reservation_id);
    if (!held) return held.status();
    if (held->state == ReservationState::kCaptured) {
      Result<Share> printed = capture_share(share_id, actor, now);
      if (!printed) return printed.status();
      return conflict(*share, "is printed already");
    }
  }
  Status written = connection_.write([&]() -> Status {
    sqlite::execute(db_,
                    "UPDATE split_shares SET state = 'discarded', options = '{}', decided_at = ?"
                    " WHERE id = ? AND state IN ('pending', 'approved')",
                    iso_utc(now), share_id);
    return Status::ok();
  });
  if (!written.is_ok()) return written;
  Result<Share> after = get_share(share_id);
  if (!after) return after.status();
  if (after->state == ShareState::kPrinted) return conflict(*after, "is printed already");
  if (Status status = void_by_key(*after, who, "share discarded"); !status.is_ok()) return status;
  if (Status status = refresh_state(after->split_id, now); !status.is_ok()) return status;
  return get_share(share_id);
}

Result<Split> SqliteSplitStore::cancel_split(std::string_view job_ref, std::string_view user,
                                             bool is_admin, SplitClock now) {
  Result<Split> split = get_split(job_ref);
  if (!split) return split.status();
  if (split->owner != user && !is_admin) {
    return Status(Code::kPermissionDenied, "user " + std::string(user) +
                                               " may not cancel the split of job " +
                                               std::string(job_ref));
  }
  if (split->state == SplitState::kClosed)
    return Status(Code::kConflict, "the split of job " + std::string(job_ref) + " is finished");
  if (Status status = cancel_internal(split->id, std::string(user), now); !status.is_ok())
    return status;
  return get_split(job_ref);
}

}  // namespace pp::splits_detail
