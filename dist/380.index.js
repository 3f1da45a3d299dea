export const id = 380;
export const ids = [380];
export const modules = {

/***/ 7505:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EU: () => (/* binding */ shortName),
/* harmony export */   Vx: () => (/* binding */ OID),
/* harmony export */   Z2: () => (/* binding */ normalizeIp),
/* harmony export */   hB: () => (/* binding */ parseCertificate),
/* harmony export */   iN: () => (/* binding */ certificatesInPkcs7),
/* harmony export */   nh: () => (/* binding */ subjectLine)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_forge_lib_asn1_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1227);
/* harmony import */ var node_forge_lib_util_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7638);
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

/***/ 5380:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  startEntraStage: () => (/* binding */ startEntraStage)
});

// UNUSED EXPORTS: MAX_HEALTH_ALERT_FINDINGS, readUploadedCertificate

// EXTERNAL MODULE: ./adapters/github.js + 1 modules
var github = __webpack_require__(3887);
// EXTERNAL MODULE: ./core/renewal-window.js
var renewal_window = __webpack_require__(7790);
;// CONCATENATED MODULE: ./core/entra.js
// Microsoft Entra Domain Services: what the managed domain says about its secure LDAP endpoint,
// as plain data, and the decisions taken from it (which replica set's external IP to publish,
// whether secure LDAP is on, whether the served certificate is the uploaded one). Pure: the
// adapter (adapters/entra-ds.ts) reads Azure Resource Manager and fills these shapes.

/** Thrown for a managed domain that cannot serve secure LDAP to the internet as configured. */
class EntraError extends Error {
    constructor(message) {
        super(message);
        this.name = 'EntraError';
    }
}
/** "West US", "westus" and "WestUS" are one location. */
function normalizeLocation(location) {
    return location.replace(/[\s_-]+/g, '').toLowerCase();
}
function describeDomain(d) {
    return `managed domain ${d.domainName}`;
}
/**
 * Secure LDAP over the internet needs both switches on. Returns one problem per switch that is
 * off, each titled by its own setting (two problems must not read alike in the failure line) and
 * naming the portal control that fixes it.
 */
function secureLdapProblems(d) {
    const problems = [];
    if (d.ldaps !== 'Enabled') {
        problems.push({
            title: 'Secure LDAP not enabled on the managed domain',
            message: `${describeDomain(d)}: ldapsSettings.ldaps is ${d.ldaps ?? 'not set'}; enable 'Secure LDAP' (Secure LDAP page of the managed domain, with a certificate)`
        });
    }
    if (d.externalAccess !== 'Enabled') {
        problems.push({
            title: 'Secure LDAP internet access (externalAccess) not enabled',
            message: `${describeDomain(d)}: ldapsSettings.externalAccess is ${d.externalAccess ?? 'not set'}; enable 'Allow secure LDAP access over the internet'`
        });
    }
    return problems;
}
/**
 * The replica set whose external IP the DNS name gets: the only one with an external IP, or the
 * one at `wanted` (entra-replica-set). With several and none chosen, the action does not guess.
 */
function chooseReplicaSet(d, wanted) {
    const withIp = d.replicaSets.filter(r => r.externalAccessIpAddress !== undefined && r.externalAccessIpAddress !== '');
    const listing = (sets) => sets.map(r => `${r.location} ${r.externalAccessIpAddress ?? '(no external IP)'}`).join(', ');
    if (wanted !== undefined) {
        const found = d.replicaSets.filter(r => normalizeLocation(r.location) === normalizeLocation(wanted));
        if (found.length === 0) {
            return {
                ok: false,
                message: `${describeDomain(d)} has no replica set in ${wanted} (it has: ${listing(d.replicaSets) || 'none'}); fix entra-replica-set`
            };
        }
        const chosen = found[0];
        if (chosen.externalAccessIpAddress === undefined || chosen.externalAccessIpAddress === '') {
            return {
                ok: false,
                message: `${describeDomain(d)}: replica set ${chosen.location} has no externalAccessIpAddress (secure LDAP over the internet is not published there yet); choose another entra-replica-set (${listing(withIp) || 'none has one'})`
            };
        }
        return { ok: true, replicaSet: chosen };
    }
    if (withIp.length === 1)
        return { ok: true, replicaSet: withIp[0] };
    if (withIp.length === 0) {
        return {
            ok: false,
            message: `${describeDomain(d)}: no replica set has an externalAccessIpAddress (replica sets: ${listing(d.replicaSets) || 'none'}); enable 'Allow secure LDAP access over the internet' and wait for the managed domain to finish updating`
        };
    }
    return {
        ok: false,
        message: `${describeDomain(d)} has ${withIp.length} replica sets with an external IP (${listing(withIp)}); set entra-replica-set to the location whose IP the name should point at`
    };
}
/** 40 hex digits, lowercase; colons, spaces and case ignored. Undefined when not a SHA-1 thumbprint. */
function normalizeThumbprint(text) {
    if (text === undefined)
        return undefined;
    const hex = text.replace(/[\s:-]/g, '').toLowerCase();
    return /^[0-9a-f]{40}$/.test(hex) ? hex : undefined;
}
/**
 * The served leaf's SHA-1 (Windows "thumbprint") against ldapsSettings.certificateThumbprint.
 * `where` names the endpoint (`ldaps.contoso.com:636 at 20.1.2.3`).
 */
function compareThumbprint(d, servedSha1, where) {
    const uploaded = normalizeThumbprint(d.certificateThumbprint);
    if (uploaded === undefined)
        return undefined;
    const served = normalizeThumbprint(servedSha1);
    if (served === uploaded)
        return { match: true, thumbprint: uploaded };
    return {
        match: false,
        message: `${where} does not serve the certificate uploaded to ${describeDomain(d)}: it serves SHA-1 ${(served ?? servedSha1).toUpperCase()}, ldapsSettings.certificateThumbprint is ${uploaded.toUpperCase()}; upload the served certificate to the managed domain, or point the name at the managed domain's endpoint`
    };
}
/**
 * certificateNotAfter against min-days-valid: the same rule as the served certificate. The
 * lifetime comes from the uploaded certificate's notBefore; without it a share-of-lifetime rule
 * falls back to its floor, since the lifetime is unknown.
 */
function uploadedCertificateExpiry(d, now, rule, notBefore) {
    const notAfter = d.certificateNotAfter;
    if (notAfter === undefined)
        return undefined;
    const date = notAfter.toISOString().slice(0, 10);
    const fix = 'upload a renewed certificate on the Secure LDAP page of the managed domain (alert AADDS502)';
    if (notAfter.getTime() <= now.getTime()) {
        return {
            kind: 'expired',
            message: `${describeDomain(d)}: the secure LDAP certificate (ldapsSettings.certificateNotAfter) expired on ${date}; ${fix}`
        };
    }
    const judged = notBefore !== undefined
        ? (0,renewal_window/* renewalDue */.xX)(notBefore, notAfter, rule, now)
        : (0,renewal_window/* renewalDue */.xX)(notAfter, notAfter, rule.kind === 'days' ? rule : { kind: 'days', days: rule.floorDays }, now);
    if (!judged.due)
        return undefined;
    const what = notBefore !== undefined
        ? (0,renewal_window/* describeRenewal */.AL)(judged)
        : `renew by ${judged.renewBy.toISOString().slice(0, 10)}: ${judged.daysLeft} days left`;
    return {
        kind: 'due',
        message: `${describeDomain(d)}: the secure LDAP certificate (ldapsSettings.certificateNotAfter ${date}) is due for renewal: ${what} (min-days-valid ${(0,renewal_window/* renewalRuleInput */.nk)(rule)}); ${fix}`
    };
}
/** Parses `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/virtualNetworks/{v}/subnets/{n}` (segments case-insensitive). */
function parseSubnetId(id) {
    const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)\/?$/i.exec(id);
    if (m === null)
        return undefined;
    return { subscriptionId: m[1], resourceGroup: m[2], virtualNetwork: m[3], subnet: m[4] };
}
function parseNsgId(id) {
    const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkSecurityGroups\/([^/]+)\/?$/i.exec(id);
    if (m === null)
        return undefined;
    return { subscriptionId: m[1], resourceGroup: m[2], name: m[3] };
}
/** The resource group in any ARM resource id. */
function resourceGroupOf(id) {
    return id === undefined ? undefined : /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
}
/** The managed domain that entra-domain-name names: by resource name or by properties.domainName. */
function matchesManagedDomain(d, wanted) {
    const w = wanted.toLowerCase().replace(/\.$/, '');
    return d.name.toLowerCase() === w || d.domainName.toLowerCase().replace(/\.$/, '') === w;
}

// EXTERNAL MODULE: ./core/inputs.js
var inputs = __webpack_require__(1588);
// EXTERNAL MODULE: ./core/names.js
var names = __webpack_require__(2345);
// EXTERNAL MODULE: ./core/x509.js
var x509 = __webpack_require__(7505);
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
var report = __webpack_require__(7596);
// EXTERNAL MODULE: ./core/run-plan.js
var run_plan = __webpack_require__(1218);
// EXTERNAL MODULE: ../node_modules/@azure/identity/dist/esm/index.js + 184 modules
var esm = __webpack_require__(4261);
// EXTERNAL MODULE: ../node_modules/@azure/arm-domainservices/dist/index.js
var dist = __webpack_require__(8264);
// EXTERNAL MODULE: ./adapters/azure/arm.js + 1 modules
var arm = __webpack_require__(8168);
;// CONCATENATED MODULE: ./adapters/azure/fields.js
// Fields of an ARM answer read with their types checked. The SDKs pass JSON through as it came (a
// number where the model says string, an object where it says string, an invalid Date for a
// non-date text), so code that trusts the model's types fails later with a bare JavaScript error
// far from the cause. Each reader here returns the value when it has the documented type, and
// otherwise records a problem naming the field and what it held.
/** Collects the malformed fields of one ARM resource as it reads them. */
class ArmFields {
    found = [];
    /** "ldapsSettings.certificateNotAfter is "soon", not a date", one per malformed field. */
    get problems() {
        return this.found;
    }
    /** A string, or undefined when absent (undefined or null). */
    string(value, path) {
        if (value === undefined || value === null || typeof value === 'string')
            return value ?? undefined;
        return this.wrong(path, value, 'a string');
    }
    /** A finite number, or undefined when absent. */
    number(value, path) {
        if (value === undefined || value === null)
            return undefined;
        if (typeof value === 'number' && Number.isFinite(value))
            return value;
        return this.wrong(path, value, 'a number');
    }
    /** A valid date (a Date the SDK made, or a text that parses as one), or undefined when absent. */
    date(value, path) {
        if (value === undefined || value === null)
            return undefined;
        if (value instanceof Date) {
            if (!Number.isNaN(value.getTime()))
                return value;
            this.found.push(`${path} is not a date (ARM sent a text no date can be read from)`);
            return undefined;
        }
        if (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
            return new Date(value);
        return this.wrong(path, value, 'a date');
    }
    /** An array (empty when absent). */
    array(value, path) {
        if (value === undefined || value === null)
            return [];
        if (Array.isArray(value))
            return value;
        this.wrong(path, value, 'a list');
        return [];
    }
    /** An array of strings (empty when absent), or undefined when malformed. */
    strings(value, path) {
        if (value === undefined || value === null)
            return [];
        if (Array.isArray(value) && value.every(v => typeof v === 'string'))
            return value;
        return this.wrong(path, value, 'a list of strings');
    }
    /** An object (its fields to read further), or undefined when absent or malformed. */
    object(value, path) {
        if (value === undefined || value === null)
            return undefined;
        if (typeof value === 'object' && !Array.isArray(value))
            return value;
        return this.wrong(path, value, 'an object');
    }
    wrong(path, value, expected) {
        this.found.push(`${path} is ${shown(value)}, not ${expected}`);
        return undefined;
    }
}
/** How a malformed value is shown: its kind and a bounded JSON excerpt (outside text: escaped at each sink). */
function shown(value) {
    const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
    let json;
    try {
        json = JSON.stringify(value) ?? String(value);
    }
    catch {
        json = String(value);
    }
    const excerpt = json.length > 60 ? `${json.slice(0, 60)}…` : json;
    return `${kind} (${excerpt})`;
}

// EXTERNAL MODULE: ./adapters/providers/index.js + 7 modules
var providers = __webpack_require__(2465);
;// CONCATENATED MODULE: ./adapters/entra-ds.js
// Reads a Microsoft Entra Domain Services managed domain (@azure/arm-domainservices, api-version
// 2021-05-01) and the network security groups on its replica sets' subnets (@azure/arm-network,
// 2026-01-01) from Azure Resource Manager. Only GETs: nothing here writes to Microsoft.AAD or
// Microsoft.Network. Sign-in, endpoints, time bounds and ARM's error wording come from
// adapters/azure/ (as for Azure DNS), with messages named "Entra Domain Services"; every field of
// an answer is type-checked before use (adapters/azure/fields.ts).







/** Built-in role that covers every read of this stage. */
const ENTRA_READ_ROLE = 'Reader';
/** The component name every message of this stage's ARM calls starts with. */
const ENTRA_COMPONENT = 'Entra Domain Services';
/**
 * The managed domain's ARM client with the stage's sign-in, bounds and error wording: what the
 * reader uses, and what a writer of the managed domain (a certificate upload through
 * `domainServices.beginUpdate`) uses the same way. A long-running operation gets its own abort
 * signal rather than `session.run`'s per-operation budget.
 */
function openManagedDomainClient(settings, options = {}) {
    const env = options.env ?? process.env;
    const session = new arm/* ArmSession */.dB(esm, settings.azure, ENTRA_COMPONENT, {
        ...options,
        requestTimeoutMs: options.requestTimeoutMs ?? (0,providers/* parseRequestTimeout */.wZ)(env)
    });
    const domains = new dist/* DomainServicesResourceProvider */.wN(session.credential.credential, settings.azure.subscriptionId, session.clientOptions());
    return { session, domains };
}
function createEntraReader(settings, options = {}) {
    const { session, domains } = openManagedDomainClient(settings, options);
    // arm-network is large: its own chunk, loaded while the managed domain is read, and not at
    // all with entra-nsg-check off.
    let networkModule;
    const loadNetwork = () => (networkModule ??= __webpack_require__.e(/* import() */ 363).then(__webpack_require__.bind(__webpack_require__, 5363)));
    if (settings.nsgCheck !== 'off')
        void loadNetwork().catch(() => undefined);
    // The subnet may live in another subscription than the managed domain: one client each.
    const networks = new Map();
    const network = async (sub) => {
        const { NetworkManagementClient } = await loadNetwork();
        let client = networks.get(sub.toLowerCase());
        if (client === undefined) {
            client = new NetworkManagementClient(session.credential.credential, sub, session.clientOptions());
            networks.set(sub.toLowerCase(), client);
        }
        return client;
    };
    const subscriptionId = settings.azure.subscriptionId;
    github/* info */.pq(session.describeSignIn());
    const stats = { reads: 0, writes: 0 };
    const describe = (error, verb, scope, fix404) => session.describe(error, readOperation(verb, scope, fix404));
    return {
        stats,
        async readManagedDomain() {
            const wanted = settings.domainName;
            const rg = settings.resourceGroup;
            const where = `subscription ${subscriptionId}${rg ? `, resource group ${rg}` : ''}`;
            if (rg !== undefined) {
                stats.reads++;
                const domain = await session
                    .run(abortSignal => domains.domainServices.get(rg, wanted, { abortSignal }))
                    .catch((error) => {
                    const e = error;
                    // A resource name other than the domain name is allowed: fall back to the listing.
                    if (e.statusCode === 404 && e.code === 'ResourceNotFound')
                        return undefined;
                    throw describe(error, `read managed domain ${wanted}`, where, 'check entra-resource-group and entra-subscription-id (leave entra-resource-group empty to find the managed domain by listing)');
                });
                if (domain !== undefined)
                    return toFacts(domain, subscriptionId);
            }
            const found = [];
            try {
                await session.run(async (abortSignal) => {
                    const pages = rg === undefined
                        ? domains.domainServices.list({ abortSignal })
                        : domains.domainServices.listByResourceGroup(rg, { abortSignal });
                    for await (const page of pages.byPage()) {
                        stats.reads++;
                        found.push(...page);
                    }
                });
            }
            catch (error) {
                throw describe(error, 'list managed domains', where, 'check entra-subscription-id and entra-resource-group');
            }
            const facts = found.map(d => toFacts(d, subscriptionId));
            const match = facts.filter(d => matchesManagedDomain(d, wanted));
            if (match.length === 0) {
                throw new arm/* ArmError */.dW(`Entra Domain Services: no managed domain named ${wanted} in ${where} (the identity sees ${facts.length === 0 ? 'none' : facts.map(d => `${d.name} (${d.domainName})`).join(', ')}); fix entra-domain-name or entra-subscription-id, or give the identity the ${ENTRA_READ_ROLE} role on the managed domain`, 404, false);
            }
            return match[0];
        },
        async readSubnetNsg(subnetId) {
            const subnetRef = parseSubnetId(subnetId);
            if (subnetRef === undefined) {
                return {
                    kind: 'unreadable',
                    message: `the replica set's subnetId ${JSON.stringify(subnetId)} is not a subnet id`
                };
            }
            const client = await network(subnetRef.subscriptionId);
            let nsgId;
            let subnetPrefixes;
            stats.reads++;
            try {
                const subnet = await session.run(abortSignal => client.subnets.get(subnetRef.resourceGroup, subnetRef.virtualNetwork, subnetRef.subnet, { abortSignal }));
                const fields = new ArmFields();
                nsgId = fields.string(fields.object(subnet.networkSecurityGroup, 'networkSecurityGroup')?.['id'], 'networkSecurityGroup.id');
                subnetPrefixes = [
                    fields.string(subnet.addressPrefix, 'addressPrefix'),
                    ...(fields.strings(subnet.addressPrefixes, 'addressPrefixes') ?? [])
                ].filter((p) => p !== undefined && p !== '');
                if (fields.problems.length > 0) {
                    return {
                        kind: 'unreadable',
                        message: malformed(`subnet ${subnetRef.virtualNetwork}/${subnetRef.subnet}`, fields.problems)
                    };
                }
            }
            catch (error) {
                return unreadable(describe(error, `read subnet ${subnetRef.virtualNetwork}/${subnetRef.subnet}`, `resource group ${subnetRef.resourceGroup} of subscription ${subnetRef.subscriptionId}`, 'the replica set points at a subnet that no longer exists'), 'Microsoft.Network/virtualNetworks/subnets/read', `/subscriptions/${subnetRef.subscriptionId}/resourceGroups/${subnetRef.resourceGroup}`);
            }
            if (nsgId === undefined || nsgId === '') {
                return { kind: 'no-nsg', subnetName: `${subnetRef.virtualNetwork}/${subnetRef.subnet}`, subnetPrefixes };
            }
            const nsgRef = parseNsgId(nsgId);
            if (nsgRef === undefined) {
                return {
                    kind: 'unreadable',
                    message: `the subnet's networkSecurityGroup.id ${JSON.stringify(nsgId)} is not an NSG id`
                };
            }
            stats.reads++;
            try {
                const client = await network(nsgRef.subscriptionId);
                const nsg = await session.run(abortSignal => client.networkSecurityGroups.get(nsgRef.resourceGroup, nsgRef.name, { abortSignal }));
                const fields = new ArmFields();
                const rules = [
                    ...fields
                        .array(nsg.securityRules, 'securityRules')
                        .map((r, i) => toRule(r, false, fields, `securityRules[${i}]`)),
                    ...fields
                        .array(nsg.defaultSecurityRules, 'defaultSecurityRules')
                        .map((r, i) => toRule(r, true, fields, `defaultSecurityRules[${i}]`))
                ].filter((r) => r !== undefined);
                const nsgName = fields.string(nsg.name, 'name') ?? nsgRef.name;
                if (fields.problems.length > 0) {
                    return { kind: 'unreadable', message: malformed(`network security group ${nsgRef.name}`, fields.problems) };
                }
                return { kind: 'nsg', nsgId, nsgName, rules, subnetPrefixes };
            }
            catch (error) {
                return unreadable(describe(error, `read network security group ${nsgRef.name}`, `resource group ${nsgRef.resourceGroup} of subscription ${nsgRef.subscriptionId}`, 'the subnet refers to an NSG that no longer exists'), 'Microsoft.Network/networkSecurityGroups/read', `/subscriptions/${nsgRef.subscriptionId}/resourceGroups/${nsgRef.resourceGroup}`);
            }
        }
    };
}
/** 403 and 404 make the verdict unknown (a warning); anything else is a failure of the stage. */
function unreadable(error, action, scope) {
    if (error.statusCode === 403) {
        return {
            kind: 'unreadable',
            message: `${error.message.replace(/; give the identity.*$/, '')}; give the identity ${ENTRA_READ_ROLE} (${action}) on ${scope}`
        };
    }
    if (error.statusCode === 404)
        return { kind: 'unreadable', message: error.message };
    throw error;
}
/** The 403 and 404 wording of this stage's reads. */
function readOperation(verb, scope, fix404) {
    return {
        verb,
        scope,
        forbidden: `give the identity the ${ENTRA_READ_ROLE} role there`,
        notFound: code => `${code === 'SubscriptionNotFound' ? 'the subscription does not exist in this cloud or the identity cannot see it' : code === 'ResourceGroupNotFound' ? 'the resource group does not exist' : 'not found'}; ${fix404}`
    };
}
/** A resource whose fields are not as the API documents them: which fields, and that nothing was judged on them. */
function malformed(what, problems) {
    return `${ENTRA_COMPONENT}: Azure Resource Manager returned ${what} with malformed fields: ${problems.join('; ')}; it is not judged on them (report this with the managed domain's JSON view)`;
}
/**
 * The managed domain as plain facts, every field's type checked: a malformed field is an error
 * naming it, never a JavaScript error later in the stage.
 */
function toFacts(d, subscriptionId) {
    const f = new ArmFields();
    const id = f.string(d.id, 'id') ?? '';
    const name = f.string(d.name, 'name') ?? '';
    const ldapsSettings = f.object(d.ldapsSettings, 'ldapsSettings') ?? {};
    const security = f.object(d.domainSecuritySettings, 'domainSecuritySettings') ?? {};
    const replicaSets = f.array(d.replicaSets, 'replicaSets').map((raw, i) => {
        const at = `replicaSets[${i}]`;
        const r = f.object(raw, at) ?? {};
        const ip = f.string(r['externalAccessIpAddress'], `${at}.externalAccessIpAddress`);
        const healthAlerts = f.array(r['healthAlerts'], `${at}.healthAlerts`).map((rawAlert, j) => {
            const a = f.object(rawAlert, `${at}.healthAlerts[${j}]`) ?? {};
            const path = `${at}.healthAlerts[${j}]`;
            return {
                id: f.string(a['id'], `${path}.id`) ?? '?',
                name: f.string(a['name'], `${path}.name`) ?? '?',
                issue: f.string(a['issue'], `${path}.issue`),
                resolutionUri: f.string(a['resolutionUri'], `${path}.resolutionUri`)
            };
        });
        return {
            location: f.string(r['location'], `${at}.location`) ?? '?',
            subnetId: f.string(r['subnetId'], `${at}.subnetId`),
            externalAccessIpAddress: ip === '' ? undefined : ip,
            domainControllerIpAddress: f.strings(r['domainControllerIpAddress'], `${at}.domainControllerIpAddress`) ?? [],
            serviceStatus: f.string(r['serviceStatus'], `${at}.serviceStatus`),
            healthAlerts
        };
    });
    const facts = {
        id,
        name,
        subscriptionId,
        resourceGroup: resourceGroupOf(id) ?? '',
        domainName: f.string(d.domainName, 'domainName') ?? name,
        ldaps: f.string(ldapsSettings['ldaps'], 'ldapsSettings.ldaps'),
        externalAccess: f.string(ldapsSettings['externalAccess'], 'ldapsSettings.externalAccess'),
        certificateThumbprint: f.string(ldapsSettings['certificateThumbprint'], 'ldapsSettings.certificateThumbprint'),
        publicCertificate: f.string(ldapsSettings['publicCertificate'], 'ldapsSettings.publicCertificate'),
        certificateNotAfter: f.date(ldapsSettings['certificateNotAfter'], 'ldapsSettings.certificateNotAfter'),
        tlsV1: f.string(security['tlsV1'], 'domainSecuritySettings.tlsV1'),
        replicaSets
    };
    if (f.problems.length > 0) {
        throw new arm/* ArmError */.dW(malformed(`managed domain ${name || id || '?'}`, f.problems), undefined, false);
    }
    return facts;
}
/** One security rule, or undefined (with the problem recorded) when a field it is judged on is malformed. */
function toRule(raw, isDefault, f, at) {
    const r = (f.object(raw, at) ?? {});
    const before = f.problems.length;
    const rule = {
        name: f.string(r.name, `${at}.name`) ?? '?',
        priority: f.number(r.priority, `${at}.priority`),
        direction: f.string(r.direction, `${at}.direction`),
        access: f.string(r.access, `${at}.access`),
        protocol: f.string(r.protocol, `${at}.protocol`) ?? '*',
        sourceAddressPrefix: f.string(r.sourceAddressPrefix, `${at}.sourceAddressPrefix`),
        sourceAddressPrefixes: f.strings(r.sourceAddressPrefixes, `${at}.sourceAddressPrefixes`),
        sourceApplicationSecurityGroups: f.array(r.sourceApplicationSecurityGroups, `${at}.sourceApplicationSecurityGroups`),
        destinationAddressPrefix: f.string(r.destinationAddressPrefix, `${at}.destinationAddressPrefix`),
        destinationAddressPrefixes: f.strings(r.destinationAddressPrefixes, `${at}.destinationAddressPrefixes`),
        destinationApplicationSecurityGroups: f.array(r.destinationApplicationSecurityGroups, `${at}.destinationApplicationSecurityGroups`),
        destinationPortRange: f.string(r.destinationPortRange, `${at}.destinationPortRange`),
        destinationPortRanges: f.strings(r.destinationPortRanges, `${at}.destinationPortRanges`),
        isDefault
    };
    if (f.problems.length > before)
        return undefined;
    if (rule.priority === undefined || rule.direction === undefined || rule.access === undefined)
        return undefined;
    return { ...rule, priority: rule.priority, direction: rule.direction, access: rule.access };
}

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
    const reader = options.reader ?? createEntraReader(entra, options);
    const facts = await reader.readManagedDomain();
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
            thumbprint: normalizeThumbprint(facts.certificateThumbprint)?.toUpperCase() ?? facts.certificateThumbprint,
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
            title: 'Managed domain accepts TLS 1.0',
            message: `${describeDomain(facts)}: domainSecuritySettings.tlsV1 is Enabled, so secure LDAP still accepts TLS 1.0; turn on 'TLS 1.2 only mode' (Security settings of the managed domain)`
        });
    }
    for (const a of state.healthAlerts.slice(0, MAX_HEALTH_ALERT_FINDINGS)) {
        add({
            severity: 'warning',
            title: `Managed domain health alert ${a.id}`,
            message: `${describeDomain(facts)} reports health alert ${a.id} (${a.name}) for replica set ${a.replicaSet}${a.resolutionUri ? `; see ${a.resolutionUri}` : ''}`
        });
    }
    const unlisted = state.healthAlerts.length - MAX_HEALTH_ALERT_FINDINGS;
    if (unlisted > 0) {
        add({
            severity: 'warning',
            title: 'More managed domain health alerts',
            message: `${describeDomain(facts)} reports ${unlisted} more health alert(s) than the ${MAX_HEALTH_ALERT_FINDINGS} listed (${state.healthAlerts.length} in all); see the managed domain's Health page in the Azure portal`
        });
    }
    let dnsAllowed = true;
    const problems = secureLdapProblems(facts);
    for (const { title, message } of problems)
        add({ severity: 'error', title, message, drift });
    if (problems.length > 0)
        dnsAllowed = false;
    const uploaded = readUploadedCertificate(facts);
    const expiry = uploadedCertificateExpiry(facts, (options.now ?? (() => new Date()))(), settings.certificate.minDaysValid, uploaded.ok ? uploaded.certificate.notBefore : undefined);
    if (expiry?.kind === 'expired') {
        add({ severity: 'error', title: 'Managed domain certificate expired', message: expiry.message, drift: true });
    }
    else if (expiry !== undefined) {
        const fails = settings.certificate.failOnRenewalDue;
        add({
            severity: fails ? 'error' : 'warning',
            title: 'Managed domain certificate renewal due',
            message: expiry.message,
            ...(fails ? { drift: true } : {})
        });
    }
    // The external IP: from the chosen replica set; the ip input, when given, must agree.
    let ip = settings.ip;
    const choice = chooseReplicaSet(facts, entra.replicaSet);
    if (!choice.ok) {
        if (problems.length === 0 || entra.replicaSet !== undefined) {
            add({ severity: 'error', title: 'No external IP on the managed domain', message: choice.message, drift });
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
                title: 'External IP unusable',
                message: `${describeDomain(facts)}: replica set ${choice.replicaSet.location} has externalAccessIpAddress ${JSON.stringify(raw.slice(0, 80))}, which is not published: the address ${refused}; nothing was written`,
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
                    title: 'External IP not public',
                    message: `${describeDomain(facts)}: replica set ${choice.replicaSet.location} publishes secure LDAP at ${external}, a ${range} address, not reachable from the internet; clients outside that network cannot use this name`
                });
            }
            if (entra.ipGiven && settings.ip !== external) {
                add({
                    severity: 'error',
                    title: 'ip differs from the managed domain',
                    message: `input "ip" is ${settings.ip}, but ${describeDomain(facts)} publishes secure LDAP at ${external} (replica set ${choice.replicaSet.location}); leave ip empty to follow the managed domain, or correct it${drift ? '' : '. Nothing was written'}`,
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
                title: 'Domain outside the zone',
                message: `input "zone": ${(0,inputs/* outsideZone */.Eu)(named.value, settings.zone)} (domain is empty, so the name comes from ${describeDomain(facts)}: set domain to a name in zone ${settings.zone}, or fix zone)`
            });
            ip = '';
        }
        else if (named.ok)
            domain = named.value;
        else {
            add({
                severity: 'error',
                title: 'No name for the managed domain',
                message: `${describeDomain(facts)}: ldaps.${facts.domainName} is not a usable DNS name (${named.rule}); set the domain input`
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
        uploadedCertificate: uploaded,
        description: describeDomain(facts),
        async networkVerdict() {
            if (exposure === undefined)
                return undefined;
            const outcome = await exposure;
            if (!outcome.ok)
                return undefined;
            const worst = worstExposure(outcome.value.map(r => r.report));
            return worst === undefined ? undefined : { exposure: worst.exposure, rule: worst.rule };
        },
        async finish(served) {
            findings = [];
            compareCertificate(facts, served, resolved, state, add);
            if (exposure !== undefined) {
                const outcome = await exposure;
                // The report keeps the certificate comparison's findings and the state as first read.
                if (!outcome.ok)
                    throw (0,report/* failedPartWay */.m_)(outcome.error, { part: {}, findings });
                judgeExposure(facts, entra, outcome.value, state, add);
            }
            return { part: { entra: snapshot() }, findings };
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
    const verdict = compareThumbprint(facts, leaf.sha1, where);
    if (verdict === undefined) {
        add({
            severity: 'warning',
            title: 'No certificate thumbprint on the managed domain',
            message: `${describeDomain(facts)}: ldapsSettings.certificateThumbprint is ${facts.certificateThumbprint === undefined ? 'not set' : `not a SHA-1 thumbprint (${JSON.stringify(facts.certificateThumbprint.slice(0, 80))})`}, so the served certificate cannot be compared with the uploaded one`
        });
        return;
    }
    state.certificate = { ...state.certificate, match: verdict.match };
    if (verdict.match) {
        github/* info */.pq(`${where} serves the certificate uploaded to ${facts.domainName} (thumbprint ${verdict.thumbprint.toUpperCase()}).`);
        return;
    }
    add({ severity: 'error', title: 'Not the uploaded certificate', message: verdict.message, drift: true });
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
        const where = `${describeDomain(facts)}, replica set ${r.location}`;
        const kinds = {
            open: () => add({
                severity: severity(true),
                title: 'Secure LDAP open to the internet (AADDS101)',
                message: `${where}: network security group ${r.nsg ?? '?'} ${r.reason}, so port 636 is open to the whole internet (alert AADDS101); restrict that rule's source to the client address ranges that need secure LDAP`
            }),
            'no-nsg': () => add({
                severity: severity(true),
                title: 'No network security group on the managed domain subnet',
                message: `${where}: ${r.reason}; associate a network security group that allows TCP 636 only from the client address ranges`
            }),
            unknown: () => add({
                severity: 'warning',
                title: 'NSG not checked',
                message: `${where}: the network security group could not be judged: ${r.reason}`
            }),
            'no-rule': () => add({
                severity: 'notice',
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
