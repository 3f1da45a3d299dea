export const id = 139;
export const ids = [139];
export const modules = {

/***/ 1139:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Rfc2136Provider: () => (/* binding */ Rfc2136Provider),
  encodeUpdate: () => (/* binding */ encodeUpdate),
  planUpdateMessage: () => (/* binding */ planUpdateMessage)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:dns/promises"
var promises_ = __webpack_require__(1553);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: ../node_modules/dns-packet/index.js
var dns_packet = __webpack_require__(3876);
;// CONCATENATED MODULE: ./core/tsig.js
// TSIG (RFC 8945): signing a DNS request and verifying the signed response. Pure: the time is
// passed in, and the messages are byte buffers, so every step of the MAC computation is visible.
//
// Request MAC  = HMAC(key, request without TSIG  || TSIG variables)
// Response MAC = HMAC(key, request MAC size || request MAC || response without TSIG || variables)
// where "without TSIG" means ARCOUNT one less and the header ID set to the TSIG Original ID, and
// the variables are key name and algorithm name in canonical (lowercase, uncompressed) wire form,
// class ANY, TTL 0, time signed (48 bits), fudge, error, other len and other data (§4.3.3).

const TYPE_TSIG = 250;
const CLASS_ANY = 255;
const DEFAULT_FUDGE_SECONDS = 300;
const ALGORITHM_NAMES = {
    'hmac-md5': { wire: 'hmac-md5.sig-alg.reg.int', hash: 'md5', size: 16 },
    'hmac-sha1': { wire: 'hmac-sha1', hash: 'sha1', size: 20 },
    'hmac-sha224': { wire: 'hmac-sha224', hash: 'sha224', size: 28 },
    'hmac-sha256': { wire: 'hmac-sha256', hash: 'sha256', size: 32 },
    'hmac-sha384': { wire: 'hmac-sha384', hash: 'sha384', size: 48 },
    'hmac-sha512': { wire: 'hmac-sha512', hash: 'sha512', size: 64 }
};
/** TSIG error codes (RFC 8945 §5.2, RFC 2845) with what each means for the user. */
const TSIG_ERRORS = {
    16: 'BADSIG (the server knows the key name but the signature does not verify: wrong secret or algorithm)',
    17: 'BADKEY (the server does not know this key name and algorithm)',
    18: 'BADTIME (the clocks of the runner and the server differ by more than the fudge)',
    22: 'BADTRUNC (the MAC was truncated too far)'
};
class TsigError extends Error {
    /** The TSIG error code from the response (16 BADSIG, 17 BADKEY, 18 BADTIME), when there is one. */
    code;
    constructor(message, code) {
        super(message);
        this.name = 'TsigError';
        this.code = code;
    }
}
/** A name in canonical wire form: lowercase labels, uncompressed, ending in the root label. */
function encodeCanonicalName(name) {
    const trimmed = name.replace(/\.$/, '').toLowerCase();
    const labels = trimmed === '' ? [] : trimmed.split('.');
    const parts = [];
    for (const label of labels) {
        const bytes = Buffer.from(label, 'ascii');
        if (bytes.length === 0 || bytes.length > 63)
            throw new TsigError(`TSIG: invalid label in name "${name}"`);
        parts.push(Buffer.from([bytes.length]), bytes);
    }
    parts.push(Buffer.from([0]));
    return Buffer.concat(parts);
}
function uint16(n) {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    return b;
}
function uint48(n) {
    const b = Buffer.alloc(6);
    b.writeUIntBE(n, 0, 6);
    return b;
}
function variables(key, t) {
    return Buffer.concat([
        encodeCanonicalName(key.name),
        uint16(CLASS_ANY),
        Buffer.from([0, 0, 0, 0]), // TTL
        encodeCanonicalName(ALGORITHM_NAMES[key.algorithm].wire),
        uint48(t.timeSigned),
        uint16(t.fudge),
        uint16(t.error),
        uint16(t.otherData.length),
        t.otherData
    ]);
}
function hmac(key, parts) {
    const mac = (0,external_node_crypto_.createHmac)(ALGORITHM_NAMES[key.algorithm].hash, Buffer.from(key.secret, 'base64'));
    for (const part of parts)
        mac.update(part);
    return mac.digest();
}
/** Signs a complete DNS message (without TSIG) at `now`. */
function signTsig(message, key, now, fudge = DEFAULT_FUDGE_SECONDS) {
    if (message.length < 12)
        throw new TsigError('TSIG: message shorter than a DNS header');
    const timeSigned = Math.floor(now.getTime() / 1000);
    const t = { timeSigned, fudge, error: 0, otherData: Buffer.alloc(0) };
    const mac = hmac(key, [message, variables(key, t)]);
    const originalId = message.readUInt16BE(0);
    const rdata = Buffer.concat([
        encodeCanonicalName(ALGORITHM_NAMES[key.algorithm].wire),
        uint48(timeSigned),
        uint16(fudge),
        uint16(mac.length),
        mac,
        uint16(originalId),
        uint16(0), // error
        uint16(0) // other len
    ]);
    const record = Buffer.concat([
        encodeCanonicalName(key.name),
        uint16(TYPE_TSIG),
        uint16(CLASS_ANY),
        Buffer.from([0, 0, 0, 0]),
        uint16(rdata.length),
        rdata
    ]);
    const signed = Buffer.concat([message, record]);
    signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
    return { message: signed, mac };
}
/** Reads a possibly compressed name at `offset`; returns it and the offset after it. */
function readName(buf, offset) {
    const labels = [];
    let next;
    let position = offset;
    for (let jumps = 0; jumps < 128; jumps++) {
        if (position >= buf.length)
            throw new TsigError('TSIG: truncated name in response');
        const len = buf[position];
        if (len === 0) {
            return { name: labels.join('.').toLowerCase(), next: next ?? position + 1 };
        }
        if ((len & 0xc0) === 0xc0) {
            if (next === undefined)
                next = position + 2;
            position = buf.readUInt16BE(position) & 0x3fff;
            continue;
        }
        if ((len & 0xc0) !== 0)
            throw new TsigError('TSIG: bad label in response');
        labels.push(buf.toString('latin1', position + 1, position + 1 + len));
        position += 1 + len;
    }
    throw new TsigError('TSIG: name compression loop in response');
}
/** Offset of the last record of the additional section, or undefined when ARCOUNT is 0. */
function lastAdditionalOffset(buf) {
    const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)];
    if (counts[3] === 0)
        return undefined;
    let offset = 12;
    for (let i = 0; i < counts[0]; i++)
        offset = readName(buf, offset).next + 4;
    const records = counts[1] + counts[2] + counts[3];
    let last = offset;
    for (let i = 0; i < records; i++) {
        last = offset;
        offset = readName(buf, offset).next;
        if (offset + 10 > buf.length)
            throw new TsigError('TSIG: truncated record in response');
        offset += 10 + buf.readUInt16BE(offset + 8);
    }
    if (offset > buf.length)
        throw new TsigError('TSIG: truncated record in response');
    return last;
}
/** The TSIG record at the end of a message, or undefined when the message is not signed. */
function parseTsigRecord(buf) {
    const offset = lastAdditionalOffset(buf);
    if (offset === undefined)
        return undefined;
    const owner = readName(buf, offset);
    let p = owner.next;
    if (buf.readUInt16BE(p) !== TYPE_TSIG)
        return undefined;
    p += 10;
    const algorithm = readName(buf, p);
    p = algorithm.next;
    const timeSigned = buf.readUIntBE(p, 6);
    const fudge = buf.readUInt16BE(p + 6);
    const macSize = buf.readUInt16BE(p + 8);
    const mac = buf.subarray(p + 10, p + 10 + macSize);
    p += 10 + macSize;
    const originalId = buf.readUInt16BE(p);
    const error = buf.readUInt16BE(p + 2);
    const otherLen = buf.readUInt16BE(p + 4);
    const otherData = buf.subarray(p + 6, p + 6 + otherLen);
    return {
        keyName: owner.name,
        algorithm: algorithm.name,
        timeSigned,
        fudge,
        mac,
        originalId,
        error,
        otherData,
        offset
    };
}
/**
 * Verifies the TSIG of a response to a request signed with `requestMac`. Throws TsigError naming
 * the problem (TSIG error from the server, unsigned response, wrong MAC, time outside the fudge);
 * returns the record when the response is authentic.
 */
function verifyTsigResponse(response, requestMac, key, now) {
    const record = parseTsigRecord(response);
    if (record === undefined) {
        throw new TsigError('TSIG: the response is not signed (a server that knows the key signs its answers)');
    }
    if (record.error !== 0) {
        throw new TsigError(`TSIG: the server rejected the key: ${TSIG_ERRORS[record.error] ?? `error ${record.error}`}`, record.error);
    }
    const keyName = key.name.replace(/\.$/, '').toLowerCase();
    if (record.keyName !== keyName) {
        throw new TsigError(`TSIG: the response is signed with key "${record.keyName}", not "${keyName}"`);
    }
    const algorithm = ALGORITHM_NAMES[key.algorithm];
    if (record.algorithm !== algorithm.wire) {
        throw new TsigError(`TSIG: the response is signed with ${record.algorithm}, not ${algorithm.wire}`);
    }
    const minimum = Math.max(10, Math.ceil(algorithm.size / 2));
    if (record.mac.length < minimum || record.mac.length > algorithm.size) {
        throw new TsigError(`TSIG: the response MAC has ${record.mac.length} bytes, outside ${minimum} to ${algorithm.size}`);
    }
    const unsigned = Buffer.from(response.subarray(0, record.offset));
    unsigned.writeUInt16BE(record.originalId, 0);
    unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
    const expected = hmac(key, [uint16(requestMac.length), requestMac, unsigned, variables(key, record)]);
    if (!(0,external_node_crypto_.timingSafeEqual)(expected.subarray(0, record.mac.length), record.mac)) {
        throw new TsigError('TSIG: the response signature does not verify (the answer may have been altered)', 16);
    }
    const skew = Math.abs(Math.floor(now.getTime() / 1000) - record.timeSigned);
    if (skew > record.fudge) {
        throw new TsigError(`TSIG: the response was signed ${skew} s away from the runner's clock (fudge ${record.fudge} s)`, 18);
    }
    return record;
}
/** Verifies a signed request (what a server does); used by tests to check the signer. */
function verifyTsigRequest(request, key) {
    const record = parseTsigRecord(request);
    if (record === undefined)
        throw new TsigError('TSIG: the request is not signed');
    const unsigned = Buffer.from(request.subarray(0, record.offset));
    unsigned.writeUInt16BE(record.originalId, 0);
    unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
    const expected = hmac(key, [unsigned, variables(key, record)]);
    if (expected.length !== record.mac.length || !timingSafeEqual(expected, record.mac)) {
        throw new TsigError('TSIG: the request signature does not verify', 16);
    }
    return record;
}

// EXTERNAL MODULE: ./adapters/dns-client.js + 1 modules
var dns_client = __webpack_require__(6311);
// EXTERNAL MODULE: ./adapters/providers/provider.js
var provider = __webpack_require__(654);
;// CONCATENATED MODULE: ./adapters/providers/rfc2136.js
// RFC 2136 dynamic update with HMAC TSIG (RFC 8945), for BIND, Knot and PowerDNS (Windows DNS only
// for zones that accept nonsecure updates: it secures updates with GSS-TSIG alone, not spoken here).
// The zone is found by walking SOA up the name at the server; reads are TCP queries to the
// server; every write is one UPDATE whose prerequisites (RFC 2136 §2.4) state exactly what was
// read, so the server applies it only if nobody changed the set in between:
//   create:  "RRset does not exist" (type and CNAME), then add the new records;
//   replace: "RRset exists (value dependent)" with every old record and "no CNAME", then delete
//            the set and add the new records.
// A failed prerequisite (YXRRSET/NXRRSET) is a PreconditionFailedError, so the step re-reads.







const TIMEOUT_MS = 10_000;
const OPCODE_UPDATE = 5;
const CLASS_IN = 1;
const CLASS_NONE = 254;
const rfc2136_CLASS_ANY = 255;
const TYPE_CODES = { A: 1, CNAME: 5, SOA: 6, AAAA: 28 };
// dns-packet's record and question codecs are exported at runtime but not in its type definitions.
const codecs = dns_packet;
/** One record of an UPDATE message; class NONE/ANY are not in dns-packet's class table. */
function encodeRecord(name, type, klass, ttl, value) {
    const record = value === undefined
        ? codecs.answer.encode({ name, type: `UNKNOWN_${TYPE_CODES[type]}`, ttl, data: Buffer.alloc(0) })
        : codecs.answer.encode({ name, type, ttl, data: value });
    // The class follows the owner name (which dns-packet never compresses) and the type.
    record.writeUInt16BE(klass, encodedNameLength(name) + 2);
    return record;
}
function encodedNameLength(name) {
    const trimmed = name.replace(/^\.|\.$/g, '');
    return trimmed === '' ? 1 : Buffer.byteLength(trimmed) + 2;
}
/** An UPDATE message (RFC 2136 §2): zone, prerequisites and updates. */
function encodeUpdate(id, zone, prerequisites, updates) {
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    header.writeUInt16BE(OPCODE_UPDATE << 11, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(prerequisites.length, 6);
    header.writeUInt16BE(updates.length, 8);
    header.writeUInt16BE(0, 10);
    // question.encode returns the question, not the buffer, so it writes into one of ours.
    const zoneSection = Buffer.alloc(encodedNameLength(zone) + 4);
    codecs.question.encode({ name: zone, type: 'SOA', class: 'IN' }, zoneSection, 0);
    return Buffer.concat([header, zoneSection, ...prerequisites, ...updates]);
}
/** The UPDATE carrying out `change` under prerequisites on exactly what was read. */
function planUpdateMessage(id, zone, change) {
    const { desired } = change;
    const prerequisites = [encodeRecord(desired.name, 'CNAME', CLASS_NONE, 0, undefined)];
    const updates = [];
    if (change.kind === 'create') {
        prerequisites.push(encodeRecord(desired.name, desired.type, CLASS_NONE, 0, undefined));
    }
    else {
        for (const value of change.expected.values) {
            prerequisites.push(encodeRecord(change.expected.name, change.expected.type, CLASS_IN, 0, value));
        }
        updates.push(encodeRecord(desired.name, desired.type, rfc2136_CLASS_ANY, 0, undefined));
    }
    for (const value of desired.values) {
        updates.push(encodeRecord(desired.name, desired.type, CLASS_IN, desired.ttl, value));
    }
    return encodeUpdate(id, zone, prerequisites, updates);
}
function describeKey(key) {
    return key === undefined ? 'without a TSIG key' : `with TSIG key "${key.name}" (${key.algorithm})`;
}
class Rfc2136Provider {
    displayName;
    stats = { reads: 0, writes: 0 };
    settings;
    address;
    constructor(settings) {
        this.settings = settings;
        this.displayName = `RFC 2136 server ${(0,dns_client/* formatServer */.xu)(settings.server)}`;
    }
    get key() {
        return this.settings.tsig;
    }
    async server() {
        if (this.address !== undefined)
            return this.address;
        const { host, port } = this.settings.server;
        if ((0,external_node_net_.isIP)(host) !== 0)
            return (this.address = { host, port });
        try {
            const found = await (0,promises_.lookup)(host);
            return (this.address = { host: found.address, port });
        }
        catch (error) {
            throw new provider/* ProviderError */.m(`RFC 2136: cannot resolve the server name ${host} (${error.message}); give rfc2136-server as an IP address`);
        }
    }
    /** Sends a message over TCP, signed when a key is set, and verifies the signed answer. */
    async exchange(message, what) {
        const server = await this.server();
        const name = (0,dns_client/* formatServer */.xu)(this.settings.server);
        const key = this.key;
        const signed = key === undefined ? undefined : signTsig(message, key, new Date());
        let raw;
        try {
            raw = await (0,dns_client/* exchangeTcp */.d7)(server, signed?.message ?? message, TIMEOUT_MS);
        }
        catch (error) {
            if (error instanceof dns_client/* DnsNetworkError */.aY) {
                throw new provider/* ProviderError */.m(`RFC 2136: ${what} at ${name} failed: ${error.message}`, {
                    cause: error
                });
            }
            throw error;
        }
        const response = (0,dns_client/* decodeResponse */.oX)(server, raw, 'tcp');
        if (key !== undefined && signed !== undefined) {
            try {
                verifyTsigResponse(raw, signed.mac, key, new Date());
            }
            catch (error) {
                if (!(error instanceof TsigError))
                    throw error;
                // An unsigned error answer (FORMERR, or NOTAUTH before the key was checked) is still an
                // error; report it by its rcode. A success must be authentic.
                if (error.code === undefined && response.rcode !== 'NOERROR' && !/signature/.test(error.message)) {
                    return response;
                }
                throw new provider/* ProviderError */.m(`RFC 2136: ${name} rejected ${what} ${describeKey(key)}: ${error.message.replace(/^TSIG: /, '')}. Check rfc2136-tsig-key-name, rfc2136-tsig-secret and rfc2136-tsig-algorithm against the key configured on the server`);
            }
        }
        return response;
    }
    async query(zone, name, type) {
        const message = (0,dns_client/* encodeQuery */.XX)((0,dns_client/* createQueryId */.a7)(), name, type, false);
        const response = await this.exchange(message, `the ${type} query for ${name} (zone ${zone})`);
        const server = (0,dns_client/* formatServer */.xu)(this.settings.server);
        if (response.rcode === 'REFUSED' || response.rcode === 'NOTAUTH') {
            throw new provider/* ProviderError */.m(`RFC 2136: ${server} answered ${response.rcode} to the ${type} query for ${name} ${describeKey(this.key)}; it does not serve zone ${zone} to this client (allow-query) or is not authoritative for it`);
        }
        if (response.rcode === 'SERVFAIL') {
            throw new provider/* ProviderError */.m(`RFC 2136: ${server} answered SERVFAIL for ${name} ${type} (zone ${zone} not loaded?)`);
        }
        return response;
    }
    async findZone(domain, zoneHint) {
        const server = (0,dns_client/* formatServer */.xu)(this.settings.server);
        if (zoneHint !== undefined) {
            const response = await this.query(zoneHint, zoneHint, 'SOA');
            const soa = response.answers.find(a => a.type === 'SOA' && a.name === zoneHint);
            if (!response.authoritative || soa === undefined) {
                throw new provider/* ProviderError */.m(`RFC 2136: ${server} is not authoritative for zone ${zoneHint} (no SOA with the AA bit); check zone and rfc2136-server`);
            }
            return { name: zoneHint };
        }
        // Walk up the name: the first name whose SOA the server serves authoritatively is the zone.
        const labels = domain.split('.');
        for (let i = 0; i < labels.length - 1; i++) {
            const candidate = labels.slice(i).join('.');
            const message = (0,dns_client/* encodeQuery */.XX)((0,dns_client/* createQueryId */.a7)(), candidate, 'SOA', false);
            const response = await this.exchange(message, `the SOA query for ${candidate} (finding the zone of ${domain})`);
            if (response.rcode === 'REFUSED' || response.rcode === 'NOTAUTH')
                continue;
            if (!response.authoritative)
                continue;
            const zone = (0,dns_client/* zoneFromSoaAnswer */.qN)(candidate, response);
            if (zone !== undefined)
                return { name: zone };
        }
        throw new provider/* ProviderError */.m(`RFC 2136: ${server} is not authoritative for any zone that holds ${domain} (every SOA query up the name was refused or not authoritative); set zone, or point rfc2136-server at the primary of the zone`);
    }
    async read(zone, name, type) {
        this.stats.reads++;
        // One query: an authoritative server answers an A/AAAA query at a CNAME with the CNAME.
        const response = await this.query(zone.name, name, type);
        if (!response.authoritative) {
            throw new provider/* ProviderError */.m(`RFC 2136: ${(0,dns_client/* formatServer */.xu)(this.settings.server)} answered the ${type} query for ${name} without authority; it is not a server of zone ${zone.name}`);
        }
        const cnameRecord = response.answers.find(a => a.type === 'CNAME' && a.name === name);
        const cname = cnameRecord === undefined ? undefined : (0,dns_client/* dataName */.gk)(cnameRecord);
        const values = cname !== undefined ? [] : (0,dns_client/* addressesIn */.Mh)(response.answers, name, type);
        if (cname === undefined && values.length === 0)
            return { recordSet: undefined, cname: undefined };
        // A query cannot tell a record at the name from one a wildcard synthesised for it (RFC 4592;
        // without DNSSEC the two answers are identical), so ask the zone's own data.
        const answered = cname !== undefined ? 'CNAME' : type;
        const ttl = (cnameRecord ?? response.answers.find(a => a.type === type && a.name === name))?.ttl ?? 0;
        const own = await this.holdsOwnRRset(zone, name, answered, cname !== undefined ? [cname] : values, ttl);
        if (!own) {
            return {
                recordSet: undefined,
                cname: undefined,
                wildcard: { type: answered, values: cname !== undefined ? [cname] : values }
            };
        }
        if (cname !== undefined)
            return { recordSet: undefined, cname };
        return { recordSet: { name, type, ttl, values }, cname: undefined };
    }
    /**
     * Whether `name` holds an RRset of `type` of its own, or the answer was synthesised from a
     * wildcard. First a prerequisite-only UPDATE ("RRset exists (value independent)", RFC 2136
     * §2.4.1, no update section): the server evaluates prerequisites against the zone's records
     * without wildcard expansion and changes nothing (NOERROR: it exists; NXRRSET: it does not).
     * It is signed like a write. A server that refuses it (no key, or a key not allowed to update:
     * typical of a read-only check) gets the fallback: a random sibling name has the same closest
     * encloser, so it shows what a wildcard would answer at the name. The same values and TTL there
     * are taken as the wildcard's answer (an explicit record that copies the wildcard exactly is
     * the one case this guesses wrong; docs/rfc2136.md says so).
     */
    async holdsOwnRRset(zone, name, type, answered, ttl) {
        // The apex always exists, so nothing is ever synthesised for it.
        if (name === zone.name)
            return true;
        const probe = encodeUpdate((0,dns_client/* createQueryId */.a7)(), zone.name, [encodeRecord(name, type, rfc2136_CLASS_ANY, 0, undefined)], []);
        const response = await this.exchange(probe, `the prerequisite-only update for ${name} ${type} in zone ${zone.name}`);
        if (response.rcode === 'NOERROR')
            return true;
        if (response.rcode === 'NXRRSET' || response.rcode === 'NXDOMAIN')
            return false;
        const parent = name.slice(name.indexOf('.') + 1);
        const sibling = `ldaps-dns-probe-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.${parent}`;
        const other = await this.query(zone.name, sibling, type === 'CNAME' ? 'A' : type);
        const otherRecord = other.answers.find(a => a.name === sibling && (a.type === 'CNAME' || (type !== 'CNAME' && a.type === type)));
        if (otherRecord === undefined || (otherRecord.type === 'CNAME') !== (type === 'CNAME'))
            return true;
        const otherValues = type === 'CNAME' ? [(0,dns_client/* dataName */.gk)(otherRecord)] : (0,dns_client/* addressesIn */.Mh)(other.answers, sibling, type);
        return !(otherRecord.ttl === ttl && sameValues(otherValues, answered));
    }
    async write(zone, change) {
        this.stats.writes++;
        const server = (0,dns_client/* formatServer */.xu)(this.settings.server);
        const message = planUpdateMessage((0,dns_client/* createQueryId */.a7)(), zone.name, change);
        const response = await this.exchange(message, `the update of ${change.desired.name} in zone ${zone.name}`);
        const target = `${change.desired.name} ${change.desired.type}`;
        switch (response.rcode) {
            case 'NOERROR':
                return {};
            case 'YXRRSET':
            case 'NXRRSET':
            case 'YXDOMAIN':
            case 'NXDOMAIN':
                throw new provider/* PreconditionFailedError */.k(`${server} refused the update of ${target} because the record set is no longer what was read (${response.rcode}: ${describeExpectation(change)})`);
            case 'REFUSED':
                throw new provider/* ProviderError */.m(`RFC 2136: ${server} REFUSED the update of ${target} in zone ${zone.name} ${describeKey(this.key)}; ${this.key === undefined ? 'it does not accept unsigned updates from this address: set rfc2136-tsig-key-name and rfc2136-tsig-secret' : 'the key is not allowed to update this zone or name (allow-update / update-policy on the server)'}`);
            case 'NOTAUTH':
                throw new provider/* ProviderError */.m(`RFC 2136: ${server} answered NOTAUTH to the update of zone ${zone.name} ${describeKey(this.key)}; it is not authoritative (primary) for the zone, or the key was not accepted`);
            case 'NOTZONE':
                throw new provider/* ProviderError */.m(`RFC 2136: ${server} says ${change.desired.name} is not in zone ${zone.name} (NOTZONE)`);
            default:
                throw new provider/* ProviderError */.m(`RFC 2136: ${server} answered ${response.rcode} to the update of ${target} in zone ${zone.name} ${describeKey(this.key)}`);
        }
    }
}
function sameValues(a, b) {
    const left = [...new Set(a)].sort();
    const right = [...new Set(b)].sort();
    return left.length === right.length && left.every((v, i) => v === right[i]);
}
function describeExpectation(change) {
    if (change.kind === 'create')
        return `expected no ${change.desired.type} set and no CNAME`;
    return `expected exactly ${change.expected.values.join(', ')}`;
}


/***/ })

};
