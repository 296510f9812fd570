// The keyed JSON reader (claimlens/json_reader.hpp): every message names the path at fault, the
// error type follows the document's source, and no number converts with undefined behaviour.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "claimlens/error.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/threads.hpp"

using claimlens::InvalidArgument;
using claimlens::JsonReader;
using claimlens::JsonSource;
using claimlens::ModelFormatError;
using Json = nlohmann::json;

TEST_CASE("json reader: paths, types and ranges named in the message") {
  const Json doc = Json::parse(R"({"trees": [{"feature": [0, "8", 1e30, 18446744073709551615]}],
                                   "n": 3, "s": "x", "b": true, "f": 0.5, "list": ["a", 1]})");
  const JsonReader model(doc, "model", JsonSource::Model);
  const JsonReader feature = model.at("trees").at(std::size_t{0}).at("feature");
  CHECK(feature.path() == "model.trees[0].feature");
  CHECK(feature.at(std::size_t{0}).integer(-1, 10) == 0);
  CHECK_THROWS_AS(feature.at(std::size_t{1}).integer(-1, 10), ModelFormatError);
  CHECK_THROWS_WITH(feature.at(std::size_t{1}).integer(-1, 10),
                    "'model.trees[0].feature[1]' must be an integer, not \"8\"");
  // A number past every integer type is a double: refused, never converted (fuzz finding 7).
  CHECK_THROWS_WITH(feature.at(std::size_t{2}).int32(),
                    "'model.trees[0].feature[2]' must be an integer, not 1e+30");
  // 2^64 - 1 must not wrap to -1.
  CHECK_THROWS_WITH(feature.at(std::size_t{3}).integer(-1, 10),
                    "'model.trees[0].feature[3]' must be an integer from -1 to 10, not "
                    "18446744073709551615");
  CHECK(feature.at(std::size_t{3}).unsigned64() == std::numeric_limits<std::uint64_t>::max());
  CHECK_THROWS_WITH(feature.at(std::size_t{4}), "'model.trees[0].feature' has no element 4");
  CHECK_THROWS_WITH(model.at("missing"), "missing key 'model.missing'");
  CHECK_THROWS_WITH(model.at("n").string(), "'model.n' must be a string, not 3");
  CHECK_THROWS_WITH(model.at("b").number(), "'model.b' must be a number, not true");
  CHECK_THROWS_WITH(model.at("s").boolean(), "'model.s' must be a boolean, not \"x\"");
  CHECK_THROWS_WITH(model.at("list").strings(),
                    "'model.list' must be a list of strings, not [\"a\",1]");
  CHECK_THROWS_WITH(model.at("s").choice({"a", nullptr}),
                    "'model.s' must be one of \"a\", null, not \"x\"");
  CHECK(model.at("f").finite() == 0.5);
  CHECK_FALSE(model.find("nothing"));

  const JsonReader params(doc, "params", JsonSource::Parameters);
  CHECK_THROWS_AS(params.at("s").boolean(), InvalidArgument);
  CHECK_THROWS_WITH(params.only_keys({"trees", "n"}), Catch::StartsWith("unknown key 'params."));
  const JsonReader root(doc, "", JsonSource::Model);
  CHECK(root.at("n").path() == "n");
  CHECK_THROWS_WITH(JsonReader(Json::array(), "", JsonSource::Model).at("x"),
                    "the document must be an object, not []");
}

TEST_CASE("n_jobs: one meaning everywhere") {
  CHECK(claimlens::valid_n_jobs(1));
  CHECK(claimlens::valid_n_jobs(0));
  CHECK(claimlens::valid_n_jobs(-1));
  CHECK_FALSE(claimlens::valid_n_jobs(-2));
  CHECK(claimlens::resolve_n_jobs(1) == 1);
  CHECK(claimlens::resolve_n_jobs(0) == claimlens::resolve_n_jobs(-1));
  CHECK(claimlens::resolve_n_jobs(0) >= 1);
  CHECK(claimlens::resolve_n_jobs(1 << 30) <= claimlens::resolve_n_jobs(0) * 1024);
}
