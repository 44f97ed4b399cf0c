// directory.h: a site's LDAP directories ([directory NAME] sections) and their sync into the
// people store, the cards and the personal ledger accounts.
//
// Why: a site's directories (a staff Active Directory, a student OpenLDAP) are the truth about
// who its users are, what they are called, which groups they are in and which cards they carry.
// A sync reads one directory whole (paged, so a directory larger than its size limit is read
// whole), compares that snapshot with what the ledger file holds, and makes a plan: the people,
// groups, memberships, cards and accounts to create, change, disable or block. `--dry-run`
// prints the plan; otherwise it is applied in one transaction on the ledger file, so a sync that
// fails half-way (the directory stops answering, the disk is full) changes nothing, and a second
// sync finds nothing to do. People are keyed on the directory's immutable identifier
// (`id-attribute`), so a renamed user keeps their person, account, balance and history. Nothing
// in the ledger's history is ever deleted: a leaver is disabled, then archived.
//
// The pieces: directory-config.cpp (the section's keys, the bind password file),
// card-format.h (card numbers as the site's readers report them), ldap-reader.h (libldap),
// directory-plan.h (the diff, no I/O), directory-store.h (the current state, the atomic apply,
// each directory's last sync), directory-sync.cpp (the whole sync, as the CLI and pullprintd's
// timer run it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "directory/card-format.h"
#include "util/status.h"

namespace pp {

// How a group entry names its members.
enum class MemberStyle {
  kMember,        // `member`: DNs of users and of nested groups (followed)
  kUniqueMember,  // `uniqueMember`: DNs, optionally with a "#uid" suffix; nested groups followed
  kMemberUid,     // `memberUid`: logins
};

// One [directory NAME] section.
struct DirectoryConfig {
  std::string name;
  std::string uri;  // ldap://, ldaps://, ldapi://
  bool start_tls = false;
  std::string bind_dn;             // empty: anonymous
  std::string bind_password_file;  // required with bind_dn
  std::string base;
  std::string user_filter = "(objectClass=inetOrgPerson)";
  std::string id_attribute = "entryUUID";
  std::string login_attribute = "uid";
  std::string name_attribute = "cn";
  std::string mail_attribute = "mail";
  std::string department_attribute = "departmentNumber";
  std::string card_attribute;  // empty: the directory brings no cards
  std::string group_base;      // default: base
  std::string group_filter;    // default from member_attribute; "none": no groups
  std::string group_name_attribute = "cn";
  std::string member_attribute = "member";
  MemberStyle member_style = MemberStyle::kMember;
  CardFormat card_format;
  std::int64_t sync_interval = 0;          // seconds; 0 = only by command
  std::int64_t leaver_grace = 90 * 86400;  // seconds from disabled to archived
  std::int64_t timeout = 30;               // seconds per LDAP operation
  int page_size = 500;                     // entries per page (RFC 2696)
};

// Reads every [directory NAME] section of `config` (keys "directory.NAME.*"), in name order.
// Unknown keys and bad values are kInvalidArgument naming the key.
Result<std::vector<DirectoryConfig>> directories_from_config(const Config& config);

// Reads the bind password from `path`: its first line. Refuses (kPermissionDenied) a file that
// its group or others may read or write, and a missing or empty file.
Result<std::string> read_bind_password(const std::string& path);

// One user entry as read from a directory (values as the directory holds them).
struct DirectoryUser {
  std::string id;  // id-attribute (binary values hex-encoded)
  std::string dn;
  std::string login;
  std::string display_name;
  std::string email;
  std::string department;
  std::vector<std::string> cards;  // raw card-attribute values
};

// One group entry: its raw member values (DNs or logins, after member_style).
struct DirectoryGroup {
  std::string id;  // id-attribute, else the DN
  std::string dn;
  std::string name;
  std::vector<std::string> members;
};

// A whole directory, read before anything is written.
struct DirectorySnapshot {
  std::vector<DirectoryUser> users;
  std::vector<DirectoryGroup> groups;
};

}  // namespace pp
