// The names of a small enum's values, in one table per enum: the name of a value, and the value
// of a name with one message for a name that is none of them ("ARG must be "a" or "b", not "c"").
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "claimlens/error.hpp"

namespace claimlens {

template <class Enum, std::size_t N>
struct EnumNames {
  std::array<std::pair<Enum, const char*>, N> entries;

  /// The value's name ("" for a value outside the table, which the enums here never have).
  const char* name(Enum value) const {
    for (const auto& [v, n] : entries) {
      if (v == value) return n;
    }
    return "";
  }

  /// The value named `name`; InvalidArgument naming `argument` and every accepted name otherwise.
  Enum parse(std::string_view name, const char* argument) const {
    for (const auto& [v, n] : entries) {
      if (name == n) return v;
    }
    std::string accepted;
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) accepted += i + 1 == N ? " or " : ", ";
      accepted += std::string("\"") + entries[i].second + "\"";
    }
    throw InvalidArgument(std::string(argument) + " must be " + accepted + ", not \"" +
                          std::string(name) + "\"");
  }
};

}  // namespace claimlens
