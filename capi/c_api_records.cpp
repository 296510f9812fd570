// The C ABI's records that can grow (claimlens.h: struct_size): the checks of a caller's
// struct_size, and claimlens_video arrays read at the caller's stride. Messages are built only
// on failure: reading a valid record allocates nothing (the prediction latency path).
#include <cstdint>

#include "c_api_internal.hpp"
#include "claimlens/version.hpp"

namespace claimlens::capi_detail {

namespace {

// "videos[3]", or "out" for a single record (index kOneRecord).
std::string site(const char* where, std::size_t index) {
  if (index == kOneRecord) return where;
  return std::string(where) + "[" + std::to_string(index) + "]";
}

}  // namespace

void check_struct_size(std::size_t size, const RecordType& type, const char* where,
                       std::size_t index) {
  if (size >= type.first_size && size % type.alignment == 0) return;  // nothing built on success
  const std::string fix = std::string(" (set it with ") + type.init + ")";
  if (size == 0) throw InvalidArgument(site(where, index) + ".struct_size: 0" + fix);
  if (size < type.first_size) {
    throw InvalidArgument(site(where, index) + ".struct_size: " + std::to_string(size) +
                          ", below the " + std::to_string(type.first_size) + " bytes of " +
                          type.name + " 1.0" + fix);
  }
  if (size % type.alignment != 0) {
    throw InvalidArgument(site(where, index) + ".struct_size: " + std::to_string(size) +
                          ", not a multiple of the alignment of " + type.name + " (" +
                          std::to_string(type.alignment) + ")" + fix);
  }
}

void check_unknown_tail(const unsigned char* record, std::size_t size, const RecordType& type,
                        const char* where, std::size_t index) {
  for (std::size_t b = type.known_size; b < size; ++b) {
    if (record[b] != 0) {
      throw InvalidArgument(
          site(where, index) + ": byte " + std::to_string(b) + " of its " + std::to_string(size) +
          " (struct_size) is not zero, but this library (" + "claimlens " +
          CLAIMLENS_VERSION_STRING + ") knows only the first " + std::to_string(type.known_size) +
          " bytes of " + type.name + ": the record sets a field of a newer claimlens.h");
    }
  }
}

VideoArray video_array(const claimlens_video* videos, std::size_t n) {
  require(videos, "videos");
  VideoArray array{reinterpret_cast<const unsigned char*>(videos), struct_size_of(videos)};
  check_struct_size(array.stride, kVideoRecord, "videos", 0);
  if (n > SIZE_MAX / array.stride) {
    throw InvalidArgument("n is " + std::to_string(n) + ": more records of " +
                          std::to_string(array.stride) + " bytes than memory holds");
  }
  return array;
}

VideoRecord video_at(const void* videos, std::size_t i) {
  const VideoArray& array = *static_cast<const VideoArray*>(videos);
  const unsigned char* record = array.base + i * array.stride;
  const std::size_t size = struct_size_of(record);
  if (size != array.stride) {
    throw InvalidArgument(site("videos", i) + ".struct_size: " + std::to_string(size) +
                          ", but videos[0].struct_size is " + std::to_string(array.stride) +
                          " (the records of an array all have the caller's "
                          "sizeof(claimlens_video))");
  }
  if (size > kVideoRecord.known_size) {
    check_unknown_tail(record, size, kVideoRecord, "videos", i);
  }
  claimlens_video v{};  // the fields past a smaller (older) record keep these defaults
  std::memcpy(&v, record, std::min(size, sizeof v));
  if (v.verified_status == nullptr || v.author_ban_status == nullptr) {
    throw InvalidArgument(site("videos", i) + "." +
                          (v.verified_status ? "author_ban_status" : "verified_status") + ": NULL");
  }
  return {v.transcription ? v.transcription : "",
          v.verified_status,
          v.author_ban_status,
          v.duration_sec,
          v.view_count,
          v.like_count,
          v.share_count,
          v.download_count,
          v.comment_count};
}

}  // namespace claimlens::capi_detail
