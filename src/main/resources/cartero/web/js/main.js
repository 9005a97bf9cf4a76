// Starts the page: picks the language, loads its texts, and hands over to App.

import { App } from './app.js';
import { randomToken } from './ids.js';
import * as storage from './storage.js';
import { preferredLanguage, Texts } from './texts.js';

async function main() {
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
  // One token per page load: it lets the node give this page its name back on reconnect.
  new App({ texts, session: randomToken() }).boot();
}

main();
