// The connection's state, always in view, and told to screen readers when it changes.

import { byId } from '../dom.js';

const BACK_SHOWN_MS = 4_000;

export class StatusView {
  constructor({ texts, announce }) {
    this.texts = texts;
    this.announce = announce;
    this.box = byId('status');
    this.text = byId('status-text');
    this.status = { phase: 'connecting' };
    this.backTimer = null;
  }

  setTexts(texts) {
    this.texts = texts;
    this.render();
  }

  update(status) {
    const was = this.status;
    this.status = status;
    window.clearTimeout(this.backTimer);
    if (status.phase === 'connected' && status.back) {
      this.backTimer = window.setTimeout(() => this.update({ phase: 'connected' }),
        BACK_SHOWN_MS);
    }
    this.render();
    const startsReconnecting = status.phase === 'reconnecting' && was.phase !== 'reconnecting';
    const final = status.phase === 'gave_up' || status.phase === 'locked';
    if (startsReconnecting || status.back || final) {
      this.announce(this.text.textContent);
    }
  }

  render() {
    const status = this.status;
    this.box.dataset.phase = status.back ? 'back' : status.phase;
    this.text.textContent = this.describe(status);
  }

  describe(status) {
    switch (status.phase) {
      case 'reconnecting':
        return this.reconnecting(status);
      case 'connected':
        return status.back ? this.texts.notice('notice.back') : this.texts.t('web.connected');
      case 'gave_up':
        return this.texts.notice('notice.gave_up', status.reason);
      case 'locked':
        return this.texts.t('web.access_status');
      default:
        return this.texts.t('web.connecting');
    }
  }

  /** The attempt and the wait, and why the node closed when it said so (rate, connections). */
  reconnecting(status) {
    const line = this.texts.notice('notice.reconnecting', status.attempt,
      (status.delayMs / 1000).toFixed(1));
    return status.why ? `${line} ${this.texts.t(`web.closed_${status.why}`)}` : line;
  }
}
