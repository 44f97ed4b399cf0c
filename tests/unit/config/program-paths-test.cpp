// program-paths-test.cpp: pullprintd finds the analyser and the wrapper backend built beside it,
// else the installed ones, or the configured ones alone; a missing one names the key to set.
#include <gtest/gtest.h>

#include <filesystem>

#include <sys/stat.h>

#include "config/program-paths.h"
#include "support/temp-dir.h"

namespace pp {
namespace {

// A build tree under `top`: pappl-server/pullprintd and, when `with_analyzer`, an executable
// filters/pullprint-cost. Returns the server's path.
std::string make_build_tree(const std::string& top, bool with_analyzer) {
  std::filesystem::create_directories(top + "/pappl-server");
  std::filesystem::create_directories(top + "/filters");
  test::write_file(top + "/pappl-server/pullprintd", "#!/bin/sh\n");
  if (with_analyzer) {
    test::write_file(top + "/filters/pullprint-cost", "#!/bin/sh\n");
    ::chmod((top + "/filters/pullprint-cost").c_str(), 0755);
  }
  return top + "/pappl-server/pullprintd";
}

TEST(ProgramPaths, ABuiltServerRunsTheAnalyserBuiltBesideIt) {
  test::TempDir dir;
  const std::string self = make_build_tree(dir.path(), true);
  Result<std::string> found = find_program(kAnalyzerProgram, Config(), self);
  ASSERT_TRUE(found.ok()) << found.status().to_string();
  EXPECT_EQ(*found, dir.path() + "/filters/pullprint-cost");
}

TEST(ProgramPaths, AnInstalledServerTriesTheInstalledProgramAfterItsOwnTree) {
  const std::vector<std::string> candidates =
      program_candidates(kBackendProgram, Config(), "/usr/sbin/pullprintd");
  EXPECT_EQ(candidates, (std::vector<std::string>{"/usr/backend/pullprint",
                                                  "/usr/lib/cups/backend/pullprint"}));
}

TEST(ProgramPaths, TheConfiguredProgramIsTheOnlyOneTried) {
  test::TempDir dir;
  const std::string self = make_build_tree(dir.path(), true);
  Config config;
  config.set("analyzer", dir.file("elsewhere/pullprint-cost"));
  EXPECT_EQ(program_candidates(kAnalyzerProgram, config, self),
            std::vector<std::string>{dir.file("elsewhere/pullprint-cost")});
  Result<std::string> found = find_program(kAnalyzerProgram, config, self);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), Code::kNotFound);
}

TEST(ProgramPaths, AMissingProgramNamesWhereItLookedAndTheKeyToSet) {
  test::TempDir dir;
  const std::string self = make_build_tree(dir.path(), false);
  const std::string installed = dir.file("usr/lib/cups/filter/pullprint-cost");  // absent too
  const ProgramPath analyzer = {"analyzer", "document analyser", installed, "filters/pullprint-cost"};
  Result<std::string> found = find_program(analyzer, Config(), self);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), Code::kNotFound);
  const std::string message = found.status().message();
  EXPECT_NE(message.find("no document analyser"), std::string::npos) << message;
  EXPECT_NE(message.find(dir.path() + "/filters/pullprint-cost"), std::string::npos) << message;
  EXPECT_NE(message.find(installed), std::string::npos) << message;
  EXPECT_NE(message.find("analyzer = PATH"), std::string::npos) << message;
}

TEST(ProgramPaths, WithoutABuiltOneTheInstalledOneIsFound) {
  test::TempDir dir;
  const std::string self = make_build_tree(dir.path(), false);
  const std::string installed = dir.file("pullprint-cost");
  test::write_file(installed, "#!/bin/sh\n");
  ::chmod(installed.c_str(), 0755);
  const ProgramPath analyzer = {"analyzer", "document analyser", installed, "filters/pullprint-cost"};
  Result<std::string> found = find_program(analyzer, Config(), self);
  ASSERT_TRUE(found.ok()) << found.status().to_string();
  EXPECT_EQ(*found, installed);
}

TEST(ProgramPaths, AFileThatIsNotExecutableIsNotTheProgram) {
  test::TempDir dir;
  test::write_file(dir.file("pullprint-cost"), "not a program");
  Config config;
  config.set("analyzer", dir.file("pullprint-cost"));
  EXPECT_FALSE(find_program(kAnalyzerProgram, config, "").ok());
}

}  // namespace
}  // namespace pp
