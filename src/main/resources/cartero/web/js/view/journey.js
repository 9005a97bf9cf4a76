// The journey of one message: every hop the node recorded, with its time and the time since
// the first hop, from the `journey` request (docs/protocol.md, "journey").

import { byId, el } from '../dom.js';

export class JourneyView {
  constructor({ texts, ask }) {
    this.texts = texts;
    this.ask = ask;
    this.subject = byId('journey-subject');
    this.list = byId('hops');
    /** The message asked for before the connection was ready ({room, offset, epoch}). */
    this.waiting = null;
    this.report = null;
  }

  setTexts(texts) {
    this.texts = texts;
    this.draw();
  }

  /** Follows the message the address names (?room=…&offset=…&epoch=…), once connected. */
  fromAddress(params) {
    const offset = Number(params.get('offset'));
    if (params.get('room') && Number.isInteger(offset) && offset > 0) {
      this.waiting = { room: params.get('room'), offset, epoch: params.get('epoch') };
    }
  }

  connected() {
    if (this.waiting) {
      this.follow(this.waiting);
      this.waiting = null;
    }
  }

  follow(flow) {
    const request = { type: 'journey', room: flow.room, offset: flow.offset };
    if (flow.epoch) {
      request.epoch = flow.epoch;
    }
    this.ask(request)
      .then(report => {
        this.report = report;
        this.draw();
      })
      .catch(error => {
        this.report = null;
        this.subject.textContent = error.message;
        this.list.replaceChildren();
      });
  }

  draw() {
    const report = this.report;
    if (!report) {
      return;
    }
    const t = this.texts;
    this.subject.textContent = report.hops.length === 0
      ? t.t('web.view.journey_unknown', report.room, report.offset)
      : t.t('web.view.journey_of', report.room, report.offset,
        report.sender ?? t.t('web.view.someone'));
    this.subject.dataset.room = report.room;
    this.subject.dataset.offset = report.offset;
    const first = report.hops.find(hop => hop.at != null)?.at;
    this.list.replaceChildren(...report.hops.map(hop => el('li', {
      className: `hop hop-${hop.hop}`,
      attrs: { 'data-hop': hop.hop, 'data-at': hop.at ?? '', 'data-conn': hop.conn ?? '' },
    }, [
      el('span', { className: 'hop-what', text: this.what(hop) }),
      el('span', { className: 'hop-when', text: this.when(hop, first) }),
    ])));
  }

  what(hop) {
    const t = this.texts;
    const who = hop.name ?? hop.conn ?? t.t('web.view.someone');
    switch (hop.hop) {
      case 'client_sent':
        return hop.at == null ? t.t('web.view.hop.no_client_time', who)
          : t.t('web.view.hop.client_sent', who);
      case 'node_accepted':
        return t.t('web.view.hop.node_accepted', hop.detail ?? '');
      case 'broker_stored':
        return t.t('web.view.hop.broker_stored', hop.detail ?? '');
      default:
        return t.t('web.view.hop.delivered', who);
    }
  }

  when(hop, first) {
    if (hop.at == null) {
      return '';
    }
    return this.texts.t('web.view.hop_time', preciseTime(hop.at), hop.at - first);
  }
}

/** HH:MM:SS.mmm in the browser's time zone. */
function preciseTime(millis) {
  const date = new Date(millis);
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
    + `.${pad(date.getMilliseconds(), 3)}`;
}
