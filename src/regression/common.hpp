// Helpers shared by the regression sources: input validation and statsmodels-like number layout.
#pragma once

#include <string>
#include <vector>

#include "claimlens/matrix.hpp"

namespace claimlens::regression_detail {

/// InvalidArgument unless X has rows and columns and holds only finite values (names row/column).
void check_matrix(const RowMatrix& X, const char* what);
/// InvalidArgument unless v is finite and has `rows` entries.
void check_vector(const Vector& v, Eigen::Index rows, const char* what);
/// InvalidArgument unless every y is exactly 0 or 1 and both classes occur.
void check_binary(const Vector& y);
/// Parameter names: "const" (if added) then the given names or x1..xk.
std::vector<std::string> parameter_names(const std::vector<std::string>& names,
                                         Eigen::Index columns, bool add_constant);
/// X with a leading column of ones if add_constant.
RowMatrix with_constant(const RowMatrix& X, bool add_constant);

// Locale-independent replacements for printf's %f / %g / %#g (to_chars based).
std::string format_fixed(double x, int precision);
std::string format_general(double x, int precision, bool keep_zeros);
std::string pad_left(const std::string& s, size_t width);
std::string pad_right(const std::string& s, size_t width);
/// statsmodels' forg(): %9.3g/%9.3f (prec 3) or %10.4g/%10.4f (prec 4).
std::string forg(double x, int prec);

/// The two-column header block of a statsmodels summary (left/right label-value pairs).
struct SummaryPair {
  std::string label, value;
};
std::string summary_header(const std::string& title, const std::vector<SummaryPair>& left,
                           const std::vector<SummaryPair>& right);
/// The parameter table ("coef std err z P>|z| [0.025 0.975]").
std::string summary_params(const std::vector<std::string>& names, const Vector& params,
                           const Vector& bse, const Vector& stat, const Vector& pvalues,
                           const Vector& low, const Vector& high, const char* stat_name,
                           const char* p_name, bool closing_rule);

}  // namespace claimlens::regression_detail
