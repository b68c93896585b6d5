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
