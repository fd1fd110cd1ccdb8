import type { Tree } from '@nx/devkit';

/**
 * Adds `row` as the last element of the array literal assigned by `declaration` in `file`, and
 * `importLine` after the file's last import from `@dispatch/*`. Text edits, not an AST rewrite:
 * the lists are plain array literals of identifiers and object literals (no brackets in strings),
 * and the generator's formatter lays the result out afterwards.
 */
export function appendToList(tree: Tree, file: string, declaration: string, row: string, importLine?: string): void {
  let text = read(tree, file);
  const close = closingBracket(text, declaration);
  if (close < 0) throw new Error(`${file}: cannot find the list \`${declaration} = [ … ]\`; add ${row} to it by hand`);
  const before = text.slice(0, close).trimEnd();
  const separator = before.endsWith('[') || before.endsWith(',') ? '' : ',';
  text = `${before}${separator}\n  ${row},\n${text.slice(close)}`;
  if (importLine) {
    // The last line of an import from a workspace lib, on one line or closing several.
    const imports = [...text.matchAll(/^(import .*|\}) from '@dispatch\/[^']+';$/gm)];
    const last = imports.at(-1);
    const at = last ? last.index + last[0].length + 1 : 0;
    text = `${text.slice(0, at)}${importLine}\n${text.slice(at)}`;
  }
  tree.write(file, text);
}

/** Index of the `]` closing the array literal that `declaration … = [` opens, or -1. */
function closingBracket(text: string, declaration: string): number {
  const start = text.indexOf(declaration);
  if (start < 0) return -1;
  const open = /=\s*\[/.exec(text.slice(start));
  if (!open) return -1;
  let depth = 0;
  for (let i = start + open.index + open[0].length - 1; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return i;
  }
  return -1;
}

export function read(tree: Tree, file: string): string {
  const text = tree.read(file, 'utf-8');
  if (text === null) throw new Error(`${file} is missing`);
  return text;
}
