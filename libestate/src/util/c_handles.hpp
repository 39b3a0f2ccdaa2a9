#pragma once
// Owning handles for the C libraries' objects (GDAL/OGR, GEOS, PROJ): each freed by its
// own function when the handle goes out of scope, so that nothing leaks when an
// exception passes. The one place such wrappers are written; private to libestate,
// like every C library header.

#include <cpl_vsi.h>
#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <proj.h>

#include <memory>
#include <type_traits>

namespace estate::util {

/// A deleter calling @p Free, for handles freed without a context.
template <auto Free>
struct FreeWith {
    template <class T>
    void operator()(T* p) const {
        if (p) Free(p);
    }
};
/// A unique_ptr to what the C handle type @p H points at (void for GDAL's opaque ones).
template <class H, auto Free>
using CHandle = std::unique_ptr<std::remove_pointer_t<H>, FreeWith<Free>>;

using GdalDataset = CHandle<GDALDatasetH, GDALClose>;
using VsiFile = CHandle<VSILFILE*, VSIFCloseL>;
using OgrFeature = CHandle<OGRFeatureH, OGR_F_Destroy>;
using OgrGeometry = CHandle<OGRGeometryH, OGR_G_DestroyGeometry>;
using OgrFieldDefn = CHandle<OGRFieldDefnH, OGR_Fld_Destroy>;
using OgrSpatialReference = CHandle<OGRSpatialReferenceH, OSRDestroySpatialReference>;
using ProjObject = CHandle<PJ*, proj_destroy>;

/// GEOS objects are freed with the context that made them.
template <class T, auto Free>
struct GeosFree {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(T* p) const {
        if (p) Free(ctx, p);
    }
};
using GeosGeometry = std::unique_ptr<GEOSGeometry, GeosFree<GEOSGeometry, GEOSGeom_destroy_r>>;
using GeosPrepared =
    std::unique_ptr<const GEOSPreparedGeometry, GeosFree<const GEOSPreparedGeometry, GEOSPreparedGeom_destroy_r>>;
using GeosWkbReader = std::unique_ptr<GEOSWKBReader, GeosFree<GEOSWKBReader, GEOSWKBReader_destroy_r>>;
using GeosWktWriter = std::unique_ptr<GEOSWKTWriter, GeosFree<GEOSWKTWriter, GEOSWKTWriter_destroy_r>>;

inline GeosGeometry geos_owned(GEOSContextHandle_t ctx, GEOSGeometry* g) {
    return GeosGeometry(g, {ctx});
}

} // namespace estate::util
