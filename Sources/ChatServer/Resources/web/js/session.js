// The logged-in session of this tab: the bearer token and the user it belongs to.
//
// Kept in sessionStorage, so a reload keeps the user logged in while another tab (or another
// browser window) can log in as someone else. Logging out clears it.

const KEY = 'chat.session';

/** The stored session `{token, user: {id, username}}`, or null. */
export function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY));
    return session && typeof session.token === 'string' && session.user ? session : null;
  } catch {
    return null;
  }
}

/** Stores the session after a login. */
export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

/** Forgets the session (logout, or a token the server no longer accepts). */
export function clearSession() {
  sessionStorage.removeItem(KEY);
}
