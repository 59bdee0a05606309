import { fromBuffer } from 'file-type';

/**
 * The content type of an attachment is read from its bytes (magic numbers), never from the name
 * or the sender's declared type. Bytes without a signature are text when they decode as UTF-8
 * with no control characters, otherwise opaque binary.
 */
export async function sniffContentType(bytes: Buffer): Promise<string> {
  const detected = await fromBuffer(bytes);
  if (detected) return detected.mime;
  return looksLikeText(bytes) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(sample.toString('latin1'))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, safeCut(sample)));
    return true;
  } catch {
    return false;
  }
}

/** Do not cut a UTF-8 sequence in half at the end of the sample. */
function safeCut(sample: Buffer): number {
  const end = sample.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const byte = sample[end - i]!;
    if ((byte & 0xc0) === 0xc0) return end - i;
    if ((byte & 0x80) === 0) break;
  }
  return end;
}

/** Types a browser may show inline safely; everything else is served as opaque bytes. */
const SAFE_TO_LABEL = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'audio/mpeg',
  'video/mp4',
]);

/** The Content-Type a download is served with: never HTML, SVG or script, whatever the bytes. */
export function servedContentType(sniffed: string): string {
  if (sniffed === 'text/plain') return 'text/plain; charset=utf-8';
  return SAFE_TO_LABEL.has(sniffed) ? sniffed : 'application/octet-stream';
}

/**
 * A file name safe for a header and any file system: no path, no control characters, no quotes,
 * at most 200 characters; "attachment" when nothing is left.
 */
export function safeFilename(name: string | undefined | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>:|?*]+/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'attachment';
}

/** RFC 6266: an ASCII fallback plus the UTF-8 name. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/[\\%;,]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
