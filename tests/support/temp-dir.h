// temp-dir.h: a private temporary directory for one test, removed with everything in it.
#pragma once

#include <string>

namespace pp::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // PATH/name
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes bytes to a file, failing the current test on error.
void write_file(const std::string& path, const std::string& bytes);

// Reads a whole file ("" when missing).
std::string read_file(const std::string& path);

}  // namespace pp::test
