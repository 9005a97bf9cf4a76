// The conversation's messages: grouped by sender, with day lines, quiet join and leave
// lines, notices, the lines still waiting to go out, and the scrolling rules (stay at the
// bottom unless the person scrolled up; then count what arrives on a button).

import { byId, clear, el, visible } from '../dom.js';
import { avatar, clockTime, dayLabel, startOfDay } from './looks.js';

/** Messages of one sender this close together share one heading. */
const GROUP_WITHIN_MS = 5 * 60_000;
/** Closer than this to the bottom counts as at the bottom. */
const BOTTOM_SLACK_PX = 48;
/** Closer than this to the top asks for older messages. */
const TOP_SLACK_PX = 80;

export class MessageView {
  constructor({ chat, texts, announce }) {
    this.chat = chat;
    this.texts = texts;
    this.announce = announce;
    this.scroller = byId('scroller');
    this.list = byId('messages');
    this.pendingList = byId('pending');
    this.olderButton = byId('load-older');
    this.historyStart = byId('history-start');
    this.empty = byId('empty-conversation');
    this.newButton = byId('new-messages');
    this.conv = null;
    this.unseen = 0;
    /** Where the last scroll event left the list: older messages load on the way up only. */
    this.lastTop = 0;
    /** Whether the list was at its bottom when last scrolled: a resize keeps it there. */
    this.stuck = true;
    this.scroller.addEventListener('scroll', () => this.scrolled(), { passive: true });
    new ResizeObserver(() => this.resized()).observe(this.scroller);
    this.olderButton.addEventListener('click', () => this.conv && chat.loadOlder(this.conv));
    this.newButton.addEventListener('click', () => this.toBottom());
  }

  setTexts(texts) {
    this.texts = texts;
  }

  /** Shows a conversation from scratch, at its newest message. */
  show(conv) {
    this.conv = conv;
    this.render();
    this.toBottom();
  }

  /** Draws every item again, keeping what the person looked at in place. */
  refresh() {
    if (!this.conv) {
      return;
    }
    const atBottom = this.atBottom();
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    this.render();
    if (atBottom) {
      this.toBottom();
    } else {
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    }
  }

  /** A message or notice was added to `conv`. */
  added(conv, item) {
    if (conv !== this.conv) {
      return;
    }
    const index = item ? conv.items.indexOf(item) : -1;
    if (index !== conv.items.length - 1) {
      this.refresh();
      return;
    }
    const atBottom = this.atBottom();
    this.list.append(...this.nodesAt(conv.items, index));
    this.updateChrome();
    const message = item.message;
    const mine = message && message.sender === this.chat.me;
    if (atBottom || mine) {
      this.toBottom();
    } else if (message && message.kind === 'chat') {
      this.unseen += 1;
      this.showNewButton();
    }
    if (message && message.kind === 'chat' && !mine) {
      this.announce(this.texts.t('web.announce_message', message.sender, visible(message.text)));
    }
  }

  pendingChanged(conv) {
    if (conv !== this.conv) {
      return;
    }
    const atBottom = this.atBottom();
    this.renderPending();
    this.updateChrome();
    if (atBottom) {
      this.toBottom();
    }
  }

  render() {
    const conv = this.conv;
    const nodes = [];
    conv.items.forEach((item, i) => nodes.push(...this.nodesAt(conv.items, i)));
    this.list.replaceChildren(...nodes);
    this.renderPending();
    this.updateChrome();
  }

  updateChrome() {
    const conv = this.conv;
    const started = conv.joined || conv.items.length > 0;
    this.olderButton.hidden = conv.olderDone || !started;
    this.olderButton.disabled = conv.loadingOlder;
    this.olderButton.textContent =
      this.texts.t(conv.loadingOlder ? 'web.loading' : 'web.load_older');
    const nothing = conv.items.every(item => !item.message || item.message.kind !== 'chat')
      && conv.pending.length === 0;
    this.historyStart.hidden = !conv.olderDone || nothing;
    this.historyStart.textContent = conv.kind === 'room'
      ? this.texts.t('web.room_start', conv.id)
      : this.texts.t('web.direct_start', conv.id);
    this.empty.hidden = !started || !nothing;
    this.empty.textContent = conv.kind === 'room'
      ? this.texts.t('web.room_empty', conv.id)
      : this.texts.t('web.direct_empty_conversation', conv.id);
  }

  /** The nodes of the item at `index`: a day line if a day starts there, then the item. */
  nodesAt(items, index) {
    const item = items[index];
    if (item.notice) {
      const text = this.texts.notice(item.notice.key, ...item.notice.args);
      return [el('li', { className: 'notice', text, attrs: { role: 'note' } })];
    }
    const message = item.message;
    const before = messageBefore(items, index);
    const nodes = [];
    if (!before || startOfDay(before.sent_at) !== startOfDay(message.sent_at)) {
      nodes.push(el('li', { className: 'day' }, [
        el('span', { text: dayLabel(message.sent_at, this.texts) }),
      ]));
    }
    const adjacent = items[index - 1]?.message === before;
    nodes.push(message.kind === 'chat'
      ? this.chatNode(message, adjacent && continues(before, message))
      : this.eventNode(message));
    return nodes;
  }

  chatNode(message, continued) {
    const mine = message.sender === this.chat.me;
    const time = el('time', {
      className: 'time',
      text: clockTime(message.sent_at),
      attrs: { datetime: new Date(message.sent_at).toISOString() },
    });
    const classes = ['message', mine ? 'mine' : '', continued ? 'continued' : ''];
    const body = el('div', { className: 'message-body' }, [
      continued
        ? el('span', { className: 'visually-hidden', text: `${message.sender}, ` })
        : el('p', { className: 'message-meta' }, [
          el('span', { className: 'sender', text: message.sender }), time]),
      el('p', { className: 'message-text', text: visible(message.text) }),
      continued ? time : null,
      this.journeyLink(message),
    ]);
    return el('li', {
      className: classes.filter(Boolean).join(' '),
      attrs: { 'data-offset': message.offset, 'data-sender': message.sender },
    }, [continued ? el('span', { className: 'avatar-space' }) : avatar(message.sender), body]);
  }

  /**
   * A link to the message's journey in the broker view; none for direct conversations. Out
   * of the Tab order, so that the keyboard goes from the list to the composer in one step;
   * the view's recent messages reach the same journeys by keyboard.
   */
  journeyLink(message) {
    if (message.room.startsWith('dm.')) {
      return null;
    }
    const query = new URLSearchParams({ room: message.room, offset: String(message.offset),
      epoch: message.epoch });
    const label = this.texts.t('web.view.follow');
    return el('a', {
      className: 'message-journey',
      text: '↗',
      attrs: { href: `broker?${query}`, target: '_blank', rel: 'noopener', tabindex: '-1',
        'aria-label': label, title: label },
    });
  }

  eventNode(message) {
    const key = { join: 'web.event_join', leave: 'web.event_leave' }[message.kind];
    const text = key ? this.texts.t(key, message.sender) : visible(message.text);
    return el('li', { className: 'event', attrs: { 'data-offset': message.offset } }, [
      el('span', { text }),
      el('time', {
        className: 'time',
        text: clockTime(message.sent_at),
        attrs: { datetime: new Date(message.sent_at).toISOString() },
      }),
    ]);
  }

  renderPending() {
    clear(this.pendingList);
    for (const line of this.conv.pending) {
      this.pendingList.append(this.pendingNode(line));
    }
  }

  pendingNode(line) {
    const failed = line.state === 'failed';
    const state = failed
      ? this.errorText(line.error)
      : this.texts.t(this.chat.connected ? 'web.sending' : 'web.waiting_connection');
    const actions = failed ? el('span', { className: 'pending-actions' }, [
      el('button', {
        className: 'link-button',
        text: this.texts.t('web.retry'),
        attrs: { type: 'button' },
        on: { click: () => this.chat.retry(line) },
      }),
      el('button', {
        className: 'link-button',
        text: this.texts.t('web.discard'),
        attrs: { type: 'button' },
        on: { click: () => this.chat.discard(line) },
      }),
    ]) : null;
    return el('li', { className: `message mine pending${failed ? ' failed' : ''}` }, [
      el('span', { className: 'avatar-space' }),
      el('div', { className: 'message-body' }, [
        el('p', { className: 'message-text', text: visible(line.text) }),
        el('p', { className: 'pending-state' }, [el('span', { text: state }), actions]),
      ]),
    ]);
  }

  errorText(error) {
    const key = `error.${error?.code}`;
    return this.texts.has(key) ? this.texts.t(key) : (error?.message ?? String(error));
  }

  atBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < BOTTOM_SLACK_PX;
  }

  toBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.stuck = true;
    this.unseen = 0;
    this.newButton.hidden = true;
  }

  showNewButton() {
    this.newButton.textContent = this.texts.t('web.new_messages', this.unseen);
    this.newButton.hidden = false;
  }

  /** The list changed size (a phone turned, a panel opened): the bottom stays in view. */
  resized() {
    if (this.stuck) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }
  }

  scrolled() {
    const top = this.scroller.scrollTop;
    const goingUp = top < this.lastTop;
    this.lastTop = top;
    this.stuck = this.atBottom();
    if (this.stuck) {
      this.unseen = 0;
      this.newButton.hidden = true;
    }
    if (this.conv && goingUp && top < TOP_SLACK_PX) {
      this.chat.loadOlder(this.conv);
    }
  }
}

/** The message above position `index`, skipping notices. */
function messageBefore(items, index) {
  for (let i = index - 1; i >= 0; i -= 1) {
    if (items[i].message) {
      return items[i].message;
    }
  }
  return null;
}

/** Whether a chat message continues the group of the one before it. */
function continues(before, message) {
  return before != null && before.kind === 'chat' && before.sender === message.sender
    && message.sent_at - before.sent_at < GROUP_WITHIN_MS
    && startOfDay(before.sent_at) === startOfDay(message.sent_at);
}
