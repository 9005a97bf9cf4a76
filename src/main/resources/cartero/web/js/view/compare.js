// Delivery semantics side by side: asks the node to send the same numbered messages to a
// queue and to a room, two consumers on each (docs/protocol.md, "compare"), and shows who got
// which: in the queue each message went to one of them, in the room to both.

import { byId, el } from '../dom.js';

export class CompareView {
  constructor({ texts, ask }) {
    this.texts = texts;
    this.ask = ask;
    this.result = byId('compare-result');
    this.comparison = null;
    byId('compare-form').addEventListener('submit', event => {
      event.preventDefault();
      this.run();
    });
  }

  setTexts(texts) {
    this.texts = texts;
    this.draw();
  }

  run() {
    const count = Number(byId('compare-count').value);
    const error = byId('compare-error');
    if (!Number.isInteger(count) || count < 1 || count > 20) {
      error.textContent = this.texts.t('web.view.compare_bad_count');
      return;
    }
    error.textContent = '';
    const button = byId('compare-button');
    button.disabled = true;
    this.ask({ type: 'compare', count })
      .then(comparison => {
        this.comparison = comparison;
        this.draw();
      })
      .catch(failure => { error.textContent = failure.message; })
      .finally(() => { button.disabled = false; });
  }

  draw() {
    const comparison = this.comparison;
    if (!comparison) {
      return;
    }
    this.result.replaceChildren(this.side(comparison.queue), this.side(comparison.room));
  }

  side(semantics) {
    const t = this.texts;
    const title = semantics.kind === 'queue' ? t.t('web.view.compare_queue', semantics.name)
      : t.t('web.view.compare_room', semantics.name);
    return el('section', { className: `compare-side ${semantics.kind}`,
      attrs: { 'data-kind': semantics.kind, 'data-name': semantics.name } }, [
      el('h3', { text: title }),
      el('ul', { className: 'compare-consumers' }, semantics.consumers.map(share =>
        el('li', { attrs: { 'data-consumer': share.consumer, 'data-got': share.got.join(',') } }, [
          el('span', { className: 'compare-consumer',
            text: t.t('web.view.compare_got', share.consumer, share.got.length) }),
          el('span', { className: 'chips' }, share.got.map(n =>
            el('span', { className: 'chip', text: String(n) }))),
        ]))),
    ]);
  }
}
