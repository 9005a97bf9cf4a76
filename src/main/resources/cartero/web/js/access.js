// The password or access token that lets this tab into a node that asks for one
// (docs/security.md). `cartero server --token` prints addresses ending in ?token=…: the page
// takes the token from its address once, keeps it for this tab in sessionStorage (a reload
// keeps it, other tabs and later visits do not) and takes it out of the address bar, so that
// it is neither passed on by copying the address nor left in the browser's history.

const KEY = 'cartero.access';
/** The token of this visit when the browser refuses sessionStorage. */
let kept = null;

/**
 * Moves a `token` parameter from the page's address into this tab's storage, and replaces
 * the address with the same one without it.
 */
export function takeFromAddress(location, history) {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) {
    return;
  }
  const token = url.searchParams.get('token');
  if (token) {
    save(token);
  }
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

/** The password or token this tab presents, or null when it has none. */
export function load() {
  try {
    return window.sessionStorage.getItem(KEY) ?? kept;
  } catch {
    return kept;
  }
}

export function save(token) {
  kept = token;
  try {
    window.sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused: the token lasts until the page is closed or reloaded.
  }
}

/** Forgets the token, which the node refused: a reload does not present it again. */
export function forget() {
  kept = null;
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused: nothing was kept there.
  }
}
