// Receives a multipart upload (busboy) straight into a fresh staging folder: files stream to disk,
// never into memory; fields are collected as text.
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { HttpError } from './http-error.ts';
import { type StagedFile, safeName, stagingFolder } from './staging.ts';

export interface Upload {
  files: StagedFile[];
  fields: Record<string, string>;
  /** Removes every file of the upload. */
  remove: () => void;
}

export async function receiveUpload(req: Request, opts: { stagingDir: string; fileField: string; maxBytes: number; maxFiles?: number }): Promise<Upload> {
  if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    throw new HttpError(400, `expected multipart/form-data with the file(s) in field "${opts.fileField}"`);
  }
  const folder = stagingFolder(opts.stagingDir, 'upload');
  const files: StagedFile[] = [];
  const fields: Record<string, string> = {};
  const writes: Promise<void>[] = [];
  let failure: HttpError | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      const bb = busboy({ headers: req.headers, limits: { fileSize: opts.maxBytes, files: opts.maxFiles ?? 200, fields: 20, fieldSize: 4096 } });
      bb.on('file', (field, stream, info) => {
        if (field !== opts.fileField) {
          failure ??= new HttpError(400, `unexpected file field "${field}" (expected "${opts.fileField}")`);
          stream.resume();
          return;
        }
        const name = safeName(info.filename || `file-${files.length + 1}`);
        // Two uploads of the same name each keep their own file; the name itself is kept for kind detection.
        const dir = join(folder.dir, String(files.length));
        mkdirSync(dir);
        const path = join(dir, name);
        files.push({ path, name, cleanup: () => undefined });
        stream.on('limit', () => {
          failure ??= new HttpError(413, `${name} is larger than the upload limit of ${Math.round(opts.maxBytes / 1048576)} MB`);
        });
        writes.push(pipeline(stream, createWriteStream(path)));
      });
      bb.on('field', (name, value, info) => {
        if (info.valueTruncated) failure ??= new HttpError(400, `field ${name} is too long`);
        fields[name] = value;
      });
      bb.on('filesLimit', () => (failure ??= new HttpError(413, 'too many files in one upload')));
      bb.on('error', (err) => reject(new HttpError(400, `malformed upload: ${(err as Error).message}`)));
      bb.on('close', () => resolve());
      req.on('aborted', () => reject(new HttpError(400, 'the upload was interrupted')));
      req.pipe(bb);
    });
    await Promise.all(writes);
    if (failure) throw failure;
  } catch (err) {
    folder.remove();
    throw err;
  }
  return { files, fields, remove: folder.remove };
}
