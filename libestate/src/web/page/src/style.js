// The map's look: the same colours as the QGIS styles (styles/properties.qml), unassessed
// beneath the coloured statuses, hubs as rings (blue: the host fits everyone; orange:
// too small; purple: not known), as in the board report's map.
import { Circle, Fill, Stroke, Style, Text } from 'ol/style';

export const statusColours = {
  red: 'rgb(215,25,28)',
  amber: 'rgb(253,174,97)',
  green: 'rgb(26,150,65)',
  unassessed: 'rgb(176,176,176)',
};
export const statusLabels = {
  red: 'Red: disposal unlikely',
  amber: 'Amber: disposal possible',
  green: 'Green: an opportunity',
  unassessed: 'Unassessed',
};
const zIndex = { unassessed: 0, green: 1, amber: 2, red: 3 };

const cache = {};
export function propertyStyle(feature, resolution) {
  const status = feature.get('status') || 'unassessed';
  const radius = resolution > 50 ? 3 : resolution > 10 ? 4 : 6;
  const key = status + radius;
  if (!cache[key])
    cache[key] = new Style({
      image: new Circle({
        radius,
        fill: new Fill({ color: statusColours[status] }),
        stroke: new Stroke({ color: 'rgb(255,255,255)', width: radius > 3 ? 1 : 0.5 }),
      }),
      zIndex: zIndex[status],
    });
  return cache[key];
}

export const selectedStyle = new Style({
  image: new Circle({ radius: 10, stroke: new Stroke({ color: '#000', width: 3 }) }),
  zIndex: 10,
});

export const boundaryStyle = new Style({
  stroke: new Stroke({ color: '#555', width: 1.5 }),
  fill: new Fill({ color: 'rgba(255,255,255,0.6)' }),
});

const hubColours = { fits: '#1f6fd1', too_small: '#e07b00', unknown: '#7b3fa0' };
export function hubStyle(feature) {
  if (feature.getGeometry().getType() === 'LineString')
    return new Style({ stroke: new Stroke({ color: 'rgba(40,40,40,0.6)', width: 1, lineDash: [4, 3] }) });
  return new Style({
    image: new Circle({ radius: 11, stroke: new Stroke({ color: hubColours[feature.get('fit')] || '#7b3fa0', width: 3 }) }),
    text: new Text({ text: String(feature.get('hub')), offsetY: -18, font: 'bold 12px sans-serif',
      fill: new Fill({ color: '#222' }), stroke: new Stroke({ color: '#fff', width: 3 }) }),
    zIndex: 5,
  });
}
export const hubLegend = [
  ['fits', 'Hub: the host fits everyone'],
  ['too_small', 'Hub: the host is too small'],
  ['unknown', 'Hub: the host\u2019s floor area not recorded'],
].map(([fit, label]) => ({ colour: hubColours[fit], label }));
