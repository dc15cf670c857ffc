#include "advisories/pep440.hpp"

#include <algorithm>
#include <array>

namespace airguard {
namespace {

// Python's str.strip()/`\s` for ASCII input: space, \t \n \v \f \r and the separators \x1c-\x1f.
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z'); }
bool is_separator(char c) { return c == '-' || c == '_' || c == '.'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view strip(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lowered(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = lower(c);
  return out;
}

std::string normalize_number(std::string_view digits) {
  std::size_t first = 0;
  while (first + 1 < digits.size() && digits[first] == '0') ++first;
  return std::string(digits.substr(first));
}

bool all_digits(std::string_view text) { return !text.empty() && std::all_of(text.begin(), text.end(), is_digit); }

// A backtracking matcher over the tail of packaging's VERSION_PATTERN (after the release segment),
// trying alternatives in the pattern's order so the first full match wins, as with Python's `re`.
class SuffixMatcher {
 public:
  SuffixMatcher(std::string_view text, Version& out) : s_(text), out_(out) {}

  bool match_pre(std::size_t i) {
    static constexpr std::array<std::string_view, 8> kLabels = {"a", "b", "c", "rc", "alpha", "beta", "pre", "preview"};
    return match_labeled(i, kLabels,
                         [this](std::string_view label, std::string number, std::size_t end) {
                           if (!match_post(end)) return false;
                           out_.pre_label = canonical_pre_label(label);
                           out_.pre_number = std::move(number);
                           return true;
                         }) ||
           match_post(i);
  }

 private:
  bool match_post(std::size_t i) {
    if (i < s_.size() && s_[i] == '-') {
      std::size_t end = digits_end(i + 1);
      if (end > i + 1 && match_dev(end)) {
        out_.post = normalize_number(s_.substr(i + 1, end - i - 1));
        return true;
      }
    }
    static constexpr std::array<std::string_view, 3> kLabels = {"post", "rev", "r"};
    return match_labeled(i, kLabels,
                         [this](std::string_view, std::string number, std::size_t end) {
                           if (!match_dev(end)) return false;
                           out_.post = std::move(number);
                           return true;
                         }) ||
           match_dev(i);
  }

  bool match_dev(std::size_t i) {
    static constexpr std::array<std::string_view, 1> kLabels = {"dev"};
    return match_labeled(i, kLabels,
                         [this](std::string_view, std::string number, std::size_t end) {
                           if (!match_local(end)) return false;
                           out_.dev = std::move(number);
                           return true;
                         }) ||
           match_local(i);
  }

  // One labelled segment, `[sep] LABEL [sep] [digits]`, tried in the regex's order (separator
  // before none, labels as listed) with backtracking: `rest(label, number, end)` must match the
  // remainder from `end` for the alternative to count. A missing number is "0".
  template <std::size_t N, typename Rest>
  bool match_labeled(std::size_t i, const std::array<std::string_view, N>& labels, Rest rest) {
    for (int take_sep = 1; take_sep >= 0; --take_sep) {
      const std::size_t j = take_sep ? skip_separator(i) : i;
      if (j == std::string_view::npos) continue;
      for (std::string_view label : labels) {
        if (s_.substr(j, label.size()) != label) continue;
        const std::size_t k = j + label.size();
        for (int take_sep2 = 1; take_sep2 >= 0; --take_sep2) {
          const std::size_t m = take_sep2 ? skip_separator(k) : k;
          if (m == std::string_view::npos) continue;
          const std::size_t end = digits_end(m);
          if (rest(label, end > m ? normalize_number(s_.substr(m, end - m)) : std::string("0"), end)) return true;
        }
      }
    }
    return false;
  }

  // The position after one separator at `i`, or npos when there is none.
  std::size_t skip_separator(std::size_t i) const {
    return i < s_.size() && is_separator(s_[i]) ? i + 1 : std::string_view::npos;
  }

  bool match_local(std::size_t i) {
    if (i == s_.size()) return true;
    if (s_[i] != '+') return false;
    std::vector<std::string> parts;
    std::size_t j = i + 1;
    while (true) {
      std::size_t start = j;
      while (j < s_.size() && is_alnum(s_[j])) ++j;
      if (j == start) return false;
      std::string_view part = s_.substr(start, j - start);
      parts.push_back(all_digits(part) ? normalize_number(part) : std::string(part));
      if (j == s_.size()) break;
      if (!is_separator(s_[j])) return false;
      ++j;
    }
    out_.local = std::move(parts);
    return true;
  }

  std::size_t digits_end(std::size_t i) const {
    while (i < s_.size() && is_digit(s_[i])) ++i;
    return i;
  }

  static std::string canonical_pre_label(std::string_view label) {
    if (label == "alpha") return "a";
    if (label == "beta") return "b";
    if (label == "c" || label == "pre" || label == "preview") return "rc";
    return std::string(label);
  }

  std::string_view s_;
  Version& out_;
};

int compare_release(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  // Trailing zeros do not count: 1.0 == 1.0.0.
  auto significant = [](const std::vector<std::string>& r) {
    std::size_t n = r.size();
    while (n > 0 && r[n - 1] == "0") --n;
    return n;
  };
  std::size_t na = significant(a);
  std::size_t nb = significant(b);
  for (std::size_t i = 0; i < std::min(na, nb); ++i) {
    if (int c = compare_numbers(a[i], b[i]); c != 0) return c;
  }
  return na < nb ? -1 : (na > nb ? 1 : 0);
}

int sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

// packaging's _cmpkey pre component: dev-only releases sort below every pre-release, finals above.
struct PreKey {
  int rank;  // 0: -inf, 1: a pre-release, 2: +inf
  std::string_view label;
  std::string_view number;
};
PreKey pre_key(const Version& v) {
  if (!v.pre_label && !v.post && v.dev) return {0, {}, {}};
  if (!v.pre_label) return {2, {}, {}};
  return {1, *v.pre_label, v.pre_number};
}

int compare_local(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  // Numeric segments sort above alphanumeric ones; a shorter equal prefix sorts first.
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    bool na = all_digits(a[i]);
    bool nb = all_digits(b[i]);
    int c = 0;
    if (na && nb)
      c = compare_numbers(a[i], b[i]);
    else if (na != nb)
      c = na ? 1 : -1;
    else
      c = sign(a[i].compare(b[i]));
    if (c != 0) return c;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// packaging.utils.canonicalize_version: a valid version's text with trailing ".0"s optionally
// dropped; anything else unchanged.
std::string canonicalize_version(std::string_view text, bool strip_trailing_zero) {
  auto parsed = parse_version(text);
  if (!parsed) return std::string(text);
  return strip_trailing_zero ? parsed->equality_key() : parsed->text();
}

// packaging.specifiers._version_split: split on dots, and "1rc1" into "1", "rc1".
std::vector<std::string> version_split(std::string_view text) {
  std::vector<std::string> result;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    std::string_view item = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    std::size_t d = 0;
    while (d < item.size() && is_digit(item[d])) ++d;
    std::string_view rest = item.substr(d);
    std::size_t label_len =
        rest.starts_with("rc") ? 2 : (!rest.empty() && (rest[0] == 'a' || rest[0] == 'b' || rest[0] == 'c') ? 1 : 0);
    if (d > 0 && label_len > 0 && all_digits(rest.substr(label_len))) {
      result.emplace_back(item.substr(0, d));
      result.emplace_back(rest);
    } else {
      result.emplace_back(item);
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return result;
}

bool is_not_suffix(const std::string& segment) {
  for (std::string_view prefix : {"dev", "a", "b", "rc", "post"}) {
    if (segment.starts_with(prefix)) return false;
  }
  return true;
}

// packaging.specifiers._compare_equal with a ".*" prefix.
bool prefix_matches(const Version& prospective, std::string_view prefix_spec) {
  std::vector<std::string> split_spec = version_split(canonicalize_version(prefix_spec, false));
  std::vector<std::string> split_prospective = version_split(canonicalize_version(prospective.public_text(), true));
  // _pad_version: zero-pad the prospective release segment to the spec's release length.
  auto release_length = [](const std::vector<std::string>& parts) {
    std::size_t n = 0;
    while (n < parts.size() && all_digits(parts[n])) ++n;
    return n;
  };
  std::size_t left_release = release_length(split_prospective);
  std::size_t right_release = release_length(split_spec);
  std::vector<std::string> padded(split_prospective.begin(),
                                  split_prospective.begin() + static_cast<std::ptrdiff_t>(left_release));
  if (right_release > left_release) padded.insert(padded.end(), right_release - left_release, "0");
  padded.insert(padded.end(), split_prospective.begin() + static_cast<std::ptrdiff_t>(left_release),
                split_prospective.end());
  if (padded.size() > split_spec.size()) padded.resize(split_spec.size());
  return padded == split_spec;
}

bool compare_equal(const Version& prospective, std::string_view spec) {
  if (spec.ends_with(".*")) return prefix_matches(prospective, spec.substr(0, spec.size() - 2));
  auto spec_version = parse_version(spec);
  if (!spec_version) return false;
  if (!spec_version->has_local()) return prospective.public_version() == *spec_version;
  return prospective == *spec_version;
}

bool same_base(const Version& a, const Version& b) { return a.base_version() == b.base_version(); }

// Validates the version part of a clause for its operator, as packaging's specifier regex does.
bool valid_clause_version(std::string_view op, std::string_view version) {
  // packaging accepts any text after "===" but fails on it once asked to match; refuse it up front.
  if (op == "===") return parse_version(version).has_value();
  if ((op == "==" || op == "!=") && version.ends_with(".*")) {
    std::string_view prefix = version.substr(0, version.size() - 2);
    if (!prefix.empty() && lower(prefix[0]) == 'v') prefix.remove_prefix(1);
    std::size_t bang = prefix.find('!');
    if (bang != std::string_view::npos) {
      if (!all_digits(prefix.substr(0, bang))) return false;
      prefix.remove_prefix(bang + 1);
    }
    for (const auto& part : [&] {
           std::vector<std::string_view> parts;
           std::size_t start = 0;
           while (true) {
             std::size_t dot = prefix.find('.', start);
             parts.push_back(
                 prefix.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
             if (dot == std::string_view::npos) break;
             start = dot + 1;
           }
           return parts;
         }()) {
      if (!all_digits(part)) return false;
    }
    return true;
  }
  auto parsed = parse_version(version);
  if (!parsed) return false;
  if (op == "==" || op == "!=") return true;
  if (parsed->has_local()) return false;
  if (op == "~=") {
    // The release segment needs two components as written (trailing zeros count here).
    return parsed->release.size() >= 2;
  }
  return true;
}

}  // namespace

int compare_numbers(std::string_view a, std::string_view b) {
  auto skip = [](std::string_view s) {
    while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
    return s;
  };
  a = skip(a);
  b = skip(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return sign(a.compare(b));
}

std::optional<Version> parse_version(std::string_view text) {
  std::string s = lowered(strip(text));
  std::string_view rest = s;
  if (!rest.empty() && rest[0] == 'v') rest.remove_prefix(1);
  Version v;
  std::size_t i = 0;
  auto digits_end = [&](std::size_t from) {
    while (from < rest.size() && is_digit(rest[from])) ++from;
    return from;
  };
  std::size_t end = digits_end(0);
  if (end == 0) return std::nullopt;
  if (end < rest.size() && rest[end] == '!') {
    v.epoch = normalize_number(rest.substr(0, end));
    i = end + 1;
    end = digits_end(i);
    if (end == i) return std::nullopt;
  }
  v.release.push_back(normalize_number(rest.substr(i, end - i)));
  i = end;
  while (i + 1 < rest.size() && rest[i] == '.' && is_digit(rest[i + 1])) {
    end = digits_end(i + 1);
    v.release.push_back(normalize_number(rest.substr(i + 1, end - i - 1)));
    i = end;
  }
  SuffixMatcher matcher(rest, v);
  if (!matcher.match_pre(i)) return std::nullopt;
  return v;
}

std::string Version::public_text() const {
  std::string out;
  if (epoch != "0") out += epoch + "!";
  for (std::size_t i = 0; i < release.size(); ++i) {
    if (i) out += '.';
    out += release[i];
  }
  if (pre_label) out += *pre_label + pre_number;
  if (post) out += ".post" + *post;
  if (dev) out += ".dev" + *dev;
  return out;
}

std::string Version::text() const {
  std::string out = public_text();
  for (std::size_t i = 0; i < local.size(); ++i) {
    out += i ? '.' : '+';
    out += local[i];
  }
  return out;
}

std::string Version::base_text() const { return base_version().text(); }

std::string Version::equality_key() const {
  Version trimmed = *this;
  while (trimmed.release.size() > 1 && compare_numbers(trimmed.release.back(), "0") == 0) trimmed.release.pop_back();
  return trimmed.text();
}

Version Version::public_version() const {
  Version copy = *this;
  copy.local.clear();
  return copy;
}

Version Version::base_version() const {
  Version copy;
  copy.epoch = epoch;
  copy.release = release;
  return copy;
}

int compare_versions(const Version& a, const Version& b) {
  if (int c = compare_numbers(a.epoch, b.epoch); c != 0) return c;
  if (int c = compare_release(a.release, b.release); c != 0) return c;
  PreKey pa = pre_key(a);
  PreKey pb = pre_key(b);
  if (pa.rank != pb.rank) return pa.rank < pb.rank ? -1 : 1;
  if (pa.rank == 1) {
    if (int c = sign(pa.label.compare(pb.label)); c != 0) return c;
    if (int c = compare_numbers(pa.number, pb.number); c != 0) return c;
  }
  if (a.post.has_value() != b.post.has_value()) return a.post ? 1 : -1;
  if (a.post) {
    if (int c = compare_numbers(*a.post, *b.post); c != 0) return c;
  }
  if (a.dev.has_value() != b.dev.has_value()) return a.dev ? -1 : 1;
  if (a.dev) {
    if (int c = compare_numbers(*a.dev, *b.dev); c != 0) return c;
  }
  if (a.has_local() != b.has_local()) return a.has_local() ? 1 : -1;
  return compare_local(a.local, b.local);
}

bool operator==(const Version& a, const Version& b) { return compare_versions(a, b) == 0; }
bool operator!=(const Version& a, const Version& b) { return compare_versions(a, b) != 0; }
bool operator<(const Version& a, const Version& b) { return compare_versions(a, b) < 0; }
bool operator<=(const Version& a, const Version& b) { return compare_versions(a, b) <= 0; }
bool operator>(const Version& a, const Version& b) { return compare_versions(a, b) > 0; }
bool operator>=(const Version& a, const Version& b) { return compare_versions(a, b) >= 0; }

std::optional<Specifier> Specifier::parse(std::string_view text) {
  std::string_view s = strip(text);
  static constexpr std::array<std::string_view, 8> kOperators = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};
  for (auto op : kOperators) {
    if (!s.starts_with(op)) continue;
    std::string_view version = strip(s.substr(op.size()));
    if (!valid_clause_version(op, version)) return std::nullopt;
    return Specifier{std::string(op), std::string(version)};
  }
  return std::nullopt;
}

bool Specifier::allows_prereleases() const {
  if (op != "==" && op != ">=" && op != "<=" && op != "~=" && op != "===") return false;
  std::string_view text = version;
  if (op == "==" && text.ends_with(".*")) text.remove_suffix(2);
  auto parsed = parse_version(text);
  return parsed && parsed->is_prerelease();
}

bool Specifier::contains(const Version& prospective, bool prereleases) const {
  if (prospective.is_prerelease() && !prereleases) return false;
  if (op == "==") return compare_equal(prospective, version);
  if (op == "!=") return !compare_equal(prospective, version);
  if (op == "===") return lowered(prospective.text()) == lowered(version);
  auto spec = parse_version(version);
  if (!spec) return false;
  if (op == "<=") return prospective.public_version() <= *spec;
  if (op == ">=") return prospective.public_version() >= *spec;
  if (op == "<") {
    if (!(prospective < *spec)) return false;
    return !(!spec->is_prerelease() && prospective.is_prerelease() && same_base(prospective, *spec));
  }
  if (op == ">") {
    if (!(prospective > *spec)) return false;
    if (!spec->is_postrelease() && prospective.is_postrelease() && same_base(prospective, *spec)) return false;
    return !(prospective.has_local() && same_base(prospective, *spec));
  }
  // "~=": ">=" the version and "==" its release prefix without the last component.
  std::vector<std::string> prefix_parts;
  for (const auto& part : version_split(version)) {
    if (!is_not_suffix(part)) break;
    prefix_parts.push_back(part);
  }
  if (!prefix_parts.empty()) prefix_parts.pop_back();
  std::string prefix;
  for (std::size_t i = 0; i < prefix_parts.size(); ++i) {
    if (i) prefix += '.';
    prefix += prefix_parts[i];
  }
  return prospective.public_version() >= *spec && prefix_matches(prospective, prefix);
}

std::optional<SpecifierSet> SpecifierSet::parse(std::string_view text) {
  SpecifierSet set;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string_view clause =
        strip(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!clause.empty()) {
      auto spec = Specifier::parse(clause);
      if (!spec) return std::nullopt;
      set.specifiers_.push_back(std::move(*spec));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return set;
}

bool SpecifierSet::contains(const Version& version, bool include_prereleases) const {
  bool prereleases = include_prereleases || std::any_of(specifiers_.begin(), specifiers_.end(),
                                                        [](const Specifier& s) { return s.allows_prereleases(); });
  if (!prereleases && version.is_prerelease()) return false;
  return std::all_of(specifiers_.begin(), specifiers_.end(),
                     [&](const Specifier& s) { return s.contains(version, prereleases); });
}

std::string SpecifierSet::text() const {
  std::string out;
  for (std::size_t i = 0; i < specifiers_.size(); ++i) {
    if (i) out += ',';
    out += specifiers_[i].text();
  }
  return out;
}

std::string normalize_package_name(std::string_view name) {
  std::string out;
  bool in_separator = false;
  for (char c : name) {
    if (is_separator(c)) {
      in_separator = true;
      continue;
    }
    if (in_separator) out += '-';
    in_separator = false;
    out += lower(c);
  }
  if (in_separator) out += '-';
  return out;
}

}  // namespace airguard
