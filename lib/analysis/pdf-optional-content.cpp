// pdf-optional-content.cpp: the print-time visibility of optional content groups.
#include "analysis/pdf-optional-content.h"

#include <vector>

namespace pp::pdf {

namespace {

bool array_contains_name(QPDFObjectHandle array, const char* name) {
  if (array.isName()) return array.getName() == name;
  if (!array.isArray()) return false;
  for (QPDFObjectHandle item : array.aitems()) {
    if (item.isName() && item.getName() == name) return true;
  }
  return false;
}

std::vector<QPDFObjectHandle> as_list(QPDFObjectHandle maybe_array) {
  if (maybe_array.isArray()) return maybe_array.getArrayAsVector();
  if (absent(maybe_array)) return {};
  return {maybe_array};
}

}  // namespace

OptionalContent::OptionalContent(QPDF& pdf) {
  QPDFObjectHandle properties = pdf.getRoot().getKey("/OCProperties");
  if (!properties.isDictionary()) return;
  QPDFObjectHandle config = properties.getKey("/D");
  if (!config.isDictionary()) return;
  QPDFObjectHandle base = config.getKey("/BaseState");
  if (base.isName() && base.getName() == "/OFF") {
    for (QPDFObjectHandle group : as_list(properties.getKey("/OCGs"))) {
      if (group.isIndirect()) hidden_groups_.insert(group.getObjGen());
    }
  }
  for (QPDFObjectHandle group : as_list(config.getKey("/ON"))) hidden_groups_.erase(group.getObjGen());
  for (QPDFObjectHandle group : as_list(config.getKey("/OFF"))) {
    if (group.isIndirect()) hidden_groups_.insert(group.getObjGen());
  }
  // Automatic states for printing: groups whose /Usage /Print says ON or OFF.
  for (QPDFObjectHandle usage : as_list(config.getKey("/AS"))) {
    if (!usage.isDictionary() || !usage.getKey("/Event").isName() ||
        usage.getKey("/Event").getName() != "/Print" ||
        !array_contains_name(usage.getKey("/Category"), "/Print")) {
      continue;
    }
    for (QPDFObjectHandle group : as_list(usage.getKey("/OCGs"))) {
      if (!group.isDictionary() || !group.isIndirect()) continue;
      QPDFObjectHandle state = group.getKey("/Usage").getKey("/Print").getKey("/PrintState");
      if (!state.isName()) continue;
      if (state.getName() == "/OFF") hidden_groups_.insert(group.getObjGen());
      if (state.getName() == "/ON") hidden_groups_.erase(group.getObjGen());
    }
  }
}

bool OptionalContent::group_hidden(QPDFObjectHandle group) const {
  return group.isIndirect() && hidden_groups_.count(group.getObjGen()) > 0;
}

bool OptionalContent::is_hidden(QPDFObjectHandle oc) const {
  if (!oc.isDictionary() || hidden_groups_.empty()) return false;
  QPDFObjectHandle type = oc.getKey("/Type");
  if (!type.isName() || type.getName() != "/OCMD") return group_hidden(oc);
  // Visibility expressions (/VE) are not evaluated: such content counts as visible (conservative).
  if (oc.hasKey("/VE")) return false;
  std::vector<QPDFObjectHandle> groups = as_list(oc.getKey("/OCGs"));
  if (groups.empty()) return false;
  int hidden = 0;
  for (const QPDFObjectHandle& group : groups) hidden += group_hidden(group) ? 1 : 0;
  const int shown = static_cast<int>(groups.size()) - hidden;
  QPDFObjectHandle policy = oc.getKey("/P");
  std::string p = policy.isName() ? policy.getName() : "/AnyOn";
  bool visible = true;
  if (p == "/AllOn") visible = hidden == 0;
  else if (p == "/AnyOff") visible = hidden > 0;
  else if (p == "/AllOff") visible = shown == 0;
  else visible = shown > 0;  // /AnyOn, the default
  return !visible;
}

}  // namespace pp::pdf
