#include "config/option_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "core/resources.hpp"
#include "core/text.hpp"

namespace airguard {

namespace {

// The shipped tables (data/airflow/options/<label>.tsv), oldest first.
constexpr std::string_view kTableLabels[] = {"2.7.3",  "2.8.4", "2.9.3", "2.10.5", "2.11.0",
                                             "2.11.1", "3.0.0", "3.1.0", "3.2.0"};

std::string unescape(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      out += field[i];
      continue;
    }
    const char next = field[++i];
    out += next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next;
  }
  return out;
}

// A field of a shipped table, which lives as long as the program: viewed in place, or unescaped
// once into storage that is never freed (a handful of defaults hold \t or \n).
std::string_view table_field(std::string_view field) {
  if (field.find('\\') == std::string_view::npos) return field;
  static std::mutex mutex;
  static std::deque<std::string> unescaped;
  const std::lock_guard lock(mutex);
  return unescaped.emplace_back(unescape(field));
}

// Calls `row` with the fields of each line that is neither empty nor a # comment.
template <typename RowFn>
void for_each_tsv_row(std::string_view text, RowFn row) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    fields.clear();
    std::size_t field_start = 0;
    while (true) {
      const std::size_t tab = line.find('\t', field_start);
      fields.push_back(
          line.substr(field_start, tab == std::string_view::npos ? std::string_view::npos : tab - field_start));
      if (tab == std::string_view::npos) break;
      field_start = tab + 1;
    }
    row(fields);
  }
}

std::vector<OptionSpec> load_options(std::string_view label) {
  std::vector<OptionSpec> options;
  const auto text = embedded_resource("data/airflow/options/" + std::string(label) + ".tsv");
  if (!text) return options;
  options.reserve(static_cast<std::size_t>(std::count(text->begin(), text->end(), '\n')));
  for_each_tsv_row(*text, [&](const std::vector<std::string_view>& f) {
    if (f.size() < 7) return;
    OptionSpec spec;
    spec.section = table_field(f[0]);
    spec.key = table_field(f[1]);
    spec.type = table_field(f[2]);
    if (f[3] != "\\N") spec.default_value = table_field(f[3]);
    spec.sensitive = f[4].find('s') != std::string_view::npos;
    spec.is_template = f[4].find('t') != std::string_view::npos;
    spec.from_provider = f[4].find('p') != std::string_view::npos;
    spec.version_added = f[5];
    spec.version_deprecated = f[6];
    options.push_back(spec);
  });
  return options;
}

std::vector<OptionRename> load_renames(std::string_view label) {
  std::vector<OptionRename> renames;
  const auto text = embedded_resource("data/airflow/renames/" + std::string(label) + ".tsv");
  if (!text) return renames;
  for_each_tsv_row(*text, [&](const std::vector<std::string_view>& f) {
    if (f.size() < 5) return;
    renames.push_back({f[0], f[1], f[2], f[3], f[4]});
  });
  return renames;
}

bool spec_less(const OptionSpec& a, const OptionSpec& b) {
  return std::tie(a.section, a.key) < std::tie(b.section, b.key);
}

// Builds the catalog for one table with the renames that exist at `version` (all of them when the
// version is unknown): a rename back-ported later in the release line brings its new name along.
std::unique_ptr<OptionCatalog> build_catalog(std::string_view label, std::string_view version) {
  std::vector<OptionSpec> options = load_options(label);
  std::vector<OptionRename> renames;
  for (auto& rename : load_renames(label)) {
    if (version.empty() || compare_versions(rename.since, version) <= 0) renames.push_back(rename);
  }
  if (!std::is_sorted(options.begin(), options.end(), spec_less)) std::sort(options.begin(), options.end(), spec_less);
  const auto find = [&](std::string_view s, std::string_view k) -> OptionSpec* {
    OptionSpec probe;
    probe.section = s;
    probe.key = k;
    auto it = std::lower_bound(options.begin(), options.end(), probe, spec_less);
    return it != options.end() && it->section == s && it->key == k ? &*it : nullptr;
  };
  std::vector<OptionSpec> added;
  std::vector<std::pair<std::string_view, std::string_view>> aliases;  // old names: only aliases now
  for (const auto& rename : renames) {
    OptionSpec* old_spec = find(rename.old_section, rename.old_key);
    if (old_spec == nullptr) continue;
    if (find(rename.new_section, rename.new_key) == nullptr) {
      OptionSpec moved = *old_spec;
      moved.section = rename.new_section;
      moved.key = rename.new_key;
      moved.version_added = rename.since;
      added.push_back(std::move(moved));
    }
    aliases.emplace_back(rename.old_section, rename.old_key);
  }
  std::sort(aliases.begin(), aliases.end());
  options.erase(std::remove_if(options.begin(), options.end(),
                               [&](const OptionSpec& s) {
                                 return std::binary_search(aliases.begin(), aliases.end(), std::pair{s.section, s.key});
                               }),
                options.end());
  // The table stays sorted: the few moved options are sorted and merged in.
  std::sort(added.begin(), added.end(), spec_less);
  const auto middle = static_cast<std::ptrdiff_t>(options.size());
  options.insert(options.end(), added.begin(), added.end());
  std::inplace_merge(options.begin(), options.begin() + middle, options.end(), spec_less);
  return std::make_unique<OptionCatalog>(std::string(label), std::move(options), std::move(renames));
}

}  // namespace

std::array<int, 3> parse_version_numbers(std::string_view version) {
  std::array<int, 3> numbers{0, 0, 0};
  std::size_t i = 0;
  for (int& number : numbers) {
    if (i >= version.size() || version[i] < '0' || version[i] > '9') break;
    int n = 0;
    while (i < version.size() && version[i] >= '0' && version[i] <= '9') {
      n = n * 10 + (version[i] - '0');
      if (n > 100000) n = 100000;
      ++i;
    }
    number = n;
    if (i < version.size() && version[i] == '.')
      ++i;
    else
      break;
  }
  return numbers;
}

int compare_versions(std::string_view a, std::string_view b) {
  const auto x = parse_version_numbers(a);
  const auto y = parse_version_numbers(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

OptionCatalog::OptionCatalog(std::string version_label, std::vector<OptionSpec> options,
                             std::vector<OptionRename> renames)
    : version_label_(std::move(version_label)), options_(std::move(options)), renames_(std::move(renames)) {
  if (!std::is_sorted(options_.begin(), options_.end(), spec_less))
    std::sort(options_.begin(), options_.end(), spec_less);
}

const OptionCatalog& OptionCatalog::for_version(std::string_view airflow_version) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<OptionCatalog>> cache;
  const bool known = !airflow_version.empty() && airflow_version.front() >= '0' && airflow_version.front() <= '9';
  std::string_view label = kTableLabels[std::size(kTableLabels) - 1];
  if (known) {
    label = kTableLabels[0];
    for (std::string_view candidate : kTableLabels) {
      if (compare_versions(candidate, airflow_version) <= 0) label = candidate;
    }
  }
  const std::string version = known ? std::string(airflow_version) : std::string();
  std::size_t applicable = 0;
  for (const auto& rename : load_renames(label)) {
    if (version.empty() || compare_versions(rename.since, version) <= 0) ++applicable;
  }
  const std::string cache_key = std::string(label) + "#" + std::to_string(applicable);
  std::lock_guard lock(mutex);
  auto& slot = cache[cache_key];
  if (!slot) slot = build_catalog(label, version);
  return *slot;
}

const OptionSpec* OptionCatalog::find(std::string_view section, std::string_view key) const {
  auto it = std::lower_bound(options_.begin(), options_.end(), std::pair{section, key},
                             [](const OptionSpec& s, const std::pair<std::string_view, std::string_view>& p) {
                               return std::pair<std::string_view, std::string_view>{s.section, s.key} < p;
                             });
  return it != options_.end() && it->section == section && it->key == key ? &*it : nullptr;
}

bool OptionCatalog::is_sensitive(std::string_view section, std::string_view key) const {
  if (const OptionSpec* spec = find(section, key)) return spec->sensitive;
  // Airflow adds the deprecated names of sensitive options to sensitive_config_values.
  if (const OptionRename* rename = renamed_from(section, key)) {
    if (const OptionSpec* spec = find(rename->new_section, rename->new_key)) return spec->sensitive;
  }
  return false;
}

std::vector<const OptionRename*> OptionCatalog::old_names(std::string_view section, std::string_view key) const {
  std::vector<const OptionRename*> found;
  for (const auto& rename : renames_) {
    if (rename.new_section == section && rename.new_key == key) found.push_back(&rename);
  }
  return found;
}

const OptionRename* OptionCatalog::first_old_name(std::string_view section, std::string_view key) const {
  for (const auto& rename : renames_) {
    if (rename.new_section == section && rename.new_key == key) return &rename;
  }
  return nullptr;
}

const OptionRename* OptionCatalog::renamed_from(std::string_view old_section, std::string_view old_key) const {
  for (const auto& rename : renames_) {
    if (rename.old_section == old_section && rename.old_key == old_key) return &rename;
  }
  return nullptr;
}

bool OptionCatalog::has_section(std::string_view section) const {
  auto it = std::lower_bound(options_.begin(), options_.end(), section,
                             [](const OptionSpec& s, std::string_view name) { return s.section < name; });
  return it != options_.end() && it->section == section;
}

std::vector<std::string> OptionCatalog::suggestions(std::string_view section, std::string_view key) const {
  const std::string wanted_section = to_lower(section);
  const std::string wanted_key = to_lower(key);
  const std::string wanted = wanted_section + "." + wanted_key;
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::size_t limit = std::max<std::size_t>(2, wanted.size() / 4);
  for (const auto& spec : options_) {
    const std::size_t length = spec.section.size() + 1 + spec.key.size();
    const bool same_key = spec.key == wanted_key;  // same key, other section
    if (!same_key && (length > wanted.size() + limit || wanted.size() > length + limit)) continue;
    const std::string name = fmt::format("{}.{}", spec.section, spec.key);
    const std::size_t distance = same_key ? 1 : edit_distance(wanted, name);
    if (distance <= limit) scored.emplace_back(distance, name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> names;
  for (const auto& [distance, name] : scored) {
    if (names.size() == 3) break;
    names.push_back(name);
  }
  return names;
}

namespace {
constexpr std::string_view kEnvPrefix = "AIRFLOW__";

// What a character of an option's section or key becomes in its AIRFLOW__ variable: upper case,
// and a section's dots read as '_'.
char env_char(char c, bool in_section) {
  if (in_section && c == '.') return '_';
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
}  // namespace

std::string OptionCatalog::env_var_name(std::string_view section, std::string_view key) {
  std::string name;
  name.reserve(kEnvPrefix.size() + section.size() + 2 + key.size());
  name += kEnvPrefix;
  for (const char c : section) name += env_char(c, true);
  name += "__";
  for (const char c : key) name += env_char(c, false);
  return name;
}

// Whether `name` is env_var_name(section, key), compared in place.
bool OptionCatalog::names_option(std::string_view name, std::string_view section, std::string_view key) {
  if (name.size() != kEnvPrefix.size() + section.size() + 2 + key.size() || !name.starts_with(kEnvPrefix)) return false;
  std::size_t at = kEnvPrefix.size();
  for (const char c : section) {
    if (name[at++] != env_char(c, true)) return false;
  }
  if (name[at++] != '_' || name[at++] != '_') return false;
  for (const char c : key) {
    if (name[at++] != env_char(c, false)) return false;
  }
  return true;
}

// The options first, then the deprecated names, as Airflow looks them up. A scan asks this for
// each AIRFLOW__ variable; comparing in place costs less than a table of every name.
std::optional<std::pair<std::string, std::string>> OptionCatalog::option_for_env_var(std::string_view name) const {
  for (const OptionSpec& spec : options_) {
    if (names_option(name, spec.section, spec.key)) return std::pair{std::string(spec.section), std::string(spec.key)};
  }
  for (const OptionRename& rename : renames_) {
    if (names_option(name, rename.old_section, rename.old_key)) {
      return std::pair{std::string(rename.old_section), std::string(rename.old_key)};
    }
  }
  return std::nullopt;
}

const std::vector<Airflow3Change>& airflow3_config_changes() {
  static const std::vector<Airflow3Change> changes = [] {
    std::vector<Airflow3Change> out;
    const auto text = embedded_resource("data/airflow/airflow3-lint.tsv");
    if (!text) return out;
    for_each_tsv_row(*text, [&](const std::vector<std::string_view>& f) {
      if (f.size() < 7) return;
      out.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3]), std::string(f[4]),
                     unescape(f[5]), f[6] == "1"});
    });
    return out;
  }();
  return changes;
}

}  // namespace airguard
