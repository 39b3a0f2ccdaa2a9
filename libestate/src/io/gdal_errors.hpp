#pragma once
// Private: collects GDAL/OGR error messages raised while in scope, so that they
// become part of the exception we throw instead of noise on stderr.

#include <cpl_error.h>
#include <gdal.h>

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace estate::io {

/// GDAL's drivers, registered once per process before the first read or write.
inline void register_gdal_drivers_once() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

class GdalErrorCollector {
public:
    GdalErrorCollector() { CPLPushErrorHandlerEx(&GdalErrorCollector::handler, this); }
    ~GdalErrorCollector() { CPLPopErrorHandler(); }
    GdalErrorCollector(const GdalErrorCollector&) = delete;
    GdalErrorCollector& operator=(const GdalErrorCollector&) = delete;

    /// The last error (CE_Failure or worse) message, or "".
    const std::string& last_error() const { return error_; }
    /// Every error message since construction or clear() (the first 100).
    const std::vector<std::string>& errors() const { return all_; }
    void clear() {
        error_.clear();
        all_.clear();
    }

private:
    static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum, const char* msg) {
        auto* self = static_cast<GdalErrorCollector*>(CPLGetErrorHandlerUserData());
        // GeoJSON says of a geometry of an unknown type only in a debug message (with
        // CPL_DEBUG=GeoJSON): the feature is given with none.
        if (self && cls == CE_Debug && msg && std::strstr(msg, "NULL geometry") && self->all_.size() < 100)
            self->all_.emplace_back("a geometry of a type GeoJSON does not have: the feature gets none");
        if (self && cls >= CE_Failure && msg) {
            self->error_ = msg;
            if (self->all_.size() < 100) self->all_.emplace_back(msg);
        }
    }
    std::string error_;
    std::vector<std::string> all_;
};

} // namespace estate::io
