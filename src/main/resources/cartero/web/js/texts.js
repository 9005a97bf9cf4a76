// The page's wording: the bundles the terminal programs use (i18n/messages*.properties),
// served by the node as /i18n/<lang>.json, and formatted here the way
// java.text.MessageFormat formats them, so the page and the terminal say the same thing.

export const LANGUAGES = ['es', 'en'];

/** The language to start in: the one chosen before, else the browser's, else English. */
export function preferredLanguage(remembered, browserLanguages) {
  if (LANGUAGES.includes(remembered)) {
    return remembered;
  }
  for (const tag of browserLanguages ?? []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) {
      return base;
    }
  }
  return 'en';
}

/** A java.text.DecimalFormat pattern of digits only, such as `0.0` or `#,##0.00`. */
const DECIMAL_PATTERN = /^[#0,]*0(\.0*#*)?$/;

/** The Intl format of a DecimalFormat pattern: its digits, decimals and grouping. */
function decimalFormat(lang, pattern) {
  const [whole, fraction = ''] = pattern.split('.');
  return new Intl.NumberFormat(lang, {
    minimumIntegerDigits: whole.replace(/[^0]/g, '').length,
    minimumFractionDigits: fraction.replace(/[^0]/g, '').length,
    maximumFractionDigits: fraction.length,
    useGrouping: whole.includes(','),
  });
}

/** The bundle of one language and a formatter for its patterns. */
/** The texts already loaded, by language, starting with the page's first; loads others once. */
export class Bundles {
  constructor(first) {
    this.loaded = new Map([[first.lang, first]]);
  }

  /** The texts of `lang`; null, with a warning, when they cannot be loaded. */
  async get(lang) {
    let texts = this.loaded.get(lang);
    if (!texts) {
      try {
        texts = await Texts.load(lang);
      } catch (error) {
        console.warn(`cannot load the texts of ${lang}`, error);
        return null;
      }
      this.loaded.set(lang, texts);
    }
    return texts;
  }
}

export class Texts {
  constructor(lang, bundle) {
    this.lang = lang;
    this.bundle = bundle;
    this.numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 3 });
    this.integers = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  }

  static async load(lang) {
    const response = await fetch(`/i18n/${encodeURIComponent(lang)}.json`);
    if (!response.ok) {
      throw new Error(`/i18n/${lang}.json answered ${response.status}`);
    }
    return new Texts(lang, await response.json());
  }

  has(key) {
    return Object.hasOwn(this.bundle, key);
  }

  /** The text of `key` with its arguments; the key itself when the bundle lacks it. */
  t(key, ...args) {
    const pattern = this.bundle[key];
    if (typeof pattern !== 'string') {
      console.warn(`no text for ${key} in ${this.lang}`);
      return key;
    }
    return formatPattern(pattern, args, this);
  }

  /**
   * A terminal notice without the terminal's leading "* " marker: the page shows notices
   * as lines of their own.
   */
  notice(key, ...args) {
    return this.t(key, ...args).replace(/^\*\s*/, '');
  }

  /** A number as MessageFormat writes it: plain, `integer`, or a pattern such as `0.00`. */
  formatNumber(value, style) {
    if (style === 'integer') {
      return this.integers.format(value);
    }
    if (DECIMAL_PATTERN.test(style)) {
      return decimalFormat(this.lang, style).format(value);
    }
    return this.numbers.format(value);
  }
}

/**
 * Formats a java.text.MessageFormat pattern: `{0}`, `{0,number}`, `{0,number,integer}`,
 * `{0,number,0.00}` and `{0,choice,0#none|1#one|1<{0,number,integer} many}`; `''` is an
 * apostrophe and text between single quotes is literal.
 */
export function formatPattern(pattern, args, numbers) {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "'") {
      const quoted = readQuoted(pattern, i);
      out += quoted.text;
      i = quoted.end;
    } else if (ch === '{') {
      const end = closingBrace(pattern, i);
      out += formatArgument(pattern.slice(i + 1, end), args, numbers);
      i = end + 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** Reads from a quote at `start`: `''` is one apostrophe, else text up to the next quote. */
function readQuoted(pattern, start) {
  if (pattern[start + 1] === "'") {
    return { text: "'", end: start + 2 };
  }
  let text = '';
  let i = start + 1;
  while (i < pattern.length) {
    if (pattern[i] === "'" && pattern[i + 1] === "'") {
      text += "'";
      i += 2;
    } else if (pattern[i] === "'") {
      return { text, end: i + 1 };
    } else {
      text += pattern[i];
      i += 1;
    }
  }
  return { text, end: i };
}

function closingBrace(pattern, open) {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === "'") {
      quoted = !quoted;
    } else if (!quoted && ch === '{') {
      depth += 1;
    } else if (!quoted && ch === '}') {
      depth -= 1;
      if (depth === 0) {
        return i;
      }
    }
  }
  throw new Error(`unmatched brace in pattern: ${pattern}`);
}

function formatArgument(spec, args, numbers) {
  const first = spec.indexOf(',');
  const index = Number((first < 0 ? spec : spec.slice(0, first)).trim());
  const value = args[index];
  if (value === undefined) {
    return `{${spec}}`;
  }
  if (first < 0) {
    return plain(value, numbers);
  }
  const rest = spec.slice(first + 1);
  const second = rest.indexOf(',');
  const type = (second < 0 ? rest : rest.slice(0, second)).trim();
  const style = second < 0 ? '' : rest.slice(second + 1);
  if (type === 'choice') {
    return choose(style, Number(value), args, numbers);
  }
  if (type === 'number' && typeof value === 'number') {
    return numbers ? numbers.formatNumber(value, style.trim()) : String(value);
  }
  return plain(value, numbers);
}

function plain(value, numbers) {
  if (typeof value === 'number' && numbers) {
    return numbers.formatNumber(value);
  }
  return String(value);
}

/** A java.text.ChoiceFormat: the last limit the value reaches picks the text. */
function choose(style, value, args, numbers) {
  let chosen = null;
  for (const option of splitChoices(style)) {
    const match = /^\s*(-?[\d.]+|-?\u221e)\s*([#<\u2264])(.*)$/su.exec(option);
    if (!match) {
      continue;
    }
    const limit = match[1].endsWith('\u221e') ? Number.NEGATIVE_INFINITY : Number(match[1]);
    const reached = match[2] === '<' ? value > limit : value >= limit;
    if (chosen === null || reached) {
      chosen = match[3];
    }
    if (!reached) {
      break;
    }
  }
  if (chosen === null) {
    return '';
  }
  return formatPattern(chosen, args, numbers);
}

function splitChoices(style) {
  const options = [];
  let depth = 0;
  let current = '';
  for (const ch of style) {
    if (ch === '{') {
      depth += 1;
    } else if (ch === '}') {
      depth -= 1;
    }
    if (ch === '|' && depth === 0) {
      options.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  options.push(current);
  return options;
}
