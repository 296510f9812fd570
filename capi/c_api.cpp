// The C ABI (claimlens.h, from capi/claimlens.h.in), part one: status, errors, memory, frames
// and statistics. The models and the claim classifier are in c_api_models.cpp; both go through
// c_api_internal.hpp's guarded(), the only place where C++ exceptions become status codes.
#include <cmath>

#include "c_api_internal.hpp"
#include "claimlens/stats/descriptive.hpp"
#include "claimlens/stats/hypothesis.hpp"

using namespace claimlens::capi_detail;  // NOLINT: the C ABI's own helpers

namespace claimlens::capi_detail {
namespace {
thread_local std::string last_error;
// Set instead of last_error when even the message could not be allocated.
thread_local const char* last_error_fallback = nullptr;

}  // namespace

claimlens_status fail(claimlens_status status, const char* function, const char* prefix,
                      const char* what) noexcept {
  try {
    std::string message = function;
    message += ": ";
    message += prefix;
    message += what;
    last_error.swap(message);
    last_error_fallback = nullptr;
  } catch (...) {
    last_error_fallback = "out of memory (while formatting the error message)";
  }
  return status;
}

}  // namespace claimlens::capi_detail

extern "C" {

// ---- status, errors, memory ---------------------------------------------------------------

const char* claimlens_last_error(void) {
  return last_error_fallback != nullptr ? last_error_fallback : last_error.c_str();
}

const char* claimlens_status_name(claimlens_status status) {
  // A C caller may pass any int; reading it as the C++ enum would be undefined for values past
  // the enumerators (UBSan's enum check caught 99), so the bytes are read as an int.
  int code = 0;
  static_assert(sizeof code == sizeof status, "claimlens_status is int-sized");
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case CLAIMLENS_OK:
      return "CLAIMLENS_OK";
    case CLAIMLENS_E_INVALID_ARGUMENT:
      return "CLAIMLENS_E_INVALID_ARGUMENT";
    case CLAIMLENS_E_IO:
      return "CLAIMLENS_E_IO";
    case CLAIMLENS_E_PARSE:
      return "CLAIMLENS_E_PARSE";
    case CLAIMLENS_E_SCHEMA:
      return "CLAIMLENS_E_SCHEMA";
    case CLAIMLENS_E_MODEL_FORMAT:
      return "CLAIMLENS_E_MODEL_FORMAT";
    case CLAIMLENS_E_STATE:
      return "CLAIMLENS_E_STATE";
    case CLAIMLENS_E_NO_MEMORY:
      return "CLAIMLENS_E_NO_MEMORY";
    case CLAIMLENS_E_INTERNAL:
      return "CLAIMLENS_E_INTERNAL";
  }
  return "CLAIMLENS_UNKNOWN_STATUS";
}

void claimlens_version(int* major, int* minor, int* patch) {
  if (major) *major = CLAIMLENS_VERSION_MAJOR;
  if (minor) *minor = CLAIMLENS_VERSION_MINOR;
  if (patch) *patch = CLAIMLENS_VERSION_PATCH;
}

void claimlens_free(void* ptr) {
  std::free(ptr);
}

// ---- frames -------------------------------------------------------------------------------

claimlens_status claimlens_frame_read_csv(const char* path, claimlens_frame** out) {
  return guarded(__func__, [&] {
    require(path, "path");
    require(out, "out");
    *out = new_handle<claimlens_frame>(claimlens::read_csv(path));
  });
}

claimlens_status claimlens_frame_read_csv_buffer(const char* data, size_t len,
                                                 claimlens_frame** out) {
  return guarded(__func__, [&] {
    require_array(data, len, "data");
    require(out, "out");
    *out = new_handle<claimlens_frame>(
        claimlens::read_csv_buffer(std::string_view(data ? data : "", len)));
  });
}

void claimlens_frame_free(claimlens_frame* frame) {
  delete frame;
}

size_t claimlens_frame_num_rows(const claimlens_frame* frame) {
  return frame ? frame->frame.num_rows() : 0;
}

size_t claimlens_frame_num_columns(const claimlens_frame* frame) {
  return frame ? frame->frame.num_columns() : 0;
}

claimlens_status claimlens_frame_column_name(const claimlens_frame* frame, size_t index,
                                             const char** out) {
  return guarded(__func__, [&] {
    require(frame, "frame");
    require(out, "out");
    const auto& names = frame->frame.column_names();
    if (index >= names.size()) {
      throw InvalidArgument("column index " + std::to_string(index) + " is out of range (" +
                            std::to_string(names.size()) + " columns)");
    }
    *out = names[index].c_str();
  });
}

claimlens_status claimlens_frame_column_dtype(const claimlens_frame* frame, const char* column,
                                              claimlens_dtype* out) {
  return guarded(__func__, [&] {
    require(frame, "frame");
    require(column, "column");
    require(out, "out");
    switch (frame->frame.column(column).dtype()) {
      case claimlens::DType::Int64:
        *out = CLAIMLENS_INT64;
        break;
      case claimlens::DType::Float64:
        *out = CLAIMLENS_FLOAT64;
        break;
      case claimlens::DType::String:
        *out = CLAIMLENS_STRING;
        break;
      case claimlens::DType::Bool:
        *out = CLAIMLENS_BOOL;
        break;
    }
  });
}

claimlens_status claimlens_frame_null_count(const claimlens_frame* frame, const char* column,
                                            size_t* out) {
  return guarded(__func__, [&] {
    require(frame, "frame");
    require(column, "column");
    require(out, "out");
    *out = frame->frame.column(column).null_count();
  });
}

claimlens_status claimlens_frame_get_doubles(const claimlens_frame* frame, const char* column,
                                             size_t n, double* out) {
  return guarded(__func__, [&] {
    require(frame, "frame");
    require(column, "column");
    const claimlens::Column& col = frame->frame.column(column);
    if (n != col.size()) {
      throw InvalidArgument("n is " + std::to_string(n) + " but the frame has " +
                            std::to_string(col.size()) + " rows");
    }
    require_array(out, n, "out");
    std::vector<double> values = col.to_doubles();  // SchemaError for a string column
    std::copy(values.begin(), values.end(), out);
  });
}

claimlens_status claimlens_frame_get_string(const claimlens_frame* frame, const char* column,
                                            size_t row, const char** out) {
  return guarded(__func__, [&] {
    require(frame, "frame");
    require(column, "column");
    require(out, "out");
    const claimlens::DataFrame& f = frame->frame;
    const claimlens::Column& col = f.column(column);
    if (col.dtype() != claimlens::DType::String) {
      throw claimlens::SchemaError(std::string("column '") + column + "' is " +
                                   claimlens::dtype_name(col.dtype()) + ", not a string column");
    }
    if (row >= col.size()) {
      throw InvalidArgument("row " + std::to_string(row) + " is out of range (" +
                            std::to_string(col.size()) + " rows)");
    }
    std::size_t index = 0;
    while (f.column_names()[index] != column) ++index;
    auto& cache = frame->caches[index];
    std::call_once(cache.once, [&] { cache.values = col.to_strings(); });
    *out = col.is_null(row) ? nullptr : cache.values[row].c_str();
  });
}

claimlens_status claimlens_frame_drop_nulls(const claimlens_frame* frame, claimlens_frame** out) {
  return guarded(__func__, [&] {
    require(frame, "frame");
    require(out, "out");
    *out = new_handle<claimlens_frame>(frame->frame.dropna());
  });
}

claimlens_status claimlens_frame_describe_json(const claimlens_frame* frame, char** out_json) {
  return guarded(__func__, [&] {
    require(frame, "frame");
    require(out_json, "out_json");
    const claimlens::Description d = frame->frame.describe();
    claimlens::JsonDocument doc(nlohmann::json::object());
    nlohmann::json& j = *doc;
    for (const auto& c : d.columns) {
      nlohmann::json& stats = j[c.name] = nlohmann::json::object();  // filled in place
      const auto values = c.values();
      for (std::size_t i = 0; i < values.size(); ++i) {
        const char* name = claimlens::Description::kStatNames[i];
        stats[name] = std::isfinite(values[i]) ? nlohmann::json(values[i]) : nlohmann::json();
      }
    }
    // Column names are the file's bytes: invalid UTF-8 becomes U+FFFD rather than a throw from
    // dump() (found by fuzz_read_csv, tests/fuzz/regressions/read_csv/).
    *out_json = malloc_string(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
}

// ---- statistics ---------------------------------------------------------------------------

claimlens_status claimlens_ttest_ind(const double* a, size_t na, const double* b, size_t nb,
                                     int equal_var, claimlens_ttest* out) {
  return guarded(__func__, [&] {
    require_array(a, na, "a");
    require_array(b, nb, "b");
    require(out, "out");
    const std::size_t size = struct_size_of(out);
    check_struct_size(size, kTtestRecord, "out", kOneRecord);
    const auto r = claimlens::stats::ttest_ind(
        claimlens::Span<const double>(a, na), claimlens::Span<const double>(b, nb), equal_var != 0);
    // The fields the caller's struct_size covers; newer ones (none yet) keep the caller's values.
    claimlens_ttest result{};
    result.struct_size = size;
    result.statistic = r.statistic;
    result.df = r.df;
    result.p_value = r.p_value;
    std::memcpy(out, &result, std::min(size, sizeof result));
  });
}

claimlens_status claimlens_quantile(const double* x, size_t n, double q, double* out) {
  return guarded(__func__, [&] {
    require_array(x, n, "x");
    require(out, "out");
    *out = claimlens::stats::quantile(claimlens::Span<const double>(x, n), q);
  });
}

}  // extern "C"
