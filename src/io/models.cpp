// Run-time dispatch over the library's model types for model files.
#include "claimlens/io/models.hpp"

namespace claimlens::io {

const char* model_type_of(const AnyModel& model) {
  return std::visit([](const auto& m) { return ModelTraits<std::decay_t<decltype(m)>>::type_name; },
                    model);
}

AnyModel model_from_envelope(const ModelEnvelope& envelope) {
  if (envelope.model_type == ModelTraits<RandomForestClassifier>::type_name) {
    return detail::model_from_envelope<RandomForestClassifier>(envelope);
  }
  if (envelope.model_type == ModelTraits<GradientBoostingClassifier>::type_name) {
    return detail::model_from_envelope<GradientBoostingClassifier>(envelope);
  }
  if (envelope.model_type == ModelTraits<LogisticRegression>::type_name) {
    return detail::model_from_envelope<LogisticRegression>(envelope);
  }
  throw ModelFormatError("unknown model_type '" + envelope.model_type +
                         "' (this build reads random_forest, gradient_boosting and "
                         "logistic_regression)");
}

AnyModel load_any_model(const std::string& path, const ModelLimits& limits) {
  const ModelEnvelope envelope = read_model_file(path, limits);
  try {
    return model_from_envelope(envelope);
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("model file '" + path + "': " + e.what());
  }
}

AnyModel load_any_model_buffer(Span<const std::uint8_t> bytes, const ModelLimits& limits) {
  return model_from_envelope(decode_model(bytes, limits));
}

void save_any_model(const AnyModel& model, const std::string& path) {
  std::visit([&](const auto& m) { save_model(m, path); }, model);
}

std::vector<std::uint8_t> save_any_model_buffer(const AnyModel& model, ModelEncoding encoding) {
  return std::visit([&](const auto& m) { return save_model_buffer(m, encoding); }, model);
}

std::size_t n_features_in(const AnyModel& model) {
  return std::visit([](const auto& m) { return m.n_features_in(); }, model);
}

std::vector<double> predict_proba(const AnyModel& model, const RowMatrix& X) {
  const std::size_t expected = n_features_in(model);
  if (static_cast<std::size_t>(X.cols()) != expected) {
    throw InvalidArgument("predict_proba: X has " + std::to_string(X.cols()) + " columns but the " +
                          model_type_of(model) + " model was fitted on " +
                          std::to_string(expected) + " features");
  }
  if (const auto* logit = std::get_if<LogisticRegression>(&model)) {
    return logit->positive_proba(X);
  }
  if (const auto* forest = std::get_if<RandomForestClassifier>(&model)) {
    return forest->predict_proba(X);
  }
  return std::get<GradientBoostingClassifier>(model).predict_proba(X);
}

}  // namespace claimlens::io
