// node-forge's ASN.1 reader and byte utilities, imported as the files they are so the bundle
// carries these two modules (about 100 KB) instead of all of forge (ciphers, TLS, PKCS#12: about
// 900 KB) on every certificate check. Typed as the corresponding parts of @types/node-forge.
declare module 'node-forge/lib/asn1.js' {
  import type forge from 'node-forge'
  const asn1: typeof forge.asn1
  export default asn1
}
declare module 'node-forge/lib/util.js' {
  import type forge from 'node-forge'
  const util: typeof forge.util
  export default util
}
