// directory-config.cpp: the [directory NAME] sections and the bind password file.
//
// The bind password is never in the config file or on a command line (both are readable by
// more people than the password should be, and a command line shows in `ps`): it is read from
// `bind-password-file`, which must be readable by its owner only.
#include <sys/stat.h>

#include <fstream>
#include <set>

#include "directory/directory.h"

namespace pp {

namespace {

constexpr std::string_view kPrefix = "directory.";

Status bad_key(const std::string& key, std::string_view why) {
  return Status(Code::kInvalidArgument, "config key " + key + ": " + std::string(why));
}

Result<MemberStyle> member_style_of(const std::string& key, std::string_view attribute) {
  std::string lower(attribute);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "member") return MemberStyle::kMember;
  if (lower == "uniquemember") return MemberStyle::kUniqueMember;
  if (lower == "memberuid") return MemberStyle::kMemberUid;
  return bad_key(key, "must be member, uniqueMember or memberUid");
}

// The group filter that goes with a member attribute when the section names none.
std::string default_group_filter(MemberStyle style) {
  switch (style) {
    case MemberStyle::kUniqueMember:
      return "(objectClass=groupOfUniqueNames)";
    case MemberStyle::kMemberUid:
      return "(objectClass=posixGroup)";
    case MemberStyle::kMember:
      break;
  }
  return "(|(objectClass=groupOfNames)(objectClass=group))";
}

// Reads one section's keys (`keys`: "uri" -> value).
Result<DirectoryConfig> section(const Config& config, const std::string& name,
                                const std::set<std::string>& keys) {
  DirectoryConfig directory;
  directory.name = name;
  std::string prefix = std::string(kPrefix) + name + ".";
  auto text = [&](const char* key, std::string& field) {
    if (std::optional<std::string> value = config.get(prefix + key)) field = *value;
  };
  auto seconds = [&](const char* key, std::int64_t& field, std::int64_t low) -> Status {
    Result<std::int64_t> value = config.get_int(prefix + key, field);
    if (!value) return value.status();
    if (*value < low) return bad_key(prefix + key, "must be at least " + std::to_string(low));
    field = *value;
    return Status::ok();
  };
  static const std::set<std::string> kKnown = {"uri",
                                               "start-tls",
                                               "bind-dn",
                                               "bind-password-file",
                                               "base",
                                               "user-filter",
                                               "id-attribute",
                                               "login-attribute",
                                               "name-attribute",
                                               "mail-attribute",
                                               "department-attribute",
                                               "card-attribute",
                                               "group-base",
                                               "group-filter",
                                               "group-name-attribute",
                                               "member-attribute",
                                               "card-format",
                                               "sync-interval",
                                               "leaver-grace",
                                               "timeout",
                                               "page-size"};
  for (const std::string& key : keys) {
    if (!kKnown.count(key)) return bad_key(prefix + key, "unknown key in [directory " + name + "]");
  }
  text("uri", directory.uri);
  if (directory.uri.empty())
    return bad_key(prefix + "uri", "missing (ldap://, ldaps:// or ldapi://)");
  if (directory.uri.rfind("ldap://", 0) != 0 && directory.uri.rfind("ldaps://", 0) != 0 &&
      directory.uri.rfind("ldapi://", 0) != 0)
    return bad_key(prefix + "uri", "must start with ldap://, ldaps:// or ldapi://");
  Result<bool> start_tls = config.get_bool(prefix + "start-tls", false);
  if (!start_tls) return start_tls.status();
  directory.start_tls = *start_tls;
  text("bind-dn", directory.bind_dn);
  text("bind-password-file", directory.bind_password_file);
  if (!directory.bind_dn.empty() && directory.bind_password_file.empty())
    return bad_key(prefix + "bind-password-file", "missing (bind-dn needs a password file)");
  text("base", directory.base);
  if (directory.base.empty()) return bad_key(prefix + "base", "missing");
  text("user-filter", directory.user_filter);
  text("id-attribute", directory.id_attribute);
  text("login-attribute", directory.login_attribute);
  text("name-attribute", directory.name_attribute);
  text("mail-attribute", directory.mail_attribute);
  text("department-attribute", directory.department_attribute);
  text("card-attribute", directory.card_attribute);
  directory.group_base = directory.base;
  text("group-base", directory.group_base);
  text("group-name-attribute", directory.group_name_attribute);
  text("member-attribute", directory.member_attribute);
  Result<MemberStyle> style =
      member_style_of(prefix + "member-attribute", directory.member_attribute);
  if (!style) return style.status();
  directory.member_style = *style;
  directory.group_filter = default_group_filter(directory.member_style);
  text("group-filter", directory.group_filter);
  if (std::optional<std::string> format = config.get(prefix + "card-format")) {
    Result<CardFormat> parsed = parse_card_format(*format);
    if (!parsed) return bad_key(prefix + "card-format", parsed.status().message());
    directory.card_format = *parsed;
  }
  for (Status status : {seconds("sync-interval", directory.sync_interval, 0),
                        seconds("leaver-grace", directory.leaver_grace, 0),
                        seconds("timeout", directory.timeout, 1)}) {
    if (!status.is_ok()) return status;
  }
  std::int64_t page_size = directory.page_size;
  if (Status status = seconds("page-size", page_size, 1); !status.is_ok()) return status;
  if (page_size > 100000) return bad_key(prefix + "page-size", "at most 100000");
  directory.page_size = static_cast<int>(page_size);
  return directory;
}

}  // namespace

Result<std::vector<DirectoryConfig>> directories_from_config(const Config& config) {
  std::map<std::string, std::set<std::string>> sections;  // name -> keys
  for (const std::string& key : config.keys_with_prefix(kPrefix)) {
    std::string rest = key.substr(kPrefix.size());
    std::size_t dot = rest.find('.');
    if (dot == std::string::npos || dot == 0)
      return bad_key(key, "directory keys belong in a [directory NAME] section");
    sections[rest.substr(0, dot)].insert(rest.substr(dot + 1));
  }
  std::vector<DirectoryConfig> directories;
  for (const auto& [name, keys] : sections) {
    Result<DirectoryConfig> directory = section(config, name, keys);
    if (!directory) return directory.status();
    directories.push_back(std::move(*directory));
  }
  return directories;
}

Result<std::string> read_bind_password(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    return Status(Code::kNotFound, "bind-password-file " + path + ": cannot be read");
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return Status(Code::kPermissionDenied,
                  "bind-password-file " + path +
                      ": its group or others may read it; make it readable by its owner only "
                      "(chmod 600)");
  std::ifstream file(path);
  std::string password;
  if (!file || !std::getline(file, password))
    return Status(Code::kPermissionDenied, "bind-password-file " + path + ": cannot be read");
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty())
    return Status(Code::kInvalidArgument, "bind-password-file " + path + ": empty");
  return password;
}

}  // namespace pp
