// Building DOM nodes without HTML strings.
//
// Every piece of text from the server (messages, usernames, room names, error texts) reaches the
// page through `textContent` or a text node, never through innerHTML, so a message such as
// `<img src=x onerror=alert(1)>` is shown as those characters. Styles are classes in app.css:
// the server's Content-Security-Policy forbids inline styles and handlers.

/**
 * Creates an element.
 * @param {string} tag
 * @param {object} [props] `class`, `text`, `testid`, `on` ({event: handler}), `dataset`
 *   ({key: value}), booleans such as `hidden` / `disabled`, and any other attribute (set with
 *   setAttribute, so always as text).
 * @param {...(Node|string|null|undefined|false)} children strings become text nodes; falsy ones are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'testid') node.dataset.testid = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

/** Appends children (nodes or strings) to `node`, skipping falsy ones. */
function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Removes every child of `node`, then appends `children`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** Finds the element with `data-testid` = `id` inside `root`. */
export function byTestId(root, id) {
  return root.querySelector(`[data-testid="${id}"]`);
}

/** Shows `message` in an error element (an empty message clears it). */
export function showError(node, message) {
  node.textContent = message || '';
  node.classList.toggle('is-visible', Boolean(message));
}

/** A short local time for a message, e.g. "14:05". */
export function shortTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A full local date and time, for `title` attributes. */
export function longTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}
