#include "db/schema.hpp"

#include "db/sqlite.hpp"
#include "estate/model/property.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace estate::db {
namespace {

// "(col IS NULL OR col = 'a' OR col = 'b')" from a vocabulary, so the database
// refuses any code the library does not know, whichever tool writes the row.
// Written as OR terms, not IN (...): SQLite builds a temporary b-tree for a
// constant IN list on every execution of an INSERT, which tripled the cost of
// each inserted row.
std::string one_of(const std::string& column, const std::vector<std::string_view>& codes, bool nullable) {
    std::string check = nullable ? column + " IS NULL" : "";
    for (const auto& code : codes) {
        if (!check.empty()) check += " OR ";
        check += column + " = '" + std::string(code) + "'";
    }
    return "(" + check + ")";
}

std::string in_list(const std::string& column, const model::Vocabulary& v, bool nullable) {
    std::vector<std::string_view> codes;
    for (const auto& [code, label] : v.entries) codes.push_back(code);
    return one_of(column, codes, nullable);
}

void schema_v1(Connection& c) {
    // Only the two reference systems the register uses: loading every EPSG code
    // takes seconds and megabytes for nothing.
    c.exec("SELECT InitSpatialMetaData('NONE')");
    c.exec("SELECT InsertEpsgSrid(27700)");
    c.exec("SELECT InsertEpsgSrid(4326)");
    c.exec(R"sql(
CREATE TABLE register_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE owners (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    sector     TEXT NOT NULL CHECK )sql" +
           in_list("sector", model::sectors(), false) + R"sql(,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE import_batches (
    id                  INTEGER PRIMARY KEY,
    source_path         TEXT NOT NULL,
    source_layer        TEXT,
    source_sha256       TEXT NOT NULL,
    source_bytes        INTEGER NOT NULL,
    profile             TEXT NOT NULL,
    owner_override      TEXT,
    started_at          TEXT NOT NULL,
    finished_at         TEXT,
    rows_read           INTEGER NOT NULL DEFAULT 0,
    inserted            INTEGER NOT NULL DEFAULT 0,
    updated             INTEGER NOT NULL DEFAULT 0,
    unchanged           INTEGER NOT NULL DEFAULT 0,
    rejected            INTEGER NOT NULL DEFAULT 0,
    postcode_located    INTEGER NOT NULL DEFAULT 0,
    unlocated           INTEGER NOT NULL DEFAULT 0,
    footprints_repaired INTEGER NOT NULL DEFAULT 0,
    -- Nothing lost: every row read is stored (inserted, updated, unchanged) or rejected.
    CHECK (rows_read = inserted + updated + unchanged + rejected)
);
CREATE TABLE properties (
    id                 INTEGER PRIMARY KEY,
    owner_id           INTEGER NOT NULL REFERENCES owners(id),
    ref                TEXT NOT NULL,
    uprn               TEXT CHECK (uprn IS NULL OR (length(uprn) BETWEEN 1 AND 12
                                                    AND uprn NOT GLOB '*[^0-9]*')),
    name               TEXT,
    address            TEXT,
    postcode           TEXT,
    holding_type       TEXT CHECK )sql" +
           in_list("holding_type", model::holding_types(), true) + R"sql(,
    tenure             TEXT CHECK )sql" +
           in_list("tenure", model::tenures(), true) + R"sql(,
    tenure_detail      TEXT,
    use                TEXT NOT NULL DEFAULT 'other' CHECK )sql" +
           in_list("use", model::uses(), false) + R"sql(,
    use_detail         TEXT,
    gia_m2             REAL CHECK (gia_m2 IS NULL OR gia_m2 >= 0),
    land_area_ha       REAL CHECK (land_area_ha IS NULL OR land_area_ha >= 0),
    market_value       REAL CHECK (market_value IS NULL OR market_value >= 0),
    running_cost       REAL CHECK (running_cost IS NULL OR running_cost >= 0),
    occupancy          TEXT CHECK )sql" +
           in_list("occupancy", model::occupancies(), true) + R"sql(,
    utilisation        REAL CHECK (utilisation IS NULL OR utilisation BETWEEN 0 AND 1),
    condition          TEXT CHECK )sql" +
           in_list("condition", model::conditions(), true) + R"sql(,
    energy_rating      TEXT,
    effective_date     TEXT,
    location_quality   TEXT NOT NULL CHECK )sql" +
           in_list("location_quality", model::location_qualities(), false) + R"sql(,
    footprint_repaired INTEGER NOT NULL DEFAULT 0 CHECK (footprint_repaired = 0 OR footprint_repaired = 1),
    source_attributes  TEXT, -- JSON object: source columns with no field of their own
    batch_id           INTEGER NOT NULL REFERENCES import_batches(id),
    content_hash       TEXT NOT NULL,
    UNIQUE (owner_id, ref)
);
-- Covers the shared-site check (one UPRN, several owners) without reading the table.
CREATE INDEX properties_uprn ON properties(uprn, owner_id) WHERE uprn IS NOT NULL;
CREATE INDEX properties_batch ON properties(batch_id);
CREATE TABLE rejected_rows (
    id         INTEGER PRIMARY KEY,
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id),
    source_row INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    field      TEXT,
    message    TEXT NOT NULL,
    original   TEXT NOT NULL -- JSON object of the row as read
);
CREATE INDEX rejected_rows_batch ON rejected_rows(batch_id);
CREATE TABLE property_updates (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES import_batches(id),
    property_id INTEGER NOT NULL REFERENCES properties(id),
    fields      TEXT NOT NULL -- comma-separated names of the fields the batch changed
);
)sql");
    c.exec("SELECT AddGeometryColumn('properties', 'geom', 27700, 'POINT', 'XY')");
    c.exec("SELECT AddGeometryColumn('properties', 'footprint', 27700, 'MULTIPOLYGON', 'XY')");
    c.exec("SELECT CreateSpatialIndex('properties', 'geom')");
    c.exec("SELECT CreateSpatialIndex('properties', 'footprint')");
}

// SQLite cannot ALTER a CHECK constraint. Widening one changes nothing stored, which is
// the case SQLite's documentation allows to edit in place (ALTER TABLE, section 7): the
// table's SQL has @p before replaced by @p after, and the schema version is stepped so
// every connection rereads it. Nothing happens when the SQL already says @p after.
void widen_check(Connection& c, const std::string& table, const std::string& before, const std::string& after) {
    auto st = c.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?");
    st.bind(1, table);
    if (!st.step() || st.text(0).find(after) != std::string::npos) return;
    st.reset();
    const std::int64_t version = c.scalar_int("PRAGMA schema_version").value_or(0);
    c.exec("PRAGMA writable_schema = ON");
    auto edit = c.prepare("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?");
    edit.bind(1, before).bind(2, after).bind(3, table);
    edit.step();
    c.exec("PRAGMA schema_version = " + std::to_string(version + 1));
    c.exec("PRAGMA writable_schema = OFF");
}

// Version 2: the RAG disposal status, its append-only history, and the officers who
// set it. Everything that guards the status lives in the database (triggers), so a
// change made in QGIS or a sqlite3 shell is checked and recorded like one made by
// estate.
void schema_v2(Connection& c) {
    c.exec(R"sql(
ALTER TABLE properties ADD COLUMN rag_status TEXT NOT NULL DEFAULT 'unassessed'
    CHECK (rag_status = 'red' OR rag_status = 'amber' OR rag_status = 'green' OR rag_status = 'unassessed');
ALTER TABLE properties ADD COLUMN rag_reason TEXT;
ALTER TABLE properties ADD COLUMN rag_set_by TEXT;
ALTER TABLE properties ADD COLUMN rag_set_at TEXT;
ALTER TABLE properties ADD COLUMN rag_source TEXT CHECK (rag_source IS NULL OR rag_source = 'person' OR rag_source = 'rule');
ALTER TABLE properties ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX properties_rag ON properties(rag_status);

CREATE TABLE officers (
    name      TEXT PRIMARY KEY COLLATE NOCASE,
    owner_id  INTEGER NOT NULL REFERENCES owners(id), -- the agency they act for
    partnership_wide INTEGER NOT NULL DEFAULT 0 CHECK (partnership_wide = 0 OR partnership_wide = 1),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE rag_history (
    id          INTEGER PRIMARY KEY,
    property_id INTEGER NOT NULL REFERENCES properties(id),
    old_status  TEXT NOT NULL,
    new_status  TEXT NOT NULL,
    reason      TEXT,
    changed_by  TEXT NOT NULL,
    source      TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    version     INTEGER NOT NULL -- the property's version after the change
);
CREATE INDEX rag_history_property ON rag_history(property_id);

-- A status other than unassessed needs a reason, whoever writes it.
CREATE TRIGGER rag_reason_required_insert BEFORE INSERT ON properties
WHEN NEW.rag_status <> 'unassessed' AND (NEW.rag_reason IS NULL OR trim(NEW.rag_reason) = '')
BEGIN SELECT RAISE(ABORT, 'a RAG status of red, amber or green needs a reason'); END;
CREATE TRIGGER rag_reason_required_update BEFORE UPDATE OF rag_status, rag_reason ON properties
WHEN NEW.rag_status <> 'unassessed' AND (NEW.rag_reason IS NULL OR trim(NEW.rag_reason) = '')
BEGIN SELECT RAISE(ABORT, 'a RAG status of red, amber or green needs a reason'); END;

-- Every change of status or reason is appended to the history and advances the
-- version. A client that says who it is (estate does) advances the version by one
-- in the same UPDATE and sets rag_set_by / rag_set_at; a change from any other
-- client (a QGIS edit, a shell) is recorded as an unidentified direct edit, now.
CREATE TRIGGER rag_history_record AFTER UPDATE OF rag_status, rag_reason ON properties
WHEN OLD.rag_status IS NOT NEW.rag_status OR OLD.rag_reason IS NOT NEW.rag_reason
BEGIN
    UPDATE properties SET
        version = OLD.version + 1,
        rag_set_by = CASE WHEN NEW.version = OLD.version + 1 AND NEW.rag_set_by IS NOT NULL
                          THEN NEW.rag_set_by ELSE 'unidentified direct edit' END,
        rag_set_at = CASE WHEN NEW.version = OLD.version + 1 AND NEW.rag_set_at IS NOT NULL
                          THEN NEW.rag_set_at ELSE strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END,
        rag_source = CASE WHEN NEW.version = OLD.version + 1 AND NEW.rag_source IS NOT NULL
                          THEN NEW.rag_source ELSE 'person' END
    WHERE id = NEW.id;
    INSERT INTO rag_history(property_id, old_status, new_status, reason, changed_by, source, changed_at, version)
    SELECT id, OLD.rag_status, rag_status, rag_reason, rag_set_by, rag_source, rag_set_at, version
    FROM properties WHERE id = NEW.id;
END;

-- The history is append-only.
CREATE TRIGGER rag_history_no_update BEFORE UPDATE ON rag_history
BEGIN SELECT RAISE(ABORT, 'RAG history cannot be changed: it is the audit trail'); END;
CREATE TRIGGER rag_history_no_delete BEFORE DELETE ON rag_history
BEGIN SELECT RAISE(ABORT, 'RAG history cannot be deleted: it is the audit trail'); END;
)sql");
}

// Version 3: co-location analysis runs (clusters, hubs) kept with their parameters
// and members, so that a board paper can cite "run 12".
void schema_v3(Connection& c) {
    c.exec(R"sql(
CREATE TABLE analysis_runs (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind = 'clusters' OR kind = 'hubs'),
    parameters         TEXT NOT NULL, -- JSON: radius_m, min_agencies, exclude_red, owners, ...
    created_at         TEXT NOT NULL,
    sites_considered   INTEGER NOT NULL,
    unlocated_left_out INTEGER NOT NULL,
    groups_listed      INTEGER NOT NULL
);
CREATE TABLE analysis_members (
    run_id      INTEGER NOT NULL,
    group_no    INTEGER NOT NULL, -- cluster or hub number within the run, from 1
    property_id INTEGER NOT NULL, -- properties.id; no REFERENCES: a run is a snapshot, and
                                  -- checking 100,000s of members one by one made storing it slow
    role        TEXT NOT NULL CHECK (role = 'member' OR role = 'host'),
    distance_m  REAL,             -- to the hub's host, for hubs
    PRIMARY KEY (run_id, property_id)
);
)sql");
}

// Version 4: what each hub of a run adds up to (and why), so that exports and the
// board report show a run as it was proposed without working it out again.
void schema_v4(Connection& c) {
    c.exec(R"sql(
CREATE TABLE analysis_groups (
    run_id             INTEGER NOT NULL,
    group_no           INTEGER NOT NULL,
    agencies           INTEGER NOT NULL,
    members            INTEGER NOT NULL, -- properties in the group, host included
    host_fits          INTEGER CHECK (host_fits IS NULL OR host_fits = 0 OR host_fits = 1), -- hubs only
    need_m2            REAL,
    host_spare_m2      REAL,
    value_released     REAL,
    running_cost_saved REAL,
    score              REAL,
    explanation        TEXT,
    PRIMARY KEY (run_id, group_no)
);
)sql");
}

// Version 5: files as agencies publish them, coordinates by OSTN15, yearly returns. A row with a bad or unknown value
// is stored with a warning instead of being rejected: the warnings, the holding type's own words, and a UPRN stored as
// its number (leading zeros dropped: "000012345" and "12345" are one UPRN).
void schema_v5(Connection& c) {
    c.exec(R"sql(
ALTER TABLE properties ADD COLUMN holding_type_detail TEXT; -- the source's words for the holding type
-- Where the use came from: a use-like column, a guess from the name, an officer.
ALTER TABLE properties ADD COLUMN use_source TEXT
    CHECK (use_source IS NULL OR use_source = 'source' OR use_source = 'name' OR use_source = 'officer');
-- How the source's coordinates reached the grid: OSTN15 (to the millimetre), Helmert
-- (outside OSTN15's grid, about 5 m), PROJ (another CRS); NULL when no transformation.
ALTER TABLE properties ADD COLUMN location_transform TEXT
    CHECK (location_transform IS NULL OR location_transform = 'OSTN15' OR location_transform = 'Helmert'
           OR location_transform = 'PROJ');
CREATE TABLE property_warnings (
    id          INTEGER PRIMARY KEY,
    property_id INTEGER NOT NULL REFERENCES properties(id) ON DELETE CASCADE,
    batch_id    INTEGER NOT NULL REFERENCES import_batches(id),
    source_row  INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    field       TEXT,
    value       TEXT,          -- the source's text that was wrong
    message     TEXT NOT NULL
);
CREATE INDEX property_warnings_property ON property_warnings(property_id);
CREATE INDEX property_warnings_batch ON property_warnings(batch_id);
ALTER TABLE import_batches ADD COLUMN stored_with_warnings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
-- Yearly returns: imports of one source form a series; a complete import retires the
-- series' properties it no longer lists (kept, never deleted) and reinstates any that
-- come back; a row with a new reference but the UPRN of exactly one current property
-- of its owner renumbers that property (its old reference kept as an alias).
ALTER TABLE import_batches ADD COLUMN series TEXT;
ALTER TABLE import_batches ADD COLUMN complete INTEGER NOT NULL DEFAULT 0 CHECK (complete = 0 OR complete = 1);
ALTER TABLE import_batches ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN reinstated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN re_referenced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE properties ADD COLUMN series TEXT;       -- the series that last listed it
ALTER TABLE properties ADD COLUMN retired_at TEXT;   -- when a complete import of its series left it out
ALTER TABLE properties ADD COLUMN retired_batch INTEGER REFERENCES import_batches(id);
CREATE INDEX properties_series ON properties(series) WHERE retired_at IS NULL;
-- Officers' corrections of a property's facts (estate set), append-only like the RAG
-- history; an import keeps them over what its file says.
CREATE TABLE property_corrections (
    id          INTEGER PRIMARY KEY,
    property_id INTEGER NOT NULL REFERENCES properties(id),
    field       TEXT NOT NULL CHECK (field = 'use' OR field = 'gia_m2' OR field = 'market_value'
                                     OR field = 'running_cost'),
    old_value   TEXT,
    new_value   TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (trim(reason) <> ''),
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX property_corrections_property ON property_corrections(property_id);
CREATE TRIGGER property_corrections_no_update BEFORE UPDATE ON property_corrections
BEGIN SELECT RAISE(ABORT, 'corrections cannot be changed: they are the audit trail'); END;
CREATE TRIGGER property_corrections_no_delete BEFORE DELETE ON property_corrections
BEGIN SELECT RAISE(ABORT, 'corrections cannot be deleted: they are the audit trail'); END;
-- One building in several records (estate duplicates): groups found by their evidence,
-- confirmed or rejected by officers; hubs and receipts count a group that counts once
-- (confirmed, or proposed with one owner) as its main record.
CREATE TABLE duplicate_groups (
    id           INTEGER PRIMARY KEY,
    members_key  TEXT NOT NULL UNIQUE, -- the members' ids, sorted, comma-separated
    evidence     TEXT NOT NULL,        -- same_uprn, same_name, same_postcode, name_within
    status       TEXT NOT NULL CHECK (status = 'proposed' OR status = 'confirmed' OR status = 'rejected'),
    counted_once INTEGER NOT NULL CHECK (counted_once = 0 OR counted_once = 1),
    main_id      INTEGER NOT NULL,     -- the most complete record: the one analyses use
    decided_by   TEXT,
    decided_at   TEXT
);
CREATE TABLE duplicate_members (
    group_id    INTEGER NOT NULL REFERENCES duplicate_groups(id) ON DELETE CASCADE,
    property_id INTEGER NOT NULL REFERENCES properties(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, property_id)
);
CREATE INDEX duplicate_members_property ON duplicate_members(property_id);
CREATE TABLE property_aliases (
    owner_id    INTEGER NOT NULL REFERENCES owners(id),
    ref         TEXT NOT NULL,       -- a reference the property had before it was renumbered
    property_id INTEGER NOT NULL REFERENCES properties(id) ON DELETE CASCADE,
    batch_id    INTEGER NOT NULL REFERENCES import_batches(id), -- the import that renumbered it
    PRIMARY KEY (owner_id, ref)
);
UPDATE properties SET uprn = CASE WHEN ltrim(uprn, '0') = '' THEN '0' ELSE ltrim(uprn, '0') END
WHERE uprn LIKE '0%';
)sql");
    // The use 'unknown' joins the use CHECK of a register made before it (a register
    // made now already has it: schema_v1 lists every use).
    widen_check(c, "properties", "OR use = 'other')", "OR use = 'other' OR use = 'unknown')");
}

// Version 6: hub proposals a planner would act on. A hub's fit has three answers
// (host_fits stays NULL when it is unknown), its money is net of costs, and a hub not
// worth it on these figures is kept apart from the proposed ones.
void schema_v6(Connection& c) {
    c.exec(R"sql(
ALTER TABLE analysis_groups ADD COLUMN fit TEXT
    CHECK (fit IS NULL OR fit = 'fits' OR fit = 'too_small' OR fit = 'unknown');
ALTER TABLE analysis_groups ADD COLUMN shortfall_m2 REAL;          -- need less spare, when too small
ALTER TABLE analysis_groups ADD COLUMN running_cost_recorded REAL; -- a year, members with one recorded
ALTER TABLE analysis_groups ADD COLUMN running_costs_recorded INTEGER; -- how many members have one
ALTER TABLE analysis_groups ADD COLUMN moving_costs REAL;          -- moving and fit-out, pounds
ALTER TABLE analysis_groups ADD COLUMN extension_cost REAL;        -- NULL when the fit is unknown
ALTER TABLE analysis_groups ADD COLUMN net_benefit REAL;           -- present value, pounds
ALTER TABLE analysis_groups ADD COLUMN proposed INTEGER CHECK (proposed IS NULL OR proposed IN (0, 1));
ALTER TABLE analysis_groups ADD COLUMN verdict TEXT;
)sql");
}

// Version 7: each board paper keeps its headline figures, and each counted property's
// part in them, so that the next paper says what changed and why.
void schema_v7(Connection& c) {
    c.exec(R"sql(
CREATE TABLE estimates (
    id               INTEGER PRIMARY KEY,
    made_at          TEXT NOT NULL,            -- ISO 8601, UTC
    scenario         TEXT NOT NULL,            -- "scenario default v3"
    scenario_sha256  TEXT NOT NULL,
    hub_run          INTEGER,                  -- receipts counted only what this hub run releases
    runs             INTEGER NOT NULL,
    seed             INTEGER NOT NULL,
    counted          INTEGER NOT NULL,
    net_pv           REAL NOT NULL,            -- central case, present value
    net_pv_p10       REAL,                     -- NULL with no simulation
    net_pv_p90       REAL,
    values_recorded  INTEGER NOT NULL,
    values_estimated INTEGER NOT NULL,
    values_none      INTEGER NOT NULL,
    by_officer       INTEGER NOT NULL,
    by_rules         INTEGER NOT NULL
);
CREATE TABLE estimate_properties (
    estimate_id  INTEGER NOT NULL REFERENCES estimates(id) ON DELETE CASCADE,
    property_id  INTEGER NOT NULL,
    status       TEXT NOT NULL,
    value_basis  TEXT NOT NULL CHECK (value_basis IN ('recorded', 'estimated', 'none', 'not_sellable')),
    net_pv       REAL NOT NULL,
    PRIMARY KEY (estimate_id, property_id)
) WITHOUT ROWID;
)sql");
}

// Version 8: a history no client can shape. Every change of status - an UPDATE, an
// INSERT (or INSERT OR REPLACE) of a property - leaves exactly one history row, written
// by these triggers alone, at the register's own time; a direct INSERT into rag_history
// is refused (only a row the triggers open a gate for, describing the property as it
// now stands, gets in). restore_history_guards() puts them back when they are missing.
void schema_v8(Connection& c) {
    c.exec("DROP TRIGGER IF EXISTS rag_history_record");
    c.exec("DROP TRIGGER IF EXISTS rag_reason_required_insert");
    c.exec("DROP TRIGGER IF EXISTS rag_reason_required_update");
    c.exec(history_guards_sql());
}

// Version 9: officers' passwords for the web app, as Argon2id hashes (officers/passwords.cpp);
// NULL: the officer cannot log in to it (the command line is unchanged).
void schema_v9(Connection& c) {
    c.exec("ALTER TABLE officers ADD COLUMN password_hash TEXT");
    c.exec("ALTER TABLE officers ADD COLUMN password_set_at TEXT");
}

// Version 10: a status set in the web app (estate serve) says so in the history
// ("web"), beside "person" (the command line, QGIS, a shell) and "rule".
void schema_v10(Connection& c) {
    widen_check(c, "properties", "rag_source = 'person' OR rag_source = 'rule')",
                "rag_source = 'person' OR rag_source = 'rule' OR rag_source = 'web')");
}

// Version 11: the history is a chain anyone can check (estate verify): each row carries
// a seal, the MD5 of the seal of the row before it and of its own fields (the property's
// status as it left it), written by the triggers. Rows already there are sealed in
// order now. The web app's sessions are recorded, so that a history row that says
// "web" can be matched with a login of its officer; officers can be removed.
void schema_v11(Connection& c) {
    c.exec("ALTER TABLE rag_history ADD COLUMN seal TEXT");
    for (const char* t :
         {"rag_history_record", "rag_history_record_insert", "rag_history_only_by_register", "rag_history_no_update"})
        c.exec(std::string("DROP TRIGGER IF EXISTS ") + t);
    auto rows = c.prepare("SELECT id FROM rag_history ORDER BY id");
    auto seal = c.prepare("UPDATE rag_history SET seal = " +
                          history_seal_sql("(SELECT p.seal FROM rag_history p WHERE p.id < rag_history.id "
                                           "ORDER BY p.id DESC LIMIT 1)",
                                           "rag_history") +
                          " WHERE id = ?");
    while (rows.step()) seal.bind(1, rows.int64(0)).run();
    c.exec(R"sql(
CREATE TABLE web_sessions (
    id         INTEGER PRIMARY KEY,
    officer    TEXT NOT NULL COLLATE NOCASE,
    opened_at  TEXT NOT NULL,   -- the login
    expires_at TEXT NOT NULL,   -- the absolute expiry it was given
    closed_at  TEXT             -- logged out (NULL: it ran to its expiry, or the server stopped)
);
CREATE INDEX web_sessions_officer ON web_sessions(officer, opened_at);
-- An officer removed keeps their name in the history; they can no longer tag or log in.
ALTER TABLE officers ADD COLUMN removed_at TEXT;
ALTER TABLE officers ADD COLUMN removed_by TEXT;
INSERT INTO register_meta(key, value) VALUES ('web_sessions_recorded_since', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
)sql");
    c.exec(history_guards_sql());
}

// The register keeps what places and names its properties between imports: a postcode
// lookup loaded once (estate postcodes load), used by every later import; and the names
// an owner was merged from (estate owners merge), so later files under the old name
// land on the owner they were merged into.
void schema_v12(Connection& c) {
    // The series index cost every first import a scan and sort of the whole table (1.5 s
    // of 11 at a million rows, its keys 40-80 bytes of text) for queries that only a
    // --complete import makes, once per series: they scan instead (0.4 s at 1M).
    c.exec("DROP INDEX IF EXISTS properties_series");
    c.exec(R"sql(
CREATE TABLE postcodes (
    postcode TEXT PRIMARY KEY,   -- compact upper case: 'WA141PF'
    easting  REAL NOT NULL,      -- the centroid, EPSG:27700
    northing REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE owner_aliases (
    alias      TEXT PRIMARY KEY COLLATE NOCASE, -- a name the owner was merged from
    owner_id   INTEGER NOT NULL REFERENCES owners(id),
    merged_at  TEXT NOT NULL,
    merged_by  TEXT NOT NULL,
    properties INTEGER NOT NULL  -- how many properties the merge moved
);
)sql");
}

} // namespace

std::string history_seal_sql(const std::string& previous_seal, const std::string& row) {
    // quote() tells NULL from '' and a number from text; the commas cannot be confused
    // with a quoted text's own.
    auto field = [&](const char* name) { return "quote(" + row + "." + name + ")"; };
    return "MD5Checksum(CAST(ifnull(" + previous_seal + ", '') || ',' || " + field("property_id") + " || ',' || " +
           field("old_status") + " || ',' || " + field("new_status") + " || ',' || " + field("reason") + " || ',' || " +
           field("changed_by") + " || ',' || " + field("source") + " || ',' || " + field("changed_at") + " || ',' || " +
           field("version") + " AS BLOB))";
}

std::string history_guards_sql() {
    // The seal of a row about to be written: the newest row's seal chained with its fields.
    static const std::string newest_seal = "(SELECT seal FROM rag_history ORDER BY id DESC LIMIT 1)";
    std::string sql = R"sql(
CREATE TABLE IF NOT EXISTS rag_history_gate (property_id INTEGER NOT NULL, version INTEGER NOT NULL);
-- A status other than unassessed needs a reason, whoever writes it. ROLLBACK, not
-- ABORT: the refused change ends the client's transaction too, so that a client which
-- goes on in a savepoint it never released (QGIS 3.22's SpatiaLite provider, after a
-- refused save) starts afresh and its corrected save is really written.
CREATE TRIGGER IF NOT EXISTS rag_reason_required_insert BEFORE INSERT ON properties
WHEN NEW.rag_status <> 'unassessed' AND (NEW.rag_reason IS NULL OR trim(NEW.rag_reason) = '')
BEGIN SELECT RAISE(ROLLBACK, 'a RAG status of red, amber or green needs a reason'); END;
CREATE TRIGGER IF NOT EXISTS rag_reason_required_update BEFORE UPDATE OF rag_status, rag_reason ON properties
WHEN NEW.rag_status <> 'unassessed' AND (NEW.rag_reason IS NULL OR trim(NEW.rag_reason) = '')
BEGIN SELECT RAISE(ROLLBACK, 'a RAG status of red, amber or green needs a reason'); END;
CREATE TRIGGER IF NOT EXISTS rag_history_record AFTER UPDATE OF rag_status, rag_reason ON properties
WHEN OLD.rag_status IS NOT NEW.rag_status OR OLD.rag_reason IS NOT NEW.rag_reason
BEGIN
    UPDATE properties SET
        version = OLD.version + 1,
        rag_set_by = CASE WHEN NEW.version = OLD.version + 1 AND NEW.rag_set_by IS NOT NULL
                          THEN NEW.rag_set_by ELSE 'unidentified direct edit' END,
        rag_set_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
        rag_source = CASE WHEN NEW.version = OLD.version + 1 AND NEW.rag_source IS NOT NULL
                          THEN NEW.rag_source ELSE 'person' END
    WHERE id = NEW.id;
    INSERT INTO rag_history_gate(property_id, version) SELECT id, version FROM properties WHERE id = NEW.id;
    INSERT INTO rag_history(property_id, old_status, new_status, reason, changed_by, source, changed_at, version, seal)
    SELECT r.*, @SEAL_OF_ROW@ FROM
      (SELECT id AS property_id, OLD.rag_status AS old_status, rag_status AS new_status, rag_reason AS reason,
              rag_set_by AS changed_by, rag_source AS source, rag_set_at AS changed_at, version
       FROM properties WHERE id = NEW.id) r;
    DELETE FROM rag_history_gate;
END;
CREATE TRIGGER IF NOT EXISTS rag_history_record_insert AFTER INSERT ON properties
WHEN NEW.rag_status IS NOT ifnull((SELECT new_status FROM rag_history WHERE property_id = NEW.id
                                   ORDER BY id DESC LIMIT 1), 'unassessed')
BEGIN
    UPDATE properties SET
        version = max(NEW.version, ifnull((SELECT max(version) FROM rag_history WHERE property_id = NEW.id), 0) + 1),
        rag_set_by = 'unidentified direct edit',
        rag_set_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
        rag_source = 'person'
    WHERE id = NEW.id;
    INSERT INTO rag_history_gate(property_id, version) SELECT id, version FROM properties WHERE id = NEW.id;
    INSERT INTO rag_history(property_id, old_status, new_status, reason, changed_by, source, changed_at, version, seal)
    SELECT r.*, @SEAL_OF_ROW@ FROM
      (SELECT id AS property_id,
              ifnull((SELECT new_status FROM rag_history WHERE property_id = NEW.id ORDER BY id DESC LIMIT 1),
                     'unassessed') AS old_status,
              rag_status AS new_status, rag_reason AS reason, rag_set_by AS changed_by, rag_source AS source,
              rag_set_at AS changed_at, version
       FROM properties WHERE id = NEW.id) r;
    DELETE FROM rag_history_gate;
END;
CREATE TRIGGER IF NOT EXISTS rag_history_gate_guard BEFORE INSERT ON rag_history_gate
WHEN NEW.version IS NOT (SELECT version FROM properties WHERE id = NEW.property_id)
  OR EXISTS (SELECT 1 FROM rag_history WHERE property_id = NEW.property_id AND version = NEW.version)
BEGIN SELECT RAISE(ABORT, 'the RAG history is written by the register itself: change the status, and the history follows'); END;
CREATE TRIGGER IF NOT EXISTS rag_history_only_by_register BEFORE INSERT ON rag_history
WHEN NOT EXISTS (SELECT 1 FROM rag_history_gate g JOIN properties p ON p.id = g.property_id
                 WHERE g.property_id = NEW.property_id AND g.version = NEW.version AND p.version = NEW.version
                   AND p.rag_status = NEW.new_status AND p.rag_reason IS NEW.reason
                   AND p.rag_set_by IS NEW.changed_by AND p.rag_source IS NEW.source
                   AND p.rag_set_at IS NEW.changed_at)
  OR NEW.seal IS NOT @SEAL_OF_NEW@
BEGIN SELECT RAISE(ABORT, 'the RAG history is written by the register itself: change the status, and the history follows'); END;
CREATE TRIGGER IF NOT EXISTS rag_history_no_update BEFORE UPDATE ON rag_history
BEGIN SELECT RAISE(ABORT, 'RAG history cannot be changed: it is the audit trail'); END;
CREATE TRIGGER IF NOT EXISTS rag_history_no_delete BEFORE DELETE ON rag_history
BEGIN SELECT RAISE(ABORT, 'RAG history cannot be deleted: it is the audit trail'); END;
)sql";
    // The triggers write each row with its seal, through a view of the fields as they
    // will be stored (the guard checks a row's seal the same way).
    auto replace_all = [&sql](const std::string& what, const std::string& with) {
        for (size_t at = sql.find(what); at != std::string::npos; at = sql.find(what, at + with.size()))
            sql.replace(at, what.size(), with);
    };
    replace_all("@SEAL_OF_NEW@", history_seal_sql(newest_seal, "NEW"));
    replace_all("@SEAL_OF_ROW@", history_seal_sql(newest_seal, "r"));
    return sql;
}

const std::vector<const char*>& history_guard_triggers() {
    static const std::vector<const char*> names = {"rag_reason_required_insert", "rag_reason_required_update",
                                                   "rag_history_record",         "rag_history_record_insert",
                                                   "rag_history_gate_guard",     "rag_history_only_by_register",
                                                   "rag_history_no_update",      "rag_history_no_delete"};
    return names;
}

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> list = {schema_v1, schema_v2, schema_v3, schema_v4,  schema_v5,  schema_v6,
                                                schema_v7, schema_v8, schema_v9, schema_v10, schema_v11, schema_v12};
    return list;
}

int read_schema_version(Connection& conn) {
    bool has_meta = conn.scalar_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                    "AND name = 'register_meta'")
                        .value_or(0) > 0;
    if (!has_meta) return 0;
    auto v = conn.scalar_text("SELECT value FROM register_meta WHERE key = 'schema_version'");
    if (!v) return 0;
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(v->c_str(), &end, 10);
    if (end != v->c_str() + v->size() || n < 0 || errno == ERANGE || n > 1000000)
        throw database_error(
            "register " + conn.path() + " has schema version '" + *v +
            "', which no estate ever wrote: the file is damaged or not an estate register; nothing was changed");
    return static_cast<int>(n);
}

} // namespace estate::db
