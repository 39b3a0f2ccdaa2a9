#pragma once
/// @file
/// The register: one SpatiaLite file (EPSG:27700) holding owners, properties, import
/// batches and rejected rows. This header opens, creates and migrates it; what is
/// read from it lives in db/queries.hpp and what is written by an import in
/// importing/importer.hpp.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace estate::db {

class Connection; // private (libestate/src/db/sqlite.hpp)

/// The schema version this build of estate creates and understands.
constexpr int current_schema_version = 12;

/// The checksum of a register's file as it stands on disk.
struct RegisterDigest {
    std::string sha256;
    std::uint64_t bytes = 0;
};

/// An open register. Move-only; closes the file when destroyed.
class Register {
public:
    /// Creates a new, empty register at @p path. Fails if a non-empty file is there.
    static Register create(const std::string& path);
    /// Opens an existing register. Fails with a message naming `estate migrate` when
    /// the file is of an older schema, and refuses a newer one.
    static Register open(const std::string& path, bool read_only = false);

    Register(Register&&) noexcept;
    Register& operator=(Register&&) noexcept;
    ~Register();

    const std::string& path() const;
    /// The schema version recorded in the file.
    int schema_version() const;

    /// What the register says of itself, kept in it (register_meta): "area" (the county
    /// or borough it covers, named in titles) and "partnership" (who keeps it).
    /// nullopt when never set.
    std::optional<std::string> description(const std::string& key);
    /// Sets one of them; an empty @p value clears it. Throws usage_error for another key.
    void describe(const std::string& key, const std::string& value);

    /// SHA-256 of the file (for a report's provenance), read through the register's own
    /// connection: this process never opens the file a second time while it is open.
    RegisterDigest file_digest();

    /// The connection, for libestate's own modules (the type is private).
    Connection& connection();

private:
    explicit Register(std::unique_ptr<Connection> conn);
    std::unique_ptr<Connection> conn_;
};

/// Brings the register at @p path up to current_schema_version in one transaction.
/// Returns the version it was at (equal to current when nothing was to do).
int migrate(const std::string& path);

} // namespace estate::db
