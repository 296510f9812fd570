// libFuzzer target: the CSV reader through the C ABI (claimlens_frame_read_csv_buffer), then every
// accessor over every column. Findings: sanitizer reports, CLAIMLENS_E_INTERNAL, a failure that
// still hands out a frame, a null count that does not match the NaNs of a numeric column, a
// describe() that is not valid JSON, a drop_nulls() that leaves a null; and read_csv on 2-3
// threads with blocks of 16-112 bytes (C++ API) giving another frame or another error than on one.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "fuzz_support.hpp"

using claimlens_fuzz::check_failure;

namespace {

void touch_column(const claimlens_frame* frame, std::size_t index, std::size_t rows) {
  const char* name = nullptr;
  FUZZ_OK(claimlens_frame_column_name(frame, index, &name));
  FUZZ_CHECK(name != nullptr);
  claimlens_dtype dtype{};
  // Duplicate column names resolve to the first one; a lookup by name must still succeed.
  FUZZ_OK(claimlens_frame_column_dtype(frame, name, &dtype));
  std::size_t nulls = 0;
  FUZZ_OK(claimlens_frame_null_count(frame, name, &nulls));
  FUZZ_CHECK(nulls <= rows);
  if (dtype == CLAIMLENS_STRING) {
    std::vector<double> sink(rows);
    check_failure(claimlens_frame_get_doubles(frame, name, rows, sink.data()), {CLAIMLENS_E_SCHEMA},
                  "get_doubles(string column)");
    std::size_t seen_nulls = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      const char* cell = reinterpret_cast<const char*>(1);
      FUZZ_OK(claimlens_frame_get_string(frame, name, r, &cell));
      if (cell == nullptr) {
        ++seen_nulls;
      } else {
        (void)std::strlen(cell);  // must be NUL-terminated and readable
      }
    }
    const char* cell = nullptr;
    check_failure(claimlens_frame_get_string(frame, name, rows, &cell),
                  {CLAIMLENS_E_INVALID_ARGUMENT}, "get_string(row out of range)");
    // Only the first of duplicate names is reachable by name; its nulls are what we counted.
    FUZZ_CHECK(seen_nulls == nulls);
  } else {
    std::vector<double> values(rows);
    FUZZ_OK(claimlens_frame_get_doubles(frame, name, rows, values.data()));
    std::size_t nans = 0;
    for (double v : values) nans += std::isnan(v) ? 1 : 0;
    // Nulls read as NaN; integer and bool columns hold no other NaN.
    if (dtype == CLAIMLENS_FLOAT64) {
      FUZZ_CHECK(nans >= nulls);
    } else {
      FUZZ_CHECK(nans == nulls);
    }
    const char* cell = nullptr;
    check_failure(claimlens_frame_get_string(frame, name, 0, &cell), {CLAIMLENS_E_SCHEMA},
                  "get_string(numeric column)");
  }
}

// read_csv_buffer's frame, or its error message in `error`.
claimlens::DataFrame read_or_error(const char* text, std::size_t size,
                                   const claimlens::CsvOptions& options, std::string& error) {
  try {
    return claimlens::read_csv_buffer(std::string_view(text, size), options, "f.csv");
  } catch (const claimlens::Error& e) {
    error = e.what();
  }
  return {};
}

// The parallel first pass against the serial one, with blocks small enough to cut the input.
void check_parallel_matches(const char* text, std::size_t size) {
  claimlens::CsvOptions serial;
  serial.n_jobs = 1;
  claimlens::CsvOptions parallel;
  parallel.n_jobs = 2 + static_cast<int>(size % 2);
  parallel.parallel_block_bytes = 16 + size % 97;
  std::string serial_error, parallel_error;
  const claimlens::DataFrame a = read_or_error(text, size, serial, serial_error);
  const claimlens::DataFrame b = read_or_error(text, size, parallel, parallel_error);
  FUZZ_CHECK(serial_error == parallel_error);
  FUZZ_CHECK(a.column_names() == b.column_names());
  FUZZ_CHECK(a.num_rows() == b.num_rows());
  for (std::size_t c = 0; c < a.num_columns(); ++c) {
    FUZZ_CHECK(a.column(c).dtype() == b.column(c).dtype());
    FUZZ_CHECK(a.column(c).equals(b.column(c)));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char empty = 0;
  const char* text = size ? reinterpret_cast<const char*>(data) : &empty;
  static char sentinel_byte = 0;
  auto* const sentinel = reinterpret_cast<claimlens_frame*>(&sentinel_byte);
  check_parallel_matches(text, size);
  claimlens_frame* frame = sentinel;  // must stay untouched on failure
  const claimlens_status status = claimlens_frame_read_csv_buffer(text, size, &frame);
  if (status != CLAIMLENS_OK) {
    check_failure(status, {CLAIMLENS_E_PARSE, CLAIMLENS_E_SCHEMA, CLAIMLENS_E_INVALID_ARGUMENT},
                  "claimlens_frame_read_csv_buffer");
    FUZZ_CHECK(frame == sentinel);
    return 0;
  }
  FUZZ_CHECK(frame != nullptr);
  const std::size_t rows = claimlens_frame_num_rows(frame);
  const std::size_t cols = claimlens_frame_num_columns(frame);
  FUZZ_CHECK(rows <= size);  // every row takes at least its line break, but the last one
  for (std::size_t c = 0; c < cols; ++c) touch_column(frame, c, rows);
  const char* name = nullptr;
  check_failure(claimlens_frame_column_name(frame, cols, &name), {CLAIMLENS_E_INVALID_ARGUMENT},
                "column_name(out of range)");

  // describe() covers the numeric columns; a frame without one is refused (pandas would describe
  // the string columns instead, which the C ABI does not offer).
  char* json = nullptr;
  const claimlens_status described = claimlens_frame_describe_json(frame, &json);
  if (described == CLAIMLENS_OK) {
    FUZZ_CHECK(nlohmann::json::accept(json));
    claimlens_free(json);
  } else {
    check_failure(described, {CLAIMLENS_E_INVALID_ARGUMENT}, "describe_json");
    FUZZ_CHECK(json == nullptr);
    FUZZ_CHECK(std::strstr(claimlens_last_error(), "numeric") != nullptr);
  }

  claimlens_frame* complete = nullptr;
  FUZZ_OK(claimlens_frame_drop_nulls(frame, &complete));
  FUZZ_CHECK(claimlens_frame_num_rows(complete) <= rows);
  FUZZ_CHECK(claimlens_frame_num_columns(complete) == cols);
  for (std::size_t c = 0; c < cols; ++c) {
    FUZZ_OK(claimlens_frame_column_name(complete, c, &name));
    std::size_t nulls = 1;
    FUZZ_OK(claimlens_frame_null_count(complete, name, &nulls));
    FUZZ_CHECK(nulls == 0);
  }
  claimlens_frame_free(complete);
  claimlens_frame_free(frame);
  return 0;
}
