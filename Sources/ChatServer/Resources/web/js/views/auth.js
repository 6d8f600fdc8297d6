// The login / register screen: one form, two buttons. Register creates the account and logs
// straight in. Whatever the server refuses is shown with the server's own words.

import { byTestId, showError } from '../dom.js';

/**
 * @param {HTMLElement} root the #auth element (its form is in index.html)
 * @param {object} options
 * @param {ReturnType<import('../api.js').createApi>} options.api
 * @param {(session: {token: string, user: object}) => void} options.onLoggedIn
 */
export function mountAuth(root, { api, onLoggedIn }) {
  const form = byTestId(root, 'auth-form');
  const username = byTestId(root, 'auth-username');
  const password = byTestId(root, 'auth-password');
  const error = byTestId(root, 'auth-error');
  const buttons = form.querySelectorAll('button');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = event.submitter?.value === 'register' ? 'register' : 'login';
    showError(error, '');
    buttons.forEach((button) => { button.disabled = true; });
    try {
      if (action === 'register') await api.register(username.value, password.value);
      const session = await api.login(username.value, password.value);
      password.value = '';
      onLoggedIn(session);
    } catch (failure) {
      showError(error, failure.message);
      (action === 'register' ? username : password).focus();
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  });

  return {
    /** Shows the screen with an empty error and the focus in the username field. */
    show() {
      showError(error, '');
      password.value = '';
      username.focus();
    },
  };
}
