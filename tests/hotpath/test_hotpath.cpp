// The single-record hot path: the allocation-free row transform equals the batch transform on
// every real transcription, and single-record prediction (C API and C++) equals the batch path
// and allocates nothing, for both algorithms and from several threads at once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "alloc_counter.hpp"
#include "claimlens.h"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/error.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/text/count_vectorizer.hpp"
#include "support/paths.hpp"

namespace {

using namespace claimlens;
using claimlens::testing::AllocationCounts;
using claimlens::testing::AllocationScope;

void* volatile sink = nullptr;

// The real data set with complete rows of the classifier's columns.
const DataFrame& real_videos() {
  static const DataFrame frame = [] {
    std::vector<std::string> columns = claim_input_columns();
    columns.push_back("claim_status");
    return read_csv(claimlens::testing::real_dataset_path()).select(columns).dropna();
  }();
  return frame;
}

std::vector<std::string_view> transcriptions(const DataFrame& frame) {
  const Column& text = frame.column("video_transcription_text");
  std::vector<std::string_view> docs(frame.num_rows());
  for (std::size_t i = 0; i < docs.size(); ++i) docs[i] = text.string_at(i);
  return docs;
}

// Records of a frame, as C++ views and as NUL-terminated C records.
struct Records {
  std::vector<std::string> text, verified, ban;
  std::vector<VideoRecord> cpp;
  std::vector<claimlens_video> c;

  explicit Records(const DataFrame& frame) {
    const std::size_t n = frame.num_rows();
    const char* counts[] = {"video_duration_sec", "video_view_count",     "video_like_count",
                            "video_share_count",  "video_download_count", "video_comment_count"};
    for (std::size_t i = 0; i < n; ++i) {
      text.emplace_back(frame.column("video_transcription_text").string_at(i));
      verified.emplace_back(frame.column("verified_status").string_at(i));
      ban.emplace_back(frame.column("author_ban_status").string_at(i));
    }
    for (std::size_t i = 0; i < n; ++i) {
      double v[6];
      for (int k = 0; k < 6; ++k) v[k] = frame.column(counts[k]).as_double(i);
      VideoRecord r;
      r.transcription = text[i];
      r.verified_status = verified[i];
      r.author_ban_status = ban[i];
      r.duration_sec = v[0];
      r.view_count = v[1];
      r.like_count = v[2];
      r.share_count = v[3];
      r.download_count = v[4];
      r.comment_count = v[5];
      cpp.push_back(r);
      c.push_back(claimlens_video{sizeof(claimlens_video), text[i].c_str(), verified[i].c_str(),
                                  ban[i].c_str(), v[0], v[1], v[2], v[3], v[4], v[5]});
    }
  }
};

const Records& real_records() {
  static const Records records(real_videos());
  return records;
}

// One classifier per algorithm (grid none), trained once per process, and the same classifier
// saved and loaded through the C API (its featurizer then has a given vocabulary).
struct Trained {
  ClaimClassifier clf;
  std::unique_ptr<claimlens_classifier, void (*)(claimlens_classifier*)> handle{
      nullptr, claimlens_classifier_free};
};

const Trained& trained(const std::string& algorithm) {
  static std::map<std::string, std::unique_ptr<Trained>> cache;
  auto& slot = cache[algorithm];
  if (!slot) {
    slot = std::make_unique<Trained>();
    const auto options = ClaimClassifierOptions::from_json(
        {{"algorithm", algorithm}, {"grid", "none"}, {"n_jobs", 2}});
    slot->clf = ClaimClassifier::train(real_videos(), options);
    const auto path =
        std::filesystem::temp_directory_path() /
        ("claimlens_hotpath_" + algorithm + "_" +
         std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())) + ".json");
    io::save_model(slot->clf, path.string());
    claimlens_classifier* handle = nullptr;
    const claimlens_status status = claimlens_classifier_load(path.string().c_str(), &handle);
    std::filesystem::remove(path);
    REQUIRE(status == CLAIMLENS_OK);
    slot->handle.reset(handle);
  }
  return *slot;
}

// Every stored entry of the CSR row equals out, and out has no other non-zero.
bool row_matches(const CsrMatrix& m, std::size_t row, const std::vector<double>& out) {
  std::size_t nonzero = 0;
  for (double v : out) nonzero += v != 0.0;
  if (nonzero != m.indptr[row + 1] - m.indptr[row]) return false;
  for (std::size_t k = m.indptr[row]; k < m.indptr[row + 1]; ++k) {
    if (out[m.indices[k]] != static_cast<double>(m.data[k])) return false;
  }
  return true;
}

// Rows (of docs) where transform_row differs from the batch transform.
std::vector<std::size_t> row_mismatches(const CountVectorizer& cv,
                                        const std::vector<std::string_view>& docs) {
  const CsrMatrix batch = cv.transform(Span<const std::string_view>(docs.data(), docs.size()));
  std::vector<double> out(cv.num_features());
  std::vector<std::size_t> bad;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    cv.transform_row(docs[i], out.data());
    if (!row_matches(batch, i, out)) bad.push_back(i);
  }
  return bad;
}

CountVectorizerOptions options_of(std::pair<std::size_t, std::size_t> range, StopWords stop,
                                  std::optional<std::size_t> max_features, bool binary = false,
                                  bool lowercase = true) {
  CountVectorizerOptions o;
  o.ngram_range = range;
  o.stop_words = std::move(stop);
  o.max_features = max_features;
  o.binary = binary;
  o.lowercase = lowercase;
  return o;
}

}  // namespace

TEST_CASE("hotpath: transform_row equals transform on every real transcription") {
  const auto docs = transcriptions(real_videos());
  REQUIRE(docs.size() > 19000);
  const std::vector<CountVectorizerOptions> configs = {
      ClaimFeaturizer::seed_vectorizer_options(),
      options_of({1, 1}, StopWords::none(), 3000),
      options_of({1, 3}, StopWords::english(), 2000),
      options_of({2, 3}, StopWords::english(), 400, /*binary=*/true),
      options_of({1, 2}, StopWords::none(), 1500, false, /*lowercase=*/false),
      options_of({3, 5}, StopWords::custom({"the", "a", "someone", "video"}), 800),
  };
  for (std::size_t c = 0; c < configs.size(); ++c) {
    CAPTURE(c);
    CountVectorizer cv(configs[c]);
    cv.fit(Span<const std::string_view>(docs.data(), docs.size()));
    REQUIRE(cv.transform_row_is_allocation_free());
    CHECK(row_mismatches(cv, docs).empty());
  }
}

TEST_CASE("hotpath: transform_row with a given vocabulary, long texts and the general path") {
  const auto docs = transcriptions(real_videos());
  CountVectorizer fitted(ClaimFeaturizer::seed_vectorizer_options());
  fitted.fit(Span<const std::string_view>(docs.data(), docs.size()));

  // A given vocabulary: the fitted terms plus ones the analyzer produces only sometimes or never
  // (a stop word inside, doubled space, one token, more tokens than ngram_range allows).
  CountVectorizerOptions given = ClaimFeaturizer::seed_vectorizer_options();
  given.max_features.reset();
  std::vector<std::string> vocabulary = fitted.get_feature_names_out();
  for (const char* extra : {"the news", "news  claim", "discussion board", "friend learned",
                            "colleague", "someone shared with me that", "learned from"}) {
    if (!fitted.column_of(extra)) vocabulary.emplace_back(extra);
  }
  REQUIRE(vocabulary.size() >= fitted.num_features() + 4);
  given.vocabulary = vocabulary;
  CountVectorizer fixed(given);
  REQUIRE(fixed.transform_row_is_allocation_free());
  CHECK(row_mismatches(fixed, docs).empty());

  // Long documents: many transcriptions in one, with tokens far past the stack buffer.
  std::vector<std::string> long_docs;
  std::string joined;
  for (std::size_t i = 0; i < 400; ++i) joined += std::string(docs[i]) + " ";
  long_docs.push_back(joined);
  long_docs.push_back(std::string(5000, 'x') + " " + joined + std::string(300, 'y'));
  long_docs.push_back("Friend learned " + std::string(1000, 'Z') + " from the news " + joined);
  std::vector<std::string_view> long_views(long_docs.begin(), long_docs.end());
  CHECK(row_mismatches(fitted, long_views).empty());
  CHECK(row_mismatches(fixed, long_views).empty());

  // A stop word past the stack buffer: transform_row takes the general path, same counts.
  CountVectorizerOptions odd = options_of({1, 2}, StopWords::custom({std::string(300, 'q')}), 500);
  CountVectorizer general(odd);
  general.fit(Span<const std::string_view>(docs.data(), docs.size()));
  CHECK_FALSE(general.transform_row_is_allocation_free());
  const std::vector<std::string_view> some(docs.begin(), docs.begin() + 500);
  CHECK(row_mismatches(general, some).empty());
}

TEST_CASE("hotpath: transform_row rejects bad input") {
  CountVectorizer cv(ClaimFeaturizer::seed_vectorizer_options());
  std::vector<double> out(32, 7.0);
  REQUIRE_THROWS_AS(cv.transform_row("a b c", out.data()), StateError);
  REQUIRE_THROWS_WITH(cv.transform_row("a b c", out.data()), Catch::Contains("before fit"));
  cv.fit(std::vector<std::string>{"my friend learned from the news", "a friend learned online"});
  REQUIRE_THROWS_AS(cv.transform_row("x", nullptr), InvalidArgument);
  REQUIRE_THROWS_WITH(cv.transform_row("x", nullptr), Catch::Contains("out is NULL"));
  // Invalid UTF-8 after a counted n-gram: an error naming the offset and no partial row.
  const std::string bad = "friend learned \xff";
  REQUIRE_THROWS_AS(cv.transform_row(bad, out.data()), InvalidArgument);
  REQUIRE_THROWS_WITH(cv.transform_row(bad, out.data()),
                      Catch::Contains("not valid UTF-8") && Catch::Contains("byte offset 15"));
  for (std::size_t k = 0; k < cv.num_features(); ++k) CHECK(out[k] == 0.0);
}

TEST_CASE("hotpath: the featurizer's record transform equals its frame transform on real rows") {
  const DataFrame& videos = real_videos();
  const Records& records = real_records();
  ClaimFeaturizer featurizer;
  featurizer.fit(videos);
  const ClaimFeaturizer loaded = ClaimFeaturizer::from_json(featurizer.to_json());
  const RowMatrix batch = featurizer.transform(videos);
  const std::size_t width = featurizer.num_features();
  REQUIRE(static_cast<std::size_t>(batch.cols()) == width);
  std::vector<double> row(width), again(width);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < records.cpp.size(); ++i) {
    featurizer.transform(records.cpp[i], row.data());
    loaded.transform(records.cpp[i], again.data());
    for (std::size_t k = 0; k < width; ++k) {
      const double b = batch(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
      mismatches += row[k] != b || again[k] != b;
    }
  }
  CHECK(mismatches == 0);

  VideoRecord bad = records.cpp[0];
  bad.view_count = std::nan("");
  REQUIRE_THROWS_WITH(featurizer.validate(bad, 41),
                      Catch::Equals("videos[41].view_count: not finite (NaN)"));
  bad = records.cpp[0];
  bad.author_ban_status = "suspended";
  REQUIRE_THROWS_WITH(featurizer.validate(bad, 3), Catch::Contains("\"suspended\""));
  bad = records.cpp[0];
  bad.transcription = "ok \xc3";
  REQUIRE_THROWS_WITH(featurizer.validate(bad, 3),
                      Catch::Equals("videos[3].transcription: not valid UTF-8 (invalid byte at "
                                    "offset 3)"));
}

TEST_CASE("hotpath: single-record prediction equals the batch path on the real data") {
  const Records& records = real_records();
  for (const char* algorithm : {"gradient_boosting", "random_forest"}) {
    CAPTURE(algorithm);
    const Trained& t = trained(algorithm);
    REQUIRE(t.clf.champion() == algorithm);
    const std::vector<double> batch = t.clf.predict_proba(real_videos());
    const std::size_t n = records.c.size();
    REQUIRE(batch.size() == n);
    std::vector<double> c_batch(n, -1.0);
    REQUIRE(claimlens_classifier_predict(t.handle.get(), records.c.data(), n, c_batch.data()) ==
            CLAIMLENS_OK);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double single = -1.0;
      const claimlens_status s =
          claimlens_classifier_predict(t.handle.get(), &records.c[i], 1, &single);
      mismatches += s != CLAIMLENS_OK || single != batch[i] || c_batch[i] != batch[i] ||
                    t.clf.predict_proba(records.cpp[i]) != batch[i];
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("hotpath: single-record prediction allocates nothing") {
  const Records& records = real_records();
  constexpr std::size_t kRecords = 500;
  REQUIRE(records.c.size() >= kRecords);
  for (const char* algorithm : {"gradient_boosting", "random_forest"}) {
    CAPTURE(algorithm);
    const Trained& t = trained(algorithm);
    const claimlens_classifier* handle = t.handle.get();
    std::vector<double> p(kRecords, -1.0), q(kRecords, -1.0), r(kRecords, -1.0);
    std::vector<double> row(t.clf.featurizer().num_features());
    REQUIRE(claimlens_classifier_predict(handle, records.c.data(), 1, p.data()) == CLAIMLENS_OK);
    int failures = 0;
    AllocationCounts single, batch, cpp;
    {
      AllocationScope scope;
      for (std::size_t i = 0; i < kRecords; ++i) {
        failures += claimlens_classifier_predict(handle, &records.c[i], 1, &p[i]) != CLAIMLENS_OK;
      }
      single = scope.counts();
    }
    {
      AllocationScope scope;
      failures += claimlens_classifier_predict(handle, records.c.data(), kRecords, q.data()) !=
                  CLAIMLENS_OK;
      batch = scope.counts();
    }
    {
      AllocationScope scope;
      for (std::size_t i = 0; i < kRecords; ++i) {
        r[i] = t.clf.predict_proba(records.cpp[i]);
        t.clf.featurizer().transform(records.cpp[i], row.data());
      }
      cpp = scope.counts();
    }
    CHECK(failures == 0);
    CHECK(single.operator_new == 0);
    CHECK(single.malloc == 0);
    CHECK(batch.total() == 0);
    CHECK(cpp.total() == 0);
    CHECK(p == q);
    CHECK(p == r);
  }
}

TEST_CASE("hotpath: the allocation counter sees allocations") {
  AllocationCounts c;
  {
    AllocationScope scope;
    auto v = std::make_unique<std::vector<double>>(1000, 1.0);
    sink = v.get();  // observable, so the compiler cannot drop the allocations
    void* raw = std::malloc(64);
    sink = raw;
    std::free(raw);
    c = scope.counts();
  }
  CHECK(c.operator_new == 2);  // the vector object and its buffer
  CHECK(c.malloc == 1);
  // And an error path does allocate (the message), so a zero above means something.
  const Trained& t = trained("gradient_boosting");
  claimlens_video bad = real_records().c[0];
  bad.verified_status = "sort of";
  double p = -1.0;
  {
    AllocationScope scope;
    const claimlens_status s = claimlens_classifier_predict(t.handle.get(), &bad, 1, &p);
    c = scope.counts();
    CHECK(s == CLAIMLENS_E_INVALID_ARGUMENT);
  }
  CHECK(c.total() > 0);
  CHECK(p == -1.0);
  CHECK_THAT(std::string(claimlens_last_error()),
             Catch::Contains("claimlens_classifier_predict") && Catch::Contains("\"sort of\""));
}

TEST_CASE("hotpath: threads predict on one classifier without allocating") {
  const Records& records = real_records();
  const Trained& t = trained("gradient_boosting");
  constexpr std::size_t kThreads = 4, kEach = 300;
  std::vector<std::vector<double>> out(kThreads, std::vector<double>(kEach, -1.0));
  std::vector<std::size_t> allocations(kThreads, 99), failures(kThreads, 99);
  std::vector<std::thread> threads;
  for (std::size_t th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      std::size_t failed = 0;
      AllocationScope scope;
      for (std::size_t i = 0; i < kEach; ++i) {
        failed += claimlens_classifier_predict(t.handle.get(), &records.c[i * 7 % records.c.size()],
                                               1, &out[th][i]) != CLAIMLENS_OK;
      }
      allocations[th] = scope.counts().total();
      failures[th] = failed;
    });
  }
  for (auto& th : threads) th.join();
  CHECK(allocations == std::vector<std::size_t>(kThreads, 0));
  CHECK(failures == std::vector<std::size_t>(kThreads, 0));
  for (std::size_t th = 1; th < kThreads; ++th) CHECK(out[th] == out[0]);
}

TEST_CASE("hotpath: a bad record in a batch fails without writing anything") {
  const Records& records = real_records();
  const Trained& t = trained("gradient_boosting");
  claimlens_video batch[3] = {records.c[0], records.c[1], records.c[2]};
  double p[3] = {-1, -1, -1};
  batch[2].view_count = std::nan("");
  REQUIRE(claimlens_classifier_predict(t.handle.get(), batch, 3, p) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(std::string(claimlens_last_error()),
             Catch::Contains("videos[2].view_count: not finite (NaN)"));
  batch[2] = records.c[2];
  batch[1].transcription = "fine \xe2\x28\xa1 text";
  REQUIRE(claimlens_classifier_predict(t.handle.get(), batch, 3, p) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(std::string(claimlens_last_error()),
             Catch::Equals("claimlens_classifier_predict: videos[1].transcription: not valid UTF-8 "
                           "(invalid byte at offset 5)"));
  batch[1] = records.c[1];
  batch[0].author_ban_status = nullptr;
  REQUIRE(claimlens_classifier_predict(t.handle.get(), batch, 3, p) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(std::string(claimlens_last_error()),
             Catch::Contains("videos[0].author_ban_status: NULL"));
  CHECK((p[0] == -1 && p[1] == -1 && p[2] == -1));
  std::size_t order[3] = {9, 9, 9};
  double p_claim[3] = {-1, -1, -1}, priority[3] = {-1, -1, -1};
  batch[0] = records.c[0];
  batch[2].verified_status = "unverified";
  REQUIRE(claimlens_classifier_triage(t.handle.get(), batch, 3, order, p_claim, priority) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(std::string(claimlens_last_error()),
             Catch::Contains("videos[2].verified_status: unknown value \"unverified\""));
  CHECK((order[0] == 9 && order[1] == 9 && order[2] == 9));
  CHECK((p_claim[0] == -1 && priority[0] == -1));
}

TEST_CASE("hotpath: single-record explanation through the C ABI allocates nothing", "[explain]") {
  const Records& records = real_records();
  constexpr std::size_t kRecords = 300;
  REQUIRE(records.c.size() >= kRecords);
  for (const char* algorithm : {"gradient_boosting", "random_forest"}) {
    CAPTURE(algorithm);
    const Trained& t = trained(algorithm);
    const claimlens_classifier* handle = t.handle.get();
    const std::size_t width = t.clf.featurizer().num_features() + 1;
    std::vector<double> out(kRecords * width, -1.0), residual(kRecords, -1.0);
    // The first explanation builds the explainer and this thread's workspace.
    REQUIRE(claimlens_classifier_explain(handle, records.c.data(), 1, out.data(), width,
                                         residual.data(), 1) == CLAIMLENS_OK);
    std::size_t failures = 0;
    AllocationScope scope;
    for (std::size_t i = 0; i < kRecords; ++i) {
      failures += claimlens_classifier_explain(handle, &records.c[i], 1, out.data() + i * width,
                                               width, &residual[i], 1) != CLAIMLENS_OK;
    }
    const AllocationCounts counts = scope.counts();
    CHECK(failures == 0);
    CHECK(counts.total() == 0);
    // The values are the batch's, bit for bit, and additive.
    std::vector<double> batch(kRecords * width), batch_residual(kRecords);
    REQUIRE(claimlens_classifier_explain(handle, records.c.data(), kRecords, batch.data(),
                                         batch.size(), batch_residual.data(),
                                         kRecords) == CLAIMLENS_OK);
    CHECK(batch == out);
    CHECK(*std::max_element(residual.begin(), residual.end()) < 1e-9);
  }
}
