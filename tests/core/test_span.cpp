#include <catch2/catch.hpp>

#include "claimlens/span.hpp"
#include "claimlens/version.hpp"

TEST_CASE("Span views a vector without copying") {
  std::vector<double> v{1.0, 2.0, 3.0};
  claimlens::Span<const double> s(v);
  REQUIRE(s.size() == 3);
  REQUIRE(s.data() == v.data());
  REQUIRE(s.subspan(1, 2)[0] == 2.0);
  REQUIRE(std::string(claimlens::version_string()) == CLAIMLENS_VERSION_STRING);
}
