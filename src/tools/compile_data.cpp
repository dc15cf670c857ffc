// airguard-compile-data OUTDIR: the build step that turns the embedded check catalogue and
// profiles (YAML) and the advisory snapshot (OSV JSON) into the binary forms airguard loads at run
// time (OUTDIR/checks.bin, profiles.bin, advisories.bin). A check or profile that does not
// validate fails the build here, with file:line.
#include <cstdio>
#include <filesystem>
#include <string>

#include "advisories/compiled_feed.hpp"
#include "advisories/feed.hpp"
#include "core/file_io.hpp"
#include "engine/check_loader.hpp"
#include "engine/profile_loader.hpp"

int main(int argc, char** argv) {
  using namespace airguard;
  if (argc != 2) {
    std::fprintf(stderr, "usage: airguard-compile-data OUTDIR\n");
    return 2;
  }
  const std::filesystem::path out_dir(argv[1]);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);

  CheckCatalog catalog = parse_builtin_check_catalog();
  validate_catalog(catalog);
  for (const Diagnostic& problem : catalog.problems) std::fprintf(stderr, "%s\n", problem.format().c_str());
  if (!catalog.ok()) return 1;

  std::vector<Profile> profiles;
  bool profiles_ok = true;
  for (const std::string& name : builtin_profile_names()) {
    auto profile = parse_profile_chain(name);
    if (!profile) {
      std::fprintf(stderr, "%s\n", profile.error().format().c_str());
      profiles_ok = false;
      continue;
    }
    for (const Diagnostic& problem : validate_profile(*profile, catalog)) {
      std::fprintf(stderr, "%s\n", problem.format().c_str());
      profiles_ok = false;
    }
    profiles.push_back(std::move(*profile));
  }
  if (!profiles_ok) return 1;

  auto feed = parse_embedded_feed();
  if (!feed) {
    std::fprintf(stderr, "%s\n", feed.error().format().c_str());
    return 1;
  }

  const std::pair<const char*, std::string> blobs[] = {
      {"checks.bin", encode_checks(catalog.checks)},
      {"profiles.bin", encode_profiles(profiles)},
      {"advisories.bin", encode_advisory_database(*feed->database)},
  };
  for (const auto& [name, bytes] : blobs) {
    if (auto written = write_file_atomic((out_dir / name).string(), bytes); !written) {
      std::fprintf(stderr, "%s\n", written.error().format().c_str());
      return 1;
    }
  }
  return 0;
}
