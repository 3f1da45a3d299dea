// X.509 certificates as the certificate evaluator needs them. `crypto.X509Certificate` parses
// RSA and EC certificates, verifies signatures and checks issuers, but it exposes neither basic
// constraints, key usage bits, criticality nor the raw SAN entries; those come from node-forge's
// generic DER parser (its certificate parser handles RSA keys only, so it is not used).

import { X509Certificate } from 'node:crypto'
import asn1 from 'node-forge/lib/asn1.js'
import forgeUtil from 'node-forge/lib/util.js'
import type forge from 'node-forge'

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  anyExtendedKeyUsage: '2.5.29.37.0'
} as const

/** Extensions this verifier (or OpenSSL, whose verdict is combined with ours) processes. */
const KNOWN_EXTENSIONS = new Set([
  '2.5.29.14', // subject key identifier
  '2.5.29.15', // key usage
  '2.5.29.17', // subject alternative name
  '2.5.29.18', // issuer alternative name
  '2.5.29.19', // basic constraints
  '2.5.29.30', // name constraints (enforced by OpenSSL)
  '2.5.29.31', // CRL distribution points
  '2.5.29.32', // certificate policies
  '2.5.29.33', // policy mappings
  '2.5.29.35', // authority key identifier
  '2.5.29.36', // policy constraints
  '2.5.29.37', // extended key usage
  '2.5.29.46', // freshest CRL
  '2.5.29.54', // inhibit anyPolicy
  '1.3.6.1.5.5.7.1.1', // authority information access
  '1.3.6.1.5.5.7.1.24', // TLS feature (OCSP must-staple)
  '1.3.6.1.4.1.11129.2.4.2' // certificate transparency SCT list
])

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly'
] as const
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number]

export interface Extension {
  readonly oid: string
  readonly critical: boolean
  readonly value: string
}

export interface ParsedCertificate {
  readonly x509: X509Certificate
  readonly der: Buffer
  /** 64 lowercase hex digits. */
  readonly sha256: string
  /** One line, attributes in certificate order: `C=US, O=Contoso, CN=ldaps.contoso.com`. */
  readonly subject: string
  readonly issuer: string
  readonly version: number
  readonly notBefore: Date
  readonly notAfter: Date
  readonly keyType: string
  /** RSA/DSA modulus bits, EC curve size; undefined when unknown. */
  readonly keyBits: number | undefined
  readonly curve: string | undefined
  readonly signatureAlgorithm: string
  readonly extensions: readonly Extension[]
  readonly duplicateExtensions: readonly string[]
  readonly unknownCriticalExtensions: readonly string[]
  readonly basicConstraints: { readonly ca: boolean; readonly pathLen: number | undefined } | undefined
  readonly keyUsage: ReadonlySet<KeyUsageName> | undefined
  /** EKU OIDs; undefined when the extension is absent, empty when it is an empty list. */
  readonly extKeyUsage: readonly string[] | undefined
  readonly subjectAltName:
    { readonly dns: readonly string[]; readonly ip: readonly string[]; readonly other: number } | undefined
  readonly commonNames: readonly string[]
  /** Subject equals issuer and the certificate's own key verifies its signature. */
  readonly selfSigned: boolean
  readonly caIssuersUrls: readonly string[]
  /** Why an extension could not be decoded, when one could not. */
  readonly malformed: string | undefined
}

/** A DER or PEM certificate. Throws when it is not a certificate at all. */
export function parseCertificate(input: Buffer | string): ParsedCertificate {
  const x509 = new X509Certificate(input)
  const der = Buffer.from(x509.raw)
  let malformed: string | undefined
  let extensions: Extension[] = []
  let version = 1
  try {
    ;({ extensions, version } = readTbs(der))
  } catch (error) {
    malformed = `its DER encoding does not parse (${error instanceof Error ? error.message : String(error)})`
  }
  const seen = new Set<string>()
  const duplicateExtensions: string[] = []
  for (const e of extensions) {
    if (seen.has(e.oid)) duplicateExtensions.push(e.oid)
    seen.add(e.oid)
  }
  const find = (oid: string): Extension | undefined => extensions.find(e => e.oid === oid)
  const decode = <T>(oid: string, decoder: (value: string) => T): T | undefined => {
    const extension = find(oid)
    if (extension === undefined) return undefined
    try {
      return decoder(extension.value)
    } catch {
      malformed ??= `its ${oid} extension does not decode`
      return undefined
    }
  }
  let keyType: string
  let keyBits: number | undefined
  let curve: string | undefined
  try {
    const key = x509.publicKey
    keyType = key.asymmetricKeyType ?? 'unknown'
    const details = key.asymmetricKeyDetails
    curve = details?.namedCurve
    keyBits = details?.modulusLength ?? (curve === undefined ? undefined : CURVE_BITS[curve])
  } catch {
    keyType = 'unsupported'
  }
  let selfSigned: boolean
  try {
    selfSigned = x509.subject === x509.issuer && x509.verify(x509.publicKey)
  } catch {
    selfSigned = false
  }
  const subject = oneLine(x509.subject)
  return {
    x509,
    der,
    sha256: x509.fingerprint256.replace(/:/g, '').toLowerCase(),
    subject,
    issuer: oneLine(x509.issuer),
    version,
    notBefore: x509.validFromDate,
    notAfter: x509.validToDate,
    keyType,
    keyBits,
    curve,
    signatureAlgorithm: x509.signatureAlgorithm ?? x509.signatureAlgorithmOid ?? 'unknown',
    extensions,
    duplicateExtensions,
    unknownCriticalExtensions: extensions.filter(e => e.critical && !KNOWN_EXTENSIONS.has(e.oid)).map(e => e.oid),
    basicConstraints: decode(OID.basicConstraints, decodeBasicConstraints),
    keyUsage: decode(OID.keyUsage, decodeKeyUsage),
    extKeyUsage: decode(OID.extKeyUsage, decodeExtKeyUsage),
    subjectAltName: decode(OID.subjectAltName, decodeSubjectAltName),
    commonNames: x509.subject
      .split('\n')
      .filter(line => line.startsWith('CN='))
      .map(line => line.slice(3)),
    selfSigned,
    caIssuersUrls: [...(x509.infoAccess ?? '').matchAll(/CA Issuers - URI:("(?:[^"\\]|\\.)*"|\S+)/g)].map(m =>
      unquote(m[1]!)
    ),
    malformed
  }
}

const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp384r1: 384,
  secp521r1: 521
}

/** The subject of a PEM certificate in the one-line form ParsedCertificate uses, without parsing the rest. */
export function subjectLine(pem: string): string | undefined {
  try {
    return oneLine(new X509Certificate(pem).subject)
  } catch {
    return undefined
  }
}

function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ')
}

/** The short name of a subject for messages: its CN, else the whole subject. */
export function shortName(subject: string): string {
  const cn = /(?:^|, )CN=([^,]*(?:\\,[^,]*)*)/.exec(subject)
  return cn?.[1] ?? (subject === '' ? '(empty subject)' : subject)
}

/** forge's typings know only the old boolean `strict` argument; the options form is what it reads. */
const fromDer = asn1.fromDer as unknown as (
  bytes: forge.util.ByteStringBuffer,
  options: { strict: boolean; decodeBitStrings: boolean }
) => forge.asn1.Asn1

function readTbs(der: Buffer): { extensions: Extension[]; version: number } {
  const certificate = fromDer(forgeUtil.createBuffer(der.toString('binary')), {
    strict: true,
    decodeBitStrings: false
  })
  const tbs = (certificate.value as forge.asn1.Asn1[])[0]!
  const fields = tbs.value as forge.asn1.Asn1[]
  let version = 1
  const first = fields[0]!
  if (first.tagClass === asn1.Class.CONTEXT_SPECIFIC && first.type === 0) {
    const integer = (first.value as forge.asn1.Asn1[])[0]!
    version = (integer.value as string).charCodeAt(0) + 1
  }
  const extensions: Extension[] = []
  for (const field of fields) {
    if (field.tagClass !== asn1.Class.CONTEXT_SPECIFIC || field.type !== 3) continue
    const list = (field.value as forge.asn1.Asn1[])[0]!
    for (const item of list.value as forge.asn1.Asn1[]) {
      const parts = item.value as forge.asn1.Asn1[]
      const oid = asn1.derToOid(parts[0]!.value as string)
      const critical = parts.length === 3 && (parts[1]!.value as string).charCodeAt(0) !== 0
      extensions.push({ oid, critical, value: parts[parts.length - 1]!.value as string })
    }
  }
  return { extensions, version }
}

function parseValue(value: string): forge.asn1.Asn1 {
  return fromDer(forgeUtil.createBuffer(value), { strict: true, decodeBitStrings: false })
}

function decodeBasicConstraints(value: string): { ca: boolean; pathLen: number | undefined } {
  const items = parseValue(value).value as forge.asn1.Asn1[]
  let ca = false
  let pathLen: number | undefined
  for (const item of items) {
    if (item.type === asn1.Type.BOOLEAN) ca = (item.value as string).charCodeAt(0) !== 0
    if (item.type === asn1.Type.INTEGER) pathLen = Number(BigInt(`0x${forgeUtil.bytesToHex(item.value as string)}`))
  }
  return { ca, pathLen }
}

function decodeKeyUsage(value: string): Set<KeyUsageName> {
  const bits = parseValue(value).value as string
  const usages = new Set<KeyUsageName>()
  for (const [index, name] of KEY_USAGE_BITS.entries()) {
    const byte = bits.charCodeAt(1 + Math.floor(index / 8))
    if (!Number.isNaN(byte) && (byte & (0x80 >> (index % 8))) !== 0) usages.add(name)
  }
  return usages
}

function decodeExtKeyUsage(value: string): string[] {
  return (parseValue(value).value as forge.asn1.Asn1[]).map(item => asn1.derToOid(item.value as string))
}

function decodeSubjectAltName(value: string): { dns: string[]; ip: string[]; other: number } {
  const dns: string[] = []
  const ip: string[] = []
  let other = 0
  for (const item of parseValue(value).value as forge.asn1.Asn1[]) {
    if (item.tagClass === asn1.Class.CONTEXT_SPECIFIC && item.type === 2) dns.push(item.value as string)
    else if (item.tagClass === asn1.Class.CONTEXT_SPECIFIC && item.type === 7) {
      ip.push(formatIp(Buffer.from(item.value as string, 'binary')))
    } else other++
  }
  return { dns, ip, other }
}

function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.')
  if (bytes.length === 16) {
    const groups: string[] = []
    for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16))
    return groups.join(':')
  }
  return `invalid(${bytes.toString('hex')})`
}

/** Expands an IP literal to the form formatIp produces, for comparison. */
export function normalizeIp(text: string): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number)
    return parts.every(p => p <= 255) ? parts.join('.') : undefined
  }
  if (!text.includes(':')) return undefined
  const [head, tail] = text.split('::') as [string, string | undefined]
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const missing = 8 - left.length - right.length
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right]
  if (groups.some(g => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.map(g => parseInt(g, 16).toString(16)).join(':')
}

const SIGNED_DATA_OID = '1.2.840.113549.1.7.2'

/**
 * The certificates of a PKCS#7 / CMS SignedData (the "certs-only" .p7c that AIA caIssuers URLs
 * often serve, RFC 5280 4.2.2.1), each as DER. Throws when the bytes are not such a structure.
 */
export function certificatesInPkcs7(der: Buffer): Buffer[] {
  const contentInfo = fromDer(forgeUtil.createBuffer(der.toString('binary')), { strict: true, decodeBitStrings: false })
  const [type, explicit] = contentInfo.value as forge.asn1.Asn1[]
  if (type === undefined || asn1.derToOid(type.value as string) !== SIGNED_DATA_OID || explicit === undefined) {
    throw new Error('not a PKCS#7 SignedData')
  }
  const signedData = (explicit.value as forge.asn1.Asn1[])[0]!
  const certificates = (signedData.value as forge.asn1.Asn1[]).find(
    f => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 0
  )
  if (certificates === undefined) return []
  return (certificates.value as forge.asn1.Asn1[]).map(c => Buffer.from(asn1.toDer(c).getBytes(), 'binary'))
}

/** Node quotes an infoAccess value as a JSON string when it holds special characters (a comma, say). */
function unquote(value: string): string {
  if (!value.startsWith('"')) return value
  try {
    return String(JSON.parse(value))
  } catch {
    return value
  }
}
