// The chat over the node's protocol (docs/protocol.md): conversations joined and resumed,
// messages in order and each once, presence, typing, unread counts and the lines that wait
// for the connection. No DOM here: the page listens to the events this class dispatches.
//
// Events: status, conversations, active, messages {conv, reset?, older?}, members {conv},
// typing {conv}, pending {conv}, rooms, refused {error}, problem {where, error}.

import { Connection, RequestError } from './connection.js';
import { Conversation, TYPING_SHOWN_MS } from './conversation.js';
import { randomToken } from './ids.js';
import * as storage from './storage.js';

/** Messages shown when a conversation is first opened, and per "load older" page. */
export const PAGE = 50;
const ROOMS_EVERY_MS = 20_000;
const TYPING_EVERY_MS = 2_000;
/** Failures that end with the connection: the line is sent again once it is back. */
const RETRY_LATER = new Set(['connection_lost', 'shutting_down']);
/** A line refused for the rate (rate_limited) goes out again after this pause. */
const RATE_PAUSE_MS = 1_000;
const ROOM_NAME = /^[a-z0-9._-]{1,64}$/;
export const DEFAULT_ROOM = 'general';

export class Chat extends EventTarget {
  /**
   * @param {{name: string, url: string, session: string}} options
   */
  constructor({ name, url, session }) {
    super();
    this.me = name;
    /** key -> Conversation, in the order they were opened. */
    this.conversations = new Map();
    /** The node's room name -> Conversation (rooms and direct ones). */
    this.byRoom = new Map();
    this.activeKey = null;
    /** Rooms on the node, from the last `rooms` reply: [{name, members, last_offset}]. */
    this.available = [];
    this.status = { phase: 'connecting' };
    this.lastTypingSent = new Map();
    this.connection = new Connection({
      url,
      session,
      name,
      onStatus: status => this.statusChanged(status),
      onReady: (welcome, back) => this.ready(welcome, back),
      onFrame: frame => this.received(frame),
      onRefused: error => this.emit('refused', { error }),
    });
    this.roomsTimer = null;
  }

  /** Opens the connection and the rooms remembered from the last visit. */
  start() {
    const remembered = storage.load(this.storageKey('rooms'), null);
    const rooms = Array.isArray(remembered) ? remembered : [DEFAULT_ROOM];
    rooms.filter(name => ROOM_NAME.test(name)).forEach(name => this.addRoom(name));
    const active = storage.load(this.storageKey('active'), null);
    this.activeKey = this.conversations.has(active)
      ? active
      : this.conversations.keys().next().value ?? null;
    this.connection.start();
    this.roomsTimer = window.setInterval(() => this.refreshRooms(), ROOMS_EVERY_MS);
  }

  stop() {
    window.clearInterval(this.roomsTimer);
    this.connection.stop();
  }

  get active() {
    return this.conversations.get(this.activeKey) ?? null;
  }

  get connected() {
    return this.connection.ready;
  }

  rooms() {
    return [...this.conversations.values()].filter(conv => conv.kind === 'room');
  }

  directs() {
    return [...this.conversations.values()].filter(conv => conv.kind === 'direct');
  }

  // ------------------------------------------------------------------ what the person does

  /**
   * Opens a room, joining it first if needed.
   * @returns an error key when the name is not a room name, else null
   */
  openRoom(rawName) {
    const name = normalizeRoomName(rawName);
    if (!ROOM_NAME.test(name)) {
      return 'error.invalid_room';
    }
    const conv = this.conversations.get(`room:${name}`) ?? this.addRoom(name);
    this.saveRooms();
    this.activate(conv);
    return null;
  }

  /**
   * Opens the direct conversation with `peer`.
   * @returns an error key when that cannot be, else null
   */
  openDirect(rawPeer) {
    const peer = String(rawPeer ?? '').trim();
    if (!peer || [...peer].length > 32) {
      return 'error.invalid_name';
    }
    if (peer === this.me) {
      return 'web.direct_self';
    }
    const conv = this.conversations.get(`direct:${peer}`) ?? this.addDirect(peer, null);
    this.activate(conv);
    return null;
  }

  activate(conv) {
    this.activeKey = conv ? conv.key : null;
    storage.save(this.storageKey('active'), this.activeKey);
    if (conv) {
      this.markRead(conv);
      this.refreshMembers(conv);
    }
    this.emit('active');
    this.emit('conversations');
  }

  /**
   * Asks who is in a joined conversation (a conversation still joining gets its members with
   * `joined`). The node works out the reply while join and leave messages are still on their
   * way, so a reply that one of them overtook is older than what the page knows: dropped.
   */
  refreshMembers(conv) {
    if (!conv.joined) {
      return;
    }
    const version = conv.membersVersion;
    this.ask({ type: 'who', ...conv.target() }, conv).then(reply => {
      if (reply && conv.joined && conv.membersVersion === version) {
        conv.setMembers(new Set(reply.members));
        this.emit('members', { conv });
      }
    });
  }

  /** Leaves a room: no more of its messages, and out of its member list. */
  leave(conv) {
    this.forget(conv);
    if (this.connected && conv.joined) {
      this.connection.request({ type: 'leave', ...conv.target() }).catch(() => {});
    }
  }

  /** Sends a line; while disconnected it waits, then goes out once, with its key. */
  send(conv, text) {
    const line = { key: randomToken(), text, state: 'waiting', conv, inFlight: false };
    conv.pending.push(line);
    this.emit('pending', { conv });
    this.deliver(line);
  }

  retry(line) {
    line.state = 'waiting';
    line.error = null;
    this.emit('pending', { conv: line.conv });
    this.deliver(line);
  }

  discard(line) {
    const conv = line.conv;
    conv.pending = conv.pending.filter(other => other !== line);
    this.emit('pending', { conv });
  }

  /** Tells the others that the person is typing here, at most every few seconds. */
  typing(conv) {
    const now = Date.now();
    if (!this.connected || !conv.joined || now - (this.lastTypingSent.get(conv.key) ?? 0)
        < TYPING_EVERY_MS) {
      return;
    }
    this.lastTypingSent.set(conv.key, now);
    this.connection.request({ type: 'typing', ...conv.target() }).catch(() => {});
  }

  /** Loads the page of messages before the oldest one shown. */
  loadOlder(conv) {
    if (conv.loadingOlder || conv.olderDone || !this.connected) {
      return;
    }
    const before = conv.oldestOffset();
    if (before == null || before <= 1) {
      conv.olderDone = true;
      this.emit('messages', { conv, older: true });
      return;
    }
    conv.loadingOlder = true;
    this.emit('messages', { conv, older: true });
    this.ask({ type: 'history', ...conv.target(), before, limit: PAGE }, conv)
      .then(page => {
        if (!page) {
          return;
        }
        page.messages.forEach(message => conv.add(message));
        const first = page.messages[0];
        conv.olderDone = page.messages.length < PAGE || !first || first.offset <= 1;
      })
      .finally(() => {
        conv.loadingOlder = false;
        this.emit('messages', { conv, older: true });
      });
  }

  /** The person is looking at the page again: the active conversation is read. */
  seen() {
    if (this.active) {
      this.markRead(this.active);
      this.emit('conversations');
    }
  }

  refreshRooms() {
    if (!this.connected) {
      return;
    }
    this.connection.request({ type: 'rooms' }).then(reply => {
      this.available = reply.rooms.filter(room => !room.name.startsWith('dm.'));
      this.emit('rooms');
    }).catch(() => {});
  }

  // ------------------------------------------------------------------ the connection

  statusChanged(status) {
    this.status = status;
    if (status.phase !== 'connected') {
      this.conversations.forEach(conv => {
        conv.joined = false;
        conv.joining = false;
      });
    }
    this.emit('status');
  }

  ready(welcome) {
    this.me = welcome.name ?? this.me;
    this.conversations.forEach(conv => this.join(conv));
    this.conversations.forEach(conv => conv.pending.forEach(line => this.deliver(line)));
    this.refreshRooms();
  }

  join(conv) {
    if (!this.connected || conv.joined || conv.joining) {
      return;
    }
    const request = { type: 'join', ...conv.target() };
    const resuming = conv.position != null;
    if (resuming) {
      request.after = { ...conv.position };
    } else {
      request.last = PAGE;
    }
    conv.joining = true;
    this.connection.request(request)
      .then(joined => this.joined(conv, joined, resuming))
      .catch(error => this.joinFailed(conv, error));
  }

  joined(conv, frame, resuming) {
    conv.joining = false;
    if (!this.conversations.has(conv.key)) {
      this.connection.request({ type: 'leave', ...conv.target() }).catch(() => {});
      return;
    }
    conv.joined = true;
    this.learnRoom(conv, frame.room);
    if (resuming && frame.resume === 'lost') {
      conv.addNotice('notice.history_lost', [this.title(conv)], frame.epoch);
      if (frame.epoch !== conv.position.epoch) {
        conv.position = { epoch: frame.epoch, offset: 0 };
      }
      this.emit('messages', { conv });
    } else if (!resuming) {
      conv.position = { epoch: frame.epoch, offset: Math.max(0, frame.last_offset - PAGE) };
      conv.olderDone = frame.last_offset <= PAGE;
      this.startReadMark(conv, frame);
    }
    conv.membersFrom = { epoch: frame.epoch, offset: frame.last_offset };
    conv.setMembers(new Set(frame.members ?? []));
    this.emit('members', { conv });
    this.emit('conversations');
  }

  /** Where "unread" starts: what was read here before, else everything already there. */
  startReadMark(conv, frame) {
    const stored = storage.load(this.readKey(conv), null);
    if (stored && typeof stored.epoch === 'string') {
      conv.readUpTo = stored;
    } else if (conv.kind === 'room') {
      conv.readUpTo = { epoch: frame.epoch, offset: frame.last_offset };
    }
  }

  joinFailed(conv, error) {
    conv.joining = false;
    if (error.code === 'connection_lost') {
      return;
    }
    if (error.code === 'already_joined') {
      conv.joined = true;
      return;
    }
    this.forget(conv);
    this.emit('problem', { where: conv.kind, error });
  }

  received(frame) {
    switch (frame.type) {
      case 'message':
        this.messageArrived(frame.message, frame.between ?? frame.message?.between);
        break;
      case 'history_lost':
        this.historyLost(frame);
        break;
      case 'direct':
        this.directAnnounced(frame);
        break;
      case 'typing':
        this.someoneTyping(frame);
        break;
      default:
        break;
    }
  }

  messageArrived(message, between) {
    if (!message) {
      return;
    }
    const conv = this.byRoom.get(message.room) ?? this.directFor(message.room, between);
    if (!conv) {
      return;
    }
    conv.advance(message);
    const item = conv.add(message);
    const presence = conv.applyPresence(message);
    if (!item) {
      return;
    }
    if (message.kind === 'chat') {
      conv.said(message.sender, Date.now());
    }
    if (conv.isUnread(message, this.me)) {
      if (this.isLookingAt(conv)) {
        this.markRead(conv);
      } else {
        conv.unread += 1;
      }
    } else if (this.isLookingAt(conv)) {
      this.markRead(conv);
    }
    this.emit('messages', { conv, item });
    if (presence) {
      this.emit('members', { conv });
    }
    this.emit('conversations');
  }

  historyLost(frame) {
    const conv = this.byRoom.get(frame.room);
    if (conv) {
      conv.addNotice('notice.history_lost', [this.title(conv)], frame.epoch);
      this.emit('messages', { conv });
    }
  }

  directAnnounced(frame) {
    if (typeof frame.with !== 'string' || frame.with === this.me) {
      return;
    }
    const conv = this.conversations.get(`direct:${frame.with}`)
      ?? this.addDirect(frame.with, frame.room);
    this.learnRoom(conv, frame.room);
    this.join(conv);
    this.emit('conversations');
  }

  /** A message of a direct room that was never announced: its `between` names the peer. */
  directFor(room, between) {
    if (!Array.isArray(between) || !between.includes(this.me)) {
      return null;
    }
    const peer = between.find(name => name !== this.me) ?? this.me;
    return this.conversations.get(`direct:${peer}`) ?? null;
  }

  someoneTyping(frame) {
    const conv = this.byRoom.get(frame.room) ?? this.directFor(frame.room, frame.between);
    if (!conv || frame.name === this.me || !conv.typingSignal(frame.name, Date.now())) {
      return;
    }
    this.emit('typing', { conv });
    window.setTimeout(() => this.emit('typing', { conv }), TYPING_SHOWN_MS + 50);
  }

  deliver(line) {
    if (!this.connected || line.inFlight || line.state !== 'waiting') {
      return;
    }
    const conv = line.conv;
    line.inFlight = true;
    this.connection.request({ type: 'send', ...conv.target(), text: line.text, key: line.key,
      client_time: Date.now() })
      .then(ack => {
        conv.pending = conv.pending.filter(other => other !== line);
        if (ack.message && conv.add(ack.message)) {
          this.emit('messages', { conv });
        }
        this.emit('pending', { conv });
      })
      .catch(error => {
        line.inFlight = false;
        if (error.code === 'rate_limited') {
          window.setTimeout(() => this.deliver(line), RATE_PAUSE_MS);
        } else if (!RETRY_LATER.has(error.code)) {
          line.state = 'failed';
          line.error = error;
          this.emit('pending', { conv });
        }
      });
  }

  // ------------------------------------------------------------------ bookkeeping

  addRoom(name) {
    const conv = new Conversation('room', name);
    this.conversations.set(conv.key, conv);
    this.byRoom.set(name, conv);
    this.join(conv);
    this.emit('conversations');
    return conv;
  }

  addDirect(peer, room) {
    const conv = new Conversation('direct', peer);
    this.conversations.set(conv.key, conv);
    this.learnRoom(conv, room);
    this.join(conv);
    this.emit('conversations');
    return conv;
  }

  learnRoom(conv, room) {
    if (typeof room === 'string' && room) {
      conv.room = room;
      this.byRoom.set(room, conv);
    }
  }

  forget(conv) {
    this.conversations.delete(conv.key);
    if (conv.room) {
      this.byRoom.delete(conv.room);
    }
    this.saveRooms();
    if (this.activeKey === conv.key) {
      this.activate(this.conversations.values().next().value ?? null);
    } else {
      this.emit('conversations');
    }
  }

  /**
   * A request about a conversation. Resolves with the reply, or with null when it failed: a
   * refusal other than a lost connection is reported as a problem.
   */
  ask(request, conv) {
    return this.connection.request(request).catch(error => {
      if (!(error instanceof RequestError) || error.code !== 'connection_lost') {
        this.emit('problem', { where: conv.kind, error });
      }
      return null;
    });
  }

  isLookingAt(conv) {
    return conv.key === this.activeKey && document.visibilityState === 'visible';
  }

  markRead(conv) {
    conv.markRead();
    if (conv.readUpTo) {
      storage.save(this.readKey(conv), conv.readUpTo);
    }
  }

  /** How a conversation is named to people: the room's name or the other person's. */
  title(conv) {
    return conv.id;
  }

  saveRooms() {
    storage.save(this.storageKey('rooms'), this.rooms().map(conv => conv.id));
  }

  storageKey(what) {
    return `${what}.${this.me}`;
  }

  readKey(conv) {
    return this.storageKey(`read.${conv.key}`);
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** What a person types as a room name, in the form room names take. */
export function normalizeRoomName(raw) {
  return String(raw ?? '').trim().toLowerCase().replace(/^#/, '').replace(/\s+/g, '-');
}
