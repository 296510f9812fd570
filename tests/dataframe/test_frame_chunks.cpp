// FrameSlices: an in-memory frame visited in chunks of rows, in order, the same on every visit.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/csv_writer.hpp"
#include "claimlens/dataframe/frame_chunks.hpp"
#include "claimlens/error.hpp"

using namespace claimlens;

TEST_CASE("FrameSlices visits every row once, in order, in chunks", "[frame_chunks]") {
  std::string csv = "a,b\n";
  for (int i = 0; i < 10; ++i) csv += std::to_string(i) + ",x" + std::to_string(i) + "\n";
  const DataFrame frame = read_csv_buffer(csv);
  for (const std::size_t rows :
       {std::size_t{1}, std::size_t{3}, std::size_t{10}, std::size_t{64}}) {
    INFO(rows << " rows a chunk");
    std::vector<std::size_t> sizes;
    std::string joined;
    const FrameSlices slices(frame, rows);
    for (int visit = 0; visit < 2; ++visit) {  // the same chunks every time
      sizes.clear();
      joined = "a,b\n";
      slices.for_each([&](const DataFrame& chunk) {
        sizes.push_back(chunk.num_rows());
        const std::string text = to_csv(chunk);
        joined += text.substr(text.find('\n') + 1);
      });
      CHECK(joined == to_csv(frame));
    }
    CHECK(sizes.size() == (10 + rows - 1) / rows);
    for (std::size_t k = 0; k + 1 < sizes.size(); ++k) CHECK(sizes[k] == rows);
  }
  std::size_t visits = 0;
  FrameSlices(DataFrame()).for_each([&](const DataFrame&) { ++visits; });
  FrameSlices(frame.head(0)).for_each([&](const DataFrame&) { ++visits; });
  CHECK(visits == 0);  // no rows, no chunk
  CHECK_THROWS_MATCHES(FrameSlices(frame, 0), InvalidArgument,
                       Catch::Matchers::Message("FrameSlices: chunk_rows must be positive"));
}
