// Who is in the conversation, updated as join and leave messages arrive. A name other than
// one's own opens the direct conversation with that person.

import { byId, el } from '../dom.js';
import { avatar } from './looks.js';

export class MembersView {
  constructor({ chat, texts, onOpened }) {
    this.chat = chat;
    this.texts = texts;
    this.onOpened = onOpened;
    this.title = byId('members-title');
    this.list = byId('member-list');
    this.button = byId('members-button');
  }

  setTexts(texts) {
    this.texts = texts;
  }

  render(conv) {
    const names = conv ? [...conv.members].sort(byName) : [];
    const count = this.texts.t('web.members_title', names.length);
    this.title.textContent = count;
    this.button.textContent = count;
    this.list.replaceChildren(...names.map(name => this.member(name)));
  }

  member(name) {
    if (name === this.chat.me) {
      return el('li', { className: 'member me', attrs: { 'data-name': name } }, [
        avatar(name),
        el('span', { className: 'member-name', text: this.texts.t('web.you', name) }),
      ]);
    }
    return el('li', { className: 'member', attrs: { 'data-name': name } }, [el('button', {
      className: 'member-button',
      attrs: { type: 'button', 'aria-label': this.texts.t('web.write_to', name) },
      on: {
        click: () => {
          this.chat.openDirect(name);
          this.onOpened();
        },
      },
    }, [avatar(name), el('span', { className: 'member-name', text: name })])]);
  }
}

function byName(a, b) {
  return a.localeCompare(b, undefined, { sensitivity: 'base' });
}
