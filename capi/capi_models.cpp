#include "capi_models.hpp"

#include <cmath>

#include "claimlens/error.hpp"
#include "claimlens/io/models.hpp"
#include "claimlens/regression/logistic_regression.hpp"

namespace claimlens::capi {

namespace {

using Json = nlohmann::json;

InvalidArgument bad_param(const std::string& key, const std::string& why) {
  return InvalidArgument("parameter \"" + key + "\": " + why);
}

// scikit-learn's LogisticRegression keys; the objective is solved to its true optimum.
LogisticRegressionOptions logistic_options(const Json& params) {
  LogisticRegressionOptions o;
  for (const auto& item : params.items()) {
    const std::string& key = item.key();
    const Json& v = item.value();
    if (key == "algorithm") continue;
    if (key == "C") {
      if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>())) {
        throw bad_param(key, "must be a positive finite number");
      }
      o.C = v.get<double>();
    } else if (key == "penalty") {
      const std::string p = v.is_string() ? v.get<std::string>() : v.is_null() ? "none" : "";
      if (p == "l2")
        o.penalty = Penalty::L2;
      else if (p == "none")
        o.penalty = Penalty::None;
      else
        throw bad_param(key, "must be \"l2\" or \"none\"");
    } else if (key == "fit_intercept") {
      if (!v.is_boolean()) throw bad_param(key, "must be true or false");
      o.fit_intercept = v.get<bool>();
    } else if (key == "class_weight") {
      if (v.is_null())
        o.class_weight = ClassWeight::None;
      else if (v == "balanced")
        o.class_weight = ClassWeight::Balanced;
      else
        throw bad_param(key, "must be null or \"balanced\"");
    } else if (key == "max_iter") {
      if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 100000) {
        throw bad_param(key, "must be an integer from 1 to 100000");
      }
      o.max_iter = v.get<int>();
    } else if (key == "tol") {
      if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>())) {
        throw bad_param(key, "must be a positive finite number");
      }
      o.tol = v.get<double>();
    } else if (key == "solver") {
      const std::string s = v.is_string() ? v.get<std::string>() : "";
      if (s == "auto")
        o.solver = LogisticSolver::Auto;
      else if (s == "newton")
        o.solver = LogisticSolver::Newton;
      else if (s == "lbfgs")
        o.solver = LogisticSolver::Lbfgs;
      else
        throw bad_param(key, "must be \"auto\", \"newton\" or \"lbfgs\"");
    } else {
      throw InvalidArgument("unknown parameter \"" + key + "\" for logistic_regression");
    }
  }
  return o;
}

LogisticModel train_logistic(const Json& params, const RowMatrix& X, const Vector& y) {
  LogisticRegression fitted(logistic_options(params));
  fitted.fit(X, y);
  LogisticModel m;
  m.params = params;
  m.coef.assign(fitted.coef().data(), fitted.coef().data() + fitted.coef().size());
  m.intercept = fitted.intercept();
  m.converged = fitted.converged();
  m.iterations = fitted.n_iter();
  return m;
}

Json without_algorithm(const Json& params) {
  Json copy = params;
  copy.erase("algorithm");
  return copy;
}

void check_shape(std::size_t rows, std::size_t cols, const char* name) {
  if (rows == 0 || cols == 0) throw InvalidArgument(std::string(name) + " has no rows or columns");
  if (rows > (std::size_t(1) << 40) / cols)
    throw InvalidArgument(std::string(name) + " is too large");
}

}  // namespace

double LogisticModel::predict_proba_row(const double* row) const {
  double z = intercept;
  for (std::size_t j = 0; j < coef.size(); ++j) z += coef[j] * row[j];
  return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

Json LogisticModel::to_json() const {
  return {{"params", params},
          {"coef", coef},
          {"intercept", intercept},
          {"converged", converged},
          {"iterations", iterations}};
}

LogisticModel LogisticModel::from_json(const Json& j) {
  if (!j.is_object()) throw ModelFormatError("logistic_regression: expected an object");
  LogisticModel m;
  try {
    m.params = j.at("params");
    m.coef = j.at("coef").get<std::vector<double>>();
    m.intercept = j.at("intercept").get<double>();
    m.converged = j.at("converged").get<bool>();
    m.iterations = j.at("iterations").get<int>();
  } catch (const Json::exception& e) {
    throw ModelFormatError(std::string("logistic_regression: ") + e.what());
  }
  if (m.coef.empty()) throw ModelFormatError("logistic_regression: no coefficients");
  for (double c : m.coef) {
    if (!std::isfinite(c)) throw ModelFormatError("logistic_regression: non-finite coefficient");
  }
  if (!std::isfinite(m.intercept))
    throw ModelFormatError("logistic_regression: non-finite intercept");
  return m;
}

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
    RandomForestClassifier model(RandomForestParams::from_json(without_algorithm(params)));
    model.fit(X, labels);
    return model;
  }
  if (algorithm == "gradient_boosting") {
    GradientBoostingClassifier model(GradientBoostingParams::from_json(without_algorithm(params)));
    model.fit(X, labels);
    return model;
  }
  if (algorithm == "logistic_regression") {
    return train_logistic(params, X, Eigen::Map<const Vector>(y, r));
  }
  throw InvalidArgument("parameter \"algorithm\": unknown algorithm \"" + algorithm + "\"");
}

std::size_t num_features(const Model& model) {
  if (const auto* m = std::get_if<LogisticModel>(&model)) return m->coef.size();
  if (const auto* m = std::get_if<TabularPipeline>(&model)) return m->num_features();
  if (const auto* m = std::get_if<RandomForestClassifier>(&model)) return m->n_features_in();
  return std::get<GradientBoostingClassifier>(model).n_features_in();
}

void predict_proba(const Model& model, const double* x, std::size_t rows, std::size_t cols,
                   double* out) {
  const std::size_t expected = num_features(model);
  if (cols != expected) {
    throw InvalidArgument("cols is " + std::to_string(cols) + " but the model has " +
                          std::to_string(expected) + " features");
  }
  if (rows == 0) return;
  if (const auto* m = std::get_if<TabularPipeline>(&model)) {
    if (!m->numeric_only()) {
      throw StateError(
          "this tabular pipeline encodes text or categorical columns, so it needs the raw "
          "columns: use claimlens_model_predict_frame");
    }
    const RowMatrix X = Eigen::Map<const RowMatrix>(x, static_cast<Eigen::Index>(rows),
                                                    static_cast<Eigen::Index>(cols));
    const std::vector<double> p = m->predict_proba(X);
    std::copy(p.begin(), p.end(), out);
    return;
  }
  if (const auto* m = std::get_if<LogisticModel>(&model)) {
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < cols; ++j) {
        if (!std::isfinite(x[i * cols + j])) {
          throw InvalidArgument("x has a missing or infinite value at row " + std::to_string(i) +
                                ", column " + std::to_string(j) +
                                " (logistic regression needs complete rows)");
        }
      }
    }
    for (std::size_t i = 0; i < rows; ++i) out[i] = m->predict_proba_row(x + i * cols);
    return;
  }
  const std::vector<double> p =
      std::holds_alternative<RandomForestClassifier>(model)
          ? std::get<RandomForestClassifier>(model).predict_proba(x, rows, cols)
          : std::get<GradientBoostingClassifier>(model).predict_proba(x, rows, cols);
  std::copy(p.begin(), p.end(), out);
}

std::vector<double> feature_importances(const Model& model) {
  if (const auto* m = std::get_if<LogisticModel>(&model)) {
    double total = 0;
    for (double c : m->coef) total += std::abs(c);
    std::vector<double> out(m->coef.size(), 0.0);
    for (std::size_t j = 0; j < out.size() && total > 0; ++j) out[j] = std::abs(m->coef[j]) / total;
    return out;
  }
  if (const auto* m = std::get_if<RandomForestClassifier>(&model)) return m->feature_importances();
  if (const auto* m = std::get_if<TabularPipeline>(&model)) return m->feature_importances();
  return std::get<GradientBoostingClassifier>(model).feature_importances();
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
  if (const auto* p = std::get_if<TabularPipeline>(&model)) {
    const auto* logit = std::get_if<LogisticRegression>(&p->model());
    if (!logit) throw StateError("coefficients exist only for logistic regression models");
    std::vector<double> out{logit->intercept()};
    out.insert(out.end(), logit->coef().data(), logit->coef().data() + logit->coef().size());
    return out;
  }
  const auto* m = std::get_if<LogisticModel>(&model);
  if (!m) throw StateError("coefficients exist only for logistic_regression models");
  std::vector<double> out{m->intercept};
  out.insert(out.end(), m->coef.begin(), m->coef.end());
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
  if (envelope.model_type == LogisticModel::kModelType) {
    return io::detail::model_from_envelope<LogisticModel>(envelope);
  }
  if (envelope.model_type == TabularPipeline::kModelType) {
    return io::detail::model_from_envelope<TabularPipeline>(envelope);
  }
  io::AnyModel any = io::model_from_envelope(envelope);
  return std::visit([](auto&& m) -> Model { return std::move(m); }, std::move(any));
}

}  // namespace claimlens::capi
