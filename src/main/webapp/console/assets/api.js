// The console's only way to reach Warden: /api with the session cookie, and the CSRF token on every
// state change. Errors become ApiError with a sentence a person can read.

let csrf = null;

/** The session's CSRF token, sent as X-CSRF-Token on POST, PUT, PATCH and DELETE. */
export function useCsrf(token) {
  csrf = token;
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const GENERIC = {
  400: 'Warden could not accept this request.',
  403: 'You are not allowed to do this.',
  404: 'Nothing was found.',
  409: 'This conflicts with the current state; reload and try again.',
  413: 'This is too large.',
  429: 'Too many requests; wait a moment and try again.',
  500: 'Warden failed to answer. The failure is in the server log.',
  503: 'Warden is unavailable for a moment; try again shortly.',
};

function readable(status, problem) {
  const detail = problem && typeof problem === 'object' ? problem.detail || (problem.error && problem.error.message) : null;
  const base = GENERIC[status] || 'The request failed (HTTP ' + status + ').';
  return detail && typeof detail === 'string' ? (status >= 500 ? base + ' ' + detail : detail) : base;
}

/** The login page, coming back here afterwards. */
export function signIn() {
  const back = location.pathname + location.search + location.hash;
  location.assign('/console/login?return=' + encodeURIComponent(back));
}

/**
 * Calls Warden. {query} is added to the URL (empty values left out); {body} is sent as JSON.
 * Resolves to the parsed JSON (null for an empty answer); rejects with ApiError.
 */
export async function api(path, options = {}) {
  const { method = 'GET', body, query } = options;
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'Warden could not be reached. Check the connection and try again.');
  }
  if (res.status === 401) {
    signIn();
    throw new ApiError(401, 'signed_out', 'Your session has ended; sign in again.');
  }
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    throw new ApiError(res.status, data && data.code, readable(res.status, data));
  }
  return data;
}
