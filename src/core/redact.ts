// The one redaction of secret values, applied at the publishing edge (outputs, annotations, job
// summary, log lines, the drift issue). Built from the secret values themselves, so it does not
// depend on which inputs hold them. Pure.
//
// An API that echoes a credential rarely echoes it verbatim only: `Bearer <token>` (verbatim), a
// form or query parameter (URL-encoded), a JSON string (escaped), HTTP Basic (base64 of
// `user:secret`, so the secret sits at any offset of a base64 string) and, for a TSIG secret
// (itself base64), the same key written with other padding or the URL-safe alphabet.

export const REDACTED = '***'

/** Shorter values are not secrets worth hiding and would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4

/** Replaces every secret, in any of the forms an API echoes, with ***. */
export type Redactor = (text: string) => string

export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (secret === undefined) continue
    for (const value of new Set([secret, secret.trim()])) {
      if (value.length < MIN_SECRET_LENGTH) continue
      for (const form of secretForms(value)) if (form.length >= MIN_SECRET_LENGTH) forms.add(form)
    }
  }
  // Longest first, so a form that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length)
  if (ordered.length === 0) return text => text
  const pattern = new RegExp(ordered.map(escapeRegExp).join('|'), 'g')
  return text => text.replace(pattern, REDACTED)
}

/** Every form of one secret value to hide. */
export function secretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1)
  const forms = [
    value,
    encodeURIComponent(value),
    // application/x-www-form-urlencoded (space as +), and the lowercase percent-encoding some echo.
    encodeURIComponent(value).replace(/%20/g, '+'),
    encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase()),
    // Strict RFC 3986 percent-encoding, as Python's quote(safe=''), Go's url.QueryEscape and
    // .NET's Uri.EscapeDataString write it: `! ' ( ) *` encoded too, which encodeURIComponent leaves.
    strictPercentEncoding(value),
    strictPercentEncoding(value).replace(/%20/g, '+'),
    strictPercentEncoding(value).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase()),
    encodeURI(value),
    json,
    json.replace(/\//g, '\\/'),
    json.replace(/[\u007f-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ...base64Forms(Buffer.from(value, 'utf8'))
  ]
  // A base64 value (a TSIG secret): the same key bytes, written canonically or URL-safe.
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && value.length >= 8) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    if (bytes.length > 0) {
      const canonical = bytes.toString('base64')
      forms.push(canonical, canonical.replace(/=+$/, ''), bytes.toString('base64url'), bytes.toString('hex'))
    }
  }
  return forms
}

/** encodeURIComponent with the five sub-delimiters it leaves alone encoded as well. */
function strictPercentEncoding(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * base64 of the secret at each of the three offsets it can have inside a longer base64 string
 * (HTTP Basic `user:secret`): only the characters that depend on the secret alone are kept.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = []
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64')
    // Leading characters mix in the padding bytes; trailing ones the bytes that follow.
    const start = Math.ceil((shift * 4) / 3)
    const end = Math.floor(((shift + bytes.length) * 4) / 3)
    const inner = encoded.slice(start, end)
    forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  forms.push(bytes.toString('base64'))
  return forms
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A copy of `value` with every string in it (keys excepted) redacted; the report before publishing. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map(v => redactDeep(v, redact)) as T
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T
  }
  return value
}
