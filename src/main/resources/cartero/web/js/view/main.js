// Starts the broker view: picks the language, loads its texts, connects without a name and
// watches. The page speaks only the protocol (docs/protocol.md, "The broker view").

import * as access from '../access.js';
import { Connection, socketUrl } from '../connection.js';
import { byId } from '../dom.js';
import { randomToken } from '../ids.js';
import * as storage from '../storage.js';
import { Bundles, preferredLanguage, Texts } from '../texts.js';
import { StatusView } from '../ui/status.js';
import { CompareView } from './compare.js';
import { Diagram } from './diagram.js';
import { JourneyView } from './journey.js';
import { OperatorPanel } from './operator.js';
import { RecentList } from './recent.js';

class BrokerPage {
  constructor(texts) {
    this.texts = texts;
    this.bundles = new Bundles(texts);
    this.view = null;
    this.status = new StatusView({
      texts,
      announce: text => { byId('status-announcer').textContent = text; },
    });
    this.diagram = new Diagram({ texts });
    this.journey = new JourneyView({ texts, ask: request => this.ask(request) });
    this.compare = new CompareView({ texts, ask: request => this.ask(request) });
    this.operator = new OperatorPanel({ texts, ask: request => this.ask(request) });
    this.recent = new RecentList({ texts, onChoose: flow => this.journey.follow(flow) });
    this.connection = new Connection({
      url: socketUrl(window.location, access.load()),
      session: storage.tabToken(randomToken),
      name: undefined,
      onStatus: status => this.status.update(status),
      onReady: () => this.watch(),
      onFrame: frame => this.frame(frame),
      onRefused: error => this.status.update({ phase: 'gave_up', reason: error.message }),
    });
  }

  start() {
    this.applyTexts();
    byId('export-view-json').href = withToken('/export/view.json');
    byId('export-view-csv').href = withToken('/export/view.csv');
    this.exportLinks();
    for (const button of document.querySelectorAll('button[data-lang]')) {
      button.addEventListener('click', () => this.switchLanguage(button.dataset.lang));
    }
    window.addEventListener('pagehide', () => this.connection.pause());
    window.addEventListener('pageshow', event => event.persisted && this.connection.resume());
    this.journey.fromAddress(new URLSearchParams(window.location.search));
    byId('export-room').addEventListener('input', () => this.exportLinks());
    this.connection.start();
  }

  watch() {
    this.connection.request({ type: 'watch' })
      .then(() => this.journey.connected())
      .catch(error => console.warn('watch refused', error));
  }

  /** Points the transcript links at the room typed. */
  exportLinks() {
    const room = encodeURIComponent(byId('export-room').value.trim().toLowerCase());
    byId('export-room-json').href = withToken(`/export/rooms/${room}.json`);
    byId('export-room-csv').href = withToken(`/export/rooms/${room}.csv`);
  }

  ask(request) {
    return this.connection.request(request);
  }

  frame(frame) {
    if (frame.type === 'view') {
      this.view = frame;
      this.render();
    }
  }

  render() {
    const view = this.view;
    if (!view) {
      return;
    }
    const broker = view.broker;
    const node = view.nodes[0];
    const kind = this.texts.t(`web.view.kind.${broker.kind}`);
    byId('broker-line').textContent = this.texts.t('web.view.summary', node.id,
      broker.address === broker.kind ? kind : `${kind}, ${broker.address}`, view.watchers);
    byId('broker-line').dataset.reachable = String(broker.reachable);
    byId('node-line').textContent = node.cut
      ? this.texts.t('web.view.node_cut', node.deliveries_waiting) : '';
    this.diagram.render(view);
    this.recent.render(view);
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
    [this.status, this.diagram, this.journey, this.recent, this.compare, this.operator]
      .forEach(v => v.setTexts(texts));
    this.applyTexts();
    this.render();
  }

  applyTexts() {
    const texts = this.texts;
    document.documentElement.lang = texts.lang;
    document.title = `Cartero · ${texts.t('web.view.title')}`;
    for (const node of document.querySelectorAll('[data-i18n]')) {
      node.textContent = texts.t(node.dataset.i18n);
    }
    for (const node of document.querySelectorAll('[data-i18n-label]')) {
      node.setAttribute('aria-label', texts.t(node.dataset.i18nLabel));
    }
    for (const button of document.querySelectorAll('button[data-lang]')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === texts.lang));
    }
  }
}

async function main() {
  access.takeFromAddress(window.location, window.history);
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language];
  const lang = preferredLanguage(storage.load('lang', null), languages);
  let texts;
  try {
    texts = await Texts.load(lang);
  } catch (error) {
    document.body.dataset.failed = 'texts';
    console.error('cannot load the page texts', error);
    return;
  }
  new BrokerPage(texts).start();
}

main();

/** An export's address with the node's password or token, when this tab holds one. */
function withToken(path) {
  const token = access.load();
  return token == null ? path : `${path}?token=${encodeURIComponent(token)}`;
}
