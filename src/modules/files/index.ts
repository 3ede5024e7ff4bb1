export { createFileService, fileView, DEFAULT_MAX_FILE_BYTES, UNATTACHED_FILE_LIFETIME_MS, type FileService, type FileView } from './files-service.ts';
export { storeFileRoutes } from './files-routes.ts';
export { attachFiles, detachFiles, type FilesTable, type FilePurpose } from './files-store.ts';
