// Starts the page: picks the language, loads its texts, and hands over to App.

import * as access from './access.js';
import { App } from './app.js';
import { randomToken } from './ids.js';
import * as storage from './storage.js';
import { preferredLanguage, Texts } from './texts.js';

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
  // The session token lets the node give the name back on reconnect. One per tab, so a
  // reload takes the name over from the connection the page before it left behind.
  new App({ texts, session: storage.tabToken(randomToken) }).boot();
}

main();
