// All of claimlens' sklearn.metrics equivalents.
#pragma once

#include "claimlens/metrics/binary.hpp"
#include "claimlens/metrics/calibration.hpp"
#include "claimlens/metrics/classification.hpp"
#include "claimlens/metrics/ranking.hpp"
