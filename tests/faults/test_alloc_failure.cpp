// Allocation failure along whole C ABI paths: for n = 1, 2, ... the n-th operator new of the
// path fails; every call must return CLAIMLENS_OK or CLAIMLENS_E_NO_MEMORY (never crash, never
// another status), a failed call must leave its output NULL, and nothing may leak (LSan, in the
// asan build). A path that completes despite an injected failure (a nothrow allocation with a
// fallback, such as std::stable_sort's buffer) must give bit-identical results.
//
// Under AddressSanitizer a forked child costs ~0.1-0.3 s (shadow memory, the leak check at exit),
// and the three sweeps hold ~6,000 children, so the asan build fails every n up to kAlwaysFailed
// and then a sample of about kSampledRuns allocations spread over the whole path; the release
// suite, and the asan suite with CLAIMLENS_FAULT_SWEEP=full, fail every n.
//
// Each run is a child process, so that a crash fails the test with its allocation number instead
// of ending the test binary. std::terminate is such a crash: nlohmann::json's destructor allocates
// for a non-empty array or object, so every DOM the library lets die goes through
// claimlens::dispose_json (claimlens/json_document.hpp); a child that terminates prints a
// backtrace of where.
#include <execinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "claimlens.h"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "faults/alloc_hook.hpp"
#include "support/paths.hpp"

using claimlens::testing::AllocationFailure;

namespace {

constexpr std::size_t kMaxSteps = 8;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLAIMLENS_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(CLAIMLENS_TEST_ASAN)
#define CLAIMLENS_TEST_ASAN 1
#endif
#ifdef CLAIMLENS_TEST_ASAN
#include <sanitizer/lsan_interface.h>
#endif

/// While alive, this thread's allocations are not leak-checked, in this process or in the children
/// forked later. For the parent's own runs of a path (reference, allocation count): libomp's fork
/// handler abandons the parent's OpenMP runtime state in a child instead of freeing it, and
/// LeakSanitizer would report it in every child. Each child's own run stays checked.
class UncheckedInChildren {
 public:
  UncheckedInChildren() {
#ifdef CLAIMLENS_TEST_ASAN
    __lsan_disable();
#endif
  }
  ~UncheckedInChildren() {
#ifdef CLAIMLENS_TEST_ASAN
    __lsan_enable();
#endif
  }
  UncheckedInChildren(const UncheckedInChildren&) = delete;
  UncheckedInChildren& operator=(const UncheckedInChildren&) = delete;
};

constexpr std::size_t kAlwaysFailed = 64;
constexpr std::size_t kSampledRuns = 160;

/// 1 (every allocation), or under ASan the step that leaves about kSampledRuns runs past the
/// first kAlwaysFailed.
std::size_t sweep_stride(std::size_t allocations) {
#ifdef CLAIMLENS_TEST_ASAN
  const char* mode = std::getenv("CLAIMLENS_FAULT_SWEEP");
  if (mode == nullptr || std::strcmp(mode, "full") != 0) {
    return std::max<std::size_t>(1, allocations / kSampledRuns);
  }
#endif
  (void)allocations;
  return 1;
}

// In a child: names the failed allocation and prints the stack before aborting, so a terminate
// (an exception leaving a noexcept function) can be traced to its site.
std::size_t child_allocation = 0;
[[noreturn]] void report_terminate() {
  std::fprintf(stderr, "std::terminate with allocation %zu failing; backtrace:\n",
               child_allocation);
  void* frames[64];
  ::backtrace_symbols_fd(frames, ::backtrace(frames, 64), 2);
  std::abort();
}

/// What one run of a path did; filled while armed, so no Catch2 assertion runs in between.
struct Run {
  std::array<claimlens_status, kMaxSteps> status{};
  std::array<char, 160> message{};
  std::size_t steps = 0;
  bool completed = false;
  bool output_left = false;  // a failed call wrote its output anyway

  /// Records a step's status; true when the path may continue.
  bool step(claimlens_status s) {
    status[steps++] = s;
    if (s != CLAIMLENS_OK) std::strncpy(message.data(), claimlens_last_error(), message.size() - 1);
    return s == CLAIMLENS_OK;
  }
};

struct Data {
  static constexpr std::size_t rows = 40, cols = 3;
  std::vector<double> x, y;
  explicit Data(bool with_missing) {  // logistic regression needs complete rows
    for (std::size_t i = 0; i < rows; ++i) {
      x.push_back(static_cast<double>(i % 7));
      x.push_back(with_missing && i % 5 == 0 ? NAN : static_cast<double>((i * 5) % 11) / 2);
      x.push_back(static_cast<double>(i));
      y.push_back((i % 7) + (i % 3) > 4 ? 1.0 : 0.0);
    }
  }
};

/// train -> save_buffer -> load_buffer -> predict_proba; `p` must hold Data::rows values.
void model_path(const char* params, const Data& d, std::vector<double>& p, Run& run) {
  claimlens_model* trained = nullptr;
  claimlens_model* loaded = nullptr;
  void* buffer = nullptr;
  std::size_t len = 0;
  if (run.step(claimlens_model_train(d.x.data(), d.rows, d.cols, d.y.data(), params, &trained)) &&
      run.step(claimlens_model_save_buffer(trained, &buffer, &len)) &&
      run.step(claimlens_model_load_buffer(buffer, len, &loaded)) &&
      run.step(claimlens_model_predict_proba(loaded, d.x.data(), d.rows, d.cols, p.data()))) {
    run.completed = true;
  }
  // A failed call leaves its output untouched: NULL handles, NULL buffer.
  if (!run.completed) {
    run.output_left = (run.steps == 1 && trained != nullptr) ||
                      (run.steps == 2 && buffer != nullptr) ||
                      (run.steps == 3 && loaded != nullptr);
  }
  claimlens_model_free(loaded);
  claimlens_free(buffer);
  claimlens_model_free(trained);
}

/// read_csv_buffer -> drop_nulls -> describe_json.
void frame_path(const std::string& csv, std::string& json, Run& run) {
  claimlens_frame* frame = nullptr;
  claimlens_frame* clean = nullptr;
  char* text = nullptr;
  if (run.step(claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &frame)) &&
      run.step(claimlens_frame_drop_nulls(frame, &clean)) &&
      run.step(claimlens_frame_describe_json(clean, &text))) {
    run.completed = true;
    json.assign(text);  // into capacity reserved by the caller: no allocation
  }
  if (!run.completed) {
    run.output_left = (run.steps == 1 && frame != nullptr) ||
                      (run.steps == 2 && clean != nullptr) || (run.steps == 3 && text != nullptr);
  }
  claimlens_free(text);
  claimlens_frame_free(clean);
  claimlens_frame_free(frame);
}

/// A small claim classifier as model-file CBOR: the seed's forest (grid "none") trained once on
/// every 40th record of the real data, cut to its first two trees so that a sweep stays short;
/// featurizer and report are whole.
std::vector<std::uint8_t> small_classifier_cbor() {
  const std::string csv =
      claimlens::testing::read_text_file(claimlens::testing::real_dataset_path());
  std::string slice;
  std::size_t start = 0, index = 0;
  while (start < csv.size()) {  // no record of the real file spans lines
    std::size_t end = csv.find("\r\n", start);
    end = end == std::string::npos ? csv.size() : end + 2;
    if (index++ % 40 == 0) slice.append(csv, start, end - start);
    start = end;
  }
  claimlens::ClaimClassifierOptions options;
  options.algorithm = claimlens::ClaimClassifierOptions::Algorithm::RandomForest;
  options.seed_grid = false;
  options.n_jobs = 1;
  const auto clf = claimlens::ClaimClassifier::train(claimlens::read_csv_buffer(slice), options);
  nlohmann::json doc = clf.to_json();
  auto& trees = doc["model"]["trees"];
  trees.erase(trees.begin() + 2, trees.end());
  doc["model"]["params"]["n_estimators"] = 2;
  return claimlens::io::encode_model(claimlens::ClaimClassifier::kModelType, doc,
                                     claimlens::io::ModelEncoding::Cbor);
}

/// What the classifier path produces; buffers reserved by the caller so that filling them while
/// armed allocates nothing.
struct ClassifierOutput {
  double p_claim = -1.0;
  std::string report, saved;
};

/// load_buffer -> predict -> report_json -> save_buffer.
void classifier_path(const std::vector<std::uint8_t>& bytes, ClassifierOutput& out, Run& run) {
  const claimlens_video video{sizeof(claimlens_video),
                              "someone read in the news that a claim was made",
                              "not verified",
                              "under review",
                              31,
                              250000,
                              80000,
                              9000,
                              1200,
                              300};
  claimlens_classifier* clf = nullptr;
  char* report = nullptr;
  void* saved = nullptr;
  std::size_t len = 0;
  if (run.step(claimlens_classifier_load_buffer(bytes.data(), bytes.size(), &clf)) &&
      run.step(claimlens_classifier_predict(clf, &video, 1, &out.p_claim)) &&
      run.step(claimlens_classifier_report_json(clf, &report)) &&
      run.step(claimlens_classifier_save_buffer(clf, &saved, &len))) {
    run.completed = true;
    out.report.assign(report);
    out.saved.assign(static_cast<const char*>(saved), len);
  }
  if (!run.completed) {
    run.output_left = (run.steps == 1 && clf != nullptr) || (run.steps == 3 && report != nullptr) ||
                      (run.steps == 4 && saved != nullptr);
  }
  claimlens_free(saved);
  claimlens_free(report);
  claimlens_classifier_free(clf);
}

/// Exit codes of one forked run (a child per n, so a terminate cannot end the test binary).
enum Code : int {
  kDone = 0,             // no failure injected: the path is fully counted
  kCompletedAnyway = 1,  // failure injected, path completed with identical results
  kFailedCleanly = 2,    // failure injected, a call returned CLAIMLENS_E_NO_MEMORY
  kBadStatus = 10,       // a call returned something else
  kOutputLeft = 11,      // a failed call wrote its output
  kWrongResult = 12,     // completed with different results
  kBadMessage = 13,      // CLAIMLENS_E_NO_MEMORY without "out of memory"
};

template <class Path, class Same>
int run_once(std::size_t n, Path& path, Same& same_as_reference) {
  Run run;
  AllocationFailure fault(n);
  path(run);
  const bool injected = fault.disarm();
  for (std::size_t i = 0; i < run.steps; ++i) {
    if (run.status[i] != CLAIMLENS_OK && run.status[i] != CLAIMLENS_E_NO_MEMORY) return kBadStatus;
  }
  if (run.output_left) return kOutputLeft;
  if (run.completed && !same_as_reference()) return kWrongResult;
  if (!run.completed && std::strstr(run.message.data(), "out of memory") == nullptr) {
    return kBadMessage;
  }
  if (!injected) return run.completed ? kDone : kBadStatus;
  return run.completed ? kCompletedAnyway : kFailedCleanly;
}

struct Sweep {
  std::size_t allocations = 0, stride = 1, failed_cleanly = 0, completed_anyway = 0;
  std::vector<std::string> crashed;  // "n: signal", for every n whose child died of a signal
};

/// Allocations made by one run of `path` in this process (nothing is failed).
template <class Path>
std::size_t count_allocations(Path& path) {
  Run run;
  std::size_t made = 0;
  {
    UncheckedInChildren parent_run;
    AllocationFailure never(static_cast<std::size_t>(-1));
    path(run);
    made = claimlens::testing::allocations_since_arm();
  }
  REQUIRE(run.completed);
  return made;
}

/// Runs `path` in a child process with the n-th allocation failing, for n = 1, 2, ... (past
/// kAlwaysFailed, every sweep_stride-th n) until it completes without an injected failure. Any
/// bad outcome fails the test at once; a child killed by a signal (SIGABRT from std::terminate
/// included) is listed in `crashed` and the sweep goes on, so that one run names every crashing
/// allocation (the callers require the list empty).
template <class Path, class Same>
Sweep fail_every_allocation(Path&& path, Same&& same_as_reference) {
  Sweep sweep;
#ifdef CLAIMLENS_TEST_ASAN
  const std::size_t counted = count_allocations(path);  // to spread the sample over the path
#else
  const std::size_t counted = 0;  // every n is failed: the sweep itself finds the end
#endif
  sweep.stride = sweep_stride(counted);
  for (std::size_t n = 1;; n += n < kAlwaysFailed ? 1 : sweep.stride) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      std::signal(SIGABRT, SIG_DFL);  // not Catch2's handler: the parent reports
      child_allocation = n;
      std::set_terminate(report_terminate);
      std::exit(run_once(n, path, same_as_reference));  // exit(), not _exit(): LSan runs
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    INFO("allocation " << n << " failed");
    if (WIFSIGNALED(status)) {
      const int signal = WTERMSIG(status);
      sweep.crashed.push_back(std::to_string(n) + ": " +
                              (signal == SIGABRT ? std::string("SIGABRT (std::terminate)")
                                                 : "signal " + std::to_string(signal)));
      continue;
    }
    const int code = WEXITSTATUS(status);
    REQUIRE(code <= kFailedCleanly);
    if (code == kDone) {
      sweep.allocations = sweep.stride == 1 ? n - 1 : counted;  // a sample stops past the end
      return sweep;
    }
    (code == kFailedCleanly ? sweep.failed_cleanly : sweep.completed_anyway) += 1;
    REQUIRE(n < 200000);
  }
}

std::string describe(const Sweep& s) {
  return std::to_string(s.allocations) + " allocations, " +
         (s.stride == 1 ? std::string("each")
                        : "the first " + std::to_string(kAlwaysFailed) + " and every " +
                              std::to_string(s.stride) + "th") +
         " failed in turn: " + std::to_string(s.failed_cleanly) + " CLAIMLENS_E_NO_MEMORY, " +
         std::to_string(s.completed_anyway) + " completed identically, " +
         std::to_string(s.crashed.size()) + " crashed";
}

/// Fails the test naming every allocation whose failure crashed the child (its stderr above
/// holds the backtrace of each std::terminate).
void require_no_crash(const Sweep& s) {
  std::string list;
  for (const auto& c : s.crashed) list += "\n  allocation " + c;
  INFO("runs that crashed instead of returning CLAIMLENS_OK or CLAIMLENS_E_NO_MEMORY:" << list);
  CHECK(s.crashed.empty());
}

}  // namespace

TEST_CASE("the allocation hook fails exactly the n-th allocation of this thread", "[faults]") {
  AllocationFailure fault(3);
  auto* a = new int(1);
  auto* b = new (std::nothrow) int[4];
  int* c = new (std::nothrow) int(3);  // the third: nullptr
  auto* d = new int(4);
  const bool injected = fault.disarm();
  CHECK(injected);
  CHECK(a != nullptr);
  CHECK(b != nullptr);
  CHECK(c == nullptr);
  CHECK(d != nullptr);
  delete a;
  delete[] b;
  delete d;
  bool threw = false;
  {
    AllocationFailure again(1);  // no Catch2 macro while armed: it allocates too
    try {
      ::operator delete(::operator new(sizeof(int)));  // a call, not an elidable new-expression
    } catch (const std::bad_alloc&) {
      threw = true;
    }
  }
  CHECK(threw);
}

TEST_CASE("failing each allocation of train/save/load/predict: OK or NO_MEMORY, never a crash",
          "[faults][alloc]") {
  for (const char* params :
       {R"({"algorithm": "gradient_boosting", "n_estimators": 3, "max_depth": 3, "n_jobs": 1})",
        R"({"algorithm": "random_forest", "n_estimators": 3, "max_depth": 3, "n_jobs": 1})",
        R"({"algorithm": "logistic_regression"})"}) {
    SECTION(params) {
      const Data d(std::string(params).find("logistic") == std::string::npos);
      std::vector<double> reference(d.rows), p(d.rows);
      Run ok;
      {
        UncheckedInChildren parent_run;
        model_path(params, d, reference, ok);
      }
      REQUIRE(ok.completed);
      const Sweep sweep = fail_every_allocation(
          [&](Run& run) {
            std::fill(p.begin(), p.end(), -1.0);
            model_path(params, d, p, run);
          },
          [&] { return p == reference; });
      WARN(params << ": " << describe(sweep));
      require_no_crash(sweep);
      CHECK(sweep.allocations > 10);
      CHECK(sweep.failed_cleanly > 0);
    }
  }
}

TEST_CASE("failing each allocation of read_csv/drop_nulls/describe: OK or NO_MEMORY",
          "[faults][alloc]") {
  const std::string csv =
      "claim_status,views,likes,text\r\nclaim,10,2,\"a, b\"\r\nopinion,#N/A,3,c\r\n"
      "claim,30,5,\"quoted \"\"x\"\"\"\r\nopinion,40,1,d\r\n";
  std::string reference, json;
  reference.reserve(1 << 16);
  json.reserve(1 << 16);
  Run ok;
  {
    UncheckedInChildren parent_run;
    frame_path(csv, reference, ok);
  }
  REQUIRE(ok.completed);
  const Sweep sweep = fail_every_allocation(
      [&](Run& run) {
        json.clear();
        frame_path(csv, json, run);
      },
      [&] { return json == reference; });
  WARN("read_csv/drop_nulls/describe_json: " << describe(sweep));
  require_no_crash(sweep);
  CHECK(sweep.allocations > 10);
  CHECK(sweep.failed_cleanly > 0);
}

TEST_CASE("failing each allocation of classifier load/predict/report/save: OK or NO_MEMORY",
          "[faults][alloc]") {
  std::vector<std::uint8_t> bytes;
  ClassifierOutput reference, out;
  Run ok;
  {
    UncheckedInChildren parent_run;
    bytes = small_classifier_cbor();
    classifier_path(bytes, reference, ok);
  }
  REQUIRE(ok.completed);
  REQUIRE(reference.p_claim >= 0.0);
  out.report.reserve(2 * reference.report.size());
  out.saved.reserve(2 * reference.saved.size());
  const Sweep sweep = fail_every_allocation(
      [&](Run& run) {
        out.p_claim = -1.0;
        out.report.clear();
        out.saved.clear();
        classifier_path(bytes, out, run);
      },
      [&] {
        return out.p_claim == reference.p_claim && out.report == reference.report &&
               out.saved == reference.saved;
      });
  WARN("classifier load_buffer/predict/report_json/save_buffer: " << describe(sweep));
  require_no_crash(sweep);
  CHECK(sweep.allocations > 10);
  CHECK(sweep.failed_cleanly > 0);
}
