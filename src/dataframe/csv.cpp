// read_csv: streams the input through CsvScanner in blocks and infers column types on the fly.
#include "claimlens/dataframe/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "column_storage.hpp"
#include "csv_scanner.hpp"

namespace claimlens {

const std::vector<std::string>& default_na_values() {
  // pandas.io.parsers STR_NA_VALUES (pandas 1.5).
  static const std::vector<std::string> values = {
      "",     "#N/A",   "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN", "-NaN",
      "-nan", "1.#IND", "1.#QNAN",  "<NA>", "N/A",     "NA",       "NULL",
      "NaN",  "None",   "n/a",      "nan",  "null"};
  return values;
}

namespace {

using detail::CsvField;

constexpr size_t kBlockSize = size_t{1} << 22;  // 4 MiB: big enough to amortize, small to hold

/// The null tokens, bucketed by length for a quick reject of ordinary values.
class NullTokens {
 public:
  explicit NullTokens(const CsvOptions& options) {
    if (options.default_na) add_all(default_na_values());
    add_all(options.na_values);
  }
  bool contains(std::string_view text) const {
    if (text.size() >= by_length_.size()) return false;
    if (!text.empty() && !first_char_[static_cast<unsigned char>(text[0])]) return false;
    for (const auto& t : by_length_[text.size()]) {
      if (t == text) return true;
    }
    return false;
  }

 private:
  void add_all(const std::vector<std::string>& tokens) {
    for (const auto& t : tokens) {
      if (t.size() >= by_length_.size()) by_length_.resize(t.size() + 1);
      by_length_[t.size()].push_back(t);
      if (!t.empty()) first_char_[static_cast<unsigned char>(t[0])] = true;
    }
  }
  std::vector<std::vector<std::string>> by_length_;
  bool first_char_[256] = {};
};

enum class Kind { Int, Float, Bool, Text };

struct Value {
  Kind kind = Kind::Text;
  int64_t i = 0;
  double d = 0;
  bool b = false;
};

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// What pandas' parser would make of one non-null field. Locale-free (std::from_chars).
Value classify(std::string_view raw) {
  Value v;
  std::string_view s = trim_spaces(raw);
  if (s.empty()) return v;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (*first == '+' && s.size() > 1 && first[1] != '-' && first[1] != '+') ++first;
  if ((*first >= '0' && *first <= '9') || *first == '-') {
    auto [end, ec] = std::from_chars(first, last, v.i);
    if (ec == std::errc() && end == last) {
      v.kind = Kind::Int;
      return v;
    }
  }
  auto [end, ec] = std::from_chars(first, last, v.d);
  if (ec == std::errc() && end == last && !std::isnan(v.d)) {
    v.kind = Kind::Float;
    return v;
  }
  if (ec == std::errc::result_out_of_range && end == last) {  // beyond double: pandas gives inf
    v.kind = Kind::Float;
    v.d = (*first == '-') ? -HUGE_VAL : HUGE_VAL;
    bool tiny = false;  // underflow: from_chars reports out of range too; the value is ~0
    for (const char* c = first; c < last; ++c) {
      if (*c == 'e' || *c == 'E') tiny = (c + 1 < last && c[1] == '-');
    }
    if (tiny) v.d = (*first == '-') ? -0.0 : 0.0;
    return v;
  }
  // pandas' default true/false spellings.
  if (raw == "True" || raw == "TRUE" || raw == "true") {
    v.kind = Kind::Bool;
    v.b = true;
  } else if (raw == "False" || raw == "FALSE" || raw == "false") {
    v.kind = Kind::Bool;
    v.b = false;
  }
  return v;
}

/// One column being inferred. States: no value yet (only nulls), bool, int64, float64, string,
/// and "rescan": it held numbers or bools and then text, so its text is re-read in a second pass
/// (the typed values already parsed lost the original spelling, e.g. "007").
class InferringColumn {
 public:
  enum class State { Empty, Typed, Rescan };

  void add(const CsvField& field, const NullTokens& nulls, bool infer, std::string& scratch) {
    if (state_ == State::Rescan) return;
    std::string_view text = field.view();
    if (field.escaped) {
      detail::unescape_into(field, scratch);
      text = scratch;
    }
    if (nulls.contains(text)) {
      if (state_ == State::Empty) {
        ++leading_nulls_;
      } else {
        builder_->append_null();
      }
      return;
    }
    if (state_ == State::Typed && builder_->dtype() == DType::String) {
      builder_->append_string(text);
      return;
    }
    Value v = infer ? classify(text) : Value{};
    if (state_ == State::Empty) start(v.kind);
    DType dt = builder_->dtype();
    switch (v.kind) {
      case Kind::Int:
        if (dt == DType::Int64) {
          builder_->append_int64(v.i);
        } else if (dt == DType::Float64) {
          builder_->append_float64(static_cast<double>(v.i));
        } else {
          to_rescan();
        }
        return;
      case Kind::Float:
        if (dt == DType::Int64) {
          builder_->convert_int64_to_float64();
          dt = DType::Float64;
        }
        if (dt == DType::Float64) {
          builder_->append_float64(v.d);
        } else {
          to_rescan();
        }
        return;
      case Kind::Bool:
        if (dt == DType::Bool) {
          builder_->append_bool(v.b);
        } else {
          to_rescan();
        }
        return;
      case Kind::Text:
        if (dt == DType::String) {
          builder_->append_string(text);
        } else {
          to_rescan();
        }
        return;
    }
  }

  State state() const { return state_; }
  ColumnBuilder* builder() { return builder_ ? &*builder_ : nullptr; }

  void reserve(size_t rows, size_t chars) {
    if (builder_) builder_->reserve(rows, chars);
  }

  Column finish(size_t rows) {
    if (state_ == State::Empty) {  // only nulls: float64, as pandas
      ColumnBuilder b(DType::Float64);
      for (size_t i = 0; i < rows; ++i) b.append_null();
      return b.finish();
    }
    return builder_->finish();
  }

 private:
  void start(Kind kind) {
    DType dt = kind == Kind::Int     ? DType::Int64
               : kind == Kind::Float ? DType::Float64
               : kind == Kind::Bool  ? DType::Bool
                                     : DType::String;
    builder_.emplace(dt);
    for (size_t i = 0; i < leading_nulls_; ++i) builder_->append_null();
    state_ = State::Typed;
  }
  void to_rescan() {
    builder_.reset();
    state_ = State::Rescan;
  }

  State state_ = State::Empty;
  size_t leading_nulls_ = 0;
  std::optional<ColumnBuilder> builder_;
};

constexpr size_t kProbeSize = size_t{1} << 18;

/// Scans a block; the first time, scans a 256 KiB prefix on its own first so that the sink can
/// size its buffers for the whole input (sink.progress) before the bulk of the rows arrives.
template <class Sink>
size_t scan_block(detail::CsvScanner& scanner, const char* data, size_t size, bool eof, Sink& sink,
                  bool first, size_t done, size_t total) {
  size_t probed = 0;
  if (first && size > kProbeSize) {
    probed = scanner.scan(data, kProbeSize, false, sink);
    sink.progress(done + probed, total);
  }
  return probed + scanner.scan(data + probed, size - probed, eof, sink);
}

/// Streams `path` (or `buffer` when path is null) through the scanner in blocks, calling
/// sink(fields, count, line) per row and sink.progress(consumed, total) after each block.
template <class Sink>
void stream(const std::string* path, std::string_view buffer, detail::CsvScanner& scanner,
            Sink& sink) {
  auto strip_bom = [](const char* p, size_t n) -> size_t {
    return (n >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
  };
  if (path == nullptr) {
    size_t bom = strip_bom(buffer.data(), buffer.size());
    scan_block(scanner, buffer.data() + bom, buffer.size() - bom, true, sink, true, bom,
               buffer.size());
    sink.progress(buffer.size(), buffer.size());
    return;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path->c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    throw IoError("read_csv: cannot open " + *path + ": " + std::strerror(errno));
  }
  std::setvbuf(file.get(), nullptr, _IONBF, 0);  // we read big blocks ourselves
  size_t total = 0;
  if (std::fseek(file.get(), 0, SEEK_END) == 0) {
    long end = std::ftell(file.get());
    if (end > 0) total = static_cast<size_t>(end);
    std::fseek(file.get(), 0, SEEK_SET);
  }
  detail::PodBuffer<char> buf;
  buf.resize_uninitialized(total > 0 ? std::min(kBlockSize, total + 1) : kBlockSize);
  size_t have = 0;
  size_t done = 0;  // bytes of the file consumed before buf[0]
  bool eof = false;
  bool first = true;
  for (;;) {
    while (have < buf.size() && !eof) {
      size_t n = std::fread(buf.data() + have, 1, buf.size() - have, file.get());
      if (n == 0) {
        if (std::ferror(file.get())) {
          throw IoError("read_csv: cannot read " + *path + ": " + std::strerror(errno));
        }
        eof = true;
      }
      have += n;
    }
    size_t start = first ? strip_bom(buf.data(), have) : 0;
    size_t consumed = start + scan_block(scanner, buf.data() + start, have - start, eof, sink,
                                         first, done + start, std::max(total, have));
    first = false;
    done += consumed;
    sink.progress(done, std::max(total, done));
    if (eof) return;
    if (consumed == 0) {
      buf.resize_uninitialized(buf.size() * 2);  // a row longer than the block: widen it
    } else {
      std::memmove(buf.data(), buf.data() + consumed, have - consumed);
      have -= consumed;
    }
  }
}

/// A name for a one-line error message: control bytes (a quoted line break...) as \xNN.
std::string for_message(std::string_view text) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string> header_names(const CsvField* fields, size_t count,
                                      const std::string& source) {
  std::vector<std::string> names(count);
  std::string scratch;
  for (size_t i = 0; i < count; ++i) {
    detail::unescape_into(fields[i], scratch);
    names[i] = scratch.empty() ? "Unnamed: " + std::to_string(i) : scratch;
    // Names are C strings in the C ABI: one with a NUL byte could never be looked up
    // (found by fuzz_read_csv, tests/fuzz/regressions/read_csv/).
    if (names[i].find('\0') != std::string::npos) {
      throw ParseError(detail::csv_location(source, 1, i + 1) + "column name '" +
                       for_message(names[i]) + "' has a NUL byte");
    }
  }
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < count; ++i) {
    auto [it, fresh] = seen.emplace(names[i], i);
    if (!fresh) {
      throw ParseError(detail::csv_location(source, 1, i + 1) + "duplicate column name '" +
                       for_message(names[i]) + "' (also field " + std::to_string(it->second + 1) +
                       ")");
    }
  }
  return names;
}

/// First pass: header, then every row into inferring columns.
struct InferSink {
  detail::CsvScanner& scanner;
  const NullTokens& nulls;
  const CsvOptions& options;
  const std::string& source;
  std::vector<std::string> names;
  std::vector<InferringColumn> columns;
  bool have_header = false;
  size_t rows = 0;
  size_t header_line = 1;
  bool reserved = false;
  std::string scratch;

  void operator()(const CsvField* fields, size_t count, size_t line) {
    if (!have_header) {
      header_line = line;
      names = header_names(fields, count, source);
      columns.resize(count);
      scanner.set_expected_fields(count);
      have_header = true;
      return;
    }
    for (size_t i = 0; i < count; ++i)
      columns[i].add(fields[i], nulls, options.infer_types, scratch);
    ++rows;
  }

  // After the first block, size every buffer for the whole file (by extrapolation). Reserved but
  // untouched pages cost no memory, and growth past it is a realloc (mremap), not a copy.
  void progress(size_t consumed, size_t total) {
    if (reserved || rows == 0 || consumed == 0) return;
    reserved = true;
    double scale = static_cast<double>(total) / static_cast<double>(consumed) * 1.1;
    size_t est_rows = static_cast<size_t>(static_cast<double>(rows) * scale) + 16;
    for (auto& c : columns) {
      ColumnBuilder* b = c.builder();
      if (b == nullptr) continue;
      size_t chars = static_cast<size_t>(static_cast<double>(b->chars()) * scale) + 64;
      c.reserve(est_rows, chars);
    }
  }
};

/// Second pass: the text of the columns that turned out to be strings after holding numbers.
struct RescanSink {
  const NullTokens& nulls;
  std::vector<size_t> targets;
  std::vector<ColumnBuilder> builders;
  bool skipped_header = false;
  std::string scratch;

  void operator()(const CsvField* fields, size_t count, size_t) {
    if (!skipped_header) {
      skipped_header = true;
      return;
    }
    for (size_t k = 0; k < targets.size(); ++k) {
      size_t i = targets[k];
      if (i >= count) continue;
      std::string_view text = fields[i].view();
      if (fields[i].escaped) {
        detail::unescape_into(fields[i], scratch);
        text = scratch;
      }
      if (nulls.contains(text)) {
        builders[k].append_null();
      } else {
        builders[k].append_string(text);
      }
    }
  }
  void progress(size_t, size_t) {}
};

DataFrame read_any(const std::string* path, std::string_view buffer, const CsvOptions& options,
                   const std::string& source) {
  NullTokens nulls(options);
  if (options.max_field_bytes == 0 || options.max_columns == 0) {
    throw InvalidArgument("read_csv: CsvOptions::max_field_bytes and max_columns must be >= 1");
  }
  detail::CsvScanner scanner(options.delimiter, source);
  scanner.set_limits(options.max_field_bytes, options.max_columns);
  InferSink sink{scanner, nulls, options, source, {}, {}, false, 0, 1, false, {}};
  stream(path, buffer, scanner, sink);
  if (!sink.have_header) {
    throw ParseError(detail::csv_location(source, 1, 1) + "empty input: no header row");
  }
  RescanSink rescan{nulls, {}, {}, false, {}};
  for (size_t i = 0; i < sink.columns.size(); ++i) {
    if (sink.columns[i].state() == InferringColumn::State::Rescan) {
      rescan.targets.push_back(i);
      rescan.builders.emplace_back(DType::String);
      rescan.builders.back().reserve(sink.rows);
    }
  }
  if (!rescan.targets.empty()) {
    detail::CsvScanner again(options.delimiter, source);
    again.set_limits(options.max_field_bytes, options.max_columns);
    stream(path, buffer, again, rescan);
    for (auto& b : rescan.builders) {
      if (b.size() != sink.rows) {
        throw IoError("read_csv: " + source + " changed while it was being read");
      }
    }
  }
  DataFrame frame;
  size_t next_rescan = 0;
  for (size_t i = 0; i < sink.columns.size(); ++i) {
    Column column;
    if (next_rescan < rescan.targets.size() && rescan.targets[next_rescan] == i) {
      column = rescan.builders[next_rescan++].finish();
    } else if (sink.columns[i].state() == InferringColumn::State::Empty &&
               (!options.infer_types || sink.rows == 0)) {
      // No values to infer from: strings when inference is off or there are no rows (pandas
      // gives object columns for a header-only file).
      ColumnBuilder b(DType::String);
      for (size_t r = 0; r < sink.rows; ++r) b.append_null();
      column = b.finish();
    } else {
      column = sink.columns[i].finish(sink.rows);
    }
    frame.add_column(sink.names[i], std::move(column));
  }
  return frame;
}

}  // namespace

DataFrame read_csv(const std::string& path, const CsvOptions& options) {
  return read_any(&path, std::string_view(), options, path);
}

DataFrame read_csv_buffer(std::string_view data, const CsvOptions& options,
                          const std::string& source_name) {
  return read_any(nullptr, data, options, source_name);
}

}  // namespace claimlens
