// Text made safe for a terminal: control characters are written as \u escapes, so text quoted from a file cannot move the cursor, clear the screen or retitle the window.

// Unicode's Cc class (C0, DEL, C1), less the tab and the line feed our own lines use.
const CONTROL = /(?![\t\n])\p{Cc}/gu;

/** The text with every control character but tab and newline replaced by its \u escape. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
