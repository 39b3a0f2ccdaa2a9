// The map in British National Grid: the area's outline, every property from vector
// tiles (so a million draw as quickly as a thousand), the latest hubs run, a legend.
import 'ol/ol.css';
import Map from 'ol/Map';
import View from 'ol/View';
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import LineString from 'ol/geom/LineString';
import VectorLayer from 'ol/layer/Vector';
import VectorTileLayer from 'ol/layer/VectorTile';
import VectorSource from 'ol/source/Vector';
import VectorTileSource from 'ol/source/VectorTile';
import MVT from 'ol/format/MVT';
import WKT from 'ol/format/WKT';
import TileGrid from 'ol/tilegrid/TileGrid';
import ScaleLine from 'ol/control/ScaleLine';
import { register } from 'ol/proj/proj4';
import { get as getProjection } from 'ol/proj';
import proj4 from 'proj4';
import { boundaryStyle, hubLegend, hubStyle, propertyStyle, selectedStyle, statusColours, statusLabels } from './style.js';

proj4.defs('EPSG:27700',
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs');
register(proj4);
const bng = getProjection('EPSG:27700');
bng.setExtent([-238375, 0, 900000, 1376256]);

// The tile grid of docs/api.md (and web/tiles.hpp): 896 m a pixel at zoom 0, halving.
const resolutions = Array.from({ length: 15 }, (_, z) => 896 / 2 ** z);
const tileGrid = new TileGrid({ origin: [-238375, 1376256], resolutions, tileSize: 256 });

export function createMap(target, area, onPick) {
  const propertiesSource = new VectorTileSource({
    format: new MVT(),
    url: '/api/tiles/{z}/{x}/{y}.mvt',
    projection: bng,
    tileGrid,
  });
  const properties = new VectorTileLayer({
    source: propertiesSource, style: propertyStyle, renderMode: 'hybrid', declutter: false,
    properties: { title: 'properties' },
  });
  const boundary = new VectorLayer({ source: new VectorSource(), style: boundaryStyle });
  if (area.boundary_wkt) boundary.getSource().addFeature(new WKT().readFeature(area.boundary_wkt));
  const hubs = new VectorLayer({ source: new VectorSource(), style: hubStyle });
  const hubLinks = new VectorLayer({ source: new VectorSource(), style: hubStyle });
  const selected = new VectorLayer({ source: new VectorSource(), style: selectedStyle });
  const view = new View({ projection: bng, resolutions, constrainResolution: true });
  // Hubs' links beneath the dots, their rings above (hollow), so that their numbers can be read.
  const map = new Map({ target, layers: [boundary, hubLinks, properties, hubs, selected], view, controls: [] });
  map.addControl(new ScaleLine({ units: 'metric' }));
  // Busy while tiles load, for screen readers (and the tests and benchmark, which wait for it).
  const element = map.getTargetElement();
  element.setAttribute('aria-busy', 'true');
  map.on('loadstart', () => element.setAttribute('aria-busy', 'true'));
  map.on('rendercomplete', () => element.setAttribute('aria-busy', 'false'));
  const extent = boundary.getSource().getFeatures().length ? boundary.getSource().getExtent() : area.extent;
  if (extent) view.fit(extent, { padding: [20, 20, 20, 20] });
  else view.setCenter([400000, 300000]), view.setZoom(1);

  // The vector tile layer answers for what it has drawn at a pixel itself (the map's
  // forEachFeatureAtPixel does not look into vector tiles drawn in hybrid mode).
  const drawnAt = (pixel) => properties.getFeatures(pixel);
  map.on('singleclick', async (event) => {
    const hit = await drawnAt(event.pixel);
    if (hit.length) onPick(hit[0].getId());
  });
  map.on('pointermove', async (event) => {
    if (event.dragging) return;
    const hit = await drawnAt(event.pixel);
    map.getTargetElement().style.cursor = hit.length ? 'pointer' : '';
  });

  return {
    map,
    /// Draws the tiles again (after a tag), so its new colour shows.
    refresh: () => propertiesSource.refresh(),
    /// The statuses drawn at a place (easting, northing), topmost first.
    async statusesAt(at) {
      return (await drawnAt(map.getPixelFromCoordinate(at))).map((f) => f.get('status'));
    },
    /// The view's extent in metres: min easting, min northing, max easting, max northing.
    extent: () => view.calculateExtent(map.getSize()),
    select(at) {
      selected.getSource().clear();
      if (at) selected.getSource().addFeature(new Feature(new Point(at)));
    },
    centreOn(at) {
      if (at) view.animate({ center: at, resolution: Math.min(view.getResolution(), 3.5), duration: 300 });
    },
    showHubs(collection) {
      const source = hubs.getSource(), links = hubLinks.getSource();
      source.clear();
      links.clear();
      for (const hub of collection.features) {
        const host = hub.geometry.coordinates;
        for (const m of hub.properties.members)
          if (!m.host && m.at) links.addFeature(new Feature({ geometry: new LineString([host, m.at]) }));
        const f = new Feature({ geometry: new Point(host) });
        f.setProperties({ hub: hub.properties.hub, fit: hub.properties.fit });
        source.addFeature(f);
      }
    },
  };
}

/// The legend: statuses in the QGIS style's colours, then the hubs' rings.
export function fillLegend(element, hubsShown) {
  // A disclosure, so that it can be folded away on a small screen.
  const wasOpen = element.querySelector('details') ? element.querySelector('details').open : window.innerWidth > 900;
  element.replaceChildren();
  const details = document.createElement('details');
  details.open = wasOpen;
  const title = document.createElement('summary');
  title.textContent = 'Legend';
  details.append(title);
  const list = document.createElement('ul');
  const item = (colour, label, ring) => {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = ring ? 'swatch ring' : 'swatch';
    swatch.style.setProperty(ring ? 'border-color' : 'background-color', colour);
    li.append(swatch, document.createTextNode(label));
    list.append(li);
  };
  for (const status of ['red', 'amber', 'green', 'unassessed']) item(statusColours[status], statusLabels[status], false);
  if (hubsShown) for (const h of hubLegend) item(h.colour, h.label, true);
  details.append(list);
  element.append(details);
}
