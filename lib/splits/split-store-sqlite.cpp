// split-store-sqlite.cpp: opening the split store, recording splits, and reading them.
#include "splits/split-store-sqlite.h"

#include <nlohmann/json.hpp>

#include <ctime>

#include "pricing/pricing.h"
#include "sqlite/rows.h"

namespace pp::splits_detail {

namespace {

constexpr const char* kSplitColumns =
    "id, job_ref, owner, title, mode, request, on_decline, price, currency, state, deadline, "
    "created_at, updated_at";

constexpr const char* kShareSelect =
    "SELECT s.id, s.split_id, p.job_ref, p.owner, p.title, p.mode, s.payer, s.cover_of, s.part,"
    "       s.options, s.impressions, s.amount, p.currency, s.state, s.reservation_id,"
    "       p.deadline, s.decided_at, s.reminder_sent_at"
    "  FROM split_shares s JOIN splits p ON p.id = s.split_id ";

Share share_from_row(SQLite::Statement& row) {
  Share share;
  std::string mode, options_text, state;
  sqlite::read_columns(row, share.id, share.split_id, share.job_ref, share.owner, share.title, mode,
                       share.payer, share.cover_of, share.description, options_text,
                       share.impressions, share.amount, share.currency, state, share.reservation_id,
                       share.deadline, share.decided_at, share.reminder_sent_at);
  share.mode = parse_split_mode(mode).value_or(SplitMode::kRatio);
  nlohmann::json options = nlohmann::json::parse(options_text, nullptr, false);
  if (options.is_object()) {
    for (const auto& [name, value] : options.items()) {
      if (value.is_string()) share.options[name] = value.get<std::string>();
    }
  }
  share.state = parse_share_state(state).value_or(ShareState::kPending);
  return share;
}

Split split_from_row(SQLite::Statement& row) {
  Split split;
  std::string mode, on_decline, state;
  sqlite::read_columns(row, split.id, split.job_ref, split.owner, split.title, mode, split.request,
                       on_decline, split.price, split.currency, state, split.deadline,
                       split.created_at, split.updated_at);
  split.mode = parse_split_mode(mode).value_or(SplitMode::kRatio);
  split.on_decline = parse_on_decline(on_decline).value_or(OnDecline::kOwnerCovers);
  split.state = parse_split_state(state).value_or(SplitState::kOpen);
  return split;
}

std::string options_json(const std::map<std::string, std::string>& options) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : options) object[name] = value;
  return object.dump();
}

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, "split: " + std::move(message));
}

std::string duration_text(std::chrono::seconds duration) {
  std::int64_t seconds = duration.count();
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 60) + "m";
}

// Checks a NewSplit before anything is written.
Status check_new_split(const NewSplit& split) {
  if (split.job_ref.empty() || split.job_ref.size() > 512)
    return invalid("a job reference has 1 to 512 characters");
  if (Status status = validate_split_user(split.owner); !status.is_ok()) return status;
  const std::vector<PayerRequest>& payers = split.request.payers;
  if (payers.empty()) return invalid("no payers");
  if (split.quote.parts.size() != payers.size())
    return invalid("the quote has " + std::to_string(split.quote.parts.size()) +
                   " parts for " + std::to_string(payers.size()) + " payers");
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < payers.size(); ++i) {
    const SplitPart& part = split.quote.parts[i];
    if (part.payer != payers[i].payer)
      return invalid("the quote's part " + std::to_string(i + 1) + " is " + part.payer + "'s, not " +
                     payers[i].payer + "'s");
    if (part.amount < 0 || __builtin_add_overflow(sum, part.amount, &sum))
      return invalid("the part of " + part.payer + " has an impossible amount");
  }
  if (sum != split.quote.total)
    return invalid("the parts sum to " + std::to_string(sum) + ", not the quoted " +
                   std::to_string(split.quote.total));
  if (split.site_deadline.count() <= 0) return invalid("the site's deadline is not positive");
  if (split.request.deadline && *split.request.deadline > split.site_deadline) {
    return invalid("deadline " + duration_text(*split.request.deadline) +
                   " is longer than the site's " + duration_text(split.site_deadline));
  }
  return Status::ok();
}

}  // namespace

SqliteSplitStore::SqliteSplitStore(const std::string& path, Ledger& ledger)
    : connection_(path, "split store", Code::kInternal), db_(connection_.db()), ledger_(ledger) {}

Status SqliteSplitStore::initialize() {
  return connection_.initialize([this](SQLite::Database& db) {
    // As the ledger: an approval must survive a power loss as surely as its reservation.
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    if (!db.tableExists("split_shares"))
      return Status(Code::kInternal, connection_.path() + ": ledger has no split tables");
    return Status::ok();
  });
}

std::vector<Share> SqliteSplitStore::query_shares(
    const std::string& where_and_order, const std::function<void(SQLite::Statement&)>& bind) {
  SQLite::Statement query(db_, std::string(kShareSelect) + where_and_order);
  bind(query);
  std::vector<Share> shares;
  while (query.executeStep()) shares.push_back(share_from_row(query));
  return shares;
}

Result<Split> SqliteSplitStore::load_split(const std::string& where, const std::string& value) {
  SQLite::Statement query(db_, std::string("SELECT ") + kSplitColumns + " FROM splits WHERE " + where);
  query.bind(1, value);
  if (!query.executeStep()) return Status(Code::kNotFound, "job " + value + " is not split");
  Split split = split_from_row(query);
  split.shares = query_shares("WHERE s.split_id = ? ORDER BY s.cover_of <> '', s.position, s.id",
                              [&](SQLite::Statement& q) { q.bind(1, split.id); });
  return split;
}

Result<Split> SqliteSplitStore::load_split_by_id(std::int64_t split_id) {
  SQLite::Statement query(db_, "SELECT job_ref FROM splits WHERE id = ?");
  query.bind(1, split_id);
  if (!query.executeStep()) return Status(Code::kNotFound, "no split " + std::to_string(split_id));
  return load_split("job_ref = ?", query.getColumn(0).getString());
}

Result<Split> SqliteSplitStore::create_split(const NewSplit& split, const PayerCheck& check,
                                             SplitClock now) {
  if (Status status = check_new_split(split); !status.is_ok()) return status;
  // Outside the write lock: the check may look at the ledger or the user directory.
  for (const PayerRequest& payer : split.request.payers) {
    if (Status status = check(payer.payer); !status.is_ok()) return status;
  }
  const std::string request = format_split_request(split.request);
  const OnDecline on_decline = split.request.on_decline.value_or(split.site_on_decline);
  const std::string created = iso_utc(now);
  const std::string deadline =
      iso_utc(now + split.request.deadline.value_or(split.site_deadline));
  return connection_.write([&]() -> Result<Split> {
    Result<Split> existing = load_split("job_ref = ?", split.job_ref);
    if (existing.ok()) {
      if (existing->request == request && existing->owner == split.owner) return existing;
      return Status(Code::kAlreadyExists, "job " + split.job_ref + " is split already (" +
                                              existing->request + ")");
    }
    SQLite::Statement insert(db_,
                             "INSERT INTO splits (job_ref, owner, title, mode, request, on_decline,"
                             " price, currency, deadline, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite::bind_values(insert, split.job_ref, split.owner, split.title,
                        std::string(split_mode_name(split.request.mode)), request,
                        std::string(on_decline_name(on_decline)), split.quote.total,
                        split.quote.currency, deadline, created, created);
    insert.exec();
    std::int64_t split_id = db_.getLastInsertRowid();
    for (std::size_t i = 0; i < split.quote.parts.size(); ++i) {
      const SplitPart& part = split.quote.parts[i];
      SQLite::Statement share(db_,
                              "INSERT INTO split_shares (split_id, position, payer, part, options,"
                              " impressions, amount) VALUES (?, ?, ?, ?, ?, ?, ?)");
      sqlite::bind_values(share, split_id, static_cast<std::int64_t>(i), part.payer,
                          part.description, options_json(part.options), part.impressions,
                          part.amount);
      share.exec();
    }
    return load_split_by_id(split_id);
  });
}

Result<Split> SqliteSplitStore::get_split(std::string_view job_ref) {
  return connection_.read([&]() { return load_split("job_ref = ?", std::string(job_ref)); });
}

Result<Share> SqliteSplitStore::get_share(std::int64_t share_id) {
  return connection_.read([&]() -> Result<Share> {
    std::vector<Share> found =
        query_shares("WHERE s.id = ?", [&](SQLite::Statement& q) { q.bind(1, share_id); });
    if (found.empty()) return Status(Code::kNotFound, "no split share " + std::to_string(share_id));
    return found.front();
  });
}

Result<std::vector<Share>> SqliteSplitStore::pending_for(std::string_view payer, SplitClock now) {
  return connection_.read([&]() -> Result<std::vector<Share>> {
    return query_shares(
        "WHERE s.payer = ? AND s.cover_of = '' AND s.state = 'pending' AND p.state = 'open'"
        "   AND p.deadline > ? ORDER BY p.deadline, s.id",
        [&](SQLite::Statement& q) {
          q.bind(1, std::string(payer));
          q.bind(2, iso_utc(now));
        });
  });
}

Result<std::vector<Share>> SqliteSplitStore::shares_of(std::string_view payer) {
  return connection_.read([&]() -> Result<std::vector<Share>> {
    return query_shares("WHERE s.payer = ? ORDER BY p.id DESC, s.position, s.id",
                        [&](SQLite::Statement& q) { q.bind(1, std::string(payer)); });
  });
}

Result<Split> SqliteSplitStore::progress(std::string_view job_ref, std::string_view user,
                                         bool is_admin) {
  Result<Split> split = get_split(job_ref);
  if (!split) return split.status();
  if (split->owner != user && !is_admin) {
    return Status(Code::kPermissionDenied,
                  "user " + std::string(user) + " may not see the split of job " + std::string(job_ref));
  }
  return split;
}

Result<std::vector<Share>> SqliteSplitStore::releasable(std::string_view job_ref,
                                                        std::string_view user) {
  Result<Split> split = get_split(job_ref);
  if (!split) return split.status();
  bool owner = split->owner == user;
  bool payer = false;
  for (const Share& share : split->shares) payer = payer || (!share.is_cover() && share.payer == user);
  if (!owner && !payer) {
    return Status(Code::kPermissionDenied, "user " + std::string(user) +
                                               " may not release the split job " + std::string(job_ref));
  }
  std::vector<Share> ready;
  if (split->state != SplitState::kOpen) return ready;
  if (split->mode == SplitMode::kRatio) {
    if (!owner) return ready;  // one print, released by its owner
    for (const Share& share : split->shares) {
      if (share.state == ShareState::kPending) return std::vector<Share>{};
    }
  }
  for (const Share& share : split->shares) {
    if (share.state != ShareState::kApproved) continue;
    if (owner || share.payer == user) ready.push_back(share);
  }
  return ready;
}

Result<std::vector<Share>> SqliteSplitStore::reminders_due(SplitClock now,
                                                           std::chrono::seconds lead) {
  return connection_.read([&]() -> Result<std::vector<Share>> {
    return query_shares(
        "WHERE s.state = 'pending' AND s.cover_of = '' AND s.reminder_sent_at IS NULL"
        "   AND p.state = 'open' AND p.deadline > ? AND p.deadline <= ? ORDER BY p.deadline, s.id",
        [&](SQLite::Statement& q) {
          q.bind(1, iso_utc(now));
          q.bind(2, iso_utc(now + lead));
        });
  });
}

Status SqliteSplitStore::mark_reminded(std::int64_t share_id, SplitClock now) {
  return connection_.write([&]() -> Status {
    SQLite::Statement exists(db_, "SELECT 1 FROM split_shares WHERE id = ?");
    exists.bind(1, share_id);
    if (!exists.executeStep())
      return Status(Code::kNotFound, "no split share " + std::to_string(share_id));
    SQLite::Statement update(db_,
                             "UPDATE split_shares SET reminder_sent_at = ?"
                             " WHERE id = ? AND reminder_sent_at IS NULL");
    update.bind(1, iso_utc(now));
    update.bind(2, share_id);
    update.exec();
    return Status::ok();
  });
}

Result<std::vector<Split>> SqliteSplitStore::list_splits(std::optional<SplitState> state) {
  return connection_.read([&]() -> Result<std::vector<Split>> {
    SQLite::Statement query(db_, std::string("SELECT job_ref FROM splits") +
                                     (state ? " WHERE state = ?" : "") + " ORDER BY id");
    if (state) query.bind(1, std::string(split_state_name(*state)));
    std::vector<std::string> refs;
    while (query.executeStep()) refs.push_back(query.getColumn(0).getString());
    std::vector<Split> splits;
    for (const std::string& ref : refs) {
      Result<Split> split = load_split("job_ref = ?", ref);
      if (!split) return split.status();
      splits.push_back(std::move(split).value());
    }
    return splits;
  });
}

}  // namespace pp::splits_detail

namespace pp {

std::string_view share_state_name(ShareState state) {
  switch (state) {
    case ShareState::kPending: return "pending";
    case ShareState::kApproved: return "approved";
    case ShareState::kDeclined: return "declined";
    case ShareState::kExpired: return "expired";
    case ShareState::kDiscarded: return "discarded";
    case ShareState::kPrinted: return "printed";
  }
  return "pending";
}

std::optional<ShareState> parse_share_state(std::string_view name) {
  for (ShareState state : {ShareState::kPending, ShareState::kApproved, ShareState::kDeclined,
                           ShareState::kExpired, ShareState::kDiscarded, ShareState::kPrinted}) {
    if (share_state_name(state) == name) return state;
  }
  return std::nullopt;
}

std::string_view split_state_name(SplitState state) {
  switch (state) {
    case SplitState::kOpen: return "open";
    case SplitState::kCancelled: return "cancelled";
    case SplitState::kClosed: return "closed";
  }
  return "open";
}

std::optional<SplitState> parse_split_state(std::string_view name) {
  for (SplitState state : {SplitState::kOpen, SplitState::kCancelled, SplitState::kClosed}) {
    if (split_state_name(state) == name) return state;
  }
  return std::nullopt;
}

std::string Share::key_name() const {
  return JobRef::split_payer_key(payer, cover_of);
}

JobRef Share::part_ref() const {
  return JobRef::split_part(JobRef::from_stored(job_ref), key_name());
}

std::string Split::progress() const {
  std::map<ShareState, int> counts;
  int payers = 0;
  for (const Share& share : shares) {
    if (share.is_cover()) continue;
    ++payers;
    ++counts[share.state];
  }
  std::string text;
  if (state == SplitState::kCancelled) text = "split cancelled: ";
  text += std::to_string(counts[ShareState::kApproved] + counts[ShareState::kPrinted]) + " of " +
          std::to_string(payers) + " approved";
  for (ShareState shown : {ShareState::kPending, ShareState::kDeclined, ShareState::kExpired,
                           ShareState::kDiscarded, ShareState::kPrinted}) {
    if (counts[shown] > 0)
      text += ", " + std::to_string(counts[shown]) + " " + std::string(share_state_name(shown));
  }
  int covers = static_cast<int>(shares.size()) - payers;
  if (covers > 0) text += ", " + std::to_string(covers) + " covered by " + owner;
  return text;
}

std::string describe_share(const Share& share) {
  std::string text = "share " + std::to_string(share.id) + ": ";
  if (share.is_cover()) {
    text += share.payer + " covers " + share.cover_of + "'s " + format_money(share.amount, share.currency);
  } else {
    text += share.owner + " asks " + share.payer + " to pay " +
            format_money(share.amount, share.currency) + " for " + share.description;
  }
  text += " of \"" + share.title + "\" (" + share.job_ref + "), " +
          std::string(share_state_name(share.state));
  if (share.state == ShareState::kPending) text += " until " + share.deadline;
  return text;
}

PayerCheck payer_has_account(Ledger& ledger) {
  return [&ledger](std::string_view payer) -> Status {
    Result<Account> account = ledger.get_account(payer);
    if (!account) {
      if (account.status().code() == Code::kNotFound)
        return Status(Code::kNotFound, std::string(payer) + " has no pullprint account");
      return account.status();
    }
    if (!account->enabled)
      return Status(Code::kPermissionDenied, "the account of " + std::string(payer) + " is disabled");
    return Status::ok();
  };
}

Result<std::unique_ptr<SplitStore>> open_sqlite_split_store(const std::string& ledger_path,
                                                            Ledger& ledger,
                                                            LedgerMigrations migrations) {
  // The ledger creates the file and runs the migrations (004-splits.sql among them); the split
  // store then uses its own connection, like the card store.
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> migrated = open_sqlite_ledger(ledger_path);
    if (!migrated) return migrated.status();
  }
  try {
    auto store = std::make_unique<splits_detail::SqliteSplitStore>(ledger_path, ledger);
    if (Status status = store->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<SplitStore>(std::move(store));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "split store", Code::kInternal);
  }
}

}  // namespace pp
