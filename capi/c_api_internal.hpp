// Private to the C ABI's implementation (c_api.cpp, c_api_models.cpp): the handles behind the
// opaque types of claimlens.h, and the one boundary where exceptions become status codes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "claimlens.h"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"

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
  claimlens::Model model;
};

// A claim classifier is a model of the model layer; the handle keeps the typed view its
// record-level functions need. `source` names where the model came from ("model file 'x'").
struct claimlens_classifier {
  claimlens_classifier(claimlens::Model m, const std::string& source)
      : model(std::move(m)), as_model{model} {
    clf = model.get_if<claimlens::ClaimClassifier>();
    if (clf == nullptr) {
      throw claimlens::ModelFormatError(source + " holds a '" + model.model_type() +
                                        "' model, expected 'claim_classifier'");
    }
  }
  claimlens::Model model;
  claimlens_model as_model;  // the same model, lent by claimlens_classifier_as_model
  const claimlens::ClaimClassifier* clf = nullptr;
};

namespace claimlens::capi_detail {

using claimlens::InvalidArgument;

// Records "function: prefix what" as the thread's last error and returns `status`. Never throws:
// it runs inside catch handlers of noexcept functions, where a second bad_alloc would terminate
// the process.
claimlens_status fail(claimlens_status status, const char* function, const char* prefix,
                      const char* what) noexcept;

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

inline void require(const void* pointer, const char* name) {
  if (pointer == nullptr) throw InvalidArgument(std::string(name) + " is NULL");
}

// An array argument of `count` elements: NULL only when count is 0 (claimlens.h's NULL rule).
inline void require_array(const void* pointer, std::size_t count, const char* name) {
  if (count > 0) require(pointer, name);
}

// ---- records that can grow (claimlens.h: struct_size) ---------------------------------------

// The 1.0 size of a record: through its last 1.0 field, whatever later versions append.
constexpr std::size_t kVideoSize10 = offsetof(claimlens_video, comment_count) + sizeof(double);
constexpr std::size_t kTtestSize10 = offsetof(claimlens_ttest, p_value) + sizeof(double);
static_assert(kVideoSize10 <= sizeof(claimlens_video) && kTtestSize10 <= sizeof(claimlens_ttest),
              "records only grow");

// A record type as the checks below see it.
struct RecordType {
  const char* name;        // "claimlens_video"
  const char* init;        // "CLAIMLENS_VIDEO_INIT or claimlens_video_init"
  std::size_t first_size;  // its 1.0 size
  std::size_t known_size;  // sizeof here
  std::size_t alignment;
};
inline constexpr RecordType kVideoRecord{
    "claimlens_video", "CLAIMLENS_VIDEO_INIT or claimlens_video_init", kVideoSize10,
    sizeof(claimlens_video), alignof(claimlens_video)};
inline constexpr RecordType kTtestRecord{
    "claimlens_ttest", "CLAIMLENS_TTEST_INIT or claimlens_ttest_init", kTtestSize10,
    sizeof(claimlens_ttest), alignof(claimlens_ttest)};

// The struct_size (first member) of the record at `record`.
inline std::size_t struct_size_of(const void* record) {
  std::size_t size = 0;
  std::memcpy(&size, record, sizeof size);
  return size;
}

// The index of a record passed alone (not in an array), for the messages below.
constexpr std::size_t kOneRecord = static_cast<std::size_t>(-1);

// InvalidArgument unless `size` can be a struct_size of `type`; `where` and `index` name the
// record ("videos", 0: "videos[0]"; "out", kOneRecord: "out"). Built only on failure.
void check_struct_size(std::size_t size, const RecordType& type, const char* where,
                       std::size_t index);

// An input record larger than this library knows must not set the fields it does not know.
void check_unknown_tail(const unsigned char* record, std::size_t size, const RecordType& type,
                        const char* where, std::size_t index);

// The caller's array of claimlens_video records: stride = videos[0].struct_size.
struct VideoArray {
  const unsigned char* base = nullptr;
  std::size_t stride = 0;
};

// Checks videos[0].struct_size (n > 0, videos not NULL) and that n records of that stride fit
// in memory.
VideoArray video_array(const claimlens_video* videos, std::size_t n);

// A library-allocated copy of `text` for the caller to release with claimlens_free.
inline char* malloc_string(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (!out) throw std::bad_alloc();
  std::memcpy(out, text.data(), text.size() + 1);
  return out;
}

// Owned (claimlens/json_document.hpp): the DOM dies without allocating.
inline claimlens::JsonDocument parse_json_argument(const char* text, const char* name) {
  if (text == nullptr) return nlohmann::json::object();
  try {
    return claimlens::parse_json_document(text, text + std::strlen(text),
                                          nlohmann::json::input_format_t::json);
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for a number past double's range such as 1e400.
    throw claimlens::ParseError(std::string(name) + " is not valid JSON: " + e.what());
  }
}

// Record i of a VideoArray as a VideoRecord (ClaimClassifier::RecordSource): its struct_size
// must be the array's, and neither status NULL (InvalidArgument naming "videos[i]" and the field;
// the input rules are the featurizer's). Fields past the caller's struct_size, none in 1.0,
// would take their defaults. No heap allocation for a valid record.
claimlens::VideoRecord video_at(const void* videos, std::size_t i);

template <class Handle, class Value>
Handle* new_handle(Value&& value) {
  return new Handle{std::forward<Value>(value)};
}

// A row-major matrix argument as an Eigen matrix (a copy), refusing empty or oversized shapes.
inline claimlens::RowMatrix matrix_argument(const double* x, std::size_t rows, std::size_t cols,
                                            const char* name) {
  if (rows == 0 || cols == 0) throw InvalidArgument(std::string(name) + " has no rows or columns");
  if (rows > (std::size_t(1) << 40) / cols) {
    throw InvalidArgument(std::string(name) + " is too large");
  }
  return Eigen::Map<const claimlens::RowMatrix>(x, static_cast<Eigen::Index>(rows),
                                                static_cast<Eigen::Index>(cols));
}

// A frame argument whose rows fill an output of n values: n must be the frame's row count.
inline const claimlens::DataFrame& frame_with_output(const claimlens_frame* frame, const char* name,
                                                     size_t n, const void* out,
                                                     const char* out_name) {
  require(frame, name);
  if (n != frame->frame.num_rows()) {
    throw InvalidArgument("n is " + std::to_string(n) + " but the frame has " +
                          std::to_string(frame->frame.num_rows()) + " rows");
  }
  if (n > 0) require(out, out_name);
  return frame->frame;
}

// What claimlens_model_* and claimlens_classifier_* share: a model saved to a path or to a new
// CBOR buffer, and loaded from either (checked arguments first; no output on failure).
inline void save_to_path(const claimlens::Model& model, const char* path) {
  require(path, "path");
  claimlens::save_model(model, path);
}

void save_to_buffer(const claimlens::Model& model, void** out, size_t* out_len);

inline claimlens::Model load_from_path(const char* path, const void* out) {
  require(path, "path");
  require(out, "out");
  return claimlens::load_model(path);
}

inline claimlens::Model load_from_buffer(const void* data, size_t len, const void* out) {
  require_array(data, len, "data");
  require(out, "out");
  return claimlens::load_model_buffer(
      claimlens::Span<const std::uint8_t>(static_cast<const std::uint8_t*>(data), len));
}

// A library-allocated copy of `bytes` for the caller to release with claimlens_free.
inline void* malloc_bytes(const std::vector<std::uint8_t>& bytes) {
  void* buffer = std::malloc(bytes.empty() ? 1 : bytes.size());
  if (!buffer) throw std::bad_alloc();
  std::memcpy(buffer, bytes.data(), bytes.size());
  return buffer;
}

}  // namespace claimlens::capi_detail
