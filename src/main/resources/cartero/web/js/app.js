// The page: the name screen, then the chat. It wires the chat's events to the views, the
// composer and the language switch.

import * as access from './access.js';
import { Chat } from './chat.js';
import { socketUrl } from './connection.js';
import { byId, el } from './dom.js';
import * as storage from './storage.js';
import { Bundles } from './texts.js';
import { avatar } from './ui/looks.js';
import { MembersView } from './ui/members.js';
import { MessageView } from './ui/messages.js';
import { Panels } from './ui/panels.js';
import { Sidebar } from './ui/sidebar.js';
import { StatusView } from './ui/status.js';

const MAX_TEXT_CODE_POINTS = 4_000;
const MAX_NAME_CODE_POINTS = 32;
const COMPOSER_MAX_ROWS = 6;
const ANNOUNCEMENTS_KEPT = 3;
/** Control and format characters, which names may not hold (docs/protocol.md). */
const NOT_IN_NAMES = /[\p{Cc}\p{Cf}]/u;

export class App {
  constructor({ texts, session }) {
    this.texts = texts;
    this.bundles = new Bundles(texts);
    this.session = session;
    this.chat = null;
    this.shown = false;
    this.announcer = byId('announcer');
    this.status = new StatusView({ texts, announce: text => this.announceStatus(text) });
    this.panels = new Panels();
    this.composer = byId('composer-input');
    this.typingTimer = null;
    /** Why the access screen is shown: {key, args}, kept to say it again in another language. */
    this.accessProblem = null;
  }

  boot() {
    this.applyTexts();
    this.wireLanguages();
    this.wireNameScreen();
    this.wireAccessScreen();
    this.wireComposer();
    byId('leave-button').addEventListener('click', () => this.chat?.active
      && this.chat.leave(this.chat.active));
    byId('change-name').addEventListener('click', () => this.changeName());
    window.addEventListener('pagehide', () => this.chat?.connection.pause());
    window.addEventListener('pageshow', event => {
      if (event.persisted) {
        this.chat?.connection.resume();
      }
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        this.chat?.seen();
      }
    });
    const name = storage.load('name', null);
    if (typeof name === 'string' && validName(name)) {
      this.startChat(name, true);
    } else {
      this.showNameScreen('', '');
    }
  }

  // ------------------------------------------------------------------ name screen

  wireNameScreen() {
    byId('name-form').addEventListener('submit', event => {
      event.preventDefault();
      const name = byId('name-input').value.trim();
      if (!validName(name)) {
        this.nameError(this.texts.t('error.invalid_name'));
        return;
      }
      this.startChat(name, false);
    });
    byId('name-input').addEventListener('input', () => this.nameError(''));
  }

  showNameScreen(name, error) {
    this.shown = false;
    byId('chat').hidden = true;
    byId('rooms-button').hidden = true;
    byId('status').hidden = true;
    byId('access-screen').hidden = true;
    byId('name-screen').hidden = false;
    const input = byId('name-input');
    input.value = name;
    this.nameError(error);
    this.nameWaiting(false);
    input.focus();
  }

  nameError(text) {
    byId('name-error').textContent = text;
    const input = byId('name-input');
    if (text) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }

  nameWaiting(waiting) {
    const button = byId('name-form').querySelector('button[type="submit"]');
    button.disabled = waiting;
    button.textContent = this.texts.t(waiting ? 'web.connecting' : 'web.name_submit');
  }

  // ------------------------------------------------------------------ access screen

  wireAccessScreen() {
    byId('access-form').addEventListener('submit', event => {
      event.preventDefault();
      const token = byId('access-input').value.trim();
      if (!token) {
        this.accessError({ key: 'web.access_empty', args: [] });
        return;
      }
      access.save(token);
      this.accessWaiting(true);
      this.startChat(this.chat.me, false);
    });
    byId('access-input').addEventListener('input', () => this.accessError(null));
  }

  /**
   * The node refused the password or token, or the page had none: asks for one, saying
   * why in the page's language with the node's own words. A refused token is forgotten.
   */
  locked({ code, reason }) {
    const presented = access.load() != null;
    access.forget();
    let problem;
    if (code === 'too_many_attempts') {
      problem = { key: 'web.access_wait', args: [reason] };
    } else if (presented) {
      problem = { key: 'web.access_wrong', args: [reason] };
    } else {
      problem = { key: 'web.access_needed', args: [] };
    }
    this.showAccessScreen(problem);
  }

  showAccessScreen(problem) {
    this.shown = false;
    for (const id of ['chat', 'rooms-button', 'status', 'name-screen']) {
      byId(id).hidden = true;
    }
    byId('access-screen').hidden = false;
    const input = byId('access-input');
    input.value = '';
    this.accessWaiting(false);
    this.accessError(problem);
    input.focus();
  }

  accessError(problem) {
    this.accessProblem = problem;
    const input = byId('access-input');
    byId('access-error').textContent = problem ? this.texts.t(problem.key, ...problem.args) : '';
    if (problem) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }

  accessWaiting(waiting) {
    const button = byId('access-form').querySelector('button[type="submit"]');
    button.disabled = waiting;
    button.textContent = this.texts.t(waiting ? 'web.connecting' : 'web.access_submit');
  }

  // ------------------------------------------------------------------ the chat

  startChat(name, remembered) {
    this.chat?.stop();
    const url = socketUrl(window.location, access.load());
    const chat = new Chat({ name, url, session: this.session });
    this.chat = chat;
    this.messages = new MessageView({ chat, texts: this.texts, announce: t => this.announce(t) });
    this.sidebar = new Sidebar({ chat, texts: this.texts, onOpened: () => this.opened() });
    this.members = new MembersView({ chat, texts: this.texts, onOpened: () => this.opened() });
    this.listen(chat);
    byId('status').hidden = false;
    if (remembered) {
      this.showChat();
    } else {
      this.nameWaiting(true);
    }
    chat.start();
  }

  listen(chat) {
    const on = (type, handler) => chat.addEventListener(type, event => {
      if (this.chat === chat) {
        handler(event.detail);
      }
    });
    on('status', () => this.statusChanged());
    on('conversations', () => this.conversationsChanged());
    on('active', () => this.showActive());
    on('rooms', () => this.sidebar.render());
    on('messages', ({ conv, item }) => this.messagesChanged(conv, item));
    on('members', ({ conv }) => this.membersChanged(conv));
    on('typing', ({ conv }) => conv === chat.active && this.renderTyping());
    on('pending', ({ conv }) => this.messages.pendingChanged(conv));
    on('refused', ({ error }) => this.refused(error));
    on('problem', ({ where, error }) => this.problem(where, error));
  }

  statusChanged() {
    this.status.update(this.chat.status);
    if (this.chat.status.phase === 'locked') {
      this.locked(this.chat.status);
      return;
    }
    if (this.chat.status.phase === 'connected' && !this.shown) {
      storage.save('name', this.chat.me);
      this.showChat();
    }
    if (this.chat.active) {
      this.messages.pendingChanged(this.chat.active);
    }
  }

  showChat() {
    this.shown = true;
    byId('name-screen').hidden = true;
    byId('access-screen').hidden = true;
    byId('chat').hidden = false;
    byId('rooms-button').hidden = false;
    byId('me-name').textContent = this.chat.me;
    byId('me-avatar').replaceWith(Object.assign(avatar(this.chat.me), { id: 'me-avatar' }));
    this.conversationsChanged();
    this.showActive();
    this.composer.focus();
  }

  refused(error) {
    const key = error.code === 'name_taken' ? 'web.name_taken' : 'error.invalid_name';
    this.showNameScreen(this.chat.me, this.texts.t(key));
  }

  problem(where, error) {
    const text = this.errorText(error);
    if (where === 'room' || where === 'direct') {
      this.sidebar.problem(where, text);
    } else {
      byId('composer-error').textContent = text;
    }
  }

  conversationsChanged() {
    if (!this.shown) {
      return;
    }
    this.sidebar.render();
    const unread = [...this.chat.conversations.values()]
      .reduce((sum, conv) => sum + conv.unread, 0);
    document.title = unread > 0 ? `(${unread}) Cartero` : 'Cartero';
    const badge = byId('rooms-button-unread');
    badge.hidden = unread === 0;
    badge.textContent = String(unread);
    this.renderHeader();
  }

  showActive() {
    if (!this.shown) {
      return;
    }
    const conv = this.chat.active;
    const none = conv == null;
    for (const id of ['scroll-area', 'composer', 'typing']) {
      byId(id).hidden = none;
    }
    byId('no-conversation').hidden = !none;
    byId('composer-error').textContent = '';
    this.renderHeader();
    this.members.render(conv);
    if (conv) {
      this.messages.show(conv);
      this.renderTyping();
      const label = this.texts.t('web.message_to', this.conversationName(conv));
      byId('composer-label').textContent = label;
      this.composer.placeholder = label;
    }
  }

  renderHeader() {
    const conv = this.chat.active;
    byId('conversation-title').textContent = conv ? this.conversationName(conv) : '';
    byId('conversation-subtitle').textContent = !conv ? ''
      : conv.kind === 'room' ? this.texts.t('web.people', conv.members.size)
        : this.texts.t('web.direct_subtitle');
    byId('conversation-header').dataset.kind = conv ? conv.kind : '';
    byId('leave-button').hidden = !conv || conv.kind !== 'room';
    byId('members-button').hidden = !conv;
  }

  conversationName(conv) {
    return conv.kind === 'room' ? `#${conv.id}` : conv.id;
  }

  messagesChanged(conv, item) {
    if (conv !== this.chat.active) {
      return;
    }
    if (item) {
      this.messages.added(conv, item);
      this.renderTyping();
    } else {
      this.messages.refresh();
    }
  }

  membersChanged(conv) {
    if (conv === this.chat.active) {
      this.members.render(conv);
      this.renderHeader();
    }
  }

  renderTyping() {
    const conv = this.chat.active;
    const names = conv ? conv.typingNames(Date.now()) : [];
    const line = byId('typing');
    if (names.length === 0) {
      line.textContent = '';
    } else if (names.length === 1) {
      line.textContent = this.texts.t('web.typing_one', names[0]);
    } else if (names.length === 2) {
      line.textContent = this.texts.t('web.typing_two', names[0], names[1]);
    } else {
      line.textContent = this.texts.t('web.typing_many');
    }
  }

  /** A conversation was chosen in a panel: close it and write there. */
  opened() {
    this.panels.close(false);
    this.composer.focus();
  }

  changeName() {
    this.chat?.stop();
    storage.save('name', null);
    window.location.reload();
  }

  // ------------------------------------------------------------------ composer

  wireComposer() {
    const input = this.composer;
    input.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    input.addEventListener('input', () => {
      this.fitComposer();
      byId('composer-error').textContent = '';
      if (input.value.trim() && this.chat?.active) {
        this.chat.typing(this.chat.active);
      }
    });
    byId('composer').addEventListener('submit', event => {
      event.preventDefault();
      this.submit();
    });
  }

  submit() {
    const conv = this.chat?.active;
    const text = this.composer.value;
    if (!conv || !text.trim()) {
      return;
    }
    if ([...text].length > MAX_TEXT_CODE_POINTS) {
      byId('composer-error').textContent = this.texts.t('error.text_too_long');
      return;
    }
    this.chat.send(conv, text);
    this.composer.value = '';
    this.fitComposer();
  }

  fitComposer() {
    const lines = this.composer.value.split('\n').length;
    this.composer.rows = Math.min(Math.max(lines, 1), COMPOSER_MAX_ROWS);
  }

  // ------------------------------------------------------------------ languages

  wireLanguages() {
    for (const button of document.querySelectorAll('button[data-lang]')) {
      button.addEventListener('click', () => this.switchLanguage(button.dataset.lang));
    }
  }

  async switchLanguage(lang) {
    if (lang === this.texts.lang) {
      return;
    }
    const texts = await this.bundles.get(lang);
    if (!texts) {
      return;
    }
    storage.save('lang', lang);
    this.texts = texts;
    this.applyTexts();
    this.status.setTexts(texts);
    if (this.chat) {
      [this.messages, this.sidebar, this.members].forEach(view => view.setTexts(texts));
      if (this.shown) {
        this.conversationsChanged();
        this.showActive();
      } else {
        this.nameWaiting(byId('name-form').querySelector('button').disabled);
      }
    }
    if (!byId('access-screen').hidden) {
      this.accessError(this.accessProblem);
      this.accessWaiting(byId('access-form').querySelector('button').disabled);
    }
  }

  /** Puts the current language's texts into the page's fixed elements. */
  applyTexts() {
    const texts = this.texts;
    document.documentElement.lang = texts.lang;
    for (const node of document.querySelectorAll('[data-i18n]')) {
      node.textContent = texts.t(node.dataset.i18n);
    }
    for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
      node.placeholder = texts.t(node.dataset.i18nPlaceholder);
    }
    for (const node of document.querySelectorAll('[data-i18n-label]')) {
      node.setAttribute('aria-label', texts.t(node.dataset.i18nLabel));
    }
    for (const button of document.querySelectorAll('button[data-lang]')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === texts.lang));
    }
  }

  // ------------------------------------------------------------------ helpers

  errorText(error) {
    const key = `error.${error?.code}`;
    return this.texts.has(key) ? this.texts.t(key) : (error?.message ?? String(error));
  }

  announce(text) {
    this.announcer.append(el('p', { text }));
    while (this.announcer.childElementCount > ANNOUNCEMENTS_KEPT) {
      this.announcer.firstElementChild.remove();
    }
  }

  announceStatus(text) {
    byId('status-announcer').textContent = text;
  }
}

function validName(name) {
  const length = [...name].length;
  return length >= 1 && length <= MAX_NAME_CODE_POINTS && !NOT_IN_NAMES.test(name)
    && name === name.trim();
}
