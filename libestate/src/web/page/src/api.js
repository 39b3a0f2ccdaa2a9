// The JSON API of docs/api.md, as the page calls it. The CSRF token lives in memory
// only (never in storage), and goes with every change.
let csrfToken = '';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `the server answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function call(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export async function session() {
  const s = await call('GET', '/api/session');
  csrfToken = s.csrf_token;
  return s;
}

export async function login(name, password) {
  const s = await call('POST', '/api/login', { name, password });
  csrfToken = s.csrf_token;
  return s;
}

export const logout = () => call('POST', '/api/logout');
export const area = () => call('GET', '/api/area');
export const hubs = () => call('GET', '/api/hubs');
export const property = (id) => call('GET', `/api/properties/${encodeURIComponent(id)}`);
export const tag = (id, status, reason, version) =>
  call('POST', `/api/properties/${encodeURIComponent(id)}/rag`, { status, reason, version });
export const postcode = (pc) => call('GET', `/api/postcodes/${encodeURIComponent(pc)}`);
export const bulkTag = (status, reason, properties) => call('POST', '/api/rag/bulk', { status, reason, properties });

/// The query string of the table's filters (and the map's view when @p bbox is given).
export function filterQuery(filters, bbox) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) q.set(key, value);
  if (bbox) q.set('bbox', bbox.map((v) => v.toFixed(1)).join(','));
  return q;
}

export const properties = (filters, bbox, limit) => {
  const q = filterQuery(filters, bbox);
  q.set('limit', String(limit));
  return call('GET', `/api/properties?${q}`);
};
