export * from './limits';
export {
  comparePaths,
  normaliseSourcePath,
  sourceFileMode,
  treeFromFiles,
  type SourceFile,
  type SourceFileInput,
  type SourceFileMode,
  type SourceTree,
} from './source-tree';
export { detectArchiveFormat, readArchive, type ArchiveFormat } from './read-archive';
export { checkHandler, isFunctionRuntime, parseHandler, type HandlerRequest, type HandlerTarget } from './handler';
export { treeDigest } from './digest';
export { packTree } from './pack';
export { localImageDir, localImageExists, removeLocalImage, writeLocalImage, type LocalImage } from './local-image';
