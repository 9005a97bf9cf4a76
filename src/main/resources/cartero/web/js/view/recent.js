// The recent messages of the broker view: the sample the node sends with every picture,
// newest first, each a button that follows the message's journey.

import { byId, el } from '../dom.js';

const KEPT = 20;

export class RecentList {
  constructor({ texts, onChoose }) {
    this.texts = texts;
    this.onChoose = onChoose;
    this.list = byId('recent');
    /** Newest first; each {room, epoch, offset, sender, at}. */
    this.flows = [];
  }

  setTexts(texts) {
    this.texts = texts;
    this.draw();
  }

  render(view) {
    const known = new Set(this.flows.map(keyOf));
    const fresh = view.recent.filter(flow => !known.has(keyOf(flow)));
    if (fresh.length === 0) {
      return;
    }
    this.flows = [...fresh.sort((a, b) => b.at - a.at), ...this.flows].slice(0, KEPT);
    this.draw();
  }

  draw() {
    this.list.replaceChildren(...this.flows.map(flow => el('li', {}, [
      el('button', {
        className: 'link-button recent-item',
        text: this.texts.t('web.view.recent_item', flow.room, flow.offset,
          flow.sender ?? this.texts.t('web.view.someone')),
        attrs: { 'data-room': flow.room, 'data-offset': flow.offset,
          'data-epoch': flow.epoch },
        on: { click: () => this.onChoose(flow) },
      }),
    ])));
  }
}

function keyOf(flow) {
  return `${flow.room}/${flow.epoch}/${flow.offset}`;
}
