// Text files as parsers receive them: UTF-8 bytes or a string, with a byte-order mark dropped.
import { StudioError } from '../errors';

/** Decodes UTF-8 bytes (or passes a string through) and drops a leading byte-order mark; throws on invalid UTF-8. */
export function decodeText(input: string | Uint8Array, what: string): string {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new StudioError('invalid-argument', `the ${what} is not UTF-8 text`);
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Line and column (both from 1) of a character offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Decodes UTF-8 bytes that arrive in chunks (a character may straddle two); throws on invalid UTF-8. */
export class Utf8Chunks {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private first = true;

  constructor(private readonly what: string) {}

  /** The text of the next chunk; final marks the last one (an unfinished character is then an error). */
  decode(chunk: string | Uint8Array, final = false): string {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else {
      try {
        text = this.decoder.decode(chunk, { stream: !final });
      } catch {
        throw new StudioError('invalid-argument', `the ${this.what} is not UTF-8 text`);
      }
    }
    // The decoder drops a byte-order mark itself; a string handed in may still start with one.
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }
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
