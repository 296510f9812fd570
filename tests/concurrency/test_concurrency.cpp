// Concurrency of the C ABI's const handles: 8 threads predict at once through ONE shared
// claimlens_classifier (single records, batches and whole frames) and ONE shared claimlens_model,
// for a few seconds, and every result must be bit-identical to a serial run. Built and run under
// ThreadSanitizer by scripts/test (the tsan preset), where a data race fails the run.
//
// CLAIMLENS_CONCURRENCY_SECONDS sets how long the threads run (default 2.5).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "claimlens.h"
#include "support/paths.hpp"

namespace {

constexpr int kThreads = 8;
constexpr std::size_t kBatch = 16;

double run_seconds() {
  const char* text = std::getenv("CLAIMLENS_CONCURRENCY_SECONDS");
  if (text == nullptr || *text == '\0') return 2.5;
  char* end = nullptr;
  const double s = std::strtod(text, &end);
  if (*end != '\0' || !(s > 0) || s > 3600) {
    throw std::runtime_error(std::string("CLAIMLENS_CONCURRENCY_SECONDS is not a number of seconds "
                                         "in (0, 3600]: ") +
                             text);
  }
  return s;
}

std::string last_error() {
  return claimlens_last_error();
}

// Every `step`-th record of the dataset (its records never span lines), CRLF, with the header.
std::string csv_slice(const std::string& csv, std::size_t step, std::size_t offset) {
  std::string out;
  std::size_t start = 0, index = 0;
  while (start < csv.size()) {
    std::size_t end = csv.find("\r\n", start);
    end = end == std::string::npos ? csv.size() : end + 2;
    if (index == 0 || (index >= offset && (index - offset) % step == 0)) {
      out.append(csv, start, end - start);
    }
    start = end;
    ++index;
  }
  return out;
}

claimlens_frame* frame_from(const std::string& csv) {
  claimlens_frame* raw = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &raw) == CLAIMLENS_OK);
  claimlens_frame* complete = nullptr;
  REQUIRE(claimlens_frame_drop_nulls(raw, &complete) == CLAIMLENS_OK);
  claimlens_frame_free(raw);
  return complete;
}

std::vector<double> column(const claimlens_frame* frame, const char* name) {
  std::vector<double> v(claimlens_frame_num_rows(frame));
  REQUIRE(claimlens_frame_get_doubles(frame, name, v.size(), v.data()) == CLAIMLENS_OK);
  return v;
}

// The probe records as C structs; the strings are owned by the frame.
struct Probe {
  claimlens_frame* frame = nullptr;
  std::vector<claimlens_video> videos;
  std::vector<double> x, y;  // numeric features (row-major) and claim labels, for the model
  static constexpr std::size_t kCols = 6;
};

Probe make_probe(claimlens_frame* frame) {
  Probe p;
  p.frame = frame;
  const std::size_t n = claimlens_frame_num_rows(frame);
  const char* numeric[] = {"video_duration_sec", "video_view_count",     "video_like_count",
                           "video_share_count",  "video_download_count", "video_comment_count"};
  std::vector<std::vector<double>> cols;
  for (const char* c : numeric) cols.push_back(column(frame, c));
  auto text = [&](const char* name, std::size_t row) {
    const char* s = nullptr;
    REQUIRE(claimlens_frame_get_string(frame, name, row, &s) == CLAIMLENS_OK);
    return s;
  };
  for (std::size_t i = 0; i < n; ++i) {
    p.videos.push_back(claimlens_video{sizeof(claimlens_video), text("video_transcription_text", i),
                                       text("verified_status", i), text("author_ban_status", i),
                                       cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i],
                                       cols[5][i]});
    for (const auto& c : cols) p.x.push_back(c[i]);
    p.y.push_back(std::strcmp(text("claim_status", i), "claim") == 0 ? 1.0 : 0.0);
  }
  return p;
}

bool same_bits(const double* a, const double* b, std::size_t n) {
  return std::memcmp(a, b, n * sizeof(double)) == 0;
}

struct Reference {
  std::vector<double> single, frame, model;
};

// Releases every thread at once, so they really overlap.
class StartLine {
 public:
  void wait() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return open_; });
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(m_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
};

struct Tally {
  std::atomic<long> calls{0}, mismatches{0}, failures{0};
  std::atomic<long> by_kind[4] = {};
};

// One thread's loop: it cycles through the four kinds of call, over shifting windows.
void hammer(int t, const claimlens_classifier* clf, const claimlens_model* model, const Probe& p,
            const Reference& ref, std::chrono::steady_clock::time_point deadline, StartLine& start,
            Tally& tally) {
  start.wait();
  const std::size_t n = p.videos.size();
  std::vector<double> out(n);
  for (std::size_t k = 0; std::chrono::steady_clock::now() < deadline; ++k) {
    const int kind = static_cast<int>((k + static_cast<std::size_t>(t)) % 4);
    const std::size_t at = (k * 7 + static_cast<std::size_t>(t) * 13) % (n - kBatch);
    claimlens_status s = CLAIMLENS_OK;
    bool same = true;
    if (kind == 0) {  // one record
      s = claimlens_classifier_predict(clf, &p.videos[at], 1, out.data());
      same = same_bits(out.data(), &ref.single[at], 1);
    } else if (kind == 1) {  // a batch of records
      s = claimlens_classifier_predict(clf, &p.videos[at], kBatch, out.data());
      same = same_bits(out.data(), &ref.single[at], kBatch);
    } else if (kind == 2) {  // the whole frame
      s = claimlens_classifier_predict_frame(clf, p.frame, n, out.data());
      same = same_bits(out.data(), ref.frame.data(), n);
    } else {  // the numeric model on a window of rows
      s = claimlens_model_predict_proba(model, &p.x[at * Probe::kCols], kBatch, Probe::kCols,
                                        out.data());
      same = same_bits(out.data(), &ref.model[at], kBatch);
    }
    if (s != CLAIMLENS_OK) tally.failures++;
    if (!same) tally.mismatches++;
    tally.calls++;
    tally.by_kind[kind]++;
  }
}

}  // namespace

TEST_CASE(
    "8 threads predict through one shared classifier and one shared model, bit-identical "
    "to a serial run") {
  const double seconds = run_seconds();
  const std::string csv =
      claimlens::testing::read_text_file(claimlens::testing::real_dataset_path());
  // Train on every 6th record (n_jobs 1: libgomp is not TSan-instrumented); probe with others.
  claimlens_frame* train = frame_from(csv_slice(csv, 6, 1));
  claimlens_classifier* clf = nullptr;
  REQUIRE(claimlens_classifier_train(
              train, R"({"grid": "none", "algorithm": "gradient_boosting", "n_jobs": 1})", &clf) ==
          CLAIMLENS_OK);
  const Probe p = make_probe(frame_from(csv_slice(csv, 97, 4)));
  const Probe train_probe = make_probe(train);
  claimlens_model* model = nullptr;
  REQUIRE(claimlens_model_train(
              train_probe.x.data(), train_probe.videos.size(), Probe::kCols, train_probe.y.data(),
              R"({"algorithm": "random_forest", "n_estimators": 30, "max_depth": 8, "n_jobs": 1})",
              &model) == CLAIMLENS_OK);
  const std::size_t n = p.videos.size();
  REQUIRE(n > 4 * kBatch);

  // The serial run, one call at a time.
  Reference ref;
  ref.single.resize(n);
  ref.frame.resize(n);
  ref.model.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    INFO(last_error());
    REQUIRE(claimlens_classifier_predict(clf, &p.videos[i], 1, &ref.single[i]) == CLAIMLENS_OK);
    REQUIRE(claimlens_model_predict_proba(model, &p.x[i * Probe::kCols], 1, Probe::kCols,
                                          &ref.model[i]) == CLAIMLENS_OK);
  }
  REQUIRE(claimlens_classifier_predict_frame(clf, p.frame, n, ref.frame.data()) == CLAIMLENS_OK);
  // A record scores the same alone and within its frame.
  REQUIRE(same_bits(ref.single.data(), ref.frame.data(), n));

  Tally tally;
  StartLine start;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back(hammer, t, clf, model, std::cref(p), std::cref(ref), deadline,
                         std::ref(start), std::ref(tally));
  }
  start.open();
  for (auto& th : threads) th.join();

  INFO("calls: " << tally.calls.load() << " (" << seconds << " s, " << kThreads << " threads)");
  REQUIRE(tally.failures.load() == 0);
  REQUIRE(tally.mismatches.load() == 0);
  for (const auto& kind : tally.by_kind) REQUIRE(kind.load() > 0);
  WARN("concurrency: " << tally.calls.load() << " calls in " << seconds << " s on " << kThreads
                       << " threads, all bit-identical to the serial run");

  claimlens_model_free(model);
  claimlens_classifier_free(clf);
  claimlens_frame_free(p.frame);
  claimlens_frame_free(train);
}
