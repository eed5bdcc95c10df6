/**
 * What a file says once decoded: UTF-16 text (Windows editors and PowerShell write it; read as UTF-8 it is
 * full of NULs and was skipped as binary) and base64 blobs (a `.dockerconfigjson`, a kubeconfig, a Secret's
 * `data`, or a secret encoded to get past a scanner). Pure.
 */
const looksUtf16 = (content: Buffer): 'utf16le' | 'utf16be' | undefined => {
  if (content[0] === 0xff && content[1] === 0xfe) return 'utf16le';
  if (content[0] === 0xfe && content[1] === 0xff) return 'utf16be';
  const sample = content.subarray(0, 2000);
  if (sample.length < 8) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNul += 1;
    else oddNul += 1;
  }
  const half = sample.length / 2;
  if (oddNul > half * 0.7 && evenNul < half * 0.05) return 'utf16le';
  if (evenNul > half * 0.7 && oddNul < half * 0.05) return 'utf16be';
  return undefined;
};

/** The file as text, or undefined for binary content (a NUL byte in text that is not UTF-16). */
export const decodeText = (content: Buffer): string | undefined => {
  const utf16 = looksUtf16(content);
  if (utf16 === 'utf16le') return content.toString('utf16le').replace(/^\uFEFF/, '');
  if (utf16 === 'utf16be') {
    const swapped = Buffer.from(content);
    swapped.swap16();
    return swapped.toString('utf16le').replace(/^\uFEFF/, '');
  }
  if (content.subarray(0, 8000).includes(0)) return undefined;
  return content.toString('utf8');
};

export interface DecodedBlob {
  readonly index: number;
  readonly text: string;
}

const BASE64 = /(?<![A-Za-z0-9+/_-])([A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{24,}={0,2})(?![A-Za-z0-9+/=_-])/g;
const MAX_BLOBS = 2000;

/** Base64 blobs that decode to printable text, with where they start in the text. */
export const base64Blobs = (text: string): DecodedBlob[] => {
  const blobs: DecodedBlob[] = [];
  for (const match of text.matchAll(BASE64)) {
    if (blobs.length >= MAX_BLOBS) break;
    const blob = match[1] ?? '';
    if (/^[0-9a-f]+$/i.test(blob) || /^[A-Za-z]+$/.test(blob)) continue;
    const decoded = Buffer.from(blob.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const printable = decoded.replace(/[^\x20-\x7e\n\r\t]/g, '').length;
    if (decoded.length >= 8 && printable / decoded.length > 0.95)
      blobs.push({ index: match.index, text: decoded });
  }
  return blobs;
};

const HEX = /(?<![0-9A-Za-z])((?:[0-9a-fA-F]{2}){16,})(?![0-9A-Za-z])/g;

/** Hex strings that decode to printable text (`736b5f…` is a key's bytes written out in hex). */
export const hexBlobs = (text: string): DecodedBlob[] => {
  const blobs: DecodedBlob[] = [];
  for (const match of text.matchAll(HEX)) {
    if (blobs.length >= MAX_BLOBS) break;
    const decoded = Buffer.from(match[1] ?? '', 'hex').toString('latin1');
    // Every byte printable: a hash or a random key in hex almost never is.
    if (/^[\x20-\x7e]+$/.test(decoded)) blobs.push({ index: match.index, text: decoded });
  }
  return blobs;
};

/** Fenced shell blocks in Markdown (```sh, ```bash, ```console …): commands a reader copies, env values included. */
const SHELL_FENCE =
  /^[ \t]*(`{3,}|~{3,})[ \t]*(?:sh|bash|shell|zsh|console|shell-session|terminal|env|dotenv)\b[^\n]*\n([\s\S]*?)^[ \t]*\1/gm;

export const markdownShellBlocks = (text: string): DecodedBlob[] =>
  [...text.matchAll(SHELL_FENCE)].map((match) => ({
    index: match.index + match[0].indexOf('\n') + 1,
    text: (match[2] ?? '').replace(/^[ \t]*[$>][ \t]+/gm, ''),
  }));

/**
 * Strings split to hide them from a scanner, joined back: `"AKIA" + "…"`, `'…' \` continuations, adjacent
 * literals. Only the joins are removed, so offsets shift; matches in it are located by their content.
 */
export const joinSplitLiterals = (text: string): string =>
  text.replace(/(["'`])\s*(?:\+|\.\.?|\|\||&|,)?\s*\\?\r?\n?\s*(?:\+\s*)?\1/g, '');

/** `const head = 'AKIA'` (any common declaration form), name and literal. */
const CONSTANT =
  /(?:\b(?:const|let|var|val|final|static|readonly|String|string|str)\s+|^[ \t]*)([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=\s*(["'])([^"'`\\\n]{2,200})\2/gm;

/**
 * A literal hidden behind a name in the same file, put back where the name is used in a template or a
 * concatenation: `` `${head}rest` `` and `head + 'rest'` read as the joined literal. Only the uses change.
 */
export const inlineConstants = (text: string): string => {
  const constants = new Map<string, string>();
  for (const match of text.matchAll(CONSTANT)) {
    if (match[1] && match[3] !== undefined) constants.set(match[1], match[3]);
  }
  if (constants.size === 0) return text;
  const names = [...constants.keys()].join('|');
  return text
    .replace(new RegExp(String.raw`\$\{(${names})\}`, 'g'), (_, name: string) => constants.get(name) ?? '')
    .replace(
      new RegExp(String.raw`(?<![\w.$])(${names})(\s*\+\s*)(["'\`])`, 'g'),
      (_, name: string, plus: string, quote: string) =>
        `${quote}${constants.get(name)}${quote}${plus}${quote}`,
    )
    .replace(
      new RegExp(String.raw`(["'\`])(\s*\+\s*)(${names})(?![\w(])`, 'g'),
      (_, quote: string, plus: string, name: string) =>
        `${quote}${plus}${quote}${constants.get(name)}${quote}`,
    );
};
