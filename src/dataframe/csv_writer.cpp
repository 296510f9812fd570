// DataFrame -> CSV text (see csv_writer.hpp).
#include "claimlens/dataframe/csv_writer.hpp"

#include <charconv>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"

namespace claimlens {

namespace {

void append_cell(std::string& out, const Column& c, std::size_t row, char delimiter) {
  if (c.is_null(row)) return;
  char buf[64];
  switch (c.dtype()) {
    case DType::String:
      append_csv_field(out, c.string_at(row), delimiter);
      break;
    case DType::Bool:
      out += c.bool_at(row) ? "True" : "False";
      break;
    case DType::Int64: {
      const auto res = std::to_chars(buf, buf + sizeof buf, c.int64_at(row));
      out.append(buf, res.ptr);
      break;
    }
    case DType::Float64: {
      const auto res = std::to_chars(buf, buf + sizeof buf, c.float64_at(row));
      const std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
      out += text;
      // pandas writes a whole float as "5.0": the column stays float64 when read again.
      if (text.find_first_of(".eni") == std::string_view::npos) out += ".0";
      break;
    }
  }
}

void check_options(const CsvWriteOptions& options) {
  const char d = options.delimiter;
  if (d == '"' || d == '\r' || d == '\n') {
    throw InvalidArgument("to_csv: delimiter cannot be a double quote, CR or LF");
  }
}

}  // namespace

void append_csv_field(std::string& out, std::string_view field, char delimiter) {
  const char special[] = {delimiter, '"', '\r', '\n'};
  if (field.find_first_of(std::string_view(special, sizeof special)) == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string to_csv(const DataFrame& frame, const CsvWriteOptions& options) {
  check_options(options);
  std::string out;
  const auto& names = frame.column_names();
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (j) out += options.delimiter;
    append_csv_field(out, names[j], options.delimiter);
  }
  out += options.line_terminator;
  for (std::size_t i = 0; i < frame.num_rows(); ++i) {
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (j) out += options.delimiter;
      append_cell(out, frame.column(j), i, options.delimiter);
    }
    out += options.line_terminator;
  }
  return out;
}

void write_csv(const DataFrame& frame, std::ostream& out, const CsvWriteOptions& options) {
  const std::string text = to_csv(frame, options);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw IoError("write_csv: the output stream failed");
}

}  // namespace claimlens
