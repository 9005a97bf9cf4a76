// The operator's panel of the broker view: the classroom controls (docs/protocol.md,
// "operate"), each sent with the token typed here. The token stays in this page only.

import { byId } from '../dom.js';

export class OperatorPanel {
  constructor({ texts, ask }) {
    this.texts = texts;
    this.ask = ask;
    this.result = byId('operator-result');
    for (const button of byId('operator-form').querySelectorAll('button[data-action]')) {
      button.addEventListener('click', () => this.operate(button.dataset.action));
    }
    byId('operator-form').addEventListener('submit', event => event.preventDefault());
  }

  setTexts(texts) {
    this.texts = texts;
  }

  operate(action) {
    const request = { type: 'operate', action, token: byId('operator-token').value.trim() };
    if (action === 'pause' || action === 'resume') {
      request.name = byId('operator-name').value.trim();
    } else if (action === 'simulate') {
      request.role = byId('simulate-role').value;
      request[byId('simulate-kind').value] = byId('simulate-target').value.trim();
      request.rate = Number(byId('simulate-rate').value);
    }
    this.result.dataset.state = 'waiting';
    this.ask(request)
      .then(done => {
        this.result.dataset.state = 'done';
        this.result.dataset.action = done.action;
        this.result.textContent = this.texts.t('web.view.operated', done.action,
          done.name ?? '', done.detail ?? '');
      })
      .catch(error => {
        this.result.dataset.state = 'refused';
        const key = `error.${error.code}`;
        this.result.textContent = this.texts.has(key) && error.code !== 'invalid_argument'
          ? this.texts.t(key) : error.message;
      });
  }
}
