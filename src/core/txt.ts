// TXT values and the forms providers hold them in. A TXT record is a list of character-strings of
// at most 255 bytes each (RFC 1035 §3.3.14); a value is what they say joined, as resolvers and
// ACME servers read it. Zone-file style APIs (Route 53, Cloudflare) take the strings quoted.

/** The longest character-string a TXT record may hold, in bytes (RFC 1035: a one-byte length). */
export const TXT_STRING_MAX_BYTES = 255

/**
 * `value` as character-strings of at most 255 bytes, cut between characters (never inside a UTF-8
 * sequence, so each part is a string of its own for JSON APIs). The empty value is one empty string.
 */
export function splitTxtValue(value: string): string[] {
  const parts: string[] = []
  let current = ''
  let bytes = 0
  for (const char of value) {
    const size = Buffer.byteLength(char)
    if (bytes + size > TXT_STRING_MAX_BYTES) {
      parts.push(current)
      current = ''
      bytes = 0
    }
    current += char
    bytes += size
  }
  parts.push(current)
  return parts
}

/** Zone-file presentation escapes: RFC 1035 writes other bytes as decimal \DDD; Route 53 as octal. */
export type TxtEscapes = 'decimal' | 'octal'

/**
 * The character-strings of `value` in quoted presentation form, `"part1" "part2"`: `"` and `\`
 * escaped with a backslash, bytes outside printable ASCII as a three-digit escape.
 */
export function quoteTxtValue(value: string, escapes: TxtEscapes): string {
  return splitTxtValue(value)
    .map(part => `"${escapeBytes(Buffer.from(part, 'utf8'), escapes)}"`)
    .join(' ')
}

function escapeBytes(bytes: Buffer, escapes: TxtEscapes): string {
  let out = ''
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte)
    else out += `\\${byte.toString(escapes === 'octal' ? 8 : 10).padStart(3, '0')}`
  }
  return out
}

/**
 * The value a presentation-form TXT text holds: quoted strings joined (escapes decoded), or the
 * text itself when it is not quoted (an API that stored it bare). Undefined when the quoting is
 * broken, so a caller can say so instead of guessing.
 */
export function unquoteTxtValue(text: string, escapes: TxtEscapes): string | undefined {
  const trimmed = text.trim()
  if (!trimmed.startsWith('"')) return text
  const bytes: number[] = []
  let i = 0
  while (i < trimmed.length) {
    if (trimmed[i] !== '"') return undefined
    i++
    for (;;) {
      if (i >= trimmed.length) return undefined
      const char = trimmed[i]!
      if (char === '"') {
        i++
        break
      }
      if (char === '\\') {
        const digits = trimmed.slice(i + 1, i + 4)
        if (/^\d{3}$/.test(digits)) {
          bytes.push(parseInt(digits, escapes === 'octal' ? 8 : 10) & 0xff)
          i += 4
        } else if (i + 1 < trimmed.length) {
          bytes.push(...Buffer.from(trimmed[i + 1]!, 'utf8'))
          i += 2
        } else return undefined
        continue
      }
      const point = trimmed.codePointAt(i)!
      const literal = String.fromCodePoint(point)
      bytes.push(...Buffer.from(literal, 'utf8'))
      i += literal.length
    }
    while (trimmed[i] === ' ' || trimmed[i] === '\t') i++
  }
  return Buffer.from(bytes).toString('utf8')
}
