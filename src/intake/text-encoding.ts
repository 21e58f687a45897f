import iconv from 'iconv-lite';
import { IntakeProblem } from './intake-problem';

export const TEXT_ENCODINGS = ['utf-8', 'gbk', 'auto'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'gbk';
}

const unreadable = (reason: string) =>
  new IntakeProblem('import.encoding_invalid', reason, 'encoding');

const hasUtf8Bom = (bytes: Buffer) => bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
const hasUtf16Bom = (bytes: Buffer) =>
  (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** iconv-lite replaces bytes GBK has no character for with U+FFFD, which GBK itself cannot hold. */
function gbk(bytes: Buffer): string | undefined {
  const text = iconv.decode(bytes, 'gbk', { stripBOM: false });
  return text.includes('\uFFFD') ? undefined : text;
}

/** Bytes to text: UTF-8 (with or without a BOM) or GBK, as declared or, for `auto`, detected. */
export function decodeText(bytes: Buffer, declared: TextEncoding): DecodedText {
  if (hasUtf16Bom(bytes)) throw unreadable('UTF-16 files are not accepted; save as UTF-8 or GBK');
  if (declared === 'gbk' && !hasUtf8Bom(bytes)) {
    const text = gbk(bytes);
    if (text === undefined) throw unreadable('The file is not valid GBK');
    return { text, encoding: 'gbk' };
  }
  // The decoder drops a leading BOM itself.
  const text = utf8(bytes);
  if (text !== undefined) return { text, encoding: 'utf-8' };
  if (declared === 'auto' && !hasUtf8Bom(bytes)) {
    const fallback = gbk(bytes);
    if (fallback !== undefined) return { text: fallback, encoding: 'gbk' };
  }
  throw unreadable(
    declared === 'auto'
      ? 'The file is neither valid UTF-8 nor valid GBK'
      : 'The file is not valid UTF-8',
  );
}

/**
 * Text the app's text/csv parser already decoded: bytes it could not decode became U+FFFD, and the
 * originals are gone, so detection is no longer possible; say how to send the file instead.
 */
export function checkDecodedText(text: string, charset = 'utf-8'): DecodedText {
  if (text.includes('\uFFFD')) {
    throw unreadable(
      'The file is not valid UTF-8. Declare its charset (text/csv; charset=gbk) or send it as ' +
        'application/octet-stream so its encoding can be detected',
    );
  }
  return { text: text.replace(/^\uFEFF/, ''), encoding: charset === 'gbk' ? 'gbk' : 'utf-8' };
}
