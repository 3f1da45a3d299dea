export const id = 798;
export const ids = [798];
export const modules = {

/***/ 81798:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  renewCertificate: () => (/* binding */ renewCertificate)
});

// UNUSED EXPORTS: CHALLENGE_TTL_SECONDS, SERVED_POLL_MS, UNREACHABLE_AFTER, UPLOAD_POLL_ENV

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./adapters/github.js + 1 modules
var github = __webpack_require__(23887);
// EXTERNAL MODULE: ./core/entra.js
var entra = __webpack_require__(81397);
// EXTERNAL MODULE: ./core/certificate.js
var certificate = __webpack_require__(84910);
// EXTERNAL MODULE: ./core/renewal-window.js
var renewal_window = __webpack_require__(47790);
// EXTERNAL MODULE: ./core/x509.js
var x509 = __webpack_require__(77505);
;// CONCATENATED MODULE: ./core/renewal.js
// Certificate renewal of an Entra Domain Services managed domain, as decisions on plain data:
// whether the uploaded certificate is due, which names to order, whether an issued certificate
// may be uploaded, and when the endpoint serves it. Pure: the ACME client, the DNS provider, ARM
// and the handshakes are adapters (adapters/acme.ts, adapters/entra-ds-update.ts, steps/renewal.ts).





/**
 * Is renewal due? Due when the managed domain has no certificate date, when the certificate is
 * inside the renewal window (min-days-valid: days, or a share of the lifetime with a floor, the
 * same rule as the served certificate's), or when it would not be trusted: an untrusted
 * certificate is what renewal fixes, whatever its dates.
 */
function isRenewalDue(facts, now, rule, uploaded = {}) {
    if (facts.certificateNotAfter === undefined) {
        return { due: true, reason: `${(0,entra/* describeDomain */.y_)(facts)} has no certificate date (ldapsSettings.certificateNotAfter)` };
    }
    const expiring = (0,entra/* uploadedCertificateExpiry */.zq)(facts, now, rule, uploaded.notBefore);
    if (expiring !== undefined)
        return { due: true, reason: expiring.message };
    if (uploaded.untrusted !== undefined) {
        return {
            due: true,
            reason: `${(0,entra/* describeDomain */.y_)(facts)}: the uploaded certificate would not be trusted (${uploaded.untrusted})`
        };
    }
    return {
        due: false,
        reason: `${(0,entra/* describeDomain */.y_)(facts)}: the uploaded certificate is valid until ${facts.certificateNotAfter.toISOString().slice(0, 10)}, outside the renewal window (min-days-valid ${(0,renewal_window/* renewalRuleInput */.nk)(rule)})`
    };
}
/**
 * The names to order: the wildcard (domain controllers have random names, so Entra requires
 * `*.<managed domain>` as the subject) and the managed domain itself, as Microsoft's tutorial does.
 * Both are validated at one TXT name, `_acme-challenge.<managed domain>`.
 */
function renewalNames(managedDomain) {
    const domain = managedDomain.toLowerCase().replace(/\.$/, '');
    return { commonName: `*.${domain}`, names: [`*.${domain}`, domain] };
}
/** The TXT name where the DNS-01 answer for `identifier` (the wildcard's too) is published. */
function challengeName(identifier) {
    return `_acme-challenge.${identifier.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '')}`;
}
/**
 * The checks before anything is uploaded: Entra DS refuses (or, worse, accepts and then fails to
 * serve) a certificate without digital signature + key encipherment, without the server
 * authentication EKU, not covering the LDAPS name, expired, or not matching its key. Returns the
 * leaf's facts, or every problem found.
 */
function checkUploadable(issued, ldapsName, now) {
    const problems = [];
    const [leafPem] = issued.chainPem;
    if (leafPem === undefined)
        return { ok: false, problems: ['the CA returned no certificate'] };
    const leaf = (0,x509/* parseCertificate */.hB)(leafPem);
    if (issued.chainPem.length < 2)
        problems.push('the CA returned no intermediate certificate to put into the PFX');
    const usage = leaf.keyUsage;
    for (const bit of ['digitalSignature', 'keyEncipherment']) {
        if (usage !== undefined && !usage.has(bit)) {
            problems.push(`its key usage lacks ${bit}, which Entra Domain Services requires (an ACME profile other than classic drops keyEncipherment)`);
        }
    }
    if (usage === undefined)
        problems.push('it has no key usage extension (Entra requires digitalSignature and keyEncipherment)');
    if (leaf.extKeyUsage === undefined || !leaf.extKeyUsage.includes(x509/* OID */.Vx.serverAuth)) {
        problems.push('its extended key usage lacks TLS server authentication (1.3.6.1.5.5.7.3.1)');
    }
    const names = leaf.subjectAltName?.dns ?? [];
    if (!names.some(pattern => (0,certificate/* matchesDnsName */.Q6)(ldapsName, pattern))) {
        problems.push(`it does not cover ${ldapsName} (its names: ${names.join(', ') || 'none'})`);
    }
    if (leaf.notAfter.getTime() <= now.getTime() || leaf.notBefore.getTime() > now.getTime() + 3_600_000) {
        problems.push(`it is not valid now (${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()})`);
    }
    if (!keyMatches(leaf.x509.publicKey, issued.keyPem))
        problems.push('its public key is not the key made in this run');
    if (problems.length > 0)
        return { ok: false, problems };
    return {
        ok: true,
        certificate: {
            thumbprint: sha1Thumbprint(leaf.x509.fingerprint),
            notAfter: leaf.notAfter,
            subject: leaf.subject
        }
    };
}
function keyMatches(publicKey, keyPem) {
    try {
        const fromPrivate = (0,external_node_crypto_.createPublicKey)((0,external_node_crypto_.createPrivateKey)(keyPem)).export({ type: 'spki', format: 'der' });
        return Buffer.from(publicKey.export({ type: 'spki', format: 'der' })).equals(Buffer.from(fromPrivate));
    }
    catch {
        return false;
    }
}
/** "AB:CD:…" (X509Certificate.fingerprint) → "ABCD…". */
function sha1Thumbprint(colonHex) {
    return colonHex.replace(/:/g, '').toUpperCase();
}
/** Whether ARM's answer is the certificate sent: thumbprints compared without case or separators. */
function sameThumbprint(a, b) {
    return a !== undefined && a.replace(/[^0-9a-f]/gi, '').toUpperCase() === b.replace(/[^0-9a-f]/gi, '').toUpperCase();
}
/**
 * Both domain controllers of a replica set sit behind one external IP, so one handshake that
 * shows the new leaf proves nothing about the other: the endpoint counts as serving it after this
 * many handshakes in a row show it (a 1/2^N chance of missing a DC that still serves the old one).
 */
const SERVED_MATCHES_IN_A_ROW = 6;
/** The running count of handshakes in a row that showed the new leaf. */
function countServedMatch(inARow, servedSha1, wanted) {
    return servedSha1 !== undefined && sameThumbprint(servedSha1, wanted) ? inARow + 1 : 0;
}
/** The TXT values at a name that the ACME server must see: done when every wanted value is there. */
function txtServesAll(values, wanted) {
    return wanted.every(w => values.includes(w));
}

// EXTERNAL MODULE: ../node_modules/node-forge/lib/index.js
var lib = __webpack_require__(14756);
;// CONCATENATED MODULE: ./core/pfx.js
// The PFX (PKCS#12) Entra Domain Services takes for secure LDAP: the private key and the whole
// chain (leaf and every intermediate), the key bag encrypted with pbeWithSHA1And3-KeyTripleDES-CBC
// ("TripleDES-SHA1", the only encryption Microsoft's tutorial accepts), MAC HMAC-SHA1. Pure:
// node-forge computes, nothing is written anywhere. Only the renewal step loads this module (and
// with it all of node-forge).

/** The OID of pbeWithSHA1And3-KeyTripleDES-CBC (PKCS#12 v1.0 appendix C). */
const PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3';
/** A base64 PFX of `keyPem` with `chainPem` (leaf first), encrypted with `password` (TripleDES-SHA1). */
function buildPfx(keyPem, chainPem, password) {
    const key = lib.pki.privateKeyFromPem(keyPem);
    const certs = chainPem.map(pem => lib.pki.certificateFromPem(pem));
    // '3des' is not forge's default (aes128, which Entra rejects); friendlyName helps the portal.
    const asn1 = lib.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', generateLocalKeyId: true });
    return lib.util.encode64(lib.asn1.toDer(asn1).getBytes());
}
/**
 * Reads a base64 PFX back with `password` (throws when the password does not open it or the MAC
 * does not verify): what was built, before it is uploaded.
 */
function readPfx(base64, password) {
    const der = lib.util.decode64(base64);
    const asn1 = lib.asn1.fromDer(der);
    const p12 = lib.pkcs12.pkcs12FromAsn1(asn1, true, password);
    const certBags = p12.getBags({ bagType: lib.pki.oids['certBag'] })[lib.pki.oids['certBag']] ?? [];
    const keyBags = p12.getBags({ bagType: lib.pki.oids['pkcs8ShroudedKeyBag'] })[lib.pki.oids['pkcs8ShroudedKeyBag']] ?? [];
    const certificatesDer = certBags.flatMap(bag => bag.cert === undefined
        ? []
        : [Buffer.from(lib.asn1.toDer(lib.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary')]);
    return {
        certificatesDer,
        hasKey: keyBags.some(bag => bag.key !== undefined),
        keyBagAlgorithms: shroudedKeyAlgorithms(asn1)
    };
}
/**
 * The encryption algorithm OIDs of every pkcs8ShroudedKeyBag (forge decrypts them without saying
 * how): PFX → authSafe data → AuthenticatedSafe → each unencrypted data ContentInfo's SafeContents
 * → SafeBag { bagId, [0] EncryptedPrivateKeyInfo { AlgorithmIdentifier, … } }.
 */
function shroudedKeyAlgorithms(pfx) {
    const children = (node) => node !== undefined && Array.isArray(node.value) ? node.value : [];
    const oidOf = (node) => node?.type === lib.asn1.Type.OID ? lib.asn1.derToOid(node.value) : undefined;
    /** The DER inside a ContentInfo of type data ([0] EXPLICIT OCTET STRING), parsed. */
    const dataContent = (contentInfo) => {
        const [type, explicit] = children(contentInfo);
        if (oidOf(type) !== lib.pki.oids['data'])
            return undefined;
        const octets = children(explicit)[0];
        if (octets === undefined)
            return undefined;
        // A constructed OCTET STRING (BER) holds its bytes in parts.
        const bytes = Array.isArray(octets.value)
            ? octets.value.map(p => p.value).join('')
            : octets.value;
        return lib.asn1.fromDer(bytes);
    };
    const found = [];
    const authSafe = dataContent(children(pfx)[1]);
    for (const contentInfo of children(authSafe)) {
        for (const bag of children(dataContent(contentInfo))) {
            const [bagId, value] = children(bag);
            if (oidOf(bagId) !== lib.pki.oids['pkcs8ShroudedKeyBag'])
                continue;
            const algorithm = oidOf(children(children(children(value)[0])[0])[0]);
            if (algorithm !== undefined)
                found.push(algorithm);
        }
    }
    return found;
}

// EXTERNAL MODULE: ./core/propagation.js
var propagation = __webpack_require__(39071);
// EXTERNAL MODULE: ./core/names.js
var core_names = __webpack_require__(2345);
// EXTERNAL MODULE: ./core/report.js
var report = __webpack_require__(95215);
// EXTERNAL MODULE: ./adapters/dns-client.js + 1 modules
var dns_client = __webpack_require__(16311);
// EXTERNAL MODULE: ./adapters/nameservers.js
var nameservers = __webpack_require__(31363);
// EXTERNAL MODULE: ./adapters/tls-probe.js
var tls_probe = __webpack_require__(9636);
;// CONCATENATED MODULE: ./adapters/acme.js
// Ordering a certificate from an ACME CA (RFC 8555) with DNS-01, through acme-client
// (publishlab/node-acme-client, MIT): it carries the protocol (JWS signing with RSA or EC account
// keys, nonces and badNonce retries, EAB, polling with Retry-After, certificate download) that a
// client of our own would have to re-implement and keep right, for a lazily loaded chunk (see
// README "Renewing the certificate"; only runs with renew: acme load it).
//
// The manual flow rather than auto(): auto() checks the TXT through the runner's resolver (stale
// caches), and cannot ask for a profile. Here the DNS side (ChallengeDns) publishes every value,
// waits until every authoritative nameserver serves them, and only then are the challenges
// answered; the values are removed afterwards, whatever happened.

/** An ACME failure with what the CA said; messages start with "ACME". */
class AcmeError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'AcmeError';
    }
}
/** The profile asked for when the directory offers profiles: the only one that keeps keyEncipherment. */
const ACME_PROFILE = 'classic';
async function orderCertificate(request) {
    const acme = await __webpack_require__.e(/* import() */ 361).then(__webpack_require__.t.bind(__webpack_require__, 95361, 19));
    const { log } = request;
    const client = new acme.Client({
        directoryUrl: request.directoryUrl,
        accountKey: request.accountKeyPem,
        ...(request.eab === undefined
            ? {}
            : { externalAccountBinding: { kid: request.eab.kid, hmacKey: request.eab.hmacKey } }),
        // Bounded polling of authorisations and the order: about 2 minutes at most.
        backoffAttempts: 12,
        backoffMin: 1000,
        backoffMax: 15_000
    });
    const step = async (what, body) => {
        try {
            return await body();
        }
        catch (error) {
            if (error instanceof AcmeError)
                throw error;
            const text = errorText(error);
            const hint = request.eab === undefined && /externalAccountBinding|external account/i.test(text)
                ? '; this CA binds accounts to an account of its own: set acme-eab-kid and acme-eab-hmac-key'
                : '';
            throw new AcmeError(`ACME (${request.directoryUrl}): could not ${what}: ${text}${hint}`, { cause: error });
        }
    };
    // The directory as acme-client caches it (its HTTP client is untyped; 5.4.0 is pinned): the
    // profiles it offers (draft-aaron-acme-profiles) are in meta.profiles.
    const http = client.http;
    const directory = (await step('read the directory', () => http.getDirectory()));
    const profiles = directory.meta?.profiles;
    const profile = profiles !== undefined && ACME_PROFILE in profiles ? ACME_PROFILE : undefined;
    if (profiles !== undefined && profile === undefined) {
        log(`ACME: the directory offers the profiles ${Object.keys(profiles).join(', ')} but not ${ACME_PROFILE}; ordering with its default.`);
    }
    await step('register or find the account', () => findOrCreateAccount(client));
    log(`ACME: account ${client.getAccountUrl()}.`);
    const order = await step('create the order', () => client.createOrder({
        identifiers: request.names.map(value => ({ type: 'dns', value })),
        ...(profile === undefined ? {} : { profile })
    }));
    const authorizations = await step('read the authorisations', () => client.getAuthorizations(order));
    // Every pending authorisation's dns-01 answer; the wildcard and the apex share one TXT name.
    const pending = [];
    for (const authz of authorizations) {
        if (authz.status === 'valid')
            continue;
        const challenge = authz.challenges.find(c => c.type === 'dns-01');
        if (challenge === undefined) {
            throw new AcmeError(`ACME (${request.directoryUrl}): the CA offers no dns-01 challenge for ${authz.identifier.value} (offered: ${authz.challenges.map(c => c.type).join(', ')})`);
        }
        const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
        // For dns-01, acme-client returns the TXT value (base64url SHA-256 of the key authorisation).
        request.onSecret(keyAuthorization);
        pending.push({ challenge, name: challengeName(authz.identifier.value), value: keyAuthorization });
    }
    const byName = new Map();
    for (const p of pending)
        byName.set(p.name, [...(byName.get(p.name) ?? []), p.value]);
    try {
        for (const [name, values] of byName) {
            log(`ACME: publishing ${values.length} TXT value(s) at ${name}.`);
            await request.dns.publish(name, values);
        }
        for (const p of pending)
            await step('answer the dns-01 challenge', () => client.completeChallenge(p.challenge));
        for (const p of pending) {
            await step(`have the dns-01 challenge at ${p.name} validated`, () => client.waitForValidStatus(p.challenge));
        }
    }
    finally {
        for (const [name, values] of byName)
            await request.dns.remove(name, values);
    }
    const [keyPem, csr] = await acme.crypto.createCsr({ commonName: request.commonName, altNames: [...request.names] }, await acme.crypto.createPrivateRsaKey(2048));
    const finalized = await step('finalize the order', () => client.finalizeOrder(order, csr));
    const bundle = await step('download the certificate', () => client.getCertificate(finalized));
    const chainPem = acme.crypto.splitPemChain(bundle);
    log(`ACME: issued, ${chainPem.length} certificate(s) in the chain.`);
    return { chainPem, keyPem: keyPem.toString() };
}
/**
 * The account of the key: looked up first (onlyReturnExisting, RFC 8555 §7.3.1), created only when
 * the CA has none. Not createAccount({termsOfServiceAgreed}) alone: for a key that already has an
 * account, acme-client follows the 200 with an account update carrying only that field, which
 * Pebble (and RFC 8555's reading of an update) refuses, so every run after the first would fail.
 */
async function findOrCreateAccount(client) {
    try {
        await client.createAccount({ onlyReturnExisting: true });
    }
    catch {
        // accountDoesNotExist, worded differently by each CA (acme-client keeps only the detail); any
        // other failure of the lookup shows again, and is reported, when the account is created.
        await client.createAccount({ termsOfServiceAgreed: true });
    }
}
/** What an acme-client or CA error says, in one line (the CA's problem detail is outside text). */
function errorText(error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/\s+/g, ' ').trim().slice(0, 500);
}

// EXTERNAL MODULE: ../node_modules/@azure/arm-domainservices/dist/index.js
var dist = __webpack_require__(28264);
// EXTERNAL MODULE: ./adapters/entra-ds.js + 1 modules
var entra_ds = __webpack_require__(29607);
;// CONCATENATED MODULE: ./adapters/entra-ds-update.js
// The one write to a Microsoft Entra Domain Services managed domain: a new secure LDAP
// certificate (PATCH ldapsSettings, api-version 2022-12-01, a long-running operation). Signs in,
// bounds requests and translates ARM's errors through the same session as the reader
// (adapters/entra-ds.ts, adapters/azure/arm.ts). One attempt per run: the SDK's retries cover transport
// faults and 429/5xx of each request, but a PATCH that the service accepted and then failed is
// never sent again (the old certificate stays; the next scheduled run tries again).


/** The api-version of the PATCH (latest stable; the SDK's default 2021-05-01 has the same ldapsSettings). */
const ENTRA_UPDATE_API_VERSION = '2022-12-01';
/** Built-in role that may write the managed domain (Microsoft.AAD/domainServices/write). */
const ENTRA_WRITE_ROLE = 'Domain Services Contributor';
/** Why the upload failed; `timedOut` when the bound ran out with the operation still running. */
class EntraUpdateError extends Error {
    statusCode;
    timedOut;
    constructor(message, statusCode, timedOut, options) {
        super(message, options);
        this.name = 'EntraUpdateError';
        this.statusCode = statusCode;
        this.timedOut = timedOut;
    }
}
function createEntraWriter(settings, options = {}) {
    const { session } = (0,entra_ds/* openManagedDomainClient */.ZE)(settings, options);
    // The ldapsSettings model is the same in 2021-05-01 (the SDK's default); the PATCH goes out with
    // the latest stable version, as the ARM reference documents it (a client option: setting the
    // client's apiVersion afterwards does not reach the requests).
    const domains = new dist/* DomainServicesResourceProvider */.wN(session.credential.credential, settings.azure.subscriptionId, {
        ...session.clientOptions(),
        apiVersion: ENTRA_UPDATE_API_VERSION
    });
    const stats = { writes: 0 };
    return {
        stats,
        async uploadCertificate(upload) {
            const scope = `resource group ${upload.resourceGroup} of subscription ${settings.azure.subscriptionId}`;
            const operation = {
                verb: `upload the renewed certificate to managed domain ${upload.name}`,
                scope,
                forbidden: `give the identity the ${ENTRA_WRITE_ROLE} role (Microsoft.AAD/domainServices/write) on the managed domain`,
                notFound: () => 'the managed domain is gone (check entra-domain-name and entra-resource-group)'
            };
            const old = 'the managed domain keeps its current certificate';
            const signal = AbortSignal.timeout(upload.timeoutMs);
            let accepted = false;
            stats.writes++;
            try {
                const poller = await domains.domainServices.beginUpdate(upload.resourceGroup, upload.name, {
                    ldapsSettings: {
                        ldaps: upload.ldaps,
                        externalAccess: upload.externalAccess,
                        pfxCertificate: upload.pfxBase64,
                        pfxCertificatePassword: upload.pfxPassword
                    }
                }, { updateIntervalInMs: upload.pollIntervalMs ?? 30_000, abortSignal: signal });
                accepted = true;
                await poller.pollUntilDone({ abortSignal: signal });
            }
            catch (error) {
                if (signal.aborted) {
                    throw new EntraUpdateError(`${session.component}: the upload of the renewed certificate to managed domain ${upload.name} did not finish within renew-timeout (${Math.round(upload.timeoutMs / 60_000)} min); it may still complete, so check the managed domain before the next run; ${old} until it does`, undefined, true, { cause: error });
                }
                const status = error.statusCode;
                if (accepted && status === undefined) {
                    // The service took the PATCH and then failed the operation (a PFX it cannot open, …).
                    throw new EntraUpdateError(`${session.component}: managed domain ${upload.name} accepted the renewed certificate, then failed the operation (${oneLine(error)}); ${old}`, undefined, false, { cause: error });
                }
                const described = session.describe(error, operation);
                throw new EntraUpdateError(`${described.message}; ${old}`, described.statusCode, false, { cause: error });
            }
            // What the managed domain now says, read back rather than taken from the operation's body.
            try {
                const now = await session.run(abortSignal => domains.domainServices.get(upload.resourceGroup, upload.name, { abortSignal }));
                const notAfter = now.ldapsSettings?.certificateNotAfter;
                return {
                    thumbprint: now.ldapsSettings?.certificateThumbprint,
                    notAfter: notAfter === undefined
                        ? undefined
                        : new Date(notAfter instanceof Date ? notAfter.getTime() : String(notAfter)),
                    provisioningState: now.provisioningState
                };
            }
            catch (error) {
                throw session.describe(error, { ...operation, verb: `read managed domain ${upload.name} after the upload` });
            }
        }
    };
}
function oneLine(error) {
    return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 400);
}

// EXTERNAL MODULE: ./steps/certificate.js + 1 modules
var steps_certificate = __webpack_require__(34315);
;// CONCATENATED MODULE: ./steps/renewal.js
// Certificate renewal (renew: acme): when the managed domain's certificate is due, order one for
// *.<managed domain> and <managed domain> with DNS-01 through the DNS provider, check it, build
// the TripleDES-SHA1 PFX, upload it to the managed domain (one attempt), and wait until the
// endpoint serves it. The decisions are core/renewal.ts and core/pfx.ts; the CA, ARM, DNS and the
// handshakes are adapters. Nothing is written to disk: the key, the PFX and its password live in
// memory only, and every secret made here is masked and handed to the redactor before use.













/** TTL of the challenge TXT values: short, since they are removed minutes later. */
const CHALLENGE_TTL_SECONDS = 60;
/** Time between handshakes while waiting for the endpoint to serve the renewed leaf. */
const SERVED_POLL_MS = 2_000;
/** Handshakes that all fail to connect before the endpoint counts as out of the runner's reach. */
const UNREACHABLE_AFTER = 3;
/** Environment variable for the upload's poll interval (ms); tests shorten ARM's 30 s. */
const UPLOAD_POLL_ENV = 'LDAPS_DNS_ACTION_RENEW_POLL_MS';
class RenewalError extends Error {
    constructor(message) {
        super(message);
        this.name = 'RenewalError';
    }
}
/**
 * The renewal decision (core/renewal.ts) with what only I/O can add: when the dates alone do not
 * make it due, the uploaded certificate is judged for trust as the certificate step would judge it
 * (chain from its AIA URLs, the same anchors), since an untrusted certificate is what renewal fixes.
 */
/** What a certificate from the CA fixes: the leaf's own name, dates, usage and key. */
const RENEWAL_FIXES = new Set(['name', 'validity', 'usage', 'strength']);
async function renewalDue(settings, stage, now) {
    const rule = settings.certificate.minDaysValid;
    const uploaded = stage.uploadedCertificate();
    const notBefore = uploaded.ok ? uploaded.certificate.notBefore : undefined;
    const byDate = isRenewalDue(stage.facts, now, rule, { notBefore });
    if (byDate.due || !uploaded.ok)
        return byDate;
    const judged = await (0,steps_certificate.judgeUploadedCertificate)({ ...settings, ldapBind: undefined }, { leaf: uploaded.certificate, owner: stage.description, reason: 'judged to decide whether renewal is due' }, () => now);
    const problems = (judged.part.certificate?.problems ?? []).filter(p => {
        if (RENEWAL_FIXES.has(p.rule))
            return true;
        // A trust failure counts only where it is the certificate's own (self-signed, or no issuer
        // URL to build its chain from): a failed AIA fetch must not order a certificate every run.
        return p.rule === 'trust' && (uploaded.certificate.selfSigned || uploaded.certificate.caIssuersUrls.length === 0);
    });
    if (problems.length === 0)
        return byDate;
    return isRenewalDue(stage.facts, now, rule, { notBefore, untrusted: problems.map(p => p.message).join('; ') });
}
async function renewCertificate(context) {
    const { settings, renewal, stage, provider } = context;
    const now = context.now ?? (() => new Date());
    const facts = stage.facts;
    const previous = {
        thumbprint: facts.certificateThumbprint?.toUpperCase(),
        notAfter: facts.certificateNotAfter?.toISOString()
    };
    const base = { directory: renewal.directoryUrl, previous, armWrites: 0 };
    const due = await renewalDue(settings, stage, now());
    if (!due.due) {
        github/* info */.pq(`Renewal not due: ${due.reason}.`);
        return (0,report/* succeeded */.gq)({ part: { renewal: { ...base, state: 'not-due', reason: due.reason } }, findings: [] });
    }
    github/* info */.pq(`Renewal due: ${due.reason}.`);
    const findings = [];
    let stageReached = 'order';
    let armWrites = 0;
    // Where it stopped, and what it found on the way (a challenge value left behind), before the error.
    const stopped = (error) => (0,report/* failed */.gz)(error, {
        part: { renewal: { ...base, armWrites, state: 'failed', reason: due.reason, stage: stageReached } },
        findings
    });
    try {
        if (provider === undefined) {
            throw new RenewalError(settings.provider.kind === 'none'
                ? 'Renewal: renew acme answers the DNS-01 challenge through the DNS provider, and provider is none; set provider (and its inputs) for the zone of the managed domain'
                : 'Renewal: the DNS provider could not be set up (see the DNS plan error), so the DNS-01 challenge cannot be answered; nothing was ordered');
        }
        const { commonName, names } = renewalNames(facts.domainName);
        const zoneHint = settings.zone !== undefined && (0,core_names/* isInZone */.eI)(facts.domainName, settings.zone) ? settings.zone : undefined;
        const zone = await provider.findZone(facts.domainName, zoneHint);
        const dns = challengeDns(provider, zone, settings, findings);
        const issued = await orderCertificate({
            directoryUrl: renewal.directoryUrl,
            accountKeyPem: renewal.accountKeyPem,
            eab: renewal.eab,
            commonName,
            names,
            dns,
            log: line => github/* info */.pq(line),
            onSecret: hide
        });
        hide(issued.keyPem);
        stageReached = 'checks';
        const checked = checkUploadable(issued, settings.domain, now());
        if (!checked.ok) {
            throw new RenewalError(`Renewal: the issued certificate is not uploaded: ${checked.problems.join('; ')}; the managed domain keeps its current certificate`);
        }
        const leaf = checked.certificate;
        const password = (0,external_node_crypto_.randomBytes)(24).toString('base64url');
        hide(password);
        const pfx = buildPfx(issued.keyPem, issued.chainPem, password);
        hide(pfx);
        assertPfx(pfx, password, issued.chainPem);
        stageReached = 'upload';
        const writer = context.writer ??
            createEntraWriter(settings.entra, {
                ...context.azure,
                env: context.env,
                totalBudgetMs: renewal.timeoutMinutes * 60_000
            });
        const deadline = Date.now() + renewal.timeoutMinutes * 60_000;
        github/* info */.pq(`Uploading the renewed certificate ${leaf.thumbprint} (expires ${leaf.notAfter.toISOString()}) to managed domain ${facts.domainName}.`);
        armWrites = 1;
        const uploaded = await writer.uploadCertificate({
            resourceGroup: facts.resourceGroup,
            name: facts.name,
            ldaps: facts.ldaps ?? 'Enabled',
            externalAccess: facts.externalAccess ?? 'Enabled',
            pfxBase64: pfx,
            pfxPassword: password,
            timeoutMs: renewal.timeoutMinutes * 60_000,
            pollIntervalMs: pollInterval(context.env)
        });
        if (!sameThumbprint(uploaded.thumbprint, leaf.thumbprint)) {
            throw new RenewalError(`Renewal: managed domain ${facts.domainName} reports certificate thumbprint ${uploaded.thumbprint ?? '(none)'} after the upload (provisioningState ${uploaded.provisioningState ?? '?'}), not the renewed ${leaf.thumbprint}; the upload did not take effect`);
        }
        const renewed = {
            thumbprint: leaf.thumbprint,
            notAfter: (uploaded.notAfter ?? leaf.notAfter).toISOString(),
            subject: leaf.subject
        };
        const entra = stage.renewed({
            thumbprint: leaf.thumbprint,
            notAfter: uploaded.notAfter ?? leaf.notAfter,
            publicCertificate: new external_node_crypto_.X509Certificate(issued.chainPem[0]).raw.toString('base64')
        }).entra;
        stageReached = 'served';
        const served = await waitUntilServed(settings, leaf.thumbprint, deadline, findings);
        if (served !== undefined && served.inARow < served.needed) {
            findings.push({
                step: 'renewal',
                severity: 'error',
                code: 'renewal-not-served',
                title: 'Renewed certificate not served',
                message: `Renewal: the managed domain took the renewed certificate ${leaf.thumbprint}, but ${settings.domain}:${settings.certificate.port} at ${settings.certificate.connectTo} did not serve it in ${served.needed} handshakes in a row before renew-timeout (${served.inARow} at the end, ${served.handshakes} handshakes)`
            });
        }
        return (0,report/* succeeded */.gq)({
            part: {
                renewal: {
                    ...base,
                    armWrites,
                    state: 'renewed',
                    reason: due.reason,
                    renewed,
                    ...(served === undefined ? {} : { served })
                },
                entra
            },
            findings
        });
    }
    catch (error) {
        return stopped(error);
    }
}
/** Masks a secret made in this run in the log and hands it to the redactor of every sink. */
function hide(value) {
    github/* addSecrets */.Nc(value);
}
/** The PFX read back before it leaves: the password opens it, the key and the whole chain are in it, TripleDES-SHA1. */
function assertPfx(pfx, password, chainPem) {
    const contents = readPfx(pfx, password);
    const wanted = chainPem.map(pem => Buffer.from(new external_node_crypto_.X509Certificate(pem).raw));
    const problems = [];
    if (!contents.hasKey)
        problems.push('it holds no private key');
    if (wanted.some(der => !contents.certificatesDer.some(c => c.equals(der))))
        problems.push('a certificate of the chain is missing');
    if (contents.keyBagAlgorithms.length === 0 || contents.keyBagAlgorithms.some(a => a !== PBE_SHA1_3DES)) {
        problems.push(`its key is not encrypted with TripleDES-SHA1 (${contents.keyBagAlgorithms.join(', ') || 'none'})`);
    }
    if (problems.length > 0)
        throw new RenewalError(`Renewal: the PFX built for upload is wrong: ${problems.join('; ')}`);
}
function pollInterval(env) {
    const value = Number(env[UPLOAD_POLL_ENV]);
    return Number.isInteger(value) && value > 0 ? value : undefined;
}
/**
 * DNS-01 through the provider: each value added on its own (other values at the name stay), then
 * every authoritative nameserver asked directly until it serves them all; removal one value at a
 * time, a failure reported as a warning (a stale value is harmless, but piles up).
 */
function challengeDns(provider, zone, settings, findings) {
    return {
        async publish(name, values) {
            for (const value of values)
                await provider.txt.addTxtValue(zone, name, value, CHALLENGE_TTL_SECONDS);
            await waitForTxt(name, values, zone, settings);
        },
        async remove(name, values) {
            for (const value of values) {
                try {
                    await provider.txt.removeTxtValue(zone, name, value);
                }
                catch (error) {
                    findings.push({
                        step: 'renewal',
                        severity: 'warning',
                        code: 'renewal-challenge-not-removed',
                        title: 'Challenge TXT value not removed',
                        message: `Renewal: could not remove a challenge value at ${name} through ${provider.displayName} (${error.message}); remove stale _acme-challenge values by hand`
                    });
                }
            }
            github/* info */.pq(`ACME: removed the challenge value(s) at ${name}.`);
        }
    };
}
/** Polls every authoritative nameserver address of the zone until each serves every value, within propagation-timeout. */
async function waitForTxt(name, values, zone, settings) {
    const options = settings.propagation;
    const resolvers = options.resolvers.length > 0 ? options.resolvers : (0,dns_client/* systemResolvers */.Te)();
    const timeoutMs = 1500;
    // propagation-timeout bounds finding the nameservers and the wait together, as for the record.
    const now = () => performance.now();
    const start = now();
    const deadline = start + options.timeoutSeconds * 1000;
    const servers = await (0,nameservers/* findAuthoritativeServers */.Bd)({
        ...{ domain: name, zone: zone.name, listed: options.nameservers, resolvers, timeoutMs },
        ...{ now, deadline, timeoutSeconds: options.timeoutSeconds }
    });
    const phase = Math.random();
    let waiting = [...servers.targets];
    for (;;) {
        const answers = await Promise.all(waiting.map(async (target) => {
            try {
                const response = await (0,dns_client/* queryDns */.eT)(target.server, name, 'TXT', { timeoutMs });
                const found = response.answers
                    .filter(a => a.type === 'TXT' && a.name === name.toLowerCase())
                    .map(a => txtText(a.data));
                return response.authoritative && txtServesAll(found, values);
            }
            catch {
                return false;
            }
        }));
        waiting = waiting.filter((_, i) => !answers[i]);
        if (waiting.length === 0)
            break;
        const elapsed = performance.now() - start;
        const next = (0,propagation/* nextPollAt */.mQ)(elapsed, phase);
        if (start + next > deadline) {
            throw new RenewalError(`Renewal: the challenge TXT at ${name} did not reach ${waiting.map(t => `${t.nameserver} (${(0,dns_client/* formatServer */.xu)(t.server)})`).join(', ')} within propagation-timeout (${options.timeoutSeconds} s); the challenge was not answered`);
        }
        await new Promise(resolve => setTimeout(resolve, next - elapsed));
    }
    github/* info */.pq(`ACME: every authoritative nameserver of ${servers.zone ?? zone.name} serves the challenge at ${name} after ${((performance.now() - start) / 1000).toFixed(2)} s.`);
}
/** A TXT record's character-strings joined (dns-packet gives a Buffer or an array of them). */
function txtText(data) {
    const parts = Array.isArray(data) ? data : [data];
    return parts.map(p => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
}
/**
 * Handshakes until SERVED_MATCHES_IN_A_ROW in a row show the renewed leaf, or the deadline.
 * Undefined when the endpoint cannot be reached from the runner (then a notice says so and the
 * managed domain's own answer stands).
 */
async function waitUntilServed(settings, thumbprint, deadline, findings) {
    const { certificate } = settings;
    if (!certificate.verify) {
        github/* info */.pq('verify-certificate is false: the endpoint is not watched for the renewed certificate.');
        return undefined;
    }
    let inARow = 0;
    let handshakes = 0;
    let reached = false;
    let lastError = '';
    while (inARow < SERVED_MATCHES_IN_A_ROW) {
        handshakes++;
        try {
            const result = await (0,tls_probe/* probeTls */.SL)({
                protocol: certificate.protocol,
                connectTo: certificate.connectTo,
                port: certificate.port,
                peer: settings.domain,
                trustAnchorsPem: certificate.trustAnchorsPem,
                readRootDse: false,
                timeouts: { connectMs: 5_000, handshakeMs: 10_000, startTlsMs: 5_000 }
            });
            reached = true;
            const leaf = result.served[0];
            const sha1 = leaf === undefined ? undefined : new external_node_crypto_.X509Certificate(leaf).fingerprint;
            inARow = countServedMatch(inARow, sha1, thumbprint);
        }
        catch (error) {
            inARow = 0;
            lastError = error.message;
        }
        if (inARow >= SERVED_MATCHES_IN_A_ROW)
            break;
        // Not once reachable in the first handshakes: the runner cannot see the endpoint; stop here.
        if (!reached && handshakes >= UNREACHABLE_AFTER)
            break;
        if (Date.now() + SERVED_POLL_MS > deadline)
            break;
        await new Promise(resolve => setTimeout(resolve, SERVED_POLL_MS));
    }
    if (!reached) {
        findings.push({
            step: 'renewal',
            severity: 'notice',
            code: 'renewal-endpoint-unreachable',
            title: 'Endpoint not reachable for the renewal check',
            message: `Renewal: ${settings.domain}:${certificate.port} at ${certificate.connectTo} could not be reached from the runner (${lastError}); the managed domain's own thumbprint confirms the upload`
        });
        return undefined;
    }
    github/* info */.pq(`${settings.domain}: ${inARow} handshakes in a row showed the renewed certificate (${handshakes} in all).`);
    return { inARow, needed: SERVED_MATCHES_IN_A_ROW, handshakes };
}


/***/ })

};
