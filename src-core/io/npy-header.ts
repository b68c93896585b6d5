// The header of an .npy file: a small reader for the Python dict literal numpy writes (strings, True/False, tuples of integers).
import { StudioError } from '../errors';

function bad(message: string): never {
  throw new StudioError('invalid-argument', `not a usable .npy file: ${message}`);
}

/** A value of the header dict: a string, True/False, an integer, or a tuple/list of values. */
export type HeaderValue = string | boolean | number | HeaderValue[];

/** Reads the header text once, left to right. */
class HeaderParser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private expect(ch: string): void {
    this.ws();
    if (this.s[this.i] !== ch) bad(`header is not a Python dict literal (expected '${ch}' at ${this.i})`);
    this.i++;
  }

  private string(): string {
    this.ws();
    const q = this.s[this.i];
    if (q !== "'" && q !== '"') bad(`header is not a Python dict literal (expected a string at ${this.i})`);
    const end = this.s.indexOf(q, this.i + 1);
    if (end < 0) bad('header has an unterminated string');
    const value = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return value;
  }

  private value(depth: number): HeaderValue {
    if (depth > 4) bad('header nests too deeply');
    this.ws();
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.string();
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      this.i++;
      const items: HeaderValue[] = [];
      for (;;) {
        this.ws();
        if (this.s[this.i] === close) break;
        items.push(this.value(depth + 1));
        this.ws();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== close) bad(`header has a malformed tuple at ${this.i}`);
      }
      this.i++;
      return items;
    }
    const word = /^[A-Za-z0-9_]+/.exec(this.s.slice(this.i))?.[0] ?? bad(`header has an unexpected character at ${this.i}`);
    this.i += word.length;
    if (word === 'True') return true;
    if (word === 'False') return false;
    // numpy 1.x may write 3L for longs in old files
    const digits = word.endsWith('L') ? word.slice(0, -1) : word;
    if (!/^[0-9]+$/.test(digits)) bad(`header has an unexpected value '${word}'`);
    return Number(digits);
  }

  /** Parses the whole header into its key/value pairs. */
  dict(): Map<string, HeaderValue> {
    const out = new Map<string, HeaderValue>();
    this.expect('{');
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') break;
      const key = this.string();
      this.expect(':');
      out.set(key, this.value(0));
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') bad(`header has a malformed dict at ${this.i}`);
    }
    this.i++;
    this.ws();
    if (this.i !== this.s.length) bad('header has text after the dict');
    return out;
  }
}

/** Parses an .npy header text into its key/value pairs; throws StudioError on anything but a flat dict literal. */
export function parseNpyHeader(text: string): Map<string, HeaderValue> {
  return new HeaderParser(text).dict();
}
