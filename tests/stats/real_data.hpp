// The real data set's columns after pandas' dropna(), for the parity tests. A minimal local CSV
// reader (quoted fields, CRLF) so these tests do not depend on the dataframe module.
#pragma once

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/paths.hpp"

namespace claimlens::testing {

struct RealColumns {
  std::map<std::string, std::vector<double>> numbers;     // numeric columns
  std::map<std::string, std::vector<std::string>> texts;  // the label columns
  std::size_t rows = 0;
};

namespace detail {

inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

inline bool parse_number(const std::string& s, double& out) {
  if (s.empty() || s == "#N/A") return false;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), out);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) {
    throw std::runtime_error("not a number in the real data: " + s);
  }
  return true;
}

}  // namespace detail

/// tiktok_dataset.csv with every row holding a missing value dropped (pandas' dropna()).
inline const RealColumns& real_columns_dropna() {
  static const RealColumns columns = [] {
    const auto records = detail::parse_csv(read_text_file(real_dataset_path()));
    const std::vector<std::string>& header = records.at(0);
    const std::vector<std::string> numeric{"#",
                                           "video_id",
                                           "video_duration_sec",
                                           "video_view_count",
                                           "video_like_count",
                                           "video_share_count",
                                           "video_download_count",
                                           "video_comment_count"};
    const std::vector<std::string> labels{"claim_status", "verified_status", "author_ban_status"};
    RealColumns out;
    for (std::size_t r = 1; r < records.size(); ++r) {
      const auto& rec = records[r];
      if (rec.size() != header.size()) throw std::runtime_error("ragged row in the real data");
      bool complete = true;
      std::vector<double> values(header.size(), std::numeric_limits<double>::quiet_NaN());
      for (std::size_t c = 0; c < header.size(); ++c) {
        bool is_numeric = false;
        for (const auto& n : numeric) is_numeric = is_numeric || n == header[c];
        if (is_numeric) {
          complete = detail::parse_number(rec[c], values[c]) && complete;
        } else {
          complete = complete && !rec[c].empty();
        }
      }
      if (!complete) continue;
      for (std::size_t c = 0; c < header.size(); ++c) {
        for (const auto& n : numeric) {
          if (n == header[c]) out.numbers[n].push_back(values[c]);
        }
        for (const auto& l : labels) {
          if (l == header[c]) out.texts[l].push_back(rec[c]);
        }
      }
      ++out.rows;
    }
    return out;
  }();
  return columns;
}

}  // namespace claimlens::testing
