// Markup checks shared by the SVG and report tests: balanced tags, stray '<', substring counts,
// and the x positions of an axis' tick labels.
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace claimlens::testing {

/// "" when every element is closed in order (HTML void elements and "/>" excepted) and every '<'
/// starts a tag, comment or doctype; otherwise what is wrong and where.
inline std::string markup_problem(const std::string& s) {
  static const std::vector<std::string> kVoid = {"meta", "br",  "hr",     "img",  "input", "link",
                                                 "col",  "wbr", "source", "area", "base"};
  std::vector<std::string> open;
  std::size_t i = 0;
  while ((i = s.find('<', i)) != std::string::npos) {
    if (s.compare(i, 4, "<!--") == 0) {
      const std::size_t end = s.find("-->", i);
      if (end == std::string::npos) return "unterminated comment at " + std::to_string(i);
      i = end + 3;
      continue;
    }
    const std::size_t end = s.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    if (s[i + 1] == '!') {
      i = end + 1;
      continue;
    }
    const bool closing = s[i + 1] == '/';
    const std::size_t name_start = i + (closing ? 2 : 1);
    std::size_t name_end = name_start;
    while (name_end < end &&
           (std::isalnum(static_cast<unsigned char>(s[name_end])) || s[name_end] == '-')) {
      ++name_end;
    }
    if (name_end == name_start) return "stray '<' at " + std::to_string(i);
    const std::string name = s.substr(name_start, name_end - name_start);
    const bool self_closing = s[end - 1] == '/';
    if (closing) {
      if (open.empty() || open.back() != name) {
        return "</" + name + "> at " + std::to_string(i) + " closes " +
               (open.empty() ? std::string("nothing") : "<" + open.back() + ">");
      }
      open.pop_back();
    } else if (!self_closing && std::find(kVoid.begin(), kVoid.end(), name) == kVoid.end()) {
      open.push_back(name);
      if (name == "style" || name == "script") {  // raw text until the closing tag
        const std::size_t close = s.find("</" + name + ">", end);
        if (close == std::string::npos) return "unclosed <" + name + ">";
        i = close;
        continue;
      }
    }
    i = end + 1;
  }
  if (!open.empty()) return "<" + open.back() + "> never closed";
  return "";
}

inline std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t i = haystack.find(needle); i != std::string::npos;
       i = haystack.find(needle, i + needle.size())) {
    ++n;
  }
  return n;
}

/// (x, label) of the tick labels of the first horizontal axis group in an SVG.
inline std::vector<std::pair<double, std::string>> x_tick_labels(const std::string& svg) {
  std::vector<std::pair<double, std::string>> out;
  const std::size_t start = svg.find("<g class=\"axis axis-x\">");
  if (start == std::string::npos) return out;
  const std::size_t end = svg.find("</g>", start);
  const std::string group = svg.substr(start, end - start);
  static const std::regex kLabel(
      R"re(<text x="([-0-9.]+)" y="[-0-9.]+" text-anchor="middle" fill="#52606d">([^<]*)</text>)re");
  for (auto it = std::sregex_iterator(group.begin(), group.end(), kLabel);
       it != std::sregex_iterator(); ++it) {
    const std::string x = (*it)[1].str();
    double value = 0;
    std::from_chars(x.data(), x.data() + x.size(), value);
    out.emplace_back(value, (*it)[2].str());
  }
  return out;
}

/// The values of every `data-<name>="..."` attribute in `html`, in order (what the waterfall
/// writes on its bars).
inline std::vector<double> data_values(const std::string& html, const std::string& name) {
  std::vector<double> out;
  const std::string key = " data-" + name + "=\"";
  for (std::size_t i = html.find(key); i != std::string::npos; i = html.find(key, i + 1)) {
    const std::size_t start = i + key.size(), end = html.find('"', start);
    double value = 0;
    std::from_chars(html.data() + start, html.data() + end, value);
    out.push_back(value);
  }
  return out;
}

}  // namespace claimlens::testing
