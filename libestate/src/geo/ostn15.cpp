#include "estate/geo/ostn15.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <vector>

#ifndef ESTATE_OSTN15_DIR
#define ESTATE_OSTN15_DIR "/usr/share/perl5/auto/share/dist/Geo-Coordinates-OSGB"
#endif

namespace estate::geo::ostn15 {
namespace {

// The National Grid's projection (OS user guide, table A.1) on the GRS80 ellipsoid.
constexpr double a = 6378137.0, b = 6356752.314140;
constexpr double f0 = 0.9996012717;
constexpr double e0 = 400000.0, n0 = -100000.0;
constexpr double pi = 3.14159265358979323846;
constexpr double phi0 = 49.0 * pi / 180.0, lambda0 = -2.0 * pi / 180.0;
constexpr double e2 = (a * a - b * b) / (a * a);
constexpr double n = (a - b) / (a + b);

// The grid: 701 x 1,251 nodes, 1 km apart.
constexpr int columns = 701, rows = 1251;
constexpr double min_east_mm = 82140, min_north_mm = -84180;

struct Grid {
    std::vector<std::uint16_t> east, north;
    std::string source;
    bool ok = false;
};

bool read_shifts(const std::string& path, std::vector<std::uint16_t>& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::vector<unsigned char> bytes(static_cast<size_t>(columns) * rows * 2);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<size_t>(in.gcount()) != bytes.size() || in.peek() != std::char_traits<char>::eof()) return false;
    out.resize(bytes.size() / 2);
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8)); // little-endian
    return true;
}

const Grid& grid() {
    static Grid g;
    static std::once_flag once;
    std::call_once(once, [] {
        const char* env = std::getenv("ESTATE_OSTN15_DIR");
        const std::string dir = env && *env ? env : ESTATE_OSTN15_DIR;
        const std::string east = dir + "/ostn_east_shift_82140", north = dir + "/ostn_north_shift_-84180";
        if (read_shifts(east, g.east) && read_shifts(north, g.north)) {
            g.ok = true;
            g.source = dir;
        } else {
            g.source = "OSTN15 grid files not found or incomplete in " + dir +
                       " (install Debian's libgeo-coordinates-osgb-perl, or set ESTATE_OSTN15_DIR)";
        }
    });
    return g;
}

// Meridional arc from the true origin's latitude (OS user guide, C.1).
double meridional_arc(double phi) {
    const double dp = phi - phi0, sp = phi + phi0;
    // The double and triple angles from the single ones: two trigonometric calls, not six.
    const double s1 = std::sin(dp), c1 = std::cos(sp), cs = std::cos(dp);
    const double s2 = 2 * s1 * cs, c2 = 2 * c1 * c1 - 1;
    const double s3 = s1 * (3 - 4 * s1 * s1), c3 = c1 * (4 * c1 * c1 - 3);
    return b * f0 *
           ((1 + n + 5.0 / 4 * n * n + 5.0 / 4 * n * n * n) * dp -
            (3 * n + 3 * n * n + 21.0 / 8 * n * n * n) * s1 * c1 + (15.0 / 8 * n * n + 15.0 / 8 * n * n * n) * s2 * c2 -
            35.0 / 24 * n * n * n * s3 * c3);
}

// The shifts at ETRS89 grid coordinates (x, y), bilinearly interpolated; false outside the grid.
bool shifts(double x, double y, double& se, double& sn) {
    const Grid& g = grid();
    if (!g.ok || !(x >= 0) || !(y >= 0)) return false;
    const int ex = static_cast<int>(x / 1000), ny = static_cast<int>(y / 1000);
    if (ex >= columns - 1 || ny >= rows - 1) return false;
    const double t = x / 1000 - ex, u = y / 1000 - ny;
    const size_t i0 = static_cast<size_t>(ex + ny * columns);
    const size_t i1 = i0 + 1, i3 = i0 + columns, i2 = i3 + 1;
    auto at = [&](const std::vector<std::uint16_t>& v, double min) {
        return ((1 - t) * (1 - u) * (v[i0] + min) + t * (1 - u) * (v[i1] + min) + t * u * (v[i2] + min) +
                (1 - t) * u * (v[i3] + min)) /
               1000.0;
    };
    se = at(g.east, min_east_mm);
    sn = at(g.north, min_north_mm);
    return true;
}

} // namespace

bool available() {
    return grid().ok;
}
const std::string& source() {
    return grid().source;
}

model::GridPoint project_grs80(double lon, double lat) {
    // OS user guide, C.1: latitude and longitude to easting and northing.
    const double phi = lat * pi / 180, lambda = lon * pi / 180;
    const double s = std::sin(phi), c = std::cos(phi), t = std::tan(phi);
    const double c3 = c * c * c, c5 = c3 * c * c, t2 = t * t, t4 = t2 * t2;
    const double w = 1 - e2 * s * s;
    const double nu = a * f0 / std::sqrt(w);
    const double rho = nu * (1 - e2) / w;
    const double eta2 = nu / rho - 1;
    const double m = meridional_arc(phi);
    const double i = m + n0;
    const double ii = nu / 2 * s * c;
    const double iii = nu / 24 * s * c3 * (5 - t2 + 9 * eta2);
    const double iiia = nu / 720 * s * c5 * (61 - 58 * t2 + t4);
    const double iv = nu * c;
    const double v = nu / 6 * c3 * (nu / rho - t2);
    const double vi = nu / 120 * c5 * (5 - 18 * t2 + t4 + 14 * eta2 - 58 * t2 * eta2);
    const double dl = lambda - lambda0, dl2 = dl * dl;
    const double northing = i + dl2 * (ii + dl2 * (iii + dl2 * iiia));
    const double easting = e0 + dl * (iv + dl2 * (v + dl2 * vi));
    return {easting, northing};
}

LonLat unproject_grs80(double x, double y) {
    // OS user guide, C.2: easting and northing to latitude and longitude.
    // The latitude whose meridional arc is y - n0: OS's fixed-point iteration, but
    // stepping by the arc's derivative (rho) so that it converges in two or three steps.
    double phi = (y - n0) / (a * f0) + phi0;
    double m = meridional_arc(phi);
    for (int k = 0; k < 20 && std::fabs(y - n0 - m) >= 1e-5; ++k) {
        const double sp = std::sin(phi), wp = 1 - e2 * sp * sp;
        phi += (y - n0 - m) / (a * f0 * (1 - e2) / (wp * std::sqrt(wp)));
        m = meridional_arc(phi);
    }
    const double s = std::sin(phi), t = std::tan(phi), sec = 1 / std::cos(phi);
    const double t2 = t * t, t4 = t2 * t2, t6 = t4 * t2;
    const double w = 1 - e2 * s * s;
    const double nu = a * f0 / std::sqrt(w);
    const double rho = nu * (1 - e2) / w;
    const double eta2 = nu / rho - 1;
    const double nu3 = nu * nu * nu, nu5 = nu3 * nu * nu, nu7 = nu5 * nu * nu;
    const double vii = t / (2 * rho * nu);
    const double viii = t / (24 * rho * nu3) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2);
    const double ix = t / (720 * rho * nu5) * (61 + 90 * t2 + 45 * t4);
    const double xx = sec / nu;
    const double xi = sec / (6 * nu3) * (nu / rho + 2 * t2);
    const double xii = sec / (120 * nu5) * (5 + 28 * t2 + 24 * t4);
    const double xiia = sec / (5040 * nu7) * (61 + 662 * t2 + 1320 * t4 + 720 * t6);
    const double de = x - e0, de2 = de * de;
    double lat = phi - de2 * (vii - de2 * (viii - de2 * ix));
    double lon = lambda0 + de * (xx - de2 * (xi - de2 * (xii - de2 * xiia)));
    // The series is good to a few millimetres 300 km from the central meridian (Scilly,
    // Shetland): a few Newton steps against project_grs80() make the two exact inverses,
    // so that a point exported and imported again comes back where it was.
    for (int k = 0; k < 4; ++k) {
        const model::GridPoint p = project_grs80(lon * 180 / pi, lat * 180 / pi);
        const double dx = x - p.easting, dy = y - p.northing;
        if (std::fabs(dx) < 1e-6 && std::fabs(dy) < 1e-6) break; // a thousandth of a millimetre
        // The scale of the projection at this latitude (nu and rho as above, here
        // close enough for a correction of a few millimetres).
        lat += dy / rho;
        lon += dx / (nu * std::cos(lat));
    }
    return {lon * 180 / pi, lat * 180 / pi};
}

std::optional<model::GridPoint> to_grid(double lon, double lat) {
    if (!std::isfinite(lon) || !std::isfinite(lat) || std::fabs(lat) > 89) return std::nullopt;
    const model::GridPoint etrs = project_grs80(lon, lat);
    double se = 0, sn = 0;
    if (!shifts(etrs.easting, etrs.northing, se, sn)) return std::nullopt;
    return model::GridPoint{etrs.easting + se, etrs.northing + sn};
}

std::optional<LonLat> to_etrs89(double easting, double northing) {
    if (!std::isfinite(easting) || !std::isfinite(northing)) return std::nullopt;
    // The shifts are known at ETRS89 grid positions: find the position whose shifted
    // point is (easting, northing), starting from the shift found at the point itself.
    double se = 0, sn = 0;
    if (!shifts(easting, northing, se, sn)) return std::nullopt;
    double x = easting - se, y = northing - sn;
    for (int k = 0; k < 20; ++k) {
        if (!shifts(x, y, se, sn)) return std::nullopt;
        const double nx = easting - se, ny = northing - sn;
        const bool done = std::fabs(nx - x) < 1e-5 && std::fabs(ny - y) < 1e-5;
        x = nx;
        y = ny;
        if (done) break;
    }
    return unproject_grs80(x, y);
}

} // namespace estate::geo::ostn15
