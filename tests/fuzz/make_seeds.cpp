// Writes the seed corpora of the fuzz targets from the real data, through the C ABI:
//   fuzz_make_seeds <tiktok_dataset.csv> <tests/fuzz folder>
// corpus/read_csv: slices of the CSV (CRLF, quoted text with commas, UTF-8, the #N/A rows, LF
// endings, header only); corpus/csv_parts: the same and two with quoted newlines;
// corpus/model_load: a small model of each algorithm trained on the dataset's counts, as JSON text
// and as CBOR, and the claim classifiers below; corpus/classifier_load: small claim classifiers
// (both algorithms, no grid) trained on a slice of the rows and trimmed to two trees and an empty
// report (see trimmed()), JSON and CBOR; and the dictionaries model_load.dict /
// classifier_load.dict: fixed tokens plus every object key of those seeds. corpus/train_params and
// read_csv.dict / train_params.dict are written by hand.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens.h"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace {

void check(claimlens_status status, const char* what) {
  if (status != CLAIMLENS_OK) {
    throw std::runtime_error(std::string(what) + ": " + claimlens_last_error());
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
  std::printf("%8zu bytes  %s\n", bytes.size(), path.c_str());
}

// The file's records, each without its CRLF (no text field spans lines in this dataset).
std::vector<std::string> lines_of(const std::string& csv) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < csv.size()) {
    std::size_t end = csv.find("\r\n", start);
    if (end == std::string::npos) end = csv.size();
    lines.push_back(csv.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

std::string join(const std::vector<std::string>& lines, const char* eol, bool final_eol) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || final_eol) out += eol;
  }
  return out;
}

void csv_seeds(const std::vector<std::string>& lines, const std::string& dir) {
  const std::string& header = lines[0];
  auto pick = [&](auto&& keep, std::size_t count) {
    std::vector<std::string> out{header};
    for (std::size_t i = 1; i < lines.size() && out.size() <= count; ++i) {
      if (keep(lines[i])) out.push_back(lines[i]);
    }
    return out;
  };
  auto any = [](const std::string&) { return true; };
  auto quoted = [](const std::string& l) { return l.find('"') != std::string::npos; };
  auto utf8 = [](const std::string& l) {
    for (unsigned char c : l) {
      if (c >= 0x80) return true;
    }
    return false;
  };
  write_file(dir + "/head_crlf.csv", join(pick(any, 6), "\r\n", true));
  write_file(dir + "/quoted_commas.csv", join(pick(quoted, 4), "\r\n", true));
  write_file(dir + "/utf8.csv", join(pick(utf8, 4), "\r\n", true));
  std::vector<std::string> na{header};
  for (std::size_t i = 19082; i < 19088 && i < lines.size(); ++i) na.push_back(lines[i]);
  write_file(dir + "/na_rows.csv", join(na, "\r\n", true));
  write_file(dir + "/lf_no_final_newline.csv", join(pick(any, 3), "\n", false));
  write_file(dir + "/header_only.csv", header + "\r\n");
}

// corpus/csv_parts: read_csv's slices, and rows whose quoted fields hold newlines (where cuts
// and chunk ends are tried) and a quote inside an unquoted field (which upsets the cuts' parity).
void csv_parts_seeds(const std::vector<std::string>& lines, const std::string& dir) {
  csv_seeds(lines, dir);
  write_file(dir + "/quoted_newlines.csv",
             "a,b\n1,\"x\ny\"\n2,\"p,\"\"q\"\"\r\nr\"\n\n3,z\r\n4,\"\"\r5,w");
  write_file(dir + "/literal_quote.csv", "a,b\n1,ab\"c\n2,\"p\nq\"\n3,\"r\ns\"\n4,t\n");
}

// Numeric features and claim labels of every `step`-th complete row.
struct Matrix {
  std::vector<double> x, y;
  std::size_t rows = 0, cols = 0;
};

Matrix numeric_sample(const claimlens_frame* frame, std::size_t step) {
  const char* columns[] = {"video_duration_sec", "video_view_count",     "video_like_count",
                           "video_share_count",  "video_download_count", "video_comment_count"};
  const std::size_t n = claimlens_frame_num_rows(frame);
  std::vector<std::vector<double>> values;
  for (const char* c : columns) {
    values.emplace_back(n);
    check(claimlens_frame_get_doubles(frame, c, n, values.back().data()), c);
  }
  Matrix m;
  m.cols = values.size();
  for (std::size_t i = 0; i < n; i += step) {
    const char* status = nullptr;
    check(claimlens_frame_get_string(frame, "claim_status", i, &status), "claim_status");
    for (const auto& v : values) m.x.push_back(v[i]);
    m.y.push_back(std::string(status) == "claim" ? 1.0 : 0.0);
    ++m.rows;
  }
  return m;
}

std::string temp_path(const std::string& dir, const char* name) {
  return dir + "/.make_seeds_" + name;
}

void collect_keys(const nlohmann::json& j, std::set<std::string>& keys) {
  if (j.is_object()) {
    for (const auto& item : j.items()) {
      keys.insert(item.key());
      collect_keys(item.value(), keys);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_keys(v, keys);
  }
}

std::string dict_entry(const std::string& token) {
  std::string out = "\"";
  for (unsigned char c : token) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"\n";
}

void write_dict(const std::string& path, const std::set<std::string>& keys,
                const std::vector<std::string>& fixed) {
  std::string text = "# libFuzzer dictionary, written by fuzz_make_seeds (make_seeds.cpp)\n";
  for (const auto& t : fixed) text += dict_entry(t);
  for (const auto& k : keys) text += dict_entry("\"" + k + "\"");
  write_file(path, text);
}

const std::vector<std::string> kFormatTokens = {
    "claimlens-model",
    "\xD9\xD9\xF7",
    "format_version",
    "library_version",
    "model_type",
    std::string("\xFB\x7F\xF0\x00\x00\x00\x00\x00\x00", 9),
    "\xF5",
    "\xF4",
    "\xF6",
    "\x9F",
    "\xBF",
    "\xFF",
    "true",
    "false",
    "null",
    "1e308",
    "-0",
    "NaN"};

// Tabular pipelines (what `claimlens train` saves; claimlens_model_load reads them too) on every
// 97th record: numeric, one-hot and text columns, a 16-word vocabulary, two trees.
void tabular_seeds(const std::string& csv_path, const std::string& dir,
                   std::set<std::string>& keys) {
  using claimlens::TabularAlgorithm;
  const claimlens::DataFrame all = claimlens::read_csv(csv_path).dropna();
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < all.num_rows(); i += 97) rows.push_back(i);
  const claimlens::DataFrame sample = all.take(rows);
  for (auto algorithm :
       {TabularAlgorithm::GradientBoosting, TabularAlgorithm::LogisticRegression}) {
    claimlens::TabularPipelineOptions o;
    o.target = "claim_status";
    o.positive = "claim";
    o.algorithm = algorithm;
    o.drop = {"#", "video_id"};
    o.text = "video_transcription_text";
    o.text_options.max_features = 16;
    o.n_jobs = 1;
    if (algorithm == TabularAlgorithm::GradientBoosting) {
      o.params = {{"n_estimators", 2}, {"max_depth", 2}};
    }
    const auto pipeline = claimlens::TabularPipeline::fit(sample, o);
    const std::string name = std::string("tabular_") + claimlens::tabular_algorithm_name(algorithm);
    for (auto encoding : {claimlens::io::ModelEncoding::Json, claimlens::io::ModelEncoding::Cbor}) {
      const auto bytes = claimlens::io::save_model_buffer(pipeline, encoding);
      const bool json = encoding == claimlens::io::ModelEncoding::Json;
      write_file(dir + "/" + name + (json ? ".json" : ".cbor"),
                 std::string(bytes.begin(), bytes.end()));
      if (json) collect_keys(nlohmann::json::parse(bytes.begin(), bytes.end()), keys);
    }
  }
}

// A model's seeds: JSON text (claimlens_model_save) and CBOR (claimlens_model_save_buffer).
void write_model_seeds(const claimlens_model* model, const std::string& dir,
                       const std::string& name, std::set<std::string>& keys) {
  const std::string tmp = temp_path(dir, "model.json");
  check(claimlens_model_save(model, tmp.c_str()), "save json");
  const std::string json = read_file(tmp);
  std::remove(tmp.c_str());
  write_file(dir + "/" + name + ".json", json);
  collect_keys(nlohmann::json::parse(json), keys);
  void* cbor = nullptr;
  std::size_t len = 0;
  check(claimlens_model_save_buffer(model, &cbor, &len), "save cbor");
  write_file(dir + "/" + name + ".cbor", std::string(static_cast<char*>(cbor), len));
  claimlens_free(cbor);
}

// Calibrated models (model_type "calibrated") over each matrix model: the random forest with an
// operating point only, gradient boosting with isotonic regression, logistic regression with
// Platt scaling and an operating point (a 20-resample bootstrap), calibrated on its own rows.
void calibrated_seeds(const claimlens_model* model, const Matrix& m, const std::string& name,
                      const std::string& dir, std::set<std::string>& keys) {
  claimlens_model* calibrated = nullptr;
  const bool forest = name == "random_forest", boosting = name == "gradient_boosting";
  if (!forest) {
    const char* options = boosting ? R"({"method": "isotonic"})" : R"({"method": "sigmoid"})";
    check(claimlens_model_calibrate(model, m.x.data(), m.rows, m.cols, m.y.data(), options,
                                    &calibrated),
          "calibrate");
  }
  claimlens_model* out = calibrated;
  if (!boosting) {
    check(claimlens_model_choose_threshold(
              calibrated ? calibrated : model, m.x.data(), m.rows, m.cols, m.y.data(),
              R"({"precision": 0.6, "n_resamples": 20, "seed": 1})", &out),
          "choose threshold");
    claimlens_model_free(calibrated);
  }
  write_model_seeds(out, dir, "calibrated_" + name, keys);
  claimlens_model_free(out);
}

void model_seeds(const claimlens_frame* complete, const std::string& csv_path,
                 const std::string& fuzz_dir) {
  const std::string dir = fuzz_dir + "/corpus/model_load";
  const Matrix m = numeric_sample(complete, 97);  // ~197 rows of both classes
  Matrix gaps = m;                                // a few missing values for default_left
  for (std::size_t i = 0; i < gaps.x.size(); i += 13) gaps.x[i] = std::nan("");
  struct Spec {
    const char* name;
    const char* params;
    const Matrix* data;
  };
  const Spec specs[] = {
      {"random_forest",
       R"({"algorithm": "random_forest", "n_estimators": 3, "max_depth": 3, "n_jobs": 1})", &m},
      {"gradient_boosting",
       R"({"algorithm": "gradient_boosting", "n_estimators": 3, "max_depth": 2, "n_jobs": 1})",
       &gaps},
      {"logistic_regression", R"({"algorithm": "logistic_regression", "C": 1.0})", &m},
  };
  std::set<std::string> keys;
  for (const Spec& s : specs) {
    claimlens_model* model = nullptr;
    check(claimlens_model_train(s.data->x.data(), s.data->rows, s.data->cols, s.data->y.data(),
                                s.params, &model),
          s.name);
    write_model_seeds(model, dir, s.name, keys);
    calibrated_seeds(model, *s.data, s.name, dir, keys);
    claimlens_model_free(model);
  }
  tabular_seeds(csv_path, dir, keys);
  write_dict(fuzz_dir + "/model_load.dict", keys, kFormatTokens);
}

// A trained classifier cut down to its first kSeedTrees trees and an empty report, reloaded
// through the real loader: a small seed runs thousands of times faster than the full one, and
// every byte of it is still the real format.
constexpr std::size_t kSeedTrees = 2;

claimlens_classifier* trimmed(const claimlens_classifier* clf) {
  void* bytes = nullptr;
  std::size_t len = 0;
  check(claimlens_classifier_save_buffer(clf, &bytes, &len), "save");
  const auto* begin = static_cast<const std::uint8_t*>(bytes);
  nlohmann::json envelope = nlohmann::json::from_cbor(begin, begin + len, true, true,
                                                      nlohmann::json::cbor_tag_handler_t::ignore);
  claimlens_free(bytes);
  nlohmann::json& doc = envelope["model"];
  nlohmann::json& trees = doc["model"]["trees"];
  if (trees.size() > kSeedTrees) trees.erase(trees.begin() + kSeedTrees, trees.end());
  doc["model"]["params"]["n_estimators"] = trees.size();
  doc["report"] = nlohmann::json::object();
  const std::string text = envelope.dump();
  claimlens_classifier* out = nullptr;
  check(claimlens_classifier_load_buffer(text.data(), text.size(), &out), "reload trimmed");
  return out;
}

void classifier_seeds(const std::vector<std::string>& lines, const std::string& fuzz_dir) {
  const std::string dir = fuzz_dir + "/corpus/classifier_load";
  std::vector<std::string> slice{lines[0]};
  for (std::size_t i = 1; i < lines.size(); i += 40) slice.push_back(lines[i]);
  const std::string csv = join(slice, "\r\n", true);
  claimlens_frame* frame = nullptr;
  check(claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &frame), "slice");
  std::set<std::string> keys;
  for (const char* algorithm : {"random_forest", "gradient_boosting"}) {
    const std::string options =
        std::string(R"({"grid": "none", "n_jobs": 1, "algorithm": ")") + algorithm + "\"}";
    claimlens_classifier* full = nullptr;
    check(claimlens_classifier_train(frame, options.c_str(), &full), algorithm);
    claimlens_classifier* clf = trimmed(full);
    claimlens_classifier_free(full);
    const std::string tmp = temp_path(dir, "clf.json");
    check(claimlens_classifier_save(clf, tmp.c_str()), "save json");
    const std::string json = read_file(tmp);
    std::remove(tmp.c_str());
    write_file(dir + "/" + algorithm + ".json", json);
    // claimlens_model_load opens claim classifiers too: the same seeds for fuzz_model_load.
    const std::string model_dir = fuzz_dir + "/corpus/model_load/claim_classifier_";
    write_file(model_dir + algorithm + ".json", json);
    collect_keys(nlohmann::json::parse(json), keys);
    void* cbor = nullptr;
    std::size_t len = 0;
    check(claimlens_classifier_save_buffer(clf, &cbor, &len), "save cbor");
    write_file(dir + "/" + algorithm + ".cbor", std::string(static_cast<char*>(cbor), len));
    write_file(model_dir + algorithm + ".cbor", std::string(static_cast<char*>(cbor), len));
    claimlens_free(cbor);
    claimlens_classifier_free(clf);
  }
  claimlens_frame_free(frame);
  std::vector<std::string> tokens = kFormatTokens;
  tokens.insert(tokens.end(), {"claim_classifier", "verified", "not verified", "active",
                               "under review", "banned"});
  write_dict(fuzz_dir + "/classifier_load.dict", keys, tokens);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fuzz_make_seeds <tiktok_dataset.csv> <tests/fuzz folder>\n");
    return 2;
  }
  try {
    const std::string csv = read_file(argv[1]);
    const std::string fuzz_dir = argv[2];
    const std::vector<std::string> lines = lines_of(csv);
    csv_seeds(lines, fuzz_dir + "/corpus/read_csv");
    csv_parts_seeds(lines, fuzz_dir + "/corpus/csv_parts");
    claimlens_frame* frame = nullptr;
    check(claimlens_frame_read_csv(argv[1], &frame), "read the dataset");
    claimlens_frame* complete = nullptr;
    check(claimlens_frame_drop_nulls(frame, &complete), "drop nulls");
    model_seeds(complete, argv[1], fuzz_dir);
    classifier_seeds(lines, fuzz_dir);
    claimlens_frame_free(complete);
    claimlens_frame_free(frame);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_make_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
