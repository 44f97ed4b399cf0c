// temp-dir.cpp: TempDir and small file helpers for tests.
#include "support/temp-dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pp::test {

namespace {

ScopedTempDir make_dir() {
  Result<ScopedTempDir> dir = ScopedTempDir::create("pullprint-test");
  if (!dir.ok()) throw std::runtime_error(dir.status().to_string());
  return std::move(*dir);
}

}  // namespace

TempDir::TempDir() : dir_(make_dir()) {}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace pp::test
