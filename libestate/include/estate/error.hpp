#pragma once
/// @file
/// The library's exception hierarchy. Every message names the file, table, row,
/// field or value involved and, where it can, says what the user can do about it.

#include <stdexcept>
#include <string>
#include <utility>

namespace estate {

/// Root of every exception libestate throws.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The request itself is wrong: a setting out of range, a name that is not one of a
/// list (a format, a rank, a built-in profile), an output that would destroy an input.
/// The command-line tool maps it to exit code 2. option() names the one setting at
/// fault as the command line spells it without dashes ("radius", "out"), when there
/// is one, so that each interface can point at its own control; the message itself
/// never names a flag.
class usage_error : public error {
public:
    using error::error;
    usage_error(std::string option, const std::string& message) : error(message), option_(std::move(option)) {}
    const std::string& option() const { return option_; }

private:
    std::string option_;
};

/// Something named is not there: no property with that id, UPRN or reference, no such
/// owner, run or duplicate group. The work failed (exit code 1), the request was sound.
class not_found_error : public error {
public:
    using error::error;
};

/// SQLite or SpatiaLite refused an operation on the register.
class database_error : public error {
public:
    using error::error;
};

/// GDAL/OGR could not open or read a source file.
class source_error : public error {
public:
    using error::error;
};

/// A mapping profile, manifest or other configuration file is malformed.
class config_error : public error {
public:
    using error::error;
};

/// PROJ could not build or run a coordinate transformation.
class crs_error : public error {
public:
    using error::error;
};

/// GEOS failed on a geometry operation (not the same as an invalid geometry, which
/// is bad data and is reported as a rejected row).
class geometry_error : public error {
public:
    using error::error;
};

/// An output could not be written (a report, an issues file, an export): exit code 1.
class output_error : public error {
public:
    using error::error;
};

/// A file given is not what it should be (not an estate register, a register of
/// another schema, a tags sheet without its columns): the work failed, exit code 1.
class file_error : public error {
public:
    using error::error;
};

/// A broken invariant: a bug in estate, never bad data (the data's problems are
/// warnings and rejections). Checked in release builds too: the operation stops, its
/// transaction rolls back, and the message asks for a report.
class internal_error : public error {
public:
    using error::error;
};
/// Throws internal_error saying @p what when @p holds is false.
inline void check_invariant(bool holds, const std::string& what) {
    if (!holds) throw internal_error("internal error (please report it): " + what);
}

/// The import was interrupted (Ctrl-C, SIGTERM); nothing was written.
class interrupted : public error {
public:
    using error::error;
};

} // namespace estate
