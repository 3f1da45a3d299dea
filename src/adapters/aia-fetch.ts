// Fetches the issuers of a certificate from its Authority Information Access caIssuers URLs
// (RFC 5280 4.2.2.1): DER, a PKCS#7 "certs-only" bundle, or PEM, over HTTP. Used where no server
// sent the chain: the certificate uploaded to a managed domain is the leaf alone. Every dimension
// is bounded, since the URLs come from the certificate, which is outside text.

import http from 'node:http'
import https from 'node:https'
import { certificatesInPkcs7, parseCertificate, shortName, type ParsedCertificate } from '../core/x509.ts'

export interface AiaLimits {
  readonly maxBytes: number
  readonly maxCertificates: number
  readonly maxRedirects: number
  readonly timeoutMs: number
  readonly maxHops: number
  readonly maxUrlsPerCertificate: number
}

export const AIA_LIMITS: AiaLimits = {
  /** Bytes read per response: a CA certificate is 1-2 KiB, a certs-only bundle a few; 64 KiB is ample. */
  maxBytes: 64 * 1024,
  /** Certificates taken from all responses together: a real chain has at most a handful of CAs. */
  maxCertificates: 8,
  /** Redirects followed per URL: CAs and CDNs redirect once (http → another host); a loop must end. */
  maxRedirects: 3,
  /** Per request, connect to last byte: an AIA server that stalls must not hold the run. */
  timeoutMs: 5_000,
  /** Issuers followed upward from the leaf: public chains have one or two intermediates below the root. */
  maxHops: 4,
  /** caIssuers URLs tried per certificate (the first that yields its issuer wins). */
  maxUrlsPerCertificate: 3
}

export interface AiaFetchResult {
  /** The fetched CA certificates, DER, in the order found (the leaf's issuer first). */
  readonly certificates: readonly Buffer[]
  /** One line per URL fetched or refused, for the log and the report. */
  readonly log: readonly string[]
}

export interface AiaFetchOptions {
  /** True when `c` needs no issuer fetched: its issuer is a trust anchor, or it is self-signed. */
  readonly endsHere: (c: ParsedCertificate) => boolean
  readonly limits?: Partial<AiaLimits>
}

/** Follows caIssuers upward from `leaf` until a trust anchor's child, a self-signed CA, or a limit. */
export async function fetchIssuers(leaf: ParsedCertificate, options: AiaFetchOptions): Promise<AiaFetchResult> {
  const limits = { ...AIA_LIMITS, ...options.limits }
  const certificates: Buffer[] = []
  const seen = new Set<string>([leaf.sha256])
  const log: string[] = []
  let current = leaf
  for (let hop = 0; hop < limits.maxHops; hop++) {
    if (current.selfSigned || options.endsHere(current)) break
    const urls = current.caIssuersUrls.slice(0, limits.maxUrlsPerCertificate)
    if (urls.length === 0) {
      log.push(`"${shortName(current.subject)}" names no caIssuers URL (AIA), so its issuer could not be fetched`)
      break
    }
    let issuer: ParsedCertificate | undefined
    for (const url of urls) {
      let found: Buffer[]
      try {
        found = certificatesIn(await get(url, limits))
      } catch (error) {
        log.push(`${url}: ${error instanceof Error ? error.message : String(error)}`)
        continue
      }
      const parsed = found.flatMap(der => {
        try {
          return [parseCertificate(der)]
        } catch {
          return []
        }
      })
      log.push(
        `${url}: ${parsed.length} certificate(s)${parsed.length > 0 ? ` (${parsed.map(c => `"${shortName(c.subject)}"`).join(', ')})` : ''}`
      )
      for (const c of parsed) {
        if (seen.has(c.sha256) || certificates.length >= limits.maxCertificates) continue
        seen.add(c.sha256)
        certificates.push(c.der)
      }
      issuer = parsed.find(c => c.subject === current.issuer)
      if (issuer !== undefined) break
    }
    if (issuer === undefined || certificates.length >= limits.maxCertificates) break
    current = issuer
  }
  return { certificates, log }
}

/** DER certificate, PKCS#7 certs-only, or PEM (one or more blocks). */
function certificatesIn(body: Buffer): Buffer[] {
  const text = body.toString('latin1')
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(m =>
      Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')
    )
  }
  try {
    parseCertificate(body)
    return [body]
  } catch {
    try {
      return certificatesInPkcs7(body)
    } catch {
      throw new Error('the answer is neither a DER certificate, a PKCS#7 bundle nor PEM')
    }
  }
}

/** GET with manual redirects, a size cap and one deadline per request. */
async function get(url: string, limits: AiaLimits, redirects = 0): Promise<Buffer> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error('not a URL')
  }
  // ldap: caIssuers URLs (old Microsoft CAs) need an LDAP search of the CA's directory: not fetched.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${parsed.protocol} URLs are not fetched (only http and https)`)
  }
  const client = parsed.protocol === 'https:' ? https : http
  const answer = await new Promise<{ status: number; location: string | undefined; body: Buffer }>(
    (resolve, reject) => {
      const request = client.get(parsed, { timeout: limits.timeoutMs, headers: { accept: '*/*' } }, response => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > limits.maxBytes) {
            request.destroy(new Error(`the answer is larger than ${limits.maxBytes} bytes`))
            return
          }
          chunks.push(chunk)
        })
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            body: Buffer.concat(chunks)
          })
        )
        response.on('error', reject)
      })
      const deadline = setTimeout(
        () => request.destroy(new Error(`no complete answer within ${limits.timeoutMs / 1000} s`)),
        limits.timeoutMs
      )
      request.on('close', () => clearTimeout(deadline))
      request.on('timeout', () => request.destroy(new Error(`no answer within ${limits.timeoutMs / 1000} s`)))
      request.on('error', reject)
    }
  )
  if (answer.status >= 300 && answer.status < 400 && answer.location !== undefined) {
    if (redirects >= limits.maxRedirects) throw new Error(`more than ${limits.maxRedirects} redirects`)
    return get(new URL(answer.location, parsed).toString(), limits, redirects + 1)
  }
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`)
  return answer.body
}
