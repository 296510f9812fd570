// The whole C ABI (capi/claimlens.h): the only place where C++ exceptions become status codes.
#include "claimlens.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <variant>
#include <vector>

#include "capi_models.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/io/models.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/stats/descriptive.hpp"
#include "claimlens/stats/hypothesis.hpp"

using claimlens::InvalidArgument;

// ---- handles ------------------------------------------------------------------------------

struct claimlens_frame {
  explicit claimlens_frame(claimlens::DataFrame f)
      : frame(std::move(f)), caches(new StringCache[frame.num_columns()]) {}
  claimlens::DataFrame frame;
  // NUL-terminated copies of string columns, made once on first access (the frame's own storage
  // is one contiguous buffer without terminators). once_flag keeps concurrent readers safe.
  struct StringCache {
    std::once_flag once;
    std::vector<std::string> values;
  };
  std::unique_ptr<StringCache[]> caches;
};

struct claimlens_model {
  claimlens::capi::Model model;
};

struct claimlens_classifier {
  claimlens::ClaimClassifier clf;
};

namespace {

thread_local std::string last_error;
// Set instead of last_error when even the message could not be allocated.
thread_local const char* last_error_fallback = nullptr;

// Records "function: prefix what" as the thread's last error. Never throws: this runs inside
// catch handlers of noexcept functions, where a second bad_alloc would terminate the process.
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

// Runs `body`, turning every exception into a status and the thread's last error. Nothing here
// allocates outside a try block (the message is built only on failure, in fail()).
template <class F>
claimlens_status guarded(const char* function, F&& body) noexcept {
  try {
    body();
    return CLAIMLENS_OK;
  } catch (const claimlens::InvalidArgument& e) {
    return fail(CLAIMLENS_E_INVALID_ARGUMENT, function, "", e.what());
  } catch (const claimlens::IoError& e) {
    return fail(CLAIMLENS_E_IO, function, "", e.what());
  } catch (const claimlens::ParseError& e) {
    return fail(CLAIMLENS_E_PARSE, function, "", e.what());
  } catch (const claimlens::SchemaError& e) {
    return fail(CLAIMLENS_E_SCHEMA, function, "", e.what());
  } catch (const claimlens::ModelFormatError& e) {
    return fail(CLAIMLENS_E_MODEL_FORMAT, function, "", e.what());
  } catch (const claimlens::StateError& e) {
    return fail(CLAIMLENS_E_STATE, function, "", e.what());
  } catch (const claimlens::Error& e) {
    return fail(CLAIMLENS_E_INTERNAL, function, "", e.what());
  } catch (const nlohmann::json::parse_error& e) {
    return fail(CLAIMLENS_E_PARSE, function, "", e.what());
  } catch (const std::bad_alloc&) {
    return fail(CLAIMLENS_E_NO_MEMORY, function, "", "out of memory");
  } catch (const std::exception& e) {
    return fail(CLAIMLENS_E_INTERNAL, function, "internal error: ", e.what());
  } catch (...) {
    return fail(CLAIMLENS_E_INTERNAL, function, "internal error: ", "unknown exception");
  }
}

void require(const void* pointer, const char* name) {
  if (pointer == nullptr) throw InvalidArgument(std::string(name) + " is NULL");
}

// A library-allocated copy of `text` for the caller to release with claimlens_free.
char* malloc_string(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (!out) throw std::bad_alloc();
  std::memcpy(out, text.data(), text.size() + 1);
  return out;
}

// Owned (claimlens/json_document.hpp): the DOM dies without allocating.
claimlens::JsonDocument parse_json_argument(const char* text, const char* name) {
  if (text == nullptr) return nlohmann::json::object();
  try {
    return claimlens::parse_json_document(text, text + std::strlen(text),
                                          nlohmann::json::input_format_t::json);
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for a number past double's range such as 1e400.
    throw claimlens::ParseError(std::string(name) + " is not valid JSON: " + e.what());
  }
}

// A view of a C record; a NULL status is InvalidArgument naming the video (built only then).
claimlens::VideoRecord record_view(const claimlens_video& v, std::size_t index) {
  if (v.verified_status == nullptr || v.author_ban_status == nullptr) {
    throw InvalidArgument(std::string(v.verified_status ? "author_ban_status" : "verified_status") +
                          " of video " + std::to_string(index) + " is NULL");
  }
  claimlens::VideoRecord r;
  r.transcription = v.transcription ? v.transcription : "";
  r.verified_status = v.verified_status;
  r.author_ban_status = v.author_ban_status;
  r.duration_sec = v.duration_sec;
  r.view_count = v.view_count;
  r.like_count = v.like_count;
  r.share_count = v.share_count;
  r.download_count = v.download_count;
  r.comment_count = v.comment_count;
  return r;
}

template <class Handle, class Value>
Handle* new_handle(Value&& value) {
  return new Handle{std::forward<Value>(value)};
}

}  // namespace

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
    if (data == nullptr && len > 0) throw InvalidArgument("data is NULL");
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
                                             double* out, size_t n) {
  return guarded(__func__, [&] {
    require(frame, "frame");
    require(column, "column");
    const claimlens::Column& col = frame->frame.column(column);
    if (n != col.size()) {
      throw InvalidArgument("n is " + std::to_string(n) + " but the frame has " +
                            std::to_string(col.size()) + " rows");
    }
    if (n > 0) require(out, "out");
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
    require(a, "a");
    require(b, "b");
    require(out, "out");
    const auto r = claimlens::stats::ttest_ind(
        claimlens::Span<const double>(a, na), claimlens::Span<const double>(b, nb), equal_var != 0);
    *out = claimlens_ttest{r.statistic, r.df, r.p_value};
  });
}

claimlens_status claimlens_quantile(const double* x, size_t n, double q, double* out) {
  return guarded(__func__, [&] {
    require(x, "x");
    require(out, "out");
    *out = claimlens::stats::quantile(claimlens::Span<const double>(x, n), q);
  });
}

// ---- models -------------------------------------------------------------------------------

claimlens_status claimlens_model_train(const char* params_json, const double* x, size_t rows,
                                       size_t cols, const double* y, claimlens_model** out) {
  return guarded(__func__, [&] {
    require(params_json, "params_json");
    require(x, "x");
    require(y, "y");
    require(out, "out");
    const claimlens::JsonDocument params = parse_json_argument(params_json, "params_json");
    *out = new_handle<claimlens_model>(claimlens::capi::train_model(*params, x, rows, cols, y));
  });
}

claimlens_status claimlens_model_predict_proba(const claimlens_model* model, const double* x,
                                               size_t rows, size_t cols, double* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    if (rows > 0) {
      require(x, "x");
      require(out, "out");
    }
    claimlens::capi::predict_proba(model->model, x, rows, cols, out);
  });
}

claimlens_status claimlens_model_num_features(const claimlens_model* model, size_t* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    *out = claimlens::capi::num_features(model->model);
  });
}

claimlens_status claimlens_model_feature_importances(const claimlens_model* model, double* out,
                                                     size_t n) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    const std::vector<double> values = claimlens::capi::feature_importances(model->model);
    if (n != values.size()) {
      throw InvalidArgument("n is " + std::to_string(n) + " but the model has " +
                            std::to_string(values.size()) + " features");
    }
    std::copy(values.begin(), values.end(), out);
  });
}

claimlens_status claimlens_model_coefficients(const claimlens_model* model, double* out, size_t n) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    const std::vector<double> values = claimlens::capi::coefficients(model->model);
    if (n != values.size()) {
      throw InvalidArgument("n is " + std::to_string(n) + " but the model has " +
                            std::to_string(values.size()) + " coefficients (intercept first)");
    }
    std::copy(values.begin(), values.end(), out);
  });
}

claimlens_status claimlens_model_save(const claimlens_model* model, const char* path) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(path, "path");
    claimlens::capi::save_model(model->model, path);
  });
}

claimlens_status claimlens_model_load(const char* path, claimlens_model** out) {
  return guarded(__func__, [&] {
    require(path, "path");
    require(out, "out");
    *out = new_handle<claimlens_model>(
        claimlens::capi::model_from_envelope(claimlens::io::read_model_file(path)));
  });
}

claimlens_status claimlens_model_save_buffer(const claimlens_model* model, void** out,
                                             size_t* out_len) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    require(out_len, "out_len");
    const std::vector<std::uint8_t> bytes = claimlens::capi::save_model_buffer(model->model);
    void* buffer = std::malloc(bytes.empty() ? 1 : bytes.size());
    if (!buffer) throw std::bad_alloc();
    std::memcpy(buffer, bytes.data(), bytes.size());
    *out = buffer;
    *out_len = bytes.size();
  });
}

claimlens_status claimlens_model_load_buffer(const void* data, size_t len, claimlens_model** out) {
  return guarded(__func__, [&] {
    require(data, "data");
    require(out, "out");
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    *out = new_handle<claimlens_model>(claimlens::capi::model_from_envelope(
        claimlens::io::decode_model(claimlens::Span<const std::uint8_t>(bytes, len))));
  });
}

void claimlens_model_free(claimlens_model* model) {
  delete model;
}

claimlens_status claimlens_model_predict_frame(const claimlens_model* model,
                                               const claimlens_frame* frame, double* out,
                                               size_t n) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(frame, "frame");
    if (n > 0) require(out, "out");
    claimlens::capi::predict_frame(model->model, frame->frame, out, n);
  });
}

// ---- the claim classifier -----------------------------------------------------------------

claimlens_status claimlens_classifier_train(const claimlens_frame* videos, const char* options_json,
                                            claimlens_classifier** out) {
  return guarded(__func__, [&] {
    require(videos, "videos");
    require(out, "out");
    const claimlens::JsonDocument json = parse_json_argument(options_json, "options_json");
    const auto options = claimlens::ClaimClassifierOptions::from_json(*json);
    *out =
        new_handle<claimlens_classifier>(claimlens::ClaimClassifier::train(videos->frame, options));
  });
}

claimlens_status claimlens_classifier_predict(const claimlens_classifier* clf,
                                              const claimlens_video* videos, size_t n,
                                              double* p_claim) {
  // The latency path: no heap allocation unless a record is bad (then only for the message;
  // guarded() builds nothing on success).
  return guarded(__func__, [&] {
    require(clf, "clf");
    if (n == 0) return;
    require(videos, "videos");
    require(p_claim, "p_claim");
    if (n == 1) {  // computing the one result validates the record before anything is written
      *p_claim = clf->clf.predict_proba(record_view(videos[0], 0));
      return;
    }
    // Validate every record before writing anything: no partial result.
    const claimlens::ClaimFeaturizer& featurizer = clf->clf.featurizer();
    for (size_t i = 0; i < n; ++i) featurizer.validate(record_view(videos[i], i), i);
    // Featurize a block of records on the stack, then score the block tree by tree (a tree
    // stays in cache while it serves the block): the bits of one record at a time, no heap.
    constexpr size_t kBlockValues = 2048;
    double block[kBlockValues];
    const size_t nf = featurizer.num_features();
    if (nf == 0 || nf > kBlockValues) {
      throw claimlens::StateError("claim classifier: too many features for a block of records");
    }
    const size_t per_block = kBlockValues / nf;
    for (size_t i = 0; i < n; i += per_block) {
      const size_t m = std::min(per_block, n - i);
      for (size_t k = 0; k < m; ++k) {
        featurizer.transform(record_view(videos[i + k], i + k), block + k * nf);
      }
      std::visit([&](const auto& model) { model.predict_proba_rows(block, m, nf, p_claim + i); },
                 clf->clf.model());
    }
  });
}

claimlens_status claimlens_classifier_predict_frame(const claimlens_classifier* clf,
                                                    const claimlens_frame* videos, double* p_claim,
                                                    size_t n) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    require(videos, "videos");
    if (n != videos->frame.num_rows()) {
      throw InvalidArgument("n is " + std::to_string(n) + " but the frame has " +
                            std::to_string(videos->frame.num_rows()) + " rows");
    }
    if (n > 0) require(p_claim, "p_claim");
    const std::vector<double> result = clf->clf.predict_proba(videos->frame);
    std::copy(result.begin(), result.end(), p_claim);
  });
}

claimlens_status claimlens_classifier_triage(const claimlens_classifier* clf,
                                             const claimlens_video* videos, size_t n,
                                             size_t* order) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    if (n == 0) return;
    require(videos, "videos");
    require(order, "order");
    std::vector<claimlens::VideoRecord> records;
    records.reserve(n);
    for (size_t i = 0; i < n; ++i) records.push_back(record_view(videos[i], i));
    for (size_t i = 0; i < n; ++i) clf->clf.featurizer().validate(records[i], i);
    const std::vector<std::size_t> result = clf->clf.triage(records);
    std::copy(result.begin(), result.end(), order);
  });
}

claimlens_status claimlens_classifier_report_json(const claimlens_classifier* clf,
                                                  char** out_json) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    require(out_json, "out_json");
    // A loaded report may hold strings that are not UTF-8 (CBOR files); replace, never throw.
    *out_json = malloc_string(
        clf->clf.report().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
}

claimlens_status claimlens_classifier_save(const claimlens_classifier* clf, const char* path) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    require(path, "path");
    claimlens::io::save_model(clf->clf, path);
  });
}

claimlens_status claimlens_classifier_load(const char* path, claimlens_classifier** out) {
  return guarded(__func__, [&] {
    require(path, "path");
    require(out, "out");
    *out = new_handle<claimlens_classifier>(
        claimlens::io::load_model<claimlens::ClaimClassifier>(path));
  });
}

claimlens_status claimlens_classifier_save_buffer(const claimlens_classifier* clf, void** out,
                                                  size_t* out_len) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    require(out, "out");
    require(out_len, "out_len");
    const std::vector<std::uint8_t> bytes =
        claimlens::io::save_model_buffer(clf->clf, claimlens::io::ModelEncoding::Cbor);
    void* buffer = std::malloc(bytes.empty() ? 1 : bytes.size());
    if (!buffer) throw std::bad_alloc();
    std::memcpy(buffer, bytes.data(), bytes.size());
    *out = buffer;
    *out_len = bytes.size();
  });
}

claimlens_status claimlens_classifier_load_buffer(const void* data, size_t len,
                                                  claimlens_classifier** out) {
  return guarded(__func__, [&] {
    require(data, "data");
    require(out, "out");
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    *out = new_handle<claimlens_classifier>(
        claimlens::io::load_model_buffer<claimlens::ClaimClassifier>(
            claimlens::Span<const std::uint8_t>(bytes, len)));
  });
}

void claimlens_classifier_free(claimlens_classifier* clf) {
  delete clf;
}

}  // extern "C"
