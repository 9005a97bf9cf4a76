// Building the page's elements. Text goes in with textContent only: whatever a person
// typed (names, room names, messages) is shown as text, never parsed as markup.

/**
 * Makes an element.
 * @param {string} tag
 * @param {{className?: string, text?: string, attrs?: Object, on?: Object}} [options]
 * @param {Array<Node|null|undefined|false>} [children]
 */
export function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.className) {
    node.className = options.className;
  }
  if (options.text != null) {
    node.textContent = String(options.text);
  }
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value === true) {
      node.setAttribute(name, '');
    } else if (value !== false && value != null) {
      node.setAttribute(name, String(value));
    }
  }
  for (const [event, listener] of Object.entries(options.on ?? {})) {
    node.addEventListener(event, listener);
  }
  for (const child of children) {
    if (child) {
      node.append(child);
    }
  }
  return node;
}

/**
 * Characters that act instead of showing: C0 controls but the line break and the tab, DEL and
 * C1 controls, bidirectional marks, embeddings, overrides and isolates, and the line and
 * paragraph separators. The same set the terminal programs escape.
 */
const ACTING = new RegExp('[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F'
  + '\\u202A-\\u202E\\u2066-\\u2069\\u2028\\u2029]', 'g');

/**
 * Someone's message as the terminal programs show it: each character of {@link ACTING} as a
 * backslash, `u` and four hex digits (an escape character is `\u001B`, not a box), so that an
 * override cannot turn the rest of a message around. Line breaks and tabs stay.
 * @param {string} text
 */
export function visible(text) {
  return String(text).replace(/\r\n/g, '\n').replace(ACTING, (c) =>
    `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** The element with this id; fails loudly when the page lacks it. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) {
    throw new Error(`the page has no element #${id}`);
  }
  return node;
}

/** Removes every child of a node. */
export function clear(node) {
  node.replaceChildren();
}
