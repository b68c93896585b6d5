// A streaming JSON scanner: text in any chunks, events out (values, keys, array and object bounds); no recursion, no tree built.
import { StudioError } from '../errors';

/** A scalar as the scanner reports it; strings carry their first MAX_TEXT decoded characters. */
export type JsonScalar =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly text: string; readonly long: boolean }
  | { readonly kind: 'true' | 'false' | 'null' };

/** What a scanner tells as it reads, in document order. */
export interface JsonHandler {
  scalar(value: JsonScalar): void;
  startArray(): void;
  endArray(): void;
  startObject(): void;
  endObject(): void;
  /** An object's key; long when it had more than MAX_TEXT characters (text holds the first ones). */
  key(text: string, long: boolean): void;
}

/** Decoded characters a string keeps (the rest is checked and counted, not kept). */
const MAX_TEXT = 1024;
/** Deepest nesting the scanner follows (one byte of memory a level). */
const MAX_DEPTH = 1 << 20;
/** Longest number or literal, in characters. */
const MAX_TOKEN = 1 << 16;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;

// What the innermost container (or the top level) expects next.
const enum S {
  TopValue,
  TopDone,
  ArrayFirst,
  ArrayValue,
  ArrayAfter,
  ObjectFirstKey,
  ObjectKey,
  ObjectColon,
  ObjectValue,
  ObjectAfter,
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const ESCAPES: Readonly<Record<number, number>> = { 34: 34, 92: 92, 47: 47, 98: 8, 102: 12, 110: 10, 114: 13, 116: 9 };

/** Reads JSON text as it arrives and reports it to a handler; a syntax error names its line, column and the text there. */
export class JsonScanner {
  private buf = '';
  /** Offset of buf[0] in the whole text. */
  private base = 0;
  private line = 1;
  private lineStart = 0;
  private state: S = S.TopValue;
  /** Kinds of the open containers (0 array, 1 object), one byte a level. */
  private kinds = new Uint8Array(64);
  private depth = 0;
  private final = false;
  /** A string being read: its start, the decoded characters kept, and where an escape stands. */
  private str: { start: number; line: number; column: number; key: boolean; text: string; length: number; esc: number; hex: number; hexCount: number; raw: string } | null = null;
  private pending: { offset: number; line: number; column: number; found: string } | null = null;
  /** Where the first syntax error was found (offset in the text), once one was. */
  errorOffset: number | null = null;

  constructor(private readonly handler: JsonHandler) {}

  /** Characters consumed so far. */
  get offset(): number {
    return this.base;
  }

  /** Feeds the next piece of text. */
  push(text: string): void {
    if (this.pending) return this.feedPending(text);
    this.buf = this.buf === '' ? text : this.buf + text;
    this.run();
  }

  /** Ends the text; throws if it stops inside a value or holds no value. */
  end(): void {
    this.final = true;
    if (this.pending) return this.feedPending('');
    this.run();
    if (this.str) this.badString(this.str, this.buf.length);
    else if (this.state !== S.TopDone) this.fail(this.buf.length);
  }

  private feedPending(text: string): void {
    const p = this.pending as NonNullable<typeof this.pending>;
    p.found = (p.found + text).slice(0, 12);
    if (p.found.length >= 12 || this.final) this.throwPending();
  }

  private throwPending(): never {
    const p = this.pending as NonNullable<typeof this.pending>;
    const found = p.found === '' ? 'the end of the file' : JSON.stringify(p.found);
    throw new StudioError('invalid-argument', `the file is not valid JSON: line ${p.line}, column ${p.column} at ${found}`);
  }

  /** Stops at a syntax error at buf index i; the message waits for the 12 characters it quotes when the chunk ends first. */
  private fail(i: number): void {
    this.stop(this.base + i, this.line, this.base + i - this.lineStart + 1, this.buf.slice(i, i + 12));
  }

  private stop(offset: number, line: number, column: number, found: string): void {
    this.errorOffset = offset;
    this.pending = { offset, line, column, found };
    this.buf = '';
    if (found.length >= 12 || this.final) this.throwPending();
  }

  private get expectsValue(): boolean {
    const s = this.state;
    return s === S.TopValue || s === S.ArrayFirst || s === S.ArrayValue || s === S.ObjectValue;
  }

  /** After a value: the container now waits for a comma or its end. */
  private valueDone(): void {
    this.state = this.depth === 0 ? S.TopDone : this.kinds[this.depth - 1] === 0 ? S.ArrayAfter : S.ObjectAfter;
  }

  private open(kind: 0 | 1): void {
    if (this.depth >= MAX_DEPTH) throw new StudioError('invalid-shape', `the file nests more than ${MAX_DEPTH} levels deep`);
    if (this.depth === this.kinds.length) {
      const grown = new Uint8Array(this.kinds.length * 2);
      grown.set(this.kinds);
      this.kinds = grown;
    }
    this.kinds[this.depth++] = kind;
    this.state = kind === 0 ? S.ArrayFirst : S.ObjectFirstKey;
    if (kind === 0) this.handler.startArray();
    else this.handler.startObject();
  }

  private close(kind: 0 | 1): void {
    this.depth--;
    if (kind === 0) this.handler.endArray();
    else this.handler.endObject();
    this.valueDone();
  }

  private run(): void {
    const buf = this.buf;
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (this.pending) return;
      if (this.str) {
        i = this.stringChars(buf, i);
        continue;
      }
      const c = buf.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) {
        i++;
        continue;
      }
      if (c === 10) {
        this.line++;
        this.lineStart = this.base + i + 1;
        i++;
        continue;
      }
      const s = this.state;
      if (c === 34) {
        if (!this.expectsValue && s !== S.ObjectFirstKey && s !== S.ObjectKey) return this.fail(i);
        const key = s === S.ObjectFirstKey || s === S.ObjectKey;
        this.str = { start: this.base + i, line: this.line, column: this.base + i - this.lineStart + 1, key, text: '', length: 0, esc: 0, hex: 0, hexCount: 0, raw: '"' };
        i++;
        continue;
      }
      if (c === 91 || c === 123) {
        if (!this.expectsValue) return this.fail(i);
        this.open(c === 91 ? 0 : 1);
        i++;
        continue;
      }
      if (c === 93) {
        if (s !== S.ArrayFirst && s !== S.ArrayAfter) return this.fail(i);
        this.close(0);
        i++;
        continue;
      }
      if (c === 125) {
        if (s !== S.ObjectFirstKey && s !== S.ObjectAfter) return this.fail(i);
        this.close(1);
        i++;
        continue;
      }
      if (c === 44) {
        if (s === S.ArrayAfter) this.state = S.ArrayValue;
        else if (s === S.ObjectAfter) this.state = S.ObjectKey;
        else return this.fail(i);
        i++;
        continue;
      }
      if (c === 58) {
        if (s !== S.ObjectColon) return this.fail(i);
        this.state = S.ObjectValue;
        i++;
        continue;
      }
      if (!this.expectsValue) return this.fail(i);
      if (c === 116 || c === 102 || c === 110) {
        const word = LITERALS.find((w) => buf.startsWith(w, i));
        if (word === undefined) {
          // a literal cut by the end of this chunk waits for the next one
          const rest = buf.slice(i);
          if (!this.final && rest.length < 5 && LITERALS.some((w) => w.startsWith(rest))) break;
          return this.fail(i);
        }
        this.handler.scalar({ kind: word });
        this.valueDone();
        i += word.length;
        continue;
      }
      let j = i;
      while (j < n && isNumberChar(buf.charCodeAt(j))) j++;
      if (j === n && !this.final) {
        if (j - i > MAX_TOKEN) throw new StudioError('invalid-argument', `the file holds a number of more than ${MAX_TOKEN} characters`);
        break; // the number may go on in the next chunk
      }
      NUMBER.lastIndex = i;
      if (!NUMBER.test(buf)) return this.fail(i);
      this.handler.scalar({ kind: 'number', value: Number(buf.slice(i, NUMBER.lastIndex)) });
      this.valueDone();
      i = NUMBER.lastIndex;
    }
    if (this.pending) return;
    // keep what is left (a token cut by the chunk's end); everything before it is consumed
    this.base += i;
    this.buf = i >= n ? '' : buf.slice(i);
  }

  /** Reads string characters from i; returns where it stopped (the string may go on in the next chunk). */
  private stringChars(buf: string, i: number): number {
    const st = this.str as NonNullable<typeof this.str>;
    const n = buf.length;
    for (; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (st.raw.length < 12) st.raw += buf[i];
      if (st.esc === 0) {
        if (c === 34) {
          this.str = null;
          const long = st.length > MAX_TEXT;
          if (st.key) {
            this.state = S.ObjectColon;
            this.handler.key(st.text, long);
          } else {
            this.handler.scalar({ kind: 'string', text: st.text, long });
            this.valueDone();
          }
          return i + 1;
        }
        if (c === 92) {
          st.esc = 1;
          continue;
        }
        if (c < 0x20) return this.badString(st, i + 1), n;
        this.keep(st, c);
      } else if (st.esc === 1) {
        if (c === 117) {
          st.esc = 2;
          st.hex = 0;
          st.hexCount = 0;
          continue;
        }
        const e = ESCAPES[c];
        if (e === undefined) return this.badString(st, i + 1), n;
        st.esc = 0;
        this.keep(st, e);
      } else {
        const h = hexValue(c);
        if (h < 0) return this.badString(st, i + 1), n;
        st.hex = st.hex * 16 + h;
        if (++st.hexCount === 4) {
          st.esc = 0;
          this.keep(st, st.hex);
        }
      }
    }
    return n;
  }

  private keep(st: NonNullable<typeof this.str>, code: number): void {
    if (st.length++ < MAX_TEXT) st.text += String.fromCharCode(code);
  }

  /** A malformed string is an error at its opening quote; the text quoted runs on from there (next is the buf index after what raw holds). */
  private badString(st: NonNullable<typeof this.str>, next: number): void {
    this.str = null;
    this.stop(st.start, st.line, st.column, (st.raw + this.buf.slice(next, next + 12)).slice(0, 12));
  }
}

const IGNORE: JsonHandler = { scalar() {}, startArray() {}, endArray() {}, startObject() {}, endObject() {}, key() {} };

/** The offset of the first character at which text stops being JSON, or null when it is valid. */
export function jsonErrorOffset(text: string): number | null {
  const scanner = new JsonScanner(IGNORE);
  try {
    scanner.push(text);
    scanner.end();
    return null;
  } catch (err) {
    if (err instanceof StudioError && scanner.errorOffset !== null) return scanner.errorOffset;
    throw err;
  }
}
