// pdf-optional-content.h: which optional content (layers) is hidden when the document is printed.
#pragma once

#include "analysis/pdf-qpdf.h"

#include <set>

namespace pp::pdf {

class OptionalContent {
 public:
  // Reads /OCProperties /D of the catalog: /BaseState, /ON, /OFF and the /AS entries for the
  // Print event (an OCG's /Usage /Print /PrintState wins over its view state when printing).
  explicit OptionalContent(QPDF& pdf);

  // True when content marked with `oc` (an OCG or an OCMD) is not printed.
  bool is_hidden(QPDFObjectHandle oc) const;

 private:
  bool group_hidden(QPDFObjectHandle group) const;

  std::set<QPDFObjGen> hidden_groups_;
};

}  // namespace pp::pdf
