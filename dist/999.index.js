export const id = 999;
export const ids = [999];
export const modules = {

/***/ 77505:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EU: () => (/* binding */ shortName),
/* harmony export */   Vx: () => (/* binding */ OID),
/* harmony export */   Z2: () => (/* binding */ normalizeIp),
/* harmony export */   hB: () => (/* binding */ parseCertificate),
/* harmony export */   iN: () => (/* binding */ certificatesInPkcs7),
/* harmony export */   nh: () => (/* binding */ subjectLine)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(31227);
/* harmony import */ var node_forge_lib_util_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(97638);
// X.509 certificates as the certificate evaluator needs them. `crypto.X509Certificate` parses
// RSA and EC certificates, verifies signatures and checks issuers, but it exposes neither basic
// constraints, key usage bits, criticality nor the raw SAN entries; those come from node-forge's
// generic DER parser (its certificate parser handles RSA keys only, so it is not used).



const OID = {
    basicConstraints: '2.5.29.19',
    keyUsage: '2.5.29.15',
    extKeyUsage: '2.5.29.37',
    subjectAltName: '2.5.29.17',
    serverAuth: '1.3.6.1.5.5.7.3.1',
    anyExtendedKeyUsage: '2.5.29.37.0'
};
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
]);
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
];
/** A DER or PEM certificate. Throws when it is not a certificate at all. */
function parseCertificate(input) {
    const x509 = new node_crypto__WEBPACK_IMPORTED_MODULE_0__.X509Certificate(input);
    const der = Buffer.from(x509.raw);
    let malformed;
    let extensions = [];
    let version = 1;
    try {
        ;
        ({ extensions, version } = readTbs(der));
    }
    catch (error) {
        malformed = `its DER encoding does not parse (${error instanceof Error ? error.message : String(error)})`;
    }
    const seen = new Set();
    const duplicateExtensions = [];
    for (const e of extensions) {
        if (seen.has(e.oid))
            duplicateExtensions.push(e.oid);
        seen.add(e.oid);
    }
    const find = (oid) => extensions.find(e => e.oid === oid);
    const decode = (oid, decoder) => {
        const extension = find(oid);
        if (extension === undefined)
            return undefined;
        try {
            return decoder(extension.value);
        }
        catch {
            malformed ??= `its ${oid} extension does not decode`;
            return undefined;
        }
    };
    let keyType;
    let keyBits;
    let curve;
    try {
        const key = x509.publicKey;
        keyType = key.asymmetricKeyType ?? 'unknown';
        const details = key.asymmetricKeyDetails;
        curve = details?.namedCurve;
        keyBits = details?.modulusLength ?? (curve === undefined ? undefined : CURVE_BITS[curve]);
    }
    catch {
        keyType = 'unsupported';
    }
    let selfSigned;
    try {
        selfSigned = x509.subject === x509.issuer && x509.verify(x509.publicKey);
    }
    catch {
        selfSigned = false;
    }
    const subject = oneLine(x509.subject);
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
        caIssuersUrls: [...(x509.infoAccess ?? '').matchAll(/CA Issuers - URI:("(?:[^"\\]|\\.)*"|\S+)/g)].map(m => unquote(m[1])),
        malformed
    };
}
const CURVE_BITS = {
    prime192v1: 192,
    secp224r1: 224,
    prime256v1: 256,
    secp384r1: 384,
    secp521r1: 521
};
/** The subject of a PEM certificate in the one-line form ParsedCertificate uses, without parsing the rest. */
function subjectLine(pem) {
    try {
        return oneLine(new node_crypto__WEBPACK_IMPORTED_MODULE_0__.X509Certificate(pem).subject);
    }
    catch {
        return undefined;
    }
}
function oneLine(name) {
    return name.split('\n').filter(Boolean).join(', ');
}
/** The short name of a subject for messages: its CN, else the whole subject. */
function shortName(subject) {
    const cn = /(?:^|, )CN=([^,]*(?:\\,[^,]*)*)/.exec(subject);
    return cn?.[1] ?? (subject === '' ? '(empty subject)' : subject);
}
/** forge's typings know only the old boolean `strict` argument; the options form is what it reads. */
const fromDer = node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.fromDer;
function readTbs(der) {
    const certificate = fromDer(node_forge_lib_util_js__WEBPACK_IMPORTED_MODULE_2__.createBuffer(der.toString('binary')), {
        strict: true,
        decodeBitStrings: false
    });
    const tbs = certificate.value[0];
    const fields = tbs.value;
    let version = 1;
    const first = fields[0];
    if (first.tagClass === node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.Class.CONTEXT_SPECIFIC && first.type === 0) {
        const integer = first.value[0];
        version = integer.value.charCodeAt(0) + 1;
    }
    const extensions = [];
    for (const field of fields) {
        if (field.tagClass !== node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.Class.CONTEXT_SPECIFIC || field.type !== 3)
            continue;
        const list = field.value[0];
        for (const item of list.value) {
            const parts = item.value;
            const oid = node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.derToOid(parts[0].value);
            const critical = parts.length === 3 && parts[1].value.charCodeAt(0) !== 0;
            extensions.push({ oid, critical, value: parts[parts.length - 1].value });
        }
    }
    return { extensions, version };
}
function parseValue(value) {
    return fromDer(node_forge_lib_util_js__WEBPACK_IMPORTED_MODULE_2__.createBuffer(value), { strict: true, decodeBitStrings: false });
}
function decodeBasicConstraints(value) {
    const items = parseValue(value).value;
    let ca = false;
    let pathLen;
    for (const item of items) {
        if (item.type === node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.Type.BOOLEAN)
            ca = item.value.charCodeAt(0) !== 0;
        if (item.type === node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.Type.INTEGER)
            pathLen = Number(BigInt(`0x${node_forge_lib_util_js__WEBPACK_IMPORTED_MODULE_2__.bytesToHex(item.value)}`));
    }
    return { ca, pathLen };
}
function decodeKeyUsage(value) {
    const bits = parseValue(value).value;
    const usages = new Set();
    for (const [index, name] of KEY_USAGE_BITS.entries()) {
        const byte = bits.charCodeAt(1 + Math.floor(index / 8));
        if (!Number.isNaN(byte) && (byte & (0x80 >> (index % 8))) !== 0)
            usages.add(name);
    }
    return usages;
}
function decodeExtKeyUsage(value) {
    return parseValue(value).value.map(item => node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.derToOid(item.value));
}
function decodeSubjectAltName(value) {
    const dns = [];
    const ip = [];
    let other = 0;
    for (const item of parseValue(value).value) {
        if (item.tagClass === node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.Class.CONTEXT_SPECIFIC && item.type === 2)
            dns.push(item.value);
        else if (item.tagClass === node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.Class.CONTEXT_SPECIFIC && item.type === 7) {
            ip.push(formatIp(Buffer.from(item.value, 'binary')));
        }
        else
            other++;
    }
    return { dns, ip, other };
}
function formatIp(bytes) {
    if (bytes.length === 4)
        return [...bytes].join('.');
    if (bytes.length === 16) {
        const groups = [];
        for (let i = 0; i < 16; i += 2)
            groups.push(bytes.readUInt16BE(i).toString(16));
        return groups.join(':');
    }
    return `invalid(${bytes.toString('hex')})`;
}
/** Expands an IP literal to the form formatIp produces, for comparison. */
function normalizeIp(text) {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
        const parts = text.split('.').map(Number);
        return parts.every(p => p <= 255) ? parts.join('.') : undefined;
    }
    if (!text.includes(':'))
        return undefined;
    const [head, tail] = text.split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === undefined || tail === '' ? [] : tail.split(':');
    const missing = 8 - left.length - right.length;
    if ((tail === undefined && missing !== 0) || missing < 0)
        return undefined;
    const groups = [...left, ...Array(missing).fill('0'), ...right];
    if (groups.some(g => !/^[0-9a-f]{1,4}$/i.test(g)))
        return undefined;
    return groups.map(g => parseInt(g, 16).toString(16)).join(':');
}
const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
/**
 * The certificates of a PKCS#7 / CMS SignedData (the "certs-only" .p7c that AIA caIssuers URLs
 * often serve, RFC 5280 4.2.2.1), each as DER. Throws when the bytes are not such a structure.
 */
function certificatesInPkcs7(der) {
    const contentInfo = fromDer(node_forge_lib_util_js__WEBPACK_IMPORTED_MODULE_2__.createBuffer(der.toString('binary')), { strict: true, decodeBitStrings: false });
    const [type, explicit] = contentInfo.value;
    if (type === undefined || node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.derToOid(type.value) !== SIGNED_DATA_OID || explicit === undefined) {
        throw new Error('not a PKCS#7 SignedData');
    }
    const signedData = explicit.value[0];
    const certificates = signedData.value.find(f => f.tagClass === node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.Class.CONTEXT_SPECIFIC && f.type === 0);
    if (certificates === undefined)
        return [];
    return certificates.value.map(c => Buffer.from(node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__.toDer(c).getBytes(), 'binary'));
}
/** Node quotes an infoAccess value as a JSON string when it holds special characters (a comma, say). */
function unquote(value) {
    if (!value.startsWith('"'))
        return value;
    try {
        return String(JSON.parse(value));
    }
    catch {
        return value;
    }
}


/***/ }),

/***/ 94999:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  startEntraStage: () => (/* binding */ startEntraStage)
});

// UNUSED EXPORTS: MAX_HEALTH_ALERT_FINDINGS, readUploadedCertificate

// EXTERNAL MODULE: ./adapters/github.js + 1 modules
var github = __webpack_require__(23887);
// EXTERNAL MODULE: ./core/entra.js
var core_entra = __webpack_require__(81397);
// EXTERNAL MODULE: ./core/inputs.js
var inputs = __webpack_require__(1588);
// EXTERNAL MODULE: ./core/names.js
var names = __webpack_require__(2345);
// EXTERNAL MODULE: ./core/x509.js
var x509 = __webpack_require__(77505);
;// CONCATENATED MODULE: ./core/nsg.js
// Whether a network security group lets the whole internet reach secure LDAP (TCP 636) on the
// managed domain's subnet: the exposure that Entra Domain Services raises as alert AADDS101. Pure:
// it evaluates the rules as plain data, the way Azure does for one inbound packet: rules in
// ascending priority, the first rule that matches decides (network-security-groups-overview.md).
const LDAPS_PORT = 636;
// `*`, `0.0.0.0/0` and "Any" mean every address; `Internet` is the service tag for the public
// address space. Each lets every internet client through.
const ANY_SOURCE = new Set(['*', 'any', '0.0.0.0/0', '::/0', 'internet']);
const ANY_DESTINATION = new Set(['*', 'any', '0.0.0.0/0', '::/0', 'virtualnetwork']);
/**
 * Evaluates the inbound rules (custom and default together) for a TCP packet to `port` from an
 * arbitrary internet address. An Allow reached first is `open`; a custom Allow from listed sources
 * only, before any Deny for everyone, is `restricted`; a custom Deny for everyone is `restricted`
 * too (nothing gets in); when only the default rules speak to the port, `no-rule` (DenyAllInBound
 * drops internet LDAPS).
 */
function evaluateLdapsExposure(rules, target = { addresses: [], subnetPrefixes: [] }, port = LDAPS_PORT) {
    const inbound = rules
        .filter(r => r.direction.toLowerCase() === 'inbound')
        .filter(r => coversProtocol(r.protocol) && coversPort(r, port) && coversDestination(r, target))
        .toSorted((a, b) => a.priority - b.priority || Number(a.isDefault) - Number(b.isDefault));
    let restrictedAllow;
    // The Allow rules since the last Deny: together they may cover every address without any one
    // of them saying so (0.0.0.0/1 and 128.0.0.0/1), which lets the whole internet in just the same.
    let band = [];
    for (const rule of inbound) {
        const allow = rule.access.toLowerCase() === 'allow';
        if (allow && !fromAnySource(rule)) {
            band = [...band, rule];
            const family = coveredFamily(band.flatMap(r => listOf(r.sourceAddressPrefix, r.sourceAddressPrefixes)));
            if (family !== undefined) {
                const named = band.filter(r => !r.isDefault);
                return {
                    exposure: 'open',
                    rule: decided(rule),
                    reason: `${named.map(describeRule).join(', ')} allow TCP ${port} from ${named.map(sourceText).join(', ')}, which together cover every IPv${family} address`
                };
            }
        }
        else if (!allow) {
            band = [];
        }
        if (fromAnySource(rule)) {
            if (allow) {
                return {
                    exposure: 'open',
                    rule: decided(rule),
                    reason: `${describeRule(rule)} allows TCP ${port} from ${sourceText(rule)}`
                };
            }
            if (restrictedAllow !== undefined) {
                return {
                    exposure: 'restricted',
                    rule: decided(restrictedAllow),
                    reason: `${describeRule(restrictedAllow)} allows TCP ${port} from ${sourceText(restrictedAllow)} only; ${describeRule(rule)} denies everyone else`
                };
            }
            if (rule.isDefault) {
                return {
                    exposure: 'no-rule',
                    rule: decided(rule),
                    reason: `no custom rule admits TCP ${port}; the default ${describeRule(rule)} drops it from the internet`
                };
            }
            return {
                exposure: 'restricted',
                rule: decided(rule),
                reason: `${describeRule(rule)} denies TCP ${port} from every source`
            };
        }
        // From listed sources only. A default rule of this kind (AllowVnetInBound, from the virtual
        // network) is not a decision about the internet.
        if (allow && !rule.isDefault && restrictedAllow === undefined)
            restrictedAllow = rule;
    }
    if (restrictedAllow !== undefined) {
        return {
            exposure: 'restricted',
            rule: decided(restrictedAllow),
            reason: `${describeRule(restrictedAllow)} allows TCP ${port} from ${sourceText(restrictedAllow)} only`
        };
    }
    return {
        exposure: 'no-rule',
        rule: undefined,
        reason: `no rule admits TCP ${port} from the internet (Azure denies what no rule allows)`
    };
}
/** The worse of several verdicts first: open, then no NSG, unreadable, restricted, no rule. */
const EXPOSURE_ORDER = ['open', 'no-nsg', 'unknown', 'restricted', 'no-rule'];
function worstExposure(items) {
    return items.toSorted((a, b) => EXPOSURE_ORDER.indexOf(a.exposure) - EXPOSURE_ORDER.indexOf(b.exposure))[0];
}
function describeRule(rule) {
    return `rule ${rule.name} (priority ${rule.priority})`;
}
function decided(rule) {
    return { name: rule.name, priority: rule.priority, isDefault: rule.isDefault };
}
function listOf(single, plural) {
    // A singular field and its plural are alternatives (augmented rules use the plural); read both.
    return [...(single === undefined || single === '' ? [] : [single]), ...(plural ?? [])].map(s => s.trim());
}
function coversProtocol(protocol) {
    const p = protocol.toLowerCase();
    return p === 'tcp' || p === '*' || p === 'any';
}
function coversPort(rule, port) {
    return listOf(rule.destinationPortRange, rule.destinationPortRanges).some(range => {
        if (range === '*' || range.toLowerCase() === 'any')
            return true;
        const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(range);
        if (m === null)
            return false;
        const low = Number(m[1]);
        const high = m[2] === undefined ? low : Number(m[2]);
        return low <= port && port <= high;
    });
}
function fromAnySource(rule) {
    return listOf(rule.sourceAddressPrefix, rule.sourceAddressPrefixes).some(s => ANY_SOURCE.has(s.toLowerCase()));
}
function sourceText(rule) {
    const sources = listOf(rule.sourceAddressPrefix, rule.sourceAddressPrefixes);
    if (sources.length === 0 && (rule.sourceApplicationSecurityGroups?.length ?? 0) > 0)
        return 'application security groups';
    return sources.length === 0 ? 'no address' : sources.join(', ');
}
/**
 * A rule whose destination excludes the subnet does not apply. Destinations this cannot judge
 * (application security groups, prefixes without target data) are taken to apply, so an open
 * rule is never missed.
 */
function coversDestination(rule, target) {
    const destinations = listOf(rule.destinationAddressPrefix, rule.destinationAddressPrefixes);
    if (destinations.length === 0)
        return true;
    const known = [...target.addresses, ...target.subnetPrefixes];
    return destinations.some(d => {
        if (ANY_DESTINATION.has(d.toLowerCase()))
            return true;
        const prefix = parseIpv4Prefix(d);
        if (prefix === undefined)
            return !/^[a-z]/i.test(d); // another service tag: not this subnet
        if (known.length === 0)
            return true;
        return known.some(k => {
            const other = parseIpv4Prefix(k);
            return other !== undefined && overlaps(prefix, other);
        });
    });
}
function parseIpv4Prefix(text) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
    if (m === null)
        return undefined;
    const octets = m.slice(1, 5).map(Number);
    const bits = m[5] === undefined ? 32 : Number(m[5]);
    if (octets.some(o => o > 255) || bits > 32)
        return undefined;
    const value = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    return { base: (value & mask(bits)) >>> 0, bits };
}
function mask(bits) {
    return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}
function overlaps(a, b) {
    const bits = Math.min(a.bits, b.bits);
    return (a.base & mask(bits)) >>> 0 === (b.base & mask(bits)) >>> 0;
}
const FAMILY_BITS = { 4: 32n, 6: 128n };
/** 4 or 6 when the prefixes' union is every address of that family, else undefined. */
function coveredFamily(prefixes) {
    for (const family of [4, 6]) {
        const ranges = prefixes
            .map(p => parseRange(p, family))
            .filter((r) => r !== undefined)
            .toSorted((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
        let next = 0n; // the lowest address not covered yet
        for (const r of ranges) {
            if (r.start > next)
                break;
            if (r.end + 1n > next)
                next = r.end + 1n;
        }
        if (next === 1n << FAMILY_BITS[family])
            return family;
    }
    return undefined;
}
function parseRange(text, family) {
    const slash = text.indexOf('/');
    const address = slash < 0 ? text : text.slice(0, slash);
    const value = family === 4 ? parseIpv4Value(address) : parseIpv6Value(address);
    if (value === undefined)
        return undefined;
    const total = FAMILY_BITS[family];
    const bits = slash < 0 ? total : /^\d{1,3}$/.test(text.slice(slash + 1)) ? BigInt(text.slice(slash + 1)) : -1n;
    if (bits < 0n || bits > total)
        return undefined;
    const size = 1n << (total - bits);
    const start = value - (value % size);
    return { start, end: start + size - 1n };
}
function parseIpv4Value(text) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (m === null)
        return undefined;
    const octets = m.slice(1, 5).map(Number);
    if (octets.some(o => o > 255))
        return undefined;
    return octets.reduce((n, o) => n * 256n + BigInt(o), 0n);
}
/** An IPv6 address (with `::`, and a dotted IPv4 tail) as a number; undefined when it is none. */
function parseIpv6Value(text) {
    if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':'))
        return undefined;
    let groups;
    const halves = text.split('::');
    if (halves.length > 2)
        return undefined;
    const split = (part) => (part === '' ? [] : part.split(':'));
    const head = split(halves[0]);
    const tail = halves.length === 2 ? split(halves[1]) : [];
    const last = (halves.length === 2 ? tail : head).at(-1);
    const dotted = last !== undefined && last.includes('.') ? parseIpv4Value(last) : undefined;
    if (last !== undefined && last.includes('.')) {
        if (dotted === undefined)
            return undefined;
        const words = [(dotted >> 16n).toString(16), (dotted & 0xffffn).toString(16)];
        if (halves.length === 2)
            tail.splice(-1, 1, ...words);
        else
            head.splice(-1, 1, ...words);
    }
    if (halves.length === 2) {
        const missing = 8 - head.length - tail.length;
        if (missing < 1)
            return undefined;
        groups = [...head, ...Array(missing).fill('0'), ...tail];
    }
    else {
        groups = head;
    }
    if (groups.length !== 8 || groups.some(g => !/^[0-9a-f]{1,4}$/i.test(g)))
        return undefined;
    return groups.reduce((n, g) => n * 65536n + BigInt(`0x${g}`), 0n);
}

// EXTERNAL MODULE: ./core/report.js
var report = __webpack_require__(95215);
// EXTERNAL MODULE: ./core/run-plan.js
var run_plan = __webpack_require__(31218);
// EXTERNAL MODULE: ./adapters/entra-ds.js + 1 modules
var entra_ds = __webpack_require__(29607);
;// CONCATENATED MODULE: ./steps/entra.js
// The Entra Domain Services stage: the managed domain is the source of truth for the external IP
// (and, when `domain` is empty, the name), the certificate it should serve and the NSG on port
// 636. The managed domain is read before the DNS plan (it may supply ip and domain); the subnet
// and NSG reads then run beside the plan, and finish() gathers them after the certificate check.
// Only reads: nothing is written to Microsoft.AAD or Microsoft.Network.









/**
 * Health alerts listed one finding each; the rest are counted in one more. A real managed domain
 * has a handful; a list of thousands (a fault, or a hostile endpoint) must not become thousands of
 * findings in the log, the summary and the report.
 */
const MAX_HEALTH_ALERT_FINDINGS = 20;
async function startEntraStage(settings, options = {}) {
    const entra = settings.entra;
    if (entra === undefined)
        throw new Error('Entra stage without entra settings');
    const reader = options.reader ?? (0,entra_ds/* createEntraReader */.aM)(entra, options);
    let facts = await reader.readManagedDomain();
    const drift = (options.plan ?? (0,run_plan/* planRun */.n)(settings)).differencesAreDrift;
    let findings = [];
    const add = (f) => void findings.push({ step: 'entra', ...f });
    github/* info */.pq(`Managed domain ${facts.domainName} (resource ${facts.name} in resource group ${facts.resourceGroup}): ldaps ${facts.ldaps ?? '?'}, externalAccess ${facts.externalAccess ?? '?'}, ${facts.replicaSets.length} replica set(s).`);
    const state = {
        managedDomain: {
            id: facts.id,
            name: facts.name,
            domainName: facts.domainName,
            resourceGroup: facts.resourceGroup,
            subscriptionId: facts.subscriptionId
        },
        ldaps: facts.ldaps,
        externalAccess: facts.externalAccess,
        tlsV1: facts.tlsV1,
        certificate: {
            thumbprint: (0,core_entra/* normalizeThumbprint */.p7)(facts.certificateThumbprint)?.toUpperCase() ?? facts.certificateThumbprint,
            notAfter: facts.certificateNotAfter?.toISOString()
        },
        nsg: { check: entra.nsgCheck, replicaSets: [] },
        healthAlerts: facts.replicaSets.flatMap(r => r.healthAlerts.map(a => ({ replicaSet: r.location, id: a.id, name: a.name, resolutionUri: a.resolutionUri }))),
        armReads: reader.stats.reads
    };
    // A copy: what the report shows is the state as of the end of each half of the stage.
    const snapshot = () => ({ ...state, armReads: reader.stats.reads });
    // The NSG reads start now and run beside the DNS plan.
    const exposure = entra.nsgCheck === 'off' ? undefined : settle(readExposure(reader, facts));
    // Evidence only: the service refreshes these hourly at best.
    if (facts.tlsV1 === 'Enabled') {
        add({
            severity: 'warning',
            code: 'entra-tls1-enabled',
            title: 'Managed domain accepts TLS 1.0',
            message: `${(0,core_entra/* describeDomain */.y_)(facts)}: domainSecuritySettings.tlsV1 is Enabled, so secure LDAP still accepts TLS 1.0; turn on 'TLS 1.2 only mode' (Security settings of the managed domain)`
        });
    }
    for (const a of state.healthAlerts.slice(0, MAX_HEALTH_ALERT_FINDINGS)) {
        add({
            severity: 'warning',
            code: 'entra-health-alert',
            title: `Managed domain health alert ${a.id}`,
            message: `${(0,core_entra/* describeDomain */.y_)(facts)} reports health alert ${a.id} (${a.name}) for replica set ${a.replicaSet}${a.resolutionUri ? `; see ${a.resolutionUri}` : ''}`
        });
    }
    const unlisted = state.healthAlerts.length - MAX_HEALTH_ALERT_FINDINGS;
    if (unlisted > 0) {
        add({
            severity: 'warning',
            code: 'entra-health-alerts-unlisted',
            title: 'More managed domain health alerts',
            message: `${(0,core_entra/* describeDomain */.y_)(facts)} reports ${unlisted} more health alert(s) than the ${MAX_HEALTH_ALERT_FINDINGS} listed (${state.healthAlerts.length} in all); see the managed domain's Health page in the Azure portal`
        });
    }
    let dnsAllowed = true;
    const problems = (0,core_entra/* secureLdapProblems */.hA)(facts);
    for (const { code, title, message } of problems)
        add({ severity: 'error', code, title, message, drift });
    if (problems.length > 0)
        dnsAllowed = false;
    let uploaded = readUploadedCertificate(facts);
    const expiry = (0,core_entra/* uploadedCertificateExpiry */.zq)(facts, (options.now ?? (() => new Date()))(), settings.certificate.minDaysValid, uploaded.ok ? uploaded.certificate.notBefore : undefined);
    if (expiry?.kind === 'expired') {
        add({
            severity: 'error',
            code: 'entra-certificate-expired',
            title: 'Managed domain certificate expired',
            message: expiry.message,
            drift: true
        });
    }
    else if (expiry !== undefined) {
        const fails = settings.certificate.failOnRenewalDue;
        add({
            severity: fails ? 'error' : 'warning',
            code: 'entra-certificate-renewal-due',
            title: 'Managed domain certificate renewal due',
            message: expiry.message,
            ...(fails ? { drift: true } : {})
        });
    }
    // The external IP: from the chosen replica set; the ip input, when given, must agree.
    let ip = settings.ip;
    const choice = (0,core_entra/* chooseReplicaSet */.GY)(facts, entra.replicaSet);
    if (!choice.ok) {
        if (problems.length === 0 || entra.replicaSet !== undefined) {
            add({
                severity: 'error',
                code: 'entra-no-external-ip',
                title: 'No external IP on the managed domain',
                message: choice.message,
                drift
            });
        }
        dnsAllowed = false;
    }
    else {
        const raw = choice.replicaSet.externalAccessIpAddress;
        const parsed = (0,names/* parseIpAddress */.D_)(raw);
        // Text from ARM: the same rules as the ip input before the name can point at it.
        const refused = parsed.ok ? (0,names/* endpointAddressProblem */.Dw)(parsed.value) : 'must be an IP address';
        if (!parsed.ok || refused !== undefined) {
            add({
                severity: 'error',
                code: 'entra-external-ip-unusable',
                title: 'External IP unusable',
                message: `${(0,core_entra/* describeDomain */.y_)(facts)}: replica set ${choice.replicaSet.location} has externalAccessIpAddress ${JSON.stringify(raw.slice(0, 80))}, which is not published: the address ${refused}; nothing was written`,
                drift
            });
            dnsAllowed = false;
        }
        else {
            const external = parsed.value.address;
            state.replicaSet = choice.replicaSet.location;
            state.externalIp = external;
            const range = (0,names/* nonPublicAddressRange */.Mh)(parsed.value);
            if (range !== undefined) {
                add({
                    severity: 'warning',
                    code: 'entra-external-ip-not-public',
                    title: 'External IP not public',
                    message: `${(0,core_entra/* describeDomain */.y_)(facts)}: replica set ${choice.replicaSet.location} publishes secure LDAP at ${external}, a ${range} address, not reachable from the internet; clients outside that network cannot use this name`
                });
            }
            if (entra.ipGiven && settings.ip !== external) {
                add({
                    severity: 'error',
                    code: 'entra-ip-differs',
                    title: 'ip differs from the managed domain',
                    message: `input "ip" is ${settings.ip}, but ${(0,core_entra/* describeDomain */.y_)(facts)} publishes secure LDAP at ${external} (replica set ${choice.replicaSet.location}); leave ip empty to follow the managed domain, or correct it${drift ? '' : '. Nothing was written'}`,
                    drift: true
                });
                if (!drift)
                    dnsAllowed = false;
            }
            ip = external;
        }
    }
    let domain = settings.domain;
    if (!entra.domainGiven) {
        const named = (0,names/* parseDomainName */.r)(`ldaps.${facts.domainName}`);
        if (named.ok && settings.zone !== undefined && !(0,names/* isInZone */.eI)(named.value, settings.zone)) {
            add({
                severity: 'error',
                code: 'entra-domain-outside-zone',
                title: 'Domain outside the zone',
                message: `input "zone": ${(0,inputs/* outsideZone */.Eu)(named.value, settings.zone)} (domain is empty, so the name comes from ${(0,core_entra/* describeDomain */.y_)(facts)}: set domain to a name in zone ${settings.zone}, or fix zone)`
            });
            ip = '';
        }
        else if (named.ok)
            domain = named.value;
        else {
            add({
                severity: 'error',
                code: 'entra-no-domain-name',
                title: 'No name for the managed domain',
                message: `${(0,core_entra/* describeDomain */.y_)(facts)}: ldaps.${facts.domainName} is not a usable DNS name (${named.rule}); set the domain input`
            });
            ip = '';
        }
    }
    const entraPart = snapshot();
    let resolved = settings;
    let target;
    if (ip !== '' && domain !== '') {
        const recordType = ip.includes(':') ? 'AAAA' : 'A';
        resolved = Object.freeze({
            ...settings,
            domain,
            ip,
            recordType,
            certificate: Object.freeze({
                ...settings.certificate,
                connectTo: entra.connectToGiven ? settings.certificate.connectTo : ip
            })
        });
        target = { domain, ip };
        github/* info */.pq(`Secure LDAP of ${facts.domainName}: ${domain} → ${ip} (replica set ${state.replicaSet ?? '?'}).`);
    }
    else {
        resolved = Object.freeze({ ...settings, ip: '' });
    }
    return {
        settings: resolved,
        dnsAllowed,
        part: target === undefined ? { entra: entraPart } : { entra: entraPart, target },
        findings,
        uploadedCertificate() {
            return uploaded;
        },
        description: (0,core_entra/* describeDomain */.y_)(facts),
        async networkVerdict() {
            if (exposure === undefined)
                return undefined;
            const outcome = await exposure;
            if (!outcome.ok)
                return undefined;
            const worst = worstExposure(outcome.value.map(r => r.report));
            return worst === undefined ? undefined : { exposure: worst.exposure, rule: worst.rule };
        },
        facts,
        renewed(certificate) {
            facts = {
                ...facts,
                certificateThumbprint: certificate.thumbprint,
                certificateNotAfter: certificate.notAfter,
                publicCertificate: certificate.publicCertificate
            };
            uploaded = readUploadedCertificate(facts);
            state.certificate = { thumbprint: certificate.thumbprint, notAfter: certificate.notAfter?.toISOString() };
            return target === undefined ? { entra: snapshot() } : { entra: snapshot(), target };
        },
        async finish(served) {
            findings = [];
            compareCertificate(facts, served, resolved, state, add);
            if (exposure !== undefined) {
                const outcome = await exposure;
                // The report keeps the certificate comparison's findings and the state as first read.
                if (!outcome.ok)
                    return (0,report/* failed */.gz)(outcome.error, { part: {}, findings });
                judgeExposure(facts, entra, outcome.value, state, add);
            }
            return (0,report/* succeeded */.gq)({ part: { entra: snapshot() }, findings });
        }
    };
}
function compareCertificate(facts, served, settings, state, add) {
    if (served?.source === 'managed-domain') {
        github/* info */.pq('The certificate uploaded to the managed domain was judged itself; the served certificate was not compared with it.');
        return;
    }
    const leaf = served?.leaf;
    if (leaf?.sha1 === undefined) {
        if (settings.certificate.verify)
            return; // the probe failed; the certificate step says why
        github/* info */.pq('verify-certificate is false: the served certificate is not compared with the uploaded one.');
        return;
    }
    const where = `${settings.domain}:${settings.certificate.port} at ${settings.certificate.connectTo}`;
    const verdict = (0,core_entra/* compareThumbprint */.XC)(facts, leaf.sha1, where);
    if (verdict === undefined) {
        add({
            severity: 'warning',
            code: 'entra-no-thumbprint',
            title: 'No certificate thumbprint on the managed domain',
            message: `${(0,core_entra/* describeDomain */.y_)(facts)}: ldapsSettings.certificateThumbprint is ${facts.certificateThumbprint === undefined ? 'not set' : `not a SHA-1 thumbprint (${JSON.stringify(facts.certificateThumbprint.slice(0, 80))})`}, so the served certificate cannot be compared with the uploaded one`
        });
        return;
    }
    state.certificate = { ...state.certificate, match: verdict.match };
    if (verdict.match) {
        github/* info */.pq(`${where} serves the certificate uploaded to ${facts.domainName} (thumbprint ${verdict.thumbprint.toUpperCase()}).`);
        return;
    }
    add({
        severity: 'error',
        code: 'entra-certificate-mismatch',
        title: 'Not the uploaded certificate',
        message: verdict.message,
        drift: true
    });
}
async function readExposure(reader, facts) {
    // One subnet GET and one NSG GET per replica set, all at once.
    return Promise.all(facts.replicaSets.map(async (replicaSet) => {
        const base = { location: replicaSet.location, subnetId: replicaSet.subnetId };
        if (replicaSet.subnetId === undefined) {
            return {
                replicaSet,
                report: { ...base, exposure: 'unknown', reason: 'the replica set names no subnetId' }
            };
        }
        const read = await reader.readSubnetNsg(replicaSet.subnetId);
        if (read.kind === 'unreadable') {
            return { replicaSet, report: { ...base, exposure: 'unknown', reason: read.message } };
        }
        if (read.kind === 'no-nsg') {
            return {
                replicaSet,
                report: {
                    ...base,
                    exposure: 'no-nsg',
                    reason: `no network security group is associated with subnet ${read.subnetName}, so nothing restricts TCP 636`
                }
            };
        }
        const verdict = evaluateLdapsExposure(read.rules, {
            addresses: replicaSet.domainControllerIpAddress,
            subnetPrefixes: read.subnetPrefixes
        });
        return {
            replicaSet,
            report: {
                ...base,
                nsg: read.nsgName,
                exposure: verdict.exposure,
                rule: verdict.rule === undefined ? undefined : `${verdict.rule.name} (priority ${verdict.rule.priority})`,
                reason: verdict.reason
            }
        };
    }));
}
function judgeExposure(facts, entra, results, state, add) {
    const reports = results.map(r => r.report);
    const worst = worstExposure(reports);
    state.nsg = { check: entra.nsgCheck, exposure: worst?.exposure, rule: worst?.rule, replicaSets: reports };
    const severity = (failing) => failing && entra.nsgCheck === 'fail' ? 'error' : 'warning';
    for (const r of reports) {
        const where = `${(0,core_entra/* describeDomain */.y_)(facts)}, replica set ${r.location}`;
        const kinds = {
            open: () => add({
                severity: severity(true),
                code: 'nsg-open-to-internet',
                title: 'Secure LDAP open to the internet (AADDS101)',
                message: `${where}: network security group ${r.nsg ?? '?'} ${r.reason}, so port 636 is open to the whole internet (alert AADDS101); restrict that rule's source to the client address ranges that need secure LDAP`
            }),
            'no-nsg': () => add({
                severity: severity(true),
                code: 'nsg-missing',
                title: 'No network security group on the managed domain subnet',
                message: `${where}: ${r.reason}; associate a network security group that allows TCP 636 only from the client address ranges`
            }),
            unknown: () => add({
                severity: 'warning',
                code: 'nsg-not-checked',
                title: 'NSG not checked',
                message: `${where}: the network security group could not be judged: ${r.reason}`
            }),
            'no-rule': () => add({
                severity: 'notice',
                code: 'nsg-no-ldaps-rule',
                title: 'No NSG rule for secure LDAP',
                message: `${where}: network security group ${r.nsg ?? '?'}: ${r.reason}; internet clients cannot reach secure LDAP until a rule allows TCP 636 from their ranges`
            })
        };
        kinds[r.exposure]?.();
        github/* info */.pq(`${where}: NSG verdict ${r.exposure}${r.rule ? ` (${r.rule})` : ''}: ${r.reason}.`);
    }
}
/** ldapsSettings.publicCertificate parsed: base64 DER of the uploaded leaf (PEM armour tolerated). */
function readUploadedCertificate(facts) {
    const text = facts.publicCertificate;
    if (text === undefined || text === '')
        return { ok: false, reason: 'ldapsSettings.publicCertificate is not set' };
    const base64 = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    if (!inputs/* BASE64 */.EW.test(base64) || base64.length > MAX_PUBLIC_CERTIFICATE_BASE64) {
        return { ok: false, reason: 'ldapsSettings.publicCertificate is not base64 of at most 64 KiB' };
    }
    try {
        return { ok: true, certificate: (0,x509/* parseCertificate */.hB)(Buffer.from(base64, 'base64')) };
    }
    catch {
        return { ok: false, reason: 'ldapsSettings.publicCertificate does not parse as an X.509 certificate' };
    }
}
/** A leaf certificate is a few KiB; anything larger is not one (and is not parsed). */
const MAX_PUBLIC_CERTIFICATE_BASE64 = 88_000;
/** A promise that never rejects, so a failure while the DNS plan runs is not unhandled. */
function settle(promise) {
    return promise.then(value => ({ ok: true, value }), error => ({ ok: false, error }));
}


/***/ })

};
