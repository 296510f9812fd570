// The stats module: descriptive statistics, correlation, hypothesis tests and IQR outliers.
#pragma once

#include "claimlens/stats/correlation.hpp"
#include "claimlens/stats/descriptive.hpp"
#include "claimlens/stats/frame.hpp"
#include "claimlens/stats/hypothesis.hpp"
#include "claimlens/stats/outliers.hpp"
