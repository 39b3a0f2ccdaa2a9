#pragma once
/// @file
/// One building in several files: the council's asset list and the libraries layer both
/// hold Altrincham Library. Records that are probably one building are found by their
/// evidence and grouped; officers confirm or reject each group; hubs and receipts count
/// a confirmed group, and an unconfirmed group of one owner's records (a "probable
/// duplicate"), as one site: its most complete record, with the use, figures and tenure
/// it lacks taken from the others. Clusters keep every record.
///
/// Evidence, between two current records (documented in docs/estates-officer-guide.md):
/// - same_uprn: the same UPRN and the same owner (different owners at one UPRN are a
///   shared site, not a duplicate);
/// - same_name: the same owner and the same normalised name within 50 m;
/// - same_postcode: the same owner and the same full postcode within 50 m, unless both
///   uses are known and differ;
/// - name_within: one name's words all in the other's, or token similarity (Jaccard) of
///   at least 0.6, within 100 m.
/// - same_postcode_unlocated: the same owner and full postcode and similar names (as
///   name_within), one of the two with no location (a list of postcodes only).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace estate::db {
class Register;
}

namespace estate::duplicates {

struct Member {
    std::int64_t id = 0;
    std::string owner, ref, name;
    std::optional<double> distance_m; ///< from the group's main record, when both are located
    bool main = false;                ///< the most complete record: the one analyses use
};

struct Group {
    std::int64_t id = 0;               ///< stable while the group's members stay the same
    std::string status;                ///< proposed, confirmed, rejected
    bool counted_once = false;         ///< confirmed, or proposed with every member of one owner
    std::vector<std::string> evidence; ///< same_uprn, same_name, same_postcode, name_within,
                                       ///< same_postcode_unlocated
    std::vector<Member> members;
    std::optional<std::string> decided_by, decided_at;
};

/// Finds the groups among the current (not retired) records and stores them: new
/// proposals replace old ones; confirmed and rejected groups stay as decided, and a
/// rejected group is never proposed again. Returns every group but the rejected ones,
/// largest first.
std::vector<Group> find(db::Register& reg);

/// The stored groups (after find()), rejected ones included when @p all.
std::vector<Group> stored(db::Register& reg, bool all = false);

/// How many records of @p batch fall in a proposed or confirmed group with a record of
/// another batch (an import's closing line), finding the groups first. Nothing to do on
/// a first load.
std::int64_t look_like_existing(db::Register& reg, std::int64_t batch);

/// The other records of each building counted once, by its main record's id: the
/// records analyses leave out, whose figures fill the main record's gaps.
std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> counted_once(db::Register& reg);

/// An officer confirms (@p confirm) or rejects group @p group. Scope as for RAG tags:
/// an officer of every owner in the group, or partnership-wide. Throws usage_error for
/// an unknown group, officers::permission_error outside the scope.
void decide(db::Register& reg, std::int64_t group, bool confirm, const std::string& by);

} // namespace estate::duplicates
