import type { ServerResponse } from 'node:http';

/**
 * Ends a response with JSON text of this media type (UTF-8, as express's
 * res.json/res.send label it). Headers and body leave in one write: node
 * joins a string body to the header block it has not sent yet.
 */
export function endWithJson(res: ServerResponse, status: number, mediaType: string, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', `${mediaType}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
