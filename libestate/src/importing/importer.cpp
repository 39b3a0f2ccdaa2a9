#include "estate/importing/importer.hpp"

#include "db/sqlite.hpp"
#include "estate/db/register.hpp"
#include "estate/error.hpp"
#include "estate/geo/crs.hpp"
#include "estate/geo/geometry.hpp"
#include "estate/io/postcodes.hpp"
#include "estate/io/profile.hpp"
#include "estate/io/source.hpp"
#include "estate/model/normalise.hpp"
#include "estate/util/csv.hpp"
#include "estate/util/json.hpp"
#include "importing/register_writer.hpp"
#include "importing/row_mapper.hpp"
#include "importing/seen_refs.hpp"
#include "util/bounded_queue.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <pthread.h>
#include <sys/resource.h>

namespace estate::importing {
namespace {

// A row that cannot be stored, with every problem found in it.
struct Rejection {
    std::vector<model::Problem> problems;
    void add(const std::optional<model::Problem>& p) {
        if (p) problems.push_back(*p);
    }
    bool any() const { return !problems.empty(); }
    std::string message() const {
        std::string m;
        for (const auto& p : problems) m += (m.empty() ? "" : "; ") + p.message;
        return m;
    }
};

// Sets an optional text field in place, so a recycled row reuses its memory.
void set_text(std::optional<std::string>& field, std::string_view value) {
    if (value.empty()) field.reset();
    else if (field) field->assign(value);
    else field.emplace(value);
}
void set_text(std::optional<std::string>& field, const std::string& value) {
    set_text(field, std::string_view(value));
}
void set_text(std::optional<std::string>& field, const std::optional<std::string>& value) {
    set_text(field, value ? std::string_view(*value) : std::string_view());
}

// Coded columns (tenure, use, sector, ...) hold few distinct values: each is
// normalised once per import and looked up after that. Bounded, in case a column
// turns out to be free text.
template <class Result>
class Memo {
public:
    template <class Compute>
    const Result& get(const std::string& key, Compute compute) {
        auto it = cache_.find(key);
        if (it != cache_.end()) return it->second;
        if (cache_.size() >= 4096) return scratch_ = compute();
        return cache_.emplace(key, compute()).first->second;
    }

private:
    std::unordered_map<std::string, Result> cache_;
    Result scratch_;
};

// Caches one PROJ transformation per source CRS seen in the file.
class Transformers {
public:
    const geo::ToGrid& get(const std::string& crs) {
        auto it = cache_.find(crs);
        if (it == cache_.end()) it = cache_.emplace(crs, std::make_unique<geo::ToGrid>(crs)).first;
        return *it->second;
    }

private:
    std::unordered_map<std::string, std::unique_ptr<geo::ToGrid>> cache_;
};

// Turns a mapped row into a validated, located Property, or says why not.
class PropertyBuilder {
public:
    PropertyBuilder(const io::Profile& profile, const std::optional<std::string>& layer_crs,
                    const ImportOptions& options)
        : profile_(profile), layer_crs_(layer_crs), options_(options) {}

    // Fills @p p in place (a recycled row keeps its strings' memory).
    bool build(const MappedRow& m, const io::SourceRow& row, model::Property& p, std::string& sector,
               Rejection& r) {
        const auto& f = m.fields;
        r.add(m.conflict);
        p.owner.assign(f[f_owner]);
        if (p.owner.empty())
            r.add(model::Problem{"missing_owner", "owner",
                                 "no owner for this row; give --owner NAME or map an owner column"});
        p.ref.assign(f[f_ref]);
        if (p.ref.empty())
            r.add(model::Problem{"missing_ref", "ref",
                                 "no owner's reference (asset code) in this row; without one it "
                                 "cannot be matched when the file is imported again"});
        const auto& sec = sectors_.get(f[f_sector], [&] { return model::normalise_sector(f[f_sector]); });
        r.add(sec.problem);
        if (sec.value) sector.assign(*sec.value);
        else sector.assign(guessed_sectors_.get(p.owner, [&] { return model::guess_sector(p.owner); }));

        auto uprn = model::normalise_uprn(f[f_uprn]);
        r.add(uprn.problem);
        set_text(p.uprn, uprn.value);
        set_text(p.name, f[f_name]);
        set_text(p.address, f[f_address]);
        auto pc = model::normalise_postcode(f[f_postcode]);
        r.add(pc.problem);
        set_text(p.postcode, pc.value);
        const auto& ht = holding_types_.get(f[f_holding_type], [&] { return model::normalise_holding_type(f[f_holding_type]); });
        r.add(ht.problem);
        set_text(p.holding_type, ht.value);
        tenure_key_.assign(f[f_tenure]).append(1, '\x1f').append(f[f_tenure_detail]);
        const auto& ten = tenures_.get(tenure_key_, [&] { return model::normalise_tenure(f[f_tenure], f[f_tenure_detail]); });
        r.add(ten.problem);
        set_text(p.tenure, ten.value);
        set_text(p.tenure_detail, f[f_tenure_detail]);
        set_text(p.use_detail, f[f_use]);
        const auto& use = uses_.get(f[f_use], [&] { return model::classify_use(f[f_use]); });
        if ((!use || *use == "other") && profile_.use_from_name && p.name) {
            auto by_name = model::classify_use(*p.name);
            p.use.assign(by_name && *by_name != "other" ? *by_name : use.value_or("other"));
        } else {
            p.use.assign(use ? *use : "other");
        }
        auto amount = [&](Field field, const char* name, std::optional<double>& out) {
            auto n = model::parse_amount(f[field], name);
            r.add(n.problem);
            out = n.value;
        };
        amount(f_gia_m2, "gia_m2", p.gia_m2);
        amount(f_land_area_ha, "land_area_ha", p.land_area_ha);
        amount(f_market_value, "market_value", p.market_value);
        amount(f_running_cost, "running_cost", p.running_cost);
        set_text(p.occupancy, occupancies_.get(f[f_occupancy], [&] { return model::occupancy_from_text(f[f_occupancy]); }));
        auto util = model::parse_fraction(f[f_utilisation], "utilisation");
        r.add(util.problem);
        p.utilisation = util.value;
        const auto& cond = conditions_.get(f[f_condition], [&] { return model::normalise_condition(f[f_condition]); });
        r.add(cond.problem);
        set_text(p.condition, cond.value);
        set_text(p.energy_rating, f[f_energy_rating]);
        auto date = model::normalise_date(f[f_effective_date]);
        r.add(date.problem);
        set_text(p.effective_date, date.value);
        p.extra = m.extra;

        p.location.reset();
        p.location_quality.assign("unlocated");
        p.footprint_wkb.clear();
        p.footprint_repaired = false;
        if (!r.any()) locate(f, row, pc.full, p, r);
        return !r.any();
    }

    std::int64_t repaired = 0;

private:
    // The CRS of this row's x/y or footprint WKT: the row's CRS column, the
    // profile's default, the layer's, or a guess from the numbers' size.
    std::optional<std::string> row_crs(const std::vector<std::string>& f, double x, double y,
                                       Rejection& r) {
        if (!f[f_crs].empty()) {
            // Most files name one CRS on every row: resolve each spelling once.
            const auto& crs = crs_names_.get(f[f_crs], [&] { return geo::resolve_crs_name(f[f_crs]); });
            if (!crs)
                r.add(model::Problem{"unknown_crs", "crs",
                                     "coordinate reference system '" + f[f_crs] +
                                         "' is not recognised; use WGS84, OSGB36, ETRS89 or an "
                                         "EPSG code"});
            return crs;
        }
        if (layer_crs_) return layer_crs_;
        bool degrees = std::fabs(x) <= 180 && std::fabs(y) <= 90;
        return std::string(degrees ? "EPSG:4326" : "EPSG:27700");
    }

    bool parse_coordinate(const std::string& s, double& v) {
        char* end = nullptr;
        v = std::strtod(s.c_str(), &end);
        return !s.empty() && end == s.c_str() + s.size() && std::isfinite(v);
    }

    void locate(const std::vector<std::string>& f, const io::SourceRow& row, bool full_postcode,
                model::Property& p, Rejection& r) {
        // 1. Coordinates in columns.
        std::optional<std::string> crs;
        const std::string xs = model::trim(f[f_x]), ys = model::trim(f[f_y]);
        if (!xs.empty() || !ys.empty()) {
            double x = 0, y = 0;
            if (!parse_coordinate(xs, x) || !parse_coordinate(ys, y)) {
                r.add(model::Problem{"bad_coordinates", "x/y",
                                     "coordinates '" + xs + "', '" + ys +
                                         "' are not two numbers; correct them or leave both empty"});
                return;
            }
            if (!(x == 0 && y == 0)) { // 0,0 is how many registers write "unknown"
                crs = row_crs(f, x, y, r);
                if (!crs) return;
                auto pt = transformers_.get(*crs).transform(x, y);
                if (!pt) {
                    // Mostly eastings and northings labelled as longitude and latitude.
                    const bool not_degrees = std::fabs(x) > 180 || std::fabs(y) > 90;
                    r.add(model::Problem{"bad_coordinates", "x/y",
                                         "coordinates " + xs + ", " + ys + " cannot be transformed from " +
                                             *crs + " to British National Grid" +
                                             (not_degrees ? "; they are not longitude and latitude - if they are "
                                                            "eastings and northings, say so in the coordinate "
                                                            "system column (e.g. OSGB36)"
                                                          : "")});
                    return;
                }
                if (!check_location(*pt, [&] { return xs + ", " + ys + " (" + *crs + ")"; }, r)) return;
                p.location = pt;
                p.location_quality.assign("source");
            }
        }
        // 2. The layer's own geometry, or a footprint written as WKT.
        if (!row.geometry_wkb.empty()) {
            auto kind = geo::wkb_kind(row.geometry_wkb);
            const auto& to_grid = transformers_.get(layer_crs_.value_or("EPSG:4326"));
            if (kind == geo::GeometryKind::point && !p.location) {
                auto src = engine_.point_of_wkb(row.geometry_wkb.data(), row.geometry_wkb.size());
                auto pt = src ? to_grid.transform(src->easting, src->northing) : std::nullopt;
                if (!pt) {
                    r.add(model::Problem{"bad_coordinates", "geometry",
                                         "the point cannot be transformed to British National Grid"});
                    return;
                }
                if (!check_location(*pt, [] { return std::string("the point geometry"); }, r)) return;
                p.location = pt;
                p.location_quality.assign("source");
            } else if (kind == geo::GeometryKind::polygonal) {
                if (!take_footprint(engine_.footprint_from_wkb(row.geometry_wkb.data(),
                                                               row.geometry_wkb.size(), to_grid, !p.location),
                                    p, r))
                    return;
            } else if (kind == geo::GeometryKind::other) {
                r.add(model::Problem{"unsupported_geometry", "geometry",
                                     "the geometry is neither a point nor a polygon (lines cannot "
                                     "be a property's location)"});
                return;
            }
        }
        if (!f[f_footprint_wkt].empty()) {
            std::string wkt_crs = crs ? *crs : layer_crs_.value_or("EPSG:27700");
            if (!f[f_crs].empty() && !crs) {
                crs = geo::resolve_crs_name(f[f_crs]);
                if (crs) wkt_crs = *crs;
            }
            if (!take_footprint(engine_.footprint_from_wkt(f[f_footprint_wkt], transformers_.get(wkt_crs), !p.location),
                                p, r))
                return;
        }
        // 3. The postcode's centroid.
        if (!p.location && full_postcode && options_.postcodes && p.postcode) {
            if (auto pt = options_.postcodes->find(*p.postcode)) {
                if (!check_location(*pt, [&] { return "the centroid of postcode " + *p.postcode; }, r)) return;
                p.location = pt;
                p.location_quality.assign("postcode");
            }
        }
        if (!p.location) p.location_quality.assign("unlocated");
    }

    bool take_footprint(geo::Footprint fp, model::Property& p, Rejection& r) {
        if (fp.problem) {
            r.add(model::Problem{fp.problem_reason, "footprint", *fp.problem});
            return false;
        }
        if (!p.location) {
            if (!check_location(fp.point_on_surface, [] { return std::string("the footprint"); }, r)) return false;
            p.location = fp.point_on_surface;
            p.location_quality.assign("source");
        }
        p.footprint_wkb = std::move(fp.wkb);
        p.footprint_repaired = fp.repaired;
        if (fp.repaired) ++repaired;
        return true;
    }

    // @p what describes the location for a message; it is called only on failure.
    template <class Describe>
    bool check_location(const model::GridPoint& pt, const Describe& what, Rejection& r) {
        auto where = [&] {
            char buf[64];
            std::snprintf(buf, sizeof buf, "E %.0f N %.0f", pt.easting, pt.northing);
            return std::string(buf);
        };
        if (!geo::inside_gb_grid(pt)) {
            r.add(model::Problem{"outside_grid", "x/y",
                                 what() + " falls at " + where() +
                                     ", outside Great Britain's National Grid; check the "
                                     "coordinate system and that x/longitude and y/latitude "
                                     "are not swapped"});
            return false;
        }
        if (options_.boundary && !options_.boundary->contains(pt)) {
            r.add(model::Problem{"outside_boundary", "x/y",
                                 what() + " falls at " + where() + ", outside the boundary " +
                                     options_.boundary->source() +
                                     "; check the coordinates or the owner's area"});
            return false;
        }
        return true;
    }

    const io::Profile& profile_;
    std::optional<std::string> layer_crs_;
    const ImportOptions& options_;
    Transformers transformers_;
    geo::GeometryEngine engine_;
    Memo<model::Checked> sectors_, holding_types_, tenures_, conditions_;
    Memo<std::string> guessed_sectors_;
    Memo<std::optional<std::string>> uses_, occupancies_, crs_names_;
    std::string tenure_key_;
};

std::string attributes_json(const std::vector<std::pair<std::string, std::string>>& extra) {
    if (extra.empty()) return {};
    std::ostringstream out;
    util::JsonWriter w(out);
    w.begin_object();
    for (const auto& [k, v] : extra) w.field(k, v);
    w.end_object();
    return out.str();
}

std::string original_json(const std::vector<std::string>& headers, const std::vector<std::string>& values) {
    std::ostringstream out;
    util::JsonWriter w(out);
    w.begin_object();
    std::set<std::string> seen;
    for (size_t i = 0; i < headers.size(); ++i) {
        std::string k = headers[i];
        for (int n = 2; !seen.insert(k).second; ++n) k = headers[i] + "#" + std::to_string(n);
        w.field(k, values[i]);
    }
    w.end_object();
    return out.str();
}

// One source row after the reader thread's work: a property ready to write, or
// the reasons it cannot be stored; its original values either way.
struct PreparedRow {
    std::int64_t row = 0;
    model::Property property;
    std::string sector;
    std::string attributes; // JSON of unmapped columns
    std::string hash;       // content_hash(property, attributes)
    GeometryBlobs blobs;    // its location and footprint, ready for SpatiaLite
    Rejection rejection;
    std::vector<std::string> values;
};

// Processor seconds the calling thread has used.
double thread_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string default_rejects_path(const std::string& register_path, std::int64_t batch) {
    std::filesystem::path p(register_path);
    return (p.parent_path() / (p.stem().string() + ".batch" + std::to_string(batch) + ".rejects.csv"))
        .string();
}

} // namespace

ImportSummary import_source(db::Register& reg, const ImportOptions& options) {
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    io::SourceReader reader(options.source, options.layer);
    ImportSummary s;
    s.source = options.source;
    s.layer = reader.layer_name();

    io::Profile profile;
    if (options.profile) {
        profile = io::load_profile(*options.profile);
        s.profile_explanation = "profile '" + profile.name + "' as asked";
    } else {
        auto d = io::detect_profile(reader.headers());
        if (!d.profile) throw usage_error(options.source + ": " + d.explanation);
        profile = *d.profile;
        s.profile_explanation = d.explanation;
    }
    s.profile = profile.name;

    RowMapper mapper(profile, reader.headers(), options.owner);
    if (!mapper.can_fill(f_ref))
        throw usage_error(options.source + ": profile '" + profile.name +
                          "' finds no column for the owner's reference (ref) in this file; map "
                          "one in a profile (see docs/profile-format.md)");
    if (!mapper.can_fill(f_owner))
        throw usage_error(options.source + ": no owner: the file has no owner column for profile '" +
                          profile.name + "'; give --owner NAME");

    // The checksum is read from the file on the second core while the rows are imported.
    std::future<io::FileDigest> digest_job =
        std::async(std::launch::async, [path = options.source] {
            return std::filesystem::is_directory(path) ? io::FileDigest{"directory", 0} : io::digest_file(path);
        });

    db::Connection& conn = reg.connection();
    // One transaction holds every page the import touches: give it room in memory
    // so SQLite does not spill half-built R*Tree pages to disk and read them back.
    conn.exec("PRAGMA cache_size = -262144"); // 256 MiB
    conn.exec("PRAGMA temp_store = MEMORY");  // the sorting of the indexes built at the end
    // In WAL mode every page is written twice: to the log, then into the file at the
    // checkpoint. When no one else has the register open, the import goes through a
    // rollback journal instead (just as safe against a kill: the journal rolls back
    // on the next open) and the register returns to WAL afterwards.
    db::ScopedPragma journal(conn, "journal_mode", "delete", "wal"); // not while others have it open
    // Foreign keys are not looked up row by row: the writer takes the owner and batch
    // ids from rows it has just found or written in this transaction (two B-tree
    // look-ups a row, 4% of the writing thread; tests run foreign_key_check).
    db::ScopedPragma foreign_keys(conn, "foreign_keys", "0", "1");
    db::Transaction tx(conn);
    RegisterWriter writer(conn);
    writer.suspend_index_triggers();
    s.batch_id = writer.begin_batch(std::filesystem::absolute(options.source).string(), s.layer,
                                    profile.name, options.owner.value_or(""));

    // Counting a CSV's rows means reading it twice: only worth it for a progress display.
    std::optional<std::int64_t> total = options.progress ? reader.count() : std::nullopt;
    // This file's UPRNs with their owners, each UPRN as one number (digits x 16 +
    // length, so "0123" and "123" stay apart): a million strings in a set cost the
    // writing thread a second.
    std::vector<std::pair<std::uint64_t, std::int64_t>> uprns; // (key, owner id), sorted after the last row
    auto uprn_key = [](const std::string& u) {
        std::uint64_t v = 0;
        for (char c : u) v = v * 10 + static_cast<std::uint64_t>(c - '0');
        return v * 16 + u.size();
    };
    auto uprn_text = [](std::uint64_t key) {
        std::string u(static_cast<size_t>(key % 16), '0');
        for (std::uint64_t v = key / 16, i = u.size(); i > 0 && v > 0; v /= 10) u[--i] = static_cast<char>('0' + v % 10);
        return u;
    };
    std::unordered_map<std::string, std::int64_t> owner_ids;

    // Rejected rows go to the register at once and to the CSV report at the end.
    struct RejectLine {
        std::int64_t row;
        std::string reason, field, message;
        std::vector<std::string> values;
    };
    std::vector<RejectLine> reject_lines;

    // Three threads, each a stage: a reading thread takes records from GDAL; a
    // checking thread maps, validates, locates and hashes them (GEOS, PROJ); this
    // thread owns the database and writes. Chunks of rows pass between them.
    using RawChunk = std::vector<io::SourceRow>;
    using PreparedChunk = std::vector<PreparedRow>;
    constexpr size_t chunk_rows = 512;
    util::BoundedQueue<RawChunk> raw(8);
    util::BoundedQueue<PreparedChunk> queue(8);
    // Used chunks go back the way they came: the reader refills a raw chunk's strings
    // in place, and prepared chunks are freed by the thread that allocated them. (Freeing
    // another thread's memory was a sixth of the writing thread's time.)
    util::BoundedQueue<RawChunk> raw_spare(16);
    util::BoundedQueue<PreparedChunk> prepared_spare(16);
    std::exception_ptr reading_error, checking_error;
    std::int64_t repaired = 0;
    const auto rows_started = clock::now();
    const double cpu_before_rows = thread_cpu_seconds();
    std::thread reading([&] {
        pthread_setname_np(pthread_self(), "estate-read"); // named for profilers (perf -s comm)
        try {
            auto fresh_chunk = [&] {
                auto spare = raw_spare.try_pop();
                return spare ? std::move(*spare) : RawChunk(chunk_rows);
            };
            RawChunk chunk = fresh_chunk();
            size_t n = 0;
            while (reader.next(chunk[n])) {
                if (++n == chunk_rows) {
                    if (!raw.push(std::move(chunk))) return;
                    chunk = fresh_chunk();
                    n = 0;
                }
            }
            chunk.resize(n);
            if (n) raw.push(std::move(chunk));
        } catch (...) {
            reading_error = std::current_exception();
        }
        raw.finish();
        s.cpu_read = thread_cpu_seconds();
    });
    std::thread checking([&] {
        pthread_setname_np(pthread_self(), "estate-check");
        try {
            PropertyBuilder builder(profile, reader.crs(), options);
            SeenRefs seen_refs; // a reference may appear once per owner and file
            MappedRow mapped;
            while (auto rows = raw.pop()) {
                // A chunk back from the writer: its rows' strings and buffers are reused.
                auto spare = prepared_spare.try_pop();
                PreparedChunk chunk = spare ? std::move(*spare) : PreparedChunk();
                chunk.resize(rows->size());
                for (size_t i = 0; i < rows->size(); ++i) {
                    io::SourceRow& row = (*rows)[i];
                    PreparedRow& prepared = chunk[i];
                    prepared.row = row.number;
                    prepared.rejection.problems.clear();
                    prepared.values.clear();
                    mapper.map(row.values, mapped);
                    model::Property& p = prepared.property;
                    Rejection& r = prepared.rejection;
                    if (builder.build(mapped, row, p, prepared.sector, r)) {
                        if (auto first = seen_refs.first_row(p.owner, p.ref, row.number))
                            r.add(model::Problem{"duplicate_ref", "ref",
                                                 "owner's reference '" + p.ref + "' of " + p.owner +
                                                     " already appears at row " + std::to_string(first) +
                                                     " of this file; each property needs its own reference"});
                    }
                    if (r.any()) {
                        prepared.values.swap(row.values); // for the reject report
                    } else {
                        prepared.attributes = attributes_json(p.extra);
                        content_hash(p, prepared.attributes, prepared.hash);
                        geometry_blobs(p, prepared.blobs);
                    }
                }
                if (!queue.push(std::move(chunk))) break;
                if (rows->size() == chunk_rows) raw_spare.try_push(*rows);
            }
            repaired = builder.repaired;
        } catch (...) {
            checking_error = std::current_exception();
            raw.close(); // the reading thread stops too
        }
        queue.finish();
        s.cpu_check = thread_cpu_seconds();
    });
    // Whatever happens here, the other threads are told to stop and are joined.
    struct JoinGuard {
        util::BoundedQueue<RawChunk>& raw;
        util::BoundedQueue<PreparedChunk>& queue;
        std::thread& reading;
        std::thread& checking;
        ~JoinGuard() {
            raw.close();
            queue.close();
            if (reading.joinable()) reading.join();
            if (checking.joinable()) checking.join();
        }
    } join_guard{raw, queue, reading, checking};

    while (auto chunk = queue.pop()) {
        for (PreparedRow& prepared : *chunk) {
            if (options.cancel && options.cancel->load())
                throw interrupted("import of " + options.source + " interrupted at row " +
                                  std::to_string(prepared.row) + "; the register is unchanged");
            ++s.read;
            model::Property& p = prepared.property;
            const Rejection& r = prepared.rejection;
            if (r.any()) {
                ++s.rejected;
                const auto& first = r.problems.front();
                ++s.rejected_by_reason[first.reason];
                std::string message = r.message();
                writer.reject(s.batch_id, prepared.row, first.reason, first.field, message,
                              original_json(reader.headers(), prepared.values));
                reject_lines.push_back({prepared.row, first.reason, first.field, message, std::move(prepared.values)});
            } else {
                auto oid = owner_ids.find(p.owner);
                if (oid == owner_ids.end())
                    oid = owner_ids.emplace(p.owner, writer.owner_id(p.owner, prepared.sector)).first;
                switch (writer.write(p, prepared.hash, prepared.blobs, oid->second, s.batch_id, prepared.attributes)) {
                case RegisterWriter::Outcome::inserted: ++s.inserted; break;
                case RegisterWriter::Outcome::updated: ++s.updated; break;
                case RegisterWriter::Outcome::unchanged: ++s.unchanged; break;
                }
                if (p.location_quality == "postcode") ++s.postcode_located;
                if (p.location_quality == "unlocated") ++s.unlocated;
                if (p.uprn) uprns.emplace_back(uprn_key(*p.uprn), oid->second);
            }
            if (options.progress && s.read % 5000 == 0) options.progress(s.read, total);
        }
        prepared_spare.try_push(*chunk);
    }
    reading.join();
    checking.join();
    if (reading_error) std::rethrow_exception(reading_error);
    if (checking_error) std::rethrow_exception(checking_error);

    s.footprints_repaired = repaired;
    if (options.progress) options.progress(s.read, total);

    s.seconds_rows = since(rows_started);
    s.cpu_write = thread_cpu_seconds() - cpu_before_rows;
    const auto index_started = clock::now();
    writer.restore_index_triggers(s.batch_id);
    s.seconds_index = since(index_started);

    auto digest = digest_job.get();
    s.sha256 = digest.sha256;
    writer.finish_batch(s.batch_id, digest.sha256, digest.bytes, {s.read, s.inserted, s.updated, s.unchanged, s.rejected,
                                     s.postcode_located, s.unlocated, s.footprints_repaired});

    // Shared sites: this file's UPRNs that more than one owner holds.
    std::sort(uprns.begin(), uprns.end());
    if (writer.first_load()) {
        // Into an empty register only this file's rows can share a UPRN: found from
        // the pairs at hand rather than by a scan of the register's UPRN index.
        std::unordered_map<std::int64_t, std::string> owner_names;
        for (const auto& [name, id] : owner_ids) owner_names.emplace(id, name);
        for (size_t i = 0, j = 0; i < uprns.size(); i = j) {
            while (j < uprns.size() && uprns[j].first == uprns[i].first) ++j;
            if (uprns[j - 1].second == uprns[i].second) continue; // one owner (pairs sorted)
            SharedUprn su{uprn_text(uprns[i].first), {}};
            for (size_t k = i; k < j; ++k)
                if (k == i || uprns[k].second != uprns[k - 1].second) su.owners.push_back(owner_names[uprns[k].second]);
            std::sort(su.owners.begin(), su.owners.end());
            s.shared_uprns.push_back(std::move(su));
        }
        std::sort(s.shared_uprns.begin(), s.shared_uprns.end(),
                  [](const SharedUprn& a, const SharedUprn& b) { return a.uprn < b.uprn; });
    } else {
        // Other owners' rows already in the register count too. The first query reads
        // only the (uprn, owner_id) index; owners are named for the few it finds.
        auto shared = conn.prepare("SELECT uprn FROM properties WHERE uprn IS NOT NULL GROUP BY uprn "
                                   "HAVING min(owner_id) <> max(owner_id) ORDER BY uprn");
        auto owners_of = conn.prepare("SELECT DISTINCT o.name FROM properties p JOIN owners o ON o.id = "
                                      "p.owner_id WHERE p.uprn = ? ORDER BY o.name");
        while (shared.step()) {
            std::string uprn = shared.text(0);
            const std::uint64_t key = uprn_key(uprn);
            auto at = std::lower_bound(uprns.begin(), uprns.end(), std::pair{key, std::int64_t{0}});
            if (at == uprns.end() || at->first != key) continue; // not in this file
            SharedUprn su{uprn, {}};
            owners_of.bind(1, uprn);
            while (owners_of.step()) su.owners.push_back(owners_of.text(0));
            owners_of.reset();
            s.shared_uprns.push_back(su);
        }
    }

    // The reject report is written before the commit: if it cannot be written the
    // import fails whole, so no rejected row goes unreported.
    if (!reject_lines.empty()) {
        std::string path = options.rejects_path.value_or(default_rejects_path(reg.path(), s.batch_id));
        std::ofstream out(path, std::ios::binary);
        if (!out)
            throw usage_error("cannot write the reject report " + path +
                              "; give a writable place with --rejects FILE");
        std::vector<std::string> header = {"row", "reason", "field", "message"};
        for (const auto& h : reader.headers()) header.push_back(h);
        util::write_csv_row(out, header);
        for (auto& line : reject_lines) {
            std::vector<std::string> fields = {std::to_string(line.row), line.reason, line.field,
                                               line.message};
            fields.insert(fields.end(), line.values.begin(), line.values.end());
            util::write_csv_row(out, fields);
        }
        out.close();
        if (!out) throw usage_error("cannot finish writing the reject report " + path);
        s.rejects_file = path;
    }
    const auto commit_started = clock::now();
    tx.commit();
    s.seconds_commit = since(commit_started);
    return s;
}

void write_summary_json(std::ostream& out, const ImportSummary& s) {
    util::JsonWriter w(out);
    w.begin_object();
    w.field("batch", s.batch_id).field("source", s.source).field("layer", s.layer);
    w.field("profile", s.profile).field("sha256", s.sha256);
    w.field("read", s.read).field("inserted", s.inserted).field("updated", s.updated);
    w.field("unchanged", s.unchanged).field("rejected", s.rejected).field("stored", s.stored());
    w.field("postcode_located", s.postcode_located).field("unlocated", s.unlocated);
    w.field("footprints_repaired", s.footprints_repaired);
    w.key("rejected_by_reason").begin_object();
    for (const auto& [k, v] : s.rejected_by_reason) w.field(k, v);
    w.end_object();
    w.key("shared_uprns").begin_array();
    for (const auto& su : s.shared_uprns) {
        w.begin_object().field("uprn", su.uprn).key("owners").begin_array();
        for (const auto& o : su.owners) w.value(o);
        w.end_array().end_object();
    }
    w.end_array();
    w.key("seconds").begin_object().field("rows", s.seconds_rows).field("index", s.seconds_index);
    w.field("commit", s.seconds_commit);
    w.key("cpu").begin_object().field("read", s.cpu_read).field("check", s.cpu_check);
    w.field("write", s.cpu_write).end_object().end_object();
    w.key("rejects_file");
    if (s.rejects_file) w.value(*s.rejects_file);
    else w.null();
    w.end_object();
    out << '\n';
}

void write_summary_text(std::ostream& out, const ImportSummary& s) {
    out << "Imported " << s.source << (s.layer.empty() ? "" : " (layer " + s.layer + ")")
        << " as batch " << s.batch_id << ", " << s.profile_explanation << "\n";
    out << "  rows read          " << s.read << "\n";
    out << "  inserted           " << s.inserted << "\n";
    out << "  updated            " << s.updated << "\n";
    out << "  unchanged          " << s.unchanged << "\n";
    out << "  rejected           " << s.rejected << "\n";
    out << "  (read = stored " << s.stored() << " + rejected " << s.rejected << ")\n";
    out << "  located by postcode " << s.postcode_located << " of the stored rows\n";
    out << "  unlocated          " << s.unlocated
        << " of the stored rows (kept; left out of spatial analysis)\n";
    if (s.footprints_repaired)
        out << "  footprints repaired " << s.footprints_repaired << " (flagged footprint_repaired)\n";
    for (const auto& [reason, n] : s.rejected_by_reason)
        out << "  rejected for " << reason << ": " << n << "\n";
    if (s.rejects_file) out << "  reject report: " << *s.rejects_file << "\n";
    if (!s.shared_uprns.empty()) {
        out << "  shared sites (UPRN held by more than one owner): " << s.shared_uprns.size() << "\n";
        size_t shown = 0;
        for (const auto& su : s.shared_uprns) {
            if (++shown > 5) {
                out << "    ...\n";
                break;
            }
            out << "    " << su.uprn << ":";
            for (const auto& o : su.owners) out << " " << o << ";";
            out << "\n";
        }
    }
}

} // namespace estate::importing
