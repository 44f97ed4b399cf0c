// temp-dir.h: a private temporary directory for one test, removed with everything in it.
#pragma once

#include <string>

#include "util/scoped-temp-dir.h"

namespace pp::test {

// lib's ScopedTempDir, made in the constructor (a test cannot go on without its directory).
class TempDir {
 public:
  TempDir();

  const std::string& path() const { return dir_.path(); }
  // PATH/name
  std::string file(const std::string& name) const { return dir_.file(name); }

 private:
  ScopedTempDir dir_;
};

// Writes bytes to a file, failing the current test on error.
void write_file(const std::string& path, const std::string& bytes);

// Reads a whole file ("" when missing).
std::string read_file(const std::string& path);

}  // namespace pp::test
