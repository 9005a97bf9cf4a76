// Random tokens for the session and for the keys that make a repeated send store once.

/**
 * A random token of letters, digits and dashes. crypto.randomUUID needs a secure context,
 * which a page opened at http://<LAN address> is not; getRandomValues works everywhere.
 */
export function randomToken() {
  if (window.isSecureContext && window.crypto.randomUUID) {
    return window.crypto.randomUUID();
  }
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
}
