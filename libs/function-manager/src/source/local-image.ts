import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LOCAL_IMAGE_PATTERN, LOCAL_IMAGE_PREFIX } from '@dispatch/contracts';
import { treeDigest } from './digest';
import { normaliseSourcePath, type SourceTree } from './source-tree';

export interface LocalImage {
  /** `local/<digest>`: the image name a solo function version runs. */
  image: string;
  /** `<imagesRoot>/<digest>`: the unpacked tree faas-local runs the function from. */
  dir: string;
  /** {@link treeDigest} of the tree. */
  digest: string;
}

/** Temporary directories of writers and removers, next to the images so a rename stays on one file system. */
const TEMP_PREFIX = '.tmp-';

/** `<imagesRoot>/<hex>` for a `local/<hex>` image; undefined for any other image name. */
export function localImageDir(imagesRoot: string, image: string): string | undefined {
  const match = LOCAL_IMAGE_PATTERN.exec(image);
  return match ? join(imagesRoot, match[1]) : undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Writes a tree as the solo image `local/<digest>` at `<imagesRoot>/<digest>/`: files with their
 * modes (0644/0755), directories 0755. Atomic: the tree is written into `<imagesRoot>/.tmp-<random>/`
 * and renamed into place, so the image directory is either absent or complete. Idempotent: the
 * name is the content's digest, so an existing image directory already holds this tree and is kept
 * (the temporary copy is removed), including when two writers of the same tree race.
 */
export async function writeLocalImage(imagesRoot: string, tree: SourceTree): Promise<LocalImage> {
  const digest = treeDigest(tree);
  const image = `${LOCAL_IMAGE_PREFIX}${digest}`;
  const dir = join(imagesRoot, digest);
  if (await isDirectory(dir)) return { image, dir, digest };

  await mkdir(imagesRoot, { recursive: true });
  const temp = await mkdtemp(join(imagesRoot, TEMP_PREFIX));
  try {
    await chmod(temp, 0o755); // mkdtemp makes it 0700
    const made = new Set<string>([temp]);
    for (const file of tree.files) {
      // A hand-made tree gets the same path rules as one read from an archive.
      const path = normaliseSourcePath(file.path, 'file');
      if (path !== file.path) throw new Error(`source tree path ${file.path} is not normalised`);
      const target = join(temp, path);
      await makeDirectories(temp, dirname(target), made);
      await writeFile(target, file.content, { mode: file.mode, flag: 'wx' });
      await chmod(target, file.mode); // the umask may have cleared bits of `mode`
    }
    try {
      await rename(temp, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another writer renamed the same tree into place first: theirs is as good as ours.
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await isDirectory(dir))) return { image, dir, digest };
      throw error;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return { image, dir, digest };
}

/** Creates `dir` and its parents below `root`, each 0755, remembering which exist. */
async function makeDirectories(root: string, dir: string, made: Set<string>): Promise<void> {
  if (made.has(dir)) return;
  await makeDirectories(root, dirname(dir), made);
  await mkdir(dir);
  await chmod(dir, 0o755);
  made.add(dir);
}

/** Whether the solo image `local/<hex>` is unpacked under imagesRoot; false for other image names. */
export async function localImageExists(imagesRoot: string, image: string): Promise<boolean> {
  const dir = localImageDir(imagesRoot, image);
  return dir !== undefined && isDirectory(dir);
}

/**
 * Removes the solo image `local/<hex>`: renamed aside first (so nobody sees it half deleted),
 * then deleted. Answers whether there was one; false, doing nothing, for other image names.
 */
export async function removeLocalImage(imagesRoot: string, image: string): Promise<boolean> {
  const dir = localImageDir(imagesRoot, image);
  if (dir === undefined) return false;
  const aside = join(imagesRoot, `${TEMP_PREFIX}rm-${randomBytes(8).toString('hex')}`);
  try {
    await rename(dir, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
  return true;
}
