import { readFile, writeFile } from 'node:fs/promises';

export interface GeneratedFile {
  /** The checked-in file, absolute. */
  path: string;
  /** How the file is named in messages, e.g. relative to the repository. */
  name: string;
  /** What the generator makes now. */
  content: string;
  /** Where the content comes from, for the message: "the OpenAPI document the server serves". */
  source: string;
  /** The command that remakes the file. */
  command: string;
}

/**
 * Writes a generated file, or with `check` writes nothing and gives 1 (naming the first line that
 * differs and the command to run) when the checked-in file is not what the generator makes now.
 */
export async function writeOrCheckGenerated(
  file: GeneratedFile,
  check: boolean,
  report: (line: string) => void = console.error,
): Promise<number> {
  if (!check) {
    await writeFile(file.path, file.content);
    process.stdout.write(`wrote ${file.name}\n`);
    return 0;
  }
  const current = await readFile(file.path, 'utf8').catch(() => '');
  if (current === file.content) return 0;
  const [had, now] = [current.split('\n'), file.content.split('\n')];
  const line = had.findIndex((l, i) => l !== now[i]);
  report(
    `${file.name} differs from ${file.source} (first at line ${line + 1}:\n` +
      `  checked in: ${had[line] ?? '(end of file)'}\n  generated:  ${now[line] ?? '(end of file)'})\n` +
      `run \`${file.command}\` and commit the result`,
  );
  return 1;
}
