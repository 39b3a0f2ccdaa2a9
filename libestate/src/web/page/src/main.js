// The page estate serve sends: log in, the map, the table that follows it, a property's
// details with its history and a form to tag it, many tagged at once, exports and the
// board report. Everything from the server is put into the page as text, never as HTML.
import './style.css';
import * as api from './api.js';
import { createMap, fillLegend } from './map.js';
import { statusLabels } from './style.js';

const shortLabels = { red: 'Red', amber: 'Amber', green: 'Green', unassessed: 'Unassessed' };

const $ = (id) => document.getElementById(id);
const tableLimit = 500;
let mapView = null;
let rows = [];
let sortKey = 'name';
let sortAscending = true;
const selected = new Map(); // id -> version seen
let openId = null;

function say(element, text, kind) {
  element.textContent = text || '';
  element.dataset.kind = kind || '';
}

function option(select, value, label) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  select.append(o);
}

function money(v) {
  if (v === null || v === undefined) return 'not recorded';
  return '£' + Math.round(v).toLocaleString('en-GB');
}

// ---- Logging in and out -------------------------------------------------------------

async function start() {
  try {
    showApp(await api.session());
  } catch (e) {
    showLogin();
  }
}

function showLogin() {
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-name').focus();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('login-name').value.trim(), password = $('login-password').value;
  if (!name || !password) return say($('login-message'), 'Give your officer name and your password.', 'error');
  try {
    const s = await api.login(name, password);
    $('login-password').value = '';
    say($('login-message'), '');
    showApp(s);
  } catch (e) {
    say($('login-message'), e.message, 'error');
    $('login-password').select();
  }
});

$('logout').addEventListener('click', async () => {
  try { await api.logout(); } catch (e) { /* the session may have expired already */ }
  window.location.reload();
});

// A 401 anywhere means the session has ended (idle or absolute expiry): log in again.
function handleError(e, element) {
  if (e instanceof api.ApiError && e.status === 401) return showLogin();
  say(element, e.message, 'error');
}

// ---- The app ------------------------------------------------------------------------

async function showApp(session) {
  $('login').hidden = true;
  $('app').hidden = false;
  $('who').textContent = `${session.officer} (${session.agency}${session.partnership_wide ? ', partnership-wide' : ''})`;
  if (mapView) return;
  const area = await api.area();
  if (area.area) {
    $('area-title').textContent = `${area.area}: public estate register`;
    document.title = `${area.area}: public estate register`;
  }
  for (const owner of area.owners) option($('f-owner'), owner, owner);
  for (const s of area.statuses) {
    option($('f-status'), s.code, statusLabels[s.code] || s.label);
    option($('bulk-status'), s.code, statusLabels[s.code] || s.label);
    option($('tag-status'), s.code, statusLabels[s.code] || s.label);
  }
  for (const u of area.uses) option($('f-use'), u.code, u.label);
  mapView = createMap('map', area, openProperty);
  window.estate = { map: mapView.map, statusesAt: mapView.statusesAt, openProperty }; // for scripts and the browser tests
  fillLegend($('legend'), false);
  loadTable(); // at once, beside the tiles: the view is known already
  mapView.map.on('moveend', () => scheduleTable());
  try {
    const hubs = await api.hubs();
    mapView.showHubs(hubs);
    fillLegend($('legend'), hubs.features.length > 0);
  } catch (e) {
    handleError(e, $('status-message'));
  }
}

// ---- The table ----------------------------------------------------------------------

function filters() {
  return {
    q: $('f-q').value.trim(),
    owner: $('f-owner').value,
    status: $('f-status').value,
    use: $('f-use').value,
    no_value: $('f-novalue').checked ? '1' : '',
  };
}
const bbox = () => ($('f-follow').checked && mapView ? mapView.extent() : null);

let tableTimer = null;
let tableRequest = 0;
function scheduleTable() {
  clearTimeout(tableTimer);
  tableTimer = setTimeout(loadTable, 150);
}
for (const id of ['f-owner', 'f-status', 'f-use', 'f-novalue', 'f-follow']) $(id).addEventListener('change', scheduleTable);
$('f-q').addEventListener('input', scheduleTable);
$('filters').addEventListener('submit', (e) => { e.preventDefault(); scheduleTable(); goToPostcode(); });
$('f-q').addEventListener('change', goToPostcode);

// A search that is a full postcode takes the map there too (the register's postcode
// lookup, loaded with estate postcodes load), though no property has that postcode.
const fullPostcode = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;
async function goToPostcode() {
  const q = $('f-q').value.trim();
  if (!fullPostcode.test(q) || !mapView) return;
  try {
    const at = await api.postcode(q);
    mapView.centreOn([at.easting, at.northing]);
  } catch (e) {
    if (!(e instanceof api.ApiError) || e.status !== 404) handleError(e, $('status-message'));
  }
}

let tableShown = ''; // the query the table shows: the same view again is not asked for again
async function loadTable() {
  const query = api.filterQuery(filters(), bbox()).toString();
  if (query === tableShown) return;
  tableShown = query;
  const request = ++tableRequest;
  try {
    const answer = await api.properties(filters(), bbox(), tableLimit);
    if (request !== tableRequest) return; // a newer view has been asked for
    rows = answer.features.map((f) => ({ id: f.id, at: f.geometry && f.geometry.coordinates, ...f.properties }));
    $('table-count').textContent = answer.more
      ? `The first ${tableLimit} properties${bbox() ? ' in view' : ''}: zoom in or filter to see the rest.`
      : `${rows.length} ${rows.length === 1 ? 'property' : 'properties'}${bbox() ? ' in view' : ''}.`;
    for (const id of [...selected.keys()]) if (!rows.some((r) => r.id === id)) selected.delete(id);
    drawTable();
  } catch (e) {
    tableShown = '';
    handleError(e, $('status-message'));
  }
}

function compare(a, b) {
  const x = a[sortKey], y = b[sortKey];
  if (x === y) return 0;
  if (x === null || x === undefined) return 1; // not recorded last, whichever way
  if (y === null || y === undefined) return -1;
  const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), 'en-GB');
  return sortAscending ? order : -order;
}

function drawTable() {
  const body = $('table').tBodies[0];
  body.replaceChildren();
  for (const r of [...rows].sort(compare)) {
    const tr = document.createElement('tr');
    tr.dataset.id = r.id;
    const check = document.createElement('input');
    check.type = 'checkbox';
    check.checked = selected.has(r.id);
    check.setAttribute('aria-label', `Select ${r.name || r.ref}`);
    check.addEventListener('change', () => {
      if (check.checked) selected.set(r.id, r.version);
      else selected.delete(r.id);
      countSelected();
    });
    const cell = (content) => {
      const td = document.createElement('td');
      if (content instanceof Node) td.append(content);
      else td.textContent = content;
      tr.append(td);
      return td;
    };
    cell(check);
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'link';
    open.textContent = r.name || r.ref;
    open.addEventListener('click', () => openProperty(r.id));
    cell(open);
    cell(r.owner);
    cell(r.use + (r.use_source === 'name' ? ' (guessed)' : ''));
    const status = cell(shortLabels[r.rag_status] || r.rag_status);
    status.className = `status status-${r.rag_status}`;
    cell(money(r.market_value)).className = 'number';
    body.append(tr);
  }
  for (const th of $('table').tHead.rows[0].cells) {
    const b = th.querySelector('button');
    if (b) th.setAttribute('aria-sort', b.dataset.sort === sortKey ? (sortAscending ? 'ascending' : 'descending') : 'none');
  }
  countSelected();
}

for (const b of $('table').tHead.querySelectorAll('button[data-sort]'))
  b.addEventListener('click', () => {
    if (sortKey === b.dataset.sort) sortAscending = !sortAscending;
    else (sortKey = b.dataset.sort), (sortAscending = true);
    drawTable();
  });

$('select-all').addEventListener('change', () => {
  for (const r of rows) if ($('select-all').checked) selected.set(r.id, r.version); else selected.delete(r.id);
  drawTable();
});

function countSelected() {
  $('bulk-count').textContent = selected.size ? `${selected.size} selected.` : 'None selected.';
}

// ---- Many tags at once: all or nothing ------------------------------------------------

$('bulk-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('bulk-status').value, reason = $('bulk-reason').value.trim();
  if (!selected.size) return say($('bulk-message'), 'Select the properties to tag first.', 'error');
  if (!reason && status !== 'unassessed') return say($('bulk-message'), 'Give the reason for the status.', 'error');
  try {
    const r = await api.bulkTag(status, reason, [...selected].map(([id, version]) => ({ id, version })));
    say($('bulk-message'), `Saved: ${r.changed} changed, ${r.unchanged} already so.`, 'ok');
    selected.clear();
    $('select-all').checked = false;
    changed();
  } catch (e) {
    handleError(e, $('bulk-message'));
  }
});

// ---- Exports and the board report ---------------------------------------------------

function exportShown(format) {
  const q = api.filterQuery(filters(), bbox());
  q.set('format', format);
  window.location.assign(`/api/export?${q}`); // a download: the page stays
}
$('export-gpkg').addEventListener('click', () => exportShown('gpkg'));
$('export-xlsx').addEventListener('click', () => exportShown('xlsx'));

// ---- One property -------------------------------------------------------------------

const words = (code) => (code ? String(code).replace(/_/g, ' ') : code);
const locatedBy = {
  source: 'the source\u2019s coordinates',
  postcode: 'the postcode\u2019s centre: approximate',
  partial_postcode: 'a partial postcode: approximate',
};
const provenance = (value, recorded, missing) => (value === null || value === undefined ? missing : recorded);

async function openProperty(id) {
  openId = id;
  try {
    const p = await api.property(id);
    if (openId !== id) return;
    showProperty(p);
  } catch (e) {
    handleError(e, $('status-message'));
  }
}

function showProperty(p) {
  const details = $('details');
  details.hidden = false;
  $('details-title').textContent = p.name || p.ref;
  const at = p.easting !== null && p.easting !== undefined ? [p.easting, p.northing] : null;
  mapView.select(at);
  const fields = $('details-fields');
  fields.replaceChildren();
  const field = (label, value, source) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value === null || value === undefined || value === '' ? 'not recorded' : String(value);
    if (source) {
      const s = document.createElement('span');
      s.className = 'source';
      s.textContent = ` (${source})`;
      dd.append(s);
    }
    fields.append(dt, dd);
  };
  field('Owner', p.owner);
  field('Reference', p.ref);
  field('UPRN', p.uprn);
  field('Address', [p.address, p.postcode].filter(Boolean).join(', '));
  field('Use', words(p.use), { source: 'recorded', name: 'guessed from the name', officer: 'set by an officer' }[p.use_source]);
  field('Tenure', words(p.tenure));
  field('Floor area (m²)', p.gia_m2, provenance(p.gia_m2, 'recorded', null));
  const hasArea = p.gia_m2 !== null && p.gia_m2 !== undefined, hasLand = p.land_area_ha !== null && p.land_area_ha !== undefined;
  field('Market value', money(p.market_value), provenance(p.market_value, 'recorded',
    hasArea ? 'the estimate uses its floor area at the scenario\u2019s rate for its use: estimated'
      : hasLand ? 'the estimate uses its land area at the scenario\u2019s rate a hectare: estimated'
        : 'no value and no area: the estimate counts it at nothing (a valuation to commission)'));
  field('Running cost a year', money(p.running_cost), provenance(p.running_cost, 'recorded',
    hasArea ? 'the estimate uses its floor area at the scenario\u2019s cost a m\u00b2: estimated' : 'not known'));
  field('Location', at ? `${Math.round(p.easting)} E, ${Math.round(p.northing)} N` : 'not located',
    at ? locatedBy[p.location_quality] || words(p.location_quality) : null);
  field('Status', statusLabels[p.rag_status] || p.rag_status,
    p.rag_set_by ? `${p.rag_set_by}, ${p.rag_set_at}${p.rag_source ? ', ' + p.rag_source : ''}` : null);
  field('Reason', p.rag_reason);
  field('Came from', (p.batch_source || '').split('/').pop());

  $('tag-status').value = p.rag_status;
  $('tag-reason').value = '';
  $('tag-version').textContent = String(p.version);
  $('tag-form').dataset.version = String(p.version);
  $('tag-form').dataset.id = String(p.id);
  say($('tag-message'), '');

  const body = $('history').tBodies[0];
  body.replaceChildren();
  for (const h of [...p.history].reverse()) {
    const tr = document.createElement('tr');
    for (const text of [h.changed_at, h.changed_by, `${h.old_status} → ${h.new_status}`, h.reason, h.source]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
  $('details').focus();
}

$('details-close').addEventListener('click', closeDetails);
document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('details').hidden) closeDetails(); });
function closeDetails() {
  $('details').hidden = true;
  openId = null;
  mapView.select(null);
  $('map').focus();
}

$('tag-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = $('tag-form');
  const id = Number(form.dataset.id), version = Number(form.dataset.version);
  const status = $('tag-status').value, reason = $('tag-reason').value.trim();
  if (!reason && status !== 'unassessed') return say($('tag-message'), 'Give the reason for the status.', 'error');
  try {
    const r = await api.tag(id, status, reason, version);
    await openProperty(id);
    say($('tag-message'), r.changed ? `Saved: now version ${r.version}.` : 'Already so: nothing changed.', 'ok');
    changed();
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 409) return showConflict(id, e.body);
    handleError(e, $('tag-message'));
  }
});

// Someone else changed it since: say who and what, and let the officer retry knowingly.
function showConflict(id, body) {
  const box = $('tag-message');
  box.replaceChildren();
  box.dataset.kind = 'error';
  const p = document.createElement('p');
  p.textContent = 'Someone changed this property since you opened it:';
  const list = document.createElement('ul');
  let latest = Number($('tag-form').dataset.version);
  for (const h of body.since || []) {
    const li = document.createElement('li');
    li.textContent = `${h.changed_by} set it to ${h.new_status} at ${h.changed_at}: ${h.reason}`;
    list.append(li);
    latest = Math.max(latest, h.version);
  }
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.textContent = `Keep my status over theirs (retry at version ${latest})`;
  retry.addEventListener('click', () => {
    $('tag-form').dataset.version = String(latest);
    $('tag-version').textContent = String(latest);
    $('tag-form').requestSubmit();
  });
  box.append(p, list, retry);
  changed();
}

// After a change: the map's colours and the table again.
function changed() {
  mapView.refresh();
  tableShown = '';
  scheduleTable();
}

start();
