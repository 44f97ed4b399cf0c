// property-test.cpp: random operation sequences against a simple in-memory model.
//
// RapidCheck generates sequences of ledger calls (keys drawn from a small pool so that keys
// repeat, with the same or with different parameters; some calls replay an earlier one
// verbatim). After every call the result code and id must equal the model's prediction, every
// account's balance/reserved must equal the model's, and check() must find nothing.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <ostream>
#include <vector>

#include "ledger/ledger.h"
#include "support/temp-dir.h"

namespace pp::test {
namespace {

enum OpKind {
  kTopUp,
  kAdjust,
  kReserve,
  kCapture,
  kVoid,
  kRefund,
  kCredit,
  kEnable,
  kEnsure,
  kRepeat,
  kOpKinds
};

struct Op {
  int kind;
  int account;          // index into kNames
  std::int64_t amount;  // also credit limit / initial balance
  int key;              // "k<key>"
  int reservation;      // reservation id is reservation + 1; also which earlier op to repeat
  bool flag;            // unlimited / enabled
};

std::ostream& operator<<(std::ostream& out, const Op& op) {
  static const char* const kKindNames[] = {"top_up", "adjust", "reserve", "capture", "void",
                                           "refund", "credit", "enable",  "ensure",  "repeat"};
  return out << kKindNames[op.kind] << "(account=" << op.account << " amount=" << op.amount
             << " key=k" << op.key << " res=" << op.reservation + 1 << " flag=" << op.flag << ")";
}

const char* const kNames[] = {"a0", "a1", "a2", "u3", "nobody"};

// What the ledger should do: the code and, on success, the entry or reservation id.
struct Expect {
  Code code = Code::kOk;
  std::int64_t id = 0;
};

class Model {
 public:
  struct Account {
    std::int64_t balance = 0, reserved = 0, credit = 0;
    bool unlimited = false, enabled = true, shared = false;
  };
  struct Res {
    std::string account;
    std::int64_t amount = 0, captured = 0, refunded = 0;
    ReservationState state = ReservationState::kOpen;
  };
  struct KeyUse {
    EntryKind kind;
    std::string account;
    std::int64_t amount;
    std::int64_t reservation;  // 0 for none
    std::int64_t entry;
  };

  std::map<std::string, Account> accounts;
  std::vector<Res> reservations;  // id = index + 1

  Expect apply(const Op& op) {
    std::string name = kNames[op.account];
    std::string key = "k" + std::to_string(op.key);
    switch (op.kind) {
      case kTopUp:
        if (op.amount <= 0) return {Code::kInvalidArgument};
        return simple(EntryKind::kTopUp, name, op.amount, key);
      case kAdjust:
        if (op.amount == 0) return {Code::kInvalidArgument};
        return simple(EntryKind::kAdjustment, name, op.amount, key);
      case kReserve:
        return reserve(name, op.amount, key);
      case kCapture:
        return capture(op.reservation + 1, op.amount, key);
      case kVoid:
        return void_reservation(op.reservation + 1, key);
      case kRefund:
        return refund(op.reservation + 1, op.amount, key);
      case kCredit:
        if (op.amount < 0) return {Code::kInvalidArgument};
        if (!accounts.count(name)) return {Code::kNotFound};
        accounts[name].credit = op.amount;
        accounts[name].unlimited = op.flag;
        return {};
      case kEnable:
        if (!accounts.count(name)) return {Code::kNotFound};
        accounts[name].enabled = op.flag;
        return {};
      default:
        return ensure(name, op.amount);
    }
  }

 private:
  // The key's earlier use if it matches, kConflict if not, nullopt if the key is new.
  std::optional<Expect> replay(const std::string& key, EntryKind kind, const std::string& account,
                               std::int64_t amount, std::int64_t reservation) {
    auto used = keys_.find(key);
    if (used == keys_.end()) return std::nullopt;
    const KeyUse& u = used->second;
    bool same_res = kind == EntryKind::kReserve || u.reservation == reservation;
    if (u.kind == kind && u.account == account && u.amount == amount && same_res) {
      return Expect{Code::kOk, kind == EntryKind::kReserve ? u.reservation : u.entry};
    }
    return Expect{Code::kConflict};
  }

  std::int64_t record(const std::string& key, EntryKind kind, const std::string& account,
                      std::int64_t amount, std::int64_t reservation) {
    std::int64_t entry = next_entry_++;
    keys_[key] = KeyUse{kind, account, amount, reservation, entry};
    return entry;
  }

  Expect simple(EntryKind kind, const std::string& name, std::int64_t amount,
                const std::string& key) {
    if (!accounts.count(name)) return {Code::kNotFound};
    if (auto prior = replay(key, kind, name, amount, 0)) return *prior;
    accounts[name].balance += amount;
    return {Code::kOk, record(key, kind, name, amount, 0)};
  }

  Expect reserve(const std::string& name, std::int64_t amount, const std::string& key) {
    if (amount < 0) return {Code::kInvalidArgument};
    if (!accounts.count(name)) return {Code::kNotFound};
    if (auto prior = replay(key, EntryKind::kReserve, name, amount, 0)) return *prior;
    Account& a = accounts[name];
    if (!a.enabled) return {Code::kPermissionDenied};
    if (!a.unlimited && a.balance - a.reserved - amount < -a.credit) {
      return {Code::kInsufficientFunds};
    }
    a.reserved += amount;
    reservations.push_back(Res{name, amount});
    std::int64_t id = static_cast<std::int64_t>(reservations.size());
    record(key, EntryKind::kReserve, name, amount, id);
    return {Code::kOk, id};
  }

  Expect capture(std::int64_t id, std::int64_t amount, const std::string& key) {
    if (amount < 0) return {Code::kInvalidArgument};
    if (id > static_cast<std::int64_t>(reservations.size())) return {Code::kNotFound};
    Res& r = reservations[id - 1];
    if (auto prior = replay(key, EntryKind::kCapture, r.account, -amount, id)) return *prior;
    if (r.state != ReservationState::kOpen) return {Code::kConflict};
    r.state = ReservationState::kCaptured;
    r.captured = amount;
    accounts[r.account].balance -= amount;
    accounts[r.account].reserved -= r.amount;
    return {Code::kOk, record(key, EntryKind::kCapture, r.account, -amount, id)};
  }

  Expect void_reservation(std::int64_t id, const std::string& key) {
    if (id > static_cast<std::int64_t>(reservations.size())) return {Code::kNotFound};
    Res& r = reservations[id - 1];
    if (auto prior = replay(key, EntryKind::kVoid, r.account, r.amount, id)) return *prior;
    if (r.state != ReservationState::kOpen) return {Code::kConflict};
    r.state = ReservationState::kVoided;
    accounts[r.account].reserved -= r.amount;
    return {Code::kOk, record(key, EntryKind::kVoid, r.account, r.amount, id)};
  }

  Expect refund(std::int64_t id, std::int64_t amount, const std::string& key) {
    if (amount <= 0) return {Code::kInvalidArgument};
    if (id > static_cast<std::int64_t>(reservations.size())) return {Code::kNotFound};
    Res& r = reservations[id - 1];
    if (auto prior = replay(key, EntryKind::kRefund, r.account, amount, id)) return *prior;
    if (r.state != ReservationState::kCaptured) return {Code::kConflict};
    if (amount > r.captured - r.refunded) return {Code::kConflict};
    r.refunded += amount;
    accounts[r.account].balance += amount;
    return {Code::kOk, record(key, EntryKind::kRefund, r.account, amount, id)};
  }

  Expect ensure(const std::string& name, std::int64_t initial) {
    if (initial < 0) return {Code::kInvalidArgument};
    if (!accounts.count(name)) {
      accounts[name] = Account{};
      if (initial > 0) {
        accounts[name].balance = initial;
        record("initial:" + name, EntryKind::kAllocation, name, initial, 0);
      }
    }
    return {accounts[name].shared ? Code::kConflict : Code::kOk};
  }

  std::map<std::string, KeyUse> keys_;
  std::int64_t next_entry_ = 1;
};

// Runs one op against the ledger: the code and the entry or reservation id.
Expect run(Ledger& ledger, const Op& op) {
  std::string name = kNames[op.account];
  std::string key = "k" + std::to_string(op.key);
  std::int64_t res = op.reservation + 1;
  auto entry = [](const Result<JournalEntry>& r) {
    return r.ok() ? Expect{Code::kOk, r->id} : Expect{r.status().code()};
  };
  auto status = [](const Status& s) { return Expect{s.code()}; };
  switch (op.kind) {
    case kTopUp:
      return entry(ledger.top_up(name, op.amount, key, "prop", ""));
    case kAdjust:
      return entry(ledger.adjust(name, op.amount, key, "prop", ""));
    case kReserve: {
      auto r = ledger.reserve(name, op.amount, key, "job", "prop");
      return r.ok() ? Expect{Code::kOk, r->id} : Expect{r.status().code()};
    }
    case kCapture:
      return entry(ledger.capture(res, op.amount, key, "prop"));
    case kVoid:
      return entry(ledger.void_reservation(res, key, "prop", ""));
    case kRefund:
      return entry(ledger.refund(res, op.amount, key, "prop", ""));
    case kCredit:
      return status(ledger.set_credit_limit(name, op.amount, op.flag));
    case kEnable:
      return status(ledger.set_enabled(name, op.flag));
    default: {
      auto r = ledger.ensure_personal_account(name, op.amount);
      return Expect{r.status().code()};
    }
  }
}

// A few coarse amounts (and two invalid ones), so that exact boundaries come up often: available
// reaching exactly -credit_limit, a refund of exactly what is left, a repeat with the same amount.
rc::Gen<std::int64_t> gen_amount() {
  return rc::gen::element<std::int64_t>(-10, 0, 10, 20, 30, 50, 100, 150);
}

rc::Gen<Op> gen_op() {
  // Weighted towards the two-phase calls, whose interplay has the most rules.
  auto kind = rc::gen::weightedElement<int>({{2, kTopUp},
                                             {1, kAdjust},
                                             {3, kReserve},
                                             {3, kCapture},
                                             {1, kVoid},
                                             {3, kRefund},
                                             {1, kCredit},
                                             {1, kEnable},
                                             {1, kEnsure},
                                             {2, kRepeat}});
  return rc::gen::construct<Op>(kind, rc::gen::inRange(0, 5), gen_amount(), rc::gen::inRange(0, 40),
                                rc::gen::inRange(0, 3), rc::gen::arbitrary<bool>());
}

RC_GTEST_PROP(LedgerProperty, MatchesModelAndStaysConsistent, ()) {
  TempDir dir;
  auto opened = open_sqlite_ledger(dir.file("ledger.sqlite"));
  RC_ASSERT(opened.ok());
  Ledger& ledger = *opened.value();
  Model model;
  for (const char* name : {"a0", "a1", "a2"}) {
    NewAccount spec;
    spec.name = name;
    spec.type = name[1] == '2' ? AccountType::kShared : AccountType::kPersonal;
    spec.credit_limit = name[1] == '1' ? 100 : 0;
    spec.unlimited = name[1] == '2';
    RC_ASSERT(ledger.create_account(spec).ok());
    model.accounts[name] = Model::Account{
        0, 0, spec.credit_limit, spec.unlimited, true, spec.type == AccountType::kShared};
  }

  int count = *rc::gen::inRange(1, 60);
  auto ops = *rc::gen::container<std::vector<Op>>(count, gen_op());
  // Start with money on the limited accounts, so that reservations mostly succeed.
  ops.insert(ops.begin(), {Op{kTopUp, 0, 150, 100, 0, false}, Op{kTopUp, 1, 100, 101, 0, false}});
  for (std::size_t i = 0; i < ops.size(); ++i) {
    Op op = ops[i];
    if (op.kind == kRepeat) {
      if (i == 0) continue;
      op = ops[op.reservation % i];  // an earlier call again, verbatim
      if (op.kind == kRepeat) continue;
    }
    Expect expected = model.apply(op);
    Expect got = run(ledger, op);
    RC_LOG() << "step " << i << ": " << op << " -> " << code_name(got.code) << " " << got.id
             << "\n";
    RC_ASSERT(got.code == expected.code);
    RC_ASSERT(got.id == expected.id);

    for (const auto& [name, want] : model.accounts) {
      auto have = ledger.get_account(name);
      RC_ASSERT(have.ok());
      RC_ASSERT(have->balance == want.balance);
      RC_ASSERT(have->reserved == want.reserved);
      RC_ASSERT(have->available() == want.balance - want.reserved);
    }
    auto checked = ledger.check();
    RC_ASSERT(checked.ok());
    for (const auto& violation : checked->violations) RC_LOG() << violation << "\n";
    RC_ASSERT(checked->violations.empty());
  }
}

}  // namespace
}  // namespace pp::test
