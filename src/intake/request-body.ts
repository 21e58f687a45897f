import type { Request } from 'express';
import { IntakeProblem } from './intake-problem';

/**
 * The request body as sent. The app parses JSON and text/csv before any route sees them; text/csv
 * then arrives here already decoded (UTF-8 unless its Content-Type names a charset). Every other
 * type is left unread, so the raw bytes are read here, after authentication.
 */
export function readBody(request: Request, limitBytes: number): Promise<Buffer | string> {
  const parsed: unknown = request.body;
  if (typeof parsed === 'string') return Promise.resolve(parsed);
  if (Buffer.isBuffer(parsed)) return Promise.resolve(parsed);
  if (parsed !== undefined) {
    return Promise.reject(
      new IntakeProblem(
        'request.media_type_unsupported',
        'Send the file itself as the body, not JSON',
        'Content-Type',
        {},
        415,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      // Drain the rest so the client gets the answer instead of a reset connection.
      request.resume();
      reject(
        new IntakeProblem(
          'request.too_large',
          `The body is larger than ${limitBytes} bytes`,
          undefined,
          {},
          413,
        ),
      );
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** The charset parameter of the Content-Type, lower-cased, if any. */
export const declaredCharset = (request: Request): string | undefined =>
  /;\s*charset="?([^";\s]+)"?/i.exec(request.header('content-type') ?? '')?.[1]?.toLowerCase();
