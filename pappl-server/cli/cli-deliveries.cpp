// cli-deliveries.cpp: `pullprint deliveries ...` and `pullprint review ...`: the jobs on their
// way to a printer (lib/delivery), for admins and release terminals of the CUPS door.
//
//   pullprint deliveries [--state S] [--owner U] [--json]   list the delivery rows
//   pullprint deliveries release JOB-REF [--amount A] [--by U] [--no-resume]
//                                        release a job the backend holds (and resume it in CUPS)
//   pullprint deliveries reconcile       settle what crashed backends left in flight
//   pullprint review JOB-REF --capture|--void   decide a job that failed after data was sent

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "charging/money-input.h"
#include "cli/cli.h"
#include "delivery/delivery.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "split-jobs/split-jobs.h"

namespace pp::cli {

namespace {

struct DeliveryArgs {
  std::string state;
  std::string owner;
  bool json = false;
  std::string job_ref;
  std::string amount;
  std::string by;
  std::string printer;
  bool no_resume = false;
  bool capture = false;
  bool void_it = false;
};

DeliveryLog* open_log(CliContext& context) {
  return &context.site(SiteStores{.deliveries = true}).deliveries();
}

nlohmann::json delivery_json(const Delivery& d, const std::string& fallback_currency) {
  std::string currency = d.currency.empty() ? fallback_currency : d.currency;
  nlohmann::json object{{"job_ref", d.job_ref},
                        {"state", delivery_state_name(d.state)},
                        {"reservation_id", d.reservation_id},
                        {"owner", d.owner},
                        {"title", d.title},
                        {"printer", d.printer},
                        {"device_uri", d.device_uri},
                        {"amount", d.amount},
                        {"currency", currency},
                        {"amount_text", format_money(d.amount, currency)},
                        {"released_by", d.released_by},
                        {"attempts", d.attempts},
                        {"bytes_sent", d.bytes_sent},
                        {"cups_queue", d.cups_queue},
                        {"message", d.message},
                        {"created_at", d.created_at},
                        {"updated_at", d.updated_at}};
  object["pid"] = d.pid ? nlohmann::json(*d.pid) : nullptr;
  object["cups_job_id"] = d.cups_job_id ? nlohmann::json(*d.cups_job_id) : nullptr;
  return object;
}

void list_deliveries(CliContext& context, const DeliveryArgs& args) {
  std::optional<DeliveryState> state;
  if (!args.state.empty()) {
    state = parse_delivery_state(args.state);
    if (!state)
      die(Status(
          Code::kInvalidArgument,
          "unknown state " + args.state + " (held, released, in-flight, printed, voided, review)"));
  }
  Result<std::vector<Delivery>> rows = open_log(context)->list(state, args.owner);
  if (!rows) die(rows.status());
  std::string currency = context.currency();
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Delivery& d : *rows) list.push_back(delivery_json(d, currency));
    std::cout << list.dump(2) << "\n";
    return;
  }
  std::printf("%-44s %-9s %-12s %-14s %10s %s\n", "JOB", "STATE", "OWNER", "PRINTER", "AMOUNT",
              "MESSAGE");
  for (const Delivery& d : *rows) {
    std::printf("%-44s %-9s %-12s %-14s %10s %s\n", d.job_ref.c_str(),
                std::string(delivery_state_name(d.state)).c_str(), d.owner.c_str(),
                d.printer.c_str(),
                format_money(d.amount, d.currency.empty() ? currency : d.currency).c_str(),
                d.message.c_str());
  }
}

// Releases a job: the CUPS door's held job at its queue (at the price the filter reserved, or
// --amount), or a job with no row yet (its reservation found under "reserve:JOB-REF").
void release_delivery(CliContext& context, const DeliveryArgs& args) {
  DeliveryLog* log = open_log(context);
  Ledger& ledger = context.ledger();
  std::string currency = context.currency();
  ReleaseOrder order;
  order.job_ref = args.job_ref;
  order.printer = args.printer;
  order.currency = currency;
  order.released_by = args.by.empty() ? current_user() : args.by;
  Result<Delivery> row = log->get(args.job_ref);
  if (row) {
    order.reservation_id = row->reservation_id;
  } else {
    if (row.status().code() != Code::kNotFound) die(row.status());
    Result<std::optional<Reservation>> found =
        ledger.find_reservation_by_key(JobRef::from_stored(args.job_ref).reserve_key());
    if (!found) die(found.status());
    if (!*found) die(Status(Code::kNotFound, "no delivery and no reservation for " + args.job_ref));
    if (args.printer.empty())
      die(Status(Code::kInvalidArgument, "a job that is not held needs --printer"));
    order.reservation_id = (*found)->id;
    order.owner = (*found)->account;
  }
  // A CUPS-door split job prints only once its split is settled (the rule release_cups_job
  // applies at the terminals): released earlier, its pending shares would never be charged.
  if (Result<Split> split =
          context.site(SiteStores{.splits = true}).splits().get_split(args.job_ref);
      split) {
    if (Status ready = check_ratio_split_ready(*split, "job " + args.job_ref); !ready.is_ok())
      die(ready);
  } else if (split.status().code() != Code::kNotFound) {
    die(split.status());
  }
  Result<Reservation> reservation = ledger.get_reservation(order.reservation_id);
  if (!reservation) die(reservation.status());
  order.amount = reservation->amount;
  if (!args.amount.empty()) {
    Result<std::int64_t> amount = parse_money(args.amount, currency);
    if (!amount) die(amount.status());
    order.amount = *amount;
  }
  Result<Delivery> released = log->release(order);
  if (!released) die(released.status());
  std::cout << released->job_ref << ": released to " << released->printer << " at "
            << format_money(released->amount, currency) << "\n";
  if (args.no_resume || released->cups_queue.empty() || !released->cups_job_id) return;
  if (Status resumed = resume_cups_job(*released->cups_job_id, current_user()); !resumed.is_ok()) {
    std::fprintf(stderr, "pullprint: %s; release it with lp -i %lld -H resume\n",
                 resumed.message().c_str(), static_cast<long long>(*released->cups_job_id));
    std::exit(1);
  }
  std::cout << released->cups_queue << "-" << *released->cups_job_id << ": resumed in CUPS\n";
}

void reconcile(CliContext& context) {
  DeliveryLog* log = open_log(context);
  Result<int> changed = reconcile_deliveries(context.ledger(), *log);
  if (!changed) die(changed.status());
  std::cout << "reconciled " << *changed << " deliveries\n";
}

void review(CliContext& context, const DeliveryArgs& args) {
  if (args.capture == args.void_it)
    die(Status(Code::kInvalidArgument, "say --capture (the pages came out) or --void"));
  DeliveryLog* log = open_log(context);
  Result<Delivery> done =
      resolve_review(context.ledger(), *log, args.job_ref, args.capture, current_user());
  if (!done) die(done.status());
  std::cout << done->job_ref << ": " << delivery_state_name(done->state) << " (" << done->message
            << ")\n";
}

}  // namespace

void add_delivery_commands(CLI::App& app, CliContext& context) {
  auto list_args = std::make_shared<DeliveryArgs>();
  auto* deliveries = app.add_subcommand("deliveries", "Jobs on their way to a printer (admin)");
  deliveries->require_subcommand(0, 1);
  deliveries->add_option("--state", list_args->state,
                         "Only jobs in this state: held, released, in-flight, printed, voided, "
                         "review");
  deliveries->add_option("--owner", list_args->owner, "Only this user's jobs");
  deliveries->add_flag("--json", list_args->json, "JSON output");
  deliveries->callback([&context, list_args, deliveries] {
    if (deliveries->get_subcommands().empty()) list_deliveries(context, *list_args);
  });

  auto release_args = std::make_shared<DeliveryArgs>();
  auto* release = deliveries->add_subcommand(
      "release", "Release a held job to its queue (CUPS door) and resume it in CUPS");
  release->add_option("job-ref", release_args->job_ref, "Ledger job reference")->required();
  release->add_option("--amount", release_args->amount,
                      "Price to charge when it prints (default: the reserved amount)");
  release->add_option("--printer", release_args->printer,
                      "Printer (required for a job the backend does not hold)");
  release->add_option("--by", release_args->by, "Who releases it (default: you)");
  release->add_flag("--no-resume", release_args->no_resume,
                    "Do not ask cupsd to release the held CUPS job");
  release->callback([&context, release_args] { release_delivery(context, *release_args); });

  auto* reconcile_command =
      deliveries->add_subcommand("reconcile", "Settle jobs left in flight by a backend that died");
  reconcile_command->callback([&context] { reconcile(context); });

  auto review_args = std::make_shared<DeliveryArgs>();
  auto* review_command =
      app.add_subcommand("review", "Decide a job that failed after data reached the printer");
  review_command->add_option("job-ref", review_args->job_ref, "Ledger job reference")->required();
  auto* capture = review_command->add_flag("--capture", review_args->capture,
                                           "The pages came out: charge the job");
  auto* void_flag =
      review_command->add_flag("--void", review_args->void_it, "Nothing usable came out: void it");
  capture->excludes(void_flag);
  review_command->callback([&context, review_args] { review(context, *review_args); });
}

}  // namespace pp::cli
