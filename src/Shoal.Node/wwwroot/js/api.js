/**
 * The node's REST API as the browser calls it: the HttpOnly session cookie authenticates, and every
 * call that changes something repeats the shoal_csrf cookie in the X-Shoal-Csrf header.
 */

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

function csrfToken() {
  const cookie = document.cookie.split(/;\s*/).find(c => c.startsWith('shoal_csrf='));
  return cookie ? decodeURIComponent(cookie.slice('shoal_csrf='.length)) : '';
}

/** Sends a request; answers { status, data } or throws an ApiError with the node's {"error"} text. */
export async function request(method, path, body) {
  const headers = {};
  if (method !== 'GET') headers['X-Shoal-Csrf'] = csrfToken();
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError('the node did not answer: is it still running?', 0);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data?.error ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status === 401 ? `${message} (log in again through the web: link shoal node printed)` : message, response.status);
  }
  return { status: response.status, data };
}

export const api = {
  get: async path => (await request('GET', path)).data,
  post: (path, body) => request('POST', path, body),
  patch: async (path, body) => (await request('PATCH', path, body)).data,
  delete: path => request('DELETE', path),
};
