// notify-command.cpp: the one place that runs notify-command and picks the address (moved here
// from lib/split-jobs, which now calls it: one sending code for every kind of notification).
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <vector>

#include "notify/notify.h"
#include "util/child-process.h"
#include "util/unique-fd.h"

namespace pp {
namespace {

constexpr int kNotifyTimeoutSeconds = 20;

std::vector<std::string> split_words(const std::string& command) {
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

std::string notification_address(std::string_view domain, PeopleStore* people,
                                 const std::string& user) {
  if (people) {
    if (Result<std::optional<Person>> person = people->find_person(user);
        person && *person && !(*person)->email.empty())
      return (*person)->email;
  }
  // An address already (the admins' alert-mail-to, report-mail-to): as it is.
  if (domain.empty() || user.find('@') != std::string::npos) return user;
  return user + "@" + std::string(domain);
}

Status run_notify_command(const std::string& command, const std::string& address,
                          const std::string& title, const std::string& body) {
  std::vector<std::string> argv = split_words(command);
  if (argv.empty()) return Status::ok();
  std::string message;
  if (address.find('@') != std::string::npos)
    message = "To: " + address + "\nSubject: " + title + "\n\n";
  message += body + "\n";
  char path[] = "/tmp/pullprint-notify-XXXXXX";
  UniqueFd file(::mkstemp(path));
  if (!file.valid()) return Status(Code::kIoError, "cannot write the notification");
  const bool written =
      ::write(file.get(), message.data(), message.size()) == static_cast<ssize_t>(message.size());
  file.reset();
  Status result;
  if (!written) {
    result = Status(Code::kIoError, "cannot write the notification");
  } else {
    argv.push_back(address);
    ChildProcessOptions options;
    options.argv = argv;
    options.display_name = "notify-command";
    options.stdin_path = path;
    options.timeout_seconds = kNotifyTimeoutSeconds;
    Result<ChildProcess> child = ChildProcess::start(options);
    result = child ? child->wait() : child.status();
  }
  ::unlink(path);
  return result;
}

}  // namespace pp
