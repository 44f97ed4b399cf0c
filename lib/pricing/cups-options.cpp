// cups-options.cpp: parse_cups_options, the one reading of a CUPS options argument.
//
// The filter and the backend both get the job's options as one string; libcups' own parser reads
// it (quoting, backslashes, braces) so that we see exactly what cupsd and the drivers see.
#include "pricing/pricing.h"
#include "util/cups-handles.h"

namespace pp {

std::map<std::string, std::string> parse_cups_options(const char* text) {
  CupsOptions options;
  options.parse(text);
  std::map<std::string, std::string> map;
  for (int i = 0; i < options.count(); i++) map[options.get()[i].name] = options.get()[i].value;
  return map;
}

}  // namespace pp
