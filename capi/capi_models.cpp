#include "capi_models.hpp"

#include <cmath>
#include <type_traits>

#include "claimlens/error.hpp"
#include "claimlens/io/models.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/regression/logistic_regression.hpp"

namespace claimlens::capi {

namespace {

using Json = nlohmann::json;

// Owned (claimlens/json_document.hpp): the copy dies without allocating.
JsonDocument without_algorithm(const Json& params) {
  JsonDocument copy(params);
  copy->erase("algorithm");
  return copy;
}

void check_shape(std::size_t rows, std::size_t cols, const char* name) {
  if (rows == 0 || cols == 0) throw InvalidArgument(std::string(name) + " has no rows or columns");
  if (rows > (std::size_t(1) << 40) / cols)
    throw InvalidArgument(std::string(name) + " is too large");
}

}  // namespace

Model train_model(const Json& params, const double* x, std::size_t rows, std::size_t cols,
                  const double* y) {
  if (!params.is_object()) throw InvalidArgument("params_json must be a JSON object");
  if (!params.contains("algorithm") || !params["algorithm"].is_string()) {
    throw InvalidArgument(
        "params_json needs \"algorithm\": \"random_forest\", \"gradient_boosting\" or "
        "\"logistic_regression\"");
  }
  check_shape(rows, cols, "x");
  const std::string algorithm = params["algorithm"].get<std::string>();
  const auto r = static_cast<Eigen::Index>(rows), c = static_cast<Eigen::Index>(cols);
  const RowMatrix X = Eigen::Map<const RowMatrix>(x, r, c);
  const Span<const double> labels(y, rows);
  if (algorithm == "random_forest") {
    RandomForestClassifier model(RandomForestParams::from_json(*without_algorithm(params)));
    model.fit(X, labels);
    return model;
  }
  if (algorithm == "gradient_boosting") {
    GradientBoostingClassifier model(GradientBoostingParams::from_json(*without_algorithm(params)));
    model.fit(X, labels);
    return model;
  }
  if (algorithm == "logistic_regression") {
    LogisticRegression model(LogisticRegressionOptions::from_json(*without_algorithm(params)));
    model.fit(X, Eigen::Map<const Vector>(y, r));
    return model;
  }
  throw InvalidArgument("parameter 'algorithm': unknown algorithm \"" + algorithm + "\"");
}

std::size_t num_features(const Model& model) {
  return std::visit(
      [](const auto& m) -> std::size_t {
        if constexpr (std::is_same_v<std::decay_t<decltype(m)>, TabularPipeline>) {
          return m.num_features();
        } else {
          return m.n_features_in();
        }
      },
      model);
}

namespace {

// Logistic regression has no notion of a missing value: name the first incomplete cell.
void require_complete_rows(const double* x, std::size_t rows, std::size_t cols) {
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      if (!std::isfinite(x[i * cols + j])) {
        throw InvalidArgument("x has a missing or infinite value at row " + std::to_string(i) +
                              ", column " + std::to_string(j) +
                              " (logistic regression needs complete rows)");
      }
    }
  }
}

}  // namespace

void predict_proba(const Model& model, const double* x, std::size_t rows, std::size_t cols,
                   double* out) {
  const std::size_t expected = num_features(model);
  if (cols != expected) {
    throw InvalidArgument("cols is " + std::to_string(cols) + " but the model has " +
                          std::to_string(expected) + " features");
  }
  if (rows == 0) return;
  const auto as_matrix = [&] {
    return RowMatrix(Eigen::Map<const RowMatrix>(x, static_cast<Eigen::Index>(rows),
                                                 static_cast<Eigen::Index>(cols)));
  };
  std::vector<double> p;
  if (const auto* m = std::get_if<TabularPipeline>(&model)) {
    if (!m->numeric_only()) {
      throw StateError(
          "this tabular pipeline encodes text or categorical columns, so it needs the raw "
          "columns: use claimlens_model_predict_frame");
    }
    p = m->predict_proba(as_matrix());
  } else if (const auto* m = std::get_if<LogisticRegression>(&model)) {
    require_complete_rows(x, rows, cols);
    p = m->positive_proba(as_matrix());
  } else if (const auto* m = std::get_if<RandomForestClassifier>(&model)) {
    p = m->predict_proba(x, rows, cols);
  } else {
    p = std::get<GradientBoostingClassifier>(model).predict_proba(x, rows, cols);
  }
  std::copy(p.begin(), p.end(), out);
}

std::vector<double> feature_importances(const Model& model) {
  return std::visit([](const auto& m) { return m.feature_importances(); }, model);
}

void predict_frame(const Model& model, const DataFrame& frame, double* out, std::size_t n) {
  const auto* m = std::get_if<TabularPipeline>(&model);
  if (!m) {
    throw StateError(
        "this model has no feature plan (it was trained on a matrix): use "
        "claimlens_model_predict_proba");
  }
  if (n != frame.num_rows()) {
    throw InvalidArgument("n is " + std::to_string(n) + " but the frame has " +
                          std::to_string(frame.num_rows()) + " rows");
  }
  const std::vector<double> p = m->predict_proba(frame);
  std::copy(p.begin(), p.end(), out);
}

std::vector<double> coefficients(const Model& model) {
  const LogisticRegression* logit = std::get_if<LogisticRegression>(&model);
  if (const auto* p = std::get_if<TabularPipeline>(&model)) {
    logit = std::get_if<LogisticRegression>(&p->model());
  }
  if (!logit) throw StateError("coefficients exist only for logistic_regression models");
  std::vector<double> out{logit->intercept()};
  out.insert(out.end(), logit->coef().data(), logit->coef().data() + logit->coef().size());
  return out;
}

void save_model(const Model& model, const std::string& path) {
  std::visit([&](const auto& m) { io::save_model(m, path); }, model);
}

std::vector<std::uint8_t> save_model_buffer(const Model& model) {
  return std::visit([](const auto& m) { return io::save_model_buffer(m, io::ModelEncoding::Cbor); },
                    model);
}

Model model_from_envelope(const io::ModelEnvelope& envelope) {
  if (envelope.model_type == TabularPipeline::kModelType) {
    return io::detail::model_from_envelope<TabularPipeline>(envelope);
  }
  io::AnyModel any = io::model_from_envelope(envelope);
  return std::visit([](auto&& m) -> Model { return std::move(m); }, std::move(any));
}

}  // namespace claimlens::capi
