// The list of conversations: rooms joined (with unread counts), other rooms on the node,
// direct conversations, and the forms that open a new room or a new direct conversation.

import { byId, el } from '../dom.js';
import { avatar } from './looks.js';

export class Sidebar {
  constructor({ chat, texts, onOpened }) {
    this.chat = chat;
    this.texts = texts;
    this.onOpened = onOpened;
    this.roomList = byId('room-list');
    this.otherList = byId('other-room-list');
    this.otherTitle = byId('other-rooms-title');
    this.directList = byId('direct-list');
    this.directEmpty = byId('direct-empty');
    this.roomForm = new SideForm('new-room-form', 'new-room-input', 'new-room-error');
    this.directForm = new SideForm('new-direct-form', 'new-direct-input', 'new-direct-error');
    this.roomForm.onSubmit(value => this.open(() => chat.openRoom(value), this.roomForm));
    this.directForm.onSubmit(value => this.open(() => chat.openDirect(value), this.directForm));
  }

  setTexts(texts) {
    this.texts = texts;
  }

  open(action, form) {
    const problem = action();
    if (problem) {
      form.fail(this.texts.t(problem));
    } else {
      form.done();
      this.onOpened();
    }
  }

  /** Shows a refusal from the node next to the form it came from. */
  problem(where, text) {
    (where === 'direct' ? this.directForm : this.roomForm).fail(text);
  }

  /** Draws the lists again; a button that had the focus keeps it. */
  render() {
    const focused = document.activeElement;
    const focusedKey = focused?.closest?.('#sidebar') ? focused.dataset.key : undefined;
    this.draw();
    if (focusedKey) {
      byId('sidebar').querySelector(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
    }
  }

  draw() {
    const rooms = this.chat.rooms();
    this.roomList.replaceChildren(...rooms.map(conv => this.item(conv, `#${conv.id}`, null)));
    this.directList.replaceChildren(...this.chat.directs()
      .map(conv => this.item(conv, conv.id, avatar(conv.id))));
    this.directEmpty.hidden = this.chat.directs().length > 0;
    this.renderOthers(new Set(rooms.map(conv => conv.id)));
  }

  renderOthers(joined) {
    const others = this.chat.available.filter(room => !joined.has(room.name));
    this.otherTitle.hidden = others.length === 0;
    this.otherList.replaceChildren(...others.map(room => el('li', {}, [
      el('button', {
        className: 'conversation-button other',
        attrs: { type: 'button', 'data-key': `other:${room.name}` },
        on: { click: () => this.open(() => this.chat.openRoom(room.name), this.roomForm) },
      }, [
        el('span', { className: 'conversation-name', text: `#${room.name}` }),
        el('span', { className: 'people', text: this.texts.t('web.people', room.members) }),
      ]),
    ])));
  }

  item(conv, label, icon) {
    const active = conv.key === this.chat.activeKey;
    const children = [icon, el('span', { className: 'conversation-name', text: label })];
    if (conv.unread > 0 && !active) {
      children.push(el('span', {
        className: 'badge',
        text: conv.unread > 99 ? '99+' : String(conv.unread),
        attrs: { 'aria-hidden': 'true' },
      }));
      children.push(el('span', {
        className: 'visually-hidden',
        text: this.texts.t('web.unread', conv.unread),
      }));
    }
    return el('li', {}, [el('button', {
      className: `conversation-button${active ? ' active' : ''}${conv.unread ? ' unread' : ''}`,
      attrs: {
        type: 'button',
        'aria-current': active ? 'page' : false,
        'data-key': conv.key,
      },
      on: {
        click: () => {
          this.chat.activate(conv);
          this.onOpened();
        },
      },
    }, children)]);
  }
}

/** A one-field form in the side list, with its error line. */
class SideForm {
  constructor(formId, inputId, errorId) {
    this.form = byId(formId);
    this.input = byId(inputId);
    this.error = byId(errorId);
    this.input.addEventListener('input', () => this.clearError());
  }

  onSubmit(handler) {
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      if (this.input.value.trim()) {
        handler(this.input.value);
      }
    });
  }

  fail(text) {
    this.error.textContent = text;
    this.input.setAttribute('aria-invalid', 'true');
  }

  clearError() {
    this.error.textContent = '';
    this.input.removeAttribute('aria-invalid');
  }

  done() {
    this.input.value = '';
    this.clearError();
  }
}
