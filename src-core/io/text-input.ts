// Text files as parsers receive them: UTF-8 bytes or a string, with a byte-order mark dropped.
import { StudioError } from '../errors';

/** Bytes of a UTF-8 sequence led by byte b (0 for a byte that cannot lead one), and the range its second byte must fall in. */
function sequenceOf(b: number): [number, number, number] {
  if (b < 0x80) return [1, 0, 0];
  if (b >= 0xc2 && b <= 0xdf) return [2, 0x80, 0xbf];
  if (b === 0xe0) return [3, 0xa0, 0xbf];
  if (b === 0xed) return [3, 0x80, 0x9f]; // no surrogates
  if (b >= 0xe1 && b <= 0xef) return [3, 0x80, 0xbf];
  if (b === 0xf0) return [4, 0x90, 0xbf];
  if (b >= 0xf1 && b <= 0xf3) return [4, 0x80, 0xbf];
  if (b === 0xf4) return [4, 0x80, 0x8f]; // nothing past U+10FFFF
  return [0, 0, 0];
}

/** How many leading bytes are whole, valid UTF-8 characters; invalid is false when the rest only lacks its end. */
export function validUtf8Prefix(bytes: Uint8Array): { length: number; invalid: boolean } {
  let i = 0;
  while (i < bytes.length) {
    const [n, lo, hi] = sequenceOf(bytes[i]);
    if (n === 0) return { length: i, invalid: true };
    for (let k = 1; k < n; k++) {
      if (i + k >= bytes.length) return { length: i, invalid: false };
      const c = bytes[i + k];
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return { length: i, invalid: true };
    }
    i += n;
  }
  return { length: i, invalid: false };
}

/**
 * Decodes UTF-8 bytes that arrive in chunks (a character may straddle two); throws on invalid UTF-8. The text before an
 * invalid byte is handed on first, so a reader meets the first fault in file order however the file was cut.
 */
export class Utf8Chunks {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private first = true;
  /** The bytes of an unfinished character the last chunk ended in. */
  private carry: Uint8Array = new Uint8Array(0);

  constructor(private readonly what: string) {}

  /** Hands the text of the next chunk to use; final marks the last one (an unfinished character is then an error). */
  decode(chunk: string | Uint8Array, use: (text: string) => void, final = false): void {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else {
      try {
        text = this.decoder.decode(chunk, { stream: !final });
      } catch {
        const bytes = new Uint8Array(this.carry.length + chunk.length);
        bytes.set(this.carry);
        bytes.set(chunk, this.carry.length);
        const valid = validUtf8Prefix(bytes).length;
        // a fresh decoder drops a byte-order mark only where the file starts
        if (valid > 0) this.hand(new TextDecoder('utf-8', { ignoreBOM: !this.first }).decode(bytes.subarray(0, valid)), use);
        throw new StudioError('invalid-argument', `the ${this.what} is not UTF-8 text`);
      }
      this.carry = final ? new Uint8Array(0) : unfinishedTail(this.carry, chunk);
    }
    this.hand(text, use);
  }

  private hand(text: string, use: (text: string) => void): void {
    // The decoder drops a byte-order mark itself; a string handed in may still start with one.
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    use(text);
  }
}

/** The bytes at the end of carry + chunk that start a character not yet finished (at most 3). */
function unfinishedTail(carry: Uint8Array, chunk: Uint8Array): Uint8Array {
  const joined = chunk.length >= 3 ? chunk.subarray(chunk.length - 3) : Uint8Array.from([...carry, ...chunk]).subarray(-3);
  for (let back = 1; back <= joined.length; back++) {
    const b = joined[joined.length - back];
    if (b >= 0x80 && b < 0xc0) continue; // a continuation byte: its lead is further back
    const n = sequenceOf(b)[0];
    return n > back ? joined.slice(joined.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/** Splits text arriving in chunks into lines at \r\n, \n or \r, numbering them from 1; a line longer than maxChars is an error. */
export class LineSplitter {
  private carry = '';
  /** A chunk ended in \r: a \n starting the next one belongs to the same line break. */
  private afterCr = false;
  private line = 0;

  constructor(
    private readonly onLine: (text: string, line: number) => void,
    private readonly maxChars: number,
  ) {}

  /** Feeds the next piece of text. */
  push(text: string): void {
    let start = 0;
    if (this.afterCr && text.length > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    let i = start;
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) {
        i++;
        continue;
      }
      const piece = text.slice(start, i);
      const line = this.carry === '' ? piece : this.carry + piece;
      this.carry = '';
      this.checkLength(line.length);
      this.onLine(line, ++this.line);
      if (c === 13) {
        if (i + 1 < n) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else this.afterCr = true;
      }
      start = ++i;
    }
    if (start < n) {
      this.carry += text.slice(start);
      this.checkLength(this.carry.length);
    }
  }

  /** Ends the text: the last line is passed on even without a line break (and an empty last line too, as split does). */
  end(): void {
    const line = this.carry;
    this.carry = '';
    this.onLine(line, ++this.line);
  }

  private checkLength(length: number): void {
    if (length > this.maxChars) throw new StudioError('invalid-shape', `row ${this.line + 1} is longer than ${this.maxChars} characters; is the file a table with one row a line?`);
  }
}
