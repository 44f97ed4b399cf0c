// ldap-reader.cpp: libldap behind RAII owners: the connection, each page of results, the
// paging controls. Paging follows RFC 2696: ldap_create_page_control with the cookie of the
// previous page, ldap_parse_result for the response controls, ldap_parse_pageresponse_control
// for the next cookie; an empty cookie ends the search.
#include "directory/ldap-reader.h"

#include <ldap.h>

#include <functional>
#include <memory>
#include <unordered_map>

namespace pp {

namespace {

struct LdapUnbind {
  void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct MessageFree {
  void operator()(LDAPMessage* message) const { ldap_msgfree(message); }
};
struct ControlFree {
  void operator()(LDAPControl* control) const { ldap_control_free(control); }
};
struct ControlsFree {
  void operator()(LDAPControl** controls) const { ldap_controls_free(controls); }
};
struct MemFree {
  void operator()(char* text) const { ldap_memfree(text); }
};
struct ValuesFree {
  void operator()(berval** values) const { ldap_value_free_len(values); }
};
using LdapHandle = std::unique_ptr<LDAP, LdapUnbind>;
using MessageHandle = std::unique_ptr<LDAPMessage, MessageFree>;
using ControlHandle = std::unique_ptr<LDAPControl, ControlFree>;
using ControlsHandle = std::unique_ptr<LDAPControl*, ControlsFree>;
using TextHandle = std::unique_ptr<char, MemFree>;
using ValuesHandle = std::unique_ptr<berval*, ValuesFree>;

// A cookie owned by libldap (ber_memfree on its bv_val).
class Cookie {
 public:
  Cookie() = default;
  Cookie(const Cookie&) = delete;
  Cookie& operator=(const Cookie&) = delete;
  ~Cookie() { ber_memfree(value_.bv_val); }
  berval* get() { return &value_; }
  bool empty() const { return value_.bv_len == 0; }
  void reset() {
    ber_memfree(value_.bv_val);
    value_ = berval{};
  }

 private:
  berval value_{};
};

class Reader {
 public:
  Reader(const DirectoryConfig& directory) : directory_(directory) {}

  Status fail(const std::string& what, int code) const {
    return Status(Code::kIoError, "directory " + directory_.name + " (" + directory_.uri +
                                      "): " + what + ": " + ldap_err2string(code));
  }

  Status connect(const std::string& password) {
    LDAP* raw = nullptr;
    if (int rc = ldap_initialize(&raw, directory_.uri.c_str()); rc != LDAP_SUCCESS)
      return fail("cannot use the URI", rc);
    ld_.reset(raw);
    int version = LDAP_VERSION3;
    ldap_set_option(ld_.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld_.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    timeval timeout{static_cast<time_t>(directory_.timeout), 0};
    ldap_set_option(ld_.get(), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(ld_.get(), LDAP_OPT_TIMEOUT, &timeout);
    if (directory_.start_tls) {
      if (int rc = ldap_start_tls_s(ld_.get(), nullptr, nullptr); rc != LDAP_SUCCESS)
        return fail("StartTLS failed", rc);
    }
    berval credentials{};
    std::string secret = directory_.bind_dn.empty() ? std::string() : password;
    credentials.bv_val = secret.data();
    credentials.bv_len = secret.size();
    const char* dn = directory_.bind_dn.empty() ? nullptr : directory_.bind_dn.c_str();
    int rc =
        ldap_sasl_bind_s(ld_.get(), dn, LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
    std::fill(secret.begin(), secret.end(), '\0');
    if (rc != LDAP_SUCCESS)
      return fail(dn ? "bind as " + directory_.bind_dn + " failed" : "anonymous bind failed", rc);
    return Status::ok();
  }

  // Runs a paged subtree search and calls `on_entry` for each entry.
  Status search(const std::string& base, const std::string& filter,
                const std::vector<std::string>& attributes,
                const std::function<void(LDAPMessage*)>& on_entry) {
    std::vector<char*> names;
    for (const std::string& attribute : attributes)
      names.push_back(const_cast<char*>(attribute.c_str()));
    names.push_back(nullptr);
    Cookie cookie;
    std::size_t entries = 0;
    timeval timeout{static_cast<time_t>(directory_.timeout), 0};
    do {
      LDAPControl* raw_control = nullptr;
      if (int rc = ldap_create_page_control(ld_.get(), directory_.page_size, cookie.get(), 1,
                                            &raw_control);
          rc != LDAP_SUCCESS)
        return fail("cannot make the paged-results control", rc);
      ControlHandle page_control(raw_control);
      LDAPControl* server_controls[] = {page_control.get(), nullptr};
      LDAPMessage* raw_result = nullptr;
      int rc =
          ldap_search_ext_s(ld_.get(), base.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
                            names.data(), 0, server_controls, nullptr, &timeout, 0, &raw_result);
      MessageHandle result(raw_result);
      if (rc != LDAP_SUCCESS)
        return fail("search " + filter + " under " + base + " failed after " +
                        std::to_string(entries) + " entries",
                    rc);
      for (LDAPMessage* entry = ldap_first_entry(ld_.get(), result.get()); entry;
           entry = ldap_next_entry(ld_.get(), entry)) {
        on_entry(entry);
        ++entries;
      }
      int result_code = LDAP_SUCCESS;
      LDAPControl** raw_controls = nullptr;
      if (int parsed = ldap_parse_result(ld_.get(), result.get(), &result_code, nullptr, nullptr,
                                         nullptr, &raw_controls, 0);
          parsed != LDAP_SUCCESS)
        return fail("cannot read a search result", parsed);
      ControlsHandle controls(raw_controls);
      if (result_code != LDAP_SUCCESS)
        return fail("search " + filter + " under " + base + " failed after " +
                        std::to_string(entries) + " entries",
                    result_code);
      cookie.reset();
      LDAPControl* response =
          controls ? ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls.get(), nullptr)
                   : nullptr;
      if (!response) break;  // the server did not page: the result is whole
      ber_int_t estimate = 0;
      if (int parsed =
              ldap_parse_pageresponse_control(ld_.get(), response, &estimate, cookie.get());
          parsed != LDAP_SUCCESS)
        return fail("cannot read the paged-results response", parsed);
    } while (!cookie.empty());
    return Status::ok();
  }

  // The first value of `attribute` (binary values of objectGUID and the like as hex); "".
  std::string first_value(LDAPMessage* entry, const std::string& attribute, bool id = false) {
    std::vector<std::string> values = all_values(entry, attribute, id);
    return values.empty() ? std::string() : values.front();
  }

  std::vector<std::string> all_values(LDAPMessage* entry, const std::string& attribute,
                                      bool id = false) {
    std::vector<std::string> values;
    if (attribute.empty()) return values;
    ValuesHandle raw(ldap_get_values_len(ld_.get(), entry, attribute.c_str()));
    if (!raw) return values;
    for (berval** value = raw.get(); *value; ++value) {
      std::string text((*value)->bv_val, (*value)->bv_len);
      if (id) text = directory_id_text(text, attribute);
      values.push_back(std::move(text));
    }
    return values;
  }

  std::string dn_of(LDAPMessage* entry) {
    TextHandle dn(ldap_get_dn(ld_.get(), entry));
    return dn ? std::string(dn.get()) : std::string();
  }

 private:
  const DirectoryConfig& directory_;
  LdapHandle ld_;
};

}  // namespace

std::string directory_id_text(std::string_view value, std::string_view attribute) {
  std::string lower(attribute);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool binary = lower == "objectguid" || lower == "objectsid";
  for (unsigned char c : value) {
    if (c < 0x20 || c >= 0x7f) binary = true;
  }
  if (!binary) return std::string(value);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned char c : value) {
    text.push_back(kHex[c >> 4]);
    text.push_back(kHex[c & 0xF]);
  }
  return text;
}

Result<DirectorySnapshot> read_directory(const DirectoryConfig& directory,
                                         const std::string& password) {
  Reader reader(directory);
  if (Status status = reader.connect(password); !status.is_ok()) return status;
  DirectorySnapshot snapshot;
  std::vector<std::string> user_attributes = {directory.id_attribute, directory.login_attribute};
  for (const std::string* attribute :
       {&directory.name_attribute, &directory.mail_attribute, &directory.department_attribute,
        &directory.card_attribute}) {
    if (!attribute->empty()) user_attributes.push_back(*attribute);
  }
  Status users = reader.search(
      directory.base, directory.user_filter, user_attributes, [&](LDAPMessage* entry) {
        DirectoryUser user;
        user.dn = reader.dn_of(entry);
        user.id = reader.first_value(entry, directory.id_attribute, true);
        user.login = reader.first_value(entry, directory.login_attribute);
        user.display_name = reader.first_value(entry, directory.name_attribute);
        user.email = reader.first_value(entry, directory.mail_attribute);
        user.department = reader.first_value(entry, directory.department_attribute);
        user.cards = reader.all_values(entry, directory.card_attribute);
        snapshot.users.push_back(std::move(user));
      });
  if (!users.is_ok()) return users;
  if (directory.group_filter == "none") return snapshot;
  Status groups = reader.search(
      directory.group_base, directory.group_filter,
      {directory.id_attribute, directory.group_name_attribute, directory.member_attribute},
      [&](LDAPMessage* entry) {
        DirectoryGroup group;
        group.dn = reader.dn_of(entry);
        group.id = reader.first_value(entry, directory.id_attribute, true);
        if (group.id.empty()) group.id = group.dn;
        group.name = reader.first_value(entry, directory.group_name_attribute);
        group.members = reader.all_values(entry, directory.member_attribute);
        snapshot.groups.push_back(std::move(group));
      });
  if (!groups.is_ok()) return groups;
  return snapshot;
}

}  // namespace pp
