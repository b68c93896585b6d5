// Finds where JSON text first goes wrong, since the engine's own SyntaxError does not always say (Node 20 does not).
const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Stop {
  constructor(readonly at: number) {}
}

/** A small recursive-descent checker: every method returns the offset after the value it read, or throws Stop. */
class Scanner {
  private depth = 0;
  constructor(private readonly text: string) {}

  skip(i: number): number {
    while (i < this.text.length && WS.has(this.text[i])) i++;
    return i;
  }

  private match(re: RegExp, i: number): number {
    re.lastIndex = i;
    if (!re.test(this.text)) throw new Stop(i);
    return re.lastIndex;
  }

  value(i: number): number {
    i = this.skip(i);
    const c = this.text[i];
    if (c === '{' || c === '[') {
      if (++this.depth > 512) throw new Stop(i);
      const end = c === '{' ? '}' : ']';
      i = this.skip(i + 1);
      if (this.text[i] === end) return this.depth--, i + 1;
      for (;;) {
        if (c === '{') {
          i = this.match(STRING, this.skip(i));
          i = this.skip(i);
          if (this.text[i] !== ':') throw new Stop(i);
          i++;
        }
        i = this.skip(this.value(i));
        if (this.text[i] === end) return this.depth--, i + 1;
        if (this.text[i] !== ',') throw new Stop(i);
        i++;
      }
    }
    if (c === '"') return this.match(STRING, i);
    for (const word of ['true', 'false', 'null']) if (this.text.startsWith(word, i)) return i + word.length;
    return this.match(NUMBER, i);
  }
}

/** The offset of the first character at which text stops being JSON, or null when it is valid. */
export function jsonErrorOffset(text: string): number | null {
  const scanner = new Scanner(text);
  try {
    const end = scanner.skip(scanner.value(0));
    return end === text.length ? null : end;
  } catch (err) {
    if (err instanceof Stop) return err.at;
    throw err;
  }
}
