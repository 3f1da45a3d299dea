export const id = 315;
export const ids = [315];
export const modules = {

/***/ 9636:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B2: () => (/* binding */ ProbeError),
/* harmony export */   SL: () => (/* binding */ probeTls)
/* harmony export */ });
/* unused harmony exports DEFAULT_TIMEOUTS, MAX_LDAP_ANSWER_BYTES, parseCertificateMessage */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77030);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(41692);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(57075);
/* harmony import */ var ldapts__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(47277);
// The TLS/LDAP probe: connect to an address (never a resolved name), speak LDAPS, StartTLS or
// plain implicit TLS with SNI set to the name clients use, and bring back what a verdict needs:
// the chain exactly as the server sent it, the negotiated version and cipher, Node's own
// verification result, and (for LDAP) the root DSE.
//
// Why the handshake runs with rejectUnauthorized: false. The probe must see the certificates of
// a server that is NOT trusted, to say why. Nothing is sent over that connection except an
// anonymous root DSE search (no credentials, no data of the user's), and the verdict is never
// taken from "the handshake completed": it requires our evaluator to pass AND Node's own result
// for the same handshake (`authorized`, with ca = bundled roots + ca-certificate, plus
// tls.checkServerIdentity for the name) to be positive. So the verdict can only be stricter
// than Node's verification, never more lenient.
//
// Why the chain comes from the handshake bytes. `getPeerCertificate(true)` completes the chain
// from the local trust store, so a server that omits its intermediate looks fine when the
// intermediate happens to be known locally. With TLS 1.2 the Certificate message travels in the
// clear, so the probe reads it off the wire (a tee between socket and TLS); when the main
// connection negotiated TLS 1.3 a second connection limited to TLS 1.2 captures it, and for a
// TLS 1.3-only server the chain is taken from a connection with an empty trust store (nothing to
// complete it from), which loses only certificates that chain to nothing.
//
// The optional authenticated bind (ldap-bind-dn) runs on the SAME connection whose handshake was
// just judged, never on a new one. Why not reconnect with the verified chain pinned: a second
// handshake may meet another certificate (a server with RSA and ECDSA keys, a load balancer in
// front of two domain controllers), and a pin checked after the handshake still leaves a window
// in which a client library could write first. Keeping the connection open instead means: with
// `holdForBind` the probe hands back an LdapChannel after reading the root DSE (anonymously, no
// credentials) and does not close the connection; the certificate step computes the verdict;
// only then can it call channel.bindAndSearch, which refuses (throws, sending nothing) unless the
// verdict it is given is trusted AND judged the very leaf this socket's handshake presented. The
// socket hooks given to ldapts work once, so ldapts cannot silently reconnect and replay the bind
// over an unjudged connection. An untrusted verdict never reaches bindAndSearch: the channel is
// closed unused, and the credentials are never written to any socket.
//
// ldapts does the LDAP side (StartTLS extended operation, root DSE search); its
// createConnection/createSecureConnection hooks hand it sockets this probe opened itself, so each
// phase has its own time limit and the TLS socket stays inspectable.





const DEFAULT_TIMEOUTS = {
    connectMs: 10_000,
    startTlsMs: 10_000,
    handshakeMs: 15_000,
    ldapMs: 15_000
};
class ProbeError extends Error {
    phase;
    /**
     * The connection got no answer (a filtering firewall drops the SYN) or was refused: nothing
     * at that address answered on the port, as opposed to a server that answered wrongly.
     */
    unanswered;
    constructor(phase, message, unanswered = false) {
        super(message);
        this.name = 'ProbeError';
        this.phase = phase;
        this.unanswered = unanswered;
    }
}
async function probeTls(options) {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const ca = [...(options.rootsPem ?? node_tls__WEBPACK_IMPORTED_MODULE_2__.rootCertificates), ...options.trustAnchorsPem];
    const main = await openSession(options, timeouts, { ca });
    let handedOver = false;
    try {
        const socket = main.tls;
        const peerCertificate = socket.getPeerCertificate();
        const identity = node_tls__WEBPACK_IMPORTED_MODULE_2__.checkServerIdentity(options.peer, peerCertificate);
        const authorizationError = socket.authorizationError;
        // A name mismatch also lands in authorizationError once the chain is fine; the identity
        // result is kept separately, so `authorized` here is about the chain.
        const chainAuthorized = socket.authorized || (identity !== undefined && errorCode(authorizationError) === errorCode(identity));
        const node = {
            authorized: chainAuthorized,
            error: chainAuthorized ? undefined : errorCode(authorizationError),
            identityError: identity?.message
        };
        const tlsVersion = socket.getProtocol() ?? 'unknown';
        const cipher = socket.getCipher().standardName ?? socket.getCipher().name;
        let served = main.captured();
        let servedFrom = 'handshake';
        let ldap;
        let ldapError;
        if (main.client !== undefined && options.readRootDse !== false) {
            try {
                ldap = await readRootDse(main.client, main.tls, options, timeouts);
            }
            catch (error) {
                ldapError = error instanceof Error ? error.message : String(error);
            }
        }
        const mainLeaf = Buffer.from(peerCertificate.raw);
        const channel = options.holdForBind === true && main.client !== undefined && ldap !== undefined
            ? holdChannel(main, mainLeaf, timeouts)
            : undefined;
        if (channel === undefined)
            await main.close();
        // Later connections must have met the same leaf that Node verified (a server with RSA and
        // ECDSA certificates may choose differently for TLS 1.2); otherwise the verdict would judge
        // another certificate than the one verified.
        const sameLeaf = (chain) => chain?.[0]?.equals(mainLeaf) === true;
        if (!sameLeaf(served)) {
            served = await captureServedChain(options, timeouts);
            if (!sameLeaf(served)) {
                servedFrom = 'linked';
                served = await linkedChain(options, timeouts);
                if (!sameLeaf(served))
                    served = [mainLeaf];
            }
        }
        handedOver = channel !== undefined;
        return { tlsVersion, cipher, served, servedFrom, node, ldap, ldapError, channel };
    }
    finally {
        if (!handedOver)
            await main.close();
    }
}
function holdChannel(main, leaf, timeouts) {
    const leafSha256 = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(leaf).digest('hex');
    let used = false;
    return {
        leafSha256,
        close: () => main.close(),
        async bindAndSearch(verdict, request) {
            // The guard of the whole design: nothing below runs for an untrusted or foreign verdict.
            if (verdict.trusted !== true)
                throw new Error('LDAP bind refused: the certificate verdict is not trusted');
            if (verdict.served[0]?.sha256 !== leafSha256) {
                throw new Error('LDAP bind refused: the verdict is about another certificate than this connection presented');
            }
            const client = main.client;
            const socket = main.tls;
            if (client === undefined || socket.destroyed || !socket.encrypted) {
                return {
                    bind: { resultCode: undefined, diagnosticMessage: 'the verified connection was closed before the bind' }
                };
            }
            if (used)
                throw new Error('LDAP bind: the channel binds once');
            used = true;
            const limit = limitBytes(socket, MAX_LDAP_ANSWER_BYTES, () => new Error(`the server's answer is larger than ${MAX_LDAP_ANSWER_BYTES} bytes; the probe stopped reading it (a bind response is a few hundred)`));
            try {
                const bind = await ldapAnswer(Promise.race([client.bind(request.dn, request.password), limit.exceeded]), timeouts.ldapMs, `no answer to the bind within ${seconds(timeouts.ldapMs)}`);
                if (bind.resultCode !== 0)
                    return { bind };
                let entries = 0;
                const search = await ldapAnswer(Promise.race([
                    client
                        .search(request.searchBase, {
                        scope: 'base',
                        filter: request.searchFilter,
                        sizeLimit: 1,
                        attributes: ['1.1'],
                        timeLimit: Math.ceil(timeouts.ldapMs / 1000)
                    })
                        .then(result => {
                        entries = result.searchEntries.length;
                    }),
                    limit.exceeded
                ]), timeouts.ldapMs, `no answer to the search within ${seconds(timeouts.ldapMs)}`);
                return { bind, search: { answer: search, entries } };
            }
            finally {
                limit.stop();
            }
        }
    };
}
/** An ldapts operation as an LDAP answer: its result code and diagnostic message, or why none came. */
async function ldapAnswer(work, ms, timeoutText) {
    try {
        await withTimeout(work, ms, () => new Error(timeoutText));
        return { resultCode: 0, diagnosticMessage: '' };
    }
    catch (error) {
        const code = error.code;
        const message = error instanceof Error ? error.message : String(error);
        if (typeof code === 'number') {
            // ldapts appends " Code: 0x31" to the server's diagnosticMessage (a class default when
            // the server sent none at all); the code is kept apart, so the suffix goes.
            return { resultCode: code, diagnosticMessage: message.replace(/\s*Code: 0x[0-9a-f]+$/i, '') };
        }
        return { resultCode: undefined, diagnosticMessage: message.split('\n')[0] };
    }
}
/** A second connection limited to TLS 1.2, where the Certificate message is readable. */
async function captureServedChain(options, timeouts) {
    let session;
    try {
        session = await openSession(options, timeouts, { ca: [], maxVersion: 'TLSv1.2' });
        return session.captured();
    }
    catch {
        return undefined;
    }
    finally {
        await session?.close();
    }
}
/** TLS 1.3 only: the chain as OpenSSL links it with nothing in the trust store to add. */
async function linkedChain(options, timeouts) {
    const session = await openSession(options, timeouts, { ca: [] });
    try {
        const chain = [];
        let current = session.tls.getPeerCertificate(true);
        const seen = new Set();
        while (current?.raw !== undefined && !seen.has(current.fingerprint256)) {
            seen.add(current.fingerprint256);
            chain.push(Buffer.from(current.raw));
            current = current.issuerCertificate;
        }
        return chain;
    }
    finally {
        await session.close();
    }
}
async function openSession(options, timeouts, tlsOptions) {
    const target = `${options.connectTo.includes(':') ? `[${options.connectTo}]` : options.connectTo}:${options.port}`;
    const fail = (phase, detail, unanswered = false) => new ProbeError(phase, `TLS probe (${options.protocol}) of ${target} for ${options.peer}: ${phase} ${detail}`, unanswered);
    const raw = node_net__WEBPACK_IMPORTED_MODULE_1__.connect({ host: options.connectTo, port: options.port });
    await withTimeout(new Promise((resolve, reject) => {
        raw.once('connect', () => {
            raw.removeListener('error', reject);
            resolve();
        });
        raw.once('error', reject);
    }), timeouts.connectMs, () => fail('connect', `got no answer within ${seconds(timeouts.connectMs)} (is the port filtered?)`, true), error => fail('connect', `failed: ${describeSocketError(error)}`, error?.code === 'ECONNREFUSED')).catch((error) => {
        raw.destroy();
        throw error;
    });
    let wire;
    let client;
    let secure;
    let markHandshakeStarted = () => undefined;
    const handshakeStarted = new Promise(resolve => (markHandshakeStarted = resolve));
    const handshake = () => {
        // Attached only now: plain LDAP bytes before StartTLS must not reach the TLS layer.
        wire = new WireTap(raw);
        markHandshakeStarted();
        return node_tls__WEBPACK_IMPORTED_MODULE_2__.connect({
            socket: wire,
            ...(node_net__WEBPACK_IMPORTED_MODULE_1__.isIP(options.peer) === 0 ? { servername: options.peer } : {}),
            host: options.peer,
            ...tlsOptions,
            // Only to see untrusted chains; the verdict requires `authorized` (see the file header).
            rejectUnauthorized: false
        });
    };
    const close = async () => {
        const c = client;
        client = undefined;
        if (c !== undefined)
            await withTimeout(c.unbind().catch(() => undefined), 2_000, () => new Error('unbind')).catch(() => undefined);
        secure?.destroy();
        raw.destroy();
    };
    try {
        if (options.protocol === 'starttls') {
            client = new ldapts__WEBPACK_IMPORTED_MODULE_4__/* .Client */ .Kj({
                url: `ldap://${target}`,
                timeout: timeouts.startTlsMs + timeouts.handshakeMs + timeouts.ldapMs,
                createConnection: once('TCP', () => raw),
                createSecureConnection: once('TLS', () => {
                    secure = handshake();
                    return secure;
                })
            });
            const upgrade = client.startTLS({});
            upgrade.catch(() => undefined);
            // ldapts waits for the StartTLS response, then calls createSecureConnection: that call
            // ends the StartTLS phase and starts the handshake phase.
            await withTimeout(Promise.race([handshakeStarted, upgrade]), timeouts.startTlsMs, () => fail('StartTLS', `got no response to the StartTLS request within ${seconds(timeouts.startTlsMs)}`), error => typeof error.code === 'number'
                ? fail('StartTLS', `was refused: ${describeLdapError(error)}`)
                : fail('StartTLS', `failed: ${describeLdapError(error)} (if this port speaks TLS from the first byte, use protocol ldaps)`));
            await withTimeout(upgrade, timeouts.handshakeMs, () => fail('TLS handshake', `did not complete within ${seconds(timeouts.handshakeMs)} after StartTLS`), error => fail('TLS handshake', `failed after StartTLS: ${describeSocketError(error, wire)}`));
        }
        else {
            secure = handshake();
            const s = secure;
            await withTimeout(new Promise((resolve, reject) => {
                s.once('secureConnect', () => resolve());
                s.once('error', reject);
                s.once('close', () => reject(new Error('the server closed the connection')));
            }), timeouts.handshakeMs, () => fail('TLS handshake', `did not complete within ${seconds(timeouts.handshakeMs)} (the server accepted TCP but did not answer the ClientHello${options.protocol === 'ldaps' ? '; is this a plain LDAP port? try protocol starttls' : ''})`), error => fail('TLS handshake', `failed: ${describeSocketError(error, wire)}${options.protocol === 'ldaps' ? ' (if this port speaks plain LDAP, use protocol starttls)' : ''}`));
            if (options.protocol === 'ldaps') {
                const ready = s;
                client = new ldapts__WEBPACK_IMPORTED_MODULE_4__/* .Client */ .Kj({
                    url: `ldaps://${target}`,
                    timeout: timeouts.ldapMs + 1_000,
                    createSecureConnection: once('TLS', () => ready)
                });
            }
        }
    }
    catch (error) {
        await close();
        throw error;
    }
    const established = secure;
    established.on('error', () => undefined);
    return {
        tls: established,
        get client() {
            return client;
        },
        captured: () => wire?.certificates(),
        close
    };
}
/**
 * A socket hook for ldapts that works once: ldapts reconnects through its hooks when a connection
 * drops, and a reconnect would be a connection nobody judged (see the file header).
 */
function once(what, make) {
    let made = false;
    return () => {
        if (made)
            throw new Error(`the probe's ${what} connection was closed; it is not reopened`);
        made = true;
        return make();
    };
}
/**
 * Bytes of LDAP answer read for the root DSE, and for the bind with its search, before the probe
 * stops reading. The three root DSE attributes asked for take well under 1 KB on Active
 * Directory, its whole root DSE (a server may send every attribute) about 10 KB, a bind response
 * and a base search for no attributes a few hundred bytes; 64 KiB leaves room. ldapts buffers a
 * message until it is complete, so without a bound a server could make the probe hold (and
 * report) megabytes.
 */
const MAX_LDAP_ANSWER_BYTES = 64 * 1024;
/**
 * Counts what arrives on `socket` (the decrypted LDAP stream ldapts reads) from now on; past
 * `maxBytes` it closes the connection and `exceeded` rejects with `error()`.
 */
function limitBytes(socket, maxBytes, error) {
    let received = 0;
    let reject = () => undefined;
    const exceeded = new Promise((_, r) => (reject = r));
    exceeded.catch(() => undefined);
    const onData = (chunk) => {
        received += chunk.length;
        if (received <= maxBytes)
            return;
        socket.off('data', onData);
        reject(error());
        socket.destroy();
    };
    socket.on('data', onData);
    return { exceeded, stop: () => socket.off('data', onData) };
}
async function readRootDse(client, socket, options, timeouts) {
    const limit = limitBytes(socket, MAX_LDAP_ANSWER_BYTES, () => new ProbeError('LDAP root DSE read', `TLS probe (${options.protocol}) of ${options.connectTo}:${options.port}: the LDAP root DSE answer is larger than ${MAX_LDAP_ANSWER_BYTES} bytes; the probe stopped reading it (a root DSE is a few KB)`));
    const result = await withTimeout(Promise.race([
        client.search('', {
            scope: 'base',
            filter: '(objectClass=*)',
            attributes: ['namingContexts', 'supportedLDAPVersion', 'defaultNamingContext'],
            timeLimit: Math.ceil(timeouts.ldapMs / 1000)
        }),
        limit.exceeded
    ]), timeouts.ldapMs, () => new ProbeError('LDAP root DSE read', `TLS probe (${options.protocol}) of ${options.connectTo}:${options.port}: the LDAP root DSE read got no answer within ${seconds(timeouts.ldapMs)} (TLS works, but no LDAP server answers behind it)`), error => new ProbeError('LDAP root DSE read', `TLS probe (${options.protocol}) of ${options.connectTo}:${options.port}: the LDAP root DSE read failed: ${describeLdapError(error)}`)).finally(() => limit.stop());
    const entry = result.searchEntries[0];
    const values = (name) => {
        const v = entry?.[name];
        if (v === undefined)
            return [];
        return (Array.isArray(v) ? v : [v]).map(x => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
    };
    const defaultNamingContext = values('defaultNamingContext')[0];
    return {
        namingContexts: values('namingContexts'),
        supportedLDAPVersion: values('supportedLDAPVersion'),
        ...(defaultNamingContext === undefined ? {} : { defaultNamingContext })
    };
}
/** Rejects with `onTimeout()` after `ms`, or with `onError(e)` when `work` fails. */
async function withTimeout(work, ms, onTimeout, onError = error => (error instanceof Error ? error : new Error(String(error)))) {
    let timer;
    try {
        return await Promise.race([
            work.catch((error) => {
                throw error instanceof ProbeError ? error : onError(error);
            }),
            new Promise((_, reject) => {
                timer = setTimeout(() => reject(onTimeout()), ms);
            })
        ]);
    }
    finally {
        clearTimeout(timer);
    }
}
function seconds(ms) {
    return `${Math.round(ms / 100) / 10} s`;
}
function errorCode(error) {
    if (error === null || error === undefined)
        return undefined;
    if (typeof error === 'string')
        return error;
    return error.code ?? error.message;
}
// OpenSSL's answer to bytes that do not parse as a TLS record (an HTTP or plain-text server).
const NOT_TLS_CODES = new Set([
    'ERR_SSL_WRONG_VERSION_NUMBER',
    'ERR_SSL_PACKET_LENGTH_TOO_LONG',
    'ERR_SSL_HTTP_REQUEST'
]);
function describeSocketError(error, wire) {
    const e = error;
    if (e?.code !== undefined && NOT_TLS_CODES.has(e.code)) {
        const sent = wire?.preview();
        return `the server answered with bytes that are not TLS${sent ? ` (it sent ${sent})` : ''} (${e.code})`;
    }
    switch (e?.code) {
        case 'ECONNREFUSED':
            return 'connection refused (nothing listens on that port)';
        case 'ECONNRESET':
            return 'the server reset the connection (ECONNRESET)';
        case 'EHOSTUNREACH':
            return 'host unreachable (EHOSTUNREACH)';
        case 'ENETUNREACH':
            return 'network unreachable (ENETUNREACH)';
        default:
            return e instanceof Error ? (e.code !== undefined ? `${e.message} (${e.code})` : e.message) : String(error);
    }
}
function describeLdapError(error) {
    if (!(error instanceof Error))
        return String(error);
    const code = error.code;
    return typeof code === 'number' ? `${error.message} (LDAP result code ${code})` : describeSocketError(error);
}
/**
 * A duplex between the TCP socket and TLS that keeps the server's handshake records until the
 * cipher changes, so the Certificate message of TLS 1.2 and earlier can be read as sent.
 */
class WireTap extends node_stream__WEBPACK_IMPORTED_MODULE_3__.Duplex {
    socket;
    inbound = [];
    inboundBytes = 0;
    constructor(socket) {
        super();
        this.socket = socket;
        socket.on('data', (chunk) => {
            if (this.inboundBytes < 1_000_000) {
                this.inbound.push(chunk);
                this.inboundBytes += chunk.length;
            }
            if (!this.push(chunk))
                socket.pause();
        });
        socket.on('end', () => this.push(null));
        socket.on('error', error => this.destroy(error));
        socket.on('close', () => this.destroy());
    }
    _read() {
        this.socket.resume();
    }
    _write(chunk, _encoding, callback) {
        this.socket.write(chunk, callback);
    }
    _final(callback) {
        this.socket.end(callback);
    }
    _destroy(error, callback) {
        this.socket.destroy();
        callback(error);
    }
    /** The first bytes the server sent, printable characters kept, for messages. */
    preview() {
        const head = Buffer.concat(this.inbound).subarray(0, 40);
        if (head.length === 0)
            return undefined;
        return JSON.stringify(head.toString('latin1').replace(/[^\x20-\x7e]/g, '.'));
    }
    /** The certificate_list of a cleartext TLS Certificate message, or undefined. */
    certificates() {
        return parseCertificateMessage(Buffer.concat(this.inbound));
    }
}
/**
 * Reads TLS records up to the first ChangeCipherSpec and returns the certificates of the
 * Certificate handshake message (type 11). The inbound bytes may start with a plain LDAP
 * StartTLS response, so the first TLS record is located by its header.
 */
function parseCertificateMessage(bytes) {
    let offset = findFirstRecord(bytes);
    if (offset < 0)
        return undefined;
    let handshake = Buffer.alloc(0);
    while (offset + 5 <= bytes.length) {
        const type = bytes[offset];
        const length = bytes.readUInt16BE(offset + 3);
        if (offset + 5 + length > bytes.length)
            break;
        if (type === 20 || type === 23)
            break; // ChangeCipherSpec / application data: encrypted from here
        if (type === 22)
            handshake = Buffer.concat([handshake, bytes.subarray(offset + 5, offset + 5 + length)]);
        offset += 5 + length;
    }
    let at = 0;
    while (at + 4 <= handshake.length) {
        const msgType = handshake[at];
        const msgLength = handshake.readUIntBE(at + 1, 3);
        if (at + 4 + msgLength > handshake.length)
            return undefined;
        if (msgType === 11) {
            const body = handshake.subarray(at + 4, at + 4 + msgLength);
            const listLength = body.readUIntBE(0, 3);
            const certificates = [];
            let p = 3;
            while (p + 3 <= 3 + listLength && p + 3 <= body.length) {
                const certLength = body.readUIntBE(p, 3);
                certificates.push(Buffer.from(body.subarray(p + 3, p + 3 + certLength)));
                p += 3 + certLength;
            }
            return certificates;
        }
        at += 4 + msgLength;
    }
    return undefined;
}
function findFirstRecord(bytes) {
    for (let i = 0; i + 5 <= bytes.length; i++) {
        // handshake record, TLS 1.0-1.2 record version, then a ServerHello (type 2)
        if (bytes[i] === 22 && bytes[i + 1] === 3 && bytes[i + 2] <= 3 && bytes[i + 5] === 2)
            return i;
    }
    return -1;
}


/***/ }),

/***/ 84910:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q6: () => (/* binding */ matchesDnsName),
/* harmony export */   Rx: () => (/* binding */ describeKey),
/* harmony export */   Xn: () => (/* binding */ evaluateCertificate)
/* harmony export */ });
/* harmony import */ var _x509_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77505);
/* harmony import */ var _renewal_window_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(47790);
// The certificate verdict: would an LDAP client trust the chain a server presented for a name?
// Pure: the served chain, trust anchors and clock come in, a verdict with one finding per problem
// comes out. The verdict is trusted only when these rules pass AND Node's own TLS verification
// (OpenSSL, given as `nodeVerification`) accepted the chain and the name: OpenSSL enforces rules
// not repeated here (name constraints, policies, signature details), and an LDAP client built on
// OpenSSL will not connect where it refuses. Our rules add what OpenSSL lets through but clients
// following RFC 6125 or the CA/Browser Forum profile reject, and say *why* in words.


const DAY_MS = 86_400_000;
const MAX_PATH_LENGTH = 10;
/** Path-building work limit, so crafted chains (cycles, many cross-signs) cannot stall the run. */
const MAX_SEARCH_STEPS = 2_000;
const MAX_PATHS = 16;
const parsedPemCache = new Map();
function parseCached(pem) {
    let parsed = parsedPemCache.get(pem);
    if (parsed === undefined) {
        try {
            parsed = (0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .parseCertificate */ .hB)(pem);
        }
        catch {
            parsed = null;
        }
        if (parsedPemCache.size > 2_000)
            parsedPemCache.clear();
        parsedPemCache.set(pem, parsed);
    }
    return parsed ?? undefined;
}
const subjectCache = new Map();
/**
 * The bundled roots that can take part in a path for `inPlay`: those whose subject is the issuer
 * of a certificate already in play, followed up through cross-signed roots. Parsing all ~120
 * bundled roots fully costs ~70 ms per run, reading their subjects ~5 ms, so roots are picked
 * by name before they are parsed; issuers are matched by name in path building anyway.
 */
function rootsNamed(rootsPem, inPlay) {
    const bySubject = new Map();
    for (const pem of rootsPem) {
        let subject = subjectCache.get(pem);
        if (subject === undefined) {
            subject = (0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .subjectLine */ .nh)(pem) ?? null;
            if (subjectCache.size > 2_000)
                subjectCache.clear();
            subjectCache.set(pem, subject);
        }
        if (subject !== null)
            bySubject.set(subject, [...(bySubject.get(subject) ?? []), pem]);
    }
    const wanted = inPlay.map(c => c.issuer);
    const asked = new Set();
    const roots = [];
    for (let name = wanted.pop(); name !== undefined; name = wanted.pop()) {
        if (asked.has(name))
            continue;
        asked.add(name);
        for (const pem of bySubject.get(name) ?? []) {
            const root = parseCached(pem);
            if (root === undefined)
                continue;
            roots.push(root);
            if (root.issuer !== root.subject)
                wanted.push(root.issuer);
        }
    }
    return roots;
}
function evaluateCertificate(input) {
    const findings = [];
    const served = [];
    for (const [position, der] of input.served.entries()) {
        try {
            served.push((0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .parseCertificate */ .hB)(der));
        }
        catch {
            findings.push({
                rule: 'structure',
                severity: 'error',
                position,
                subject: `certificate ${position}`,
                issuer: '?',
                problem: `serves a certificate at position ${position} that does not parse as X.509`
            });
        }
    }
    const leaf = served[0];
    if (leaf === undefined || findings.length > 0) {
        if (leaf === undefined && findings.length === 0) {
            findings.push({
                rule: 'trust',
                severity: 'error',
                position: undefined,
                subject: '(none)',
                issuer: '(none)',
                problem: 'sent no certificate'
            });
        }
        return { trusted: false, findings, served, path: [] };
    }
    const anchors = input.trustAnchorsPem.flatMap(pem => parseCached(pem) ?? []);
    const anchorSet = new Set(anchors.map(a => a.sha256));
    const roots = rootsNamed(input.rootsPem, [...served, ...anchors]);
    const rootSet = new Set(roots.map(r => r.sha256));
    const pool = [];
    const inPool = new Set();
    const add = (c) => {
        if (inPool.has(c.certificate.sha256))
            return;
        inPool.add(c.certificate.sha256);
        pool.push(c);
    };
    for (const a of anchors)
        add({ certificate: a, source: 'ca-certificate', position: undefined, anchor: true });
    for (const [position, c] of served.entries()) {
        if (position === 0)
            continue;
        add({
            certificate: c,
            source: 'served',
            position,
            anchor: anchorSet.has(c.sha256) || rootSet.has(c.sha256)
        });
    }
    for (const r of roots)
        add({ certificate: r, source: 'trust-store', position: undefined, anchor: true });
    const leafMember = {
        certificate: leaf,
        source: 'served',
        position: 0,
        anchor: anchorSet.has(leaf.sha256) || rootSet.has(leaf.sha256)
    };
    const search = buildPaths(leafMember, pool);
    // Choose the first path without problems; else the one with the fewest.
    let best;
    for (const path of search.paths) {
        const pathFindings = evaluatePath(path, input);
        const errors = pathFindings.filter(f => f.severity === 'error').length;
        if (best === undefined || errors < best.findings.filter(f => f.severity === 'error').length) {
            best = { path, findings: pathFindings };
        }
        if (errors === 0)
            break;
    }
    if (best === undefined) {
        const servedPath = served.map((certificate, position) => ({
            certificate,
            source: 'served',
            position,
            anchor: false
        }));
        findings.push(describeMissingTrust(leaf, search, served, input.chainFrom ?? 'server'));
        findings.push(...evaluatePath(servedPath.slice(0, 1), input));
        best = { path: servedPath, findings: [] };
    }
    findings.push(...best.findings);
    findings.push(...nodeFindings(input.nodeVerification, leaf, findings, best.path));
    return {
        trusted: !findings.some(f => f.severity === 'error'),
        findings: dedupe(findings),
        served,
        path: best.path,
        renewal: (0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_1__/* .renewalDue */ .xX)(leaf.notBefore, leaf.notAfter, input.renewal, input.now)
    };
}
/** Depth-first search over every issuer candidate, so one wrong turn does not hide a valid path. */
function buildPaths(leaf, pool) {
    const paths = [];
    const deadEnds = [];
    const badSignatures = [];
    let steps = 0;
    const walk = (path) => {
        if (paths.length >= MAX_PATHS || ++steps > MAX_SEARCH_STEPS)
            return;
        const current = path[path.length - 1];
        if (current.anchor) {
            paths.push(path);
            return;
        }
        if (path.length >= MAX_PATH_LENGTH)
            return;
        let extended = false;
        for (const candidate of pool) {
            const c = candidate.certificate;
            if (path.some(m => m.certificate.sha256 === c.sha256 || sameSubjectAndKey(m.certificate, c)))
                continue;
            // Name and signature decide who issued whom; OpenSSL's checkIssued would also drop an issuer
            // without keyCertSign, which must instead be reported as a usage problem.
            if (c.subject !== current.certificate.issuer)
                continue;
            let verified;
            try {
                verified = current.certificate.x509.verify(c.x509.publicKey);
            }
            catch {
                verified = false;
            }
            if (!verified) {
                badSignatures.push({ child: current, issuer: candidate });
                continue;
            }
            extended = true;
            walk([...path, candidate]);
        }
        if (!extended)
            deadEnds.push(current);
    };
    walk([leaf]);
    return { paths, deadEnds, badSignatures };
}
function sameSubjectAndKey(a, b) {
    if (a.subject !== b.subject)
        return false;
    try {
        return a.x509.publicKey.equals(b.x509.publicKey);
    }
    catch {
        return false;
    }
}
function describeMissingTrust(leaf, search, served, chainFrom) {
    const at = (m) => ({
        position: m.position,
        subject: m.certificate.subject,
        issuer: m.certificate.issuer
    });
    const bad = search.badSignatures[0];
    if (leaf.selfSigned && served.length === 1) {
        return {
            rule: 'trust',
            severity: 'error',
            ...at(search.deadEnds[0] ?? { certificate: leaf, source: 'served', position: 0, anchor: false }),
            problem: 'serves a self-signed certificate that is not trusted (not in ca-certificate); clients trust it only once its public part is installed, so give it in ca-certificate or use a certificate from a trusted CA'
        };
    }
    const end = search.deadEnds.find(d => d.certificate.selfSigned) ?? search.deadEnds[search.deadEnds.length - 1];
    if (end !== undefined && end.certificate.selfSigned) {
        return {
            rule: 'trust',
            severity: 'error',
            ...at(end),
            problem: `serves a chain that ends at the root "${(0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .shortName */ .EU)(end.certificate.subject)}"${end.position === undefined ? '' : ` (position ${end.position})`}, which is not trusted: it is neither one of Node's bundled roots nor given in ca-certificate`
        };
    }
    if (bad !== undefined && end === bad.child) {
        return {
            rule: 'trust',
            severity: 'error',
            ...at(bad.child),
            problem: `serves a certificate "${(0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .shortName */ .EU)(bad.child.certificate.subject)}" whose signature does not verify with the key of its issuer "${(0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .shortName */ .EU)(bad.issuer.certificate.subject)}" (${bad.issuer.source})`
        };
    }
    const stop = end ?? { certificate: leaf, source: 'served', position: 0, anchor: false };
    const aia = stop.certificate.caIssuersUrls[0];
    if (chainFrom === 'aia') {
        return {
            rule: 'trust',
            severity: 'error',
            ...at(stop),
            problem: `serves a certificate whose chain could not be completed: the issuer of "${(0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .shortName */ .EU)(stop.certificate.subject)}" (${stop.certificate.issuer}) is not a trusted root and ` +
                (aia !== undefined
                    ? `could not be fetched from its AIA URL ${aia}`
                    : 'the certificate names no AIA URL to fetch it from') +
                '; for a private CA, give the CA in ca-certificate'
        };
    }
    return {
        rule: 'trust',
        severity: 'error',
        ...at(stop),
        problem: `serves an incomplete chain: the issuer of "${(0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .shortName */ .EU)(stop.certificate.subject)}" (${stop.certificate.issuer}) was not sent by the server and is not a trusted root; ` +
            (aia !== undefined
                ? `it is published at ${aia} (AIA), but LDAP clients do not fetch missing intermediates, so the server must send it`
                : 'the server must send that intermediate, or, for a private CA, give the CA in ca-certificate')
    };
}
function evaluatePath(path, input) {
    const findings = [];
    const leaf = path[0];
    const finding = (member, rule, problem, severity = 'error') => {
        findings.push({
            rule,
            severity,
            position: member.position,
            subject: member.certificate.subject,
            issuer: member.certificate.issuer,
            problem
        });
    };
    const describe = (member, index) => {
        if (index === 0)
            return 'a certificate';
        const where = member.position === undefined
            ? ` from the ${member.source === 'trust-store' ? 'trust store' : 'ca-certificate'}`
            : ` (position ${member.position})`;
        return `${member.anchor ? 'a root certificate' : 'an intermediate certificate'} "${(0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .shortName */ .EU)(member.certificate.subject)}"${where}`;
    };
    const now = input.now.getTime();
    const leafRenewal = (0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_1__/* .renewalDue */ .xX)(leaf.certificate.notBefore, leaf.certificate.notAfter, input.renewal, input.now);
    if (leafRenewal.due) {
        finding(leaf, 'renewal', `serves a certificate that is due for renewal: ${(0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_1__/* .describeRenewal */ .AL)(leafRenewal)} (min-days-valid ${(0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_1__/* .renewalRuleInput */ .nk)(input.renewal)}: ${(0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_1__/* .describeRenewalRule */ .aB)(input.renewal)})`, 'warning');
    }
    for (const [index, member] of path.entries()) {
        const c = member.certificate;
        const what = describe(member, index);
        // validity
        if (c.notBefore.getTime() > now) {
            finding(member, 'validity', `serves ${what} that is not valid before ${isoDate(c.notBefore)}`);
        }
        else if (c.notAfter.getTime() < now) {
            finding(member, 'validity', `serves ${what} that expired on ${isoDate(c.notAfter)}`);
        }
        else if (index > 0 && c.notAfter.getTime() < leafRenewal.renewBy.getTime()) {
            // A CA that expires before the leaf is due: the chain breaks before renewal would fix it.
            const days = Math.floor((c.notAfter.getTime() - now) / DAY_MS);
            finding(member, 'renewal', `serves ${what} that expires on ${isoDate(c.notAfter)}, in ${days} day${days === 1 ? '' : 's'}, before the leaf is due for renewal (${isoDate(leafRenewal.renewBy)})`, 'warning');
        }
        // strength: key size on every member, signatures except on trust anchors (their self-signature is not relied on)
        if (c.keyType === 'rsa' && c.keyBits !== undefined && c.keyBits < 2048) {
            finding(member, 'strength', `serves ${what} with a ${c.keyBits}-bit RSA key; at least 2048 bits are required`);
        }
        else if (c.keyType === 'dsa') {
            finding(member, 'strength', `serves ${what} with a DSA key, which TLS 1.3 and current clients do not accept`);
        }
        else if (c.keyType === 'ec' && c.keyBits !== undefined && c.keyBits < 256) {
            finding(member, 'strength', `serves ${what} with a ${c.keyBits}-bit EC key (${c.curve}); at least P-256 is required`);
        }
        else if (c.keyType === 'unsupported') {
            finding(member, 'strength', `serves ${what} with a public key type Node cannot use`);
        }
        if (!member.anchor && /sha1|md5|md2/i.test(c.signatureAlgorithm)) {
            finding(member, 'strength', `serves ${what} signed with ${c.signatureAlgorithm}, a broken hash that clients reject`);
        }
        if (member.anchor && index > 0)
            continue;
        // structure and usage of what is not a trust anchor
        if (c.malformed !== undefined && !member.anchor)
            finding(member, 'structure', `serves ${what} that is malformed: ${c.malformed}`);
        if (c.duplicateExtensions.length > 0 && !member.anchor) {
            finding(member, 'structure', `serves ${what} that repeats the extension ${c.duplicateExtensions.join(', ')} (RFC 5280 forbids it)`);
        }
        if (c.unknownCriticalExtensions.length > 0 && !member.anchor) {
            finding(member, 'structure', `serves ${what} with the unknown critical extension ${c.unknownCriticalExtensions.join(', ')}, which clients must reject`);
        }
        if (index === 0)
            continue;
        if (c.basicConstraints?.ca !== true) {
            finding(member, 'usage', `serves ${what} that is used as a CA but ${c.basicConstraints === undefined ? 'has no basic constraints' : 'has basic constraints CA:FALSE'}`);
        }
        if (c.keyUsage !== undefined && !c.keyUsage.has('keyCertSign')) {
            finding(member, 'usage', `serves ${what} that is used as a CA but whose key usage lacks keyCertSign`);
        }
        const pathLen = c.basicConstraints?.pathLen;
        if (pathLen !== undefined) {
            const below = path.slice(1, index).filter(m => m.certificate.subject !== m.certificate.issuer).length;
            if (below > pathLen) {
                finding(member, 'usage', `serves ${what} whose path length constraint (${pathLen}) allows fewer CAs below it than the ${below} in this chain`);
            }
        }
    }
    // The leaf: usage, name, pinning.
    const c = leaf.certificate;
    if (c.extKeyUsage !== undefined && !c.extKeyUsage.includes(_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .OID */ .Vx.serverAuth)) {
        finding(leaf, 'usage', `serves a certificate whose extended key usage (${c.extKeyUsage.map(ekuName).join(', ') || 'empty'}) does not include TLS server authentication`);
    }
    if (c.keyUsage !== undefined) {
        if (!['digitalSignature', 'keyEncipherment', 'keyAgreement'].some(u => c.keyUsage.has(u))) {
            finding(leaf, 'usage', `serves a certificate whose key usage (${[...c.keyUsage].join(', ') || 'empty'}) allows no TLS key exchange or signature`);
        }
        if (c.keyUsage.has('keyCertSign') && c.basicConstraints?.ca !== true) {
            finding(leaf, 'usage', 'serves a certificate whose key usage asserts keyCertSign without being a CA (RFC 5280 4.2.1.3)');
        }
    }
    findings.push(...evaluateName(leaf, input.peer));
    if (input.expectedFingerprint !== undefined && input.expectedFingerprint !== c.sha256) {
        finding(leaf, 'pinning', `serves a certificate with SHA-256 fingerprint ${c.sha256}, not the expected ${input.expectedFingerprint}`);
    }
    if (input.entraAdvice === true)
        findings.push(...entraAdvice(leaf));
    return findings;
}
function evaluateName(leaf, peer) {
    const c = leaf.certificate;
    const base = {
        rule: 'name',
        severity: 'error',
        position: leaf.position,
        subject: c.subject,
        issuer: c.issuer
    };
    const ip = (0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .normalizeIp */ .Z2)(peer.replace(/^\[|\]$/g, ''));
    const san = c.subjectAltName;
    if (san === undefined) {
        const cnMatches = ip === undefined && c.commonNames.some(cn => matchesDnsName(peer, cn));
        return [
            {
                ...base,
                problem: cnMatches
                    ? `serves a certificate that names ${peer} only in its subject CN and has no subjectAltName; clients following RFC 6125 (Go since 1.15, Python since 3.7, browsers) reject it`
                    : `serves a certificate without a subjectAltName, so it is not valid for ${peer}`
            }
        ];
    }
    const names = [...san.dns.map(d => `DNS:${d}`), ...san.ip.map(i => `IP:${i}`)];
    const valid = ip === undefined ? san.dns.some(d => matchesDnsName(peer, d)) : san.ip.includes(ip);
    if (valid)
        return [];
    return [
        {
            ...base,
            problem: `serves a certificate that is not valid for ${peer} (its names: ${names.join(', ') || 'none'})`
        }
    ];
}
/**
 * RFC 6125 §6.4: case-insensitive; a wildcard only as the whole left-most label, matching exactly
 * one label, and not directly under a top-level domain.
 */
function matchesDnsName(host, pattern) {
    const h = host.toLowerCase().replace(/\.$/, '');
    const p = pattern.toLowerCase().replace(/\.$/, '');
    if (!/^[\x21-\x7e]+$/.test(p) || p.includes('..'))
        return false;
    if (!p.includes('*'))
        return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(p) && h === p;
    const labels = p.split('.');
    if (labels[0] !== '*' || labels.slice(1).some(l => l.includes('*')) || labels.length < 3)
        return false;
    const hostLabels = h.split('.');
    return (hostLabels.length === labels.length &&
        hostLabels[0] !== '' &&
        hostLabels.slice(1).join('.') === labels.slice(1).join('.'));
}
function entraAdvice(leaf) {
    const c = leaf.certificate;
    const advice = [];
    if (!(c.subjectAltName?.dns ?? []).some(d => d.startsWith('*.')) && !c.commonNames.some(cn => cn.startsWith('*.'))) {
        advice.push('Entra Domain Services expects a wildcard subject and SAN for the managed domain (e.g. *.aaddscontoso.com)');
    }
    if (c.keyType !== 'rsa')
        advice.push(`Entra Domain Services expects an RSA key (this one is ${c.keyType})`);
    if (c.keyUsage !== undefined && !(c.keyUsage.has('digitalSignature') && c.keyUsage.has('keyEncipherment'))) {
        advice.push('Entra Domain Services expects key usage digitalSignature and keyEncipherment');
    }
    if (c.extKeyUsage === undefined)
        advice.push('Entra Domain Services expects an explicit server authentication EKU');
    return advice.map(text => ({
        rule: 'advice',
        severity: 'notice',
        position: leaf.position,
        subject: c.subject,
        issuer: c.issuer,
        problem: `serves a certificate that differs from the Entra DS requirements: ${text}`
    }));
}
const NODE_ERROR_RULE = {
    CERT_HAS_EXPIRED: 'validity',
    CERT_NOT_YET_VALID: 'validity',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'trust',
    SELF_SIGNED_CERT_IN_CHAIN: 'trust',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'trust',
    UNABLE_TO_GET_ISSUER_CERT: 'trust',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'trust',
    CERT_SIGNATURE_FAILURE: 'trust',
    INVALID_PURPOSE: 'usage',
    INVALID_CA: 'usage',
    PATH_LENGTH_EXCEEDED: 'usage',
    CA_KEY_TOO_SMALL: 'strength',
    EE_KEY_TOO_SMALL: 'strength',
    CA_MD_TOO_WEAK: 'strength'
};
/**
 * Node's own verdict counts too: where OpenSSL refuses the chain or the name, an LDAP client on
 * OpenSSL refuses it as well. Reported unless one of our findings already names the same rule.
 */
function nodeFindings(node, leaf, findings, path) {
    if (node === undefined)
        return [];
    const errors = findings.filter(f => f.severity === 'error');
    const result = [];
    const base = { severity: 'error', position: 0, subject: leaf.subject, issuer: leaf.issuer };
    if (!node.authorized) {
        const rule = NODE_ERROR_RULE[node.error ?? ''] ?? 'trust';
        if (!errors.some(f => f.rule === rule)) {
            result.push({
                ...base,
                rule,
                problem: `serves a chain that Node's own TLS verification (OpenSSL) rejects: ${node.error ?? 'not authorized'}${nodeHint(node.error, path)}`
            });
        }
    }
    if (node.identityError !== undefined && !errors.some(f => f.rule === 'name')) {
        result.push({
            ...base,
            rule: 'name',
            problem: `serves a certificate whose name Node's TLS check refuses: ${node.identityError}`
        });
    }
    return result;
}
/** What an OpenSSL refusal means here, where our own rules did not explain it. */
function nodeHint(error, path) {
    const end = path[path.length - 1];
    if ((error === 'UNABLE_TO_GET_ISSUER_CERT' || error === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') &&
        end?.anchor === true &&
        !end.certificate.selfSigned) {
        return ` (the path ends at "${(0,_x509_js__WEBPACK_IMPORTED_MODULE_0__/* .shortName */ .EU)(end.certificate.subject)}", which is not a self-signed root; clients built on OpenSSL (Node, Python, OpenLDAP when linked with OpenSSL) accept only a path that ends at a self-signed root, so give the root CA in ca-certificate)`;
    }
    if (error === 'UNABLE_TO_GET_ISSUER_CERT' || error === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') {
        return ' (OpenSSL found no path to a trusted root with the certificates sent)';
    }
    return '';
}
function dedupe(findings) {
    const seen = new Set();
    return findings.filter(f => {
        const key = `${f.rule}|${f.subject}|${f.problem}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
const EKU_NAMES = {
    '1.3.6.1.5.5.7.3.1': 'serverAuth',
    '1.3.6.1.5.5.7.3.2': 'clientAuth',
    '1.3.6.1.5.5.7.3.3': 'codeSigning',
    '1.3.6.1.5.5.7.3.4': 'emailProtection',
    '1.3.6.1.5.5.7.3.8': 'timeStamping',
    '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
    '2.5.29.37.0': 'anyExtendedKeyUsage'
};
function ekuName(oid) {
    return EKU_NAMES[oid] ?? oid;
}
function isoDate(date) {
    return date.toISOString().slice(0, 10);
}
/** One-line description of a key, e.g. "RSA 2048" or "EC P-256 (prime256v1)". */
function describeKey(c) {
    if (c.keyType === 'rsa' || c.keyType === 'rsa-pss')
        return `RSA ${c.keyBits ?? '?'}`;
    if (c.keyType === 'ec')
        return `EC ${c.curve ?? '?'}`;
    return c.keyType;
}


/***/ }),

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

/***/ 34315:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  PROBE_TIMEOUT_ENV: () => (/* binding */ PROBE_TIMEOUT_ENV),
  judgeUploadedCertificate: () => (/* binding */ judgeUploadedCertificate),
  parseProbeTimeouts: () => (/* binding */ parseProbeTimeouts),
  renderCertificateReport: () => (/* binding */ renderCertificateReport),
  renewalReport: () => (/* binding */ renewalReport),
  toFinding: () => (/* binding */ toFinding),
  verifyCertificate: () => (/* binding */ verifyCertificate)
});

// EXTERNAL MODULE: ./core/environment.js
var environment = __webpack_require__(53244);
// EXTERNAL MODULE: ./adapters/github.js + 1 modules
var github = __webpack_require__(23887);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
// EXTERNAL MODULE: ./core/certificate.js
var certificate = __webpack_require__(84910);
// EXTERNAL MODULE: ./core/ldap-bind.js
var ldap_bind = __webpack_require__(7954);
// EXTERNAL MODULE: ./core/report.js
var report = __webpack_require__(95215);
// EXTERNAL MODULE: ./core/x509.js
var x509 = __webpack_require__(77505);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
;// CONCATENATED MODULE: ./adapters/aia-fetch.js
// Fetches the issuers of a certificate from its Authority Information Access caIssuers URLs
// (RFC 5280 4.2.2.1): DER, a PKCS#7 "certs-only" bundle, or PEM, over HTTP. Used where no server
// sent the chain: the certificate uploaded to a managed domain is the leaf alone. Every dimension
// is bounded, since the URLs come from the certificate, which is outside text.



const AIA_LIMITS = {
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
};
/** Follows caIssuers upward from `leaf` until a trust anchor's child, a self-signed CA, or a limit. */
async function fetchIssuers(leaf, options) {
    const limits = { ...AIA_LIMITS, ...options.limits };
    const certificates = [];
    const seen = new Set([leaf.sha256]);
    const log = [];
    let current = leaf;
    for (let hop = 0; hop < limits.maxHops; hop++) {
        if (current.selfSigned || options.endsHere(current))
            break;
        const urls = current.caIssuersUrls.slice(0, limits.maxUrlsPerCertificate);
        if (urls.length === 0) {
            log.push(`"${(0,x509/* shortName */.EU)(current.subject)}" names no caIssuers URL (AIA), so its issuer could not be fetched`);
            break;
        }
        let issuer;
        for (const url of urls) {
            let found;
            try {
                found = certificatesIn(await get(url, limits));
            }
            catch (error) {
                log.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
                continue;
            }
            const parsed = found.flatMap(der => {
                try {
                    return [(0,x509/* parseCertificate */.hB)(der)];
                }
                catch {
                    return [];
                }
            });
            log.push(`${url}: ${parsed.length} certificate(s)${parsed.length > 0 ? ` (${parsed.map(c => `"${(0,x509/* shortName */.EU)(c.subject)}"`).join(', ')})` : ''}`);
            for (const c of parsed) {
                if (seen.has(c.sha256) || certificates.length >= limits.maxCertificates)
                    continue;
                seen.add(c.sha256);
                certificates.push(c.der);
            }
            issuer = parsed.find(c => c.subject === current.issuer);
            if (issuer !== undefined)
                break;
        }
        if (issuer === undefined || certificates.length >= limits.maxCertificates)
            break;
        current = issuer;
    }
    return { certificates, log };
}
/** DER certificate, PKCS#7 certs-only, or PEM (one or more blocks). */
function certificatesIn(body) {
    const text = body.toString('latin1');
    if (text.includes('-----BEGIN CERTIFICATE-----')) {
        return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(m => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
    }
    try {
        (0,x509/* parseCertificate */.hB)(body);
        return [body];
    }
    catch {
        try {
            return (0,x509/* certificatesInPkcs7 */.iN)(body);
        }
        catch {
            throw new Error('the answer is neither a DER certificate, a PKCS#7 bundle nor PEM');
        }
    }
}
/** GET with manual redirects, a size cap and one deadline per request. */
async function get(url, limits, redirects = 0) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new Error('not a URL');
    }
    // ldap: caIssuers URLs (old Microsoft CAs) need an LDAP search of the CA's directory: not fetched.
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new Error(`${parsed.protocol} URLs are not fetched (only http and https)`);
    }
    const client = parsed.protocol === 'https:' ? external_node_https_ : external_node_http_;
    const answer = await new Promise((resolve, reject) => {
        const request = client.get(parsed, { timeout: limits.timeoutMs, headers: { accept: '*/*' } }, response => {
            const chunks = [];
            let size = 0;
            response.on('data', (chunk) => {
                size += chunk.length;
                if (size > limits.maxBytes) {
                    request.destroy(new Error(`the answer is larger than ${limits.maxBytes} bytes`));
                    return;
                }
                chunks.push(chunk);
            });
            response.on('end', () => resolve({
                status: response.statusCode ?? 0,
                location: response.headers.location,
                body: Buffer.concat(chunks)
            }));
            response.on('error', reject);
        });
        const deadline = setTimeout(() => request.destroy(new Error(`no complete answer within ${limits.timeoutMs / 1000} s`)), limits.timeoutMs);
        request.on('close', () => clearTimeout(deadline));
        request.on('timeout', () => request.destroy(new Error(`no answer within ${limits.timeoutMs / 1000} s`)));
        request.on('error', reject);
    });
    if (answer.status >= 300 && answer.status < 400 && answer.location !== undefined) {
        if (redirects >= limits.maxRedirects)
            throw new Error(`more than ${limits.maxRedirects} redirects`);
        return get(new URL(answer.location, parsed).toString(), limits, redirects + 1);
    }
    if (answer.status !== 200)
        throw new Error(`HTTP ${answer.status}`);
    return answer.body;
}

// EXTERNAL MODULE: ./core/renewal-window.js
var renewal_window = __webpack_require__(47790);
// EXTERNAL MODULE: ./adapters/tls-probe.js
var tls_probe = __webpack_require__(9636);
;// CONCATENATED MODULE: ./steps/certificate.js
// Step 4: connect where the name points and decide whether an LDAP client would trust what is served.











const DAY_MS = 86_400_000;
const RULE_TITLE = {
    trust: 'Certificate not trusted',
    name: 'Certificate name mismatch',
    validity: 'Certificate validity',
    renewal: 'Certificate renewal due',
    usage: 'Certificate usage',
    strength: 'Weak certificate',
    pinning: 'Certificate fingerprint mismatch',
    structure: 'Malformed certificate',
    advice: 'Entra DS certificate advice'
};
const RULE_CODE = {
    trust: 'certificate-untrusted',
    name: 'certificate-name-mismatch',
    validity: 'certificate-invalid',
    renewal: 'certificate-renewal-due',
    usage: 'certificate-usage',
    strength: 'certificate-weak',
    pinning: 'certificate-fingerprint-mismatch',
    structure: 'certificate-malformed',
    advice: 'certificate-entra-advice'
};
/**
 * Environment variable that bounds every phase of the probe (connect, StartTLS, TLS handshake,
 * LDAP root DSE read) to the same number of milliseconds instead of the defaults (10-15 s). For
 * slow links, and for tests that play a stalled or slow server (see docs/faults.md).
 */
const PROBE_TIMEOUT_ENV = 'LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS';
function parseProbeTimeouts(env) {
    const ms = (0,environment/* millisecondsFromEnv */.G)(env, PROBE_TIMEOUT_ENV);
    return ms === undefined ? {} : { connectMs: ms, startTlsMs: ms, handshakeMs: ms, ldapMs: ms };
}
async function verifyCertificate(settings, now = () => new Date(), env = process.env) {
    const { certificate: c, domain, ldapBind: bind } = settings;
    github/* info */.pq(`Probing ${c.protocol} at ${c.connectTo}:${c.port} with SNI ${domain}.`);
    let probe;
    try {
        probe = await (0,tls_probe/* probeTls */.SL)({
            protocol: c.protocol,
            connectTo: c.connectTo,
            port: c.port,
            peer: domain,
            trustAnchorsPem: c.trustAnchorsPem,
            timeouts: parseProbeTimeouts(env),
            // With a bind to make, the probe keeps the judged connection open (see tls-probe.ts).
            holdForBind: bind !== undefined
        });
    }
    catch (error) {
        // Key order as the report has always listed them: the skipped bind first.
        const part = {};
        if (bind !== undefined) {
            part.ldapBind = skipped(bind, 'the TLS probe failed, so there was no verified channel to send the credentials over');
        }
        if (!(error instanceof tls_probe/* ProbeError */.B2))
            return (0,report/* failed */.gz)(error, { part, findings: [] });
        part.certificate = {
            trusted: false,
            source: 'endpoint',
            host: domain,
            port: c.port,
            protocol: c.protocol,
            connectTo: c.connectTo,
            tlsVersion: undefined,
            cipher: undefined,
            leaf: undefined,
            chain: []
        };
        const findings = [
            {
                severity: 'error',
                step: 'certificate',
                code: 'certificate-probe-failed',
                title: `Certificate check: ${error.phase} failed`,
                message: error.message,
                drift: true
            }
        ];
        return (0,report/* succeeded */.gq)({ part, findings, ...(error.unanswered ? { unanswered: error.message } : {}) });
    }
    const result = { part: {}, findings: [] };
    try {
        await judge(settings, result, probe, now());
        return (0,report/* succeeded */.gq)(result);
    }
    catch (error) {
        // The verdict stays reported when the bind after it fails.
        return (0,report/* failed */.gz)(error, result);
    }
    finally {
        await probe.channel?.close();
    }
}
/**
 * The verdict on what the probe saw, then (with ldap-bind-dn) the bind over the same connection.
 * Fills `result` as it goes, so a bind that throws still leaves the verdict to report.
 */
async function judge(settings, result, probe, at) {
    const { part, findings } = result;
    const { certificate: c, domain, ldapBind: bind } = settings;
    const where = `${domain}:${c.port}`;
    github/* info */.pq(`Negotiated ${probe.tlsVersion} ${probe.cipher}; the server sent ${probe.served.length} certificate(s).`);
    const verdict = (0,certificate/* evaluateCertificate */.Xn)({
        served: probe.served,
        rootsPem: external_node_tls_.rootCertificates,
        trustAnchorsPem: c.trustAnchorsPem,
        peer: domain,
        now: at,
        renewal: c.minDaysValid,
        expectedFingerprint: c.expectedFingerprint,
        entraAdvice: c.protocol !== 'tls',
        nodeVerification: probe.node
    });
    part.certificate = renderCertificateReport(settings, probe, verdict, at);
    for (const f of verdict.findings)
        findings.push(toFinding(where, f, c.failOnRenewalDue));
    if (probe.ldapError !== undefined) {
        findings.push({
            severity: 'error',
            step: 'certificate',
            code: 'ldap-no-answer',
            title: 'No LDAP answer behind TLS',
            message: `${where} completed the TLS handshake, but ${probe.ldapError.replace(/^TLS probe \([^)]*\) of [^:]+:\d+: /, '')}`,
            drift: true
        });
    }
    if ((0,ldap_bind/* outdatedTlsVersion */.wU)(probe.tlsVersion)) {
        findings.push({
            severity: 'warning',
            step: 'certificate',
            code: 'tls-version-outdated',
            title: 'Outdated TLS version',
            message: `${where} negotiated ${probe.tlsVersion}; LDAP clients should use TLS 1.2 or later (on a Microsoft Entra Domain Services managed domain, turn on "TLS 1.2 only mode" in its security settings)`
        });
    }
    github/* info */.pq(verdict.trusted ? `${where}: the certificate is trusted.` : `${where}: the certificate is NOT trusted.`);
    if (verdict.renewal !== undefined) {
        const r = part.certificate.renewal;
        github/* info */.pq(`${where}: renewal ${r.due ? 'is DUE' : 'is not due'} (${(0,renewal_window/* describeRenewal */.AL)(verdict.renewal)}; min-days-valid ${r.rule}).`);
    }
    if (bind === undefined)
        return;
    // The verdict is known; only a trusted one lets the credentials leave (tls-probe.ts enforces it
    // again, and the connection is the one just judged).
    if (!verdict.trusted) {
        part.ldapBind = skipped(bind, 'the certificate is not trusted, so the credentials were not sent');
    }
    else if (probe.channel === undefined) {
        part.ldapBind = skipped(bind, probe.ldapError !== undefined
            ? 'no LDAP server answered the root DSE read behind TLS, so the credentials were not sent'
            : 'no LDAP connection was left to bind over');
    }
    else {
        part.ldapBind = await bindAndSearch(where, bind, probe, probe.channel, verdict);
        const b = part.ldapBind;
        if (b.state === 'failed') {
            findings.push({
                severity: 'error',
                step: 'certificate',
                code: 'ldap-bind-failed',
                title: 'LDAP bind failed',
                message: `${where}: ${b.message}`,
                drift: true
            });
        }
        else if (b.search !== undefined && b.search.result !== 'success') {
            findings.push({
                severity: 'warning',
                step: 'certificate',
                code: 'ldap-search-failed',
                title: 'LDAP search failed',
                message: `${where}: the bind as "${bind.dn}" succeeded, but the base search of "${b.search.base}" with ${b.search.filter} ended with ${b.search.result}`
            });
        }
    }
    github/* info */.pq(`${where}: LDAP bind ${part.ldapBind.state}: ${part.ldapBind.message}.`);
}
function skipped(bind, why) {
    return { state: 'skipped', dn: bind.dn, message: `the bind as "${bind.dn}" was skipped: ${why}` };
}
async function bindAndSearch(where, bind, probe, channel, verdict) {
    const base = bind.searchBase ?? probe.ldap?.defaultNamingContext ?? probe.ldap?.namingContexts[0] ?? '';
    github/* info */.pq(`${where}: binding as "${bind.dn}" over the verified ${probe.tlsVersion} connection.`);
    const answer = await channel.bindAndSearch(verdict, {
        dn: bind.dn,
        password: bind.password,
        searchBase: base,
        searchFilter: bind.searchFilter
    });
    const outcome = (0,ldap_bind/* describeBind */.Vf)(bind.dn, answer.bind, [bind.password]);
    const search = answer.search === undefined
        ? undefined
        : {
            base,
            filter: bind.searchFilter,
            result: answer.search.answer.resultCode === undefined
                ? `no result (${(0,ldap_bind/* quoteServerText */.h3)(answer.search.answer.diagnosticMessage, [bind.password])})`
                : (0,ldap_bind/* resultCodeName */.ux)(answer.search.answer.resultCode),
            entries: answer.search.entries
        };
    return {
        state: outcome.state,
        dn: bind.dn,
        result: outcome.result,
        resultCode: outcome.resultCode,
        dataCode: outcome.dataCode,
        message: outcome.message,
        ...(search === undefined ? {} : { search })
    };
}
/**
 * A finding of the evaluator as the report lists it. Renewal due is a warning from the evaluator
 * (the chain is still trusted); fail-on-renewal-due makes it an error that fails the run.
 */
function toFinding(where, f, failOnRenewalDue) {
    const issuer = f.issuer === f.subject ? 'self-signed' : `issued by ${(0,x509/* shortName */.EU)(f.issuer)}`;
    const severity = f.rule === 'renewal' && failOnRenewalDue ? 'error' : f.severity;
    return {
        severity,
        step: 'certificate',
        code: RULE_CODE[f.rule],
        title: RULE_TITLE[f.rule],
        message: `${where} ${f.problem} (${(0,x509/* shortName */.EU)(f.subject)}, ${issuer})`,
        ...(severity === 'error' ? { drift: true } : {})
    };
}
function renderCertificateReport(settings, probe, verdict, now, source = {
    source: 'endpoint'
}) {
    // Renewal due marks its certificate in the chain too, though it leaves the chain trusted.
    const errors = verdict.findings.filter(f => f.severity === 'error' || f.rule === 'renewal');
    const chain = [];
    const listed = new Set();
    const pathAnchors = new Set(verdict.path.filter(m => m.anchor).map(m => m.certificate.sha256));
    const summarize = (cert, position, source) => ({
        position,
        subject: cert.subject,
        issuer: cert.issuer,
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        sha256: cert.sha256,
        key: (0,certificate/* describeKey */.Rx)(cert),
        signature: cert.signatureAlgorithm,
        source,
        verdict: errors.some(f => f.subject === cert.subject && (f.position === undefined || f.position === position))
            ? 'problem'
            : pathAnchors.has(cert.sha256)
                ? 'trust-anchor'
                : 'ok'
    });
    for (const [position, cert] of verdict.served.entries()) {
        listed.add(cert.sha256);
        chain.push(summarize(cert, position, 'served'));
    }
    for (const member of verdict.path) {
        if (listed.has(member.certificate.sha256))
            continue;
        listed.add(member.certificate.sha256);
        chain.push(summarize(member.certificate, chain.length, member.source));
    }
    const leaf = verdict.served[0];
    return {
        trusted: verdict.trusted,
        ...source,
        host: settings.domain,
        port: settings.certificate.port,
        protocol: settings.certificate.protocol,
        connectTo: settings.certificate.connectTo,
        tlsVersion: probe.tlsVersion,
        cipher: probe.cipher,
        leaf: leaf === undefined
            ? undefined
            : {
                subject: leaf.subject,
                issuer: leaf.issuer,
                sha256: leaf.sha256,
                sha1: (0,external_node_crypto_.createHash)('sha1').update(leaf.der).digest('hex'),
                notAfter: leaf.notAfter.toISOString(),
                daysRemaining: (leaf.notAfter.getTime() - now.getTime()) / DAY_MS,
                subjectAltNames: [
                    ...(leaf.subjectAltName?.dns ?? []).map(d => `DNS:${d}`),
                    ...(leaf.subjectAltName?.ip ?? []).map(i => `IP:${i}`)
                ]
            },
        chain,
        ldap: probe.ldap,
        servedFrom: probe.servedFrom,
        nodeVerification: probe.node,
        problems: errors.map(f => ({ rule: f.rule, position: f.position, subject: f.subject, message: f.problem })),
        ...(verdict.renewal === undefined ? {} : { renewal: renewalReport(verdict, settings.certificate.minDaysValid) })
    };
}
/** The renewal part of the certificate report: due when any certificate of the path is. */
function renewalReport(verdict, rule) {
    const r = verdict.renewal;
    return {
        due: verdict.findings.some(f => f.rule === 'renewal'),
        renewBy: r.renewBy.toISOString(),
        daysLeft: r.daysLeft,
        lifetimeDays: r.lifetimeDays,
        windowDays: Math.round(r.windowDays * 10) / 10,
        rule: (0,renewal_window/* renewalRuleInput */.nk)(rule),
        ruleText: (0,renewal_window/* describeRenewalRule */.aB)(rule)
    };
}
/**
 * The verdict on the certificate uploaded to the managed domain, by the same evaluator as a served
 * chain: its CAs fetched from the AIA caIssuers URLs, anchored in the bundled roots or
 * ca-certificate, named for `domain`, and judged for validity, renewal, usage and strength. No
 * TLS session exists, so Node's own verification and the LDAP checks (root DSE, bind) are not made.
 */
async function judgeUploadedCertificate(settings, uploaded, now = () => new Date()) {
    const { certificate: c, domain, ldapBind: bind } = settings;
    const at = now();
    const where = `${uploaded.owner} (secure LDAP certificate for ${domain})`;
    const anchorSubjects = new Set([...external_node_tls_.rootCertificates, ...c.trustAnchorsPem].flatMap(pem => (0,x509/* subjectLine */.nh)(pem) ?? []));
    const fetched = await (uploaded.fetchIssuers ?? fetchIssuers)(uploaded.leaf, {
        endsHere: cert => anchorSubjects.has(cert.issuer)
    });
    for (const line of fetched.log)
        github/* info */.pq(`AIA: ${line}`);
    const verdict = (0,certificate/* evaluateCertificate */.Xn)({
        served: [uploaded.leaf.der, ...fetched.certificates],
        rootsPem: external_node_tls_.rootCertificates,
        trustAnchorsPem: c.trustAnchorsPem,
        peer: domain,
        now: at,
        renewal: c.minDaysValid,
        expectedFingerprint: c.expectedFingerprint,
        entraAdvice: true,
        chainFrom: 'aia'
    });
    const part = {
        certificate: renderCertificateReport(settings, {}, verdict, at, {
            source: 'managed-domain',
            sourceReason: uploaded.reason
        })
    };
    if (bind !== undefined) {
        part.ldapBind = skipped(bind, 'the endpoint was not reached, so there was no connection to bind over');
    }
    const findings = [
        {
            severity: 'notice',
            step: 'certificate',
            code: 'certificate-from-managed-domain',
            title: 'Certificate judged from the managed domain',
            message: uploaded.reason
        }
    ];
    // "serves" is the evaluator's verb for what it judged; here the managed domain holds it.
    for (const f of verdict.findings) {
        findings.push(toFinding(where, { ...f, problem: f.problem.replace(/^serves /, 'holds ') }, c.failOnRenewalDue));
    }
    github/* info */.pq(`${where}: the certificate is ${verdict.trusted ? 'trusted' : 'NOT trusted'} (judged from the managed domain; the served certificate was not checked).`);
    return { part, findings };
}


/***/ })

};
