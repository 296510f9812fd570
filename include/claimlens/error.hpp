// Exception types shared by every module. The C API (capi/) maps each one to a
// claimlens_status code; nothing else in the library catches them.
#pragma once

#include <stdexcept>
#include <string>

namespace claimlens {

/// Base of every error the library throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A function argument is out of its domain (empty input, mismatched sizes, NaN, bad parameter).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// A file or buffer could not be read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

/// Malformed text input (CSV, JSON parameters). The message names file, line and column.
class ParseError : public Error {
 public:
  using Error::Error;
};

/// A frame lacks a column, or a column has the wrong type for the operation.
class SchemaError : public Error {
 public:
  using Error::Error;
};

/// A model file or buffer is truncated, corrupted, from an unknown version or inconsistent.
class ModelFormatError : public Error {
 public:
  using Error::Error;
};

/// An operation was called in the wrong state (predict before fit, perfect separation, ...).
class StateError : public Error {
 public:
  using Error::Error;
};

}  // namespace claimlens
