// Small helpers for how people, times and days look on the page.

import { el } from '../dom.js';

const HUES = 8;

/** The colour class of a person's avatar, the same for a name on every page. */
export function hueClass(name) {
  let hash = 0;
  for (const ch of String(name)) {
    hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  }
  return `hue-${hash % HUES}`;
}

/** A round avatar with the first letter of a name; decorative, so hidden from readers. */
export function avatar(name) {
  const first = [...String(name).trim()][0] ?? '?';
  return el('span', {
    className: `avatar ${hueClass(name)}`,
    text: first.toLocaleUpperCase(),
    attrs: { 'aria-hidden': 'true' },
  });
}

/** HH:MM in the browser's time zone. */
export function clockTime(millis) {
  const date = new Date(millis);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A day's label: today, yesterday, or the date in the page's language. */
export function dayLabel(millis, texts, now = Date.now()) {
  const day = startOfDay(millis);
  const today = startOfDay(now);
  if (day === today) {
    return texts.t('web.today');
  }
  if (day === startOfDay(today - 12 * 3_600_000)) {
    return texts.t('web.yesterday');
  }
  return new Intl.DateTimeFormat(texts.lang, { dateStyle: 'full' }).format(new Date(millis));
}

export function startOfDay(millis) {
  const date = new Date(millis);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

function pad(number) {
  return String(number).padStart(2, '0');
}
