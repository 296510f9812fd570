// Python-compatible Unicode text helpers: UTF-8 validation, len(), str.lower() and the
// scikit-learn word tokenizer `(?u)\b\w\w+\b`, on UTF-8 std::string_view without std::regex.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace claimlens {

/// Python's len(text): the number of Unicode code points (not bytes).
/// Throws InvalidArgument naming the byte offset if `text` is not valid UTF-8.
std::size_t text_length(std::string_view text);

/// Python's text.lower() (full case mapping, final-sigma rule), UTF-8 in and out.
std::string to_lower(std::string_view text);

/// re.findall(r"(?u)\b\w\w+\b", text): runs of two or more word characters, where a word
/// character is what Python's re counts as \w (str.isalnum() or '_'). No lowercasing.
std::vector<std::string> word_tokens(std::string_view text);

/// scikit-learn's ENGLISH_STOP_WORDS (318 words), sorted.
const std::vector<std::string>& english_stop_words();

/// The Unicode version of the character tables (that of the Python that generated them).
const char* unicode_version();

}  // namespace claimlens
