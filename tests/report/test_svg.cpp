// Chart primitives: escaping, number formatting, ticks and scales.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "svg.hpp"

using namespace claimlens;
using namespace claimlens::report::svg;
using Catch::Matchers::Contains;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("svg escape: markup characters and forbidden control characters", "[svg]") {
  CHECK(escape("a<b & \"c\" 'd' >") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt;");
  CHECK(escape("plain ’ ö text") == "plain ’ ö text");
  CHECK(escape(std::string("x\x01y\tz\n", 6)) == "x\xEF\xBF\xBDy\tz\n");
  CHECK(escape("").empty());
}

TEST_CASE("svg format_fixed / grouped: locale-independent, no negative zero", "[svg]") {
  CHECK(format_fixed(3.14159, 2) == "3.14");
  CHECK(format_fixed(2.5, 0) == "2");  // round-half-even of the exact binary value
  CHECK(format_fixed(-0.0001, 2) == "0.00");
  CHECK(format_fixed(-0.0, 0) == "0");
  CHECK(format_fixed(-1.5, 1) == "-1.5");
  CHECK(format_fixed(kNaN, 2) == "NaN");
  CHECK(format_fixed(kInf, 2) == "inf");
  CHECK(format_fixed(-kInf, 2) == "-inf");
  CHECK_THROWS_WITH(format_fixed(1.0, 18), Contains("decimals must be in 0..17"));
  CHECK_THROWS_AS(format_fixed(1.0, -1), InvalidArgument);

  CHECK(format_grouped(501029.4) == "501,029");
  CHECK(format_grouped(4956.0) == "4,956");
  CHECK(format_grouped(999.0) == "999");
  CHECK(format_grouped(1000.0) == "1,000");
  CHECK(format_grouped(-1234567.891, 2) == "-1,234,567.89");
  CHECK(format_grouped(123456.0, 1) == "123,456.0");
  CHECK(format_grouped(kNaN) == "NaN");
}

TEST_CASE("svg format_compact, shortest and p-values", "[svg]") {
  CHECK(format_compact(0) == "0");
  CHECK(format_compact(950) == "950");
  CHECK(format_compact(0.25) == "0.25");
  CHECK(format_compact(1500) == "1.5k");
  CHECK(format_compact(10000) == "10k");
  CHECK(format_compact(250000) == "250k");
  CHECK(format_compact(1e6) == "1M");
  CHECK(format_compact(999950) == "1M");  // not "1000k"
  CHECK(format_compact(2.5e9) == "2.5B");
  CHECK(format_compact(-1500) == "-1.5k");
  CHECK(format_compact(kNaN) == "NaN");

  CHECK(format_shortest(0.1) == "0.1");
  CHECK(format_shortest(25.4994) == "25.4994");
  CHECK(format_shortest(-0.0) == "0");

  CHECK(format_p_value(0.5) == "0.5000");
  CHECK(format_p_value(0.00012) == "0.0001");
  CHECK(format_p_value(1.234e-142) == "1.2e-142");
  CHECK(format_p_value(0.0) == "0");
}

TEST_CASE("svg text_width and truncate_to_width", "[svg]") {
  CHECK(text_width("", 12) == 0);
  CHECK(text_width("WWW", 12) > text_width("iii", 12));
  CHECK(text_width("ö", 12) == text_width("x", 12) + (0.75 - 0.62) * 12);  // one code point
  CHECK(text_width("abc", 24) == Approx(2 * text_width("abc", 12)));
  CHECK(truncate_to_width("short", 12, 500) == "short");
  const std::string cut = truncate_to_width("a rather long label for a small space", 12, 80);
  CHECK(cut.size() < 37);
  CHECK(cut.substr(cut.size() - 3) == "\xE2\x80\xA6");
  CHECK(text_width(cut, 12) <= 80);
  // Never cuts inside a UTF-8 sequence.
  const std::string accents = truncate_to_width("öööööööööööööööö", 12, 40);
  CHECK(accents.substr(accents.size() - 3) == "\xE2\x80\xA6");
  CHECK((accents.size() - 3) % 2 == 0);
}

TEST_CASE("svg nice_ticks: steps of 1, 2, 2.5, 5 x 10^k within the bounds", "[svg]") {
  Ticks t = nice_ticks(0, 1, 6);
  CHECK(t.step == Approx(0.2));
  CHECK(t.decimals == 1);
  REQUIRE(t.values.size() == 6);
  CHECK(t.values[3] == 0.6);  // exactly, no 0.6000000000000001
  t = nice_ticks(0, 95, 6);
  CHECK(t.step == 20);
  CHECK(t.values == std::vector<double>{0, 20, 40, 60, 80});
  t = nice_ticks(-1, 1, 5);
  CHECK(t.values == std::vector<double>{-1, -0.5, 0, 0.5, 1});
  t = nice_ticks(0, 10, 5);
  CHECK(t.step == 2.5);
  CHECK(t.decimals == 1);
  t = nice_ticks(0, 1e6, 6);
  CHECK(t.step == 200000);
  t = nice_ticks(0.001, 0.0034, 4);
  CHECK(t.step == Approx(0.001));
  CHECK(t.decimals == 3);
  t = nice_ticks(7, 7, 5);
  CHECK(t.values == std::vector<double>{7});
  for (int m = 2; m <= 12; ++m) CHECK(nice_ticks(-3.7, 1234.5, m).values.size() <= std::size_t(m));

  CHECK_THROWS_WITH(nice_ticks(kNaN, 1, 5), Contains("bounds must be finite"));
  CHECK_THROWS_WITH(nice_ticks(2, 1, 5), Contains("lower bound 2 is above upper bound 1"));
  CHECK_THROWS_WITH(nice_ticks(0, 1, 1), Contains("max_count must be at least 2"));
}

TEST_CASE("svg Scale: linear mapping, inversion and nice domains", "[svg]") {
  const Scale s(ScaleType::Linear, 0, 10, 100, 300);
  CHECK(s(0) == 100);
  CHECK(s(5) == 200);
  CHECK(s(10) == 300);
  CHECK(s.invert(250) == Approx(7.5));
  const Scale y(ScaleType::Linear, 0, 10, 300, 100);  // y axes run upwards
  CHECK(y(10) == 100);
  const Scale n = Scale(ScaleType::Linear, 3, 97, 0, 1).nice(6);
  CHECK(n.domain_min() == 0);
  CHECK(n.domain_max() == 100);
  CHECK(n.ticks(6) == std::vector<double>{0, 20, 40, 60, 80, 100});
  CHECK(n.tick_labels(n.ticks(6)) == std::vector<std::string>{"0", "20", "40", "60", "80", "100"});
  const Scale big(ScaleType::Linear, 0, 1e6, 0, 1);
  CHECK(big.tick_labels(big.ticks(6)).back() == "1M");
  const Scale frac(ScaleType::Linear, 0.9, 1.0, 0, 1);
  const auto labels = frac.tick_labels(frac.ticks(6));
  CHECK(labels.front() == "0.90");
  CHECK(labels.back() == "1.00");
  // A single value is widened so positions stay defined.
  const Scale one(ScaleType::Linear, 5, 5, 0, 100);
  CHECK(one(5) == Approx(50));
  CHECK_THROWS_WITH(Scale(ScaleType::Linear, 0, kInf, 0, 1), Contains("finite"));
  CHECK_THROWS_WITH(Scale(ScaleType::Linear, 0, 1, 0, kNaN), Contains("range must be finite"));
  CHECK_THROWS_WITH(Scale(ScaleType::Linear, 0, 1, 0, 1).nice(1), Contains("max_count"));
}

TEST_CASE("svg Scale: log10(1 + x) axis with zero and decade ticks", "[svg]") {
  const Scale s(ScaleType::Log, 0, 999999, 0, 600);
  CHECK(s(0) == 0);
  CHECK(s(999999) == Approx(600));
  CHECK(s(999) == Approx(300));
  CHECK(s.invert(300) == Approx(999));
  CHECK(s.ticks(10) == std::vector<double>{0, 10, 100, 1000, 10000, 100000});
  CHECK(s.ticks(4) == std::vector<double>{0, 10, 1000, 100000});
  CHECK(Scale(ScaleType::Log, 0, 5, 0, 1).ticks(5) == std::vector<double>{0, 1});
  const Scale n = s.nice(10);
  CHECK(n.domain_max() == 1e6);
  CHECK(n.tick_labels(n.ticks(10)) ==
        std::vector<std::string>{"0", "10", "100", "1k", "10k", "100k", "1M"});
  const Scale views = Scale(ScaleType::Log, 20, 999817, 0, 1).nice(10);
  CHECK(views.domain_min() == 10);
  CHECK(views.ticks(10).front() == 10);
  CHECK_THROWS_WITH(Scale(ScaleType::Log, -1, 10, 0, 1), Contains("non-negative domain"));
}

TEST_CASE("svg auto_scale_type: log when the data spans decades", "[svg]") {
  CHECK(auto_scale_type(20, 999817) == ScaleType::Log);
  CHECK(auto_scale_type(0, 657830) == ScaleType::Log);
  CHECK(auto_scale_type(5, 60) == ScaleType::Linear);
  CHECK(auto_scale_type(-1, 1e6) == ScaleType::Linear);
  CHECK(auto_scale_type(0, 0) == ScaleType::Linear);
  CHECK(auto_scale_type(kNaN, 5) == ScaleType::Linear);
  CHECK(auto_scale_type(1, 50, 1) == ScaleType::Log);
}

TEST_CASE("svg colours: palette and ramps", "[svg]") {
  CHECK(palette_color(0) == "#0072b2");
  CHECK(palette_color(8) == palette_color(0));
  CHECK(diverging_color(0.5) == "#f7f7f7");
  CHECK(diverging_color(0) == "#2166ac");
  CHECK(diverging_color(1) == "#b2182b");
  CHECK(diverging_color(7) == diverging_color(1));
  CHECK(diverging_color(kNaN) == "#f7f7f7");
  CHECK(sequential_color(0) == "#f7fbff");
  CHECK(sequential_color(1) == "#08306b");
}
