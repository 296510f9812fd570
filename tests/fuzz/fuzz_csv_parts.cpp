// libFuzzer target: csv_rank_parts and CsvChunks (C++ API) over the input written as a file.
// Findings, besides sanitizer reports: one process (CsvChunks::whole_file) reading chunks of 1-64
// bytes gives another frame (types off, so per-chunk inference cannot differ) or another error
// message than read_csv of the file, or another row count with inference on; 2 or 3 ranks
// (threads, tests/support/thread_communicator.hpp) give another frame, or succeed where read_csv
// fails, or fail where it succeeds for another reason than a part not cut at a row boundary (a
// quote inside an unquoted field upsets the quote parity of the cuts, csv_parts.hpp); an error
// that is not a claimlens::Error; a hang.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv_parts.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "fuzz_check.hpp"
#include "support/thread_communicator.hpp"

using namespace claimlens;

namespace {

/// A frame, or the message of the error that came instead.
struct Outcome {
  DataFrame frame;
  std::string error;
  bool failed() const { return !error.empty(); }
};

template <class Read>
Outcome outcome_of(Read&& read) {
  Outcome out;
  try {
    out.frame = read();
  } catch (const Error& e) {
    out.error = e.what();
    if (out.error.empty()) out.error = "(an error without a message)";
  }
  return out;
}

DataFrame concat(const std::vector<DataFrame>& frames) {
  return concat_rows(frames, std::vector<std::string>(frames.size(), "chunk"));
}

bool same_frame(const DataFrame& a, const DataFrame& b) {
  if (a.column_names() != b.column_names() || a.num_rows() != b.num_rows()) return false;
  for (std::size_t c = 0; c < a.num_columns(); ++c) {
    if (a.column(c).dtype() != b.column(c).dtype() || !a.column(c).equals(b.column(c))) {
      return false;
    }
  }
  return true;
}

/// The chunks of `ranks` ranks concatenated in rank order, or the lowest failing rank's error.
Outcome read_ranks(const std::string& path, int ranks, const CsvOptions& options,
                   std::size_t chunk) {
  return outcome_of([&] {
    std::vector<std::vector<DataFrame>> per_rank(static_cast<std::size_t>(ranks));
    testing::run_ranks(ranks, [&](testing::ThreadCommunicator& comm) {
      CsvChunks(csv_rank_parts({path}, comm, options), options, chunk)
          .for_each([&](const DataFrame& f) {
            FUZZ_CHECK(f.num_rows() > 0);
            per_rank[static_cast<std::size_t>(comm.rank())].push_back(f);
          });
    });
    std::vector<DataFrame> all;
    for (auto& frames : per_rank) all.insert(all.end(), frames.begin(), frames.end());
    return concat(all);
  });
}

/// One process: whole_file's part in chunks, against read_csv (exactly: frame or message).
void check_one_process(const std::string& path, const CsvOptions& options, std::size_t chunk,
                       const Outcome& expected, bool compare_frames) {
  const Outcome got = outcome_of([&] {
    std::vector<DataFrame> chunks;
    CsvChunks(CsvChunks::whole_file(path, options), options, chunk)
        .for_each([&](const DataFrame& f) { chunks.push_back(f); });
    return concat(chunks);
  });
  if (expected.failed()) {
    FUZZ_CHECK(got.error == expected.error);
  } else if (compare_frames) {
    FUZZ_CHECK(!got.failed());
    // A file with a header and no rows gives no chunks.
    FUZZ_CHECK(expected.frame.num_rows() == 0 || same_frame(got.frame, expected.frame));
  } else {
    // Per-chunk inference may make types that concat_rows refuses to join; rows still count.
    FUZZ_CHECK(!got.failed() || got.error.find("holds") != std::string::npos);
    FUZZ_CHECK(got.failed() || got.frame.num_rows() == expected.frame.num_rows());
  }
}

/// The file the inputs are written to, removed at exit.
struct InputFile {
  std::string path = "/tmp/fuzz_csv_parts_" + std::to_string(getpid()) + ".csv";
  ~InputFile() { std::remove(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const InputFile file;
  const std::string& path = file.path;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  CsvOptions strings;
  strings.infer_types = false;
  strings.n_jobs = 1;
  CsvOptions inferred;
  inferred.n_jobs = 1;
  const std::size_t chunk = 1 + size % 64;
  const Outcome expected = outcome_of([&] { return read_csv(path, strings); });
  check_one_process(path, strings, chunk, expected, true);
  check_one_process(path, inferred, chunk, outcome_of([&] { return read_csv(path, inferred); }),
                    false);
  for (int ranks = 2; ranks <= 3; ++ranks) {
    const Outcome got = read_ranks(path, ranks, strings, chunk);
    if (expected.failed()) {
      FUZZ_CHECK(got.failed());
    } else if (got.failed()) {
      FUZZ_CHECK(got.error.find("the part was not cut at a row boundary") != std::string::npos);
    } else {
      FUZZ_CHECK(expected.frame.num_rows() == 0 || same_frame(got.frame, expected.frame));
    }
  }
  return 0;
}
