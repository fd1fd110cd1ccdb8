import { createHash } from 'node:crypto';
import { comparePaths, type SourceTree } from './source-tree';

const DIGEST_VERSION = 'dispatch-source-tree/1\n';

/**
 * sha256 hex of a tree's canonical encoding: a version line, the file count, then for each file
 * by path order: path length (u32 BE) and UTF-8 path, mode (u32 BE), content length (u64 BE) and
 * content. The same files with the same modes give the same digest, whichever archive format or
 * entry order they came in; it names the function's solo image (`local/<digest>`).
 */
export function treeDigest(tree: SourceTree): string {
  const hash = createHash('sha256');
  const files = [...tree.files].sort((a, b) => comparePaths(a.path, b.path));
  const count = Buffer.alloc(4);
  count.writeUInt32BE(files.length);
  hash.update(DIGEST_VERSION).update(count);
  for (const file of files) {
    const path = Buffer.from(file.path, 'utf8');
    const head = Buffer.alloc(4 + path.length + 4 + 8);
    head.writeUInt32BE(path.length, 0);
    path.copy(head, 4);
    head.writeUInt32BE(file.mode, 4 + path.length);
    head.writeBigUInt64BE(BigInt(file.content.length), 8 + path.length);
    hash.update(head).update(file.content);
  }
  return hash.digest('hex');
}
