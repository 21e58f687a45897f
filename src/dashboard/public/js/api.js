// The dashboard's only way to the server: the public HTTP API, with the signed-in user's token.
const SESSION_KEY = 'tradeflow.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? { status, code: `http.${status}` };
    this.code = this.problem.code;
  }
}

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export const saveSession = (value) => sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
export const clearSession = () => sessionStorage.removeItem(SESSION_KEY);

/** The position of this tab's latest write: later reads wait for the read models to hold it. */
let lastWrite;

function withMinPosition(path) {
  if (!lastWrite) return path;
  return `${path}${path.includes('?') ? '&' : '?'}minPosition=${encodeURIComponent(lastWrite)}`;
}

async function call(method, path, { body, headers = {}, accept = 'application/json' } = {}) {
  const current = session();
  const response = await fetch(method === 'GET' ? withMinPosition(path) : path, {
    method,
    headers: {
      accept,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(current ? { authorization: `Bearer ${current.token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && current) {
    // The session expired or was revoked: back to the sign-in page.
    clearSession();
    location.hash = '#/sign-in';
  }
  return response;
}

async function parsed(response) {
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!response.ok)
    throw new ApiError(response.status, typeof data === 'object' ? data : undefined);
  return data;
}

export const get = async (path) => parsed(await call('GET', path));

/** A GET that also returns the ETag, for an If-Match on the next write. */
export async function getWithEtag(path) {
  const response = await call('GET', path);
  const data = await parsed(response);
  return { data, etag: response.headers.get('etag') };
}

export async function post(path, body = {}, headers = {}) {
  const data = await parsed(await call('POST', path, { body, headers }));
  if (data && typeof data.position === 'string') lastWrite = data.position;
  return data;
}

/** Public, and fetched once: which routes and parameters this server offers. */
let openApi;
export function openApiDocument() {
  openApi ??= fetch('/api/docs/openapi.json').then((response) =>
    response.ok ? response.json() : { paths: {} },
  );
  return openApi;
}

export async function offers(method, path, parameter) {
  const operation = (await openApiDocument()).paths?.[path]?.[method.toLowerCase()];
  if (!operation) return false;
  return parameter === undefined || (operation.parameters ?? []).some((p) => p.name === parameter);
}

/** Saves a report as CSV: fetched with the token (a plain link could not carry it). */
export async function downloadCsv(path, filename) {
  const response = await call('GET', `${path}${path.includes('?') ? '&' : '?'}format=csv`, {
    accept: 'text/csv',
  });
  if (!response.ok) await parsed(response);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const anchor = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const query = (params) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
};
