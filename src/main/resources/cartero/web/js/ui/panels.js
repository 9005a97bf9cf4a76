// On narrow screens the conversation list and the member list are panels that slide over
// the conversation. A button opens each; Escape, the backdrop or a choice closes it, and
// the focus goes back to the button that opened it.

import { byId } from '../dom.js';

export class Panels {
  constructor() {
    this.backdrop = byId('backdrop');
    this.panels = {
      sidebar: { panel: byId('sidebar'), button: byId('rooms-button') },
      members: { panel: byId('members-panel'), button: byId('members-button') },
    };
    this.openName = null;
    for (const [name, { button }] of Object.entries(this.panels)) {
      button.addEventListener('click', () => this.toggle(name));
    }
    byId('members-close').addEventListener('click', () => this.close());
    this.backdrop.addEventListener('click', () => this.close());
    document.addEventListener('keydown', event => {
      if (event.key === 'Escape' && this.openName) {
        event.preventDefault();
        this.close();
      }
    });
  }

  toggle(name) {
    if (this.openName === name) {
      this.close();
    } else {
      this.open(name);
    }
  }

  open(name) {
    this.close(false);
    const { panel, button } = this.panels[name];
    this.openName = name;
    panel.classList.add('open');
    button.setAttribute('aria-expanded', 'true');
    this.backdrop.hidden = false;
    const first = panel.querySelector('button, input, [tabindex="0"]');
    first?.focus();
  }

  /** Closes the open panel, giving the focus back to its button unless told not to. */
  close(refocus = true) {
    if (!this.openName) {
      return;
    }
    const { panel, button } = this.panels[this.openName];
    this.openName = null;
    panel.classList.remove('open');
    button.setAttribute('aria-expanded', 'false');
    this.backdrop.hidden = true;
    if (refocus && button.offsetParent !== null) {
      button.focus();
    }
  }
}
