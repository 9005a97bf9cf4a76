// One WebSocket to the node that serves the page, kept open: it says hello, matches
// replies to requests by id, sends a ping frame when it has been quiet, notices a silent
// node, and reconnects with backoff (see backoff.js). What to do once connected (joining,
// resuming, sending what waits) belongs to the chat, which hears of it through onReady.

import { backoffDelay } from './backoff.js';

/** The node closes connections silent for 30 s; a ping frame every 10 s keeps it open. */
const PING_AFTER_MS = 10_000;
/** A node that has sent nothing for this long (its pings and our pongs count) is gone. */
const SILENCE_LIMIT_MS = 30_000;
/** How long opening the socket and saying hello may take. */
const OPEN_LIMIT_MS = 10_000;
const CHECK_EVERY_MS = 1_000;
/** Close codes after which reconnecting cannot help (docs/protocol.md, close codes). */
const FINAL_CLOSE_CODES = new Set([1009, 4002, 4003, 4004]);
/** The node refused the password or token (unauthorized, too_many_attempts): ask the person. */
const ACCESS_REFUSED = 4007;
/** Close codes after which reconnecting helps only after a pause, and why each came. */
const PAUSE_CLOSE_CODES = new Map([[4005, 'rate_limited'], [4006, 'too_many_connections']]);
/** The pause added to the backoff after one of those. */
const PAUSE_MS = 5_000;

/** A request the node refused, or one that lost its connection (code connection_lost). */
export class RequestError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

/**
 * The states reported to onStatus: {phase: 'connecting'} for the first attempt,
 * {phase: 'connected', back}, {phase: 'reconnecting', attempt, delayMs, why} (why: null,
 * 'rate_limited' or 'too_many_connections'), {phase: 'gave_up', reason}, and
 * {phase: 'locked', code, reason} when the node refused the password or token (code
 * 'unauthorized' or 'too_many_attempts', reason the node's words): no reconnect then.
 */
export class Connection {
  /**
   * @param {{url: string, session: string, name: string,
   *   onStatus: Function, onReady: Function, onFrame: Function, onRefused: Function}} options
   */
  constructor(options) {
    this.url = options.url;
    this.session = options.session;
    this.name = options.name;
    this.onStatus = options.onStatus;
    this.onReady = options.onReady;
    this.onFrame = options.onFrame;
    this.onRefused = options.onRefused;
    this.socket = null;
    this.ready = false;
    this.everReady = false;
    this.stopped = false;
    /** The page was put away (navigated from, kept frozen for Back): no socket meanwhile. */
    this.paused = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.nextId = 1;
    this.pending = new Map();
    this.openedAt = 0;
    this.lastHeard = 0;
    this.lastSent = 0;
    /** The error frame without id that the node sent before closing, if any. */
    this.refusal = null;
    this.checker = window.setInterval(() => this.check(), CHECK_EVERY_MS);
    this.onOnline = () => this.retryNow();
    window.addEventListener('online', this.onOnline);
  }

  start() {
    this.onStatus({ phase: 'connecting' });
    this.open();
  }

  /** Stops for good: no reconnect. */
  stop() {
    this.stopped = true;
    window.clearInterval(this.checker);
    window.clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.onOnline);
    if (this.socket) {
      this.drop(this.socket, 1000, 'bye');
    }
  }

  /**
   * The page is being put away: close the socket now, so that the node frees the name at
   * once, instead of holding it for a frozen page until its silence is noticed.
   */
  pause() {
    if (this.stopped || this.paused) {
      return;
    }
    this.paused = true;
    window.clearTimeout(this.retryTimer);
    if (this.socket) {
      this.drop(this.socket, 1000, 'page closed');
    }
  }

  /** The page came back (Back button): connect again and resume. */
  resume() {
    if (this.stopped || !this.paused) {
      return;
    }
    this.paused = false;
    this.scheduleRetry();
  }

  /**
   * Sends a request and resolves with its reply; rejects with a RequestError carrying the
   * node's error code, or connection_lost when the connection ends first.
   */
  request(fields) {
    if (!this.ready) {
      return Promise.reject(new RequestError('connection_lost'));
    }
    return this.send(fields);
  }

  send(fields) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write({ ...fields, id });
    });
  }

  write(frame) {
    this.lastSent = Date.now();
    this.socket.send(JSON.stringify(frame));
  }

  open() {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.refusal = null;
    this.openedAt = Date.now();
    this.lastHeard = this.openedAt;
    socket.addEventListener('open', () => this.greet(socket));
    socket.addEventListener('message', event => this.heard(socket, event.data));
    socket.addEventListener('close', event => this.lost(socket, event.code, event.reason));
    socket.addEventListener('error', () => this.lost(socket, 1006, ''));
  }

  greet(socket) {
    if (socket !== this.socket) {
      return;
    }
    this.send({ type: 'hello', version: 1, name: this.name, session: this.session })
      .then(welcome => this.welcomed(socket, welcome))
      .catch(error => this.helloRefused(socket, error));
  }

  welcomed(socket, welcome) {
    if (socket !== this.socket) {
      return;
    }
    const back = this.everReady;
    this.ready = true;
    this.everReady = true;
    this.attempt = 0;
    this.onStatus({ phase: 'connected', back });
    this.onReady(welcome, back);
  }

  helloRefused(socket, error) {
    if (socket !== this.socket || error.code === 'connection_lost') {
      return;
    }
    const refusesName = error.code === 'name_taken' || error.code === 'invalid_name';
    if (refusesName && !this.everReady) {
      this.stop();
      this.onRefused(error);
    } else if (error.code === 'name_taken') {
      // After a restart the name may still be held for the connection that died; it frees.
      this.drop(socket, 1000, 'name held');
      this.scheduleRetry();
    } else {
      this.stop();
      this.onStatus({ phase: 'gave_up', reason: error.message });
    }
  }

  heard(socket, data) {
    if (socket !== this.socket) {
      return;
    }
    this.lastHeard = Date.now();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('the node sent a frame that is not JSON');
      return;
    }
    if (frame.type === 'error' && frame.id == null) {
      this.refusal = frame;
    }
    const waiting = frame.id == null ? undefined : this.pending.get(frame.id);
    if (waiting) {
      this.pending.delete(frame.id);
      if (frame.type === 'error') {
        waiting.reject(new RequestError(frame.code, frame.message));
      } else {
        waiting.resolve(frame);
      }
    } else {
      this.onFrame(frame);
    }
  }

  lost(socket, code, reason) {
    if (socket !== this.socket || this.stopped || this.paused) {
      return;
    }
    this.drop(socket, 1000, 'lost');
    if (code === ACCESS_REFUSED) {
      this.stop();
      const refusal = this.refusal ?? {};
      this.onStatus({ phase: 'locked', code: refusal.code ?? 'unauthorized',
        reason: reason || refusal.message || '' });
      return;
    }
    if (FINAL_CLOSE_CODES.has(code)) {
      this.stop();
      this.onStatus({ phase: 'gave_up', reason: reason || String(code) });
      return;
    }
    this.scheduleRetry(PAUSE_CLOSE_CODES.get(code) ?? null);
  }

  /** Closes a socket and forgets it, failing whatever waited on it. */
  drop(socket, code, reason) {
    this.detach(socket);
    try {
      socket.close(code, reason);
    } catch {
      // Already closing: nothing left to do.
    }
  }

  detach(socket) {
    if (socket === this.socket) {
      this.socket = null;
      this.ready = false;
      const failed = [...this.pending.values()];
      this.pending.clear();
      failed.forEach(request => request.reject(new RequestError('connection_lost')));
    }
  }

  /** Reconnects after a backoff, and after a pause too when the node asked for one (why). */
  scheduleRetry(why = null) {
    if (this.stopped || this.paused) {
      return;
    }
    this.attempt += 1;
    const delayMs = backoffDelay(this.attempt) + (why ? PAUSE_MS : 0);
    this.onStatus({ phase: 'reconnecting', attempt: this.attempt, delayMs, why });
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.open(), delayMs);
  }

  /** The browser says the network is back: skip the rest of the wait. */
  retryNow() {
    if (!this.stopped && !this.socket && this.attempt > 0) {
      window.clearTimeout(this.retryTimer);
      this.open();
    }
  }

  check() {
    const socket = this.socket;
    if (!socket || this.stopped) {
      return;
    }
    const now = Date.now();
    if (!this.ready && now - this.openedAt > OPEN_LIMIT_MS) {
      this.drop(socket, 1000, 'no answer');
      this.scheduleRetry();
    } else if (now - this.lastHeard > SILENCE_LIMIT_MS) {
      this.drop(socket, 1000, 'silent');
      this.scheduleRetry();
    } else if (this.ready && now - this.lastSent >= PING_AFTER_MS) {
      this.request({ type: 'ping' }).catch(() => {});
    }
  }
}

/**
 * The node's WebSocket address, on the host that served this page, with the password or
 * token (when there is one) in its `token` parameter.
 */
export function socketUrl(location, token = null) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}/ws${query}`;
}
