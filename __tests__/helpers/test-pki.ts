// A small PKI generated per test run: a root, an intermediate and leaves with one defect each.
// Keys come from Node's crypto (fast, native); certificates are built and signed with node-forge,
// which lets a test pick any validity window, extension set or (weak) signature hash.

import { generateKeyPairSync } from 'node:crypto'
import forge from 'node-forge'

export const TEST_DOMAIN = 'ldaps.contoso100.com'
const DAY = 86_400_000

export interface Issued {
  readonly certPem: string
  readonly keyPem: string
  readonly key: forge.pki.rsa.PrivateKey
  readonly cert: forge.pki.Certificate
}

export interface IssueOptions {
  readonly commonName: string
  readonly issuer?: Issued
  readonly ca?: boolean
  readonly dnsNames?: readonly string[]
  readonly notBefore?: Date
  readonly notAfter?: Date
  readonly keyBits?: number
  readonly hash?: 'sha256' | 'sha1'
  /** EKU names for the leaf; undefined = serverAuth, [] = no EKU extension. */
  readonly extKeyUsage?: readonly ('serverAuth' | 'clientAuth')[]
  readonly organization?: string
  /** Authority Information Access caIssuers URLs (where the issuer's certificate is published). */
  readonly caIssuers?: readonly string[]
  /** The leaf's key usage bits; undefined = digitalSignature and keyEncipherment. */
  readonly keyUsage?: { readonly digitalSignature?: boolean; readonly keyEncipherment?: boolean }
}

let serial = 1

export function issue(options: IssueOptions): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.keyBits ?? 2048 })
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const key = forge.pki.privateKeyFromPem(keyPem)
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString())
  cert.serialNumber = (0x100000 + serial++).toString(16)
  const now = Date.now()
  cert.validity.notBefore = options.notBefore ?? new Date(now - DAY)
  cert.validity.notAfter = options.notAfter ?? new Date(now + 365 * DAY)
  const subject = [
    { name: 'organizationName', value: options.organization ?? 'Contoso Test' },
    { name: 'commonName', value: options.commonName }
  ]
  cert.setSubject(subject)
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject)
  const extensions: object[] = [{ name: 'subjectKeyIdentifier' }]
  if (options.issuer) {
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: options.issuer.cert.generateSubjectKeyIdentifier().getBytes()
    })
  }
  if (options.ca) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true })
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true })
  } else {
    extensions.push({ name: 'basicConstraints', cA: false })
    const usage = options.keyUsage ?? { digitalSignature: true, keyEncipherment: true }
    extensions.push({ name: 'keyUsage', ...usage, critical: true })
    const eku = options.extKeyUsage ?? ['serverAuth']
    if (eku.length > 0) extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(eku.map(e => [e, true])) })
    if (options.dnsNames !== undefined && options.dnsNames.length > 0) {
      extensions.push({ name: 'subjectAltName', altNames: options.dnsNames.map(value => ({ type: 2, value })) })
    }
  }
  if (options.caIssuers !== undefined) extensions.push(authorityInfoAccess(options.caIssuers))
  cert.setExtensions(extensions)
  const md = options.hash === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create()
  cert.sign(options.issuer?.key ?? key, md)
  return { certPem: forge.pki.certificateToPem(cert), keyPem, key, cert }
}

/** RFC 5280 4.2.2.1 AuthorityInfoAccessSyntax with caIssuers URIs; forge has no name for it. */
function authorityInfoAccess(urls: readonly string[]): object {
  const { asn1 } = forge
  const value = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    urls.map(url =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('1.3.6.1.5.5.7.48.2').getBytes()),
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, url)
      ])
    )
  )
  return { id: '1.3.6.1.5.5.7.1.1', critical: false, value: asn1.toDer(value).getBytes() }
}

export interface TestPki {
  readonly root: Issued
  readonly intermediate: Issued
  /** Each leaf with the chain it is served with (leaf first). */
  readonly leaves: Record<LeafName, { readonly leaf: Issued; readonly chainPem: string }>
}

export type LeafName =
  | 'good'
  | 'expired'
  | 'notYetValid'
  | 'expiring10'
  | 'otherHost'
  | 'selfSigned'
  | 'noIntermediate'
  | 'noServerAuth'
  | 'weakKey'
  | 'sha1'

export function createTestPki(): TestPki {
  const now = Date.now()
  const root = issue({ commonName: 'Contoso Test Root CA', ca: true, notAfter: new Date(now + 3650 * DAY) })
  const intermediate = issue({
    commonName: 'Contoso Issuing CA',
    ca: true,
    issuer: root,
    notAfter: new Date(now + 1825 * DAY)
  })
  const names = ['*.contoso100.com', 'contoso100.com']
  const leaf = (extra: Partial<IssueOptions> = {}): Issued =>
    issue({ commonName: '*.contoso100.com', issuer: intermediate, dnsNames: names, ...extra })
  const withIntermediate = (l: Issued): { leaf: Issued; chainPem: string } => ({
    leaf: l,
    chainPem: l.certPem + intermediate.certPem
  })
  const good = leaf()
  const selfSigned = issue({ commonName: TEST_DOMAIN, dnsNames: [TEST_DOMAIN] })
  return {
    root,
    intermediate,
    leaves: {
      good: withIntermediate(good),
      expired: withIntermediate(leaf({ notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 30 * DAY) })),
      notYetValid: withIntermediate(leaf({ notBefore: new Date(now + 30 * DAY), notAfter: new Date(now + 400 * DAY) })),
      // A 365-day certificate with 10 days left: valid and trusted, but inside any renewal window.
      expiring10: withIntermediate(
        leaf({ notBefore: new Date(now - 355 * DAY), notAfter: new Date(now + 10 * DAY + 3_600_000) })
      ),
      otherHost: withIntermediate(leaf({ commonName: 'other.example.org', dnsNames: ['other.example.org'] })),
      selfSigned: { leaf: selfSigned, chainPem: selfSigned.certPem },
      noIntermediate: { leaf: good, chainPem: good.certPem },
      noServerAuth: withIntermediate(leaf({ extKeyUsage: ['clientAuth'] })),
      weakKey: withIntermediate(leaf({ keyBits: 1024 })),
      sha1: withIntermediate(leaf({ hash: 'sha1' }))
    }
  }
}

/** DER buffers of a PEM chain, in order. */
export function pemChainToDer(chainPem: string): Buffer[] {
  return (chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(pem =>
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(), 'binary')
  )
}
