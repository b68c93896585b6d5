// A tiny formula markup: '_' and '^' make sub- and superscripts of the next word or of a {braced} group.

/** A piece of a formula: plain text, or a sub-/superscript holding pieces of its own. */
export type FormulaNode = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'sub' | 'sup'; readonly children: readonly FormulaNode[] };

/** Characters a bare script takes: letters (Latin and Greek), digits and primes ('t', 'min', '2', "t'"). */
const WORD = /^[A-Za-z0-9\u0370-\u03ff']+/;

/** Parses markup such as 'g_t^2 = 2 σ_t σ'_t' or 'e^{-λ_t/2}' into nodes; a stray '_' or '^' stays literal. */
export function parseFormula(src: string): FormulaNode[] {
  return parseRun(src, { i: 0 }, false);
}

function parseRun(src: string, at: { i: number }, inBraces: boolean): FormulaNode[] {
  const out: FormulaNode[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  while (at.i < src.length) {
    const c = src[at.i];
    if (inBraces && c === '}') {
      at.i++;
      break;
    }
    if ((c === '_' || c === '^') && at.i + 1 < src.length) {
      const kind = c === '_' ? 'sub' : 'sup';
      const next = src[at.i + 1];
      if (next === '{') {
        flush();
        at.i += 2;
        out.push({ kind, children: parseRun(src, at, true) });
        continue;
      }
      const word = WORD.exec(src.slice(at.i + 1))?.[0] ?? (next === '-' || next === '+' ? next : '');
      if (word) {
        flush();
        at.i += 1 + word.length;
        out.push({ kind, children: [{ kind: 'text', text: word }] });
        continue;
      }
    }
    text += c;
    at.i++;
  }
  flush();
  return out;
}

/** The formula as plain text without markup (for search and for title attributes). */
export function formulaPlain(src: string): string {
  const walk = (nodes: readonly FormulaNode[]): string => nodes.map((n) => (n.kind === 'text' ? n.text : walk(n.children))).join('');
  return walk(parseFormula(src));
}
