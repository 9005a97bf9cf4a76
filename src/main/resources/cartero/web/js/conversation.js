// One conversation as the page knows it: a room, or a direct conversation with one person.
// It holds the messages shown (ordered, each once), the position to resume from, the
// members, who is typing, the unread count and the lines waiting to go out.

/** How long "X is typing…" stays after X's last typing signal. */
export const TYPING_SHOWN_MS = 4_000;
/**
 * A typing signal that comes this soon after its sender's message was sent before it: signals
 * and messages travel apart, so a short line sent at once can overtake its own signal.
 */
const TYPING_STALE_MS = 1_000;

export class Conversation {
  /**
   * @param {'room'|'direct'} kind
   * @param {string} id the room's name, or the other person's name
   */
  constructor(kind, id) {
    this.kind = kind;
    this.id = id;
    this.key = `${kind}:${id}`;
    /** The node's name for the room: the id for rooms, dm.… for direct ones once known. */
    this.room = kind === 'room' ? id : null;
    /** Messages and notices, in order; see sortKey. */
    this.items = [];
    /** epoch:offset of every message in items. */
    this.seen = new Set();
    /** Epochs in the order this page met them; an epoch's index orders its messages. */
    this.epochs = [];
    /** The last message received from the room's stream, to resume after: {epoch, offset}. */
    this.position = null;
    /** Join and leave messages after this position change the member list. */
    this.membersFrom = null;
    this.members = new Set();
    /** Counts changes to members, so that a `who` reply overtaken by one can be dropped. */
    this.membersVersion = 0;
    /** Messages up to here were seen by the person: {epoch, offset}. */
    this.readUpTo = null;
    this.unread = 0;
    this.joined = false;
    this.joining = false;
    this.olderDone = false;
    this.loadingOlder = false;
    /** name -> time its typing line ends. */
    this.typing = new Map();
    /** name -> when a message of theirs last arrived. */
    this.lastSaid = new Map();
    /** Lines written here and not yet acknowledged, in order. */
    this.pending = [];
  }

  /** The fields that name this conversation in a request. */
  target() {
    return this.kind === 'room' ? { room: this.id } : { with: this.id };
  }

  rank(epoch) {
    let index = this.epochs.indexOf(epoch);
    if (index < 0) {
      index = this.epochs.push(epoch) - 1;
    }
    return index;
  }

  /**
   * Adds a message to the ones shown, in its place.
   * @returns the new item, or null when it was already there
   */
  add(message) {
    const id = `${message.epoch}:${message.offset}`;
    if (this.seen.has(id)) {
      return null;
    }
    this.seen.add(id);
    return this.insert({ message, sortKey: [this.rank(message.epoch), message.offset, 0] });
  }

  /**
   * Adds a notice line (a text key and its arguments) after the messages shown so far, or,
   * when the history moved to another epoch, before that epoch's first message.
   */
  addNotice(key, args, epoch) {
    let sortKey;
    if (epoch && epoch !== this.position?.epoch) {
      sortKey = [this.rank(epoch), 0, 1];
    } else {
      const last = this.lastMessageItem();
      sortKey = last ? [last.sortKey[0], last.sortKey[1], 1] : [0, 0, 1];
    }
    return this.insert({ notice: { key, args }, sortKey });
  }

  insert(item) {
    let index = this.items.length;
    while (index > 0 && compareKeys(this.items[index - 1].sortKey, item.sortKey) > 0) {
      index -= 1;
    }
    this.items.splice(index, 0, item);
    return item;
  }

  lastMessageItem() {
    for (let i = this.items.length - 1; i >= 0; i -= 1) {
      if (this.items[i].message) {
        return this.items[i];
      }
    }
    return null;
  }

  /** Records a message received from the room's stream as the position to resume after. */
  advance(message) {
    const at = this.position;
    if (!at || at.epoch !== message.epoch || message.offset > at.offset) {
      this.position = { epoch: message.epoch, offset: message.offset };
    }
  }

  /** Applies a join or leave message received live to the member list. */
  applyPresence(message) {
    const from = this.membersFrom;
    const live = !from || from.epoch !== message.epoch || message.offset > from.offset;
    if (!live) {
      return false;
    }
    if (message.kind === 'join') {
      this.setMembers(new Set(this.members).add(message.sender));
      return true;
    }
    if (message.kind === 'leave') {
      const members = new Set(this.members);
      members.delete(message.sender);
      this.setMembers(members);
      return true;
    }
    return false;
  }

  setMembers(members) {
    this.members = members;
    this.membersVersion += 1;
  }

  /** Whether a message from the stream is one the person has not seen yet. */
  isUnread(message, me) {
    if (message.kind !== 'chat' || message.sender === me) {
      return false;
    }
    const read = this.readUpTo;
    return !read || read.epoch !== message.epoch || message.offset > read.offset;
  }

  markRead() {
    this.unread = 0;
    if (this.position) {
      this.readUpTo = { ...this.position };
    }
  }

  /** The offset to page back from: the oldest message of the newest epoch shown. */
  oldestOffset() {
    const newest = this.epochs.length - 1;
    for (const item of this.items) {
      if (item.message && item.sortKey[0] === newest) {
        return item.message.offset;
      }
    }
    return null;
  }

  /** A message of `name` arrived: they are no longer typing it. */
  said(name, now) {
    this.typing.delete(name);
    this.lastSaid.set(name, now);
  }

  /** A typing signal of `name` arrived; false when it is older than their last message. */
  typingSignal(name, now) {
    if (now - (this.lastSaid.get(name) ?? -Infinity) < TYPING_STALE_MS) {
      return false;
    }
    this.typing.set(name, now + TYPING_SHOWN_MS);
    return true;
  }

  typingNames(now) {
    const names = [];
    for (const [name, until] of this.typing) {
      if (until > now) {
        names.push(name);
      } else {
        this.typing.delete(name);
      }
    }
    return names.sort();
  }
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== b[i]) {
      return a[i] < b[i] ? -1 : 1;
    }
  }
  return 0;
}
