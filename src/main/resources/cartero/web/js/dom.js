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
