// split-store-sqlite.h: the SQLite SplitStore on the ledger file (private to lib/splits).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "splits/split-store.h"
#include "sqlite/connection.h"
#include "util/utc-time.h"  // iso_utc(), the stored times

namespace pp::splits_detail {

class SqliteSplitStore final : public SplitStore {
 public:
  SqliteSplitStore(const std::string& path, Ledger& ledger);

  Status initialize();

  Result<Split> create_split(const NewSplit& split, const PayerCheck& check,
                             SplitClock now) override;
  Result<Split> get_split(std::string_view job_ref) override;
  Result<Share> get_share(std::int64_t share_id) override;
  Result<Share> approve(std::int64_t share_id, std::string_view user, SplitClock now) override;
  Result<Split> decline(std::int64_t share_id, std::string_view user, SplitClock now) override;
  Result<std::vector<ExpiredSplit>> expire_due(SplitClock now) override;
  Result<Share> capture_share(std::int64_t share_id, std::string_view actor,
                              SplitClock now) override;
  Result<Share> void_share(std::int64_t share_id, std::string_view actor, SplitClock now) override;
  Result<Split> cancel_split(std::string_view job_ref, std::string_view user, bool is_admin,
                             SplitClock now) override;
  Result<std::vector<Share>> pending_for(std::string_view payer, SplitClock now) override;
  Result<std::vector<Share>> shares_of(std::string_view payer) override;
  Result<Split> progress(std::string_view job_ref, std::string_view user, bool is_admin) override;
  Result<std::vector<Share>> releasable(std::string_view job_ref, std::string_view user) override;
  Result<std::vector<Share>> reminders_due(SplitClock now, std::chrono::seconds lead) override;
  Status mark_reminded(std::int64_t share_id, SplitClock now) override;
  Result<std::vector<Split>> list_splits(std::optional<SplitState> state) override;

 private:
  // Reading, inside a transaction of the caller's.
  Result<Split> load_split(const std::string& where, const std::string& value);
  Result<Split> load_split_by_id(std::int64_t split_id);
  std::vector<Share> query_shares(const std::string& where_and_order,
                                  const std::function<void(SQLite::Statement&)>& bind);

  // Steps of the state machine (split-store-decide.cpp).
  Status apply_ratio_rule(std::int64_t split_id, SplitClock now);
  Status cancel_internal(std::int64_t split_id, const std::string& actor, SplitClock now);
  // Voids whatever reservation the share's reserve key holds, if it is open.
  Status void_by_key(const Share& share, const std::string& actor, const std::string& note);
  // Closes an open split once no share is pending or approved.
  Status refresh_state(std::int64_t split_id, SplitClock now);
  // Voids open reservations of shares that no longer hold money (an interrupted step).
  Status sweep_dangling(SplitClock now);

  sqlite::Connection connection_;
  SQLite::Database& db_;
  Ledger& ledger_;
};

}  // namespace pp::splits_detail
