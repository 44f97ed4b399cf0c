// ldap-reader.h: reads one directory whole through OpenLDAP's libldap.
//
// Why a reader that returns a whole snapshot: the sync writes nothing until the directory has
// been read to the end, so a directory that stops answering half-way changes nothing. Searches
// use the paged-results control (RFC 2696), so a directory holding more entries than its size
// limit (slapd's default is 500, AD's 1000) is read whole.
#pragma once

#include <string>
#include <string_view>

#include "directory/directory.h"
#include "util/status.h"

namespace pp {

// Binds (simple bind with `password`, or anonymously when the directory has no bind-dn; StartTLS
// first when start-tls is set) and reads the users and groups. Errors are kIoError naming the
// directory, its URI and what LDAP said ("Can't contact LDAP server").
Result<DirectorySnapshot> read_directory(const DirectoryConfig& directory,
                                         const std::string& password);

// An identifier value as the people store keeps it: as is when it is printable text (entryUUID),
// in lower-case hexadecimal when the attribute is binary (AD's objectGUID and objectSid, always)
// or the value holds bytes that are not printable ASCII.
std::string directory_id_text(std::string_view value, std::string_view attribute);

}  // namespace pp
