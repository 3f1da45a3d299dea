// The PFX (PKCS#12) Entra Domain Services takes for secure LDAP: the private key and the whole
// chain (leaf and every intermediate), the key bag encrypted with pbeWithSHA1And3-KeyTripleDES-CBC
// ("TripleDES-SHA1", the only encryption Microsoft's tutorial accepts), MAC HMAC-SHA1. Pure:
// node-forge computes, nothing is written anywhere. Only the renewal step loads this module (and
// with it all of node-forge).

import forge from 'node-forge'

/** The OID of pbeWithSHA1And3-KeyTripleDES-CBC (PKCS#12 v1.0 appendix C). */
export const PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3'

/** A base64 PFX of `keyPem` with `chainPem` (leaf first), encrypted with `password` (TripleDES-SHA1). */
export function buildPfx(keyPem: string, chainPem: readonly string[], password: string): string {
  const key = forge.pki.privateKeyFromPem(keyPem)
  const certs = chainPem.map(pem => forge.pki.certificateFromPem(pem))
  // '3des' is not forge's default (aes128, which Entra rejects); friendlyName helps the portal.
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', generateLocalKeyId: true })
  return forge.util.encode64(forge.asn1.toDer(asn1).getBytes())
}

export interface PfxContents {
  /** Certificates in the PFX, DER, in bag order. */
  readonly certificatesDer: readonly Buffer[]
  /** Whether a shrouded key bag was found and decrypted with the password. */
  readonly hasKey: boolean
  /** The encryption OIDs of the shrouded key bags. */
  readonly keyBagAlgorithms: readonly string[]
}

/**
 * Reads a base64 PFX back with `password` (throws when the password does not open it or the MAC
 * does not verify): what was built, before it is uploaded.
 */
export function readPfx(base64: string, password: string): PfxContents {
  const der = forge.util.decode64(base64)
  const asn1 = forge.asn1.fromDer(der)
  const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password)
  const certBags = p12.getBags({ bagType: forge.pki.oids['certBag']! })[forge.pki.oids['certBag']!] ?? []
  const keyBags =
    p12.getBags({ bagType: forge.pki.oids['pkcs8ShroudedKeyBag']! })[forge.pki.oids['pkcs8ShroudedKeyBag']!] ?? []
  const certificatesDer = certBags.flatMap(bag =>
    bag.cert === undefined
      ? []
      : [Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary')]
  )
  return {
    certificatesDer,
    hasKey: keyBags.some(bag => bag.key !== undefined),
    keyBagAlgorithms: shroudedKeyAlgorithms(asn1)
  }
}

/**
 * The encryption algorithm OIDs of every pkcs8ShroudedKeyBag (forge decrypts them without saying
 * how): PFX → authSafe data → AuthenticatedSafe → each unencrypted data ContentInfo's SafeContents
 * → SafeBag { bagId, [0] EncryptedPrivateKeyInfo { AlgorithmIdentifier, … } }.
 */
function shroudedKeyAlgorithms(pfx: forge.asn1.Asn1): string[] {
  const children = (node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] =>
    node !== undefined && Array.isArray(node.value) ? (node.value as forge.asn1.Asn1[]) : []
  const oidOf = (node: forge.asn1.Asn1 | undefined): string | undefined =>
    node?.type === forge.asn1.Type.OID ? forge.asn1.derToOid(node.value as string) : undefined
  /** The DER inside a ContentInfo of type data ([0] EXPLICIT OCTET STRING), parsed. */
  const dataContent = (contentInfo: forge.asn1.Asn1): forge.asn1.Asn1 | undefined => {
    const [type, explicit] = children(contentInfo)
    if (oidOf(type) !== forge.pki.oids['data']) return undefined
    const octets = children(explicit)[0]
    if (octets === undefined) return undefined
    // A constructed OCTET STRING (BER) holds its bytes in parts.
    const bytes = Array.isArray(octets.value)
      ? (octets.value as forge.asn1.Asn1[]).map(p => p.value as string).join('')
      : (octets.value as string)
    return forge.asn1.fromDer(bytes)
  }
  const found: string[] = []
  const authSafe = dataContent(children(pfx)[1]!)
  for (const contentInfo of children(authSafe)) {
    for (const bag of children(dataContent(contentInfo))) {
      const [bagId, value] = children(bag)
      if (oidOf(bagId) !== forge.pki.oids['pkcs8ShroudedKeyBag']) continue
      const algorithm = oidOf(children(children(children(value)[0])[0])[0])
      if (algorithm !== undefined) found.push(algorithm)
    }
  }
  return found
}
