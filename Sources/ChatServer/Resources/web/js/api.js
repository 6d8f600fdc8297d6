// The REST client (docs/api.md, /api/openapi.json).
//
// The token travels in the `Authorization: Bearer` header only, never in a URL (URLs end up in
// logs). A refused request throws an ApiError carrying the server's own `error` text, so the
// views can show it as it is. A 401 on an authenticated request also calls `onUnauthorized`:
// the token is dead and the user must log in again.

/** A refused or failed request: `status` (0 when the server could not be reached) and the message to show. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * @param {() => (string|null)} getToken the current token, if any
 * @param {() => void} onUnauthorized called when the server answers 401 to a request that had a token
 */
export function createApi(getToken, onUnauthorized) {
  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
    }
    const data = await readJSON(response);
    if (!response.ok) {
      if (response.status === 401 && token) onUnauthorized();
      const message = data && typeof data.error === 'string' ? data.error : `The server answered ${response.status}`;
      throw new ApiError(response.status, message);
    }
    return data;
  }

  const room = (id) => `/api/rooms/${encodeURIComponent(id)}`;
  const member = (id, username) => `${room(id)}/members/${encodeURIComponent(username)}`;

  return {
    register: (username, password) => request('POST', '/api/register', { username, password }),
    login: (username, password) => request('POST', '/api/login', { username, password }),
    logout: () => request('POST', '/api/logout'),
    users: () => request('GET', '/api/users'),
    rooms: () => request('GET', '/api/rooms'),
    createRoom: (name, kind) => request('POST', '/api/rooms', { name, kind }),
    createGroup: (name, members) => request('POST', '/api/rooms/with-members', { name, members }),
    openPrivate: (username) => request('POST', '/api/rooms/private', { username }),
    addMember: (roomId, username) => request('POST', `${room(roomId)}/members`, { username }),
    removeMember: (roomId, username) => request('DELETE', member(roomId, username)),
    changeRole: (roomId, username, role) => request('PATCH', member(roomId, username), { role }),
    online: (roomId) => request('GET', `${room(roomId)}/online`),
  };
}

/** The body as JSON, or null when there is none (204) or it is not JSON. */
async function readJSON(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
