#pragma once
// Private: everything an import writes to the register, inside the import's one
// transaction: the batch, owners, properties (insert / update / unchanged), the
// fields each update changed, and rejected rows.

#include "db/rtree_bulk.hpp"
#include "db/sqlite.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/model/normalise.hpp"
#include "estate/model/property.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace estate::importing {

/// A property's location and footprint as SpatiaLite BLOBs (empty = none), made by
/// the caller off the writing thread (geometry_blobs()).
struct GeometryBlobs {
    std::vector<unsigned char> point, footprint;
    geo::Envelope footprint_box{}; ///< the footprint's envelope, when there is one
};
/// Fills @p out (reusing its memory) with @p p's BLOBs.
void geometry_blobs(const model::Property& p, GeometryBlobs& out);

class RegisterWriter {
public:
    enum class Outcome { inserted, updated, unchanged };

    /// Until restore_index_triggers(), the rows written are checked against the
    /// register's CHECK constraints in C++ rather than by SQLite (see write()).
    explicit RegisterWriter(db::Connection& conn);

    /// Starts the batch row (counts filled in by finish_batch).
    std::int64_t begin_batch(const std::string& source, const std::string& layer, const std::string& profile,
                             const std::string& owner_override);
    /// The owner's id, created with @p sector when new. A known owner keeps its sector;
    /// a name merged into another owner gives that owner.
    std::int64_t owner_id(const std::string& name, const std::string& sector);
    /// Owners this import made, and names it found merged into another owner (name, owner).
    const std::vector<std::string>& created_owners() const { return created_owners_; }
    const std::vector<std::pair<std::string, std::string>>& merged_names() const { return merged_names_; }
    /// Inserts, updates or leaves the property (same owner + ref = same property, or a
    /// ref the property had before it was renumbered), in series @p series. A retired
    /// property listed again is reinstated. @p hash is content_hash(p, attributes_json)
    /// and @p blobs geometry_blobs(p), computed by the caller (on the checking thread).
    Outcome write(const model::Property& p, const std::string& hash, const GeometryBlobs& blobs, std::int64_t owner,
                  std::int64_t batch, const std::string& attributes_json, const std::string& series);
    /// The location the property @p owner holds under @p ref has now (or under a
    /// reference it had before), for a row that gives none: a location once found is
    /// not lost to a file that lacks what found it.
    struct KeptLocation {
        model::GridPoint point;
        std::string quality;
        std::optional<std::string> transform;
    };
    std::optional<KeptLocation> existing_location(std::int64_t owner, const std::string& ref);
    /// After the last row: properties the file listed under a new reference whose UPRN
    /// is that of exactly one current property of the same owner that the file did not
    /// list under its old one become that property (renumbered: the old reference kept
    /// as an alias, its RAG status and history kept). Returns how many; each was counted
    /// inserted by write() and is now an update.
    std::int64_t finish_renumbering(std::int64_t batch);
    /// New references whose UPRN matched several current properties of the owner: not
    /// guessed, reported (owner, new reference, UPRN).
    struct Ambiguous {
        std::string ref, uprn;
        std::int64_t matches;
    };
    const std::vector<Ambiguous>& ambiguous_renumbering() const { return ambiguous_; }
    /// What a complete import would retire: the current properties of @p series this
    /// import did not list (how many, and the first @p shown as "ref - name"), and how
    /// many of the series' properties are current now.
    struct Unlisted {
        std::int64_t count = 0, current = 0;
        std::vector<std::string> first;
    };
    Unlisted unlisted(const std::vector<std::string>& series, size_t shown);
    /// Retires them; returns how many.
    std::int64_t retire_unlisted(std::int64_t batch, const std::vector<std::string>& series);

    std::int64_t reinstated() const { return reinstated_; }
    /// Puts officers' latest corrections (estate set: use, floor area, value, running
    /// cost) back on the properties this batch wrote: a file's figures do not overwrite
    /// an officer's. (The stored content hash stays the file's, so the same file again
    /// is still unchanged.)
    void keep_corrections(std::int64_t batch);
    /// The id of the property the last write() inserted, updated or left unchanged.
    std::int64_t last_property_id() const { return last_id_; }
    void reject(std::int64_t batch, std::int64_t row, const std::string& reason, const std::string& field,
                const std::string& message, const std::string& original_json);
    /// Records a warning on a stored property (the row as read is in the data-issues report).
    void warn(std::int64_t batch, std::int64_t property, std::int64_t row, const model::Problem& problem);
    /// Removes a property's warnings from earlier imports: the row read again has only its own.
    void clear_warnings(std::int64_t property);
    struct Counts {
        std::int64_t read, inserted, updated, unchanged, rejected, postcode_located, unlocated, repaired,
            stored_with_warnings, warnings, retired, reinstated, re_referenced;
        bool complete;
        std::string series;
    };
    /// Records the counts and the source's checksum.
    void finish_batch(std::int64_t batch, const std::string& sha256, std::uint64_t bytes, const Counts& c);

    /// For the length of the import, lifts SpatiaLite's per-row spatial-index and
    /// timestamp triggers (each row would otherwise parse SQL in RTreeAlign and
    /// rewrite geometry_columns_time). Inside the import's transaction: a rollback
    /// restores them. restore_index_triggers() indexes the batch's rows in one
    /// sorted pass and puts the triggers back exactly as they were.
    void suspend_index_triggers();
    void restore_index_triggers(std::int64_t batch);
    /// True when the register held no properties before this import (known after
    /// suspend_index_triggers()).
    bool first_load() const { return first_load_; }

private:
    void fill_listed_now(); // temp.listed_now: the properties this import listed
    db::Connection& conn_;
    db::ScopedPragma sql_checks_; // SQLite's CHECK constraints off while rows are written
    std::vector<std::string> created_owners_;
    std::vector<std::pair<std::string, std::string>> merged_names_;
    db::Statement find_owner_, find_merged_owner_, insert_owner_, find_property_, insert_property_, update_property_,
        old_values_, insert_update_, insert_reject_, insert_warning_, clear_warnings_;
    std::int64_t last_id_ = 0;
    db::Statement find_alias_, find_by_uprn_, reinstate_, set_series_, find_location_;
    std::vector<std::int64_t> seen_; // every property this import listed
    struct Renumbering {
        std::int64_t new_id, old_id, owner;
    };
    std::vector<Renumbering> renumbering_;
    std::vector<Ambiguous> ambiguous_;
    std::int64_t reinstated_ = 0;
    std::unordered_map<std::string, std::int64_t> owners_;
    std::unordered_set<std::int64_t> owners_with_rows_; // before this import
    bool first_load_ = false;
    std::vector<std::string> suspended_triggers_; // their CREATE TRIGGER statements
    std::vector<std::string> suspended_indexes_;  // CREATE INDEX statements to run at the end (first load)
    // Index entries before the import, and rows this batch wrote with each geometry.
    std::int64_t indexed_points_ = 0, indexed_footprints_ = 0;
    // Index entries of the rows this batch wrote (id and box), for the index pass.
    std::vector<db::RtreeEntry> batch_points_, batch_footprints_;
    void remember_boxes(std::int64_t id, const model::Property& p, const GeometryBlobs& blobs);
};

/// A stable hash of every stored field of @p p and its attributes (hex), so a
/// re-import can tell unchanged rows without comparing field by field. Into @p out
/// (16 hex digits; its memory reused).
void content_hash(const model::Property& p, const std::string& attributes_json, std::string& out);

} // namespace estate::importing
