// The connection banner: "Reconnecting…" while the socket is down, nothing once every room is
// subscribed again. The element is a role=status live region that stays in the page, so screen
// readers announce the change of text.

/**
 * @param {HTMLElement} banner the [data-testid="connection-banner"] element
 * @param {import('../store.js').Store} store
 */
export function mountBanner(banner, store) {
  const render = () => {
    const down = store.connection === 'reconnecting';
    banner.textContent = down ? 'Reconnecting…' : '';
    banner.classList.toggle('is-visible', down);
  };
  store.on('connection', render);
  render();
}
