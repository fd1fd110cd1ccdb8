import type { Tree } from '@nx/devkit';

/**
 * Adds `row` as the last element of the array literal that `declaration` opens in `file`, and
 * `importLine` after the file's last `@dispatch/*` import. Text edits, not an AST rewrite: each
 * list is a plain array literal closed by `]` at the start of a line, which these edits keep.
 */
export function appendToList(tree: Tree, file: string, declaration: string, row: string, importLine?: string): void {
  let text = read(tree, file);
  const start = text.indexOf(declaration);
  const end = start < 0 ? -1 : text.indexOf('\n]', start);
  if (end < 0) throw new Error(`${file}: cannot find the list \`${declaration} … ]\`; add ${row.trim()} to it by hand`);
  text = `${text.slice(0, end + 1)}${row}\n${text.slice(end + 1)}`;
  if (importLine) {
    const imports = [...text.matchAll(/^import .* from '@dispatch\/[^']+';$/gm)];
    const last = imports.at(-1);
    const at = last ? last.index + last[0].length + 1 : 0;
    text = `${text.slice(0, at)}${importLine}\n${text.slice(at)}`;
  }
  tree.write(file, text);
}

export function read(tree: Tree, file: string): string {
  const text = tree.read(file, 'utf-8');
  if (text === null) throw new Error(`${file} is missing`);
  return text;
}
