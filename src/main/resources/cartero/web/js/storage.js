// What the browser remembers between visits. A browser that refuses storage (private
// windows in some browsers) still works: it only forgets.

const PREFIX = 'cartero.';

export function load(key, fallback = null) {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    return raw == null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function save(key, value) {
  try {
    if (value == null) {
      window.localStorage.removeItem(PREFIX + key);
    } else {
      window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
    }
  } catch {
    // Storage full or refused: the value lasts for this visit only.
  }
}

/**
 * A token for this browser tab, drawn with `draw` on its first visit and kept in
 * sessionStorage, which a reload, a navigation and Back keep and other tabs do not share.
 */
export function tabToken(draw) {
  try {
    const kept = window.sessionStorage.getItem(PREFIX + 'session');
    if (kept) {
      return kept;
    }
    const token = draw();
    window.sessionStorage.setItem(PREFIX + 'session', token);
    return token;
  } catch {
    return draw();
  }
}
