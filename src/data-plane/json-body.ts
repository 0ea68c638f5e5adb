import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { ProblemError } from '../errors/index.js';

/** The parsed JSON body, or undefined when the request has none. */
export type JsonBodyReader = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

/**
 * Bodies are JSON or nothing: anything else is refused before a byte is
 * read (415). The reading itself is body-parser's (through express.json):
 * the size limit enforced while the body streams in (413), gzip/deflate/br,
 * charsets, strict JSON (400); its errors carry the `type` that
 * toProblemError maps to stable codes.
 */
export function createJsonBodyReader(limitBytes: number): JsonBodyReader {
  const parseJson = express.json({ limit: limitBytes, strict: true, type: () => true });
  return (req, res) => {
    if (!hasBody(req)) return Promise.resolve(undefined);
    if (!isJson(req.headers['content-type'])) return Promise.reject(new ProblemError('LGSP_UNSUPPORTED_MEDIA_TYPE', { detail: 'send application/json' }));
    return new Promise((resolve, reject) => {
      parseJson(req as Parameters<typeof parseJson>[0], res as Parameters<typeof parseJson>[1], (error?: unknown) => (error ? reject(error) : resolve((req as { body?: unknown }).body)));
    });
  };
}

function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/** application/json or a JSON-based type (application/problem+json, application/merge-patch+json...), parameters aside. */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(mediaType);
}
