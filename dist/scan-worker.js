import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 280:
/***/ (function(module) {

(function (root) {
    'use strict';
    // A list of regular expressions that match arbitrary IPv4 addresses,
    // for which a number of weird notations exist.
    // Note that an address like 0010.0xa5.1.1 is considered legal.
    const ipv4Part = '(0?\\d+|0x[a-f0-9]+)';
    const ipv4Regexes = {
        fourOctet: new RegExp(`^${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}$`, 'i'),
        threeOctet: new RegExp(`^${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}$`, 'i'),
        twoOctet: new RegExp(`^${ipv4Part}\\.${ipv4Part}$`, 'i'),
        longValue: new RegExp(`^${ipv4Part}$`, 'i')
    };

    // Regular Expression for checking Octal numbers
    const octalRegex = new RegExp(`^0[0-7]+$`, 'i');
    const hexRegex = new RegExp(`^0x[a-f0-9]+$`, 'i');

    const zoneIndex = '%[0-9a-z]{1,}';

    // IPv6-matching regular expressions.
    // For IPv6, the task is simpler: it is enough to match the colon-delimited
    // hexadecimal IPv6 and a transitional variant with dotted-decimal IPv4 at
    // the end.
    const ipv6Part = '(?:[0-9a-f]+::?)+';
    const ipv6Regexes = {
        zoneIndex: new RegExp(zoneIndex, 'i'),
        'native': new RegExp(`^(::)?(${ipv6Part})?([0-9a-f]+)?(::)?(${zoneIndex})?$`, 'i'),
        deprecatedTransitional: new RegExp(`^(?:::)(${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}(${zoneIndex})?)$`, 'i'),
        transitional: new RegExp(`^((?:${ipv6Part})|(?:::)(?:${ipv6Part})?)${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}(${zoneIndex})?$`, 'i')
    };

    // Expand :: in an IPv6 address or address part consisting of `parts` groups.
    function expandIPv6 (string, parts) {
        // More than one '::' means invalid address
        if (string.indexOf('::') !== string.lastIndexOf('::')) {
            return null;
        }

        let colonCount = 0;
        let lastColon = -1;
        let zoneId = (string.match(ipv6Regexes.zoneIndex) || [])[0];
        let replacement, replacementCount;

        // Remove zone index and save it for later
        if (zoneId) {
            zoneId = zoneId.substring(1);
            string = string.replace(/%.+$/, '');
        }

        // How many parts do we already have?
        while ((lastColon = string.indexOf(':', lastColon + 1)) >= 0) {
            colonCount++;
        }

        // 0::0 is two parts more than ::
        if (string.substr(0, 2) === '::') {
            colonCount--;
        }

        if (string.substr(-2, 2) === '::') {
            colonCount--;
        }

        // An address must not contain more separators than available parts,
        // and :: must compress at least one part.
        if (colonCount >= parts) {
            return null;
        }

        // replacement = ':' + '0:' * (parts - colonCount)
        replacementCount = parts - colonCount;
        replacement = ':';
        while (replacementCount--) {
            replacement += '0:';
        }

        // Insert the missing zeroes
        string = string.replace('::', replacement);

        // Trim any garbage which may be hanging around if :: was at the edge in
        // the source string
        if (string[0] === ':') {
            string = string.slice(1);
        }

        if (string[string.length - 1] === ':') {
            string = string.slice(0, -1);
        }

        parts = (function () {
            const ref = string.split(':');
            const results = [];

            for (let i = 0; i < ref.length; i++) {
                results.push(ref[i].length > 4 ? NaN : parseInt(ref[i], 16));
            }

            return results;
        })();

        return {
            parts: parts,
            zoneId: zoneId
        };
    }

    // A generic CIDR (Classless Inter-Domain Routing) RFC1518 range matcher.
    function matchCIDR (first, second, partSize, cidrBits) {
        if (first.length !== second.length) {
            throw new Error('ipaddr: cannot match CIDR for objects with different lengths');
        }

        let part = 0;
        let shift;

        while (cidrBits > 0) {
            shift = partSize - cidrBits;
            if (shift < 0) {
                shift = 0;
            }

            if (first[part] >> shift !== second[part] >> shift) {
                return false;
            }

            cidrBits -= partSize;
            part += 1;
        }

        return true;
    }

    function parseIntAuto (string) {
        // Hexadecimal base 16 (0x#)
        if (hexRegex.test(string)) {
            return parseInt(string, 16);
        }
        // While octal representation is discouraged by ECMAScript 3
        // and forbidden by ECMAScript 5, we silently allow it to
        // work only if the rest of the string has numbers less than 8.
        if (string[0] === '0' && !isNaN(parseInt(string[1], 10))) {
        if (octalRegex.test(string)) {
            return parseInt(string, 8);
        }
            throw new Error(`ipaddr: cannot parse ${string} as octal`);
        }
        // Always include the base 10 radix!
        return parseInt(string, 10);
    }

    function padPart (part, length) {
        while (part.length < length) {
            part = `0${part}`;
        }

        return part;
    }

    const ipaddr = {};

    // An IPv4 address (RFC791).
    ipaddr.IPv4 = (function () {
        // Constructs a new IPv4 address from an array of four octets
        // in network order (MSB first)
        // Verifies the input.
        function IPv4 (octets) {
            if (octets.length !== 4) {
                throw new Error('ipaddr: ipv4 octet count should be 4');
            }

            let i, octet;

            for (i = 0; i < octets.length; i++) {
                octet = octets[i];
                if (!((0 <= octet && octet <= 255))) {
                    throw new Error('ipaddr: ipv4 octet should fit in 8 bits');
                }
            }

            this.octets = octets;
        }

        // Special IPv4 address ranges.
        // See also https://en.wikipedia.org/wiki/Reserved_IP_addresses
        IPv4.prototype.SpecialRanges = {
            unspecified: [[new IPv4([0, 0, 0, 0]), 8]],
            broadcast: [[new IPv4([255, 255, 255, 255]), 32]],
            // RFC3171
            multicast: [[new IPv4([224, 0, 0, 0]), 4]],
            // RFC3927
            linkLocal: [[new IPv4([169, 254, 0, 0]), 16]],
            // RFC5735
            loopback: [[new IPv4([127, 0, 0, 0]), 8]],
            // RFC6598
            carrierGradeNat: [[new IPv4([100, 64, 0, 0]), 10]],
            // RFC1918
            'private': [
                [new IPv4([10, 0, 0, 0]), 8],
                [new IPv4([172, 16, 0, 0]), 12],
                [new IPv4([192, 168, 0, 0]), 16]
            ],
            // Reserved and testing-only ranges; RFCs 5735, 5737, 2544, 1700
            reserved: [
                [new IPv4([192, 0, 0, 0]), 24],
                [new IPv4([192, 0, 2, 0]), 24],
                [new IPv4([192, 88, 99, 0]), 24],
                [new IPv4([198, 18, 0, 0]), 15],
                [new IPv4([198, 51, 100, 0]), 24],
                [new IPv4([203, 0, 113, 0]), 24],
                [new IPv4([240, 0, 0, 0]), 4]
            ],
            // RFC7534, RFC7535
            as112: [
                [new IPv4([192, 175, 48, 0]), 24],
                [new IPv4([192, 31, 196, 0]), 24],
            ],
            // RFC7450
            amt: [
                [new IPv4([192, 52, 193, 0]), 24],
            ],
        };

        // The 'kind' method exists on both IPv4 and IPv6 classes.
        IPv4.prototype.kind = function () {
            return 'ipv4';
        };

        // Checks if this address matches other one within given CIDR range.
        IPv4.prototype.match = function (other, cidrRange) {
            let ref;
            if (cidrRange === undefined) {
                ref = other;
                other = ref[0];
                cidrRange = ref[1];
            }

            if (other.kind() !== 'ipv4') {
                throw new Error('ipaddr: cannot match ipv4 address with non-ipv4 one');
            }

            return matchCIDR(this.octets, other.octets, 8, cidrRange);
        };

        // returns a number of leading ones in IPv4 address, making sure that
        // the rest is a solid sequence of 0's (valid netmask)
        // returns either the CIDR length or null if mask is not valid
        IPv4.prototype.prefixLengthFromSubnetMask = function () {
            let cidr = 0;
            // non-zero encountered stop scanning for zeroes
            let stop = false;
            // number of zeroes in octet
            const zerotable = {
                0: 8,
                128: 7,
                192: 6,
                224: 5,
                240: 4,
                248: 3,
                252: 2,
                254: 1,
                255: 0
            };
            let i, octet, zeros;

            for (i = 3; i >= 0; i -= 1) {
                octet = this.octets[i];
                if (octet in zerotable) {
                    zeros = zerotable[octet];
                    if (stop && zeros !== 0) {
                        return null;
                    }

                    if (zeros !== 8) {
                        stop = true;
                    }

                    cidr += zeros;
                } else {
                    return null;
                }
            }

            return 32 - cidr;
        };

        // Checks if the address corresponds to one of the special ranges.
        IPv4.prototype.range = function () {
            return ipaddr.subnetMatch(this, this.SpecialRanges);
        };

        // Returns an array of byte-sized values in network order (MSB first)
        IPv4.prototype.toByteArray = function () {
            return this.octets.slice(0);
        };

        // Converts this IPv4 address to an IPv4-mapped IPv6 address.
        IPv4.prototype.toIPv4MappedAddress = function () {
            return ipaddr.IPv6.parse(`::ffff:${this.toString()}`);
        };

        // Symmetrical method strictly for aligning with the IPv6 methods.
        IPv4.prototype.toNormalizedString = function () {
            return this.toString();
        };

        // Returns the address in convenient, decimal-dotted format.
        IPv4.prototype.toString = function () {
            return this.octets.join('.');
        };

        return IPv4;
    })();

    // A utility function to return broadcast address given the IPv4 interface and prefix length in CIDR notation
    ipaddr.IPv4.broadcastAddressFromCIDR = function (string) {

        try {
            const cidr = this.parseCIDR(string);
            const ipInterfaceOctets = cidr[0].toByteArray();
            const subnetMaskOctets = this.subnetMaskFromPrefixLength(cidr[1]).toByteArray();
            const octets = [];
            let i = 0;
            while (i < 4) {
                // Broadcast address is bitwise OR between ip interface and inverted mask
                octets.push(parseInt(ipInterfaceOctets[i], 10) | parseInt(subnetMaskOctets[i], 10) ^ 255);
                i++;
            }

            return new this(octets);
        } catch (e) {
            throw new Error('ipaddr: the address does not have IPv4 CIDR format', { cause: e });
        }
    };

    // Checks if a given string is formatted like IPv4 address.
    ipaddr.IPv4.isIPv4 = function (string) {
        return this.parser(string) !== null;
    };

    // Checks if a given string is a valid IPv4 address.
    ipaddr.IPv4.isValid = function (string) {
        try {
            new this(this.parser(string));
            return true;
        } catch {
            return false;
        }
    };

    // Checks if a given string is a valid IPv4 address in CIDR notation.
    ipaddr.IPv4.isValidCIDR = function (string) {
        try {
            this.parseCIDR(string);
            return true;
        } catch {
            return false;
        }
    };

    // Checks if a given string is a full four-part IPv4 Address.
    ipaddr.IPv4.isValidFourPartDecimal = function (string) {
        if (ipaddr.IPv4.isValid(string) && string.match(/^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/)) {
            return true;
        } else {
            return false;
        }
    };

    // Checks if a given string is a full four-part IPv4 Address with CIDR prefix.
    ipaddr.IPv4.isValidCIDRFourPartDecimal = function (string) {
        const match = string.match(/^(.+)\/(\d+)$/);

        if (!ipaddr.IPv4.isValidCIDR(string) || !match) {
            return false;
        }

        return ipaddr.IPv4.isValidFourPartDecimal(match[1]);
    };

    // A utility function to return network address given the IPv4 interface and prefix length in CIDR notation
    ipaddr.IPv4.networkAddressFromCIDR = function (string) {
        let cidr, i, ipInterfaceOctets, octets, subnetMaskOctets;

        try {
            cidr = this.parseCIDR(string);
            ipInterfaceOctets = cidr[0].toByteArray();
            subnetMaskOctets = this.subnetMaskFromPrefixLength(cidr[1]).toByteArray();
            octets = [];
            i = 0;
            while (i < 4) {
                // Network address is bitwise AND between ip interface and mask
                octets.push(parseInt(ipInterfaceOctets[i], 10) & parseInt(subnetMaskOctets[i], 10));
                i++;
            }

            return new this(octets);
        } catch (e) {
            throw new Error('ipaddr: the address does not have IPv4 CIDR format', { cause: e });
        }
    };

    // Tries to parse and validate a string with IPv4 address.
    // Throws an error if it fails.
    ipaddr.IPv4.parse = function (string) {
        const parts = this.parser(string);

        if (parts === null) {
            throw new Error('ipaddr: string is not formatted like an IPv4 Address');
        }

        return new this(parts);
    };

    // Parses the string as an IPv4 Address with CIDR Notation.
    ipaddr.IPv4.parseCIDR = function (string) {
        let match;

        if ((match = string.match(/^(.+)\/(\d+)$/))) {
            const maskLength = parseInt(match[2]);
            if (maskLength >= 0 && maskLength <= 32) {
                const parsed = [this.parse(match[1]), maskLength];
                Object.defineProperty(parsed, 'toString', {
                    value: function () {
                        return this.join('/');
                    }
                });
                return parsed;
            }
        }

        throw new Error('ipaddr: string is not formatted like an IPv4 CIDR range');
    };

    // Classful variants (like a.b, where a is an octet, and b is a 24-bit
    // value representing last three octets; this corresponds to a class C
    // address) are omitted due to classless nature of modern Internet.
    ipaddr.IPv4.parser = function (string) {
        let match, part, value;

        // parseInt recognizes all that octal & hexadecimal weirdness for us
        if ((match = string.match(ipv4Regexes.fourOctet))) {
            return (function () {
                const ref = match.slice(1, 6);
                const results = [];

                for (let i = 0; i < ref.length; i++) {
                    part = ref[i];
                    results.push(parseIntAuto(part));
                }

                return results;
            })();
        } else if ((match = string.match(ipv4Regexes.longValue))) {
            value = parseIntAuto(match[1]);
            if (value > 0xffffffff || value < 0) {
                throw new Error('ipaddr: address outside defined range');
            }

            return ((function () {
                const results = [];
                let shift;

                for (shift = 0; shift <= 24; shift += 8) {
                    results.push((value >> shift) & 0xff);
                }

                return results;
            })()).reverse();
        } else if ((match = string.match(ipv4Regexes.twoOctet))) {
            return (function () {
                const ref = match.slice(1, 4);
                const results = [];

                value = parseIntAuto(ref[1]);
                if (value > 0xffffff || value < 0) {
                    throw new Error('ipaddr: address outside defined range');
                }

                results.push(parseIntAuto(ref[0]));
                results.push((value >> 16) & 0xff);
                results.push((value >>  8) & 0xff);
                results.push( value        & 0xff);

                return results;
            })();
        } else if ((match = string.match(ipv4Regexes.threeOctet))) {
            return (function () {
                const ref = match.slice(1, 5);
                const results = [];

                value = parseIntAuto(ref[2]);
                if (value > 0xffff || value < 0) {
                    throw new Error('ipaddr: address outside defined range');
                }

                results.push(parseIntAuto(ref[0]));
                results.push(parseIntAuto(ref[1]));
                results.push((value >> 8) & 0xff);
                results.push( value       & 0xff);

                return results;
            })();
        } else {
            return null;
        }
    };

    // A utility function to return subnet mask in IPv4 format given the prefix length
    ipaddr.IPv4.subnetMaskFromPrefixLength = function (prefix) {
        prefix = parseInt(prefix);
        if (Number.isNaN(prefix) || prefix < 0 || prefix > 32) {
            throw new Error('ipaddr: invalid IPv4 prefix length');
        }

        const octets = [0, 0, 0, 0];
        let j = 0;
        const filledOctetCount = Math.floor(prefix / 8);

        while (j < filledOctetCount) {
            octets[j] = 255;
            j++;
        }

        if (filledOctetCount < 4) {
            octets[filledOctetCount] = Math.pow(2, prefix % 8) - 1 << 8 - (prefix % 8);
        }

        return new this(octets);
    };

    // An IPv6 address (RFC2460)
    ipaddr.IPv6 = (function () {
        // Constructs an IPv6 address from an array of eight 16 - bit parts
        // or sixteen 8 - bit parts in network order(MSB first).
        // Throws an error if the input is invalid.
        function IPv6 (parts, zoneId) {
            let i, part;

            if (parts.length === 16) {
                this.parts = [];
                for (i = 0; i <= 14; i += 2) {
                    this.parts.push((parts[i] << 8) | parts[i + 1]);
                }
            } else if (parts.length === 8) {
                this.parts = parts;
            } else {
                throw new Error('ipaddr: ipv6 part count should be 8 or 16');
            }

            for (i = 0; i < this.parts.length; i++) {
                part = this.parts[i];
                if (!((0 <= part && part <= 0xffff))) {
                    throw new Error('ipaddr: ipv6 part should fit in 16 bits');
                }
            }

            if (zoneId) {
                this.zoneId = zoneId;
            }
        }

        // Special IPv6 ranges
        IPv6.prototype.SpecialRanges = {
            // RFC4291, here and after
            unspecified: [new IPv6([0, 0, 0, 0, 0, 0, 0, 0]), 128],
            linkLocal: [new IPv6([0xfe80, 0, 0, 0, 0, 0, 0, 0]), 10],
            multicast: [new IPv6([0xff00, 0, 0, 0, 0, 0, 0, 0]), 8],
            loopback: [new IPv6([0, 0, 0, 0, 0, 0, 0, 1]), 128],
            uniqueLocal: [new IPv6([0xfc00, 0, 0, 0, 0, 0, 0, 0]), 7],
            ipv4Mapped: [new IPv6([0, 0, 0, 0, 0, 0xffff, 0, 0]), 96],
            // RFC3879
            deprecatedSiteLocal: [new IPv6([0xfec0, 0, 0, 0, 0, 0, 0, 0]), 10],
            // RFC6666
            discard: [new IPv6([0x100, 0, 0, 0, 0, 0, 0, 0]), 64],
            // RFC6145
            rfc6145: [new IPv6([0, 0, 0, 0, 0xffff, 0, 0, 0]), 96],
            rfc6052: [
                // RFC6052
                [new IPv6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0]), 96],
                // RFC8215
                [new IPv6([0x64, 0xff9b, 0x1, 0, 0, 0, 0, 0]), 48],
            ],
            // RFC3056
            '6to4': [new IPv6([0x2002, 0, 0, 0, 0, 0, 0, 0]), 16],
            // RFC6052, RFC6146
            teredo: [new IPv6([0x2001, 0, 0, 0, 0, 0, 0, 0]), 32],
            // RFC5180
            benchmarking: [new IPv6([0x2001, 0x2, 0, 0, 0, 0, 0, 0]), 48],
            // RFC7450
            amt: [new IPv6([0x2001, 0x3, 0, 0, 0, 0, 0, 0]), 32],
            as112v6: [
                // RFC7535
                [new IPv6([0x2001, 0x4, 0x112, 0, 0, 0, 0, 0]), 48],
                // RFC7534
                [new IPv6([0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0]), 48],
            ],
            // RFC4843
            deprecatedOrchid: [new IPv6([0x2001, 0x10, 0, 0, 0, 0, 0, 0]), 28],
            // RFC7343
            orchid2: [new IPv6([0x2001, 0x20, 0, 0, 0, 0, 0, 0]), 28],
            // RFC9374
            droneRemoteIdProtocolEntityTags: [new IPv6([0x2001, 0x30, 0, 0, 0, 0, 0, 0]), 28],
            // RFC9602
            segmentRouting: [new IPv6([0x5f00, 0, 0, 0, 0, 0, 0, 0]), 16],
            reserved: [
                // RFC3849
                [new IPv6([0x2001, 0, 0, 0, 0, 0, 0, 0]), 23],
                // RFC2928
                [new IPv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]), 32],
                // RFC9637
                [new IPv6([0x3fff, 0, 0, 0, 0, 0, 0, 0]), 20],
            ],
        };

        // Checks if this address is an IPv4-mapped IPv6 address.
        IPv6.prototype.isIPv4MappedAddress = function () {
            return this.range() === 'ipv4Mapped';
        };

        // The 'kind' method exists on both IPv4 and IPv6 classes.
        IPv6.prototype.kind = function () {
            return 'ipv6';
        };

        // Checks if this address matches other one within given CIDR range.
        IPv6.prototype.match = function (other, cidrRange) {
            let ref;

            if (cidrRange === undefined) {
                ref = other;
                other = ref[0];
                cidrRange = ref[1];
            }

            if (other.kind() !== 'ipv6') {
                throw new Error('ipaddr: cannot match ipv6 address with non-ipv6 one');
            }

            return matchCIDR(this.parts, other.parts, 16, cidrRange);
        };

        // returns a number of leading ones in IPv6 address, making sure that
        // the rest is a solid sequence of 0's (valid netmask)
        // returns either the CIDR length or null if mask is not valid
        IPv6.prototype.prefixLengthFromSubnetMask = function () {
            let cidr = 0;
            // non-zero encountered stop scanning for zeroes
            let stop = false;
            // number of zeroes in octet
            const zerotable = {
                0: 16,
                32768: 15,
                49152: 14,
                57344: 13,
                61440: 12,
                63488: 11,
                64512: 10,
                65024: 9,
                65280: 8,
                65408: 7,
                65472: 6,
                65504: 5,
                65520: 4,
                65528: 3,
                65532: 2,
                65534: 1,
                65535: 0
            };
            let part, zeros;

            for (let i = 7; i >= 0; i -= 1) {
                part = this.parts[i];
                if (part in zerotable) {
                    zeros = zerotable[part];
                    if (stop && zeros !== 0) {
                        return null;
                    }

                    if (zeros !== 16) {
                        stop = true;
                    }

                    cidr += zeros;
                } else {
                    return null;
                }
            }

            return 128 - cidr;
        };


        // Checks if the address corresponds to one of the special ranges.
        IPv6.prototype.range = function () {
            return ipaddr.subnetMatch(this, this.SpecialRanges);
        };

        // Returns an array of byte-sized values in network order (MSB first)
        IPv6.prototype.toByteArray = function () {
            let part;
            const bytes = [];
            const ref = this.parts;
            for (let i = 0; i < ref.length; i++) {
                part = ref[i];
                bytes.push(part >> 8);
                bytes.push(part & 0xff);
            }

            return bytes;
        };

        // Returns the address in expanded format with all zeroes included, like
        // 2001:0db8:0008:0066:0000:0000:0000:0001
        IPv6.prototype.toFixedLengthString = function () {
            const addr = ((function () {
                const results = [];
                for (let i = 0; i < this.parts.length; i++) {
                    results.push(padPart(this.parts[i].toString(16), 4));
                }

                return results;
            }).call(this)).join(':');

            let suffix = '';

            if (this.zoneId) {
                suffix = `%${this.zoneId}`;
            }

            return addr + suffix;
        };

        // Converts this address to IPv4 address if it is an IPv4-mapped IPv6 address.
        // Throws an error otherwise.
        IPv6.prototype.toIPv4Address = function () {
            if (!this.isIPv4MappedAddress()) {
                throw new Error('ipaddr: trying to convert a generic ipv6 address to ipv4');
            }

            const ref = this.parts.slice(-2);
            const high = ref[0];
            const low = ref[1];

            return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
        };

        // Returns the address in expanded format with all zeroes included, like
        // 2001:db8:8:66:0:0:0:1
        //
        // Deprecated: use toFixedLengthString() instead.
        IPv6.prototype.toNormalizedString = function () {
            const addr = ((function () {
                const results = [];

                for (let i = 0; i < this.parts.length; i++) {
                    results.push(this.parts[i].toString(16));
                }

                return results;
            }).call(this)).join(':');

            let suffix = '';

            if (this.zoneId) {
                suffix = `%${this.zoneId}`;
            }

            return addr + suffix;
        };

        // Returns the address in compact, human-readable format like
        // 2001:db8:8:66::1
        // in line with RFC 5952 (see https://tools.ietf.org/html/rfc5952#section-4)
        IPv6.prototype.toRFC5952String = function () {
            const regex = /((^|:)(0(:|$)){2,})/g;
            // The zone identifier (RFC 4007) is not part of the address; match
            // against the address alone so a trailing zero run right before the
            // "%" suffix still gets compressed (RFC 5952, 4.2.2).
            let suffix = '';
            if (this.zoneId) {
                suffix = `%${this.zoneId}`;
            }
            const normalized = this.toNormalizedString();
            const string = normalized.slice(0, normalized.length - suffix.length);
            let bestMatchIndex = 0;
            let bestMatchLength = -1;
            let bestMatchGroups = -1;
            let match;

            while ((match = regex.exec(string))) {
                // Compare by the number of zero groups, not the matched length:
                // a run that is not at the start carries a leading ":" in the
                // match, so an equal-length run later in the address would
                // otherwise be preferred over the leftmost one (RFC 5952, 4.2.3).
                const groups = (match[0].match(/0/g) || []).length;
                if (groups > bestMatchGroups) {
                    bestMatchGroups = groups;
                    bestMatchIndex = match.index;
                    bestMatchLength = match[0].length;
                }
            }

            if (bestMatchLength < 0) {
                return string + suffix;
            }

            return `${string.substring(0, bestMatchIndex)}::${string.substring(bestMatchIndex + bestMatchLength)}${suffix}`;
        };

        // Returns the address in compact, human-readable format like
        // 2001:db8:8:66::1
        // Calls toRFC5952String under the hood.
        IPv6.prototype.toString = function () {
            return this.toRFC5952String();
        };

        return IPv6;

    })();

    // A utility function to return broadcast address given the IPv6 interface and prefix length in CIDR notation
    ipaddr.IPv6.broadcastAddressFromCIDR = function (string) {
        try {
            const cidr = this.parseCIDR(string);
            const ipInterfaceOctets = cidr[0].toByteArray();
            const subnetMaskOctets = this.subnetMaskFromPrefixLength(cidr[1]).toByteArray();
            const octets = [];
            let i = 0;
            while (i < 16) {
                // Broadcast address is bitwise OR between ip interface and inverted mask
                octets.push(parseInt(ipInterfaceOctets[i], 10) | parseInt(subnetMaskOctets[i], 10) ^ 255);
                i++;
            }

            return new this(octets);
        } catch (e) {
            throw new Error('ipaddr: the address does not have IPv6 CIDR format', { cause: e });
        }
    };

    // Checks if a given string is formatted like IPv6 address.
    ipaddr.IPv6.isIPv6 = function (string) {
        return this.parser(string) !== null;
    };

    // Checks to see if string is a valid IPv6 Address
    ipaddr.IPv6.isValid = function (string) {

        // Since IPv6.isValid is always called first, this shortcut
        // provides a substantial performance gain.
        if (typeof string === 'string' && string.indexOf(':') === -1) {
            return false;
        }

        try {
            const addr = this.parser(string);
            new this(addr.parts, addr.zoneId);
            return true;
        } catch {
            return false;
        }
    };

    // Checks if a given string is a valid IPv6 address in CIDR notation.
    ipaddr.IPv6.isValidCIDR = function (string) {

        // See note in IPv6.isValid
        if (typeof string === 'string' && string.indexOf(':') === -1) {
            return false;
        }

        try {
            this.parseCIDR(string);
            return true;
        } catch {
            return false;
        }
    };

    // A utility function to return network address given the IPv6 interface and prefix length in CIDR notation
    ipaddr.IPv6.networkAddressFromCIDR = function (string) {
        let cidr, i, ipInterfaceOctets, octets, subnetMaskOctets;

        try {
            cidr = this.parseCIDR(string);
            ipInterfaceOctets = cidr[0].toByteArray();
            subnetMaskOctets = this.subnetMaskFromPrefixLength(cidr[1]).toByteArray();
            octets = [];
            i = 0;
            while (i < 16) {
                // Network address is bitwise AND between ip interface and mask
                octets.push(parseInt(ipInterfaceOctets[i], 10) & parseInt(subnetMaskOctets[i], 10));
                i++;
            }

            return new this(octets);
        } catch (e) {
            throw new Error('ipaddr: the address does not have IPv6 CIDR format', { cause: e });
        }
    };

    // Tries to parse and validate a string with IPv6 address.
    // Throws an error if it fails.
    ipaddr.IPv6.parse = function (string) {
        const addr = this.parser(string);

        if (addr === null) {
            throw new Error('ipaddr: string is not formatted like an IPv6 Address');
        }

        return new this(addr.parts, addr.zoneId);
    };

    ipaddr.IPv6.parseCIDR = function (string) {
        let maskLength, match, parsed;

        if ((match = string.match(/^(.+)\/(\d+)$/))) {
            maskLength = parseInt(match[2]);
            if (maskLength >= 0 && maskLength <= 128) {
                parsed = [this.parse(match[1]), maskLength];
                Object.defineProperty(parsed, 'toString', {
                    value: function () {
                        return this.join('/');
                    }
                });
                return parsed;
            }
        }

        throw new Error('ipaddr: string is not formatted like an IPv6 CIDR range');
    };

    // Parse an IPv6 address.
    ipaddr.IPv6.parser = function (string) {
        let addr, i, match, octet, octets, zoneId;

        if ((match = string.match(ipv6Regexes.deprecatedTransitional))) {
            return this.parser(`::ffff:${match[1]}`);
        }
        if (ipv6Regexes.native.test(string)) {
            return expandIPv6(string, 8);
        }
        if ((match = string.match(ipv6Regexes.transitional))) {
            zoneId = match[6] || '';
            addr = match[1]
            if (!match[1].endsWith('::')) {
                addr = addr.slice(0, -1)
            }
            addr = expandIPv6(addr + zoneId, 6);
            if (addr && addr.parts) {
                octets = [
                    parseInt(match[2]),
                    parseInt(match[3]),
                    parseInt(match[4]),
                    parseInt(match[5])
                ];
                for (i = 0; i < octets.length; i++) {
                    octet = octets[i];
                    if (!((0 <= octet && octet <= 255))) {
                        return null;
                    }
                }

                addr.parts.push(octets[0] << 8 | octets[1]);
                addr.parts.push(octets[2] << 8 | octets[3]);
                return {
                    parts: addr.parts,
                    zoneId: addr.zoneId
                };
            }
        }

        return null;
    };

    // A utility function to return subnet mask in IPv6 format given the prefix length
    ipaddr.IPv6.subnetMaskFromPrefixLength = function (prefix) {
        prefix = parseInt(prefix);
        if (Number.isNaN(prefix) || prefix < 0 || prefix > 128) {
            throw new Error('ipaddr: invalid IPv6 prefix length');
        }

        const octets = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let j = 0;
        const filledOctetCount = Math.floor(prefix / 8);

        while (j < filledOctetCount) {
            octets[j] = 255;
            j++;
        }

        if (filledOctetCount < 16) {
            octets[filledOctetCount] = Math.pow(2, prefix % 8) - 1 << 8 - (prefix % 8);
        }

        return new this(octets);
    };

    // Try to parse an array in network order (MSB first) for IPv4 and IPv6
    ipaddr.fromByteArray = function (bytes) {
        const length = bytes.length;

        if (length === 4) {
            return new ipaddr.IPv4(bytes);
        } else if (length === 16) {
            return new ipaddr.IPv6(bytes);
        } else {
            throw new Error('ipaddr: the binary input is neither an IPv6 nor IPv4 address');
        }
    };

    // Checks if the address is valid IP address
    ipaddr.isValid = function (string) {
        return ipaddr.IPv6.isValid(string) || ipaddr.IPv4.isValid(string);
    };

    // Checks if the address is valid IP address in CIDR notation
    ipaddr.isValidCIDR = function (string) {
        return ipaddr.IPv6.isValidCIDR(string) || ipaddr.IPv4.isValidCIDR(string);
    };


    // Attempts to parse an IP Address, first through IPv6 then IPv4.
    // Throws an error if it could not be parsed.
    ipaddr.parse = function (string) {
        if (ipaddr.IPv6.isValid(string)) {
            return ipaddr.IPv6.parse(string);
        } else if (ipaddr.IPv4.isValid(string)) {
            return ipaddr.IPv4.parse(string);
        } else {
            throw new Error('ipaddr: the address has neither IPv6 nor IPv4 format');
        }
    };

    // Attempt to parse CIDR notation, first through IPv6 then IPv4.
    // Throws an error if it could not be parsed.
    ipaddr.parseCIDR = function (string) {
        try {
            return ipaddr.IPv6.parseCIDR(string);
        } catch {
            try {
                return ipaddr.IPv4.parseCIDR(string);
            } catch (e) {
                throw new Error('ipaddr: the address has neither IPv6 nor IPv4 CIDR format', { cause: e });
            }
        }
    };

    // Parse an address and return plain IPv4 address if it is an IPv4-mapped address
    ipaddr.process = function (string) {
        const addr = this.parse(string);

        if (addr.kind() === 'ipv6' && addr.isIPv4MappedAddress()) {
            return addr.toIPv4Address();
        } else {
            return addr;
        }
    };

    // An utility function to ease named range matching. See examples below.
    // rangeList can contain both IPv4 and IPv6 subnet entries and will not throw errors
    // on matching IPv4 addresses to IPv6 ranges or vice versa.
    ipaddr.subnetMatch = function (address, rangeList, defaultName) {
        let i, rangeName, rangeSubnets, subnet;

        if (defaultName === undefined || defaultName === null) {
            defaultName = 'unicast';
        }

        for (rangeName in rangeList) {
            if (Object.prototype.hasOwnProperty.call(rangeList, rangeName)) {
                rangeSubnets = rangeList[rangeName];
                // ECMA5 Array.isArray isn't available everywhere
                if (rangeSubnets[0] && !(rangeSubnets[0] instanceof Array)) {
                    rangeSubnets = [rangeSubnets];
                }

                for (i = 0; i < rangeSubnets.length; i++) {
                    subnet = rangeSubnets[i];
                    if (address.kind() === subnet[0].kind() && address.match.apply(address, subnet)) {
                        return rangeName;
                    }
                }
            }
        }

        return defaultName;
    };

    // Export for both the CommonJS and browser-like environment
    if ( true && module.exports) {
        module.exports = ipaddr;

    } else {
        root.ipaddr = ipaddr;
    }

}(this));


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/engine/allow.ts
/**
 * The rule families a suppression can cover: the exposure rules. An inline directive (in Markdown prose), an example
 * marker and a baseline entry cover only these; every other finding is governance and is never suppressed.
 */
const INLINE_SUPPRESSIBLE = (/* unused pure expression or super */ null && (['secret/', 'endpoint/', 'path/']));
/** Can a suppression cover this finding's rule? Only an exposure rule (INLINE_SUPPRESSIBLE). */
function isSuppressible(ruleId) {
    return INLINE_SUPPRESSIBLE.some((p) => ruleId.startsWith(p));
}
/** Can a directive's or baseline entry's rule pattern cover any suppressible rule? (`*` covers the exposure rules.) */
function patternCanSuppress(pattern) {
    return pattern === '*' || INLINE_SUPPRESSIBLE.some((p) => pattern.startsWith(p));
}
/** Markdown, where a directive or an example marker may count: a `.md` / `.markdown` file. */
function isMarkdownFile(file) {
    return /\.(?:md|markdown)$/i.test(file);
}
/**
 * The first line (1-based) of a Markdown text's body: 1 without front matter. Front matter starts with a `---` line and
 * ends at the next line starting with `---` (where gray-matter ends it); without that closing line the whole text is
 * front matter (fail closed: a directive there never counts).
 */
function proseStartLine(text) {
    const first = /^\uFEFF?([^\n]*)/.exec(text)?.[1] ?? '';
    if (first.replace(/\r$/, '').trimEnd() !== '---')
        return 1;
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        line++;
        if (text.startsWith('---', i + 1))
            return line + 1;
    }
    return Number.POSITIVE_INFINITY;
}
const DIRECTIVE = /sot-gate:allow[ \t]+([A-Za-z0-9*/_.-]{1,100})(?:[ \t]+--(?!>)[ \t]*([^\n]{0,500}))?/g;
/**
 * The directives of a text. `markdown` (default: by the file name) says whether the text is a Markdown file;
 * `proseFrom` (default: computed from the text) is the first line of its body, for a text that is only a later block of
 * a file (the streaming scanner).
 */
function parseAllowDirectives(text, file, opts = {}) {
    if (!text.includes('sot-gate:allow'))
        return [];
    const markdown = opts.markdown ?? isMarkdownFile(file);
    const proseFrom = markdown ? (opts.proseFrom ?? proseStartLine(text)) : Number.POSITIVE_INFINITY;
    const out = [];
    let line = 1;
    let pos = 0;
    DIRECTIVE.lastIndex = 0;
    for (let m = DIRECTIVE.exec(text); m !== null; m = DIRECTIVE.exec(text)) {
        for (let i = text.indexOf('\n', pos); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1))
            line++;
        pos = m.index;
        const lineStart = text.lastIndexOf('\n', m.index) + 1;
        const lineEndRaw = text.indexOf('\n', m.index);
        const lineText = text.slice(lineStart, lineEndRaw < 0 ? text.length : lineEndRaw).trim();
        const reason = (m[2] ?? '').replace(/-->.*$/, '').trim();
        const standalone = /^<!--.*-->$/.test(lineText) && lineText.indexOf('<!--') === 0;
        const where = !markdown ? 'not-markdown' : line < proseFrom ? 'front-matter' : 'prose';
        out.push({ file, line: standalone ? line + 1 : line, at: line, rule: m[1] ?? '', reason, where });
    }
    return out;
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/engine/scanner/prefilter.ts
const prefilter_escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Per detector list (the scanner uses two: all detectors, and the specific ones for decoded text), per options. */
const caches = new WeakMap();
/**
 * The keywords as one regex shaped like a trie (`sk(?:-(?:ant-)?|_live_)`), which the regex engine runs faster than a
 * flat alternation: a shared prefix is read once. At each position it matches the longest keyword (an optional
 * continuation is greedy), so a keyword that is a prefix of another (`sk-`, `sk-ant-`) does not hide it.
 */
function trieSource(words) {
    const root = { end: false, next: new Map() };
    for (const w of words) {
        let n = root;
        for (const c of w) {
            let child = n.next.get(c);
            if (!child)
                n.next.set(c, (child = { end: false, next: new Map() }));
            n = child;
        }
        n.end = true;
    }
    const emit = (n) => {
        const alts = [...n.next].map(([c, child]) => prefilter_escape(c) + emit(child));
        if (alts.length === 0)
            return '';
        const body = alts.length === 1 ? alts[0] : `(?:${alts.join('|')})`;
        return n.end ? `(?:${alts.join('|')})?` : body;
    };
    return emit(root);
}
/**
 * The case-insensitive keyword regex. For ASCII keywords each letter is spelled as a class (`[kK]`), which V8 runs
 * about a quarter faster than the `i` flag and which matches exactly the same text: without the `u` flag, `i` lets an
 * ASCII letter match only its two cases. A keyword with any other letter keeps the `i` flag.
 */
function keywordRegex(words) {
    const source = trieSource(words);
    if (words.some((w) => /[^\x00-\x7f]/.test(w)))
        return new RegExp(source, 'gi');
    return new RegExp(source.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`), 'g');
}
function buildPrefilter(detectors, opts) {
    const cacheKey = JSON.stringify([opts.endpointVariables, opts.targetRepositoryPatterns]);
    let cache = caches.get(detectors);
    if (!cache)
        caches.set(detectors, (cache = new Map()));
    const cached = cache.get(cacheKey);
    if (cached)
        return cached;
    const byKeyword = new Map();
    const triggers = [];
    detectors.forEach((d, i) => {
        const kws = [...d.keywords, ...(d.dynamicKeywords?.(opts) ?? [])];
        for (const kw of new Set(kws.map((k) => k.toLowerCase()).filter(Boolean))) {
            const list = byKeyword.get(kw) ?? [];
            list.push(i);
            byKeyword.set(kw, list);
        }
        if (d.trigger)
            triggers.push({ re: new RegExp(d.trigger.source, 'g'), detector: i });
    });
    // A hit on a longer keyword (`sk-ant-`) also credits the detectors of keywords it starts with (`sk-`).
    for (const [kw, dets] of byKeyword) {
        for (const [k, other] of byKeyword)
            if (k.length < kw.length && kw.startsWith(k))
                dets.push(...other.filter((d) => !dets.includes(d)));
    }
    const keywords = byKeyword.size ? keywordRegex([...byKeyword.keys()]) : null;
    const pf = { keywords, byKeyword, triggers };
    if (cache.size > 32)
        cache.clear();
    cache.set(cacheKey, pf);
    return pf;
}
/** Candidate positions per detector (index = detector index), ascending. */
function candidates(text, pf, detectorCount) {
    const perDetector = Array.from({ length: detectorCount }, () => []);
    if (pf.keywords) {
        const re = pf.keywords;
        re.lastIndex = 0;
        for (let m = re.exec(text); m !== null; m = re.exec(text)) {
            const dets = pf.byKeyword.get(m[0].toLowerCase());
            if (dets)
                for (const d of dets)
                    perDetector[d].push(m.index);
        }
    }
    for (const t of pf.triggers) {
        t.re.lastIndex = 0;
        const list = perDetector[t.detector];
        for (let m = t.re.exec(text); m !== null; m = t.re.exec(text))
            list.push(m.index);
    }
    return perDetector.map((l) => Int32Array.from(l).sort());
}
/** Whether a text holds any candidate position at all (a keyword or a trigger): the cheap test before a full scan. */
function anyCandidate(text, pf) {
    if (pf.keywords) {
        pf.keywords.lastIndex = 0;
        if (pf.keywords.test(text))
            return true;
    }
    for (const t of pf.triggers) {
        t.re.lastIndex = 0;
        if (t.re.test(text))
            return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/engine/scanner/redact.ts
/**
 * The only way a detected value may appear in a message: a short prefix and the length.
 * 'sk-pro…(51 chars)'. Values shorter than 12 characters show no prefix at all.
 */
function redact(value) {
    const n = [...value].length;
    if (n < 12)
        return `…(${n} chars)`;
    const prefixLen = Math.min(6, Math.floor(n / 4));
    return `${[...value].slice(0, prefixLen).join('')}…(${n} chars)`;
}

;// CONCATENATED MODULE: ./src/engine/scanner/encoded.ts
/**
 * Base64 and hex runs that decode to text: the scanner scans the decoded text too (index.ts), so a token or an endpoint
 * wrapped in base64 (`Z2hwX1I3…`) or hex (`6768705f…`) is reported under its own rule. Bounded: runs of 16 to 4096
 * characters, and only runs whose decoded bytes are printable text (random bytes, hashes and ids decode to binary).
 */
const MIN_RUN = 16;
const MAX_RUN = 4096;
/** Base64 (standard and URL-safe) and hex characters: a run of them is a candidate. */
const RUN_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-')
    RUN_CHAR[c.charCodeAt(0)] = 1;
const HEX = /^[0-9A-Fa-f]+$/;
/** At least 12 bytes, all printable ASCII or tab/CR/LF, but for at most one in 32 (text, not random bytes). */
function printable(bytes) {
    if (bytes.length < 12)
        return false;
    let bad = 0;
    const allowed = bytes.length >> 5;
    for (const b of bytes) {
        if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13)
            continue;
        if (++bad > allowed)
            return false;
    }
    return true;
}
const isRunChar = (c) => c < 128 && RUN_CHAR[c] === 1;
function decodeRun(run) {
    if (HEX.test(run)) {
        if (run.length < 24 || run.length % 2 !== 0)
            return undefined;
        const bytes = Buffer.from(run, 'hex');
        return printable(bytes) ? { decoded: bytes.toString('latin1'), form: 'hex' } : undefined;
    }
    const body = run.replace(/=+$/, '');
    // Base64 of text has upper and lower case letters; one alphabet only (`+/` standard or `-_` URL-safe).
    if (body.length % 4 === 1 || !/[A-Z]/.test(body) || !/[a-z]/.test(body) || (/[+/]/.test(body) && /[-_]/.test(body)))
        return undefined;
    const bytes = Buffer.from(body, /[-_]/.test(body) ? 'base64url' : 'base64');
    return printable(bytes) ? { decoded: bytes.toString('latin1'), form: 'base64' } : undefined;
}
/** The base64 and hex runs of a text that decode to printable text. */
function encodedCandidates(text) {
    const out = [];
    // A run repeated (a log line logged many times) is decoded once.
    const seen = new Map();
    // A plain loop over the characters (one table lookup each): a regex with boundaries costs more per position, and this
    // runs over every byte scanned.
    const n = text.length;
    for (let i = 0; i < n; i++) {
        if (!isRunChar(text.charCodeAt(i)))
            continue;
        let j = i + 1;
        while (j < n && isRunChar(text.charCodeAt(j)))
            j++;
        let end = j;
        while (end < n && end - j < 2 && text.charCodeAt(end) === 61)
            end++; // `=` padding
        if (end < n && (isRunChar(text.charCodeAt(end)) || text.charCodeAt(end) === 61))
            end = j; // `run=more`: no padding
        if (j - i >= MIN_RUN && j - i <= MAX_RUN) {
            const run = text.slice(i, end);
            let d = seen.get(run);
            if (d === undefined && !seen.has(run)) {
                d = decodeRun(run);
                if (seen.size < 4096)
                    seen.set(run, d);
            }
            if (d)
                out.push({ index: i, value: run, ...d });
        }
        i = j - 1; // `=` after a run (`key=Z2hw…`) may start no run, but what follows it may
    }
    return out;
}

;// CONCATENATED MODULE: ./node_modules/entities/dist/esm/decode-codepoint.js
// Adapted from https://github.com/mathiasbynens/he/blob/36afe179392226cf1b6ccdb16ebbb7a5a844d93a/src/he.js#L106-L134
var _a;
const decodeMap = new Map([
    [0, 65533],
    // C1 Unicode control character reference replacements
    [128, 8364],
    [130, 8218],
    [131, 402],
    [132, 8222],
    [133, 8230],
    [134, 8224],
    [135, 8225],
    [136, 710],
    [137, 8240],
    [138, 352],
    [139, 8249],
    [140, 338],
    [142, 381],
    [145, 8216],
    [146, 8217],
    [147, 8220],
    [148, 8221],
    [149, 8226],
    [150, 8211],
    [151, 8212],
    [152, 732],
    [153, 8482],
    [154, 353],
    [155, 8250],
    [156, 339],
    [158, 382],
    [159, 376],
]);
/**
 * Polyfill for `String.fromCodePoint`. It is used to create a string from a Unicode code point.
 */
const fromCodePoint = 
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition, n/no-unsupported-features/es-builtins
(_a = String.fromCodePoint) !== null && _a !== void 0 ? _a : ((codePoint) => {
    let output = "";
    if (codePoint > 65535) {
        codePoint -= 65536;
        output += String.fromCharCode(((codePoint >>> 10) & 1023) | 55296);
        codePoint = 56320 | (codePoint & 1023);
    }
    output += String.fromCharCode(codePoint);
    return output;
});
/**
 * Replace the given code point with a replacement character if it is a
 * surrogate or is outside the valid range. Otherwise return the code
 * point unchanged.
 */
function replaceCodePoint(codePoint) {
    var _a;
    if ((codePoint >= 55296 && codePoint <= 57343) ||
        codePoint > 1114111) {
        return 65533;
    }
    return (_a = decodeMap.get(codePoint)) !== null && _a !== void 0 ? _a : codePoint;
}
/**
 * Replace the code point if relevant, then convert it to a string.
 *
 * @deprecated Use `fromCodePoint(replaceCodePoint(codePoint))` instead.
 * @param codePoint The code point to decode.
 * @returns The decoded code point.
 */
function decodeCodePoint(codePoint) {
    return fromCodePoint(replaceCodePoint(codePoint));
}
//# sourceMappingURL=decode-codepoint.js.map
;// CONCATENATED MODULE: ./node_modules/entities/dist/esm/internal/decode-shared.js
/*
 * Shared base64 decode helper for generated decode data.
 * Assumes global atob is available.
 */
function decodeBase64(input) {
    const binary = 
    // eslint-disable-next-line n/no-unsupported-features/node-builtins
    typeof atob === "function"
        ? // Browser (and Node >=16)
            // eslint-disable-next-line n/no-unsupported-features/node-builtins
            atob(input)
        : // Older Node versions (<16)
            // eslint-disable-next-line n/no-unsupported-features/node-builtins
            typeof Buffer.from === "function"
                ? // eslint-disable-next-line n/no-unsupported-features/node-builtins
                    Buffer.from(input, "base64").toString("binary")
                : // eslint-disable-next-line unicorn/no-new-buffer, n/no-deprecated-api
                    new Buffer(input, "base64").toString("binary");
    const evenLength = binary.length & ~1; // Round down to even length
    const out = new Uint16Array(evenLength / 2);
    for (let index = 0, outIndex = 0; index < evenLength; index += 2) {
        const lo = binary.charCodeAt(index);
        const hi = binary.charCodeAt(index + 1);
        out[outIndex++] = lo | (hi << 8);
    }
    return out;
}
//# sourceMappingURL=decode-shared.js.map
;// CONCATENATED MODULE: ./node_modules/entities/dist/esm/generated/decode-data-html.js
// Generated using scripts/write-decode-map.ts

const htmlDecodeTree = /* #__PURE__ */ decodeBase64("QR08ALkAAgH6AYsDNQR2BO0EPgXZBQEGLAbdBxMISQrvCmQLfQurDKQNLw4fD4YPpA+6D/IPAAAAAAAAAAAAAAAAKhBMEY8TmxUWF2EYLBkxGuAa3RsJHDscWR8YIC8jSCSIJcMl6ie3Ku8rEC0CLjoupS7kLgAIRU1hYmNmZ2xtbm9wcnN0dVQAWgBeAGUAaQBzAHcAfgCBAIQAhwCSAJoAoACsALMAbABpAGcAO4DGAMZAUAA7gCYAJkBjAHUAdABlADuAwQDBQHIiZXZlAAJhAAFpeW0AcgByAGMAO4DCAMJAEGRyAADgNdgE3XIAYQB2AGUAO4DAAMBA8CFoYZFj4SFjcgBhZAAAoFMqAAFncIsAjgBvAG4ABGFmAADgNdg43fAlbHlGdW5jdGlvbgCgYSBpAG4AZwA7gMUAxUAAAWNzpACoAHIAAOA12Jzc6SFnbgCgVCJpAGwAZABlADuAwwDDQG0AbAA7gMQAxEAABGFjZWZvcnN1xQDYANoA7QDxAPYA+QD8AAABY3LJAM8AayNzbGFzaAAAoBYidgHTANUAAKDnKmUAZAAAoAYjeQARZIABY3J0AOAA5QDrAGEidXNlAACgNSLuI291bGxpcwCgLCFhAJJjcgAA4DXYBd1wAGYAAOA12Dnd5SF2ZdhiYwDyAOoAbSJwZXEAAKBOIgAHSE9hY2RlZmhpbG9yc3UXARoBHwE6AVIBVQFiAWQBZgGCAakB6QHtAfIBYwB5ACdkUABZADuAqQCpQIABY3B5ACUBKAE1AfUhdGUGYWmg0iJ0KGFsRGlmZmVyZW50aWFsRAAAoEUhbCJleXMAAKAtIQACYWVpb0EBRAFKAU0B8iFvbgxhZABpAGwAO4DHAMdAcgBjAAhhbiJpbnQAAKAwIm8AdAAKYQABZG5ZAV0BaSJsbGEAuGB0I2VyRG90ALdg8gA5AWkAp2NyImNsZQAAAkRNUFRwAXQBeQF9AW8AdAAAoJkiaSJudXMAAKCWIuwhdXMAoJUiaSJtZXMAAKCXIm8AAAFjc4cBlAFrKndpc2VDb250b3VySW50ZWdyYWwAAKAyImUjQ3VybHkAAAFEUZwBpAFvJXVibGVRdW90ZQAAoB0gdSJvdGUAAKAZIAACbG5wdbABtgHNAdgBbwBuAGWgNyIAoHQqgAFnaXQAvAHBAcUB8iJ1ZW50AKBhIm4AdAAAoC8i7yV1ckludGVncmFsAKAuIgABZnLRAdMBAKACIe8iZHVjdACgECJuLnRlckNsb2Nrd2lzZUNvbnRvdXJJbnRlZ3JhbAAAoDMi7yFzcwCgLypjAHIAAOA12J7ccABDoNMiYQBwAACgTSKABURKU1phY2VmaW9zAAsCEgIVAhgCGwIsAjQCOQI9AnMCfwNvoEUh9CJyYWhkAKARKWMAeQACZGMAeQAFZGMAeQAPZIABZ3JzACECJQIoAuchZXIAoCEgcgAAoKEhaAB2AACg5CoAAWF5MAIzAvIhb24OYRRkbAB0oAciYQCUY3IAAOA12AfdAAFhZkECawIAAWNtRQJnAvIjaXRpY2FsAAJBREdUUAJUAl8CYwJjInV0ZQC0YG8AdAFZAloC2WJiJGxlQWN1dGUA3WJyImF2ZQBgYGkibGRlANxi7yFuZACgxCJmJWVyZW50aWFsRAAAoEYhcAR9AgAAAAAAAIECjgIAABoDZgAA4DXYO91EoagAhQKJAm8AdAAAoNwgcSJ1YWwAAKBQIuIhbGUAA0NETFJVVpkCqAK1Au8C/wIRA28AbgB0AG8AdQByAEkAbgB0AGUAZwByAGEA7ADEAW8AdAKvAgAAAACwAqhgbiNBcnJvdwAAoNMhAAFlb7kC0AJmAHQAgAFBUlQAwQLGAs0CciJyb3cAAKDQIekkZ2h0QXJyb3cAoNQhZQDlACsCbgBnAAABTFLWAugC5SFmdAABQVLcAuECciJyb3cAAKD4J+kkZ2h0QXJyb3cAoPon6SRnaHRBcnJvdwCg+SdpImdodAAAAUFU9gL7AnIicm93AACg0iFlAGUAAKCoInAAQQIGAwAAAAALA3Iicm93AACg0SFvJHduQXJyb3cAAKDVIWUlcnRpY2FsQmFyAACgJSJuAAADQUJMUlRhJAM2AzoDWgNxA3oDciJyb3cAAKGTIUJVLAMwA2EAcgAAoBMpcCNBcnJvdwAAoPUhciJldmUAEWPlIWZ00gJDAwAASwMAAFIDaSVnaHRWZWN0b3IAAKBQKWUkZVZlY3RvcgAAoF4p5SJjdG9yQqC9IWEAcgAAoFYpaSJnaHQA1AFiAwAAaQNlJGVWZWN0b3IAAKBfKeUiY3RvckKgwSFhAHIAAKBXKWUAZQBBoKQiciJyb3cAAKCnIXIAcgBvAPcAtAIAAWN0gwOHA3IAAOA12J/c8iFvaxBhAAhOVGFjZGZnbG1vcHFzdHV4owOlA6kDsAO/A8IDxgPNA9ID8gP9AwEEFAQeBCAEJQRHAEphSAA7gNAA0EBjAHUAdABlADuAyQDJQIABYWl5ALYDuQO+A/Ihb24aYXIAYwA7gMoAykAtZG8AdAAWYXIAAOA12AjdcgBhAHYAZQA7gMgAyEDlIm1lbnQAoAgiAAFhcNYD2QNjAHIAEmF0AHkAUwLhAwAAAADpA20lYWxsU3F1YXJlAACg+yVlJ3J5U21hbGxTcXVhcmUAAKCrJQABZ3D2A/kDbwBuABhhZgAA4DXYPN3zImlsb26VY3UAAAFhaQYEDgRsAFSgdSppImxkZQAAoEIi7CNpYnJpdW0AoMwhAAFjaRgEGwRyAACgMCFtAACgcyphAJdjbQBsADuAywDLQAABaXApBC0E8yF0cwCgAyLvJG5lbnRpYWxFAKBHIYACY2Zpb3MAPQQ/BEMEXQRyBHkAJGRyAADgNdgJ3WwibGVkAFMCTAQAAAAAVARtJWFsbFNxdWFyZQAAoPwlZSdyeVNtYWxsU3F1YXJlAACgqiVwA2UEAABpBAAAAABtBGYAAOA12D3dwSFsbACgACLyI2llcnRyZgCgMSFjAPIAcQQABkpUYWJjZGZnb3JzdIgEiwSOBJMElwSkBKcEqwStBLIE5QTqBGMAeQADZDuAPgA+QO0hbWFkoJMD3GNyImV2ZQAeYYABZWl5AJ0EoASjBOQhaWwiYXIAYwAcYRNkbwB0ACBhcgAA4DXYCt0AoNkicABmAADgNdg+3eUiYXRlcgADRUZHTFNUvwTIBM8E1QTZBOAEcSJ1YWwATKBlIuUhc3MAoNsidSRsbEVxdWFsAACgZyJyI2VhdGVyAACgoirlIXNzAKB3IuwkYW50RXF1YWwAoH4qaSJsZGUAAKBzImMAcgAA4DXYotwAoGsiAARBYWNmaW9zdfkE/QQFBQgFCwUTBSIFKwVSIkRjeQAqZAABY3QBBQQFZQBrAMdiXmDpIXJjJGFyAACgDCFsJWJlcnRTcGFjZQAAoAsh8AEYBQAAGwVmAACgDSHpJXpvbnRhbExpbmUAoAAlAAFjdCYFKAXyABIF8iFvayZhbQBwAEQBMQU5BW8AdwBuAEgAdQBtAPAAAAFxInVhbAAAoE8iAAdFSk9hY2RmZ21ub3N0dVMFVgVZBVwFYwVtBXAFcwV6BZAFtgXFBckFzQVjAHkAFWTsIWlnMmFjAHkAAWRjAHUAdABlADuAzQDNQAABaXlnBWwFcgBjADuAzgDOQBhkbwB0ADBhcgAAoBEhcgBhAHYAZQA7gMwAzEAAoREhYXB/BYsFAAFjZ4MFhQVyACphaSNuYXJ5SQAAoEghbABpAGUA8wD6AvQBlQUAAKUFZaAsIgABZ3KaBZ4F8iFhbACgKyLzI2VjdGlvbgCgwiJpI3NpYmxlAAABQ1SsBbEFbyJtbWEAAKBjIGkibWVzAACgYiCAAWdwdAC8Bb8FwwVvAG4ALmFmAADgNdhA3WEAmWNjAHIAAKAQIWkibGRlAChh6wHSBQAA1QVjAHkABmRsADuAzwDPQIACY2Zvc3UA4QXpBe0F8gX9BQABaXnlBegFcgBjADRhGWRyAADgNdgN3XAAZgAA4DXYQd3jAfcFAAD7BXIAAOA12KXc8iFjeQhk6yFjeQRkgANISmFjZm9zAAwGDwYSBhUGHQYhBiYGYwB5ACVkYwB5AAxk8CFwYZpjAAFleRkGHAbkIWlsNmEaZHIAAOA12A7dcABmAADgNdhC3WMAcgAA4DXYptyABUpUYWNlZmxtb3N0AD0GQAZDBl4GawZkB2gHcAd0B80H2gdjAHkACWQ7gDwAPECAAmNtbnByAEwGTwZSBlUGWwb1IXRlOWHiIWRhm2NnAACg6ifsI2FjZXRyZgCgEiFyAACgniGAAWFleQBkBmcGagbyIW9uPWHkIWlsO2EbZAABZnNvBjQHdAAABUFDREZSVFVWYXKABp4GpAbGBssG3AYDByEHwQIqBwABbnKEBowGZyVsZUJyYWNrZXQAAKDoJ/Ihb3cAoZAhQlKTBpcGYQByAACg5CHpJGdodEFycm93AKDGIWUjaWxpbmcAAKAII28A9QGqBgAAsgZiJWxlQnJhY2tldAAAoOYnbgDUAbcGAAC+BmUkZVZlY3RvcgAAoGEp5SJjdG9yQqDDIWEAcgAAoFkpbCJvb3IAAKAKI2kiZ2h0AAABQVbSBtcGciJyb3cAAKCUIeUiY3RvcgCgTikAAWVy4AbwBmUAAKGjIkFW5gbrBnIicm93AACgpCHlImN0b3IAoFopaSNhbmdsZQBCorIi+wYAAAAA/wZhAHIAAKDPKXEidWFsAACgtCJwAIABRFRWAAoHEQcYB+8kd25WZWN0b3IAoFEpZSRlVmVjdG9yAACgYCnlImN0b3JCoL8hYQByAACgWCnlImN0b3JCoLwhYQByAACgUilpAGcAaAB0AGEAcgByAG8A9wDMAnMAAANFRkdMU1Q/B0cHTgdUB1gHXwfxJXVhbEdyZWF0ZXIAoNoidSRsbEVxdWFsAACgZiJyI2VhdGVyAACgdiLlIXNzAKChKuwkYW50RXF1YWwAoH0qaSJsZGUAAKByInIAAOA12A/dZaDYIuYjdGFycm93AKDaIWkiZG90AD9hgAFucHcAege1B7kHZwAAAkxSbHKCB5QHmwerB+UhZnQAAUFSiAeNB3Iicm93AACg9SfpJGdodEFycm93AKD3J+kkZ2h0QXJyb3cAoPYn5SFmdAABYXLcAqEHaQBnAGgAdABhAHIAcgBvAPcA5wJpAGcAaAB0AGEAcgByAG8A9wDuAmYAAOA12EPdZQByAAABTFK/B8YHZSRmdEFycm93AACgmSHpJGdodEFycm93AKCYIYABY2h0ANMH1QfXB/IAWgYAoLAh8iFva0FhAKBqIgAEYWNlZmlvc3XpB+wH7gf/BwMICQgOCBEIcAAAoAUpeQAcZAABZGzyB/kHaSR1bVNwYWNlAACgXyBsI2ludHJmAACgMyFyAADgNdgQ3e4jdXNQbHVzAKATInAAZgAA4DXYRN1jAPIA/gecY4AESmFjZWZvc3R1ACEIJAgoCDUIgQiFCDsKQApHCmMAeQAKZGMidXRlAENhgAFhZXkALggxCDQI8iFvbkdh5CFpbEVhHWSAAWdzdwA7CGEIfQjhInRpdmWAAU1UVgBECEwIWQhlJWRpdW1TcGFjZQAAoAsgaABpAAABY25SCFMIawBTAHAAYQBjAOUASwhlAHIAeQBUAGgAaQDuAFQI9CFlZAABR0xnCHUIcgBlAGEAdABlAHIARwByAGUAYQB0AGUA8gDrBGUAcwBzAEwAZQBzAPMA2wdMImluZQAKYHIAAOA12BHdAAJCbnB0jAiRCJkInAhyImVhawAAoGAgwiZyZWFraW5nU3BhY2WgYGYAAKAVIUOq7CqzCMIIzQgAAOcIGwkAAAAAAAAtCQAAbwkAAIcJAACdCcAJGQoAADQKAAFvdbYIvAjuI2dydWVudACgYiJwIkNhcAAAoG0ibyh1YmxlVmVydGljYWxCYXIAAKAmIoABbHF4ANII1wjhCOUibWVudACgCSL1IWFsVKBgImkibGRlAADgQiI4A2kic3RzAACgBCJyI2VhdGVyAACjbyJFRkdMU1T1CPoIAgkJCQ0JFQlxInVhbAAAoHEidSRsbEVxdWFsAADgZyI4A3IjZWF0ZXIAAOBrIjgD5SFzcwCgeSLsJGFudEVxdWFsAOB+KjgDaSJsZGUAAKB1IvUhbXBEASAJJwnvI3duSHVtcADgTiI4A3EidWFsAADgTyI4A2UAAAFmczEJRgn0JFRyaWFuZ2xlQqLqIj0JAAAAAEIJYQByAADgzyk4A3EidWFsAACg7CJzAICibiJFR0xTVABRCVYJXAlhCWkJcSJ1YWwAAKBwInIjZWF0ZXIAAKB4IuUhc3MA4GoiOAPsJGFudEVxdWFsAOB9KjgDaSJsZGUAAKB0IuUic3RlZAABR0x1CX8J8iZlYXRlckdyZWF0ZXIA4KIqOAPlI3NzTGVzcwDgoSo4A/IjZWNlZGVzAKGAIkVTjwmVCXEidWFsAADgryo4A+wkYW50RXF1YWwAoOAiAAFlaaAJqQl2JmVyc2VFbGVtZW50AACgDCLnJWh0VHJpYW5nbGVCousitgkAAAAAuwlhAHIAAODQKTgDcSJ1YWwAAKDtIgABcXXDCeAJdSNhcmVTdQAAAWJwywnVCfMhZXRF4I8iOANxInVhbAAAoOIi5SJyc2V0ReCQIjgDcSJ1YWwAAKDjIoABYmNwAOYJ8AkNCvMhZXRF4IIi0iBxInVhbAAAoIgi4yJlZWRzgKGBIkVTVAD6CQAKBwpxInVhbAAA4LAqOAPsJGFudEVxdWFsAKDhImkibGRlAADgfyI4A+UicnNldEXggyLSIHEidWFsAACgiSJpImxkZQCAoUEiRUZUACIKJwouCnEidWFsAACgRCJ1JGxsRXF1YWwAAKBHImkibGRlAACgSSJlJXJ0aWNhbEJhcgAAoCQiYwByAADgNdip3GkAbABkAGUAO4DRANFAnWMAB0VhY2RmZ21vcHJzdHV2XgphCmgKcgp2CnoKgQqRCpYKqwqtCrsKyArNCuwhaWdSYWMAdQB0AGUAO4DTANNAAAFpeWwKcQpyAGMAO4DUANRAHmRiImxhYwBQYXIAAOA12BLdcgBhAHYAZQA7gNIA0kCAAWFlaQCHCooKjQpjAHIATGFnAGEAqWNjInJvbgCfY3AAZgAA4DXYRt3lI25DdXJseQABRFGeCqYKbyV1YmxlUXVvdGUAAKAcIHUib3RlAACgGCAAoFQqAAFjbLEKtQpyAADgNdiq3GEAcwBoADuA2ADYQGkAbAHACsUKZABlADuA1QDVQGUAcwAAoDcqbQBsADuA1gDWQGUAcgAAAUJQ0wrmCgABYXLXCtoKcgAAoD4gYQBjAAABZWvgCuIKAKDeI2UAdAAAoLQjYSVyZW50aGVzaXMAAKDcI4AEYWNmaGlsb3JzAP0KAwsFCwkLCwsMCxELIwtaC3IjdGlhbEQAAKACInkAH2RyAADgNdgT3WkApmOgY/Ujc01pbnVzsWAAAWlwFQsgC24AYwBhAHIAZQBwAGwAYQBuAOUACgVmAACgGSGAobsqZWlvACoLRQtJC+MiZWRlc4CheiJFU1QANAs5C0ALcSJ1YWwAAKCvKuwkYW50RXF1YWwAoHwiaSJsZGUAAKB+Im0AZQAAoDMgAAFkcE0LUQv1IWN0AKAPIm8jcnRpb24AYaA3ImwAAKAdIgABY2leC2ILcgAA4DXYq9yoYwACVWZvc2oLbwtzC3cLTwBUADuAIgAiQHIAAOA12BTdcABmAACgGiFjAHIAAOA12KzcAAZCRWFjZWZoaW9yc3WPC5MLlwupC7YL2AvbC90LhQyTDJoMowzhIXJyAKAQKUcAO4CuAK5AgAFjbnIAnQugC6ML9SF0ZVRhZwAAoOsncgB0oKAhbAAAoBYpgAFhZXkArwuyC7UL8iFvblhh5CFpbFZhIGR2oBwhZSJyc2UAAAFFVb8LzwsAAWxxwwvIC+UibWVudACgCyL1JGlsaWJyaXVtAKDLIXAmRXF1aWxpYnJpdW0AAKBvKXIAAKAcIW8AoWPnIWh0AARBQ0RGVFVWYewLCgwQDDIMNwxeDHwM9gIAAW5y8Av4C2clbGVCcmFja2V0AACg6SfyIW93AKGSIUJM/wsDDGEAcgAAoOUhZSRmdEFycm93AACgxCFlI2lsaW5nAACgCSNvAPUBFgwAAB4MYiVsZUJyYWNrZXQAAKDnJ24A1AEjDAAAKgxlJGVWZWN0b3IAAKBdKeUiY3RvckKgwiFhAHIAAKBVKWwib29yAACgCyMAAWVyOwxLDGUAAKGiIkFWQQxGDHIicm93AACgpiHlImN0b3IAoFspaSNhbmdsZQBCorMiVgwAAAAAWgxhAHIAAKDQKXEidWFsAACgtSJwAIABRFRWAGUMbAxzDO8kd25WZWN0b3IAoE8pZSRlVmVjdG9yAACgXCnlImN0b3JCoL4hYQByAACgVCnlImN0b3JCoMAhYQByAACgUykAAXB1iQyMDGYAAKAdIe4kZEltcGxpZXMAoHAp6SRnaHRhcnJvdwCg2yEAAWNongyhDHIAAKAbIQCgsSHsJGVEZWxheWVkAKD0KYAGSE9hY2ZoaW1vcXN0dQC/DMgMzAzQDOIM5gwKDQ0NFA0ZDU8NVA1YDQABQ2PDDMYMyCFjeSlkeQAoZEYiVGN5ACxkYyJ1dGUAWmEAorwqYWVpedgM2wzeDOEM8iFvbmBh5CFpbF5hcgBjAFxhIWRyAADgNdgW3e8hcnQAAkRMUlXvDPYM/QwEDW8kd25BcnJvdwAAoJMhZSRmdEFycm93AACgkCHpJGdodEFycm93AKCSIXAjQXJyb3cAAKCRIechbWGjY+EkbGxDaXJjbGUAoBgicABmAADgNdhK3XICHw0AAAAAIg10AACgGiLhIXJlgKGhJUlTVQAqDTINSg3uJXRlcnNlY3Rpb24AoJMidQAAAWJwNw1ADfMhZXRFoI8icSJ1YWwAAKCRIuUicnNldEWgkCJxInVhbAAAoJIibiJpb24AAKCUImMAcgAA4DXYrtxhAHIAAKDGIgACYmNtcF8Nag2ODZANc6DQImUAdABFoNAicSJ1YWwAAKCGIgABY2huDYkNZSJlZHMAgKF7IkVTVAB4DX0NhA1xInVhbAAAoLAq7CRhbnRFcXVhbACgfSJpImxkZQAAoH8iVABoAGEA9ADHCwCgESIAodEiZXOVDZ8NciJzZXQARaCDInEidWFsAACghyJlAHQAAKDRIoAFSFJTYWNmaGlvcnMAtQ27Db8NyA3ODdsN3w3+DRgOHQ4jDk8AUgBOADuA3gDeQMEhREUAoCIhAAFIY8MNxg1jAHkAC2R5ACZkAAFidcwNzQ0JYKRjgAFhZXkA1A3XDdoN8iFvbmRh5CFpbGJhImRyAADgNdgX3QABZWnjDe4N8gHoDQAA7Q3lImZvcmUAoDQiYQCYYwABY27yDfkNayNTcGFjZQAA4F8gCiDTInBhY2UAoAkg7CFkZYChPCJFRlQABw4MDhMOcSJ1YWwAAKBDInUkbGxFcXVhbAAAoEUiaSJsZGUAAKBIInAAZgAA4DXYS93pI3BsZURvdACg2yAAAWN0Jw4rDnIAAOA12K/c8iFva2Zh4QpFDlYOYA5qDgAAbg5yDgAAAAAAAAAAAAB5DnwOqA6zDgAADg8RDxYPGg8AAWNySA5ODnUAdABlADuA2gDaQHIAb6CfIeMhaXIAoEkpcgDjAVsOAABdDnkADmR2AGUAbGEAAWl5Yw5oDnIAYwA7gNsA20AjZGIibGFjAHBhcgAA4DXYGN1yAGEAdgBlADuA2QDZQOEhY3JqYQABZGl/Dp8OZQByAAABQlCFDpcOAAFhcokOiw5yAF9gYQBjAAABZWuRDpMOAKDfI2UAdAAAoLUjYSVyZW50aGVzaXMAAKDdI28AbgBQoMMi7CF1cwCgjiIAAWdwqw6uDm8AbgByYWYAAOA12EzdAARBREVUYWRwc78O0g7ZDuEOBQPqDvMOBw9yInJvdwDCoZEhyA4AAMwOYQByAACgEilvJHduQXJyb3cAAKDFIW8kd25BcnJvdwAAoJUhcSV1aWxpYnJpdW0AAKBuKWUAZQBBoKUiciJyb3cAAKClIW8AdwBuAGEAcgByAG8A9wAQA2UAcgAAAUxS+Q4AD2UkZnRBcnJvdwAAoJYh6SRnaHRBcnJvdwCglyFpAGyg0gNvAG4ApWPpIW5nbmFjAHIAAOA12LDcaSJsZGUAaGFtAGwAO4DcANxAgAREYmNkZWZvc3YALQ8xDzUPNw89D3IPdg97D4AP4SFzaACgqyJhAHIAAKDrKnkAEmThIXNobKCpIgCg5ioAAWVyQQ9DDwCgwSKAAWJ0eQBJD00Paw9hAHIAAKAWIGmgFiDjIWFsAAJCTFNUWA9cD18PZg9hAHIAAKAjIukhbmV8YGUkcGFyYXRvcgAAoFgnaSJsZGUAAKBAItQkaGluU3BhY2UAoAogcgAA4DXYGd1wAGYAAOA12E3dYwByAADgNdix3GQiYXNoAACgqiKAAmNlZm9zAI4PkQ+VD5kPng/pIXJjdGHkIWdlAKDAInIAAOA12BrdcABmAADgNdhO3WMAcgAA4DXYstwAAmZpb3OqD64Prw+0D3IAAOA12BvdnmNwAGYAAOA12E/dYwByAADgNdiz3IAEQUlVYWNmb3N1AMgPyw/OD9EP2A/gD+QP6Q/uD2MAeQAvZGMAeQAHZGMAeQAuZGMAdQB0AGUAO4DdAN1AAAFpedwP3w9yAGMAdmErZHIAAOA12BzdcABmAADgNdhQ3WMAcgAA4DXYtNxtAGwAeGEABEhhY2RlZm9z/g8BEAUQDRAQEB0QIBAkEGMAeQAWZGMidXRlAHlhAAFheQkQDBDyIW9ufWEXZG8AdAB7YfIBFRAAABwQbwBXAGkAZAB0AOgAVAhhAJZjcgAAoCghcABmAACgJCFjAHIAAOA12LXc4QtCEEkQTRAAAGcQbRByEAAAAAAAAAAAeRCKEJcQ8hD9EAAAGxEhETIROREAAD4RYwB1AHQAZQA7gOEA4UByImV2ZQADYYCiPiJFZGl1eQBWEFkQWxBgEGUQAOA+IjMDAKA/InIAYwA7gOIA4kB0AGUAO4C0ALRAMGRsAGkAZwA7gOYA5kByoGEgAOA12B7dcgBhAHYAZQA7gOAA4EAAAWVwfBCGEAABZnCAEIQQ8yF5bQCgNSHoAIMQaABhALFjAAFhcI0QWwAAAWNskRCTEHIAAWFnAACgPypkApwQAAAAALEQAKInImFkc3ajEKcQqRCuEG4AZAAAoFUqAKBcKmwib3BlAACgWCoAoFoqAKMgImVsbXJzersQvRDAEN0Q5RDtEACgpCllAACgICJzAGQAYaAhImEEzhDQENIQ1BDWENgQ2hDcEACgqCkAoKkpAKCqKQCgqykAoKwpAKCtKQCgrikAoK8pdAB2oB8iYgBkoL4iAKCdKQABcHTpEOwQaAAAoCIixWDhIXJyAKB8IwABZ3D1EPgQbwBuAAVhZgAA4DXYUt0Ao0giRWFlaW9wBxEJEQ0RDxESERQRAKBwKuMhaXIAoG8qAKBKImQAAKBLInMAJ2DyIW94ZaBIIvEADhFpAG4AZwA7gOUA5UCAAWN0eQAmESoRKxFyAADgNdi23CpgbQBwAGWgSCLxAPgBaQBsAGQAZQA7gOMA40BtAGwAO4DkAORAAAFjaUERRxFvAG4AaQBuAPQA6AFuAHQAAKARKgAITmFiY2RlZmlrbG5vcHJzdWQRaBGXEZ8RpxGrEdIR1hErEjASexKKEn0RThNbE3oTbwB0AACg7SoAAWNybBGJEWsAAAJjZXBzdBF4EX0RghHvIW5nAKBMInAjc2lsb24A9mNyImltZQAAoDUgaQBtAGWgPSJxAACgzSJ2AY0RkRFlAGUAAKC9ImUAZABnoAUjZQAAoAUjcgBrAHSgtSPiIXJrAKC2IwABb3mjEaYRbgDnAHcRMWTxIXVvAKAeIIACY21wcnQAtBG5Eb4RwRHFEeEhdXPloDUi5ABwInR5dgAAoLApcwDpAH0RbgBvAPUA6gCAAWFodwDLEcwRzhGyYwCgNiHlIWVuAKBsInIAAOA12B/dZwCAA2Nvc3R1dncA4xHyEQUSEhIhEiYSKRKAAWFpdQDpEesR7xHwAKMFcgBjAACg7yVwAACgwyKAAWRwdAD4EfwRABJvAHQAAKAAKuwhdXMAoAEqaSJtZXMAAKACKnECCxIAAAAADxLjIXVwAKAGKmEAcgAAoAUm8iNpYW5nbGUAAWR1GhIeEu8hd24AoL0lcAAAoLMlcCJsdXMAAKAEKmUA5QBCD+UAkg9hInJvdwAAoA0pgAFha28ANhJoEncSAAFjbjoSZRJrAIABbHN0AEESRxJNEm8jemVuZ2UAAKDrKXEAdQBhAHIA5QBcBPIjaWFuZ2xlgKG0JWRscgBYElwSYBLvIXduAKC+JeUhZnQAoMIlaSJnaHQAAKC4JWsAAKAjJLEBbRIAAHUSsgFxEgAAcxIAoJIlAKCRJTQAAKCTJWMAawAAoIglAAFlb38ShxJx4D0A5SD1IWl2AOBhIuUgdAAAoBAjAAJwdHd4kRKVEpsSnxJmAADgNdhT3XSgpSJvAG0AAKClIvQhaWUAoMgiAAZESFVWYmRobXB0dXayEsES0RLgEvcS+xIKExoTHxMjEygTNxMAAkxSbHK5ErsSvRK/EgCgVyUAoFQlAKBWJQCgUyUAolAlRFVkdckSyxLNEs8SAKBmJQCgaSUAoGQlAKBnJQACTFJsctgS2hLcEt4SAKBdJQCgWiUAoFwlAKBZJQCjUSVITFJobHLrEu0S7xLxEvMS9RIAoGwlAKBjJQCgYCUAoGslAKBiJQCgXyVvAHgAAKDJKQACTFJscgITBBMGEwgTAKBVJQCgUiUAoBAlAKAMJQCiACVEVWR1EhMUExYTGBMAoGUlAKBoJQCgLCUAoDQlaSJudXMAAKCfIuwhdXMAoJ4iaSJtZXMAAKCgIgACTFJsci8TMRMzEzUTAKBbJQCgWCUAoBglAKAUJQCjAiVITFJobHJCE0QTRhNIE0oTTBMAoGolAKBhJQCgXiUAoDwlAKAkJQCgHCUAAWV2UhNVE3YA5QD5AGIAYQByADuApgCmQAACY2Vpb2ITZhNqE24TcgAA4DXYt9xtAGkAAKBPIG0A5aA9IogRbAAAoVwAYmh0E3YTAKDFKfMhdWIAoMgnbAF+E4QTbABloCIgdAAAoCIgcAAAoU4iRWWJE4sTAKCuKvGgTyI8BeEMqRMAAN8TABQDFB8UAAAjFDQUAAAAAIUUAAAAAI0UAAAAANcU4xT3FPsUAACIFQAAlhWAAWNwcgCuE7ET1RP1IXRlB2GAoikiYWJjZHMAuxO/E8QTzhPSE24AZAAAoEQqciJjdXAAAKBJKgABYXXIE8sTcAAAoEsqcAAAoEcqbwB0AACgQCoA4CkiAP4AAWVv2RPcE3QAAKBBIO4ABAUAAmFlaXXlE+8T9RP4E/AB6hMAAO0TcwAAoE0qbwBuAA1hZABpAGwAO4DnAOdAcgBjAAlhcABzAHOgTCptAACgUCpvAHQAC2GAAWRtbgAIFA0UEhRpAGwAO4C4ALhAcCJ0eXYAAKCyKXQAAIGiADtlGBQZFKJAcgBkAG8A9ABiAXIAAOA12CDdgAFjZWkAKBQqFDIUeQBHZGMAawBtoBMn4SFyawCgEyfHY3IAAKPLJUVjZWZtcz8UQRRHFHcUfBSAFACgwykAocYCZWxGFEkUcQAAoFciZQBhAlAUAAAAAGAUciJyb3cAAAFsclYUWhTlIWZ0AKC6IWkiZ2h0AACguyGAAlJTYWNkAGgUaRRrFG8UcxSuYACgyCRzAHQAAKCbIukhcmMAoJoi4SFzaACgnSJuImludAAAoBAqaQBkAACg7yrjIWlyAKDCKfUhYnN1oGMmaQB0AACgYybsApMUmhS2FAAAwxRvAG4AZaA6APGgVCKrAG0CnxQAAAAAoxRhAHSgLABAYAChASJmbKcUqRTuABMNZQAAAW14rhSyFOUhbnQAoAEiZQDzANIB5wG6FAAAwBRkoEUibwB0AACgbSpuAPQAzAGAAWZyeQDIFMsUzhQA4DXYVN1vAOQA1wEAgakAO3MeAdMUcgAAoBchAAFhb9oU3hRyAHIAAKC1IXMAcwAAoBcnAAFjdeYU6hRyAADgNdi43AABYnDuFPIUZaDPKgCg0SploNAqAKDSKuQhb3QAoO8igANkZWxwcnZ3AAYVEBUbFSEVRBVlFYQV4SFycgABbHIMFQ4VAKA4KQCgNSlwAhYVAAAAABkVcgAAoN4iYwAAoN8i4SFycnCgtiEAoD0pgKIqImJjZG9zACsVMBU6FT4VQRVyImNhcAAAoEgqAAFhdTQVNxVwAACgRipwAACgSipvAHQAAKCNInIAAKBFKgDgKiIA/gACYWxydksVURVuFXMVcgByAG2gtyEAoDwpeQCAAWV2dwBYFWUVaRVxAHACXxUAAAAAYxVyAGUA4wAXFXUA4wAZFWUAZQAAoM4iZSJkZ2UAAKDPImUAbgA7gKQApEBlI2Fycm93AAABbHJ7FX8V5SFmdACgtiFpImdodAAAoLchZQDkAG0VAAFjaYsVkRVvAG4AaQBuAPQAkwFuAHQAAKAxImwiY3R5AACgLSOACUFIYWJjZGVmaGlqbG9yc3R1d3oAuBW7Fb8V1RXgFegV+RUKFhUWHxZUFlcWZRbFFtsW7xb7FgUXChdyAPIAtAJhAHIAAKBlKQACZ2xyc8YVyhXOFdAV5yFlcgCgICDlIXRoAKA4IfIA9QxoAHagECAAoKMiawHZFd4VYSJyb3cAAKAPKWEA4wBfAgABYXnkFecV8iFvbg9hNGQAoUYhYW/tFfQVAAFnciEC8RVyAACgyiF0InNlcQAAoHcqgAFnbG0A/xUCFgUWO4CwALBAdABhALRjcCJ0eXYAAKCxKQABaXIOFhIW8yFodACgfykA4DXYId1hAHIAAAFschsWHRYAoMMhAKDCIYACYWVnc3YAKBauAjYWOhY+Fm0AAKHEIm9zLhY0Fm4AZABzoMQi9SFpdACgZiZhIm1tYQDdY2kAbgAAoPIiAKH3AGlvQxZRFmQAZQAAgfcAO29KFksW90BuI3RpbWVzAACgxyJuAPgAUBZjAHkAUmRjAG8CXhYAAAAAYhZyAG4AAKAeI28AcAAAoA0jgAJscHR1dwBuFnEWdRaSFp4W7CFhciRgZgAA4DXYVd0AotkCZW1wc30WhBaJFo0WcQBkoFAibwB0AACgUSJpIm51cwAAoDgi7CF1cwCgFCLxInVhcmUAoKEiYgBsAGUAYgBhAHIAdwBlAGQAZwDlANcAbgCAAWFkaAClFqoWtBZyAHIAbwD3APUMbwB3AG4AYQByAHIAbwB3APMA8xVhI3Jwb29uAAABbHK8FsAWZQBmAPQAHBZpAGcAaAD0AB4WYgHJFs8WawBhAHIAbwD3AJILbwLUFgAAAADYFnIAbgAAoB8jbwBwAACgDCOAAWNvdADhFukW7BYAAXJ55RboFgDgNdi53FVkbAAAoPYp8iFvaxFhAAFkcvMW9xZvAHQAAKDxImkA5qC/JVsSAAFhaP8WAhdyAPIANQNhAPIA1wvhIm5nbGUAoKYpAAFjaQ4XEBd5AF9k5yJyYXJyAKD/JwAJRGFjZGVmZ2xtbm9wcXJzdHV4MRc4F0YXWxcyBF4XaRd5F40XrBe0F78X2RcVGCEYLRg1GEAYAAFEbzUXgRZvAPQA+BUAAWNzPBdCF3UAdABlADuA6QDpQPQhZXIAoG4qAAJhaW95TRdQF1YXWhfyIW9uG2FyAGOgViI7gOoA6kDsIW9uAKBVIk1kbwB0ABdhAAFEcmIXZhdvAHQAAKBSIgDgNdgi3XKhmipuF3QXYQB2AGUAO4DoAOhAZKCWKm8AdAAAoJgqgKGZKmlscwCAF4UXhxfuInRlcnMAoOcjAKATIWSglSpvAHQAAKCXKoABYXBzAJMXlheiF2MAcgATYXQAeQBzogUinxcAAAAAoRdlAHQAAKAFInAAMaADIDMBqRerFwCgBCAAoAUgAAFnc7AXsRdLYXAAAKACIAABZ3C4F7sXbwBuABlhZgAA4DXYVt2AAWFscwDFF8sXzxdyAHOg1SJsAACg4yl1AHMAAKBxKmkAAKG1A2x21RfYF28AbgC1Y/VjAAJjc3V24BfoF/0XEBgAAWlv5BdWF3IAYwAAoFYiaQLuFwAAAADwF+0ADQThIW50AAFnbPUX+Rd0AHIAAKCWKuUhc3MAoJUqgAFhZWkAAxgGGAoYbABzAD1gcwB0AACgXyJ2AESgYSJEAACgeCrwImFyc2wAoOUpAAFEYRkYHRhvAHQAAKBTInIAcgAAoHEpgAFjZGkAJxgqGO0XcgAAoC8hbwD0AIwCAAFhaDEYMhi3YzuA8ADwQAABbXI5GD0YbAA7gOsA60BvAACgrCCAAWNpcABGGEgYSxhsACFgcwD0ACwEAAFlb08YVxhjAHQAYQB0AGkAbwDuABoEbgBlAG4AdABpAGEAbADlADME4Ql1GAAAgRgAAIMYiBgAAAAAoRilGAAAqhgAALsYvhjRGAAA1xgnGWwAbABpAG4AZwBkAG8AdABzAGUA8QBlF3kARGRtImFsZQAAoEAmgAFpbHIAjRiRGJ0Y7CFpZwCgA/tpApcYAAAAAJoYZwAAoAD7aQBnAACgBPsA4DXYI93sIWlnAKAB++whaWcA4GYAagCAAWFsdACvGLIYthh0AACgbSZpAGcAAKAC+24AcwAAoLElbwBmAJJh8AHCGAAAxhhmAADgNdhX3QABYWvJGMwYbADsAGsEdqDUIgCg2SphI3J0aW50AACgDSoAAWFv2hgiGQABY3PeGB8ZsQPnGP0YBRkSGRUZAAAdGbID7xjyGPQY9xj5GAAA+xg7gL0AvUAAoFMhO4C8ALxAAKBVIQCgWSEAoFshswEBGQAAAxkAoFQhAKBWIbQCCxkOGQAAAAAQGTuAvgC+QACgVyEAoFwhNQAAoFghtgEZGQAAGxkAoFohAKBdITgAAKBeIWwAAKBEIHcAbgAAoCIjYwByAADgNdi73IAIRWFiY2RlZmdpamxub3JzdHYARhlKGVoZXhlmGWkZkhmWGZkZnRmgGa0ZxhnLGc8Z4BkjGmygZyIAoIwqgAFjbXAAUBlTGVgZ9SF0ZfVhbQBhAOSgswM6FgCghipyImV2ZQAfYQABaXliGWUZcgBjAB1hM2RvAHQAIWGAoWUibHFzAMYEcBl6GfGhZSLOBAAAdhlsAGEAbgD0AN8EgKF+KmNkbACBGYQZjBljAACgqSpvAHQAb6CAKmyggioAoIQqZeDbIgD+cwAAoJQqcgAA4DXYJN3noGsirATtIWVsAKA3IWMAeQBTZIChdyJFYWoApxmpGasZAKCSKgCgpSoAoKQqAAJFYWVztBm2Gb0ZwhkAoGkicABwoIoq8iFveACgiipxoIgq8aCIKrUZaQBtAACg5yJwAGYAAOA12FjdYQB2AOUAYwIAAWNp0xnWGXIAAKAKIW0AAKFzImVs3BneGQCgjioAoJAqAIM+ADtjZGxxco0E6xn0GfgZ/BkBGgABY2nvGfEZAKCnKnIAAKB6Km8AdAAAoNci0CFhcgCglSl1ImVzdAAAoHwqgAJhZGVscwAKGvQZFhrVBCAa8AEPGgAAFBpwAHIAbwD4AFkZcgAAoHgpcQAAAWxxxAQbGmwAZQBzAPMASRlpAO0A5AQAAWVuJxouGnIjdG5lcXEAAOBpIgD+xQAsGgAFQWFiY2Vma29zeUAaQxpmGmoabRqDGocalhrCGtMacgDyAMwCAAJpbG1yShpOGlAaVBpyAHMA8ABxD2YAvWBpAGwA9AASBQABZHJYGlsaYwB5AEpkAKGUIWN3YBpkGmkAcgAAoEgpAKCtIWEAcgAAoA8h6SFyYyVhgAFhbHIAcxp7Gn8a8iF0c3WgZSZpAHQAAKBlJuwhaXAAoCYg4yFvbgCguSJyAADgNdgl3XMAAAFld4wakRphInJvdwAAoCUpYSJyb3cAAKAmKYACYW1vcHIAnxqjGqcauhq+GnIAcgAAoP8h9CFodACgOyJrAAABbHKsGrMaZSRmdGFycm93AACgqSHpJGdodGFycm93AKCqIWYAAOA12Fnd4iFhcgCgFSCAAWNsdADIGswa0BpyAADgNdi93GEAcwDoAGka8iFvaydhAAFicNca2xr1IWxsAKBDIOghZW4AoBAg4Qr2GgAA/RoAAAgbExsaGwAAIRs7GwAAAAA+G2IbmRuVG6sbAACyG80b0htjAHUAdABlADuA7QDtQAChYyBpeQEbBhtyAGMAO4DuAO5AOGQAAWN4CxsNG3kANWRjAGwAO4ChAKFAAAFmcssCFhsA4DXYJt1yAGEAdgBlADuA7ADsQIChSCFpbm8AJxsyGzYbAAFpbisbLxtuAHQAAKAMKnQAAKAtIuYhaW4AoNwpdABhAACgKSHsIWlnM2GAAWFvcABDG1sbXhuAAWNndABJG0sbWRtyACthgAFlbHAAcQVRG1UbaQBuAOUAyAVhAHIA9AByBWgAMWFmAACgtyJlAGQAtWEAoggiY2ZvdGkbbRt1G3kb4SFyZQCgBSFpAG4AdKAeImkAZQAAoN0pZABvAPQAWxsAoisiY2VscIEbhRuPG5QbYQBsAACguiIAAWdyiRuNG2UAcgDzACMQ4wCCG2EicmhrAACgFyryIW9kAKA8KgACY2dwdJ8boRukG6gbeQBRZG8AbgAvYWYAAOA12FrdYQC5Y3UAZQBzAHQAO4C/AL9AAAFjabUbuRtyAADgNdi+3G4AAKIIIkVkc3bCG8QbyBvQAwCg+SJvAHQAAKD1Inag9CIAoPMiaaBiIOwhZGUpYesB1hsAANkbYwB5AFZkbAA7gO8A70AAA2NmbW9zdeYb7hvyG/Ub+hsFHAABaXnqG+0bcgBjADVhOWRyAADgNdgn3eEhdGg3YnAAZgAA4DXYW93jAf8bAAADHHIAAOA12L/c8iFjeVhk6yFjeVRkAARhY2ZnaGpvcxUcGhwiHCYcKhwtHDAcNRzwIXBhdqC6A/BjAAFleR4cIRzkIWlsN2E6ZHIAAOA12CjdciJlZW4AOGFjAHkARWRjAHkAXGRwAGYAAOA12FzdYwByAADgNdjA3IALQUJFSGFiY2RlZmdoamxtbm9wcnN0dXYAXhxtHHEcdRx5HN8cBx0dHTwd3B3tHfEdAR4EHh0eLB5FHrwewx7hHgkfPR9LH4ABYXJ0AGQcZxxpHHIA8gBvB/IAxQLhIWlsAKAbKeEhcnIAoA4pZ6BmIgCgiyphAHIAAKBiKWMJjRwAAJAcAACVHAAAAAAAAAAAAACZHJwcAACmHKgcrRwAANIc9SF0ZTph7SJwdHl2AKC0KXIAYQDuAFoG4iFkYbtjZwAAoegnZGyhHKMcAKCRKeUAiwYAoIUqdQBvADuAqwCrQHIAgKOQIWJmaGxwc3QAuhy/HMIcxBzHHMoczhxmoOQhcwAAoB8pcwAAoB0p6wCyGnAAAKCrIWwAAKA5KWkAbQAAoHMpbAAAoKIhAKGrKmFl1hzaHGkAbAAAoBkpc6CtKgDgrSoA/oABYWJyAOUc6RztHHIAcgAAoAwpcgBrAACgcicAAWFr8Rz4HGMAAAFla/Yc9xx7YFtgAAFlc/wc/hwAoIspbAAAAWR1Ax0FHQCgjykAoI0pAAJhZXV5Dh0RHRodHB3yIW9uPmEAAWRpFR0YHWkAbAA8YewAowbiAPccO2QAAmNxcnMkHScdLB05HWEAAKA2KXUAbwDyoBwgqhEAAWR1MB00HeghYXIAoGcpcyJoYXIAAKBLKWgAAKCyIQCiZCJmZ3FzRB1FB5Qdnh10AIACYWhscnQATh1WHWUdbB2NHXIicm93AHSgkCFhAOkAzxxhI3Jwb29uAAABZHVeHWId7yF3bgCgvSFwAACgvCHlJGZ0YXJyb3dzAKDHIWkiZ2h0AIABYWhzAHUdex2DHXIicm93APOglCGdBmEAcgBwAG8AbwBuAPMAzgtxAHUAaQBnAGEAcgByAG8A9wBlGugkcmVldGltZXMAoMsi8aFkIk0HAACaHWwAYQBuAPQAXgcAon0qY2Rnc6YdqR2xHbcdYwAAoKgqbwB0AG+gfypyoIEqAKCDKmXg2iIA/nMAAKCTKoACYWRlZ3MAwB3GHcod1h3ZHXAAcAByAG8A+ACmHG8AdAAAoNYicQAAAWdxzx3SHXQA8gBGB2cAdADyAHQcdADyAFMHaQDtAGMHgAFpbHIA4h3mHeod8yFodACgfClvAG8A8gDKBgDgNdgp3UWgdiIAoJEqYQH1Hf4dcgAAAWR1YB35HWygvCEAoGopbABrAACghCVjAHkAWWQAomoiYWNodAweDx4VHhkecgDyAGsdbwByAG4AZQDyAGAW4SFyZACgaylyAGkAAKD6JQABaW8hHiQe5CFvdEBh9SFzdGGgsCPjIWhlAKCwIwACRWFlczMeNR48HkEeAKBoInAAcKCJKvIhb3gAoIkqcaCHKvGghyo0HmkAbQAAoOYiAARhYm5vcHR3elIeXB5fHoUelh6mHqsetB4AAW5yVh5ZHmcAAKDsJ3IAAKD9IXIA6wCwBmcAgAFsbXIAZh52Hnse5SFmdAABYXKIB2weaQBnAGgAdABhAHIAcgBvAPcAkwfhInBzdG8AoPwnaQBnAGgAdABhAHIAcgBvAPcAmgdwI2Fycm93AAABbHKNHpEeZQBmAPQAxhxpImdodAAAoKwhgAFhZmwAnB6fHqIecgAAoIUpAOA12F3ddQBzAACgLSppIm1lcwAAoDQqYQGvHrMecwB0AACgFyLhAIoOZaHKJbkeRhLuIWdlAKDKJWEAcgBsoCgAdAAAoJMpgAJhY2htdADMHs8e1R7bHt0ecgDyAJ0GbwByAG4AZQDyANYWYQByAGSgyyEAoG0pAKAOIHIAaQAAoL8iAANhY2hpcXTrHu8e1QfzHv0eBh/xIXVvAKA5IHIAAOA12MHcbQDloXIi+h4AAPweAKCNKgCgjyoAAWJ19xwBH28AcqAYIACgGiDyIW9rQmEAhDwAO2NkaGlscXJCBhcfxh0gHyQfKB8sHzEfAAFjaRsfHR8AoKYqcgAAoHkqcgBlAOUAkx3tIWVzAKDJIuEhcnIAoHYpdSJlc3QAAKB7KgABUGk1HzkfYQByAACglillocMlAgdfEnIAAAFkdUIfRx9zImhhcgAAoEop6CFhcgCgZikAAWVuTx9WH3IjdG5lcXEAAOBoIgD+xQBUHwAHRGFjZGVmaGlsbm9wc3VuH3Ifoh+rH68ftx+7H74f5h/uH/MfBwj/HwsgxCFvdACgOiIAAmNscHJ5H30fiR+eH3IAO4CvAK9AAAFldIEfgx8AoEImZaAgJ3MAZQAAoCAnc6CmIXQAbwCAoaYhZGx1AJQfmB+cH28AdwDuAHkDZQBmAPQA6gbwAOkO6yFlcgCgriUAAW95ph+qH+0hbWEAoCkqPGThIXNoAKAUIOElc3VyZWRhbmdsZQCgISJyAADgNdgq3W8AAKAnIYABY2RuAMQfyR/bH3IAbwA7gLUAtUBhoiMi0B8AANMf1x9zAPQAKxFpAHIAAKDwKm8AdAA7gLcAt0B1AHMA4qESIh4TAADjH3WgOCIAoCoqYwHqH+0fcAAAoNsq8gB+GnAAbAB1APMACAgAAWRw9x/7H+UhbHMAoKciZgAA4DXYXt0AAWN0AyAHIHIAAOA12MLc8CFvcwCgPiJsobwDECAVIPQiaW1hcACguCJhAPAAEyAADEdMUlZhYmNkZWZnaGlqbG1vcHJzdHV2dzwgRyBmIG0geSCqILgg2iDeIBEhFSEyIUMhTSFQIZwhnyHSIQAiIyKLIrEivyIUIwABZ3RAIEMgAODZIjgD9uBrItIgBwmAAWVsdABNIF8gYiBmAHQAAAFhclMgWCByInJvdwAAoM0h6SRnaHRhcnJvdwCgziEA4NgiOAP24Goi0iBfCekkZ2h0YXJyb3cAoM8hAAFEZHEgdSDhIXNoAKCvIuEhc2gAoK4igAJiY25wdACCIIYgiSCNIKIgbABhAACgByL1IXRlRGFnAADgICLSIACiSSJFaW9wlSCYIJwgniAA4HAqOANkAADgSyI4A3MASWFyAG8A+AAyCnUAcgBhoG4mbADzoG4mmwjzAa8gAACzIHAAO4CgAKBAbQBwAOXgTiI4AyoJgAJhZW91eQDBIMogzSDWINkg8AHGIAAAyCAAoEMqbwBuAEhh5CFpbEZhbgBnAGSgRyJvAHQAAOBtKjgDcAAAoEIqPWThIXNoAKATIACjYCJBYWRxc3jpIO0g+SD+IAIhDCFyAHIAAKDXIXIAAAFocvIg9SBrAACgJClvoJch9wAGD28AdAAA4FAiOAN1AGkA9gC7CAABZWkGIQohYQByAACgKCntAN8I6SFzdPOgBCLlCHIAAOA12CvdAAJFZXN0/wgcISshLiHxoXEiIiEAABMJ8aFxIgAJAAAnIWwAYQBuAPQAEwlpAO0AGQlyoG8iAKBvIoABQWFwADghOyE/IXIA8gBeIHIAcgAAoK4hYQByAACg8ipzogsiSiEAAAAAxwtkoPwiAKD6ImMAeQBaZIADQUVhZGVzdABcIV8hYiFmIWkhkyGWIXIA8gBXIADgZiI4A3IAcgAAoJohcgAAoCUggKFwImZxcwBwIYQhjiF0AAABYXJ1IXohcgByAG8A9wBlIWkAZwBoAHQAYQByAHIAbwD3AD4h8aFwImAhAACKIWwAYQBuAPQAZwlz4H0qOAMAoG4iaQDtAG0JcqBuImkA5aDqIkUJaQDkADoKAAFwdKMhpyFmAADgNdhf3YCBrAA7aW4AriGvIcchrEBuAIChCSJFZHYAtyG6Ib8hAOD5IjgDbwB0AADg9SI4A+EB1gjEIcYhAKD3IgCg9iJpAHagDCLhAagJzyHRIQCg/iIAoP0igAFhb3IA2CHsIfEhcgCAoSYiYXN0AOAh5SHpIWwAbABlAOwAywhsAADg/SrlIADgAiI4A2wiaW50AACgFCrjoYAi9yEAAPohdQDlAJsJY+CvKjgDZaCAIvEAkwkAAkFhaXQHIgoiFyIeInIA8gBsIHIAcgAAoZshY3cRIhQiAOAzKTgDAOCdITgDZyRodGFycm93AACgmyFyAGkA5aDrIr4JgANjaGltcHF1AC8iPCJHIpwhTSJQIloigKGBImNlcgA2Iv0JOSJ1AOUABgoA4DXYw9zvIXJ0bQKdIQAAAABEImEAcgDhAOEhbQBloEEi8aBEIiYKYQDyAMsIcwB1AAABYnBWIlgi5QDUCeUA3wmAAWJjcABgInMieCKAoYQiRWVzAGci7glqIgDgxSo4A2UAdABl4IIi0iBxAPGgiCJoImMAZaCBIvEA/gmAoYUiRWVzAH8iFgqCIgDgxio4A2UAdABl4IMi0iBxAPGgiSKAIgACZ2lscpIilCKaIpwi7AAMCWwAZABlADuA8QDxQOcAWwlpI2FuZ2xlAAABbHKkIqoi5SFmdGWg6iLxAEUJaSJnaHQAZaDrIvEAvgltoL0DAKEjAGVzuCK8InIAbwAAoBYhcAAAoAcggARESGFkZ2lscnMAziLSItYi2iLeIugi7SICIw8j4SFzaACgrSLhIXJyAKAEKXAAAOBNItIg4SFzaACgrCIAAWV04iLlIgDgZSLSIADgPgDSIG4iZmluAACg3imAAUFldADzIvci+iJyAHIAAKACKQDgZCLSIHLgPADSIGkAZQAA4LQi0iAAAUF0BiMKI3IAcgAAoAMp8iFpZQDgtSLSIGkAbQAA4Dwi0iCAAUFhbgAaIx4jKiNyAHIAAKDWIXIAAAFociMjJiNrAACgIylvoJYh9wD/DuUhYXIAoCcpUxJqFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVCMAAF4jaSN/I4IjjSOeI8AUAAAAAKYjwCMAANoj3yMAAO8jHiQvJD8kRCQAAWNzVyNsFHUAdABlADuA8wDzQAABaXlhI2cjcgBjoJoiO4D0APRAPmSAAmFiaW9zAHEjdCN3I3EBeiNzAOgAdhTsIWFjUWF2AACgOCrvIWxkAKC8KewhaWdTYQABY3KFI4kjaQByAACgvykA4DXYLN1vA5QjAAAAAJYjAACcI24A22JhAHYAZQA7gPIA8kAAoMEpAAFibaEjjAphAHIAAKC1KQACYWNpdKwjryO6I70jcgDyAFkUAAFpcrMjtiNyAACgvinvIXNzAKC7KW4A5QDZCgCgwCmAAWFlaQDFI8gjyyNjAHIATWFnAGEAyWOAAWNkbgDRI9Qj1iPyIW9uv2MAoLYpdQDzAHgBcABmAADgNdhg3YABYWVsAOQj5yPrI3IAAKC3KXIAcAAAoLkpdQDzAHwBAKMoImFkaW9zdvkj/CMPJBMkFiQbJHIA8gBeFIChXSplZm0AAyQJJAwkcgBvoDQhZgAAoDQhO4CqAKpAO4C6ALpA5yFvZgCgtiJyAACgVipsIm9wZQAAoFcqAKBbKoABY2xvACMkJSQrJPIACCRhAHMAaAA7gPgA+EBsAACgmCJpAGwBMyQ4JGQAZQA7gPUA9UBlAHMAYaCXInMAAKA2Km0AbAA7gPYA9kDiIWFyAKA9I+EKXiQAAHokAAB8JJQkAACYJKkkAAAAALUkEQsAAPAkAAAAAAQleiUAAIMlcgCAoSUiYXN0AGUkbyQBCwCBtgA7bGokayS2QGwAZQDsABgDaQJ1JAAAAAB4JG0AAKDzKgCg/Sp5AD9kcgCAAmNpbXB0AIUkiCSLJJkSjyRuAHQAJWBvAGQALmBpAGwAAKAwIOUhbmsAoDEgcgAA4DXYLd2AAWltbwCdJKAkpCR2oMYD1WNtAGEA9AD+B24AZQAAoA4m9KHAA64kAAC0JGMjaGZvcmsAAKDUItZjAAFhdbgkxCRuAAABY2u9JMIkawBooA8hAKAOIfYAaRpzAACkKwBhYmNkZW1zdNMkIRPXJNsk4STjJOck6yTjIWlyAKAjKmkAcgAAoCIqAAFvdYsW3yQAoCUqAKByKm4AO4CxALFAaQBtAACgJip3AG8AAKAnKoABaXB1APUk+iT+JO4idGludACgFSpmAADgNdhh3W4AZAA7gKMAo0CApHoiRWFjZWlub3N1ABMlFSUYJRslTCVRJVklSSV1JQCgsypwAACgtyp1AOUAPwtjoK8qgKJ6ImFjZW5zACclLSU0JTYlSSVwAHAAcgBvAPgAFyV1AHIAbAB5AGUA8QA/C/EAOAuAAWFlcwA8JUElRSXwInByb3gAoLkqcQBxAACgtSppAG0AAKDoImkA7QBEC20AZQDzoDIgIguAAUVhcwBDJVclRSXwAEAlgAFkZnAATwtfJXElgAFhbHMAZSVpJW0l7CFhcgCgLiPpIW5lAKASI/UhcmYAoBMjdKAdIu8AWQvyIWVsAKCwIgABY2l9JYElcgAA4DXYxdzIY24iY3NwAACgCCAAA2Zpb3BzdZElKxuVJZolnyWkJXIAAOA12C7dcABmAADgNdhi3XIiaW1lAACgVyBjAHIAAOA12MbcgAFhZW8AqiW6JcAldAAAAWVpryW2JXIAbgBpAG8AbgDzABkFbgB0AACgFipzAHQAZaA/APEACRj0AG0LgApBQkhhYmNkZWZoaWxtbm9wcnN0dXgA4yXyJfYl+iVpJpAmpia9JtUm5ib4JlonaCdxJ3UnnietJ7EnyCfiJ+cngAFhcnQA6SXsJe4lcgDyAJkM8gD6AuEhaWwAoBwpYQByAPIA3BVhAHIAAKBkKYADY2RlbnFydAAGJhAmEyYYJiYmKyZaJgABZXUKJg0mAOA9IjEDdABlAFVhaQDjACAN7SJwdHl2AKCzKWcAgKHpJ2RlbAAgJiImJCYAoJIpAKClKeUA9wt1AG8AO4C7ALtAcgAApZIhYWJjZmhscHN0dz0mQCZFJkcmSiZMJk4mUSZVJlgmcAAAoHUpZqDlIXMAAKAgKQCgMylzAACgHinrALka8ACVHmwAAKBFKWkAbQAAoHQpbAAAoKMhAKCdIQABYWleJmImaQBsAACgGilvAG6gNiJhAGwA8wB2C4ABYWJyAG8mciZ2JnIA8gAvEnIAawAAoHMnAAFha3omgSZjAAABZWt/JoAmfWBdYAABZXOFJocmAKCMKWwAAAFkdYwmjiYAoI4pAKCQKQACYWV1eZcmmiajJqUm8iFvbllhAAFkaZ4moSZpAGwAV2HsAA8M4gCAJkBkAAJjbHFzrSawJrUmuiZhAACgNylkImhhcgAAoGkpdQBvAPKgHSCjAWgAAKCzIYABYWNnAMMm0iaUC2wAgKEcIWlwcwDLJs4migxuAOUAoAxhAHIA9ADaC3QAAKCtJYABaWxyANsm3ybjJvMhaHQAoH0pbwBvAPIANgwA4DXYL90AAWFv6ib1JnIAAAFkde8m8SYAoMEhbKDAIQCgbCl2oMED8WOAAWducwD+Jk4nUCdoAHQAAANhaGxyc3QKJxInISc1Jz0nRydyInJvdwB0oJIhYQDpAFYmYSNycG9vbgAAAWR1GiceJ28AdwDuAPAmcAAAoMAh5SFmdAABYWgnJy0ncgByAG8AdwDzAAkMYQByAHAAbwBvAG4A8wATBGklZ2h0YXJyb3dzAACgySFxAHUAaQBnAGEAcgByAG8A9wBZJugkcmVldGltZXMAoMwiZwDaYmkAbgBnAGQAbwB0AHMAZQDxABwYgAFhaG0AYCdjJ2YncgDyAAkMYQDyABMEAKAPIG8idXN0AGGgsSPjIWhlAKCxI+0haWQAoO4qAAJhYnB0fCeGJ4knmScAAW5ygCeDJ2cAAKDtJ3IAAKD+IXIA6wAcDIABYWZsAI8nkieVJ3IAAKCGKQDgNdhj3XUAcwAAoC4qaSJtZXMAAKA1KgABYXCiJ6gncgBnoCkAdAAAoJQp7yJsaW50AKASKmEAcgDyADwnAAJhY2hxuCe8J6EMwCfxIXVvAKA6IHIAAOA12MfcAAFidYAmxCdvAPKgGSCoAYABaGlyAM4n0ifWJ3IAZQDlAE0n7SFlcwCgyiJpAIChuSVlZmwAXAxjEt4n9CFyaQCgzinsInVoYXIAoGgpAKAeIWENBSgJKA0oSyhVKIYoAACLKLAoAAAAAOMo5ygAABApJCkxKW0pcSmHKaYpAACYKgAAAACxKmMidXRlAFthcQB1AO8ABR+ApHsiRWFjZWlucHN5ABwoHignKCooLygyKEEoRihJKACgtCrwASMoAAAlKACguCpvAG4AYWF1AOUAgw1koLAqaQBsAF9hcgBjAF1hgAFFYXMAOCg6KD0oAKC2KnAAAKC6KmkAbQAAoOki7yJsaW50AKATKmkA7QCIDUFkbwB0AGKixSKRFgAAAABTKACgZiqAA0FhY21zdHgAYChkKG8ocyh1KHkogihyAHIAAKDYIXIAAAFocmkoayjrAJAab6CYIfcAzAd0ADuApwCnQGkAO2D3IWFyAKApKW0AAAFpbn4ozQBuAHUA8wDOAHQAAKA2J3IA7+A12DDdIxkAAmFjb3mRKJUonSisKHIAcAAAoG8mAAFoeZkonChjAHkASWRIZHIAdABtAqUoAAAAAKgoaQDkAFsPYQByAGEA7ABsJDuArQCtQAABZ22zKLsobQBhAAChwwNmdroouijCY4CjPCJkZWdsbnByAMgozCjPKNMo1yjaKN4obwB0AACgairxoEMiCw5FoJ4qAKCgKkWgnSoAoJ8qZQAAoEYi7CF1cwCgJCrhIXJyAKByKWEAcgDyAPwMAAJhZWl07Sj8KAEpCCkAAWxz8Sj4KGwAcwBlAHQAbQDpAH8oaABwAACgMyrwImFyc2wAoOQpAAFkbFoPBSllAACgIyNloKoqc6CsKgDgrCoA/oABZmxwABUpGCkfKfQhY3lMZGKgLwBhoMQpcgAAoD8jZgAA4DXYZN1hAAABZHIoKRcDZQBzAHWgYCZpAHQAAKBgJoABY3N1ADYpRilhKQABYXU6KUApcABzoJMiAOCTIgD+cABzoJQiAOCUIgD+dQAAAWJwSylWKQChjyJlcz4NUCllAHQAZaCPIvEAPw0AoZAiZXNIDVspZQB0AGWgkCLxAEkNAKGhJWFmZilbBHIAZQFrKVwEAKChJWEAcgDyAAMNAAJjZW10dyl7KX8pgilyAADgNdjI3HQAbQDuAM4AaQDsAAYpYQByAOYAVw0AAWFyiimOKXIA5qAGJhESAAFhbpIpoylpImdodAAAAWVwmSmgKXAAcwBpAGwAbwDuANkXaADpAKAkcwCvYIACYmNtbnAArin8KY4NJSooKgCkgiJFZGVtbnByc7wpvinCKcgpzCnUKdgp3CkAoMUqbwB0AACgvSpkoIYibwB0AACgwyr1IWx0AKDBKgABRWXQKdIpAKDLKgCgiiLsIXVzAKC/KuEhcnIAoHkpgAFlaXUA4inxKfQpdAAAoYIiZW7oKewpcQDxoIYivSllAHEA8aCKItEpbQAAoMcqAAFicPgp+ikAoNUqAKDTKmMAgKJ7ImFjZW5zAAcqDSoUKhYqRihwAHAAcgBvAPgAIyh1AHIAbAB5AGUA8QCDDfEAfA2AAWFlcwAcKiIqPShwAHAAcgBvAPgAPChxAPEAOShnAACgaiYApoMiMTIzRWRlaGxtbnBzPCo/KkIqRSpHKlIqWCpjKmcqaypzKncqO4C5ALlAO4CyALJAO4CzALNAAKDGKgABb3NLKk4qdAAAoL4qdQBiAACg2CpkoIcibwB0AACgxCpzAAABb3VdKmAqbAAAoMknYgAAoNcq4SFycgCgeyn1IWx0AKDCKgABRWVvKnEqAKDMKgCgiyLsIXVzAKDAKoABZWl1AH0qjCqPKnQAAKGDImVugyqHKnEA8aCHIkYqZQBxAPGgiyJwKm0AAKDIKgABYnCTKpUqAKDUKgCg1iqAAUFhbgCdKqEqrCpyAHIAAKDZIXIAAAFocqYqqCrrAJUab6CZIfcAxQf3IWFyAKAqKWwAaQBnADuA3wDfQOELzyrZKtwq6SrsKvEqAAD1KjQrAAAAAAAAAAAAAEwrbCsAAHErvSsAAAAAAADRK3IC1CoAAAAA2CrnIWV0AKAWI8RjcgDrAOUKgAFhZXkA4SrkKucq8iFvbmVh5CFpbGNhQmRvAPQAIg5sInJlYwAAoBUjcgAA4DXYMd0AAmVpa2/7KhIrKCsuK/IBACsAAAkrZQAAATRm6g0EK28AcgDlAOsNYQBzorgDECsAAAAAEit5AG0A0WMAAWNuFislK2sAAAFhcxsrIStwAHAAcgBvAPgAFw5pAG0AAKA8InMA8AD9DQABYXMsKyEr8AAXDnIAbgA7gP4A/kDsATgrOyswG2QA5QBnAmUAcwCAgdcAO2JkAEMrRCtJK9dAYaCgInIAAKAxKgCgMCqAAWVwcwBRK1MraSvhAAkh4qKkIlsrXysAAAAAYytvAHQAAKA2I2kAcgAAoPEqb+A12GXdcgBrAACg2irhAHgociJpbWUAAKA0IIABYWlwAHYreSu3K2QA5QC+DYADYWRlbXBzdACFK6MrmiunK6wrsCuzK24iZ2xlAACitSVkbHFykCuUK5ornCvvIXduAKC/JeUhZnRloMMl8QACBwCgXCJpImdodABloLkl8QBdDG8AdAAAoOwlaSJudXMAAKA6KuwhdXMAoDkqYgAAoM0p6SFtZQCgOyrlInppdW0AoOIjgAFjaHQAwivKK80rAAFyecYrySsA4DXYydxGZGMAeQBbZPIhb2tnYQABaW/UK9creAD0ANERaCJlYWQAAAFsct4r5ytlAGYAdABhAHIAcgBvAPcAXQbpJGdodGFycm93AKCgIQAJQUhhYmNkZmdobG1vcHJzdHV3CiwNLBEsHSwnLDEsQCxLLFIsYix6LIQsjyzLLOgs7Sz/LAotcgDyAAkDYQByAACgYykAAWNyFSwbLHUAdABlADuA+gD6QPIACQ1yAOMBIywAACUseQBeZHYAZQBtYQABaXkrLDAscgBjADuA+wD7QENkgAFhYmgANyw6LD0scgDyANEO7CFhY3FhYQDyAOAOAAFpckQsSCzzIWh0AKB+KQDgNdgy3XIAYQB2AGUAO4D5APlAYQFWLF8scgAAAWxyWixcLACgvyEAoL4hbABrAACggCUAAWN0Zix2LG8CbCwAAAAAcyxyAG4AZaAcI3IAAKAcI28AcAAAoA8jcgBpAACg+CUAAWFsfiyBLGMAcgBrYTuAqACoQAABZ3CILIssbwBuAHNhZgAA4DXYZt0AA2FkaGxzdZksniynLLgsuyzFLHIAcgBvAPcACQ1vAHcAbgBhAHIAcgBvAPcA2A5hI3Jwb29uAAABbHKvLLMsZQBmAPQAWyxpAGcAaAD0AF0sdQDzAKYOaQAAocUDaGzBLMIs0mNvAG4AxWPwI2Fycm93cwCgyCGAAWNpdADRLOEs5CxvAtcsAAAAAN4scgBuAGWgHSNyAACgHSNvAHAAAKAOI24AZwBvYXIAaQAAoPklYwByAADgNdjK3IABZGlyAPMs9yz6LG8AdAAAoPAi7CFkZWlhaQBmoLUlAKC0JQABYW0DLQYtcgDyAMosbAA7gPwA/EDhIm5nbGUAoKcpgAdBQkRhY2RlZmxub3Byc3oAJy0qLTAtNC2bLZ0toS2/LcMtxy3TLdgt3C3gLfwtcgDyABADYQByAHag6CoAoOkqYQBzAOgA/gIAAW5yOC08LechcnQAoJwpgANla25wcnN0AJkpSC1NLVQtXi1iLYItYQBwAHAA4QAaHG8AdABoAGkAbgDnAKEXgAFoaXIAoSmzJFotbwBwAPQAdCVooJUh7wD4JgABaXVmLWotZwBtAOEAuygAAWJwbi14LXMjZXRuZXEAceCKIgD+AODLKgD+cyNldG5lcQBx4IsiAP4A4MwqAP4AAWhyhi2KLWUAdADhABIraSNhbmdsZQAAAWxyki2WLeUhZnQAoLIiaSJnaHQAAKCzInkAMmThIXNoAKCiIoABZWxyAKcttC24LWKiKCKuLQAAAACyLWEAcgAAoLsicQAAoFoi7CFpcACg7iIAAWJ0vC1eD2EA8gBfD3IAAOA12DPddAByAOkAlS1zAHUAAAFicM0t0C0A4IIi0iAA4IMi0iBwAGYAAOA12GfdcgBvAPAAWQt0AHIA6QCaLQABY3XkLegtcgAA4DXYy9wAAWJw7C30LW4AAAFFZXUt8S0A4IoiAP5uAAABRWV/LfktAOCLIgD+6SJnemFnAKCaKYADY2Vmb3BycwANLhAuJS4pLiMuLi40LukhcmN1YQABZGkULiEuAAFiZxguHC5hAHIAAKBfKmUAcaAnIgCgWSLlIXJwAKAYIXIAAOA12DTdcABmAADgNdho3WWgQCJhAHQA6ABqD2MAcgAA4DXYzNzjCuQRUC4AAFQuAABYLmIuAAAAAGMubS5wLnQuAAAAAIguki4AAJouJxIqEnQAcgDpAB0ScgAA4DXYNd0AAUFhWy5eLnIA8gDnAnIA8gCTB75jAAFBYWYuaS5yAPIA4AJyAPIAjAdhAPAAeh5pAHMAAKD7IoABZHB0APgReS6DLgABZmx9LoAuAOA12GnddQDzAP8RaQBtAOUABBIAAUFhiy6OLnIA8gDuAnIA8gCaBwABY3GVLgoScgAA4DXYzdwAAXB0nS6hLmwAdQDzACUScgDpACASAARhY2VmaW9zdbEuvC7ELsguzC7PLtQu2S5jAAABdXm2LrsudABlADuA/QD9QE9kAAFpecAuwy5yAGMAd2FLZG4AO4ClAKVAcgAA4DXYNt1jAHkAV2RwAGYAAOA12GrdYwByAADgNdjO3AABY23dLt8ueQBOZGwAO4D/AP9AAAVhY2RlZmhpb3N38y73Lv8uAi8MLxAvEy8YLx0vIi9jInV0ZQB6YQABYXn7Lv4u8iFvbn5hN2RvAHQAfGEAAWV0Bi8KL3QAcgDmAB8QYQC2Y3IAAOA12DfdYwB5ADZk5yJyYXJyAKDdIXAAZgAA4DXYa91jAHIAAOA12M/cAAFqbiYvKC8AoA0gagAAoAwg");
//# sourceMappingURL=decode-data-html.js.map
;// CONCATENATED MODULE: ./node_modules/entities/dist/esm/internal/bin-trie-flags.js
/**
 * Bit flags & masks for the binary trie encoding used for entity decoding.
 *
 * Bit layout (16 bits total):
 * 15..14 VALUE_LENGTH   (+1 encoding; 0 => no value)
 * 13     FLAG13.        If valueLength>0: semicolon required flag (implicit ';').
 *                       If valueLength==0: compact run flag.
 * 12..7  BRANCH_LENGTH  Branch length (0 => single branch in 6..0 if jumpOffset==char) OR run length (when compact run)
 * 6..0   JUMP_TABLE     Jump offset (jump table) OR single-branch char code OR first run char
 */
var BinTrieFlags;
(function (BinTrieFlags) {
    BinTrieFlags[BinTrieFlags["VALUE_LENGTH"] = 49152] = "VALUE_LENGTH";
    BinTrieFlags[BinTrieFlags["FLAG13"] = 8192] = "FLAG13";
    BinTrieFlags[BinTrieFlags["BRANCH_LENGTH"] = 8064] = "BRANCH_LENGTH";
    BinTrieFlags[BinTrieFlags["JUMP_TABLE"] = 127] = "JUMP_TABLE";
})(BinTrieFlags || (BinTrieFlags = {}));
//# sourceMappingURL=bin-trie-flags.js.map
;// CONCATENATED MODULE: ./node_modules/entities/dist/esm/decode.js




var CharCodes;
(function (CharCodes) {
    CharCodes[CharCodes["NUM"] = 35] = "NUM";
    CharCodes[CharCodes["SEMI"] = 59] = "SEMI";
    CharCodes[CharCodes["EQUALS"] = 61] = "EQUALS";
    CharCodes[CharCodes["ZERO"] = 48] = "ZERO";
    CharCodes[CharCodes["NINE"] = 57] = "NINE";
    CharCodes[CharCodes["LOWER_A"] = 97] = "LOWER_A";
    CharCodes[CharCodes["LOWER_F"] = 102] = "LOWER_F";
    CharCodes[CharCodes["LOWER_X"] = 120] = "LOWER_X";
    CharCodes[CharCodes["LOWER_Z"] = 122] = "LOWER_Z";
    CharCodes[CharCodes["UPPER_A"] = 65] = "UPPER_A";
    CharCodes[CharCodes["UPPER_F"] = 70] = "UPPER_F";
    CharCodes[CharCodes["UPPER_Z"] = 90] = "UPPER_Z";
})(CharCodes || (CharCodes = {}));
/** Bit that needs to be set to convert an upper case ASCII character to lower case */
const TO_LOWER_BIT = 32;
function isNumber(code) {
    return code >= CharCodes.ZERO && code <= CharCodes.NINE;
}
function isHexadecimalCharacter(code) {
    return ((code >= CharCodes.UPPER_A && code <= CharCodes.UPPER_F) ||
        (code >= CharCodes.LOWER_A && code <= CharCodes.LOWER_F));
}
function isAsciiAlphaNumeric(code) {
    return ((code >= CharCodes.UPPER_A && code <= CharCodes.UPPER_Z) ||
        (code >= CharCodes.LOWER_A && code <= CharCodes.LOWER_Z) ||
        isNumber(code));
}
/**
 * Checks if the given character is a valid end character for an entity in an attribute.
 *
 * Attribute values that aren't terminated properly aren't parsed, and shouldn't lead to a parser error.
 * See the example in https://html.spec.whatwg.org/multipage/parsing.html#named-character-reference-state
 */
function isEntityInAttributeInvalidEnd(code) {
    return code === CharCodes.EQUALS || isAsciiAlphaNumeric(code);
}
var EntityDecoderState;
(function (EntityDecoderState) {
    EntityDecoderState[EntityDecoderState["EntityStart"] = 0] = "EntityStart";
    EntityDecoderState[EntityDecoderState["NumericStart"] = 1] = "NumericStart";
    EntityDecoderState[EntityDecoderState["NumericDecimal"] = 2] = "NumericDecimal";
    EntityDecoderState[EntityDecoderState["NumericHex"] = 3] = "NumericHex";
    EntityDecoderState[EntityDecoderState["NamedEntity"] = 4] = "NamedEntity";
})(EntityDecoderState || (EntityDecoderState = {}));
var decode_DecodingMode;
(function (DecodingMode) {
    /** Entities in text nodes that can end with any character. */
    DecodingMode[DecodingMode["Legacy"] = 0] = "Legacy";
    /** Only allow entities terminated with a semicolon. */
    DecodingMode[DecodingMode["Strict"] = 1] = "Strict";
    /** Entities in attributes have limitations on ending characters. */
    DecodingMode[DecodingMode["Attribute"] = 2] = "Attribute";
})(decode_DecodingMode || (decode_DecodingMode = {}));
/**
 * Token decoder with support of writing partial entities.
 */
class EntityDecoder {
    constructor(
    /** The tree used to decode entities. */
    // biome-ignore lint/correctness/noUnusedPrivateClassMembers: False positive
    decodeTree, 
    /**
     * The function that is called when a codepoint is decoded.
     *
     * For multi-byte named entities, this will be called multiple times,
     * with the second codepoint, and the same `consumed` value.
     *
     * @param codepoint The decoded codepoint.
     * @param consumed The number of bytes consumed by the decoder.
     */
    emitCodePoint, 
    /** An object that is used to produce errors. */
    errors) {
        this.decodeTree = decodeTree;
        this.emitCodePoint = emitCodePoint;
        this.errors = errors;
        /** The current state of the decoder. */
        this.state = EntityDecoderState.EntityStart;
        /** Characters that were consumed while parsing an entity. */
        this.consumed = 1;
        /**
         * The result of the entity.
         *
         * Either the result index of a numeric entity, or the codepoint of a
         * numeric entity.
         */
        this.result = 0;
        /** The current index in the decode tree. */
        this.treeIndex = 0;
        /** The number of characters that were consumed in excess. */
        this.excess = 1;
        /** The mode in which the decoder is operating. */
        this.decodeMode = decode_DecodingMode.Strict;
        /** The number of characters that have been consumed in the current run. */
        this.runConsumed = 0;
    }
    /** Resets the instance to make it reusable. */
    startEntity(decodeMode) {
        this.decodeMode = decodeMode;
        this.state = EntityDecoderState.EntityStart;
        this.result = 0;
        this.treeIndex = 0;
        this.excess = 1;
        this.consumed = 1;
        this.runConsumed = 0;
    }
    /**
     * Write an entity to the decoder. This can be called multiple times with partial entities.
     * If the entity is incomplete, the decoder will return -1.
     *
     * Mirrors the implementation of `getDecoder`, but with the ability to stop decoding if the
     * entity is incomplete, and resume when the next string is written.
     *
     * @param input The string containing the entity (or a continuation of the entity).
     * @param offset The offset at which the entity begins. Should be 0 if this is not the first call.
     * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
     */
    write(input, offset) {
        switch (this.state) {
            case EntityDecoderState.EntityStart: {
                if (input.charCodeAt(offset) === CharCodes.NUM) {
                    this.state = EntityDecoderState.NumericStart;
                    this.consumed += 1;
                    return this.stateNumericStart(input, offset + 1);
                }
                this.state = EntityDecoderState.NamedEntity;
                return this.stateNamedEntity(input, offset);
            }
            case EntityDecoderState.NumericStart: {
                return this.stateNumericStart(input, offset);
            }
            case EntityDecoderState.NumericDecimal: {
                return this.stateNumericDecimal(input, offset);
            }
            case EntityDecoderState.NumericHex: {
                return this.stateNumericHex(input, offset);
            }
            case EntityDecoderState.NamedEntity: {
                return this.stateNamedEntity(input, offset);
            }
        }
    }
    /**
     * Switches between the numeric decimal and hexadecimal states.
     *
     * Equivalent to the `Numeric character reference state` in the HTML spec.
     *
     * @param input The string containing the entity (or a continuation of the entity).
     * @param offset The current offset.
     * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
     */
    stateNumericStart(input, offset) {
        if (offset >= input.length) {
            return -1;
        }
        if ((input.charCodeAt(offset) | TO_LOWER_BIT) === CharCodes.LOWER_X) {
            this.state = EntityDecoderState.NumericHex;
            this.consumed += 1;
            return this.stateNumericHex(input, offset + 1);
        }
        this.state = EntityDecoderState.NumericDecimal;
        return this.stateNumericDecimal(input, offset);
    }
    /**
     * Parses a hexadecimal numeric entity.
     *
     * Equivalent to the `Hexademical character reference state` in the HTML spec.
     *
     * @param input The string containing the entity (or a continuation of the entity).
     * @param offset The current offset.
     * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
     */
    stateNumericHex(input, offset) {
        while (offset < input.length) {
            const char = input.charCodeAt(offset);
            if (isNumber(char) || isHexadecimalCharacter(char)) {
                // Convert hex digit to value (0-15); 'a'/'A' -> 10.
                const digit = char <= CharCodes.NINE
                    ? char - CharCodes.ZERO
                    : (char | TO_LOWER_BIT) - CharCodes.LOWER_A + 10;
                this.result = this.result * 16 + digit;
                this.consumed++;
                offset++;
            }
            else {
                return this.emitNumericEntity(char, 3);
            }
        }
        return -1; // Incomplete entity
    }
    /**
     * Parses a decimal numeric entity.
     *
     * Equivalent to the `Decimal character reference state` in the HTML spec.
     *
     * @param input The string containing the entity (or a continuation of the entity).
     * @param offset The current offset.
     * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
     */
    stateNumericDecimal(input, offset) {
        while (offset < input.length) {
            const char = input.charCodeAt(offset);
            if (isNumber(char)) {
                this.result = this.result * 10 + (char - CharCodes.ZERO);
                this.consumed++;
                offset++;
            }
            else {
                return this.emitNumericEntity(char, 2);
            }
        }
        return -1; // Incomplete entity
    }
    /**
     * Validate and emit a numeric entity.
     *
     * Implements the logic from the `Hexademical character reference start
     * state` and `Numeric character reference end state` in the HTML spec.
     *
     * @param lastCp The last code point of the entity. Used to see if the
     *               entity was terminated with a semicolon.
     * @param expectedLength The minimum number of characters that should be
     *                       consumed. Used to validate that at least one digit
     *                       was consumed.
     * @returns The number of characters that were consumed.
     */
    emitNumericEntity(lastCp, expectedLength) {
        var _a;
        // Ensure we consumed at least one digit.
        if (this.consumed <= expectedLength) {
            (_a = this.errors) === null || _a === void 0 ? void 0 : _a.absenceOfDigitsInNumericCharacterReference(this.consumed);
            return 0;
        }
        // Figure out if this is a legit end of the entity
        if (lastCp === CharCodes.SEMI) {
            this.consumed += 1;
        }
        else if (this.decodeMode === decode_DecodingMode.Strict) {
            return 0;
        }
        this.emitCodePoint(replaceCodePoint(this.result), this.consumed);
        if (this.errors) {
            if (lastCp !== CharCodes.SEMI) {
                this.errors.missingSemicolonAfterCharacterReference();
            }
            this.errors.validateNumericCharacterReference(this.result);
        }
        return this.consumed;
    }
    /**
     * Parses a named entity.
     *
     * Equivalent to the `Named character reference state` in the HTML spec.
     *
     * @param input The string containing the entity (or a continuation of the entity).
     * @param offset The current offset.
     * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
     */
    stateNamedEntity(input, offset) {
        const { decodeTree } = this;
        let current = decodeTree[this.treeIndex];
        // The length is the number of bytes of the value, including the current byte.
        let valueLength = (current & BinTrieFlags.VALUE_LENGTH) >> 14;
        while (offset < input.length) {
            // Handle compact runs (possibly inline): valueLength == 0 and SEMI_REQUIRED bit set.
            if (valueLength === 0 && (current & BinTrieFlags.FLAG13) !== 0) {
                const runLength = (current & BinTrieFlags.BRANCH_LENGTH) >> 7; /* 2..63 */
                // If we are starting a run, check the first char.
                if (this.runConsumed === 0) {
                    const firstChar = current & BinTrieFlags.JUMP_TABLE;
                    if (input.charCodeAt(offset) !== firstChar) {
                        return this.result === 0
                            ? 0
                            : this.emitNotTerminatedNamedEntity();
                    }
                    offset++;
                    this.excess++;
                    this.runConsumed++;
                }
                // Check remaining characters in the run.
                while (this.runConsumed < runLength) {
                    if (offset >= input.length) {
                        return -1;
                    }
                    const charIndexInPacked = this.runConsumed - 1;
                    const packedWord = decodeTree[this.treeIndex + 1 + (charIndexInPacked >> 1)];
                    const expectedChar = charIndexInPacked % 2 === 0
                        ? packedWord & 0xff
                        : (packedWord >> 8) & 0xff;
                    if (input.charCodeAt(offset) !== expectedChar) {
                        this.runConsumed = 0;
                        return this.result === 0
                            ? 0
                            : this.emitNotTerminatedNamedEntity();
                    }
                    offset++;
                    this.excess++;
                    this.runConsumed++;
                }
                this.runConsumed = 0;
                this.treeIndex += 1 + (runLength >> 1);
                current = decodeTree[this.treeIndex];
                valueLength = (current & BinTrieFlags.VALUE_LENGTH) >> 14;
            }
            if (offset >= input.length)
                break;
            const char = input.charCodeAt(offset);
            /*
             * Implicit semicolon handling for nodes that require a semicolon but
             * don't have an explicit ';' branch stored in the trie. If we have
             * a value on the current node, it requires a semicolon, and the
             * current input character is a semicolon, emit the entity using the
             * current node (without descending further).
             */
            if (char === CharCodes.SEMI &&
                valueLength !== 0 &&
                (current & BinTrieFlags.FLAG13) !== 0) {
                return this.emitNamedEntityData(this.treeIndex, valueLength, this.consumed + this.excess);
            }
            this.treeIndex = determineBranch(decodeTree, current, this.treeIndex + Math.max(1, valueLength), char);
            if (this.treeIndex < 0) {
                return this.result === 0 ||
                    // If we are parsing an attribute
                    (this.decodeMode === decode_DecodingMode.Attribute &&
                        // We shouldn't have consumed any characters after the entity,
                        (valueLength === 0 ||
                            // And there should be no invalid characters.
                            isEntityInAttributeInvalidEnd(char)))
                    ? 0
                    : this.emitNotTerminatedNamedEntity();
            }
            current = decodeTree[this.treeIndex];
            valueLength = (current & BinTrieFlags.VALUE_LENGTH) >> 14;
            // If the branch is a value, store it and continue
            if (valueLength !== 0) {
                // If the entity is terminated by a semicolon, we are done.
                if (char === CharCodes.SEMI) {
                    return this.emitNamedEntityData(this.treeIndex, valueLength, this.consumed + this.excess);
                }
                // If we encounter a non-terminated (legacy) entity while parsing strictly, then ignore it.
                if (this.decodeMode !== decode_DecodingMode.Strict &&
                    (current & BinTrieFlags.FLAG13) === 0) {
                    this.result = this.treeIndex;
                    this.consumed += this.excess;
                    this.excess = 0;
                }
            }
            // Increment offset & excess for next iteration
            offset++;
            this.excess++;
        }
        return -1;
    }
    /**
     * Emit a named entity that was not terminated with a semicolon.
     *
     * @returns The number of characters consumed.
     */
    emitNotTerminatedNamedEntity() {
        var _a;
        const { result, decodeTree } = this;
        const valueLength = (decodeTree[result] & BinTrieFlags.VALUE_LENGTH) >> 14;
        this.emitNamedEntityData(result, valueLength, this.consumed);
        (_a = this.errors) === null || _a === void 0 ? void 0 : _a.missingSemicolonAfterCharacterReference();
        return this.consumed;
    }
    /**
     * Emit a named entity.
     *
     * @param result The index of the entity in the decode tree.
     * @param valueLength The number of bytes in the entity.
     * @param consumed The number of characters consumed.
     *
     * @returns The number of characters consumed.
     */
    emitNamedEntityData(result, valueLength, consumed) {
        const { decodeTree } = this;
        this.emitCodePoint(valueLength === 1
            ? decodeTree[result] &
                ~(BinTrieFlags.VALUE_LENGTH | BinTrieFlags.FLAG13)
            : decodeTree[result + 1], consumed);
        if (valueLength === 3) {
            // For multi-byte values, we need to emit the second byte.
            this.emitCodePoint(decodeTree[result + 2], consumed);
        }
        return consumed;
    }
    /**
     * Signal to the parser that the end of the input was reached.
     *
     * Remaining data will be emitted and relevant errors will be produced.
     *
     * @returns The number of characters consumed.
     */
    end() {
        var _a;
        switch (this.state) {
            case EntityDecoderState.NamedEntity: {
                // Emit a named entity if we have one.
                return this.result !== 0 &&
                    (this.decodeMode !== decode_DecodingMode.Attribute ||
                        this.result === this.treeIndex)
                    ? this.emitNotTerminatedNamedEntity()
                    : 0;
            }
            // Otherwise, emit a numeric entity if we have one.
            case EntityDecoderState.NumericDecimal: {
                return this.emitNumericEntity(0, 2);
            }
            case EntityDecoderState.NumericHex: {
                return this.emitNumericEntity(0, 3);
            }
            case EntityDecoderState.NumericStart: {
                (_a = this.errors) === null || _a === void 0 ? void 0 : _a.absenceOfDigitsInNumericCharacterReference(this.consumed);
                return 0;
            }
            case EntityDecoderState.EntityStart: {
                // Return 0 if we have no entity.
                return 0;
            }
        }
    }
}
/**
 * Creates a function that decodes entities in a string.
 *
 * @param decodeTree The decode tree.
 * @returns A function that decodes entities in a string.
 */
function getDecoder(decodeTree) {
    let returnValue = "";
    const decoder = new EntityDecoder(decodeTree, (data) => (returnValue += fromCodePoint(data)));
    return function decodeWithTrie(input, decodeMode) {
        let lastIndex = 0;
        let offset = 0;
        while ((offset = input.indexOf("&", offset)) >= 0) {
            returnValue += input.slice(lastIndex, offset);
            decoder.startEntity(decodeMode);
            const length = decoder.write(input, 
            // Skip the "&"
            offset + 1);
            if (length < 0) {
                lastIndex = offset + decoder.end();
                break;
            }
            lastIndex = offset + length;
            // If `length` is 0, skip the current `&` and continue.
            offset = length === 0 ? lastIndex + 1 : lastIndex;
        }
        const result = returnValue + input.slice(lastIndex);
        // Make sure we don't keep a reference to the final string.
        returnValue = "";
        return result;
    };
}
/**
 * Determines the branch of the current node that is taken given the current
 * character. This function is used to traverse the trie.
 *
 * @param decodeTree The trie.
 * @param current The current node.
 * @param nodeIdx The index right after the current node and its value.
 * @param char The current character.
 * @returns The index of the next node, or -1 if no branch is taken.
 */
function determineBranch(decodeTree, current, nodeIndex, char) {
    const branchCount = (current & BinTrieFlags.BRANCH_LENGTH) >> 7;
    const jumpOffset = current & BinTrieFlags.JUMP_TABLE;
    // Case 1: Single branch encoded in jump offset
    if (branchCount === 0) {
        return jumpOffset !== 0 && char === jumpOffset ? nodeIndex : -1;
    }
    // Case 2: Multiple branches encoded in jump table
    if (jumpOffset) {
        const value = char - jumpOffset;
        return value < 0 || value >= branchCount
            ? -1
            : decodeTree[nodeIndex + value] - 1;
    }
    // Case 3: Multiple branches encoded in packed dictionary (two keys per uint16)
    const packedKeySlots = (branchCount + 1) >> 1;
    /*
     * Treat packed keys as a virtual sorted array of length `branchCount`.
     * Key(i) = low byte for even i, high byte for odd i in slot i>>1.
     */
    let lo = 0;
    let hi = branchCount - 1;
    while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const slot = mid >> 1;
        const packed = decodeTree[nodeIndex + slot];
        const midKey = (packed >> ((mid & 1) * 8)) & 0xff;
        if (midKey < char) {
            lo = mid + 1;
        }
        else if (midKey > char) {
            hi = mid - 1;
        }
        else {
            return decodeTree[nodeIndex + packedKeySlots + mid];
        }
    }
    return -1;
}
const htmlDecoder = /* #__PURE__ */ getDecoder(htmlDecodeTree);
const xmlDecoder = /* #__PURE__ */ (/* unused pure expression or super */ null && (getDecoder(xmlDecodeTree)));
/**
 * Decodes an HTML string.
 *
 * @param htmlString The string to decode.
 * @param mode The decoding mode.
 * @returns The decoded string.
 */
function decode_decodeHTML(htmlString, mode = decode_DecodingMode.Legacy) {
    return htmlDecoder(htmlString, mode);
}
/**
 * Decodes an HTML string in an attribute.
 *
 * @param htmlAttribute The string to decode.
 * @returns The decoded string.
 */
function decodeHTMLAttribute(htmlAttribute) {
    return htmlDecoder(htmlAttribute, decode_DecodingMode.Attribute);
}
/**
 * Decodes an HTML string, requiring all entities to be terminated by a semicolon.
 *
 * @param htmlString The string to decode.
 * @returns The decoded string.
 */
function decodeHTMLStrict(htmlString) {
    return htmlDecoder(htmlString, decode_DecodingMode.Strict);
}
/**
 * Decodes an XML string, requiring all entities to be terminated by a semicolon.
 *
 * @param xmlString The string to decode.
 * @returns The decoded string.
 */
function decode_decodeXML(xmlString) {
    return xmlDecoder(xmlString, decode_DecodingMode.Strict);
}

// Re-export for use by eg. htmlparser2


//# sourceMappingURL=decode.js.map
;// CONCATENATED MODULE: ./node_modules/entities/dist/esm/escape.js
const xmlCodeMap = new Map([
    [34, "&quot;"],
    [38, "&amp;"],
    [39, "&apos;"],
    [60, "&lt;"],
    [62, "&gt;"],
]);
// For compatibility with node < 4, we wrap `codePointAt`
const escape_getCodePoint = 
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
String.prototype.codePointAt == null
    ? (c, index) => (c.charCodeAt(index) & 64512) === 55296
        ? (c.charCodeAt(index) - 55296) * 1024 +
            c.charCodeAt(index + 1) -
            56320 +
            65536
        : c.charCodeAt(index)
    : // http://mathiasbynens.be/notes/javascript-encoding#surrogate-formulae
        (input, index) => input.codePointAt(index);
/**
 * Bitset for ASCII characters that need to be escaped in XML.
 */
const XML_BITSET_VALUE = 1342177476; // 32..63 -> 34 ("),38 (&),39 ('),60 (<),62 (>)
/**
 * Encodes all non-ASCII characters, as well as characters not valid in XML
 * documents using XML entities. Uses a fast bitset scan instead of RegExp.
 *
 * If a character has no equivalent entity, a numeric hexadecimal reference
 * (eg. `&#xfc;`) will be used.
 */
function escape_encodeXML(input) {
    let out;
    let last = 0;
    const { length } = input;
    for (let index = 0; index < length; index++) {
        const char = input.charCodeAt(index);
        // Check for ASCII chars that don't need escaping
        if (char < 0x80 &&
            (((XML_BITSET_VALUE >>> char) & 1) === 0 || char >= 64 || char < 32)) {
            continue;
        }
        if (out === undefined)
            out = input.substring(0, index);
        else if (last !== index)
            out += input.substring(last, index);
        if (char < 64) {
            // Known replacement
            out += xmlCodeMap.get(char);
            last = index + 1;
            continue;
        }
        // Non-ASCII: encode as numeric entity (handle surrogate pair)
        const cp = escape_getCodePoint(input, index);
        out += `&#x${cp.toString(16)};`;
        if (cp !== char)
            index++; // Skip trailing surrogate
        last = index + 1;
    }
    if (out === undefined)
        return input;
    if (last < length)
        out += input.substr(last);
    return out;
}
/**
 * Encodes all non-ASCII characters, as well as characters not valid in XML
 * documents using numeric hexadecimal reference (eg. `&#xfc;`).
 *
 * Have a look at `escapeUTF8` if you want a more concise output at the expense
 * of reduced transportability.
 *
 * @param data String to escape.
 */
const escape_escape = (/* unused pure expression or super */ null && (escape_encodeXML));
/**
 * Creates a function that escapes all characters matched by the given regular
 * expression using the given map of characters to escape to their entities.
 *
 * @param regex Regular expression to match characters to escape.
 * @param map Map of characters to escape to their entities.
 *
 * @returns Function that escapes all characters matched by the given regular
 * expression using the given map of characters to escape to their entities.
 */
function getEscaper(regex, map) {
    return function escape(data) {
        let match;
        let lastIndex = 0;
        let result = "";
        while ((match = regex.exec(data))) {
            if (lastIndex !== match.index) {
                result += data.substring(lastIndex, match.index);
            }
            // We know that this character will be in the map.
            result += map.get(match[0].charCodeAt(0));
            // Every match will be of length 1
            lastIndex = match.index + 1;
        }
        return result + data.substring(lastIndex);
    };
}
/**
 * Encodes all characters not valid in XML documents using XML entities.
 *
 * Note that the output will be character-set dependent.
 *
 * @param data String to escape.
 */
const escape_escapeUTF8 = /* #__PURE__ */ (/* unused pure expression or super */ null && (getEscaper(/["&'<>]/g, xmlCodeMap)));
/**
 * Encodes all characters that have to be escaped in HTML attributes,
 * following {@link https://html.spec.whatwg.org/multipage/parsing.html#escapingString}.
 *
 * @param data String to escape.
 */
const escape_escapeAttribute = 
/* #__PURE__ */ getEscaper(/["&\u00A0]/g, new Map([
    [34, "&quot;"],
    [38, "&amp;"],
    [160, "&nbsp;"],
]));
/**
 * Encodes all characters that have to be escaped in HTML text,
 * following {@link https://html.spec.whatwg.org/multipage/parsing.html#escapingString}.
 *
 * @param data String to escape.
 */
const escape_escapeText = /* #__PURE__ */ getEscaper(/[&<>\u00A0]/g, new Map([
    [38, "&amp;"],
    [60, "&lt;"],
    [62, "&gt;"],
    [160, "&nbsp;"],
]));
//# sourceMappingURL=escape.js.map
;// CONCATENATED MODULE: ./node_modules/entities/dist/esm/encode.js


/**
 * We store the characters to consider as a compact bitset for fast lookups.
 */
const HTML_BITSET = /* #__PURE__ */ new Uint32Array([
    5632, // Bits for 09,0A,0C
    4227923966, // 32..63 -> 21-2D (minus space), 2E,2F,3A-3F
    4160749569, // 64..95 -> 40, 5B-5F
    939524097, // 96..127-> 60, 7B-7D
]);
const XML_BITSET = /* #__PURE__ */ new Uint32Array([0, XML_BITSET_VALUE, 0, 0]);
/**
 * Encodes all characters in the input using HTML entities. This includes
 * characters that are valid ASCII characters in HTML documents, such as `#`.
 *
 * To get a more compact output, consider using the `encodeNonAsciiHTML`
 * function, which will only encode characters that are not valid in HTML
 * documents, as well as non-ASCII characters.
 *
 * If a character has no equivalent entity, a numeric hexadecimal reference
 * (eg. `&#xfc;`) will be used.
 */
function encode_encodeHTML(input) {
    return encodeHTMLTrieRe(HTML_BITSET, input);
}
/**
 * Encodes all non-ASCII characters, as well as characters not valid in HTML
 * documents using HTML entities. This function will not encode characters that
 * are valid in HTML documents, such as `#`.
 *
 * If a character has no equivalent entity, a numeric hexadecimal reference
 * (eg. `&#xfc;`) will be used.
 */
function encode_encodeNonAsciiHTML(input) {
    return encodeHTMLTrieRe(XML_BITSET, input);
}
function encodeHTMLTrieRe(bitset, input) {
    let out;
    let last = 0; // Start of the next untouched slice.
    const { length } = input;
    for (let index = 0; index < length; index++) {
        const char = input.charCodeAt(index);
        // Skip ASCII characters that don't need encoding
        if (char < 0x80 && !((bitset[char >>> 5] >>> char) & 1)) {
            continue;
        }
        if (out === undefined)
            out = input.substring(0, index);
        else if (last !== index)
            out += input.substring(last, index);
        let node = htmlTrie.get(char);
        if (typeof node === "object") {
            if (index + 1 < length) {
                const nextChar = input.charCodeAt(index + 1);
                const value = typeof node.next === "number"
                    ? node.next === nextChar
                        ? node.nextValue
                        : undefined
                    : node.next.get(nextChar);
                if (value !== undefined) {
                    out += value;
                    index++;
                    last = index + 1;
                    continue;
                }
            }
            node = node.value;
        }
        if (node === undefined) {
            const cp = getCodePoint(input, index);
            out += `&#x${cp.toString(16)};`;
            if (cp !== char)
                index++;
            last = index + 1;
        }
        else {
            out += node;
            last = index + 1;
        }
    }
    if (out === undefined)
        return input;
    if (last < length)
        out += input.substr(last);
    return out;
}
//# sourceMappingURL=encode.js.map
;// CONCATENATED MODULE: ./node_modules/entities/dist/esm/index.js



/** The level of entities to support. */
var EntityLevel;
(function (EntityLevel) {
    /** Support only XML entities. */
    EntityLevel[EntityLevel["XML"] = 0] = "XML";
    /** Support HTML entities, which are a superset of XML entities. */
    EntityLevel[EntityLevel["HTML"] = 1] = "HTML";
})(EntityLevel || (EntityLevel = {}));
var EncodingMode;
(function (EncodingMode) {
    /**
     * The output is UTF-8 encoded. Only characters that need escaping within
     * XML will be escaped.
     */
    EncodingMode[EncodingMode["UTF8"] = 0] = "UTF8";
    /**
     * The output consists only of ASCII characters. Characters that need
     * escaping within HTML, and characters that aren't ASCII characters will
     * be escaped.
     */
    EncodingMode[EncodingMode["ASCII"] = 1] = "ASCII";
    /**
     * Encode all characters that have an equivalent entity, as well as all
     * characters that are not ASCII characters.
     */
    EncodingMode[EncodingMode["Extensive"] = 2] = "Extensive";
    /**
     * Encode all characters that have to be escaped in HTML attributes,
     * following {@link https://html.spec.whatwg.org/multipage/parsing.html#escapingString}.
     */
    EncodingMode[EncodingMode["Attribute"] = 3] = "Attribute";
    /**
     * Encode all characters that have to be escaped in HTML text,
     * following {@link https://html.spec.whatwg.org/multipage/parsing.html#escapingString}.
     */
    EncodingMode[EncodingMode["Text"] = 4] = "Text";
})(EncodingMode || (EncodingMode = {}));
/**
 * Decodes a string with entities.
 *
 * @param input String to decode.
 * @param options Decoding options.
 */
function decode(input, options = EntityLevel.XML) {
    const level = typeof options === "number" ? options : options.level;
    if (level === EntityLevel.HTML) {
        const mode = typeof options === "object" ? options.mode : undefined;
        return decodeHTML(input, mode);
    }
    return decodeXML(input);
}
/**
 * Decodes a string with entities. Does not allow missing trailing semicolons for entities.
 *
 * @param input String to decode.
 * @param options Decoding options.
 * @deprecated Use `decode` with the `mode` set to `Strict`.
 */
function decodeStrict(input, options = EntityLevel.XML) {
    var _a;
    const normalizedOptions = typeof options === "number" ? { level: options } : options;
    (_a = normalizedOptions.mode) !== null && _a !== void 0 ? _a : (normalizedOptions.mode = DecodingMode.Strict);
    return decode(input, normalizedOptions);
}
/**
 * Encodes a string with entities.
 *
 * @param input String to encode.
 * @param options Encoding options.
 */
function encode(input, options = EntityLevel.XML) {
    const { mode = EncodingMode.Extensive, level = EntityLevel.XML } = typeof options === "number" ? { level: options } : options;
    switch (mode) {
        case EncodingMode.UTF8: {
            return escapeUTF8(input);
        }
        case EncodingMode.Attribute: {
            return escapeAttribute(input);
        }
        case EncodingMode.Text: {
            return escapeText(input);
        }
        case EncodingMode.ASCII: {
            return level === EntityLevel.HTML
                ? encodeNonAsciiHTML(input)
                : encodeXML(input);
        }
        // biome-ignore lint/complexity/noUselessSwitchCase: we get an error for the switch not being exhaustive
        case EncodingMode.Extensive: // eslint-disable-line unicorn/no-useless-switch-case
        default: {
            return level === EntityLevel.HTML
                ? encodeHTML(input)
                : encodeXML(input);
        }
    }
}



//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./src/engine/scanner/render.ts
/**
 * Markdown as a reader sees it, line by line: what the scanner also scans in documentation, so that a value written
 * with escapes a renderer removes is found as it renders. Line-based on purpose: each rendered line maps to its raw
 * line (line numbers stay 1:1), and each rendered character to the raw column it came from.
 *
 * Per line: backslash escapes of ASCII punctuation (`ghp\_…`, `\.ts\.net`) resolved, HTML character references (named,
 * decimal, hex; decoded by the `entities` package) resolved, code-span backticks dropped, inline HTML tags and one-line
 * comments dropped (`ghp_<!-- -->R7k…`), `*` / `~` emphasis inside a word dropped, and a table row (`| name | value |`)
 * read as name/value pairs of adjacent cells (`name=value`). Only lines that hold one of these forms are rendered.
 */

/** Characters that may start a form that renders differently; each hit is confirmed by mayRender. */
const TRIGGER = /[\\&|`<*~]/g;
const WORD = /[A-Za-z0-9_+/-]/;
const ALNUM_AT = /[A-Za-z0-9]/;
const ENTITY_AT = /&(?:#[0-9]|#[xX][0-9A-Fa-f]|[A-Za-z][A-Za-z0-9]{1,31};?)/y;
const TAG_AT = /<(?:!--|\/?[A-Za-z])/y;
/**
 * Does the trigger character at `i` start a form that renders differently: a backslash escape of punctuation, a
 * character reference, a table pipe, a backtick joining two word characters (`ghp_`R7k…``; a code span set off by
 * spaces or punctuation is read raw, where a backtick is a quote), an inline tag or comment, or `*`/`~` inside a word?
 * Other lines are not rendered (the cheap trigger).
 */
function mayRender(text, i) {
    const c = text[i];
    if (c === '|')
        return true;
    if (c === '\\')
        return PUNCT.test(text[i + 1] ?? '');
    if (c === '&') {
        ENTITY_AT.lastIndex = i;
        return ENTITY_AT.test(text);
    }
    if (c === '<') {
        TAG_AT.lastIndex = i;
        return TAG_AT.test(text);
    }
    let j = i;
    while (text[j] === c && j - i < 3)
        j++;
    const before = text[i - 1] ?? '';
    const after = text[j] ?? '';
    return c === '`' ? WORD.test(before) && WORD.test(after) : ALNUM_AT.test(before) && ALNUM_AT.test(after);
}
const ENTITY = /&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)/y;
const TAG = /<(?:!--.*?-->|\/?[A-Za-z][A-Za-z0-9-]{0,40}(?:\s[^<>]{0,500})?\/?>)/y;
const PUNCT = /[!-/:-@[-`{-~]/;
const ALNUM = /[A-Za-z0-9]/;
const DELIMITER_CELL = /^\s*:?-+:?\s*$/;
/** Inline rendering of raw[from, to): escapes, references, backticks, tags, intraword emphasis. */
const SPECIAL = /[\\&`<*~]/g;
function renderInline(raw, from, to, out) {
    for (let i = from; i < to;) {
        // Copy the run up to the next character that may render differently in one piece.
        SPECIAL.lastIndex = i;
        const next = SPECIAL.exec(raw)?.index ?? to;
        if (next > i) {
            const end = Math.min(next, to);
            out.text += raw.slice(i, end);
            for (let k = i; k < end; k++)
                out.cols.push(k);
            i = end;
            continue;
        }
        const c = raw[i];
        if (c === '\\' && i + 1 < to && PUNCT.test(raw[i + 1])) {
            out.text += raw[i + 1];
            out.cols.push(i + 1);
            i += 2;
            continue;
        }
        if (c === '&') {
            ENTITY.lastIndex = i;
            const m = ENTITY.exec(raw);
            if (m && i + m[0].length <= to) {
                const d = decode_decodeHTML(m[0]);
                if (d !== m[0]) {
                    for (const ch of d.replace(/[\r\n\0]/g, ' ')) {
                        out.text += ch;
                        for (let k = 0; k < ch.length; k++)
                            out.cols.push(i);
                    }
                    i += m[0].length;
                    continue;
                }
            }
        }
        if (c === '`') {
            i++;
            continue;
        }
        if (c === '<') {
            TAG.lastIndex = i;
            const m = TAG.exec(raw);
            if (m && i + m[0].length <= to) {
                i += m[0].length;
                continue;
            }
        }
        if ((c === '*' || c === '~') && ALNUM.test(raw[i - 1] ?? '')) {
            let j = i;
            while (j < to && j - i < 3 && (raw[j] === '*' || raw[j] === '~'))
                j++;
            if (ALNUM.test(raw[j] ?? '')) {
                i = j;
                continue;
            }
        }
        out.text += c;
        out.cols.push(i);
        i++;
    }
}
function append(out, text, cols) {
    out.text += text;
    for (const c of cols)
        out.cols.push(c);
}
/** Unescaped `|` positions (a `\|` inside a cell is a literal pipe). */
function pipes(raw) {
    const at = [];
    for (let i = raw.indexOf('|'); i >= 0; i = raw.indexOf('|', i + 1)) {
        let bs = 0;
        while (raw[i - 1 - bs] === '\\')
            bs++;
        if (bs % 2 === 0)
            at.push(i);
    }
    return at;
}
function trimmed(r) {
    const start = r.text.length - r.text.trimStart().length;
    const end = r.text.trimEnd().length;
    return { text: r.text.slice(start, end), cols: r.cols.slice(start, end) };
}
/** One raw line as it renders, or undefined when it renders as written. */
function renderLine(raw) {
    const out = { text: '', cols: [] };
    const bars = pipes(raw);
    if (bars.length === 0)
        renderInline(raw, 0, raw.length, out);
    else {
        const bounds = [-1, ...bars, raw.length];
        let cells = [];
        for (let k = 0; k + 1 < bounds.length; k++) {
            const cell = { text: '', cols: [] };
            renderInline(raw, bounds[k] + 1, bounds[k + 1], cell);
            cells.push(trimmed(cell));
        }
        if (cells.length > 1 && cells[0].text === '')
            cells = cells.slice(1);
        if (cells.length > 1 && cells[cells.length - 1].text === '')
            cells = cells.slice(0, -1);
        if (cells.every((c) => DELIMITER_CELL.test(c.text)))
            return { text: '', cols: [] };
        // Adjacent cells as `name=value` pairs, two spaces apart: `| NAME | value | note |` reads `NAME=value  value=note`.
        for (let k = 0; k < cells.length; k++) {
            const cell = cells[k];
            const at = cell.cols[0] ?? 0;
            if (k > 0)
                append(out, '=', [at]);
            append(out, cell.text, cell.cols);
            if (k > 0 && k + 1 < cells.length) {
                append(out, '  ', [at, at]);
                append(out, cell.text, cell.cols);
            }
        }
    }
    return out.text === raw ? undefined : out;
}
/**
 * The rendered lines of a Markdown text that differ from the raw ones, by 0-based line index. Lines without a trigger are
 * not looked at.
 */
function renderedLines(text) {
    const out = new Map();
    TRIGGER.lastIndex = 0;
    let lineStart = 0;
    let line = 0;
    for (let m = TRIGGER.exec(text); m !== null; m = TRIGGER.exec(text)) {
        if (!mayRender(text, m.index))
            continue;
        // advance to the line holding the trigger
        for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < m.index; nl = text.indexOf('\n', lineStart)) {
            lineStart = nl + 1;
            line++;
        }
        const end = text.indexOf('\n', m.index);
        const lineEnd = end === -1 ? text.length : end;
        const raw = text.slice(lineStart, lineEnd).replace(/\r$/, '');
        const r = renderLine(raw);
        if (r)
            out.set(line, r);
        TRIGGER.lastIndex = lineEnd; // one rendering per line
    }
    return out;
}

;// CONCATENATED MODULE: ./src/engine/scanner/entropy.ts
/** Shannon entropy in bits per character. */
function shannon(s) {
    if (s.length === 0)
        return 0;
    const counts = new Map();
    for (const ch of s)
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let h = 0;
    for (const n of counts.values()) {
        const p = n / s.length;
        h -= p * Math.log2(p);
    }
    return h;
}
/** Number of distinct characters. */
function distinct(s) {
    // ASCII in a 128-bit mask (hot path: called for every candidate value); anything else through a Set.
    const mask = [0, 0, 0, 0];
    let n = 0;
    let other;
    for (const ch of s) {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c < 128) {
            const bit = 1 << (c & 31);
            if ((mask[c >> 5] & bit) === 0) {
                mask[c >> 5] |= bit;
                n++;
            }
        }
        else
            (other ??= new Set()).add(ch);
    }
    return n + (other?.size ?? 0);
}
/** Character classes present: lower, upper, digit, other. */
function classes(s) {
    const lower = /[a-z]/.test(s);
    const upper = /[A-Z]/.test(s);
    const digit = /[0-9]/.test(s);
    return { lower, upper, digit, count: Number(lower) + Number(upper) + Number(digit) };
}
/** True for a value that looks random enough to be a credential, not a word or an identifier. */
function looksRandom(s, minLength = 16) {
    if (s.length < minLength)
        return false;
    const c = classes(s);
    if (c.count < 2)
        return false;
    return shannon(s) >= Math.min(3.0, Math.log2(s.length) - 1.2);
}
/**
 * Made of readable words (`PdfEncryptionKeySize.Key128Bit`, `BlindKeySignatures`,
 * `desktop-rhf_SponsoredProductsRemote…`): camel-case / separated words, mostly 3+ letters long.
 * Random strings split into many one- and two-letter pieces.
 */
function readable(s) {
    const words = s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
    const letters = words.filter((w) => !/^\d/.test(w));
    if (letters.length === 0)
        return false;
    const short = letters.filter((w) => w.length <= 2).length;
    const long = letters.filter((w) => w.length >= 3).length;
    return short / letters.length <= 0.25 && long >= Math.ceil(letters.length / 2);
}
/** The 100 most frequent letter pairs of English text (Norvig, "English Letter Frequency Counts: Mayzner Revisited"). */
const COMMON_PAIRS = new Set(('th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ' +
    'ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie ' +
    'wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh').split(' '));
/**
 * Reads like English words run together (`accesstokenfromtheserver`): at least 40% of its letter pairs are among the 100
 * most common in English. Random letters score about 15% (100 of the 676 pairs); measured on 20 to 32 letters, fewer
 * than 1.5% of random strings pass and fewer than 2% of run-together English words fail.
 */
function englishLike(s) {
    const t = s.toLowerCase();
    let common = 0;
    for (let i = 1; i < t.length; i++)
        if (COMMON_PAIRS.has(t.slice(i - 1, i + 1)))
            common++;
    return t.length > 1 && common / (t.length - 1) >= 0.4;
}

;// CONCATENATED MODULE: ./src/engine/scanner/util.ts
/** Helpers shared by detectors: placeholder recognition, boundaries, simple regex runners. */

const PLACEHOLDER_WORDS = /(?:example|sample|dummy|placeholder|redacted|changeme|change_me|replace|your[-_ ]?(?:key|token|secret|pass|api|user|own)|insert|notreal|not[-_]a[-_]real|put[-_]your|\.\.\.|…)/i;
/**
 * A value that is a template, a reference or an obvious placeholder, never a real secret:
 * `sk-...`, `sk-xxxx`, `<redacted>`, `${{ secrets.X }}`, `$OPENAI_API_KEY`, `${VAR}`, `***`,
 * `REDACTED`, `changeme`, `example`, all-same-char values, EXAMPLE-marked documentation values.
 */
function isPlaceholder(value) {
    const v = value.trim();
    if (v.length === 0)
        return true;
    if (/^[$%]|^\{\{|\$\{|\$\(|\{\{|<[^>]*>?|^\{[^}]*\}$/.test(v))
        return true;
    if (/x{4,}|X{4,}|\*{3,}|#{4,}|•{2,}|0{8,}/.test(v))
        return true;
    if (PLACEHOLDER_WORDS.test(v))
        return true;
    if (distinct(v) <= 2)
        return true;
    if (hasSequence(v, 8))
        return true;
    return false;
}
/** Same check, for a structured token: only the part after its fixed prefix counts. */
function isPlaceholderBody(body) {
    if (/x{4,}|X{4,}|\*{3,}|#{4,}|(.)\1{5,}|EXAMPLE|example|\.\.\./.test(body))
        return true;
    if (distinct(body) <= 3)
        return true;
    if (hasSequence(body, 10))
        return true;
    return false;
}
/** `abcdefgh` or `12345678`: an ascending run of n characters. */
function hasSequence(s, n) {
    let run = 1;
    for (let i = 1; i < s.length; i++) {
        if (s.charCodeAt(i) === s.charCodeAt(i - 1) + 1) {
            run++;
            if (run >= n)
                return true;
        }
        else
            run = 1;
    }
    return false;
}
/** leftEdge's second branch: a token right after an escape. It can only match where the text holds `\` or `%`. */
const ESCAPE_BRANCH = String.raw `|(?<=\\[nrtbfv]|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|%[0-9A-Fa-f]{2})`;
/**
 * The one left-boundary rule of token patterns. A token may not continue a word: the character before it may not be one
 * of `blocked` (a regex class body; default letters, digits, `_` and `-`, so `sk-` inside `task-list` or `AKIA` inside
 * base64 is no token). But an escape or an encoded character right before it is a separator, not part of a word, although
 * it ends in a letter or digit: `\n`, `\t` (JSON, logs), `\u0022`, `\x22`, `%22` (URL encoding).
 * Long distinctive prefixes (`ghp_`, `sk-proj-`, `xoxb-`) pass `'A-Za-z0-9'` so that `_ghp_…` and `pre-sk-proj-…` count.
 */
function leftEdge(blocked = 'A-Za-z0-9_-') {
    return String.raw `(?:(?<![${blocked}])${ESCAPE_BRANCH})`;
}
const plainOf = new WeakMap();
/**
 * The regex to run on `text`: a text without `\` or `%` holds no escape, so leftEdge's escape branch cannot match there
 * and the regex runs without it (same matches; V8 runs the lookbehind alternation at every position, which made the
 * hot detectors markedly slower). Returns `re` itself when the text may hold an escape.
 */
function edgeFor(re, text) {
    if (text.includes('\\') || text.includes('%'))
        return re;
    let plain = plainOf.get(re);
    if (!plain) {
        plain = new RegExp(re.source.split(ESCAPE_BRANCH).join(''), re.flags);
        plainOf.set(re, plain);
    }
    return plain;
}
/** A token pattern (a regex literal without its left boundary) behind leftEdge(blocked): linear, as the pattern is. */
function atTokenStart(re, blocked) {
    return new RegExp(leftEdge(blocked) + re.source, re.flags);
}
/**
 * `start` is where a backwards walk over word characters stopped. When the walk ran into an escape (`\n`, `\u0022`,
 * `%2F`), the escape's letters are not part of the word: returns the index just after the escape.
 */
function afterEscape(text, start) {
    const prev = text[start - 1];
    if (prev === '\\')
        return start + (/^(?:[nrtbfv]|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})/.exec(text.slice(start, start + 5))?.[0].length ?? 0);
    if (prev === '%')
        return start + (/^[0-9A-Fa-f]{2}/.test(text.slice(start, start + 2)) ? 2 : 0);
    return start;
}
/**
 * Runs a global regex over a window and maps each match to a Match. `group` is the capture
 * holding the secret value (0 = whole match). `accept` filters out placeholders etc.
 * Regexes passed here must be linear: they start with a lookbehind on the token alphabet and
 * use bounded quantifiers only.
 */
function findAll(window, re, accept = () => true, group = 0) {
    const out = [];
    re.lastIndex = 0;
    for (let m = re.exec(window); m !== null; m = re.exec(window)) {
        if (m[0].length === 0) {
            re.lastIndex++;
            continue;
        }
        const value = m[group];
        if (value === undefined)
            continue;
        if (!accept(value, m))
            continue;
        const index = m.index + m[0].indexOf(value);
        out.push({ index, value });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/engine/scanner/token.ts
/** Factory for detectors of credentials with a recognisable prefix (most of them). */

const defaultPrefix = (v) => {
    const m = /^[A-Za-z0-9]{1,12}[_.~-]/.exec(v);
    return m ? m[0].length : 0;
};
function tokenDetector(spec) {
    const patterns = Array.isArray(spec.pattern) ? spec.pattern : [spec.pattern];
    const prefix = spec.prefix ?? defaultPrefix;
    const { pattern: _p, group: _g, prefix: _x, accept: _a, placeholder: _h, ...rest } = spec;
    void _p;
    void _g;
    void _x;
    void _a;
    void _h;
    const placeholder = spec.placeholder ?? isPlaceholderBody;
    return {
        ...rest,
        find(window, _opts) {
            const out = [];
            for (const re of patterns) {
                out.push(...findAll(window, re, (value) => {
                    const body = value.slice(prefix(value));
                    if (placeholder(body))
                        return false;
                    return spec.accept ? spec.accept(value, body) : true;
                }, spec.group ?? 0));
            }
            return out;
        },
    };
}

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/age.ts


const age = tokenDetector({
    id: 'secret/age',
    title: 'age secret key',
    summary: 'age encryption secret keys (AGE-SECRET-KEY-1…).',
    docs: 'Matches `AGE-SECRET-KEY-1` followed by 58 bech32 characters. The format is unambiguous, so no placeholder heuristics apply.',
    keywords: ['age-secret-key-1'],
    pattern: atTokenStart(/AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g),
    placeholder: () => false,
    examples: {
        tp: ['AGE_KEY="AGE-SECRET-KEY-1NZPY7YN5GYYUHZG4K97Y6PLQCCQY998S64CAUA9PN97PW8LLSQHNFV24UL"'],
        fp: ['AGE-SECRET-KEY-1...', 'the AGE-SECRET-KEY-1 prefix'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/anthropic.ts



const anthropic = tokenDetector({
    id: 'secret/anthropic',
    title: 'Anthropic API key',
    summary: 'Anthropic API and admin keys (sk-ant-api03-…, sk-ant-admin01-…).',
    docs: 'Matches `sk-ant-apiNN-` and `sk-ant-adminNN-` keys: a body of 80–120 URL-safe characters ending in `AA`, ' +
        'the shape Anthropic issues. Truncated examples (`sk-ant-api03-...`) and bodies that do not end in `AA` stay quiet.',
    keywords: ['sk-ant-'],
    pattern: atTokenStart(/sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120}AA(?![A-Za-z0-9_-])/g, 'A-Za-z0-9'),
    prefix: (v) => v.indexOf('-', 7) + 1,
    // the shape (length, trailing AA) is specific enough: only x-runs and near-constant bodies are placeholders
    placeholder: (b) => /x{4,}|X{4,}/.test(b) || distinct(b) <= 3,
    examples: {
        tp: [
            'ANTHROPIC_API_KEY=sk-ant-api03-Qm4Zr8Tx2Wv6Ny1Lp5Ks9Jh3Gd7Fb0Ca4Xe8Uo2Ri6Yt1Pn5Mk9Lj3Hg7Df0Sb4Az8Qw2Ex6Rc1Vt5By9Nu3Mi7Ko0Pl4Jh8Gf2Ds6Aa1Qz-5Wx_9AA',
            '"key": "sk-ant-admin01-Ht6Yq1Wm8Zr3Xv5Ln7Kp2Js9Gf4Dc0Bb6Na1Mz8Qx3Wr5Et7Yu2Io9Pa4Sd6Fg1Hj8Kl3Zx5Cv7Bn0Mq2Wl4Ek6Rt9Yi1Up3Oa5Sf8Dg0Hk2Jm4AA"',
            'KEY=pre-sk-ant-api03-Qm4Zr8Tx2Wv6Ny1Lp5Ks9Jh3Gd7Fb0Ca4Xe8Uo2Ri6Yt1Pn5Mk9Lj3Hg7Df0Sb4Az8Qw2Ex6Rc1Vt5By9Nu3Mi7Ko0Pl4Jh8Gf2Ds6Aa1Qz-5Wx_9AA',
        ],
        fp: ['sk-ant-api03-...', 'sk-ant-api03-abc123xyz-456de-klMnopqrstuvwx-3456yza789bcde-1234fghijklmnopAA', 'ANTHROPIC_API_KEY=<your-key>', 'sk-ant-api02-notarealkey'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/atlassian.ts


const atlassian = tokenDetector({
    id: 'secret/atlassian',
    title: 'Atlassian API token',
    summary: 'Atlassian (Jira, Confluence) API tokens (ATATT3…).',
    docs: 'Matches `ATATT3` followed by 186 URL-safe characters. Shorter Atlassian tokens assigned to `*_TOKEN` keys are covered by `secret/key-name`.',
    keywords: ['atatt3'],
    pattern: atTokenStart(/ATATT3[A-Za-z0-9_=-]{186}/g),
    prefix: () => 6,
    examples: { tp: ['JIRA_TOKEN=ATATT3' + 'xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSuteRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE=C63992E6'], fp: ['ATATT3xxxxxxxx'] },
});

;// CONCATENATED MODULE: ./src/engine/scanner/keys.ts
/**
 * Key/value assignments (`key = value`, `key: value`, `"key": "value"`, `export KEY=…`, `("key", "value")`,
 * `env["KEY"] = "value"`, and the same inside escaped or URL-encoded JSON) and CLI flags (`--password=value`,
 * `--api-key value`), and the classification of key names, shared by the key-name and high-entropy detectors.
 */

/**
 * A quote around a key or a value: plain, backslash-escaped (JSON inside a JSON string: `\"`, `\\\"`) or URL-encoded
 * (`%22`, `%27`). A regex source, no capture group.
 */
const QUOTE = String.raw `(?:\\{0,7}["'\`]|%2[27])`;
/** An assignment separator: `:=`, `=>`, `?=`, `=`, `:`, or URL-encoded `%3A` / `%3D`. A regex source, no capture group. */
const SEPARATOR = String.raw `(?::=|=>|\?=|=|:|%3[AaDd])`;
/** The characters of a quoted value (up to the closing quote, found lazily) and of a bare value. */
const QUOTED_VALUE = String.raw `[^"'\`\n]{0,1024}?`;
const BARE_VALUE = String.raw `[^\s"'\`,;)\]}>]{1,1024}`;
// key (optionally quoted, optionally subscripted: `["key"]`), separator, value (quoted or bare). Bounded, unambiguous:
// linear per start. The key may follow an escape (`\nKEY=`) but not a backslash itself (the `n` of `\n` starts no key).
const KV = new RegExp(`${leftEdge('A-Za-z0-9_.\\\\-')}(${QUOTE}?)([A-Za-z_][A-Za-z0-9_.-]{0,80})\\1(?:(?<=["'\`])\\])?\\s{0,5}(${SEPARATOR}|,)[ \\t]{0,5}` +
    `(?:(${QUOTE})(${QUOTED_VALUE})\\4|(${BARE_VALUE}))`, 'g');
// `--password=value`, `--api-key value`, `--token "value"` (a value never starts with `-`: that is the next flag).
const FLAG = new RegExp(`${leftEdge()}--([A-Za-z][A-Za-z0-9_.-]{0,80})(?:=|[ \\t]{1,5})(?:(${QUOTE})(${QUOTED_VALUE})\\2|(?!-)(${BARE_VALUE}))`, 'g');
/**
 * The key-name and high-entropy detectors both read the assignments of the same line: the last line's result is kept,
 * so the assignment regex runs once per line, not once per detector. Callers must not modify the returned array.
 */
let lastWindow;
let lastAssignments = [];
function assignments(window) {
    if (window === lastWindow)
        return lastAssignments;
    lastAssignments = parseAssignments(window);
    lastWindow = window;
    return lastAssignments;
}
/** The end of a value: a literal `\n` (an embedded `KEY=value` line ends there), and in URL-encoded text `&`, `,`, `}`. */
function valueEnd(value, encoded) {
    const v = value.split(/\\[nrt]/)[0] ?? '';
    return encoded ? (v.split(/%(?:2[267Cc]|7[Dd]|5[Dd])/)[0] ?? '') : v;
}
function parseAssignments(window) {
    const out = [];
    const kv = edgeFor(KV, window);
    kv.lastIndex = 0;
    for (let m = kv.exec(window); m !== null; m = kv.exec(window)) {
        const keyQuote = m[1] ?? '';
        const key = m[2] ?? '';
        const sep = m[3] ?? '';
        const quoted = m[5] !== undefined;
        const value = (quoted ? m[5] : m[6]) ?? '';
        // `("key", "value")` counts only with both sides quoted.
        if (sep === ',' && (!keyQuote || !quoted)) {
            kv.lastIndex = m.index + 1 + keyQuote.length;
            continue;
        }
        const index = m.index + m[0].length - value.length - (quoted ? (m[4] ?? '').length : 0);
        out.push({ key, index, value: valueEnd(value, sep.startsWith('%') || keyQuote.startsWith('%')), quoted });
        // rescan from the value: `"config.ini": "TOKEN=abc…"` holds an assignment inside a value
        kv.lastIndex = index;
    }
    return out;
}
/** CLI flags with a value (`--password=…`, `--api-key …`): only the key-name detector reads them (a flag says what its value is). */
function flagAssignments(window) {
    const out = [];
    if (!window.includes('--'))
        return out;
    FLAG.lastIndex = 0;
    for (let m = FLAG.exec(window); m !== null; m = FLAG.exec(window)) {
        const quoted = m[3] !== undefined;
        const value = (quoted ? m[3] : m[4]) ?? '';
        const index = m.index + m[0].length - value.length - (quoted ? (m[2] ?? '').length : 0);
        out.push({ key: m[1] ?? '', index, value: valueEnd(value, false), quoted });
    }
    return out;
}
/** `clientSecret` → ['client', 'secret']; `AUTH_CLIENTSECRET` → ['auth', 'clientsecret']; digits at word ends dropped. */
function keyWords(key) {
    let words = KEY_WORDS.get(key);
    if (words === undefined) {
        if (KEY_WORDS.size > 4096)
            KEY_WORDS.clear();
        words = splitKey(key);
        KEY_WORDS.set(key, words);
    }
    return words;
}
/** Key names repeat across lines and files: memoised, bounded. */
const KEY_WORDS = new Map();
function splitKey(key) {
    return key
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .map((w) => w.replace(/\d+$/, ''))
        .filter(Boolean);
}
const SECRET_LAST = new Set([
    'token', 'secret', 'password', 'passwd', 'pwd', 'passphrase', 'pass', 'apikey', 'credentials', 'credential', 'creds',
    'auth', 'authorization', 'clientsecret', 'secretkey', 'accesskey', 'privatekey', 'accesstoken', 'authtoken',
    'refreshtoken', 'bearertoken', 'sessiontoken', 'apitoken', 'apisecret', 'secretaccesskey', 'srt',
]);
const KEY_QUALIFIERS = new Set([
    'api', 'access', 'secret', 'private', 'client', 'auth', 'master', 'signing', 'encryption', 'account', 'service',
    'license', 'admin', 'root', 'ssh', 'deploy', 'consumer', 'webhook', 'subscription', 'app', 'openai', 'anthropic',
]);
/** Words that make a name non-secret wherever they appear (public keys, CSRF tokens are published by design). */
const NOT_SECRET = new Set(['public', 'pub', 'publishable', 'csrf', 'xsrf', 'authenticity', 'recaptcha', 'site']);
/** Does this key name say it holds a secret? `max_tokens`, `token_count`, `credential_source_class` do not. */
function isSecretKey(key) {
    const words = keyWords(key);
    const last = words[words.length - 1];
    if (last === undefined || words.some((w) => NOT_SECRET.has(w)))
        return false;
    if (SECRET_LAST.has(last))
        return true;
    if (last === 'key') {
        const prev = words[words.length - 2];
        return prev !== undefined && KEY_QUALIFIERS.has(prev);
    }
    return false;
}
/** Names whose long values are by design not secrets: hashes, ids, versions, signatures, locations. */
const NOT_SECRET_VALUE = new Set([
    ...NOT_SECRET, 'id', 'ids', 'uuid', 'guid', 'hash', 'sha', 'md5', 'checksum', 'chksum', 'digest', 'integrity',
    'signature', 'sig', 'version', 'rev', 'srcrev', 'revision', 'commit', 'etag', 'url', 'uri', 'path', 'file', 'dir',
    'name', 'class', 'value', 'content', 'href', 'src', 'nonce', 'salt', 'fingerprint', 'thumbprint', 'etag', 'link',
    'module', 'package', 'image', 'ref', 'branch', 'sri', 'cursor', 'example',
]);
function isNonSecretName(key) {
    return keyWords(key).some((w) => NOT_SECRET_VALUE.has(w));
}

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/aws.ts



// A short prefix: a letter or digit before it means base64 or a longer word, not a key id.
const KEY_ID = atTokenStart(/(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g, 'A-Za-z0-9');
/**
 * `aws_secret_access_key = …`, and `SecretAccessKey` as the AWS CLI/STS JSON names it, with the quotes and separators of
 * keys.ts (escaped JSON `\"SecretAccessKey\":\"…\"`, URL-encoded `%22…%22%3A%22…`).
 */
const SECRET = new RegExp(`${leftEdge('A-Za-z0-9')}(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)${QUOTE}?\\s{0,5}${SEPARATOR}\\s{0,5}${QUOTE}?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])`, 'gi');
const aws = {
    id: 'secret/aws',
    title: 'AWS credential',
    summary: 'AWS access key ids (AKIA…, ASIA…) and secret access keys assigned to aws_secret_access_key or SecretAccessKey.',
    docs: 'Matches 20-character access key ids with the AWS prefixes (`AKIA`, `ASIA`, `ABIA`, `ACCA`, `A3T…`) in base32, also right after an escape ' +
        '(`\\n`, `\\u0022`, `%22`) but not inside a longer word or base64 run, and 40-character secret access keys in an ' +
        '`aws_secret_access_key = …` assignment or a `SecretAccessKey` field (AWS CLI and STS JSON, also escaped or URL-encoded). ' +
        'AWS documentation keys such as `AKIAIOSFODNN7EXAMPLE` and `AKIAXXXXXXXXXXXXXXXX` stay quiet.',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t', 'aws', 'secretaccesskey', 'secret_access_key'],
    find(window) {
        return [
            ...findAll(window, KEY_ID, (v) => !isPlaceholderBody(v.slice(4))),
            ...findAll(window, SECRET, (v) => !isPlaceholder(v) && looksRandom(v, 40), 1),
        ];
    },
    examples: {
        tp: [
            'aws_access_key_id = AKIA4KZQ7RX3M2NVW6PB',
            'export AWS_SECRET_ACCESS_KEY=Wq7Zr2Xt9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Qu7Z',
            'creds: ASIAQ3MZ7TR2XW4NPK6L',
            '{"out":"{\\"Credentials\\":{\\"SecretAccessKey\\":\\"Tn4Kp8Wz2Rq6Lx9Vm3Bc7Hy1Jd5Fs0Ga8Eu2Qo4X\\"}}"}',
            '"\\u0022AKIA4KZQ7RX3M2NVW6PB\\u0022"',
        ],
        fp: ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'key = AKIAXXXXXXXXXXXXXXXX', 'dump xAKIA4KZQ7RX3M2NVW6PB end', 'TODAYINASIAASACKOFRICEFELLOVER', 'AWS_SECRET_ACCESS_KEY=${{ secrets.AWS_SECRET_ACCESS_KEY }}'],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/azure.ts


const azure = tokenDetector({
    id: 'secret/azure',
    title: 'Azure AD client secret',
    summary: 'Azure AD / Entra ID application client secrets (xxx8Q~…).',
    docs: 'Matches Entra ID client secrets: three characters, a digit, `Q~`, then 31–34 characters, delimited by quotes, spaces, `=`, `:` or brackets. Runs of tildes, CSS selectors and `Q~xxxx` placeholders stay quiet.',
    keywords: ['q~'],
    // the token may follow only a quote, white space, a backslash, one of `>=:(,` or an escape
    pattern: atTokenStart(/[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![^\\'"`\s<),])/g, '^\\\\\'"`\\s>=:(,'),
    prefix: () => 6,
    examples: {
        tp: ['client_secret=bP88Q~8JmR8y4EMfAdggcG9qpVTzqA05MFsHl7U', 'AZURE_CLIENT_SECRET="Xy27Q~Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Qu7Wz1"'],
        fp: ['client_secret=bP88Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~', '.ui.visible.right.sidebar~.ui.visible.left.sidebar~.pusher{transform:none}'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/url-credentials.ts



const URL_CREDS = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^\s:/@'"`<>]{0,128}):([^\s/'"`<>]{1,256}|[^\s/@'"`<>]{1,128}(?:\/[^\s/@'"`<>]{1,128}){1,4})@[A-Za-z0-9[_-]/g;
// The same URL percent-encoded in a query parameter: `?next=https%3A%2F%2Fdeploy%3As3cr3t%40git.corp.io`.
const URL_CREDS_ENCODED = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}%3[Aa]%2[Ff]%2[Ff]((?:[^\s%:/@&?#'"`<>]|%(?!3[Aa]|40)[0-9A-Fa-f]{2}){0,128})%3[Aa]((?:[^\s%/@&?#'"`<>]|%(?!40|2[Ff])[0-9A-Fa-f]{2}){1,256})%40[A-Za-z0-9_-]/g;
const WORDS = new Set(['pass', 'passwd', 'pwd', 'secret', 'token', 'user', 'username', 'test', 'admin', 'root', 'guest', 'demo', 'none']);
/** A password that is a real value: not a placeholder, not the user name repeated, not a word like `password`. */
function realPassword(user, pass) {
    if (pass.length < 6 || pass === user || isPlaceholder(pass) || /[$%{<[]/.test(user))
        return false;
    const lower = pass.toLowerCase();
    if (lower.includes('password') || WORDS.has(lower) || /^[[{].*[\]}]$/.test(pass))
        return false;
    // ends in a variable reference (`pre$DB_PASS`, `%DB_PASS%`); a `$` inside a random value (`Xk9$mQ2vL7pR`) is just a character
    if (/\$\{?[A-Z_][A-Z0-9_]*\}?$|%[A-Za-z_]\w*%$/.test(pass))
        return false;
    return classes(pass).count >= 2 || /[^A-Za-z0-9]/.test(pass);
}
/** A "password" with `/` in it is usually a port and path (`http://host:8080/a/b@c`): only a random-looking one counts. */
function slashPassword(pass) {
    const parts = pass.split('/');
    return !/^\d*$/.test(parts[0]) && parts.every(Boolean) && classes(pass).count >= 2 && !readable(pass);
}
const url_credentials_decode = (s) => {
    try {
        return decodeURIComponent(s);
    }
    catch {
        return s;
    }
};
const urlCredentials = {
    id: 'secret/url-credentials',
    title: 'Credentials in URL',
    summary: 'scheme://user:password@host URLs (https, ftp, database connection strings) with a real password.',
    docs: 'Matches `scheme://user:password@host` in any scheme (https, ftps, mongodb+srv, postgres, mysql, jdbc:mysql, redis, amqp…), also ' +
        'percent-encoded in a query parameter (`?next=https%3A%2F%2Fuser%3Apass%40host`). A password may hold `$` or `/` (`Xk9$mQ2vL7pR`, `Ab3/xY9+kL2q`). ' +
        'Quiet for `user@host` (no password), `user:${PASS}@`, `user:$DB_PASSWORD@` (a variable), `user:****@`, `{{user}}:{{pass}}`, `username:password`, `YOUR_PASSWORD`, ' +
        'a password equal to the user name, short or repeated-character passwords, and a port and path (`http://host:8080/a/b@c`).',
    keywords: ['://', '%3a%2f%2f'],
    priority: 1,
    find(window) {
        const out = [];
        for (const [re, encoded] of [[URL_CREDS, false], [URL_CREDS_ENCODED, true]]) {
            re.lastIndex = 0;
            for (let m = re.exec(window); m !== null; m = re.exec(window)) {
                const pass = m[2] ?? '';
                const [u, p] = encoded ? [url_credentials_decode(m[1] ?? ''), url_credentials_decode(pass)] : [m[1] ?? '', pass];
                if (!realPassword(u, p) || (p.includes('/') && !slashPassword(p))) {
                    re.lastIndex = m.index + 1; // a URL inside the rejected span (`http://proxy:3128/https://u:p@h`) is still seen
                    continue;
                }
                const index = m.index + m[0].length - (encoded ? 4 : 2) - pass.length;
                out.push({ index, value: pass, message: `password ${redact(pass)} embedded in a URL (secret value must not appear in SOT or artifacts)` });
            }
        }
        return out;
    },
    examples: {
        tp: [
            'DATABASE_URL=postgres://app:Xk9#mQ2vL7pR@db.internal.example.net:5432/prod',
            'mongodb+srv://svc:hub24aoeu7Q@cluster0.mongodb.net/test',
            'git remote add origin https://deploy:T0k3nV4lu3!z@git.corp.io/r.git',
            'DATABASE_URL=postgres://app:Xk9$mQ2vL7pR@db.corp.io:5432/prod',
            'postgres://app:Ab3/xY9+kL2q@db.corp.io:5432/x',
            'GET /login?next=https%3A%2F%2Fdeploy%3As3cr3tP4ss%40git.corp.io%2Fr.git',
        ],
        fp: [
            'https://user@github.com/o/r',
            'https://${USER}:${PASS}@api.example.com',
            'redis://default:****@cache:6379',
            'https://username:password@example.com',
            'mysql://mysql:mysql@localhost:3306/db',
            'https://{{user}}:{{pass}}@host',
            'https://url:8000/ @something else',
            'DATABASE_URL=postgres://app:$DB_PASSWORD@db:5432/prod',
            'http://host:8080/path/x@y',
            'https://example.com/a:b@c',
        ],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/basic-auth.ts



// `-u user:pass`, `--user 'user:pass'`, `--user "user":"pass"` on a curl (or similar) command line.
const basic_auth_FLAG = atTokenStart(/(?:-u|--user)[ \t]{1,5}(\S{1,300})/g);
const basicAuth = {
    id: 'secret/basic-auth',
    title: 'Basic-auth credentials on a command line',
    summary: 'user:password given to curl -u / --user (and other tools taking the same flag).',
    docs: 'Matches `-u user:password` and `--user user:password` arguments, quoted or not. Quiet when the password is a variable or template ' +
        '(`$PASS`, `${{ secrets.X }}`, `{{ .Values.password }}`, `$(cat file)`), a placeholder (`[PASSWORD]`, `<user:password>`, `xxx`), ' +
        'equal to the user name (`test:test`), or missing (`-u user`, the tool then prompts).',
    keywords: ['-u ', '-u\t', '--user'],
    priority: 1,
    find(window) {
        const out = [];
        basic_auth_FLAG.lastIndex = 0;
        for (let m = basic_auth_FLAG.exec(window); m !== null; m = basic_auth_FLAG.exec(window)) {
            const arg = (m[1] ?? '').replace(/["']/g, '');
            const colon = arg.indexOf(':');
            if (colon < 0)
                continue;
            const strip = (s) => s.replace(/^\{(.*)\}$/, '$1');
            const user = strip(arg.slice(0, colon));
            const pass = strip(arg.slice(colon + 1));
            if (!realPassword(user, pass))
                continue;
            const raw = m[1] ?? '';
            const index = m.index + m[0].length - raw.length + Math.max(0, raw.indexOf(pass.slice(0, 4), raw.indexOf(':')));
            out.push({ index, value: pass, message: `password ${redact(pass)} passed on a command line (secret value must not appear in SOT or artifacts)` });
        }
        return out;
    },
    examples: {
        tp: ['curl -u elastic:Pq7@ssw0rd!9 https://localhost:9200', "curl --user 'johns:h0pk1ns~21s' $URL", 'curl -s --user api:d2LkV78zLx!t https://api.mailgun.net/v3'],
        fp: ['curl -u "$USER:$PASS" https://x', 'curl --user neo4j:[PASSWORD] http://[IP]:7474/', "curl -i -u 'test:test'", 'curl -u "${{ env.ID }}:${{ env.PASS }}"', 'nc -u -l 41234', 'curl -u myusername http://localhost'],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/bearer.ts



const HEADER = atTokenStart(/(?:(?:proxy-)?authorization["'`]?[ \t]{0,5}[:=][ \t]{0,5}["'`]?[ \t]{0,5}(?:(?:bearer|basic|token|api-token|apikey|key|digest|sso-key)[ \t]{1,5})?|bearer[ \t]{1,5})([A-Za-z0-9+/=._~-]{8,4096})/gi);
const bearer = {
    id: 'secret/bearer',
    title: 'Authorization header credential',
    summary: 'Authorization: Bearer/Basic/Token header values (and bare "Bearer <token>") with real-looking values.',
    docs: 'Matches the value of an `Authorization` or `Proxy-Authorization` header (with `Bearer`, `Basic`, `Token`, `Api-Token`, … or no scheme) and `Bearer <token>` ' +
        'when the value looks random: mixed character classes and enough entropy, or 20+ lower-case letters that do not read like English ' +
        '(fewer than 40% of its letter pairs are common English pairs). Words (`Bearer accesstokenfromtheserver`) and placeholders (`Bearer $API_KEY`, `Bearer <token>`, `Basic ...`, `Token ****`, ' +
        '`Bearer $(gcloud auth print-access-token)`) stay quiet.',
    keywords: ['authorization', 'bearer'],
    priority: 1,
    find(window) {
        const out = [];
        HEADER.lastIndex = 0;
        for (let m = HEADER.exec(window); m !== null; m = HEADER.exec(window)) {
            const v = m[1] ?? '';
            // one letter case only (`vtsrzwtviyqpekfahnhdfktfefpwyb`): random unless it reads like English words run together
            const lowerRandom = /^[a-z]{20,}$/.test(v) && !englishLike(v);
            if (/^(?:bearer|basic|token|digest)$/i.test(v) || isPlaceholder(v))
                continue;
            if (!lowerRandom && (!looksRandom(v, 8) || (readable(v) && !/\d/.test(v))))
                continue;
            const index = m.index + m[0].length - v.length;
            out.push({ index, value: v, message: `Authorization header credential ${redact(v)} (secret value must not appear in SOT or artifacts)` });
        }
        return out;
    },
    examples: {
        tp: [
            'curl -H "Authorization: Bearer cfcabd11c7ed9a41b1a3e063c32d5114" https://api.corp',
            "curl -H 'Authorization: Basic YnJvd3Nlcjo9Xq2=' https://x",
            '"Authorization": "Token 22cb987851bc5659a29114c62e60c79abd0d2c08"',
            'Proxy-Authorization: Basic IWboKqeEvfF7kU8a3GSfWXlHMURiABjgjXPIMhgj',
            'curl -H "Authorization: Bearer vtsrzwtviyqpekfahnhdfktfefpwybbh" https://api.corp',
        ],
        fp: ['-H "Authorization: Bearer $API_KEY"', '-H "Authorization: Bearer <token>"', 'Authorization: Basic ...', 'Authorization: Token **********', 'the bearer token is read from the environment', 'Authorization: Bearer/Basic/Token header values', 'Authorization: Bearer XXXXXXXXXXXX', 'Authorization: Bearer accesstokenfromtheserver', 'Proxy-Authorization: Basic <credentials>'],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/clojars.ts


const clojars = tokenDetector({
    id: 'secret/clojars',
    title: 'Clojars deploy token',
    summary: 'Clojars deploy tokens (CLOJARS_ + 60 characters).',
    docs: 'Matches `CLOJARS_` followed by 60 lower-case alphanumerics.',
    keywords: ['clojars_'],
    pattern: atTokenStart(/CLOJARS_[a-z0-9]{60}(?![A-Za-z0-9])/gi),
    prefix: () => 8,
    examples: { tp: ['token: CLOJARS_34bf0e88955ff5a1c328d6a7491acc4f48e865a7b8dd4d70a70749037443'], fp: ['CLOJARS_USERNAME=me'] },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/cloudflare.ts


const cloudflare = tokenDetector({
    id: 'secret/cloudflare',
    title: 'Cloudflare Origin CA key',
    summary: 'Cloudflare Origin CA keys (v1.0-<24 hex>-<146 hex>).',
    docs: 'Matches Cloudflare Origin CA keys: `v1.0-`, 24 hex characters, `-`, 146 hex characters.',
    keywords: ['v1.0-'],
    pattern: atTokenStart(/v1\.0-[a-f0-9]{24}-[a-f0-9]{146}(?![A-Za-z0-9])/g),
    prefix: () => 5,
    examples: { tp: ['cloudflareToken := "v1.0-aaa334dc886f30631ba0a610-0d98ef66290d7e50aac7c27b5986c99e6f3f1084c881d8ac0eae5de1d1aa0644076ff57022069b3237d19afe60ad045f207ef2b16387ee37b749441b2ae2e9ebe5b4606e846475d4a5"'], fp: ['version v1.0-beta'] },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/databricks.ts



const databricks = tokenDetector({
    id: 'secret/databricks',
    title: 'Databricks token',
    summary: 'Databricks personal access tokens (dapi + 32 hex).',
    docs: 'Matches `dapi` followed by 32 hex characters and an optional `-N` suffix, as a whole token.',
    keywords: ['dapi'],
    pattern: atTokenStart(/dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9_])/g),
    prefix: () => 4,
    accept: (_v, body) => looksRandom(body.replace(/-\d$/, ''), 32),
    examples: { tp: ['DATABRICKS_TOKEN=dapi7f3c9a1b5e2d8f4a6c0b9e1d3f5a7c2e-2'], fp: ['dapi00000000000000000000000000000000', 'dapixxxxxxxx'] },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/docker.ts



const docker = tokenDetector({
    id: 'secret/docker',
    title: 'Docker Hub token',
    summary: 'Docker Hub personal access tokens (dckr_pat_ + 27 characters).',
    docs: 'Matches `dckr_pat_` followed by 27 URL-safe random characters.',
    keywords: ['dckr_pat_'],
    pattern: atTokenStart(/dckr_pat_[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])/g),
    prefix: () => 9,
    accept: (_v, body) => looksRandom(body, 27),
    examples: { tp: ['DOCKER_TOKEN=dckr_pat_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5'], fp: ['dckr_pat_tooshort', 'DOCKER_TOKEN=not_a_real_token'] },
});

// EXTERNAL MODULE: ./node_modules/ipaddr.js/lib/ipaddr.js
var ipaddr = __nccwpck_require__(280);
var ipaddr_default = /*#__PURE__*/__nccwpck_require__.n(ipaddr);
;// CONCATENATED MODULE: ./src/engine/scanner/detectors/endpoint.ts




const REASON = '(private endpoint must not be written anywhere)';
// An address may follow an escape or an encoded character (`\n10.0.0.5`, `%2F192.168.1.40`), not a word or a dotted number.
const IPV4 = new RegExp(`${leftEdge('0-9A-Za-z.')}(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![0-9]|\\.\\d)`, 'g');
const PLACEHOLDER_HOST = /(?:^|\.)(?:example\.(?:com|org|net)|example|invalid|test|localhost)$|^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?)$/i;
/** A host that names itself a placeholder: `your-host`, `your-gpu.corp`, `HOST`, `hostname`, `<host>`, `{host}`, `x.x.x.x`. */
const PLACEHOLDER_NAME = /^your(?:[-_][a-z0-9-]*|host|server|domain|machine|ip)(?:\.|$)|^(?:host|hostname|server|machine|ip|ip[-_]?address|address|domain|endpoint|x+(?:\.x+)*)$|[<>{}$*%\\]/i;
/**
 * An IPv6 address candidate: groups with a `::` or eight groups, optionally ending in a dotted IPv4 (`::ffff:10.0.0.1`).
 * ipaddr.js then decides whether it is an address and which range it is in.
 */
const IPV6 = new RegExp(`${leftEdge('0-9A-Za-z:.')}((?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|\\d{1,3}(?:\\.\\d{1,3}){3})?)(?![0-9A-Za-z:]|\\.\\d)`, 'gi');
/** A URL whose host starts with a digit or `[`: the forms a URL parser turns into an address (`0x0a.0.0.1`, `012.0.0.1`, `167772161`, `10.1`, `[::ffff:a00:1]`). */
const NUMERIC_URL = /[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/(?:[^\s/@"'`<>\\]{0,256}@)?(?:\[[0-9A-Fa-f:.]{2,60}\]|[0-9][0-9A-Fa-fXx.]{0,60})(?![0-9A-Za-z.-])/g;
/** ipaddr.js ranges that are private: RFC 1918, CGNAT 100.64/10 (tailnets), IPv6 unique local fc00::/7 (tailnets' fd7a:115c:a1e0::/48). */
const PRIVATE_RANGES = new Set(['private', 'carrierGradeNat', 'uniqueLocal']);
/**
 * Is this address (dotted IPv4, IPv6, IPv4-mapped IPv6 such as `::ffff:a00:1`) in a private range? ipaddr.js parses and
 * classifies it; an IPv4-mapped IPv6 address is judged by the IPv4 address it carries.
 */
function isPrivateAddress(address) {
    const a = address.replace(/^\[|\]$/g, '');
    if (!ipaddr_default().isValid(a))
        return false;
    let parsed = ipaddr_default().parse(a);
    if (parsed.kind() === 'ipv6' && parsed.isIPv4MappedAddress())
        parsed = parsed.toIPv4Address();
    return PRIVATE_RANGES.has(parsed.range());
}
/**
 * 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT, used by tailnets): four octets, the hot path of the dotted-quad search
 * (the same ranges ipaddr.js calls private and carrierGradeNat; a test checks they agree).
 */
function isPrivateIPv4(o) {
    const [a, b] = o;
    if (o.length !== 4 || o.some((x) => x > 255))
        return false;
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}
/** The host a URL parser reads from `url`, canonical (hex, octal and single-number IPv4 hosts become dotted), or undefined. */
function canonicalHost(url) {
    try {
        return new URL(url).hostname;
    }
    catch {
        return undefined;
    }
}
function hostOf(value) {
    const noScheme = value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
    const host = noScheme.replace(/^[^@/]*@/, '').split(/[/?#]/)[0] ?? '';
    return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
}
/** A value: up to white space, a quote, `,;<>` or a backslash (the `\n` ending a line inside a JSON string). */
const VALUE = String.raw `([^\s"'\`,;<>\\]{1,2048})`;
const varRegexes = new Map();
function regexesFor(name) {
    let re = varRegexes.get(name);
    if (!re) {
        const sep = String.raw `[ \t]{0,5}(?::=|=>|=|:|%3[AaDd])[ \t]{0,5}`;
        re = {
            assigned: new RegExp(`${leftEdge('A-Za-z0-9_')}${name}${QUOTE}?\\]?${sep}${QUOTE}?${VALUE}`, 'g'),
            entry: new RegExp(`${leftEdge()}name${QUOTE}?${sep}${QUOTE}?${name}${QUOTE}?[ \\t]{0,5},?[ \\t]{0,5}\\r?\\n?[ \\t]{0,40}${QUOTE}?value${QUOTE}?${sep}${QUOTE}?${VALUE}`, 'g'),
        };
        varRegexes.set(name, re);
    }
    return re;
}
/** `http%3A%2F%2Fgpu.corp.io%3A8000` → `http://gpu.corp.io:8000`, cut at an encoded quote, comma, space or brace. */
function decoded(value) {
    if (!/%[0-9A-Fa-f]{2}/.test(value))
        return { raw: value, plain: value };
    const raw = value.split(/%(?:2[027Cc]|3[BbCcEe]|5[Cc]|60|7[Dd])/)[0] ?? '';
    try {
        return { raw, plain: decodeURIComponent(raw) };
    }
    catch {
        return { raw, plain: raw };
    }
}
function addValue(name, value, index, out) {
    const { raw, plain } = decoded(value.replace(/[.)\]]+$/, ''));
    const looksLikeAddress = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/./.test(plain) || /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?(?:\/|$)|^[A-Za-z0-9.-]+:\d{1,5}(?:\/|$)/.test(plain);
    if (!raw || !looksLikeAddress || isPlaceholder(plain))
        return;
    const host = hostOf(plain);
    if (!host || PLACEHOLDER_HOST.test(host) || PLACEHOLDER_NAME.test(host) || isPlaceholder(host))
        return;
    out.push({ index, value: raw, message: `value of ${name} ${redact(raw)} ${REASON}` });
}
/** `line` is the window's first line; `window` may hold the next line too (a value written below its name). */
function assignedValues(line, window, opts, out) {
    for (const name of opts.endpointVariables) {
        if (!line.includes(name))
            continue;
        const both = regexesFor(name);
        const assigned = edgeFor(both.assigned, window);
        const entry = edgeFor(both.entry, window);
        assigned.lastIndex = 0;
        for (let m = assigned.exec(line); m !== null; m = assigned.exec(line))
            addValue(name, m[1] ?? '', m.index + m[0].length - (m[1] ?? '').length, out);
        if (!/value/i.test(window))
            continue;
        entry.lastIndex = 0;
        for (let m = entry.exec(window); m !== null && m.index < line.length; m = entry.exec(window)) {
            addValue(name, m[1] ?? '', m.index + m[0].length - (m[1] ?? '').length, out);
        }
    }
}
function tailnetHosts(window, out) {
    const lower = window.toLowerCase();
    for (let i = lower.indexOf('.ts.net'); i >= 0; i = lower.indexOf('.ts.net', i + 7)) {
        if (/[A-Za-z0-9-]/.test(window[i + 7] ?? ''))
            continue;
        let start = i;
        while (start > 0 && /[A-Za-z0-9.-]/.test(window[start - 1] ?? '') && i - start < 253)
            start--;
        start = Math.min(i, afterEscape(window, start)); // `\nspark.ts.net`, `%2Fspark.ts.net`: the escape is no part of the host
        const host = window.slice(start, i + 7);
        if (start === i || isPlaceholder(host.slice(0, -7)) || /^(?:tailnet|tail[-_]?name|machine|host|name|your)\b/i.test(host))
            continue;
        out.push({ index: start, value: host, message: `tailnet host ${redact(host)} ${REASON}` });
    }
}
function privateAddresses(window, out) {
    const ipv4 = edgeFor(IPV4, window);
    ipv4.lastIndex = 0;
    for (let m = ipv4.exec(window); m !== null; m = ipv4.exec(window)) {
        const octets = m.slice(1, 5).map(Number);
        if (!isPrivateIPv4(octets))
            continue;
        const before = window.slice(Math.max(0, m.index - 12), m.index);
        if (/(?:version|\bv|release)[ :=]*$/i.test(before))
            continue;
        const after = window.slice(m.index + m[0].length, m.index + m[0].length + 4);
        if (/^\/\d{1,2}(?!\d)/.test(after) && !/:\/\/$/.test(before))
            continue; // a CIDR range, not a host
        out.push({ index: m.index, value: m[0], message: `private network address ${redact(m[0])} ${REASON}` });
    }
    if (window.includes(':')) {
        const ipv6 = edgeFor(IPV6, window);
        ipv6.lastIndex = 0;
        for (let m = ipv6.exec(window); m !== null; m = ipv6.exec(window)) {
            const addr = m[1] ?? '';
            if (!isPrivateAddress(addr))
                continue;
            if (/^\/\d{1,3}(?!\d)/.test(window.slice(m.index + addr.length, m.index + addr.length + 5)))
                continue; // a prefix, not a host
            out.push({ index: m.index, value: addr, message: `private network address ${redact(addr)} ${REASON}` });
        }
    }
    if (!window.includes('://'))
        return;
    NUMERIC_URL.lastIndex = 0;
    for (let m = NUMERIC_URL.exec(window); m !== null; m = NUMERIC_URL.exec(window)) {
        const host = canonicalHost(m[0]);
        if (!host || !isPrivateAddress(host))
            continue;
        const at = m[0].lastIndexOf('@');
        const start = at >= 0 ? at + 1 : m[0].indexOf('//') + 2;
        const written = m[0].slice(start);
        out.push({ index: m.index + start, value: written, message: `private network address ${redact(written)} ${REASON}` });
    }
}
const endpoint = {
    id: 'endpoint/exposed',
    title: 'Private endpoint',
    summary: 'Values of configured endpoint variables (CTO_HARNESS_CASE_LOCAL_BASE_URL) and private model-server addresses: *.ts.net, 100.64/10, RFC 1918, IPv6 fc00::/7.',
    docs: 'Flags a value assigned to any configured endpoint variable (`CTO_HARNESS_CASE_LOCAL_BASE_URL=http://…`, `"CTO_HARNESS_CASE_LOCAL_BASE_URL": "…"`, `export …=`, ' +
        '`os.environ["CTO_HARNESS_CASE_LOCAL_BASE_URL"] = "…"`, escaped JSON `{\\"CTO_…\\":\\"…\\"}`, after a `\\n` inside a JSON string, URL-encoded `http%3A%2F%2F…`, ' +
        'and a Kubernetes env entry `- name: CTO_…` with `value: …` on the next line), ' +
        'and, anywhere, tailnet host names (`*.ts.net`), CGNAT addresses (100.64.0.0/10), RFC 1918 addresses (10/8, 172.16/12, 192.168/16) and IPv6 unique local addresses (fc00::/7, which holds a tailnet\'s fd7a:115c:a1e0::/48) used as hosts. ' +
        'An address is read the way a URL parser reads it: a URL host written in hex (`0x0a.0.0.1`), octal (`012.0.0.1`), as a single number (`167772161`) ' +
        'or shortened (`10.1`) is canonicalised by the WHATWG URL parser, and IPv4-mapped IPv6 addresses (`::ffff:` then a private IPv4 address, dotted or as two hex groups) are judged by the IPv4 address they carry; ' +
        'ranges are decided by ipaddr.js, not by patterns over dotted quads. ' +
        'Addresses are found right after an escape or an encoded character too (`\\n`, `\\t`, `%2F` before the address). ' +
        'Naming the variable is fine, and so are loopback addresses (127.x, localhost, ::1), placeholders (`<base-url>`, `${{ secrets.X }}`, `$VAR`, `***`, example.com, ' +
        'and hosts named `host`, `HOST`, `hostname`, `your-host`, `<host>`), ' +
        'version numbers (`10.2.3`) and CIDR ranges (`10.0.0.0/8`, `fd00::/8`). IPv6 addresses are found where they are written compressed (`::`), in brackets (`[fd…]`) or in a tailnet\'s range (`fd7a:`).',
    keywords: ['.ts.net', '10.', '172.', '192.168.', '100.', '::', '[fd', '[fc', 'fd7a:'],
    dynamicKeywords: (opts) => opts.endpointVariables.map((v) => v.toLowerCase()),
    // a URL whose host starts with a digit or `[` (`http://0x0a.0.0.1/`, `http://167772161/`, `http://[::ffff:a00:1]/`)
    trigger: /:\/\/(?:[^\s/@"'`<>]{0,256}@)?[0-9[]/g,
    reason: REASON,
    nextLine: true,
    find(window, opts) {
        const out = [];
        const nl = window.indexOf('\n');
        const line = nl < 0 ? window : window.slice(0, nl);
        assignedValues(line, window, opts, out);
        tailnetHosts(line, out);
        privateAddresses(line, out);
        return out;
    },
    examples: {
        tp: [
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://spark-1.tail4f2a9.ts.net:8000/v1',
            '"CTO_HARNESS_CASE_LOCAL_BASE_URL": "https://models.corp.internal/v1"',
            'export CTO_HARNESS_CASE_LOCAL_BASE_URL=http://100.101.7.33:8000/v1',
            'backend log: connecting to http://192.168.1.40:8000/v1/chat/completions',
            'base_url: http://10.4.0.12:11434',
            'connecting to http://[fd7a:115c:a1e0::53]:8000/v1',
            'spark peer fd7a:115c:a1e0:ab12:4843:cd96:6258:b240 online',
            'listen fd12:3456:789a::1 port 8000',
            '{"stdout":"PATH=/usr/bin\\nCTO_HARNESS_CASE_LOCAL_BASE_URL=http://gpu.corp.io:8000/v1\\nHOME=/root\\n"}',
            '{"out":"{\\"CTO_HARNESS_CASE_LOCAL_BASE_URL\\":\\"http://gpu.corp.io:8000/v1\\"}"}',
            'os.environ["CTO_HARNESS_CASE_LOCAL_BASE_URL"] = "http://gpu.corp.io:8000/v1"',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=http%3A%2F%2Fgpu.corp.io%3A8000%2Fv1',
            '{"stdout":"connecting\\n10.0.0.5:8000 refused"}',
            'u=http%3A%2F%2F192.168.1.40%3A8000%2Fv1',
            'base_url: http://0x0a.0.0.1:8000/v1',
            'base_url: http://012.0.0.1:8000/v1',
            'base_url: http://167772161:8000/v1',
            'base_url: http://10.1:8000/v1',
            'connecting to http://[::ffff:a00:1]:8000/v1',
            'peer ::ffff:10.0.0.1 online',
            'peer ::ffff:a00:1 online',
            'listen fd00::53 port 8000',
            'base_url: http://0x64.0x40.0.7:8000/v1',
            'CTO\\_HARNESS\\_CASE\\_LOCAL\\_BASE\\_URL=http://gpu.corp.io:8000/v1',
            '| CTO_HARNESS_CASE_LOCAL_BASE_URL | http://gpu.corp.io:8000/v1 |',
            '| `CTO_HARNESS_CASE_LOCAL_BASE_URL` | `https://models.corp.internal/v1` | staging |',
            'served from spark-1.tail4f2a9\\.ts\\.net',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL&#61;http://gpu.corp.io:8000/v1',
            'env: eyJ1c2VyIjoianAiLCJ1cmwiOiJodHRwOi8vMTAuNC4wLjEyOjExNDM0L3YxIn0=',
        ],
        fp: [
            'The required runtime variable is `CTO_HARNESS_CASE_LOCAL_BASE_URL`.',
            'must set CTO_HARNESS_CASE_LOCAL_BASE_URL before running',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://127.0.0.1:8000/v1',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=<base-url>',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL: ${{ secrets.LOCAL_BASE_URL }}',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=$LOCAL_URL',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=https://example.com/v1',
            'upgraded to 10.2.3 and 172.16.4',
            'allow 10.0.0.0/8 in the firewall',
            'route fd00::/8 via the tailnet',
            'std::vector<int> fdata; Foo::fd(x)',
            'loopback http://[::1]:8000/v1 and fe80::1%eth0',
            'hash fd8e1c22a9f0 and fcff:zz::1',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://your-host:8000/v1',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://HOST:8000/v1',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://host:8000/v1',
            'os.environ["CTO_HARNESS_CASE_LOCAL_BASE_URL"] = "https://api.example.com/v1"',
            'CTO_HARNESS_CASE_LOCAL_BASE_URL=http%3A%2F%2F%3Chost%3E%3A8000%2Fv1',
            '{"stdout":"version\\n10.2.3 installed"}',
            'public http://0x08.0x08.0x08.0x08/ and http://134744072/',
            'loopback http://0x7f.0.0.1:8000/v1 and http://2130706433:8000/v1',
            'mapped ::ffff:8.8.8.8 and ::ffff:7f00:1',
            'ratio 12:30:45 at 10:15',
            '| `CTO_HARNESS_CASE_LOCAL_BASE_URL` | required | the private endpoint, never written down |',
            '| CTO_HARNESS_CASE_LOCAL_BASE_URL | `<base-url>` |',
        ],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/flyio.ts


const flyio = tokenDetector({
    id: 'secret/flyio',
    title: 'Fly.io token',
    summary: 'Fly.io access and macaroon tokens (fo1_, fm1r_/fm1a_/fm2_).',
    docs: 'Matches `fo1_` + 43 URL-safe characters and `fm1r_`, `fm1a_`, `fm2_` macaroon tokens with a long base64 body.',
    keywords: ['fo1_', 'fm1r_', 'fm1a_', 'fm2_'],
    pattern: atTokenStart(/(?:fo1_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,8000}={0,3})/g),
    examples: {
        tp: ['FLY_API_TOKEN=fo1_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1L'],
        fp: ['api_key = "fo1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', 'value="7SWa-Fo1_hsC6oovfBsJFLGPUl2EhkSWPbJhWANwgaJW"'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/github.ts



const github = tokenDetector({
    id: 'secret/github',
    title: 'GitHub token',
    summary: 'GitHub tokens: classic ghp_/gho_/ghu_/ghs_/ghr_, fine-grained github_pat_, app installation tokens.',
    docs: 'Matches GitHub personal access tokens (`ghp_`), OAuth (`gho_`), user-to-server (`ghu_`), server-to-server (`ghs_`) and refresh (`ghr_`) ' +
        'tokens with a 36+ character body, fine-grained `github_pat_` tokens, and `ghs_<id>_<jwt>` app tokens. ' +
        'Bodies made of `x`, sequences or `EXAMPLE` are placeholders and stay quiet.',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: atTokenStart(/(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{50,255}|gh[su]_\d{1,12}_[A-Za-z0-9_.-]{30,4000})/g, 'A-Za-z0-9'),
    prefix: (v) => (v.startsWith('github_pat_') ? 11 : 4),
    accept: (_v, body) => looksRandom(body.replace(/^\d+_/, ''), 30),
    examples: {
        tp: [
            'GITHUB_TOKEN=ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
            'git clone https://x-access-token:ghs_Z2xQ7Wm9Rt4Yv6Nb1Kp3Lj8Hf5Dc0Sa2Ex4G@github.com/o/r',
            'token: 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',
            'refresh=ghr_Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKkLl',
            '{"stdout":"key\\tghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W\\tactive"}',
            'body=%7B%22key%22%3A%22ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W%22%7D',
            'MY_TOKEN=_ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
            'rotated token ghp\\_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
            'rotated token ghp&#95;R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
            'rotated token ghp_<!-- -->R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
            '| GITHUB_TOKEN | `ghp_`R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W |',
            'blob: Z2hwX1I3a0xtMk5xOFd4NFp0Nll2MUJjM0RmNUdoOUprMExwMlFzNFc=',
            'blob=6768705f52376b4c6d324e71385778345a74365976314263334466354768394a6b304c703251733457',
        ],
        fp: [
            'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
            'xghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
            'gXX_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx',
            'token: ghp_...',
            'see the ghp_ prefix in GitHub docs',
            'escaped placeholder ghp\\_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
            'blob: Z2hwX3h4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eA==',
        ],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/gitlab.ts



const gitlab = tokenDetector({
    id: 'secret/gitlab',
    title: 'GitLab token',
    summary: 'GitLab personal, project, deploy, runner and trigger tokens (glpat-, glptt-, gldt-, glrt-, GR1348941…).',
    docs: 'Matches GitLab token prefixes (`glpat-`, `glptt-`, `gldt-`, `glrt-`, `glsoat-`, `glft-`, runner registration `GR1348941`) followed by 20+ random characters. `glpat-XXXX…` placeholders and digit-only bodies stay quiet.',
    keywords: ['glpat-', 'glptt-', 'gldt-', 'glrt-', 'glsoat-', 'glft-', 'gr1348941'],
    pattern: atTokenStart(/(?:(?:glpat|glptt|gldt|glrt|glsoat|glft)-|GR1348941)[A-Za-z0-9_.-]{20,300}/g),
    prefix: (v) => (v.startsWith('GR1348941') ? 9 : v.indexOf('-') + 1),
    accept: (_v, body) => looksRandom(body, 20),
    examples: {
        tp: ['GITLAB_TOKEN=glpat-Qw7Rt2Zx9Lm4Np6Kb1Vc', 'runner: GR1348941aZ3kL9mQ2wX7rT5yU1iO8'],
        fp: ['glpat-XXXXXXXXXXX-XXXXXXXX', 'GR134894112312312312312312312', 'glpat-abc'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/google.ts


const google = tokenDetector({
    id: 'secret/google',
    title: 'Google API key',
    summary: 'Google Cloud / Firebase API keys (AIza…).',
    docs: 'Matches 39-character Google API keys: `AIza` followed by 35 URL-safe characters (most start `AIzaSy`, not all), as a whole token. Runs of one letter, `abcdef…` sequences and `x` placeholders stay quiet.',
    keywords: ['aiza'],
    pattern: atTokenStart(/AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g),
    prefix: () => 4,
    examples: {
        tp: ['GOOGLE_API_KEY=AIzaSyR4t7Wq2Zx9Lm5Nk8Vb3Jh6Gf1Dc0Sa4_Q', 'apiKey: "AIzaSyB8kQ2mW7zR4tX9nL3vP6yJ1hG5fD0sA2e"', 'GOOGLE_API_KEY=AIzaSzFVLEiZdUycZDfzxQL7vyoc5kFNGqLVFd9'],
        fp: ['AIzaSyabcdefghijklmnopqrstuvwxyz1234567', 'apiKey: "AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"', 'AIZASYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O', 'xAIzaSyR4t7Wq2Zx9Lm5Nk8Vb3Jh6Gf1Dc0Sa4_Q'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/grafana.ts


const grafana = tokenDetector({
    id: 'secret/grafana',
    title: 'Grafana token',
    summary: 'Grafana Cloud API tokens (glc_), service-account tokens (glsa_) and legacy API keys (eyJrIjoi…).',
    docs: 'Matches `glc_` + 32+ base64 characters, `glsa_` + 32 alphanumerics + `_` + 8 hex, and legacy `eyJrIjoi` API keys.',
    keywords: ['glc_', 'glsa_', 'eyjrijoi'],
    pattern: atTokenStart(/(?:glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Za-z0-9])|eyJrIjoi[A-Za-z0-9]{70,400}={0,3})/g),
    prefix: (v) => (v.startsWith('eyJ') ? 8 : v.indexOf('_') + 1),
    examples: { tp: ["'Authorization': 'Bearer glsa_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa_486f63e1'"], fp: ['glsa_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_00000000', 'glc_abc'] },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/groq.ts



const groq = tokenDetector({
    id: 'secret/groq',
    title: 'Groq API key',
    summary: 'Groq API keys (gsk_ + 52 alphanumerics).',
    docs: 'Matches `gsk_` followed by exactly 52 alphanumeric characters as a whole token; longer or shorter runs and `gsk_xxxx` placeholders stay quiet.',
    keywords: ['gsk_'],
    pattern: atTokenStart(/gsk_[A-Za-z0-9]{52}(?![A-Za-z0-9_-])/g),
    placeholder: (b) => /x{4,}|X{4,}/.test(b) || distinct(b) <= 3,
    examples: {
        tp: ['GROQ_API_KEY=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'],
        fp: ['gsk_abc123', 'wordgsk_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1Lk3Mj5Nh7Bg9Vf2C', 'gsk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/hashicorp.ts


const hashicorp = tokenDetector({
    id: 'secret/hashicorp',
    title: 'Terraform Cloud token',
    summary: 'Terraform Cloud / Enterprise API tokens (<14>.atlasv1.<60+>).',
    docs: 'Matches Terraform Cloud tokens: 14 characters, `.atlasv1.`, then 60–70 URL-safe characters.',
    keywords: ['.atlasv1.'],
    pattern: atTokenStart(/[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/g),
    prefix: () => 23,
    examples: { tp: ['token = "Xq7Rt2Zx9Lm4Np.atlasv1.Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1Lk3Mj5Nh7Bg9Vf2Cd4Xs6Za8Qw0Er2Ty4Ui6Op8"'], fp: ['xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'] },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/high-entropy.ts




const high_entropy_HEX = /^(?:0x)?[0-9a-fA-F]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Words joined by separators (kebab/snake/dotted names, versions, domains): readable, not random. */
const WORDY = /^[A-Za-z0-9]{1,14}(?:[-_.:+][A-Za-z0-9]{1,14})+$/;
/** Crockford base32 ULID whose timestamp lies in 2010–2100 (`01HZX3K8Q2N7V5W9R4T6Y1M0PB`): a sortable id, not a key. */
const ULID = /^0[1-3][0-9A-HJKMNP-TV-Z]{24}$/i;
/** IPFS content ids: CIDv0 (`Qm` + 44 base58) and CIDv1 in base32 (`bafy…`). */
const CID = /^(?:Qm[1-9A-HJ-NP-Za-km-z]{44}|baf[a-z2-7]{50,70})$/;
/** A go.sum / go.mod hash: `h1:` + base64 of a SHA-256. */
const GO_SUM_HASH = /^[A-Za-z0-9+/]{43}=$/;
/**
 * Is this base64 (standard or URL-safe, padded or not) of readable text (`VGhlIHF1aWNr…` = "The quick…") or of a JSON
 * document with no random-looking string and no secret-named key in it (`eyJuYW1lIjogImV4YW1wbGUi…`)? Then it is encoded
 * data, not a key. Random bytes decode to printable text almost never; a token that encodes JSON holding a key
 * (`eyJrIjoiODNsN3JnWFJQaDE1MjFtZTFNIn0`, Grafana-style) still counts.
 */
function base64OfText(v) {
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(v) || v.replace(/=+$/, '').length % 4 === 1)
        return false;
    const text = Buffer.from(v, 'base64').toString('latin1');
    if (!/^[\x20-\x7e\t\r\n]+$/.test(text))
        return false;
    if (/^\s*[[{]/.test(text)) {
        const keys = [...text.matchAll(/"([^"\\]{1,80})"\s*:/g)].map((k) => k[1]);
        return !keys.some(isSecretKey) && !(text.match(/[A-Za-z0-9_+/-]{16,}/g) ?? []).some((w) => looksRandom(w, 16));
    }
    const letters = (text.match(/[A-Za-z ]/g) ?? []).length;
    return text.includes(' ') && letters / text.length >= 0.85;
}
function highEntropy(v) {
    if (v.length < 20 || v.length > 1024 || !/^[A-Za-z0-9+/=_~.-]+$/.test(v))
        return false;
    if (high_entropy_HEX.test(v) || UUID.test(v) || ULID.test(v) || CID.test(v) || isPlaceholder(v) || v.startsWith('/') || base64OfText(v))
        return false;
    if ((WORDY.test(v) && !/[A-Za-z0-9]{16}/.test(v)) || readable(v))
        return false;
    const c = classes(v);
    if (c.count < 2 || (c.count === 2 && !c.digit))
        return false;
    return shannon(v) >= (c.count === 3 ? 4.0 : 4.3);
}
const highEntropyDetector = {
    id: 'secret/high-entropy',
    title: 'High-entropy value',
    summary: 'Long random-looking strings assigned to a key (key = value, key: value, "key": "value", export X=…).',
    docs: 'Flags values of 20+ characters in an assignment whose Shannon entropy is high (≥ 4.0 bits/char with upper case, lower case and digits; ≥ 4.3 otherwise). ' +
        'It does not flag hex strings (SHA-1/SHA-256 hashes, git commit ids), UUIDs, ULIDs, IPFS content ids (`Qm…`, `bafy…`), go.sum `h1:` hashes, ' +
        'base64 or base64url (padded or not) of plain text or of a JSON document without a random-looking value or a secret-named key, paths, kebab-case or dotted names ' +
        '(`pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback`), nor keys that name a hash, id, version, signature, URL or public key.',
    keywords: [],
    // a long token right after an assignment separator, also URL-encoded (`%3A`), after a quote that may be escaped
    // (`\"`) or encoded (`%22`): the KV parse then confirms the context
    trigger: new RegExp(String.raw `(?:[=:,]|%3[AaDd])[ \t]{0,5}${QUOTE}?[A-Za-z0-9+/=_~.-]{20}`, 'g'),
    priority: 3,
    find(window) {
        const out = [];
        for (const a of assignments(window)) {
            if (isSecretKey(a.key) || isNonSecretName(a.key))
                continue;
            const v = a.value.trim();
            if (!highEntropy(v) || (a.key === 'h1' && GO_SUM_HASH.test(v)))
                continue;
            out.push({ index: a.index, value: v, message: `high-entropy value ${redact(v)} assigned to "${a.key}" (secret value must not appear in SOT or artifacts)` });
        }
        return out;
    },
    examples: {
        tp: ['loki_key: eXJvIjoiNzQ0NTg3IiwibiI6InN0YWNrLTQ3NTgzMCIsImsiOiI4M2w3cmdYUlBoMTUyMW1lMU0', 'export SPARK_SESSION=Qm9Xr7Tz2Lp4Wv8Ny1Kc6Hj3Gf5Db0Sa', 'setting = "uV3kP9qL2wX7zR5tY1mN8bC4"', '{"arguments":"{\\"blob\\":\\"Zx9kQ2vLm8RtY4wP7nB3sD6fH1jK5gT0\\"}"}', 'data=%7B%22blob%22%3A%22Zx9kQ2vLm8RtY4wP7nB3sD6fH1jK5gT0%22%7D'],
        fp: [
            'SRCREV_moby = "43fc912ef59a83054ea7f6706df4d53a7dea4d80"',
            'request = 3b241101-e2bb-4255-8caf-4136c566a962',
            'ANY_KEY = ZHVtbXkgdGV4dCBkYXRhIGRhdGEgZGF0YQ==',
            'allowed_network_class: local-tailscale-vllm-spark1-plus-codex-oauth-fallback',
            'commit = 5db23c7a9e1f0b2c4d6e8f0a1b2c3d4e5f6a7b8c',
            'artifact: /home/svrnty/.hermes/profiles/cto-planb/harness-runs/20260531T235421Z-r1-string-slugify-1875638',
            'payload: VGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZy4',
            'payload: eyJuYW1lIjogImV4YW1wbGUiLCAiZW5hYmxlZCI6IHRydWUsICJjb3VudCI6IDEyfQ',
            'github.com/foo/bar v1.2.3 h1:0GF6fsFw64z4unW99mKupwHYKnByPpX9IwesNDD6qeE=',
            'run: 01HZX3K8Q2N7V5W9R4T6Y1M0PB',
            'cid: QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG',
        ],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/huggingface.ts


const huggingface = tokenDetector({
    id: 'secret/huggingface',
    title: 'Hugging Face token',
    summary: 'Hugging Face user access tokens (hf_…) and organization tokens (api_org_…).',
    docs: 'Matches `hf_` and `api_org_` followed by exactly 34 letters with both cases, as a whole token. Identifiers that merely contain `hf_` (`rhf_Sponsored…`, `hf_requiredCharacteristic…`) and `hf_xxxxx` placeholders stay quiet.',
    keywords: ['hf_', 'api_org_'],
    pattern: atTokenStart(/(?:hf|api_org)_[A-Za-z]{34}(?![A-Za-z0-9_-])/g),
    prefix: (v) => v.lastIndexOf('_') + 1,
    accept: (_v, body) => /[a-z]/.test(body) && /[A-Z]/.test(body),
    examples: {
        tp: ['HF_TOKEN=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', 'huggingface-cli login --token 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', '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'],
        fp: ['hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '- (id)hf_requiredCharacteristicTypesForDisplayMetadata;', 'hf_abc', 'HF_TOKEN=$HF_TOKEN'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/jwt.ts


const jwt = tokenDetector({
    id: 'secret/jwt',
    title: 'JSON Web Token',
    summary: 'JSON Web Tokens (eyJ….eyJ….signature).',
    docs: 'Matches a base64url JSON header and payload (`eyJ…` `.` `eyJ…`) with an optional signature, as a whole token. A JWT is a bearer credential: anyone holding it acts as its subject until it expires.',
    keywords: ['eyj'],
    pattern: atTokenStart(/eyJ[A-Za-z0-9_-]{10,4000}\.eyJ[A-Za-z0-9_-]{10,20000}\.?[A-Za-z0-9_/+-]{0,2000}/g),
    prefix: () => 3,
    examples: {
        tp: [
            'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7',
            'id_token=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcC5jb3JwIiwiYXVkIjoiYXBwIn0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2Vu',
        ],
        fp: ['eyJxxxxxxxxxxxxxxxxxx.eyJxxxxxxxxxxxxxxxxxxxxx.xxxxxxxx', 'the token starts with eyJ', 'eyJhbGciOiJIUzI1NiJ9 is a header only'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/key-name.ts




/** A value that is a real credential, not a reference, a path, a number or a word. */
function realLooking(v) {
    if (v.length < 8 || v.length > 1024 || isPlaceholder(v))
        return false;
    if (/\s/.test(v) || v.includes('://'))
        return false;
    if (/^[-+]?\d+(?:\.\d+)?$/.test(v) || /^(?:true|false|null|none|nil|undefined|yes|no)$/i.test(v))
        return false;
    // references: process.env.X, self.token, XSalsa20.key_length
    if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v) && !v.split('.').some((s) => s.length >= 20))
        return false;
    // paths and files
    if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) || /\.(?:pem|p12|pfx|key|crt|cer|json|ya?ml|txt|keytab|jks|env|ini)$/i.test(v))
        return false;
    if (/[()[\]]/.test(v) || /^[A-Za-z]+(?:\/[A-Za-z]+)+$/.test(v))
        return false;
    const c = classes(v);
    const symbols = /[^A-Za-z0-9]/.test(v);
    if (c.count < 2 && !(symbols && c.count >= 1 && v.length >= 12))
        return false;
    // words joined by separators: `my-bot-token`, `NEXUS-GPT4-API-KEY`
    if (/^[A-Za-z]+(?:[-_][A-Za-z0-9]{1,12})*$/.test(v) && !(c.lower && c.upper && v.length >= 16))
        return false;
    return shannon(v) >= Math.min(3.0, Math.log2(v.length) - 1.2);
}
/**
 * A keyword inside a key (identifier characters, an optional quote or `"]`, spaces) followed by a separator of
 * assignments(), or inside a CLI flag (`--api-key`).
 */
const KEYWORDS = ['key', 'token', 'secret', 'pass', 'pwd', 'auth', 'cred', 'srt'];
const KW = `(?:${KEYWORDS.join('|')})`;
const SECRET_KEY_HINT = new RegExp(`${KW}[A-Za-z0-9_.-]{0,80}(?:${QUOTE}\\]?)?\\s{0,5}(?:${SEPARATOR}|,)|--[A-Za-z0-9_.-]{0,40}${KW}`, 'i');
/** An authorization scheme before the credential: `"Authorization": "Basic c3Zj…"` reports `c3Zj…`. */
const SCHEME = /^(?:bearer|basic|token|digest|bot|api-?token|api-?key|key|sso-key)[ \t]{1,5}(?=\S+$)/i;
/** The credential of an assignment, trimmed, without an authorization scheme; index is where it starts in the window. */
function credential(a) {
    const start = a.value.length - a.value.trimStart().length;
    let value = a.value.trim();
    const scheme = SCHEME.exec(value)?.[0].length ?? 0;
    value = value.slice(scheme);
    return { index: a.index + start + scheme, value };
}
const keyName = {
    id: 'secret/key-name',
    title: 'Secret-named key',
    summary: 'Keys named like secrets (api_key, token, client_secret, password, …) with a real-looking value; in admission files any such key.',
    docs: 'Matches JSON, YAML, env and code assignments (also inside escaped JSON `{\\"password\\":\\"…\\"}`, URL-encoded JSON ' +
        '`%22password%22%3A%22…`, and subscripts `os.environ["API_KEY"] = "…"`) and CLI flags (`--password=…`, `--api-key …`) whose key name ends in a secret word (`token`, `secret`, `password`, `passwd`, `api_key`, ' +
        '`access_token`, `client_secret`, `authorization`, `private_key`, `credentials`, …) and whose value looks like a credential: at least 8 characters, ' +
        'not a placeholder, reference (`$VAR`, `${{ secrets.X }}`, `process.env.X`), path, number or plain word. An authorization scheme ' +
        '(`"Authorization": "Basic c3Zj…"`) is not part of the value. Names such as `max_tokens`, `token_count`, ' +
        '`secret_scan`, `password_policy`, `credential_source_class`, `public_key` or `csrf_token` are not secret names. ' +
        'In an admission file any secret-named key with a value is an error, however short the value: admissions hold no secrets at all.',
    keywords: KEYWORDS,
    priority: 2,
    find(window, opts) {
        const out = [];
        // Every secret key name holds a keyword; a line where no keyword runs into a separator has no such key.
        if (!SECRET_KEY_HINT.test(window))
            return out;
        for (const a of [...assignments(window), ...flagAssignments(window)]) {
            if (!isSecretKey(a.key))
                continue;
            const { index, value: v } = credential(a);
            if (opts.kind === 'admission') {
                if (v === '' || /^(?:null|true|false)$/.test(v))
                    continue;
                out.push({ index, value: v, message: `secret-named key "${a.key}" with value ${redact(v)} in an admission file (admission files must contain no secret keys)` });
                continue;
            }
            if (!realLooking(v))
                continue;
            out.push({ index, value: v, message: `secret-named key "${a.key}" with value ${redact(v)} (secret value must not appear in SOT or artifacts)` });
        }
        return out;
    },
    examples: {
        tp: [
            'api_key: Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB',
            '"client_secret": "6da89121079f83b2eb6acccf8219ea982c3d79bc"',
            'export DB_PASSWORD=Tr0ub4dor&3xQ',
            'Token: 3fea6af1349166ea',
            'config.set("api_token", "dafa7817-e246-48f3-91a7-e87653d587b8")',
            '{"arguments":"{\\"password\\":\\"Qm7vR2xL9pK4wZ8t\\"}"}',
            'os.environ["OPENAI_API_KEY"] = "Qm7vR2xL9pK4wZ8t"',
            'headers["api_key"] = "Qm7vR2xL9pK4wZ8t"',
            'mysql --password=Qm7vR2xL9pK4wZ8t -h db',
            'tool --api-key Qm7vR2xL9pK4wZ8t',
            'data=%7B%22password%22%3A%22Qm7vR2xL9pK4wZ8t%22%7D',
            '{"req":"{\\"headers\\":{\\"Authorization\\":\\"Basic c3ZjOlFtN3ZSMnhMOXBLNHdaOHQ=\\"}}"}',
        ],
        fp: [
            'max_tokens: 4096',
            'token_count = 12817',
            '- `credential_source_class`: `pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback`',
            'password_policy: strict-rotation-every-90-days',
            'secret_scan: enabled',
            'api_key: ${{ secrets.OPENAI_API_KEY }}',
            'token = process.env.GITHUB_TOKEN',
            'public_key = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"',
            'password: changeme',
            'api_key: <your-key>',
            'echo "$PW" | docker login --password-stdin --username ci',
            'tool --token-file ./token.txt --password $DB_PASSWORD',
            'os.environ["OPENAI_API_KEY"] = os.getenv("KEY")',
            '{"out":"{\\"password\\":\\"changeme\\",\\"max_tokens\\":4096}"}',
        ],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/notion.ts



const notion = tokenDetector({
    id: 'secret/notion',
    title: 'Notion API token',
    summary: 'Notion integration tokens (ntn_ + 11 digits + 35 alphanumerics).',
    docs: 'Matches `ntn_` followed by 11 digits and 35 alphanumerics as a whole token; other lengths, upper-case `NTN_` and `ntn_xxxx` placeholders stay quiet.',
    keywords: ['ntn_'],
    pattern: atTokenStart(/ntn_\d{11}[A-Za-z0-9]{35}(?![A-Za-z0-9_-])/g),
    placeholder: (b) => /x{4,}|X{4,}/.test(b) || distinct(b) <= 3 || !/[A-Za-z]/.test(b),
    examples: {
        tp: ['NOTION_TOKEN=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'],
        fp: ['ntn_abc', 'ntn_123456789012345678901234567890123456789012345678901234567890', 'xntn_45647615172Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4U'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/npm.ts



const npm = tokenDetector({
    id: 'secret/npm',
    title: 'npm access token',
    summary: 'npm access tokens (npm_ + 36 characters).',
    docs: 'Matches `npm_` followed by 36 alphanumeric characters as a whole token, when the body looks random. `npm_config_…` variables and `npm_xxxx` placeholders stay quiet.',
    keywords: ['npm_'],
    pattern: atTokenStart(/npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, 'A-Za-z0-9_'),
    accept: (_v, body) => looksRandom(body, 36),
    examples: {
        tp: ['//registry.npmjs.org/:_authToken=npm_Na1Hedcm4pMbXDuCL1mHoOsFaQfDPrAJ71fT', 'NPM_TOKEN: npm_aZ3kL9mQ2wX7rT5yU1iO8pS4dF6gH0jK2lV5'],
        fp: ['npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'npm_config_registry=https://registry.npmjs.org', 'NPM_TOKEN=${{ secrets.NPM_TOKEN }}'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/onepassword.ts


const onepassword = tokenDetector({
    id: 'secret/1password',
    title: '1Password credential',
    summary: '1Password service-account tokens (ops_eyJ…) and account secret keys (A3-XXXXXX-…).',
    docs: 'Matches `ops_eyJ…` service-account tokens (100+ base64 characters) and 1Password secret keys `A3-` + six groups of upper-case letters and digits. Placeholders made of `X` stay quiet.',
    keywords: ['ops_eyj', 'a3-'],
    pattern: atTokenStart(/(?:ops_eyJ[A-Za-z0-9+/=_-]{100,8000}|A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}(?![A-Za-z0-9]))/g),
    prefix: (v) => (v.startsWith('ops_') ? 7 : 3),
    examples: {
        tp: ['OP_SECRET_KEY=A3-Q7RT2Z-X9LM4NP6KB1-VC3YH-8JD5F-G0SA2', 'export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSIsInVzZXJBdXRoIjp7Im1ldGhvZCI6IlNSUGctNDA5NiIsImFsZyI6IlBCRVMyZy1IUzI1NiJ9fQ'],
        fp: ['A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX', 'ops_eyJzaWduSW5B..[Redacted]'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/openai.ts



const MARKER = 'T3BlbkFJ'; // base64 of "OpenAI", embedded in every generated key
const openai = tokenDetector({
    id: 'secret/openai',
    title: 'OpenAI API key',
    summary: 'OpenAI API keys: legacy sk-…, sk-proj-, sk-svcacct-, sk-admin- keys and any key carrying the T3BlbkFJ marker.',
    docs: 'Matches `sk-` tokens (not `sk-ant-`, which is Anthropic) that either carry the `T3BlbkFJ` marker OpenAI embeds in its keys, ' +
        'or are project / service-account / admin keys (`sk-proj-`, `sk-svcacct-`, `sk-admin-`) with a long random body, ' +
        'or are legacy 48-character keys with mixed case and digits. Placeholders such as `sk-...`, `sk-xxxx` or `sk-your-key` stay quiet.',
    keywords: ['sk-'],
    // Project/service-account/admin keys have a long distinctive prefix: `pre-sk-proj-…` and `_sk-proj-…` count. A bare `sk-` must
    // not continue a word (`task-list-…`, `disk-usage-…`).
    pattern: new RegExp(`(?:${leftEdge('A-Za-z0-9')}sk-(?:proj|svcacct|admin)-|${leftEdge()}sk-(?!ant-)(?:None-)?)[A-Za-z0-9_-]{20,400}`, 'g'),
    prefix: (v) => (/^sk-(?:proj|svcacct|admin|None)-/.exec(v)?.[0].length ?? 3),
    accept: (value, body) => {
        if (value.includes(MARKER))
            return true;
        if (/^sk-(?:proj|svcacct|admin)-/.test(value))
            return body.length >= 40 && looksRandom(body, 40);
        return /^[A-Za-z0-9]{48}$/.test(body) && /[a-z]/.test(body) && /[A-Z]/.test(body) && /[0-9]/.test(body);
    },
    examples: {
        tp: [
            'OPENAI_API_KEY=sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4',
            'key: sk-Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9AiX',
            'Authorization: Bearer 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',
            'sk-svcacct-Xq3Wz8Yt1Rv6Lp9Nm2Kj5Hg8Fd1Sa4Qw7Er0Ty3Ui6Op9As2Df5Gh8Jk1Lz',
            '{"stdout":"$ cat token.txt\\nsk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4\\n"}',
            'OPENAI_KEY=pre-sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4',
        ],
        fp: ['OPENAI_API_KEY=sk-...', 'api_key: sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'sk-openai-123456', 'use a key like sk-your-key-here', 'task-list-item-with-long-descriptive-name'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/openshift.ts


const openshift = tokenDetector({
    id: 'secret/openshift',
    title: 'OpenShift user token',
    summary: 'OpenShift OAuth user tokens (sha256~ + 43 characters).',
    docs: 'Matches `sha256~` followed by 43 URL-safe characters as a whole token (`oc login --token=sha256~…`).',
    keywords: ['sha256~'],
    pattern: atTokenStart(/sha256~[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g),
    prefix: () => 7,
    examples: { tp: ['oc login --token=sha256~Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1L'], fp: ['--token=sha256~XXXXXXXXXX_PUT_YOUR_TOKEN_HERE_XXXXXXXXXXXX'] },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/private-key.ts

// A space may be URL-encoded (`%20`, or `+` in a form body): `-----BEGIN%20PRIVATE%20KEY-----`.
const BEGIN = /-----BEGIN(?:[ A-Z0-9]|%20|\+){0,30}PRIVATE(?: |%20|\+)KEY(?:(?: |%20|\+)BLOCK)?-----/g;
const MAX_BODY = 32 * 1024;
// The pieces of a key body, each tried at one position (sticky) and bounded: base64; a URL-encoded or JSON-escaped `+`, `/`
// or `=`; what may stand between its lines (a line break as such, JSON-escaped once or twice, URL-encoded; spaces, quotes,
// commas); an armor header line (`Proc-Type: 4,ENCRYPTED`, `Version: GnuPG v2`) at the start of a line.
const RUN = /[A-Za-z0-9+/=]{1,4096}/y;
const ENCODED = /%(?:2[BbFf]|3[Dd])|\\{1,3}\//y;
const BREAK = /(?:\\{1,4}[nrt]|%0[AaDd9]|%20|[\s"',]){1,256}/y;
const NEWLINE = /[\n\r]|\\[nr]|%0[AaDd]/;
const private_key_HEADER = /[A-Za-z][A-Za-z-]{1,39}:[^\n\\%]{0,256}/y;
/**
 * The base64 body that follows a BEGIN line (`after` holds at most MAX_BODY characters): pieces joined, separators and armor
 * headers dropped, `%2B` `%2F` `%3D` and `\/` decoded. It ends at the first other character: `-----END`, the next BEGIN,
 * prose. Linear: every step consumes input, and a body never reads past the next `-----BEGIN`.
 */
function body(after) {
    let out = '';
    let i = 0;
    let lineStart = false;
    const at = (re) => {
        re.lastIndex = i;
        const m = re.exec(after);
        if (m)
            i = re.lastIndex;
        return m?.[0];
    };
    while (i < after.length) {
        let s;
        if (lineStart && at(private_key_HEADER) !== undefined) {
            // an armor header line: dropped
        }
        else if ((s = at(RUN)) !== undefined)
            out += s;
        else if ((s = at(ENCODED)) !== undefined)
            out += s.endsWith('/') ? '/' : decodeURIComponent(s);
        else if ((s = at(BREAK)) !== undefined) {
            lineStart = NEWLINE.test(s);
            continue;
        }
        else
            break;
        lineStart = false;
    }
    return out;
}
const privateKey = {
    id: 'secret/private-key',
    title: 'Private key block',
    summary: 'PEM, OpenSSH, PGP and other private key blocks, including ones escaped inside JSON strings or URL-encoded.',
    docs: 'Matches `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP `PRIVATE KEY BLOCK`) followed by at least 50 characters of base64 ' +
        'key material, across lines, through `\\n` escapes in JSON (also JSON inside a JSON string, `\\\\n`) or URL-encoded ' +
        '(`-----BEGIN%20PRIVATE%20KEY-----%0A…`), anywhere in a line however long. The finding points at the BEGIN line; its value (and fingerprint) ' +
        'is the key material, the same in every encoding. Blocks whose body is `...`, `xxx`, `***` or empty stay quiet; ' +
        'public keys and certificates are never flagged.',
    keywords: ['private key', 'private%20key', 'private+key'],
    // The window runs from the start of the candidate line to the end of the text (a slice, not a copy): a BEGIN anywhere on
    // that line is found, however long the line, and each body is read from its BEGIN, at most MAX_BODY characters.
    windowAfter: Infinity,
    find(window) {
        const out = [];
        const nl = window.indexOf('\n');
        const line = nl < 0 ? window : window.slice(0, nl);
        BEGIN.lastIndex = 0;
        for (let m = BEGIN.exec(line); m !== null; m = BEGIN.exec(line)) {
            const from = m.index + m[0].length;
            const b = body(window.slice(from, from + MAX_BODY));
            if (b.length < 50 || distinct(b) < 20 || /x{6,}|X{6,}/.test(b))
                continue;
            out.push({ index: m.index, value: b });
        }
        return out;
    },
    examples: {
        tp: [
            '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAq7Zr2Xt9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Qu7Wz1Lk3Mj5Nh7Bg9Vf2Cd4\nXs6Za8Qw0Er2Ty4Ui6Op8As0Df2Gh4Jk6Lz8Xc0Vb2Nm4Qa6Ws8Ed0Rf2Tg4Yh6Uj8Ik0Ol2\n-----END RSA PRIVATE KEY-----',
            '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDq7Zr2Xt9Lm4Np6Kb1\\n-----END PRIVATE KEY-----\\n"}',
            '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACAxSChbEXO6DKOLpzlLEaypbXSwfRqlS8UnaSHWR8HaIgAAAKDFNoOuxTaD\n-----END OPENSSH PRIVATE KEY-----',
            '{"tool":"read","output":"{\\"private_key\\":\\"-----BEGIN PRIVATE KEY-----\\\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDq7Zr2Xt9Lm4Np6Kb1\\\\n-----END PRIVATE KEY-----\\\\n\\"}"}',
            'key=-----BEGIN%20PRIVATE%20KEY-----%0AMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDq7Zr2Xt9Lm4Np6Kb1%2B%2F%0A-----END%20PRIVATE%20KEY-----',
        ],
        fp: [
            '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
            '-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----',
            '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq7Zr2Xt9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2\n-----END PUBLIC KEY-----',
            'the private key must never be committed',
            'key=-----BEGIN%20PRIVATE%20KEY-----%0A...%0A-----END%20PRIVATE%20KEY-----',
        ],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/sendgrid.ts


const sendgrid = tokenDetector({
    id: 'secret/sendgrid',
    title: 'SendGrid API key',
    summary: 'SendGrid API keys (SG.<22>.<43>).',
    docs: 'Matches `SG.` followed by a 22-character id and a 43-character secret, separated by a dot.',
    keywords: ['sg.'],
    pattern: atTokenStart(/SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g),
    prefix: () => 3,
    examples: {
        tp: ['SENDGRID_API_KEY=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'],
        fp: ['SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'SG.config'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/sentry.ts


const sentry = tokenDetector({
    id: 'secret/sentry',
    title: 'Sentry token',
    summary: 'Sentry organization (sntrys_) and user (sntryu_) auth tokens.',
    docs: 'Matches `sntrys_eyJ…` organization tokens (base64 JSON claims plus a secret) and `sntryu_` followed by 64 hex characters.',
    keywords: ['sntrys_', 'sntryu_'],
    pattern: atTokenStart(/(?:sntrys_eyJ[A-Za-z0-9+/=_-]{30,2000}|sntryu_[a-f0-9]{64}(?![A-Za-z0-9]))/g),
    prefix: () => 7,
    examples: {
        tp: ['SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MjkyNzg1ODEuMDgxMTUzLCJ1cmwiOiJodHRwczovL3NlbnRyeS5pbyJ9_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4U'],
        fp: ['sntrys_xxxxxxxxxxxxxxxx', 'sntrys_eyJxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/slack.ts


const TOKEN = atTokenStart(/(?:xoxe\.)?xox[abposre]-[A-Za-z0-9-]{8,300}/g, 'A-Za-z0-9.');
const APP = atTokenStart(/xapp-\d-[A-Za-z0-9]{9,12}-\d{10,14}-[A-Za-z0-9]{32,80}(?![A-Za-z0-9])/g);
const WEBHOOK = /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,200}/g;
// The same URL percent-encoded (a query parameter, a form body): `https%3A%2F%2Fhooks.slack.com%2Fservices%2FT…%2FB…%2F…`.
const WEBHOOK_ENCODED = /https?%3[Aa]%2[Ff]%2[Ff]hooks\.slack\.com%2[Ff](?:services|workflows|triggers)%2[Ff](?:[A-Za-z0-9+_-]|%2[Ff]){20,300}/g;
/** A webhook URL (decoded) with team, channel and a random secret part, not `T000/B000/XXXX`. */
function validWebhook(url) {
    const parts = url.split('/').slice(4);
    const last = parts[parts.length - 1] ?? '';
    return parts.length >= 3 && !isPlaceholderBody(parts.join('')) && last.length >= 16 && looksRandom(last, 16);
}
function validToken(v) {
    const config = /^(?:xoxe\.xox[a-z]-\d-|xoxe-\d-)/.exec(v);
    if (config) {
        const body = v.slice(config[0].length);
        return body.length >= 60 && !isPlaceholderBody(body) && looksRandom(body, 60);
    }
    const segments = v.slice(5).split('-');
    const last = segments[segments.length - 1] ?? '';
    if (segments.length < 2 || last.length < 8)
        return false;
    if (!segments.some((s) => /^\d{8,}$/.test(s)))
        return false;
    if (isPlaceholderBody(last) || segments.some((s) => /x{3,}/i.test(s)))
        return false;
    return /[0-9]/.test(last) || (/[a-z]/.test(last) && /[A-Z]/.test(last));
}
const slack = {
    id: 'secret/slack',
    title: 'Slack token',
    summary: 'Slack bot/user/app/config tokens (xoxb-, xoxp-, xoxa-, xoxs-, xoxe-, xapp-) and incoming webhook URLs.',
    docs: 'Matches Slack tokens by structure: an `xox?-` prefix, a numeric team/user id segment of 8+ digits and a random final segment; ' +
        'long configuration tokens (`xoxe.xoxp-1-…`, `xoxe-1-…`); app-level tokens (`xapp-1-…`) and `hooks.slack.com` webhook URLs, also percent-encoded. ' +
        'Placeholders like `xoxb-xxx`, `xoxb-my-bot-token` or `T000/B000/XXXX` webhooks stay quiet.',
    keywords: ['xox', 'xapp-', 'hooks.slack.com'],
    find(window) {
        return [
            ...findAll(window, TOKEN, validToken),
            ...findAll(window, APP, (v) => !isPlaceholderBody(v.slice(7))),
            ...findAll(window, WEBHOOK, validWebhook),
            ...findAll(window, WEBHOOK_ENCODED, (v) => validWebhook(v.replace(/%2F/gi, '/').replace(/%3A/gi, ':'))),
        ];
    },
    examples: {
        tp: [
            'SLACK_BOT_TOKEN=xoxb-284719305527-3391048827712-Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8',
            '"user_token": "xoxp-41684372915-1320496754-45609968301-7c2e9a1b4d6f8e0a3c5b7d9f1e2a4c6b"',
            'webhook: https://hooks.slack.com/services/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',
            'xapp-1-A05R7X1LPQZ-5171572773297-9f2c4e6a8b0d1f3e5a7c9b2d4f6e8a0c1b3d5f7e9a2c4e6b8d0f1a3c5e7b9d2f',
            'GET /cb?value=https%3A%2F%2Fhooks.slack.com%2Fservices%2F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&x=1',
        ],
        fp: ['xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx', 'xoxb-12345-abcd234', 'xoxb-xoxb-my-bot-token', 'https://hooks.slack.com/services/TXXXXX/BXXXXX/XXXXXXXXXX', 'url=https%3A%2F%2Fhooks.slack.com%2Fservices%2FT000%2FB000%2FXXXXXXXXXXXXXXXXXXXX', 'xoxe.xoxp-1-RANDOMSTRINGHERE'],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/sourcegraph.ts


const sourcegraph = tokenDetector({
    id: 'secret/sourcegraph',
    title: 'Sourcegraph access token',
    summary: 'Sourcegraph access tokens (sgp_…).',
    docs: 'Matches `sgp_` followed by 40 hex characters, optionally preceded by a 16-hex-character instance id (`sgp_<16>_<40>`).',
    keywords: ['sgp_'],
    pattern: atTokenStart(/sgp_(?:[a-fA-F0-9]{16}_)?[a-fA-F0-9]{40}(?![A-Za-z0-9_!-])/g),
    examples: {
        tp: ['SRC_ACCESS_TOKEN=sgp_0D697F54cb24238EefB29af05Abf1b505E90950A', 'sgp_AaD80dc6E02eCAE1_d3cba16CC0F18fA14A2EFB61CbDFceEBf9fAD16c'],
        fp: ['sgp_5555555dAAAAA7777777CcccCFaaaaaaaaaaaaaa', 'sgp_local_d45b6G86aBb0F2Cee943902dbaDBCFCFDD1dA089', 'sgp_652d9a2e48FC7E!FcDbEA1BC2E2A6CE23cFe7F7D'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/stripe.ts


const stripe = tokenDetector({
    id: 'secret/stripe',
    title: 'Stripe secret key',
    summary: 'Stripe secret and restricted keys (sk_live_, rk_live_, sk_test_, rk_test_, *_prod_).',
    docs: 'Matches Stripe secret (`sk_`) and restricted (`rk_`) keys in live, test or prod mode with a body of 20+ alphanumerics. Publishable keys (`pk_live_…`) are public and stay quiet, as do short or repeated-character placeholders.',
    keywords: ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_'],
    pattern: atTokenStart(/[sr]k_(?:live|test|prod)_[A-Za-z0-9]{20,247}(?![A-Za-z0-9])/g, 'A-Za-z0-9_'),
    prefix: (v) => v.indexOf('_', 3) + 1,
    examples: {
        tp: ['STRIPE_SECRET_KEY=sk_live_51Hq7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4', 'stripe.api_key = "rk_test_4eC39HqLyjWDarjtT1zdp7dc2Xq8Rm5Nw"'],
        fp: ['pk_live_AAAAAAAAAAAAAAAAAAAAAAAA', 'sk_live_short', 'xsk_live_AAAAAAAAAAAAAAAAAAAAAAAA', 'sk_test_XXXXXXXXXXXXXXXXXXXXXXXX'],
    },
});

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_namespaceObject);
;// CONCATENATED MODULE: ./node_modules/balanced-match/dist/esm/index.js
const balanced = (a, b, str) => {
    const ma = a instanceof RegExp ? maybeMatch(a, str) : a;
    const mb = b instanceof RegExp ? maybeMatch(b, str) : b;
    const r = ma !== null && mb != null && range(ma, mb, str);
    return (r && {
        start: r[0],
        end: r[1],
        pre: str.slice(0, r[0]),
        body: str.slice(r[0] + ma.length, r[1]),
        post: str.slice(r[1] + mb.length),
    });
};
const maybeMatch = (reg, str) => {
    const m = str.match(reg);
    return m ? m[0] : null;
};
const range = (a, b, str) => {
    let begs, beg, left, right = undefined, result;
    let ai = str.indexOf(a);
    let bi = str.indexOf(b, ai + 1);
    let i = ai;
    if (ai >= 0 && bi > 0) {
        if (a === b) {
            return [ai, bi];
        }
        begs = [];
        left = str.length;
        while (i >= 0 && !result) {
            if (i === ai) {
                begs.push(i);
                ai = str.indexOf(a, i + 1);
            }
            else if (begs.length === 1) {
                const r = begs.pop();
                if (r !== undefined)
                    result = [r, bi];
            }
            else {
                beg = begs.pop();
                if (beg !== undefined && beg < left) {
                    left = beg;
                    right = bi;
                }
                bi = str.indexOf(b, i + 1);
            }
            i = ai < bi && ai >= 0 ? ai : bi;
        }
        if (begs.length && right !== undefined) {
            result = [left, right];
        }
    }
    return result;
};
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./node_modules/brace-expansion/dist/esm/index.js

const escSlash = '\0SLASH' + Math.random().toFixed(16) + '\0';
const escOpen = '\0OPEN' + Math.random().toFixed(16) + '\0';
const escClose = '\0CLOSE' + Math.random().toFixed(16) + '\0';
const escComma = '\0COMMA' + Math.random().toFixed(16) + '\0';
const escPeriod = '\0PERIOD' + Math.random().toFixed(16) + '\0';
const escSlashPattern = new RegExp(escSlash, 'g');
const escOpenPattern = new RegExp(escOpen, 'g');
const escClosePattern = new RegExp(escClose, 'g');
const escCommaPattern = new RegExp(escComma, 'g');
const escPeriodPattern = new RegExp(escPeriod, 'g');
const slashPattern = /\\\\/g;
const openPattern = /\\{/g;
const closePattern = /\\}/g;
const commaPattern = /\\,/g;
const periodPattern = /\\\./g;
const EXPANSION_MAX = 100_000;
// `EXPANSION_MAX` caps the *number* of expansions, but not their length. An
// input like `'{a,b}'.repeat(1500)` stays under that count - its output is
// truncated to 100k results - while making every result ~1500 characters
// long. The result set, and the intermediate arrays built while combining
// brace sets, then grow large enough to exhaust memory and crash the process
// (CVE-2026-14257). `EXPANSION_MAX_LENGTH` bounds the total number of
// characters the accumulator may hold at any point, so memory stays flat no
// matter how many brace groups are chained. The limit sits well above any
// realistic expansion (100k results hitting `EXPANSION_MAX` measure ~1M
// characters) so legitimate input is unaffected.
const EXPANSION_MAX_LENGTH = 4_000_000;
// `expand_` recurses once per level of brace *nesting* - both when expanding a
// set's comma members and when re-wrapping a set whose body is a single part.
// The CVE-2026-14257 fix made the *tail* iterative (recursion on `m.post`, one
// level per chained group), which left nesting depth unbounded: about 3,100
// levels of `{{{...a,b...}}}` - only ~6KB of input - exhausted the native stack
// and crashed the process. `EXPANSION_MAX_DEPTH` bounds how deep the parser
// will follow nesting. It sits far above any realistic pattern and well below
// the depth at which the stack runs out.
const EXPANSION_MAX_DEPTH = 1_000;
// Bash keeps a quirk where a brace group followed by a comma set still expands
// (`{a},b}`). The parser implements it by rewriting the string and restarting
// the scan, absorbing one `}` per pass. `n` trailing braces therefore cost `n`
// full passes over a string that itself grows by one `escClose` sentinel each
// time - quadratic in `n`, with a ~26x constant from the sentinel's length.
// 128KB of `'{a}' + '}'.repeat(n) + ',z}'` blocked the event loop for 27
// seconds to produce two results. `EXPANSION_MAX_REWRITES` bounds how many
// times the scan may restart. Real `{a},b}` input needs a handful.
const EXPANSION_MAX_REWRITES = 1_000;
// `EXPANSION_MAX_STEPS` bounds the work one `expand` call does, which `max`,
// `maxLength` and `maxDepth` don't: nested sets are rescanned at every level
// and chained groups each rebuild up to `max` results, so 2KB of input could
// block the event loop for over 30 seconds. Each character scanned, result
// built and sequence value generated is a step, and each `expand_` call costs
// `CALL_STEPS` more. Past the budget, the set being expanded and everything
// after it stay literal. A glob needs a few hundred steps, and nesting all the
// way to `EXPANSION_MAX_DEPTH` about 4M.
const EXPANSION_MAX_STEPS = 20_000_000;
// What one `expand_` call costs on top of what it scans and builds. Setting
// one up takes about as long as scanning 16 characters, and a set whose
// results are wrapped to be expanded again makes one call per result, each
// scanning and building next to nothing: 64KB of
// `('{{' + ','.repeat(316) + '}{' + ','.repeat(316) + '}}').repeat(n)` made
// 4M such calls, which spent the budget three times as slowly as anything
// else.
const CALL_STEPS = 16;
function numeric(str) {
    return !isNaN(str) ? parseInt(str, 10) : str.charCodeAt(0);
}
function escapeBraces(str) {
    return str
        .replace(slashPattern, escSlash)
        .replace(openPattern, escOpen)
        .replace(closePattern, escClose)
        .replace(commaPattern, escComma)
        .replace(periodPattern, escPeriod);
}
function unescapeBraces(str) {
    return str
        .replace(escSlashPattern, '\\')
        .replace(escOpenPattern, '{')
        .replace(escClosePattern, '}')
        .replace(escCommaPattern, ',')
        .replace(escPeriodPattern, '.');
}
// Like `target.push(...items)` but doesn't overflow the stack
function pushAll(target, items) {
    for (let i = 0; i < items.length; i++) {
        target.push(items[i]);
    }
}
// `balanced`, run on `masked` (see `maskUnmatchedOpens`), sliced from `str`
// and charged for the characters it walks: up to the group's `}`, or the
// whole string when there is no match or unmatched `{` come first, which
// `unmatched` then flags for masking. Once a call overdraws the budget, it
// and every later one return undefined, so the rest stays literal.
function balancedWithBudget(str, masked, budget) {
    if (budget.remaining < 0) {
        return undefined;
    }
    const r = range('{', '}', masked);
    const unmatched = r !== undefined && masked.indexOf('{') < r[0];
    budget.remaining -= r && !unmatched ? r[1] + 1 : str.length;
    if (!r || budget.remaining < 0) {
        return undefined;
    }
    return {
        end: r[1],
        pre: str.slice(0, r[0]),
        body: str.slice(r[0] + 1, r[1]),
        post: str.slice(r[1] + 1),
        unmatched,
    };
}
// `masked` with every `{` that has no matching `}` swapped for a `\0`, which
// keeps the length, so a scan of it still lines up with the string it was
// made from. Such a `{` is literal either way, but `balanced` only learns that
// one is unmatched by reading to the end of the string, so with one at the
// head of every group (`'{a,{b,c}'.repeat(n)`) each scan read the rest of the
// input. That was quadratic, and once the step budget charged for it, it ran
// out partway through and left the rest literal. A scan of the masked copy
// stops at the group's `}`. It is one pass, charged as such.
function maskUnmatchedOpens(masked, budget) {
    budget.remaining -= masked.length;
    const open = [];
    for (let i = 0; i < masked.length; i++) {
        const c = masked.charCodeAt(i);
        if (c === 0x7b) {
            open.push(i);
        }
        else if (c === 0x7d && open.length) {
            open.pop();
        }
    }
    let out = '';
    let last = 0;
    for (let i = 0; i < open.length; i++) {
        const at = open[i];
        out += masked.slice(last, at) + '\0';
        last = at + 1;
    }
    return out + masked.slice(last);
}
// Whether `str` has a `,` not followed by another `,`, with a `}` after it on
// the same line - what `/,(?!,).*\}/.test(str)` asks, answered in one pass from
// the end. The regex tries every `,` and backtracks through the rest of its
// line from each, which is quadratic, and the `{a},b}` rewrite asks again on
// every pass. Like a scan, it is charged for the whole string and refused if
// that overdraws the budget.
function commaSetFollows(str, budget) {
    budget.remaining -= str.length;
    if (budget.remaining < 0) {
        return false;
    }
    // Whether a `}` follows the current position before the line ends
    let close = false;
    for (let i = str.length - 1; i >= 0; i--) {
        const c = str.charCodeAt(i);
        if (c === 0x7d) {
            close = true;
        }
        else if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) {
            // A line terminator, which `.` does not match
            close = false;
        }
        else if (c === 0x2c && close && str.charCodeAt(i + 1) !== 0x2c) {
            return true;
        }
    }
    return false;
}
/**
 * Basically just str.split(","), but handling cases
 * where we have nested braced sections, which should be
 * treated as individual members, like {a,{b,c},d}
 *
 * Returns `undefined` if the step budget runs out before the whole set is
 * split, since splitting what is left on every comma would tear apart the
 * nested sets it still holds.
 */
function parseCommaParts(str, budget) {
    const parts = [];
    // Walk the brace groups iteratively. Recursing on `post` once per group let a
    // chain of them exhaust the stack - the parsing-side counterpart to
    // the `expand_` overflow fixed for CVE-2026-14257, and not something `max` or
    // `maxLength` can bound, since it happens before expansion.
    //
    // The part the next chunk continues
    let carry = '';
    for (;;) {
        // A set's body holds no unmatched `{`, so there is nothing to mask.
        const m = balancedWithBudget(str, str, budget);
        if (budget.remaining < 0) {
            return undefined;
        }
        if (!m) {
            const tail = str.split(',');
            tail[0] = carry + tail[0];
            pushAll(parts, tail);
            return parts;
        }
        const { pre, body, post } = m;
        const p = pre.split(',');
        p[0] = carry + p[0];
        p[p.length - 1] += '{' + body + '}';
        if (!post.length) {
            pushAll(parts, p);
            return parts;
        }
        carry = p.pop();
        pushAll(parts, p);
        str = post;
    }
}
// An option that is left out, or that is NaN, gets its default. Every
// comparison against NaN is false, so a NaN bound would never be reached:
// `{ maxSteps: NaN }` let 15KB of input block the event loop for 16 seconds,
// and `{ maxDepth: NaN }` overflowed the stack again (CVE-2026-102278). Pass
// `Infinity` to lift a bound.
function bound(value, fallback) {
    return value === undefined || isNaN(value) ? fallback : value;
}
function expand(str, options = {}) {
    if (!str) {
        return [];
    }
    const max = bound(options.max, EXPANSION_MAX);
    const maxLength = bound(options.maxLength, EXPANSION_MAX_LENGTH);
    const maxDepth = bound(options.maxDepth, EXPANSION_MAX_DEPTH);
    const maxRewrites = bound(options.maxRewrites, EXPANSION_MAX_REWRITES);
    const maxSteps = bound(options.maxSteps, EXPANSION_MAX_STEPS);
    // I don't know why Bash 4.3 does this, but it does.
    // Anything starting with {} will have the first two bytes preserved
    // but *only* at the top level, so {},a}b will not expand to anything,
    // but a{},b}c will be expanded to [a}c,abc].
    // One could argue that this is a bug in Bash, but since the goal of
    // this module is to match Bash's rules, we escape a leading {}
    if (str.slice(0, 2) === '{}') {
        str = '\\{\\}' + str.slice(2);
    }
    return expand_(escapeBraces(str), max, maxLength, maxDepth, 0, maxRewrites, { remaining: maxSteps }, true).map(unescapeBraces);
}
function embrace(str) {
    return '{' + str + '}';
}
function isPadded(el) {
    return /^-?0\d/.test(el);
}
function lte(i, y) {
    return i <= y;
}
function gte(i, y) {
    return i >= y;
}
// Build `{ acc[a] + pre + values[v] }` for every combination, capping the
// number of results at `max` and the total number of characters at `maxLength`.
// This is the one place output grows, so bounding it here keeps the single
// accumulator - and therefore memory - flat regardless of how many brace groups
// are combined (CVE-2026-14257). Each result built is a step, since `max` and
// `maxLength` bound one combination, not how many brace groups are combined.
function combine(acc, pre, values, max, maxLength, dropEmpties, budget) {
    const out = [];
    let length = 0;
    // Bash drops empty results at the top level, and they don't count against
    // `max`, so `max` bounds the number of *kept* results. Only an empty
    // `acc[a] + pre` can make one, so for those the empty values are skipped
    // without being visited. Visiting them one at a time let a set of empties
    // cost `acc.length * values.length` while keeping nothing.
    let nonEmpty;
    outer: for (let a = 0; a < acc.length; a++) {
        const prefix = acc[a] + pre;
        let vs = values;
        if (dropEmpties && !prefix) {
            if (!nonEmpty)
                nonEmpty = values.filter(v => v);
            vs = nonEmpty;
        }
        for (let v = 0; v < vs.length; v++) {
            if (out.length >= max)
                break outer;
            const expansion = prefix + vs[v];
            if (length + expansion.length > maxLength)
                break outer;
            out.push(expansion);
            length += expansion.length;
        }
    }
    budget.remaining -= out.length;
    return out;
}
// The expansion values of a single numeric (`1..5`) or alphabetic (`a..e..2`)
// sequence body, or `undefined` if the step budget runs out generating them.
function expandSequence(body, isAlphaSequence, max, maxLength, budget) {
    const n = body.split(/\.\./);
    const N = [];
    // A sequence body always splits into two or three parts, but the compiler
    // can't know that.
    /* c8 ignore start */
    if (n[0] === undefined || n[1] === undefined) {
        return N;
    }
    /* c8 ignore stop */
    const x = numeric(n[0]);
    const y = numeric(n[1]);
    const width = Math.max(n[0].length, n[1].length);
    let incr = n.length === 3 && n[2] !== undefined ?
        Math.max(Math.abs(numeric(n[2])), 1)
        : 1;
    let test = lte;
    const reverse = y < x;
    if (reverse) {
        incr *= -1;
        test = gte;
    }
    const pad = n.some(isPadded);
    // A padded value is built a character at a time to `width`, which the input
    // sets, so it costs one step per character: 64KB of
    // `('{' + '0'.repeat(100) + '..99999}').repeat(n)` took 7 seconds charged
    // one step per value.
    const cost = pad ? width : 1;
    let length = 0;
    for (let i = x; test(i, y) && N.length < max; i += incr) {
        // Each value is a step. `max` and `maxLength` bound one sequence, but a
        // chain of them still generated up to `max` values each, however few
        // combining could keep.
        budget.remaining -= cost;
        if (budget.remaining < 0) {
            return undefined;
        }
        let c;
        if (isAlphaSequence) {
            c = String.fromCharCode(i);
            if (c === '\\') {
                c = '';
            }
        }
        else {
            c = String(i);
            if (pad) {
                const need = width - c.length;
                if (need > 0) {
                    const z = new Array(need + 1).join('0');
                    if (i < 0) {
                        c = '-' + z + c.slice(1);
                    }
                    else {
                        c = z + c;
                    }
                }
            }
        }
        if (length + c.length > maxLength)
            break;
        N.push(c);
        length += c.length;
    }
    return N;
}
function expand_(str, max, maxLength, maxDepth, depth, maxRewrites, budget, isTop) {
    // An overdraft here makes the first scan refuse, so `str` stays literal.
    budget.remaining -= CALL_STEPS;
    // Too deeply nested to keep following: treat the rest as literal, the same
    // way a group that cannot expand is already handled. Truncating rather than
    // throwing keeps `expand` total, matching `max` and `maxLength`.
    if (depth > maxDepth) {
        return [str];
    }
    // Consume the string's top-level brace groups left to right, threading a
    // running set of combined prefixes (`acc`). Expanding the tail iteratively -
    // rather than recursing on `m.post` once per group - keeps the native stack
    // depth constant, so deeply chained input (`'{a,b}'.repeat(3000)`) can no
    // longer overflow the stack, and leaves a single accumulator whose size
    // `maxLength` bounds directly (CVE-2026-14257).
    let acc = [''];
    // Bash drops empty results, but only when the *first* top-level group is a
    // comma set - a sequence like `{a..\}` may legitimately yield ''. The drop
    // is on the final strings, so it is applied to whichever `combine` produces
    // them (the one with no brace set left in the tail).
    // How many times the `{a},b}` rewrite below has restarted the scan. Each pass
    // re-reads the whole string, so leaving this unbounded is quadratic.
    let rewrites = 0;
    let dropEmpties = false;
    let firstGroup = true;
    // `str` with its unmatched `{` masked, once a scan has run into them
    let masked = str;
    for (;;) {
        const m = balancedWithBudget(str, masked, budget);
        // No brace set left, or no step budget left to look for one: the rest of
        // the string is literal.
        if (!m) {
            return combine(acc, str, [''], max, maxLength, dropEmpties, budget);
        }
        if (m.unmatched) {
            masked = maskUnmatchedOpens(masked, budget);
        }
        // no need to expand pre, since it is guaranteed to be free of brace-sets
        const pre = m.pre;
        // This set and the rest of the string, literal: for a set that cannot
        // expand, and for one the step budget runs out on. Once it is overdrawn,
        // every set still being expanded, at every level, stays literal like this -
        // otherwise each level above would go on combining, and wrapping and
        // expanding again, results the budget was too small for.
        const literal = () => combine(acc, pre + '{' + m.body + '}' + m.post, [''], max, maxLength, dropEmpties, budget);
        if (/\$$/.test(pre)) {
            acc = combine(acc, pre + '{' + m.body + '}', [''], max, maxLength, dropEmpties && !m.post.length, budget);
            firstGroup = false;
            if (!m.post.length)
                break;
            str = m.post;
            masked = masked.slice(m.end + 1);
            continue;
        }
        const isNumericSequence = /^-?\d+\.\.-?\d+(?:\.\.-?\d+)?$/.test(m.body);
        const isAlphaSequence = /^[a-zA-Z]\.\.[a-zA-Z](?:\.\.-?\d+)?$/.test(m.body);
        const isSequence = isNumericSequence || isAlphaSequence;
        const isOptions = m.body.indexOf(',') >= 0;
        if (!isSequence && !isOptions) {
            // {a},b}
            if (rewrites < maxRewrites && commaSetFollows(m.post, budget)) {
                rewrites++;
                str = m.pre + '{' + m.body + escClose + m.post;
                // Taking a `}` away never gives an unmatched `{` a partner, so what
                // is masked stays unmatched. The `{` it closed can be left without
                // one, and the next scan masks it.
                masked =
                    masked.slice(0, m.end) + escClose + masked.slice(m.end + 1);
                isTop = true;
                continue;
            }
            // Nothing here expands, so the whole remaining string is literal.
            return literal();
        }
        if (firstGroup) {
            dropEmpties = isTop && !isSequence;
            firstGroup = false;
        }
        let values;
        if (isSequence) {
            values = expandSequence(m.body, isAlphaSequence, max, maxLength, budget);
            if (!values) {
                return literal();
            }
        }
        else {
            let n = parseCommaParts(m.body, budget);
            // The step budget ran out partway through the set.
            if (!n) {
                return literal();
            }
            if (n.length === 1 && n[0] !== undefined) {
                // x{{a,b}}y ==> x{a}y x{b}y
                n = expand_(n[0], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false).map(embrace);
                // The step budget ran out expanding the set's only part.
                if (budget.remaining < 0) {
                    return literal();
                }
                //XXX is this necessary? Can't seem to hit it in tests.
                /* c8 ignore start */
                if (n.length === 1) {
                    const next = combine(acc, pre + n[0], [''], max, maxLength, dropEmpties && !m.post.length, budget);
                    if (budget.remaining < 0) {
                        return literal();
                    }
                    acc = next;
                    if (!m.post.length)
                        break;
                    str = m.post;
                    masked = masked.slice(m.end + 1);
                    continue;
                }
                /* c8 ignore stop */
            }
            // Values that `combine` is going to drop as empty produce no result, so
            // they must not count against `max` - otherwise `{a,,b}` with `max: 2`
            // would stop at `['a', '']` and yield one result instead of two. Skipping
            // them outright keeps `values` bounded while leaving `max` a bound on
            // *kept* results.
            let dropsEmpties = dropEmpties && !m.post.length && !pre;
            for (let d = 0; dropsEmpties && d < acc.length; d++) {
                if (acc[d]) {
                    dropsEmpties = false;
                }
            }
            values = [];
            let valuesLength = 0;
            outer: for (let j = 0; j < n.length; j++) {
                const expanded = expand_(n[j], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false);
                // The step budget ran out expanding a member.
                if (budget.remaining < 0) {
                    return literal();
                }
                for (let k = 0; k < expanded.length; k++) {
                    const v = expanded[k];
                    if (dropsEmpties && !v)
                        continue;
                    if (values.length >= max ||
                        valuesLength + v.length > maxLength) {
                        break outer;
                    }
                    values.push(v);
                    valuesLength += v.length;
                }
            }
        }
        const next = combine(acc, pre, values, max, maxLength, dropEmpties && !m.post.length, budget);
        // The step budget ran out combining the set's values in.
        if (budget.remaining < 0) {
            return literal();
        }
        acc = next;
        if (!m.post.length)
            break;
        str = m.post;
        masked = masked.slice(m.end + 1);
    }
    return acc;
}
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/assert-valid-pattern.js
const MAX_PATTERN_LENGTH = 1024 * 64;
const assertValidPattern = (pattern) => {
    if (typeof pattern !== 'string') {
        throw new TypeError('invalid pattern');
    }
    if (pattern.length > MAX_PATTERN_LENGTH) {
        throw new TypeError('pattern is too long');
    }
};
//# sourceMappingURL=assert-valid-pattern.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/brace-expressions.js
// translate the various posix character classes into unicode properties
// this works across all unicode locales
// { <posix class>: [<translation>, /u flag required, negated]
const posixClasses = {
    '[:alnum:]': ['\\p{L}\\p{Nl}\\p{Nd}', true],
    '[:alpha:]': ['\\p{L}\\p{Nl}', true],
    '[:ascii:]': ['\\x' + '00-\\x' + '7f', false],
    '[:blank:]': ['\\p{Zs}\\t', true],
    '[:cntrl:]': ['\\p{Cc}', true],
    '[:digit:]': ['\\p{Nd}', true],
    '[:graph:]': ['\\p{Z}\\p{C}', true, true],
    '[:lower:]': ['\\p{Ll}', true],
    '[:print:]': ['\\p{C}', true],
    '[:punct:]': ['\\p{P}', true],
    '[:space:]': ['\\p{Z}\\t\\r\\n\\v\\f', true],
    '[:upper:]': ['\\p{Lu}', true],
    '[:word:]': ['\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}', true],
    '[:xdigit:]': ['A-Fa-f0-9', false],
};
// only need to escape a few things inside of brace expressions
// escapes: [ \ ] -
const braceEscape = (s) => s.replace(/[[\]\\-]/g, '\\$&');
// escape all regexp magic characters
const regexpEscape = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');
// everything has already been escaped, we just have to join
const rangesToString = (ranges) => ranges.join('');
// takes a glob string at a posix brace expression, and returns
// an equivalent regular expression source, and boolean indicating
// whether the /u flag needs to be applied, and the number of chars
// consumed to parse the character class.
// This also removes out of order ranges, and returns ($.) if the
// entire class just no good.
const parseClass = (glob, position) => {
    const pos = position;
    /* c8 ignore start */
    if (glob.charAt(pos) !== '[') {
        throw new Error('not in a brace expression');
    }
    /* c8 ignore stop */
    const ranges = [];
    const negs = [];
    let i = pos + 1;
    let sawStart = false;
    let uflag = false;
    let escaping = false;
    let negate = false;
    let endPos = pos;
    let rangeStart = '';
    WHILE: while (i < glob.length) {
        const c = glob.charAt(i);
        if ((c === '!' || c === '^') && i === pos + 1) {
            negate = true;
            i++;
            continue;
        }
        if (c === ']' && sawStart && !escaping) {
            endPos = i + 1;
            break;
        }
        sawStart = true;
        if (c === '\\') {
            if (!escaping) {
                escaping = true;
                i++;
                continue;
            }
            // escaped \ char, fall through and treat like normal char
        }
        if (c === '[' && !escaping) {
            // either a posix class, a collation equivalent, or just a [
            for (const [cls, [unip, u, neg]] of Object.entries(posixClasses)) {
                if (glob.startsWith(cls, i)) {
                    // invalid, [a-[] is fine, but not [a-[:alpha]]
                    if (rangeStart) {
                        return ['$.', false, glob.length - pos, true];
                    }
                    i += cls.length;
                    if (neg)
                        negs.push(unip);
                    else
                        ranges.push(unip);
                    uflag = uflag || u;
                    continue WHILE;
                }
            }
        }
        // now it's just a normal character, effectively
        escaping = false;
        if (rangeStart) {
            // throw this range away if it's not valid, but others
            // can still match.
            if (c > rangeStart) {
                ranges.push(braceEscape(rangeStart) + '-' + braceEscape(c));
            }
            else if (c === rangeStart) {
                ranges.push(braceEscape(c));
            }
            rangeStart = '';
            i++;
            continue;
        }
        // now might be the start of a range.
        // can be either c-d or c-] or c<more...>] or c] at this point
        if (glob.startsWith('-]', i + 1)) {
            ranges.push(braceEscape(c + '-'));
            i += 2;
            continue;
        }
        if (glob.startsWith('-', i + 1)) {
            rangeStart = c;
            i += 2;
            continue;
        }
        // not the start of a range, just a single character
        ranges.push(braceEscape(c));
        i++;
    }
    if (endPos < i) {
        // didn't see the end of the class, not a valid class,
        // but might still be valid as a literal match.
        return ['', false, 0, false];
    }
    // if we got no ranges and no negates, then we have a range that
    // cannot possibly match anything, and that poisons the whole glob
    if (!ranges.length && !negs.length) {
        return ['$.', false, glob.length - pos, true];
    }
    // if we got one positive range, and it's a single character, then that's
    // not actually a magic pattern, it's just that one literal character.
    // we should not treat that as "magic", we should just return the literal
    // character. [_] is a perfectly valid way to escape glob magic chars.
    if (negs.length === 0 &&
        ranges.length === 1 &&
        /^\\?.$/.test(ranges[0]) &&
        !negate) {
        const r = ranges[0].length === 2 ? ranges[0].slice(-1) : ranges[0];
        return [regexpEscape(r), false, endPos - pos, false];
    }
    const sranges = '[' + (negate ? '^' : '') + rangesToString(ranges) + ']';
    const snegs = '[' + (negate ? '' : '^') + rangesToString(negs) + ']';
    const comb = ranges.length && negs.length ? '(' + sranges + '|' + snegs + ')'
        : ranges.length ? sranges
            : snegs;
    return [comb, uflag, endPos - pos, true];
};
//# sourceMappingURL=brace-expressions.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/unescape.js
/**
 * Un-escape a string that has been escaped with {@link escape}.
 *
 * If the {@link MinimatchOptions.windowsPathsNoEscape} option is used, then
 * square-bracket escapes are removed, but not backslash escapes.
 *
 * For example, it will turn the string `'[*]'` into `*`, but it will not
 * turn `'\\*'` into `'*'`, because `\` is a path separator in
 * `windowsPathsNoEscape` mode.
 *
 * When `windowsPathsNoEscape` is not set, then both square-bracket escapes and
 * backslash escapes are removed.
 *
 * Slashes (and backslashes in `windowsPathsNoEscape` mode) cannot be escaped
 * or unescaped.
 *
 * When `magicalBraces` is not set, escapes of braces (`{` and `}`) will not be
 * unescaped.
 */
const unescape_unescape = (s, { windowsPathsNoEscape = false, magicalBraces = true, } = {}) => {
    if (magicalBraces) {
        return windowsPathsNoEscape ?
            s.replace(/\[([^/\\])\]/g, '$1')
            : s
                .replace(/((?!\\).|^)\[([^/\\])\]/g, '$1$2')
                .replace(/\\([^/])/g, '$1');
    }
    return windowsPathsNoEscape ?
        s.replace(/\[([^/\\{}])\]/g, '$1')
        : s
            .replace(/((?!\\).|^)\[([^/\\{}])\]/g, '$1$2')
            .replace(/\\([^/{}])/g, '$1');
};
//# sourceMappingURL=unescape.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/ast.js
// parse a single path portion
var ast_a;


const types = new Set(['!', '?', '+', '*', '@']);
const isExtglobType = (c) => types.has(c);
const isExtglobAST = (c) => isExtglobType(c.type);
// Map of which extglob types can adopt the children of a nested extglob
//
// anything but ! can adopt a matching type:
// +(a|+(b|c)|d) => +(a|b|c|d)
// *(a|*(b|c)|d) => *(a|b|c|d)
// @(a|@(b|c)|d) => @(a|b|c|d)
// ?(a|?(b|c)|d) => ?(a|b|c|d)
//
// * can adopt anything, because 0 or repetition is allowed
// *(a|?(b|c)|d) => *(a|b|c|d)
// *(a|+(b|c)|d) => *(a|b|c|d)
// *(a|@(b|c)|d) => *(a|b|c|d)
//
// + can adopt @, because 1 or repetition is allowed
// +(a|@(b|c)|d) => +(a|b|c|d)
//
// + and @ CANNOT adopt *, because 0 would be allowed
// +(a|*(b|c)|d) => would match "", on *(b|c)
// @(a|*(b|c)|d) => would match "", on *(b|c)
//
// + and @ CANNOT adopt ?, because 0 would be allowed
// +(a|?(b|c)|d) => would match "", on ?(b|c)
// @(a|?(b|c)|d) => would match "", on ?(b|c)
//
// ? can adopt @, because 0 or 1 is allowed
// ?(a|@(b|c)|d) => ?(a|b|c|d)
//
// ? and @ CANNOT adopt * or +, because >1 would be allowed
// ?(a|*(b|c)|d) => would match bbb on *(b|c)
// @(a|*(b|c)|d) => would match bbb on *(b|c)
// ?(a|+(b|c)|d) => would match bbb on +(b|c)
// @(a|+(b|c)|d) => would match bbb on +(b|c)
//
// ! CANNOT adopt ! (nothing else can either)
// !(a|!(b|c)|d) => !(a|b|c|d) would fail to match on b (not not b|c)
//
// ! can adopt @
// !(a|@(b|c)|d) => !(a|b|c|d)
//
// ! CANNOT adopt *
// !(a|*(b|c)|d) => !(a|b|c|d) would match on bbb, not allowed
//
// ! CANNOT adopt +
// !(a|+(b|c)|d) => !(a|b|c|d) would match on bbb, not allowed
//
// ! CANNOT adopt ?
// x!(a|?(b|c)|d) => x!(a|b|c|d) would fail to match "x"
const adoptionMap = new Map([
    ['!', ['@']],
    ['?', ['?', '@']],
    ['@', ['@']],
    ['*', ['*', '+', '?', '@']],
    ['+', ['+', '@']],
]);
// nested extglobs that can be adopted in, but with the addition of
// a blank '' element.
const adoptionWithSpaceMap = new Map([
    ['!', ['?']],
    ['@', ['?']],
    ['+', ['?', '*']],
]);
// union of the previous two maps
const adoptionAnyMap = new Map([
    ['!', ['?', '@']],
    ['?', ['?', '@']],
    ['@', ['?', '@']],
    ['*', ['*', '+', '?', '@']],
    ['+', ['+', '@', '?', '*']],
]);
// Extglobs that can take over their parent if they are the only child
// the key is parent, value maps child to resulting extglob parent type
// '@' is omitted because it's a special case. An `@` extglob with a single
// member can always be usurped by that subpattern.
const usurpMap = new Map([
    ['!', new Map([['!', '@']])],
    [
        '?',
        new Map([
            ['*', '*'],
            ['+', '*'],
        ]),
    ],
    [
        '@',
        new Map([
            ['!', '!'],
            ['?', '?'],
            ['@', '@'],
            ['*', '*'],
            ['+', '+'],
        ]),
    ],
    [
        '+',
        new Map([
            ['?', '*'],
            ['*', '*'],
        ]),
    ],
]);
// Patterns that get prepended to bind to the start of either the
// entire string, or just a single path portion, to prevent dots
// and/or traversal patterns, when needed.
// Exts don't need the ^ or / bit, because the root binds that already.
const startNoTraversal = '(?!(?:^|/)\\.\\.?(?:$|/))';
const startNoDot = '(?!\\.)';
// characters that indicate a start of pattern needs the "no dots" bit,
// because a dot *might* be matched. ( is not in the list, because in
// the case of a child extglob, it will handle the prevention itself.
const addPatternStart = new Set(['[', '.']);
// cases where traversal is A-OK, no dot prevention needed
const justDots = new Set(['..', '.']);
const reSpecials = new Set('().*{}+?[]^$\\!');
const regExpEscape = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');
// any single thing other than /
const qmark = '[^/]';
// * => any number of characters
const star = qmark + '*?';
// use + when we need to ensure that *something* matches, because the * is
// the only thing in the path portion.
const starNoEmpty = qmark + '+?';
// remove the \ chars that we added if we end up doing a nonmagic compare
// const deslash = (s: string) => s.replace(/\\(.)/g, '$1')
let ID = 0;
class AST {
    type;
    #root;
    #hasMagic;
    #uflag = false;
    #parts = [];
    #parent;
    #parentIndex;
    #negs;
    #filledNegs = false;
    #options;
    #toString;
    // set to true if it's an extglob with no children
    // (which really means one child of '')
    #emptyExt = false;
    id = ++ID;
    get depth() {
        return (this.#parent?.depth ?? -1) + 1;
    }
    [Symbol.for('nodejs.util.inspect.custom')]() {
        return {
            '@@type': 'AST',
            id: this.id,
            type: this.type,
            root: this.#root.id,
            parent: this.#parent?.id,
            depth: this.depth,
            partsLength: this.#parts.length,
            parts: this.#parts,
        };
    }
    constructor(type, parent, options = {}) {
        this.type = type;
        // extglobs are inherently magical
        if (type)
            this.#hasMagic = true;
        this.#parent = parent;
        this.#root = this.#parent ? this.#parent.#root : this;
        this.#options = this.#root === this ? options : this.#root.#options;
        this.#negs = this.#root === this ? [] : this.#root.#negs;
        if (type === '!' && !this.#root.#filledNegs)
            this.#negs.push(this);
        this.#parentIndex = this.#parent ? this.#parent.#parts.length : 0;
    }
    get hasMagic() {
        /* c8 ignore start */
        if (this.#hasMagic !== undefined)
            return this.#hasMagic;
        /* c8 ignore stop */
        for (const p of this.#parts) {
            if (typeof p === 'string')
                continue;
            if (p.type || p.hasMagic)
                return (this.#hasMagic = true);
        }
        // note: will be undefined until we generate the regexp src and find out
        return this.#hasMagic;
    }
    // reconstructs the pattern
    toString() {
        return (this.#toString !== undefined ? this.#toString
            : !this.type ?
                (this.#toString = this.#parts.map(p => String(p)).join(''))
                : (this.#toString =
                    this.type +
                        '(' +
                        this.#parts.map(p => String(p)).join('|') +
                        ')'));
    }
    #fillNegs() {
        /* c8 ignore start */
        if (this !== this.#root)
            throw new Error('should only call on root');
        if (this.#filledNegs)
            return this;
        /* c8 ignore stop */
        // call toString() once to fill this out
        this.toString();
        this.#filledNegs = true;
        let n;
        while ((n = this.#negs.pop())) {
            if (n.type !== '!')
                continue;
            // walk up the tree, appending everthing that comes AFTER parentIndex
            let p = n;
            let pp = p.#parent;
            while (pp) {
                for (let i = p.#parentIndex + 1; !pp.type && i < pp.#parts.length; i++) {
                    for (const part of n.#parts) {
                        /* c8 ignore start */
                        if (typeof part === 'string') {
                            throw new Error('string part in extglob AST??');
                        }
                        /* c8 ignore stop */
                        part.copyIn(pp.#parts[i]);
                    }
                }
                p = pp;
                pp = p.#parent;
            }
        }
        return this;
    }
    push(...parts) {
        for (const p of parts) {
            if (p === '')
                continue;
            /* c8 ignore start */
            if (typeof p !== 'string' &&
                !(p instanceof ast_a && p.#parent === this)) {
                throw new Error('invalid part: ' + p);
            }
            /* c8 ignore stop */
            this.#parts.push(p);
        }
    }
    toJSON() {
        const ret = this.type === null ?
            this.#parts
                .slice()
                .map(p => (typeof p === 'string' ? p : p.toJSON()))
            : [this.type, ...this.#parts.map(p => p.toJSON())];
        if (this.isStart() && !this.type)
            ret.unshift([]);
        if (this.isEnd() &&
            (this === this.#root ||
                (this.#root.#filledNegs && this.#parent?.type === '!'))) {
            ret.push({});
        }
        return ret;
    }
    isStart() {
        if (this.#root === this)
            return true;
        // if (this.type) return !!this.#parent?.isStart()
        if (!this.#parent?.isStart())
            return false;
        if (this.#parentIndex === 0)
            return true;
        // if everything AHEAD of this is a negation, then it's still the "start"
        const p = this.#parent;
        for (let i = 0; i < this.#parentIndex; i++) {
            const pp = p.#parts[i];
            if (!(pp instanceof ast_a && pp.type === '!')) {
                return false;
            }
        }
        return true;
    }
    isEnd() {
        if (this.#root === this)
            return true;
        if (this.#parent?.type === '!')
            return true;
        if (!this.#parent?.isEnd())
            return false;
        if (!this.type)
            return this.#parent?.isEnd();
        // if not root, it'll always have a parent
        /* c8 ignore start */
        const pl = this.#parent ? this.#parent.#parts.length : 0;
        /* c8 ignore stop */
        return this.#parentIndex === pl - 1;
    }
    copyIn(part) {
        if (typeof part === 'string')
            this.push(part);
        else
            this.push(part.clone(this));
    }
    clone(parent) {
        const c = new ast_a(this.type, parent);
        for (const p of this.#parts) {
            c.copyIn(p);
        }
        return c;
    }
    static #parseAST(str, ast, pos, opt, extDepth) {
        const maxDepth = opt.maxExtglobRecursion ?? 2;
        let escaping = false;
        let inBrace = false;
        let braceStart = -1;
        let braceNeg = false;
        if (ast.type === null) {
            // outside of a extglob, append until we find a start
            let i = pos;
            let acc = '';
            while (i < str.length) {
                const c = str.charAt(i++);
                // still accumulate escapes at this point, but we do ignore
                // starts that are escaped
                if (escaping || c === '\\') {
                    escaping = !escaping;
                    acc += c;
                    continue;
                }
                if (inBrace) {
                    if (i === braceStart + 1) {
                        if (c === '^' || c === '!') {
                            braceNeg = true;
                        }
                    }
                    else if (c === ']' && !(i === braceStart + 2 && braceNeg)) {
                        inBrace = false;
                    }
                    acc += c;
                    continue;
                }
                else if (c === '[') {
                    inBrace = true;
                    braceStart = i;
                    braceNeg = false;
                    acc += c;
                    continue;
                }
                // we don't have to check for adoption here, because that's
                // done at the other recursion point.
                const doRecurse = !opt.noext &&
                    isExtglobType(c) &&
                    str.charAt(i) === '(' &&
                    extDepth <= maxDepth;
                if (doRecurse) {
                    ast.push(acc);
                    acc = '';
                    const ext = new ast_a(c, ast);
                    i = ast_a.#parseAST(str, ext, i, opt, extDepth + 1);
                    ast.push(ext);
                    continue;
                }
                acc += c;
            }
            ast.push(acc);
            return i;
        }
        // some kind of extglob, pos is at the (
        // find the next | or )
        let i = pos + 1;
        let part = new ast_a(null, ast);
        const parts = [];
        let acc = '';
        while (i < str.length) {
            const c = str.charAt(i++);
            // still accumulate escapes at this point, but we do ignore
            // starts that are escaped
            if (escaping || c === '\\') {
                escaping = !escaping;
                acc += c;
                continue;
            }
            if (inBrace) {
                if (i === braceStart + 1) {
                    if (c === '^' || c === '!') {
                        braceNeg = true;
                    }
                }
                else if (c === ']' && !(i === braceStart + 2 && braceNeg)) {
                    inBrace = false;
                }
                acc += c;
                continue;
            }
            else if (c === '[') {
                inBrace = true;
                braceStart = i;
                braceNeg = false;
                acc += c;
                continue;
            }
            const doRecurse = !opt.noext &&
                isExtglobType(c) &&
                str.charAt(i) === '(' &&
                /* c8 ignore start - the maxDepth is sufficient here */
                (extDepth <= maxDepth || (ast && ast.#canAdoptType(c)));
            /* c8 ignore stop */
            if (doRecurse) {
                const depthAdd = ast && ast.#canAdoptType(c) ? 0 : 1;
                part.push(acc);
                acc = '';
                const ext = new ast_a(c, part);
                part.push(ext);
                i = ast_a.#parseAST(str, ext, i, opt, extDepth + depthAdd);
                continue;
            }
            if (c === '|') {
                part.push(acc);
                acc = '';
                parts.push(part);
                part = new ast_a(null, ast);
                continue;
            }
            if (c === ')') {
                if (acc === '' && ast.#parts.length === 0) {
                    ast.#emptyExt = true;
                }
                part.push(acc);
                acc = '';
                ast.push(...parts, part);
                return i;
            }
            acc += c;
        }
        // unfinished extglob
        // if we got here, it was a malformed extglob! not an extglob, but
        // maybe something else in there.
        ast.type = null;
        ast.#hasMagic = undefined;
        ast.#parts = [str.substring(pos - 1)];
        return i;
    }
    #canAdoptWithSpace(child) {
        return this.#canAdopt(child, adoptionWithSpaceMap);
    }
    #canAdopt(child, map = adoptionMap) {
        if (!child ||
            typeof child !== 'object' ||
            child.type !== null ||
            child.#parts.length !== 1 ||
            this.type === null) {
            return false;
        }
        const gc = child.#parts[0];
        if (!gc || typeof gc !== 'object' || gc.type === null) {
            return false;
        }
        return this.#canAdoptType(gc.type, map);
    }
    #canAdoptType(c, map = adoptionAnyMap) {
        return !!map.get(this.type)?.includes(c);
    }
    #adoptWithSpace(child, index) {
        const gc = child.#parts[0];
        const blank = new ast_a(null, gc, this.options);
        blank.#parts.push('');
        gc.push(blank);
        this.#adopt(child, index);
    }
    #adopt(child, index) {
        const gc = child.#parts[0];
        this.#parts.splice(index, 1, ...gc.#parts);
        for (const p of gc.#parts) {
            if (typeof p === 'object')
                p.#parent = this;
        }
        this.#toString = undefined;
    }
    #canUsurpType(c) {
        const m = usurpMap.get(this.type);
        return !!m?.has(c);
    }
    #canUsurp(child) {
        if (!child ||
            typeof child !== 'object' ||
            child.type !== null ||
            child.#parts.length !== 1 ||
            this.type === null ||
            this.#parts.length !== 1) {
            return false;
        }
        const gc = child.#parts[0];
        if (!gc || typeof gc !== 'object' || gc.type === null) {
            return false;
        }
        return this.#canUsurpType(gc.type);
    }
    #usurp(child) {
        const m = usurpMap.get(this.type);
        const gc = child.#parts[0];
        const nt = m?.get(gc.type);
        /* c8 ignore start - impossible */
        if (!nt)
            return false;
        /* c8 ignore stop */
        this.#parts = gc.#parts;
        for (const p of this.#parts) {
            if (typeof p === 'object') {
                p.#parent = this;
            }
        }
        this.type = nt;
        this.#toString = undefined;
        this.#emptyExt = false;
    }
    static fromGlob(pattern, options = {}) {
        const ast = new ast_a(null, undefined, options);
        ast_a.#parseAST(pattern, ast, 0, options, 0);
        return ast;
    }
    // returns the regular expression if there's magic, or the unescaped
    // string if not.
    toMMPattern() {
        // should only be called on root
        /* c8 ignore start */
        if (this !== this.#root)
            return this.#root.toMMPattern();
        /* c8 ignore stop */
        const glob = this.toString();
        const [re, body, hasMagic, uflag] = this.toRegExpSource();
        // if we're in nocase mode, and not nocaseMagicOnly, then we do
        // still need a regular expression if we have to case-insensitively
        // match capital/lowercase characters.
        const anyMagic = hasMagic ||
            this.#hasMagic ||
            (this.#options.nocase &&
                !this.#options.nocaseMagicOnly &&
                glob.toUpperCase() !== glob.toLowerCase());
        if (!anyMagic) {
            return body;
        }
        const flags = (this.#options.nocase ? 'i' : '') + (uflag ? 'u' : '');
        return Object.assign(new RegExp(`^${re}$`, flags), {
            _src: re,
            _glob: glob,
        });
    }
    get options() {
        return this.#options;
    }
    // returns the string match, the regexp source, whether there's magic
    // in the regexp (so a regular expression is required) and whether or
    // not the uflag is needed for the regular expression (for posix classes)
    // TODO: instead of injecting the start/end at this point, just return
    // the BODY of the regexp, along with the start/end portions suitable
    // for binding the start/end in either a joined full-path makeRe context
    // (where we bind to (^|/), or a standalone matchPart context (where
    // we bind to ^, and not /).  Otherwise slashes get duped!
    //
    // In part-matching mode, the start is:
    // - if not isStart: nothing
    // - if traversal possible, but not allowed: ^(?!\.\.?$)
    // - if dots allowed or not possible: ^
    // - if dots possible and not allowed: ^(?!\.)
    // end is:
    // - if not isEnd(): nothing
    // - else: $
    //
    // In full-path matching mode, we put the slash at the START of the
    // pattern, so start is:
    // - if first pattern: same as part-matching mode
    // - if not isStart(): nothing
    // - if traversal possible, but not allowed: /(?!\.\.?(?:$|/))
    // - if dots allowed or not possible: /
    // - if dots possible and not allowed: /(?!\.)
    // end is:
    // - if last pattern, same as part-matching mode
    // - else nothing
    //
    // Always put the (?:$|/) on negated tails, though, because that has to be
    // there to bind the end of the negated pattern portion, and it's easier to
    // just stick it in now rather than try to inject it later in the middle of
    // the pattern.
    //
    // We can just always return the same end, and leave it up to the caller
    // to know whether it's going to be used joined or in parts.
    // And, if the start is adjusted slightly, can do the same there:
    // - if not isStart: nothing
    // - if traversal possible, but not allowed: (?:/|^)(?!\.\.?$)
    // - if dots allowed or not possible: (?:/|^)
    // - if dots possible and not allowed: (?:/|^)(?!\.)
    //
    // But it's better to have a simpler binding without a conditional, for
    // performance, so probably better to return both start options.
    //
    // Then the caller just ignores the end if it's not the first pattern,
    // and the start always gets applied.
    //
    // But that's always going to be $ if it's the ending pattern, or nothing,
    // so the caller can just attach $ at the end of the pattern when building.
    //
    // So the todo is:
    // - better detect what kind of start is needed
    // - return both flavors of starting pattern
    // - attach $ at the end of the pattern when creating the actual RegExp
    //
    // Ah, but wait, no, that all only applies to the root when the first pattern
    // is not an extglob. If the first pattern IS an extglob, then we need all
    // that dot prevention biz to live in the extglob portions, because eg
    // +(*|.x*) can match .xy but not .yx.
    //
    // So, return the two flavors if it's #root and the first child is not an
    // AST, otherwise leave it to the child AST to handle it, and there,
    // use the (?:^|/) style of start binding.
    //
    // Even simplified further:
    // - Since the start for a join is eg /(?!\.) and the start for a part
    // is ^(?!\.), we can just prepend (?!\.) to the pattern (either root
    // or start or whatever) and prepend ^ or / at the Regexp construction.
    toRegExpSource(allowDot) {
        const dot = allowDot ?? !!this.#options.dot;
        if (this.#root === this) {
            this.#flatten();
            this.#fillNegs();
        }
        if (!isExtglobAST(this)) {
            const noEmpty = this.isStart() &&
                this.isEnd() &&
                !this.#parts.some(s => typeof s !== 'string');
            const src = this.#parts
                .map(p => {
                const [re, _, hasMagic, uflag] = typeof p === 'string' ?
                    ast_a.#parseGlob(p, this.#hasMagic, noEmpty)
                    : p.toRegExpSource(allowDot);
                this.#hasMagic = this.#hasMagic || hasMagic;
                this.#uflag = this.#uflag || uflag;
                return re;
            })
                .join('');
            let start = '';
            if (this.isStart()) {
                if (typeof this.#parts[0] === 'string') {
                    // this is the string that will match the start of the pattern,
                    // so we need to protect against dots and such.
                    // '.' and '..' cannot match unless the pattern is that exactly,
                    // even if it starts with . or dot:true is set.
                    const dotTravAllowed = this.#parts.length === 1 && justDots.has(this.#parts[0]);
                    if (!dotTravAllowed) {
                        const aps = addPatternStart;
                        // check if we have a possibility of matching . or ..,
                        // and prevent that.
                        const needNoTrav = 
                        // dots are allowed, and the pattern starts with [ or .
                        (dot && aps.has(src.charAt(0))) ||
                            // the pattern starts with \., and then [ or .
                            (src.startsWith('\\.') && aps.has(src.charAt(2))) ||
                            // the pattern starts with \.\., and then [ or .
                            (src.startsWith('\\.\\.') && aps.has(src.charAt(4)));
                        // no need to prevent dots if it can't match a dot, or if a
                        // sub-pattern will be preventing it anyway.
                        const needNoDot = !dot && !allowDot && aps.has(src.charAt(0));
                        start =
                            needNoTrav ? startNoTraversal
                                : needNoDot ? startNoDot
                                    : '';
                    }
                }
            }
            // append the "end of path portion" pattern to negation tails
            let end = '';
            if (this.isEnd() &&
                this.#root.#filledNegs &&
                this.#parent?.type === '!') {
                end = '(?:$|\\/)';
            }
            const final = start + src + end;
            return [
                final,
                unescape_unescape(src),
                (this.#hasMagic = !!this.#hasMagic),
                this.#uflag,
            ];
        }
        // We need to calculate the body *twice* if it's a repeat pattern
        // at the start, once in nodot mode, then again in dot mode, so a
        // pattern like *(?) can match 'x.y'
        const repeated = this.type === '*' || this.type === '+';
        // some kind of extglob
        const start = this.type === '!' ? '(?:(?!(?:' : '(?:';
        let body = this.#partsToRegExp(dot);
        if (this.isStart() && this.isEnd() && !body && this.type !== '!') {
            // invalid extglob, has to at least be *something* present, if it's
            // the entire path portion.
            const s = this.toString();
            const me = this;
            me.#parts = [s];
            me.type = null;
            me.#hasMagic = undefined;
            return [s, unescape_unescape(this.toString()), false, false];
        }
        let bodyDotAllowed = !repeated || allowDot || dot || !startNoDot ?
            ''
            : this.#partsToRegExp(true);
        if (bodyDotAllowed === body) {
            bodyDotAllowed = '';
        }
        if (bodyDotAllowed) {
            body = `(?:${body})(?:${bodyDotAllowed})*?`;
        }
        // an empty !() is exactly equivalent to a starNoEmpty
        let final = '';
        if (this.type === '!' && this.#emptyExt) {
            final = (this.isStart() && !dot ? startNoDot : '') + starNoEmpty;
        }
        else {
            const close = this.type === '!' ?
                // !() must match something,but !(x) can match ''
                '))' +
                    (this.isStart() && !dot && !allowDot ? startNoDot : '') +
                    star +
                    ')'
                : this.type === '@' ? ')'
                    : this.type === '?' ? ')?'
                        : this.type === '+' && bodyDotAllowed ? ')'
                            : this.type === '*' && bodyDotAllowed ? `)?`
                                : `)${this.type}`;
            final = start + body + close;
        }
        return [
            final,
            unescape_unescape(body),
            (this.#hasMagic = !!this.#hasMagic),
            this.#uflag,
        ];
    }
    #flatten() {
        if (!isExtglobAST(this)) {
            for (const p of this.#parts) {
                if (typeof p === 'object') {
                    p.#flatten();
                }
            }
        }
        else {
            // do up to 10 passes to flatten as much as possible
            let iterations = 0;
            let done = false;
            do {
                done = true;
                for (let i = 0; i < this.#parts.length; i++) {
                    const c = this.#parts[i];
                    if (typeof c === 'object') {
                        c.#flatten();
                        if (this.#canAdopt(c)) {
                            done = false;
                            this.#adopt(c, i);
                        }
                        else if (this.#canAdoptWithSpace(c)) {
                            done = false;
                            this.#adoptWithSpace(c, i);
                        }
                        else if (this.#canUsurp(c)) {
                            done = false;
                            this.#usurp(c);
                        }
                    }
                }
            } while (!done && ++iterations < 10);
        }
        this.#toString = undefined;
    }
    #partsToRegExp(dot) {
        return this.#parts
            .map(p => {
            // extglob ASTs should only contain parent ASTs
            /* c8 ignore start */
            if (typeof p === 'string') {
                throw new Error('string type in extglob ast??');
            }
            /* c8 ignore stop */
            // can ignore hasMagic, because extglobs are already always magic
            const [re, _, _hasMagic, uflag] = p.toRegExpSource(dot);
            this.#uflag = this.#uflag || uflag;
            return re;
        })
            .filter(p => !(this.isStart() && this.isEnd()) || !!p)
            .join('|');
    }
    static #parseGlob(glob, hasMagic, noEmpty = false) {
        let escaping = false;
        let re = '';
        let uflag = false;
        // multiple stars that aren't globstars coalesce into one *
        let inStar = false;
        for (let i = 0; i < glob.length; i++) {
            const c = glob.charAt(i);
            if (escaping) {
                escaping = false;
                re += (reSpecials.has(c) ? '\\' : '') + c;
                continue;
            }
            if (c === '*') {
                if (inStar)
                    continue;
                inStar = true;
                re += noEmpty && /^[*]+$/.test(glob) ? starNoEmpty : star;
                hasMagic = true;
                continue;
            }
            else {
                inStar = false;
            }
            if (c === '\\') {
                if (i === glob.length - 1) {
                    re += '\\\\';
                }
                else {
                    escaping = true;
                }
                continue;
            }
            if (c === '[') {
                const [src, needUflag, consumed, magic] = parseClass(glob, i);
                if (consumed) {
                    re += src;
                    uflag = uflag || needUflag;
                    i += consumed - 1;
                    hasMagic = hasMagic || magic;
                    continue;
                }
            }
            if (c === '?') {
                re += qmark;
                hasMagic = true;
                continue;
            }
            re += regExpEscape(c);
        }
        return [re, unescape_unescape(glob), !!hasMagic, uflag];
    }
}
ast_a = AST;
//# sourceMappingURL=ast.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/escape.js
/**
 * Escape all magic characters in a glob pattern.
 *
 * If the {@link MinimatchOptions.windowsPathsNoEscape}
 * option is used, then characters are escaped by wrapping in `[]`, because
 * a magic character wrapped in a character class can only be satisfied by
 * that exact character.  In this mode, `\` is _not_ escaped, because it is
 * not interpreted as a magic character, but instead as a path separator.
 *
 * If the {@link MinimatchOptions.magicalBraces} option is used,
 * then braces (`{` and `}`) will be escaped.
 */
const esm_escape_escape = (s, { windowsPathsNoEscape = false, magicalBraces = false, } = {}) => {
    // don't need to escape +@! because we escape the parens
    // that make those magic, and escaping ! as [!] isn't valid,
    // because [!]] is a valid glob class meaning not ']'.
    if (magicalBraces) {
        return windowsPathsNoEscape ?
            s.replace(/[?*()[\]{}]/g, '[$&]')
            : s.replace(/[?*()[\]\\{}]/g, '\\$&');
    }
    return windowsPathsNoEscape ?
        s.replace(/[?*()[\]]/g, '[$&]')
        : s.replace(/[?*()[\]\\]/g, '\\$&');
};
//# sourceMappingURL=escape.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/index.js





const minimatch = (p, pattern, options = {}) => {
    assertValidPattern(pattern);
    // shortcut: comments match nothing.
    if (!options.nocomment && pattern.charAt(0) === '#') {
        return false;
    }
    return new Minimatch(pattern, options).match(p);
};
// Optimized checking for the most common glob patterns.
const starDotExtRE = /^\*+([^+@!?*[(]*)$/;
const starDotExtTest = (ext) => (f) => !f.startsWith('.') && f.endsWith(ext);
const starDotExtTestDot = (ext) => (f) => f.endsWith(ext);
const starDotExtTestNocase = (ext) => {
    ext = ext.toLowerCase();
    return (f) => !f.startsWith('.') && f.toLowerCase().endsWith(ext);
};
const starDotExtTestNocaseDot = (ext) => {
    ext = ext.toLowerCase();
    return (f) => f.toLowerCase().endsWith(ext);
};
const starDotStarRE = /^\*+\.\*+$/;
const starDotStarTest = (f) => !f.startsWith('.') && f.includes('.');
const starDotStarTestDot = (f) => f !== '.' && f !== '..' && f.includes('.');
const dotStarRE = /^\.\*+$/;
const dotStarTest = (f) => f !== '.' && f !== '..' && f.startsWith('.');
const starRE = /^\*+$/;
const starTest = (f) => f.length !== 0 && !f.startsWith('.');
const starTestDot = (f) => f.length !== 0 && f !== '.' && f !== '..';
const qmarksRE = /^\?+([^+@!?*[(]*)?$/;
const qmarksTestNocase = ([$0, ext = '']) => {
    const noext = qmarksTestNoExt([$0]);
    if (!ext)
        return noext;
    ext = ext.toLowerCase();
    return (f) => noext(f) && f.toLowerCase().endsWith(ext);
};
const qmarksTestNocaseDot = ([$0, ext = '']) => {
    const noext = qmarksTestNoExtDot([$0]);
    if (!ext)
        return noext;
    ext = ext.toLowerCase();
    return (f) => noext(f) && f.toLowerCase().endsWith(ext);
};
const qmarksTestDot = ([$0, ext = '']) => {
    const noext = qmarksTestNoExtDot([$0]);
    return !ext ? noext : (f) => noext(f) && f.endsWith(ext);
};
const qmarksTest = ([$0, ext = '']) => {
    const noext = qmarksTestNoExt([$0]);
    return !ext ? noext : (f) => noext(f) && f.endsWith(ext);
};
const qmarksTestNoExt = ([$0]) => {
    const len = $0.length;
    return (f) => f.length === len && !f.startsWith('.');
};
const qmarksTestNoExtDot = ([$0]) => {
    const len = $0.length;
    return (f) => f.length === len && f !== '.' && f !== '..';
};
/* c8 ignore start */
const defaultPlatform = (typeof process === 'object' && process ?
    (typeof process.env === 'object' &&
        process.env &&
        process.env.__MINIMATCH_TESTING_PLATFORM__) ||
        process.platform
    : 'posix');
const path = {
    win32: { sep: '\\' },
    posix: { sep: '/' },
};
/* c8 ignore stop */
const sep = defaultPlatform === 'win32' ? path.win32.sep : path.posix.sep;
minimatch.sep = sep;
const GLOBSTAR = Symbol('globstar **');
minimatch.GLOBSTAR = GLOBSTAR;
// any single thing other than /
// don't need to escape / when using new RegExp()
const esm_qmark = '[^/]';
// * => any number of characters
const esm_star = esm_qmark + '*?';
// ** when dots are allowed.  Anything goes, except .. and .
// not (^ or / followed by one or two dots followed by $ or /),
// followed by anything, any number of times.
const twoStarDot = '(?:(?!(?:\\/|^)(?:\\.{1,2})($|\\/)).)*?';
// not a ^ or / followed by a dot,
// followed by anything, any number of times.
const twoStarNoDot = '(?:(?!(?:\\/|^)\\.).)*?';
const filter = (pattern, options = {}) => (p) => minimatch(p, pattern, options);
minimatch.filter = filter;
const ext = (a, b = {}) => Object.assign({}, a, b);
const defaults = (def) => {
    if (!def || typeof def !== 'object' || !Object.keys(def).length) {
        return minimatch;
    }
    const orig = minimatch;
    const m = (p, pattern, options = {}) => orig(p, pattern, ext(def, options));
    return Object.assign(m, {
        Minimatch: class Minimatch extends orig.Minimatch {
            constructor(pattern, options = {}) {
                super(pattern, ext(def, options));
            }
            static defaults(options) {
                return orig.defaults(ext(def, options)).Minimatch;
            }
        },
        AST: class AST extends orig.AST {
            /* c8 ignore start */
            constructor(type, parent, options = {}) {
                super(type, parent, ext(def, options));
            }
            /* c8 ignore stop */
            static fromGlob(pattern, options = {}) {
                return orig.AST.fromGlob(pattern, ext(def, options));
            }
        },
        unescape: (s, options = {}) => orig.unescape(s, ext(def, options)),
        escape: (s, options = {}) => orig.escape(s, ext(def, options)),
        filter: (pattern, options = {}) => orig.filter(pattern, ext(def, options)),
        defaults: (options) => orig.defaults(ext(def, options)),
        makeRe: (pattern, options = {}) => orig.makeRe(pattern, ext(def, options)),
        braceExpand: (pattern, options = {}) => orig.braceExpand(pattern, ext(def, options)),
        match: (list, pattern, options = {}) => orig.match(list, pattern, ext(def, options)),
        sep: orig.sep,
        GLOBSTAR: GLOBSTAR,
    });
};
minimatch.defaults = defaults;
// Brace expansion:
// a{b,c}d -> abd acd
// a{b,}c -> abc ac
// a{0..3}d -> a0d a1d a2d a3d
// a{b,c{d,e}f}g -> abg acdfg acefg
// a{b,c}d{e,f}g -> abdeg acdeg abdeg abdfg
//
// Invalid sets are not expanded.
// a{2..}b -> a{2..}b
// a{b}c -> a{b}c
const braceExpand = (pattern, options = {}) => {
    assertValidPattern(pattern);
    // Thanks to Yeting Li <https://github.com/yetingli> for
    // improving this regexp to avoid a ReDOS vulnerability.
    if (options.nobrace || !/\{(?:(?!\{).)*\}/.test(pattern)) {
        // shortcut. no need to expand.
        return [pattern];
    }
    return expand(pattern, { max: options.braceExpandMax });
};
minimatch.braceExpand = braceExpand;
// parse a component of the expanded set.
// At this point, no pattern may contain "/" in it
// so we're going to return a 2d array, where each entry is the full
// pattern, split on '/', and then turned into a regular expression.
// A regexp is made at the end which joins each array with an
// escaped /, and another full one which joins each regexp with |.
//
// Following the lead of Bash 4.1, note that "**" only has special meaning
// when it is the *only* thing in a path portion.  Otherwise, any series
// of * is equivalent to a single *.  Globstar behavior is enabled by
// default, and can be disabled by setting options.noglobstar.
const makeRe = (pattern, options = {}) => new Minimatch(pattern, options).makeRe();
minimatch.makeRe = makeRe;
const match = (list, pattern, options = {}) => {
    const mm = new Minimatch(pattern, options);
    list = list.filter(f => mm.match(f));
    if (mm.options.nonull && !list.length) {
        list.push(pattern);
    }
    return list;
};
minimatch.match = match;
// replace stuff like \* with *
const globMagic = /[?*]|[+@!]\(.*?\)|\[|\]/;
const esm_regExpEscape = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');
class Minimatch {
    options;
    set;
    pattern;
    windowsPathsNoEscape;
    nonegate;
    negate;
    comment;
    empty;
    preserveMultipleSlashes;
    partial;
    globSet;
    globParts;
    nocase;
    isWindows;
    platform;
    windowsNoMagicRoot;
    maxGlobstarRecursion;
    regexp;
    constructor(pattern, options = {}) {
        assertValidPattern(pattern);
        options = options || {};
        this.options = options;
        this.maxGlobstarRecursion = options.maxGlobstarRecursion ?? 200;
        this.pattern = pattern;
        this.platform = options.platform || defaultPlatform;
        this.isWindows = this.platform === 'win32';
        // avoid the annoying deprecation flag lol
        const awe = ('allowWindow' + 'sEscape');
        this.windowsPathsNoEscape =
            !!options.windowsPathsNoEscape || options[awe] === false;
        if (this.windowsPathsNoEscape) {
            this.pattern = this.pattern.replace(/\\/g, '/');
        }
        this.preserveMultipleSlashes = !!options.preserveMultipleSlashes;
        this.regexp = null;
        this.negate = false;
        this.nonegate = !!options.nonegate;
        this.comment = false;
        this.empty = false;
        this.partial = !!options.partial;
        this.nocase = !!this.options.nocase;
        this.windowsNoMagicRoot =
            options.windowsNoMagicRoot !== undefined ?
                options.windowsNoMagicRoot
                : !!(this.isWindows && this.nocase);
        this.globSet = [];
        this.globParts = [];
        this.set = [];
        // make the set of regexps etc.
        this.make();
    }
    hasMagic() {
        if (this.options.magicalBraces && this.set.length > 1) {
            return true;
        }
        for (const pattern of this.set) {
            for (const part of pattern) {
                if (typeof part !== 'string')
                    return true;
            }
        }
        return false;
    }
    debug(..._) { }
    make() {
        const pattern = this.pattern;
        const options = this.options;
        // empty patterns and comments match nothing.
        if (!options.nocomment && pattern.charAt(0) === '#') {
            this.comment = true;
            return;
        }
        if (!pattern) {
            this.empty = true;
            return;
        }
        // step 1: figure out negation, etc.
        this.parseNegate();
        // step 2: expand braces
        this.globSet = [...new Set(this.braceExpand())];
        if (options.debug) {
            //oxlint-disable-next-line no-console
            this.debug = (...args) => console.error(...args);
        }
        this.debug(this.pattern, this.globSet);
        // step 3: now we have a set, so turn each one into a series of
        // path-portion matching patterns.
        // These will be regexps, except in the case of "**", which is
        // set to the GLOBSTAR object for globstar behavior,
        // and will not contain any / characters
        //
        // First, we preprocess to make the glob pattern sets a bit simpler
        // and deduped.  There are some perf-killing patterns that can cause
        // problems with a glob walk, but we can simplify them down a bit.
        const rawGlobParts = this.globSet.map(s => this.slashSplit(s));
        this.globParts = this.preprocess(rawGlobParts);
        this.debug(this.pattern, this.globParts);
        // glob --> regexps
        let set = this.globParts.map((s, _, __) => {
            if (this.isWindows && this.windowsNoMagicRoot) {
                // check if it's a drive or unc path.
                const isUNC = s[0] === '' &&
                    s[1] === '' &&
                    (s[2] === '?' || !globMagic.test(s[2])) &&
                    !globMagic.test(s[3]);
                const isDrive = /^[a-z]:/i.test(s[0]);
                if (isUNC) {
                    return [
                        ...s.slice(0, 4),
                        ...s.slice(4).map(ss => this.parse(ss)),
                    ];
                }
                else if (isDrive) {
                    return [s[0], ...s.slice(1).map(ss => this.parse(ss))];
                }
            }
            return s.map(ss => this.parse(ss));
        });
        this.debug(this.pattern, set);
        // filter out everything that didn't compile properly.
        this.set = set.filter(s => s.indexOf(false) === -1);
        // do not treat the ? in UNC paths as magic
        if (this.isWindows) {
            for (let i = 0; i < this.set.length; i++) {
                const p = this.set[i];
                if (p[0] === '' &&
                    p[1] === '' &&
                    this.globParts[i][2] === '?' &&
                    typeof p[3] === 'string' &&
                    /^[a-z]:$/i.test(p[3])) {
                    p[2] = '?';
                }
            }
        }
        this.debug(this.pattern, this.set);
    }
    // various transforms to equivalent pattern sets that are
    // faster to process in a filesystem walk.  The goal is to
    // eliminate what we can, and push all ** patterns as far
    // to the right as possible, even if it increases the number
    // of patterns that we have to process.
    preprocess(globParts) {
        // if we're not in globstar mode, then turn ** into *
        if (this.options.noglobstar) {
            for (const partset of globParts) {
                for (let j = 0; j < partset.length; j++) {
                    if (partset[j] === '**') {
                        partset[j] = '*';
                    }
                }
            }
        }
        const { optimizationLevel = 1 } = this.options;
        if (optimizationLevel >= 2) {
            // aggressive optimization for the purpose of fs walking
            globParts = this.firstPhasePreProcess(globParts);
            globParts = this.secondPhasePreProcess(globParts);
        }
        else if (optimizationLevel >= 1) {
            // just basic optimizations to remove some .. parts
            globParts = this.levelOneOptimize(globParts);
        }
        else {
            // just collapse multiple ** portions into one
            globParts = this.adjascentGlobstarOptimize(globParts);
        }
        return globParts;
    }
    // just get rid of adjascent ** portions
    adjascentGlobstarOptimize(globParts) {
        return globParts.map(parts => {
            let gs = -1;
            while (-1 !== (gs = parts.indexOf('**', gs + 1))) {
                let i = gs;
                while (parts[i + 1] === '**') {
                    i++;
                }
                if (i !== gs) {
                    parts.splice(gs, i - gs);
                }
            }
            return parts;
        });
    }
    // get rid of adjascent ** and resolve .. portions
    levelOneOptimize(globParts) {
        return globParts.map(parts => {
            parts = parts.reduce((set, part) => {
                const prev = set[set.length - 1];
                if (part === '**' && prev === '**') {
                    return set;
                }
                if (part === '..') {
                    if (prev && prev !== '..' && prev !== '.' && prev !== '**') {
                        set.pop();
                        return set;
                    }
                }
                set.push(part);
                return set;
            }, []);
            return parts.length === 0 ? [''] : parts;
        });
    }
    levelTwoFileOptimize(parts) {
        if (!Array.isArray(parts)) {
            parts = this.slashSplit(parts);
        }
        let didSomething = false;
        do {
            didSomething = false;
            // <pre>/<e>/<rest> -> <pre>/<rest>
            if (!this.preserveMultipleSlashes) {
                for (let i = 1; i < parts.length - 1; i++) {
                    const p = parts[i];
                    // don't squeeze out UNC patterns
                    if (i === 1 && p === '' && parts[0] === '')
                        continue;
                    if (p === '.' || p === '') {
                        didSomething = true;
                        parts.splice(i, 1);
                        i--;
                    }
                }
                if (parts[0] === '.' &&
                    parts.length === 2 &&
                    (parts[1] === '.' || parts[1] === '')) {
                    didSomething = true;
                    parts.pop();
                }
            }
            // <pre>/<p>/../<rest> -> <pre>/<rest>
            let dd = 0;
            while (-1 !== (dd = parts.indexOf('..', dd + 1))) {
                const p = parts[dd - 1];
                if (p &&
                    p !== '.' &&
                    p !== '..' &&
                    p !== '**' &&
                    !(this.isWindows && /^[a-z]:$/i.test(p))) {
                    didSomething = true;
                    parts.splice(dd - 1, 2);
                    dd -= 2;
                }
            }
        } while (didSomething);
        return parts.length === 0 ? [''] : parts;
    }
    // First phase: single-pattern processing
    // <pre> is 1 or more portions
    // <rest> is 1 or more portions
    // <p> is any portion other than ., .., '', or **
    // <e> is . or ''
    //
    // **/.. is *brutal* for filesystem walking performance, because
    // it effectively resets the recursive walk each time it occurs,
    // and ** cannot be reduced out by a .. pattern part like a regexp
    // or most strings (other than .., ., and '') can be.
    //
    // <pre>/**/../<p>/<p>/<rest> -> {<pre>/../<p>/<p>/<rest>,<pre>/**/<p>/<p>/<rest>}
    // <pre>/<e>/<rest> -> <pre>/<rest>
    // <pre>/<p>/../<rest> -> <pre>/<rest>
    // **/**/<rest> -> **/<rest>
    //
    // **/*/<rest> -> */**/<rest> <== not valid because ** doesn't follow
    // this WOULD be allowed if ** did follow symlinks, or * didn't
    firstPhasePreProcess(globParts) {
        let didSomething = false;
        do {
            didSomething = false;
            // <pre>/**/../<p>/<p>/<rest> -> {<pre>/../<p>/<p>/<rest>,<pre>/**/<p>/<p>/<rest>}
            for (let parts of globParts) {
                let gs = -1;
                while (-1 !== (gs = parts.indexOf('**', gs + 1))) {
                    let gss = gs;
                    while (parts[gss + 1] === '**') {
                        // <pre>/**/**/<rest> -> <pre>/**/<rest>
                        gss++;
                    }
                    // eg, if gs is 2 and gss is 4, that means we have 3 **
                    // parts, and can remove 2 of them.
                    if (gss > gs) {
                        parts.splice(gs + 1, gss - gs);
                    }
                    let next = parts[gs + 1];
                    const p = parts[gs + 2];
                    const p2 = parts[gs + 3];
                    if (next !== '..')
                        continue;
                    if (!p ||
                        p === '.' ||
                        p === '..' ||
                        !p2 ||
                        p2 === '.' ||
                        p2 === '..') {
                        continue;
                    }
                    didSomething = true;
                    // edit parts in place, and push the new one
                    parts.splice(gs, 1);
                    const other = parts.slice(0);
                    other[gs] = '**';
                    globParts.push(other);
                    gs--;
                }
                // <pre>/<e>/<rest> -> <pre>/<rest>
                if (!this.preserveMultipleSlashes) {
                    for (let i = 1; i < parts.length - 1; i++) {
                        const p = parts[i];
                        // don't squeeze out UNC patterns
                        if (i === 1 && p === '' && parts[0] === '')
                            continue;
                        if (p === '.' || p === '') {
                            didSomething = true;
                            parts.splice(i, 1);
                            i--;
                        }
                    }
                    if (parts[0] === '.' &&
                        parts.length === 2 &&
                        (parts[1] === '.' || parts[1] === '')) {
                        didSomething = true;
                        parts.pop();
                    }
                }
                // <pre>/<p>/../<rest> -> <pre>/<rest>
                let dd = 0;
                while (-1 !== (dd = parts.indexOf('..', dd + 1))) {
                    const p = parts[dd - 1];
                    if (p && p !== '.' && p !== '..' && p !== '**') {
                        didSomething = true;
                        const needDot = dd === 1 && parts[dd + 1] === '**';
                        const splin = needDot ? ['.'] : [];
                        parts.splice(dd - 1, 2, ...splin);
                        if (parts.length === 0)
                            parts.push('');
                        dd -= 2;
                    }
                }
            }
        } while (didSomething);
        return globParts;
    }
    // second phase: multi-pattern dedupes
    // {<pre>/*/<rest>,<pre>/<p>/<rest>} -> <pre>/*/<rest>
    // {<pre>/<rest>,<pre>/<rest>} -> <pre>/<rest>
    // {<pre>/**/<rest>,<pre>/<rest>} -> <pre>/**/<rest>
    //
    // {<pre>/**/<rest>,<pre>/**/<p>/<rest>} -> <pre>/**/<rest>
    // ^-- not valid because ** doens't follow symlinks
    secondPhasePreProcess(globParts) {
        for (let i = 0; i < globParts.length - 1; i++) {
            for (let j = i + 1; j < globParts.length; j++) {
                const matched = this.partsMatch(globParts[i], globParts[j], !this.preserveMultipleSlashes);
                if (matched) {
                    globParts[i] = [];
                    globParts[j] = matched;
                    break;
                }
            }
        }
        return globParts.filter(gs => gs.length);
    }
    partsMatch(a, b, emptyGSMatch = false) {
        let ai = 0;
        let bi = 0;
        let result = [];
        let which = '';
        while (ai < a.length && bi < b.length) {
            if (a[ai] === b[bi]) {
                result.push(which === 'b' ? b[bi] : a[ai]);
                ai++;
                bi++;
            }
            else if (emptyGSMatch && a[ai] === '**' && b[bi] === a[ai + 1]) {
                result.push(a[ai]);
                ai++;
            }
            else if (emptyGSMatch && b[bi] === '**' && a[ai] === b[bi + 1]) {
                result.push(b[bi]);
                bi++;
            }
            else if (a[ai] === '*' &&
                b[bi] &&
                (this.options.dot || !b[bi].startsWith('.')) &&
                b[bi] !== '**') {
                if (which === 'b')
                    return false;
                which = 'a';
                result.push(a[ai]);
                ai++;
                bi++;
            }
            else if (b[bi] === '*' &&
                a[ai] &&
                (this.options.dot || !a[ai].startsWith('.')) &&
                a[ai] !== '**') {
                if (which === 'a')
                    return false;
                which = 'b';
                result.push(b[bi]);
                ai++;
                bi++;
            }
            else {
                return false;
            }
        }
        // if we fall out of the loop, it means they two are identical
        // as long as their lengths match
        return a.length === b.length && result;
    }
    parseNegate() {
        if (this.nonegate)
            return;
        const pattern = this.pattern;
        let negate = false;
        let negateOffset = 0;
        for (let i = 0; i < pattern.length && pattern.charAt(i) === '!'; i++) {
            negate = !negate;
            negateOffset++;
        }
        if (negateOffset)
            this.pattern = pattern.slice(negateOffset);
        this.negate = negate;
    }
    // set partial to true to test if, for example,
    // "/a/b" matches the start of "/*/b/*/d"
    // Partial means, if you run out of file before you run
    // out of pattern, then that's fine, as long as all
    // the parts match.
    matchOne(file, pattern, partial = false) {
        let fileStartIndex = 0;
        let patternStartIndex = 0;
        // UNC paths like //?/X:/... can match X:/... and vice versa
        // Drive letters in absolute drive or unc paths are always compared
        // case-insensitively.
        if (this.isWindows) {
            const fileDrive = typeof file[0] === 'string' && /^[a-z]:$/i.test(file[0]);
            const fileUNC = !fileDrive &&
                file[0] === '' &&
                file[1] === '' &&
                file[2] === '?' &&
                /^[a-z]:$/i.test(file[3]);
            const patternDrive = typeof pattern[0] === 'string' && /^[a-z]:$/i.test(pattern[0]);
            const patternUNC = !patternDrive &&
                pattern[0] === '' &&
                pattern[1] === '' &&
                pattern[2] === '?' &&
                typeof pattern[3] === 'string' &&
                /^[a-z]:$/i.test(pattern[3]);
            const fdi = fileUNC ? 3
                : fileDrive ? 0
                    : undefined;
            const pdi = patternUNC ? 3
                : patternDrive ? 0
                    : undefined;
            if (typeof fdi === 'number' && typeof pdi === 'number') {
                const [fd, pd] = [
                    file[fdi],
                    pattern[pdi],
                ];
                // start matching at the drive letter index of each
                if (fd.toLowerCase() === pd.toLowerCase()) {
                    pattern[pdi] = fd;
                    patternStartIndex = pdi;
                    fileStartIndex = fdi;
                }
            }
        }
        // resolve and reduce . and .. portions in the file as well.
        // don't need to do the second phase, because it's only one string[]
        const { optimizationLevel = 1 } = this.options;
        if (optimizationLevel >= 2) {
            file = this.levelTwoFileOptimize(file);
        }
        if (pattern.includes(GLOBSTAR)) {
            return this.#matchGlobstar(file, pattern, partial, fileStartIndex, patternStartIndex);
        }
        return this.#matchOne(file, pattern, partial, fileStartIndex, patternStartIndex);
    }
    #matchGlobstar(file, pattern, partial, fileIndex, patternIndex) {
        // split the pattern into head, tail, and middle of ** delimited parts
        const firstgs = pattern.indexOf(GLOBSTAR, patternIndex);
        const lastgs = pattern.lastIndexOf(GLOBSTAR);
        // split the pattern up into globstar-delimited sections
        // the tail has to be at the end, and the others just have
        // to be found in order from the head.
        const [head, body, tail] = partial ?
            [
                pattern.slice(patternIndex, firstgs),
                pattern.slice(firstgs + 1),
                [],
            ]
            : [
                pattern.slice(patternIndex, firstgs),
                pattern.slice(firstgs + 1, lastgs),
                pattern.slice(lastgs + 1),
            ];
        // check the head, from the current file/pattern index.
        if (head.length) {
            const fileHead = file.slice(fileIndex, fileIndex + head.length);
            if (!this.#matchOne(fileHead, head, partial, 0, 0)) {
                return false;
            }
            fileIndex += head.length;
            patternIndex += head.length;
        }
        // now we know the head matches!
        // if the last portion is not empty, it MUST match the end
        // check the tail
        let fileTailMatch = 0;
        if (tail.length) {
            // if head + tail > file, then we cannot possibly match
            if (tail.length + fileIndex > file.length)
                return false;
            // try to match the tail
            let tailStart = file.length - tail.length;
            if (this.#matchOne(file, tail, partial, tailStart, 0)) {
                fileTailMatch = tail.length;
            }
            else {
                // affordance for stuff like a/**/* matching a/b/
                // if the last file portion is '', and there's more to the pattern
                // then try without the '' bit.
                if (file[file.length - 1] !== '' ||
                    fileIndex + tail.length === file.length) {
                    return false;
                }
                tailStart--;
                if (!this.#matchOne(file, tail, partial, tailStart, 0)) {
                    return false;
                }
                fileTailMatch = tail.length + 1;
            }
        }
        // now we know the tail matches!
        // the middle is zero or more portions wrapped in **, possibly
        // containing more ** sections.
        // so a/**/b/**/c/**/d has become **/b/**/c/**
        // if it's empty, it means a/**/b, just verify we have no bad dots
        // if there's no tail, so it ends on /**, then we must have *something*
        // after the head, or it's not a matc
        if (!body.length) {
            let sawSome = !!fileTailMatch;
            for (let i = fileIndex; i < file.length - fileTailMatch; i++) {
                const f = String(file[i]);
                sawSome = true;
                if (f === '.' ||
                    f === '..' ||
                    (!this.options.dot && f.startsWith('.'))) {
                    return false;
                }
            }
            // in partial mode, we just need to get past all file parts
            return partial || sawSome;
        }
        // now we know that there's one or more body sections, which can
        // be matched anywhere from the 0 index (because the head was pruned)
        // through to the length-fileTailMatch index.
        // split the body up into sections, and note the minimum index it can
        // be found at (start with the length of all previous segments)
        // [section, before, after]
        const bodySegments = [[[], 0]];
        let currentBody = bodySegments[0];
        let nonGsParts = 0;
        const nonGsPartsSums = [0];
        for (const b of body) {
            if (b === GLOBSTAR) {
                nonGsPartsSums.push(nonGsParts);
                currentBody = [[], 0];
                bodySegments.push(currentBody);
            }
            else {
                currentBody[0].push(b);
                nonGsParts++;
            }
        }
        let i = bodySegments.length - 1;
        const fileLength = file.length - fileTailMatch;
        for (const b of bodySegments) {
            b[1] = fileLength - (nonGsPartsSums[i--] + b[0].length);
        }
        return !!this.#matchGlobStarBodySections(file, bodySegments, fileIndex, 0, partial, 0, !!fileTailMatch);
    }
    // return false for "nope, not matching"
    // return null for "not matching, cannot keep trying"
    #matchGlobStarBodySections(file, 
    // pattern section, last possible position for it
    bodySegments, fileIndex, bodyIndex, partial, globStarDepth, sawTail) {
        // take the first body segment, and walk from fileIndex to its "after"
        // value at the end
        // If it doesn't match at that position, we increment, until we hit
        // that final possible position, and give up.
        // If it does match, then advance and try to rest.
        // If any of them fail we keep walking forward.
        // this is still a bit recursively painful, but it's more constrained
        // than previous implementations, because we never test something that
        // can't possibly be a valid matching condition.
        const bs = bodySegments[bodyIndex];
        if (!bs) {
            // just make sure that there's no bad dots
            for (let i = fileIndex; i < file.length; i++) {
                sawTail = true;
                const f = file[i];
                if (f === '.' ||
                    f === '..' ||
                    (!this.options.dot && f.startsWith('.'))) {
                    return false;
                }
            }
            return sawTail;
        }
        // have a non-globstar body section to test
        const [body, after] = bs;
        while (fileIndex <= after) {
            const m = this.#matchOne(file.slice(0, fileIndex + body.length), body, partial, fileIndex, 0);
            // if limit exceeded, no match. intentional false negative,
            // acceptable break in correctness for security.
            if (m && globStarDepth < this.maxGlobstarRecursion) {
                // match! see if the rest match. if so, we're done!
                const sub = this.#matchGlobStarBodySections(file, bodySegments, fileIndex + body.length, bodyIndex + 1, partial, globStarDepth + 1, sawTail);
                if (sub !== false) {
                    return sub;
                }
            }
            const f = file[fileIndex];
            if (f === '.' ||
                f === '..' ||
                (!this.options.dot && f.startsWith('.'))) {
                return false;
            }
            fileIndex++;
        }
        // walked off. no point continuing
        return partial || null;
    }
    #matchOne(file, pattern, partial, fileIndex, patternIndex) {
        let fi;
        let pi;
        let pl;
        let fl;
        for (fi = fileIndex,
            pi = patternIndex,
            fl = file.length,
            pl = pattern.length; fi < fl && pi < pl; fi++, pi++) {
            this.debug('matchOne loop');
            let p = pattern[pi];
            let f = file[fi];
            this.debug(pattern, p, f);
            // should be impossible.
            // some invalid regexp stuff in the set.
            /* c8 ignore start */
            if (p === false || p === GLOBSTAR) {
                return false;
            }
            /* c8 ignore stop */
            // something other than **
            // non-magic patterns just have to match exactly
            // patterns with magic have been turned into regexps.
            let hit;
            if (typeof p === 'string') {
                hit = f === p;
                this.debug('string match', p, f, hit);
            }
            else {
                hit = p.test(f);
                this.debug('pattern match', p, f, hit);
            }
            if (!hit)
                return false;
        }
        // Note: ending in / means that we'll get a final ""
        // at the end of the pattern.  This can only match a
        // corresponding "" at the end of the file.
        // If the file ends in /, then it can only match a
        // a pattern that ends in /, unless the pattern just
        // doesn't have any more for it. But, a/b/ should *not*
        // match "a/b/*", even though "" matches against the
        // [^/]*? pattern, except in partial mode, where it might
        // simply not be reached yet.
        // However, a/b/ should still satisfy a/*
        // now either we fell off the end of the pattern, or we're done.
        if (fi === fl && pi === pl) {
            // ran out of pattern and filename at the same time.
            // an exact hit!
            return true;
        }
        else if (fi === fl) {
            // ran out of file, but still had pattern left.
            // this is ok if we're doing the match as part of
            // a glob fs traversal.
            return partial;
        }
        else if (pi === pl) {
            // ran out of pattern, still have file left.
            // this is only acceptable if we're on the very last
            // empty segment of a file with a trailing slash.
            // a/* should match a/b/
            return fi === fl - 1 && file[fi] === '';
            /* c8 ignore start */
        }
        else {
            // should be unreachable.
            throw new Error('wtf?');
        }
        /* c8 ignore stop */
    }
    braceExpand() {
        return braceExpand(this.pattern, this.options);
    }
    parse(pattern) {
        assertValidPattern(pattern);
        const options = this.options;
        // shortcuts
        if (pattern === '**')
            return GLOBSTAR;
        if (pattern === '')
            return '';
        // far and away, the most common glob pattern parts are
        // *, *.*, and *.<ext>  Add a fast check method for those.
        let m;
        let fastTest = null;
        if ((m = pattern.match(starRE))) {
            fastTest = options.dot ? starTestDot : starTest;
        }
        else if ((m = pattern.match(starDotExtRE))) {
            fastTest = (options.nocase ?
                options.dot ?
                    starDotExtTestNocaseDot
                    : starDotExtTestNocase
                : options.dot ? starDotExtTestDot
                    : starDotExtTest)(m[1]);
        }
        else if ((m = pattern.match(qmarksRE))) {
            fastTest = (options.nocase ?
                options.dot ?
                    qmarksTestNocaseDot
                    : qmarksTestNocase
                : options.dot ? qmarksTestDot
                    : qmarksTest)(m);
        }
        else if ((m = pattern.match(starDotStarRE))) {
            fastTest = options.dot ? starDotStarTestDot : starDotStarTest;
        }
        else if ((m = pattern.match(dotStarRE))) {
            fastTest = dotStarTest;
        }
        const re = AST.fromGlob(pattern, this.options).toMMPattern();
        if (fastTest && typeof re === 'object') {
            // Avoids overriding in frozen environments
            Reflect.defineProperty(re, 'test', { value: fastTest });
        }
        return re;
    }
    makeRe() {
        if (this.regexp || this.regexp === false)
            return this.regexp;
        // at this point, this.set is a 2d array of partial
        // pattern strings, or "**".
        //
        // It's better to use .match().  This function shouldn't
        // be used, really, but it's pretty convenient sometimes,
        // when you just want to work with a regex.
        const set = this.set;
        if (!set.length) {
            this.regexp = false;
            return this.regexp;
        }
        const options = this.options;
        const twoStar = options.noglobstar ? esm_star
            : options.dot ? twoStarDot
                : twoStarNoDot;
        const flags = new Set(options.nocase ? ['i'] : []);
        // regexpify non-globstar patterns
        // if ** is only item, then we just do one twoStar
        // if ** is first, and there are more, prepend (\/|twoStar\/)? to next
        // if ** is last, append (\/twoStar|) to previous
        // if ** is in the middle, append (\/|\/twoStar\/) to previous
        // then filter out GLOBSTAR symbols
        let re = set
            .map(pattern => {
            const pp = pattern.map(p => {
                if (p instanceof RegExp) {
                    for (const f of p.flags.split(''))
                        flags.add(f);
                }
                return (typeof p === 'string' ? esm_regExpEscape(p)
                    : p === GLOBSTAR ? GLOBSTAR
                        : p._src);
            });
            pp.forEach((p, i) => {
                const next = pp[i + 1];
                const prev = pp[i - 1];
                if (p !== GLOBSTAR || prev === GLOBSTAR) {
                    return;
                }
                if (prev === undefined) {
                    if (next !== undefined && next !== GLOBSTAR) {
                        pp[i + 1] = '(?:\\/|' + twoStar + '\\/)?' + next;
                    }
                    else {
                        pp[i] = twoStar;
                    }
                }
                else if (next === undefined) {
                    pp[i - 1] = prev + '(?:\\/|\\/' + twoStar + ')?';
                }
                else if (next !== GLOBSTAR) {
                    pp[i - 1] = prev + '(?:\\/|\\/' + twoStar + '\\/)' + next;
                    pp[i + 1] = GLOBSTAR;
                }
            });
            const filtered = pp.filter(p => p !== GLOBSTAR);
            // For partial matches, we need to make the pattern match
            // any prefix of the full path. We do this by generating
            // alternative patterns that match progressively longer prefixes.
            if (this.partial && filtered.length >= 1) {
                const prefixes = [];
                for (let i = 1; i <= filtered.length; i++) {
                    prefixes.push(filtered.slice(0, i).join('/'));
                }
                return '(?:' + prefixes.join('|') + ')';
            }
            return filtered.join('/');
        })
            .join('|');
        // need to wrap in parens if we had more than one thing with |,
        // otherwise only the first will be anchored to ^ and the last to $
        const [open, close] = set.length > 1 ? ['(?:', ')'] : ['', ''];
        // must match entire pattern
        // ending in a * or ** will make it less strict.
        re = '^' + open + re + close + '$';
        // In partial mode, '/' should always match as it's a valid prefix for any pattern
        if (this.partial) {
            re = '^(?:\\/|' + open + re.slice(1, -1) + close + ')$';
        }
        // can match anything, as long as it's not this.
        if (this.negate)
            re = '^(?!' + re + ').+$';
        try {
            this.regexp = new RegExp(re, [...flags].join(''));
            /* c8 ignore start */
        }
        catch {
            // should be impossible
            this.regexp = false;
        }
        /* c8 ignore stop */
        return this.regexp;
    }
    slashSplit(p) {
        // if p starts with // on windows, we preserve that
        // so that UNC paths aren't broken.  Otherwise, any number of
        // / characters are coalesced into one, unless
        // preserveMultipleSlashes is set to true.
        if (this.preserveMultipleSlashes) {
            return p.split('/');
        }
        else if (this.isWindows && /^\/\/[^/]+/.test(p)) {
            // add an extra '' for the one we lose
            return ['', ...p.split(/\/+/)];
        }
        else {
            return p.split(/\/+/);
        }
    }
    match(f, partial = this.partial) {
        this.debug('match', f, this.pattern);
        // short-circuit in the case of busted things.
        // comments, etc.
        if (this.comment) {
            return false;
        }
        if (this.empty) {
            return f === '';
        }
        if (f === '/' && partial) {
            return true;
        }
        const options = this.options;
        // windows: need to use /, not \
        if (this.isWindows) {
            f = f.split('\\').join('/');
        }
        // treat the test path as a set of pathparts.
        const ff = this.slashSplit(f);
        this.debug(this.pattern, 'split', ff);
        // just ONE of the pattern sets in this.set needs to match
        // in order for it to be valid.  If negating, then just one
        // match means that we have failed.
        // Either way, return on the first hit.
        const set = this.set;
        this.debug(this.pattern, 'set', set);
        // Find the basename of the path by looking for the last non-empty segment
        let filename = ff[ff.length - 1];
        if (!filename) {
            for (let i = ff.length - 2; !filename && i >= 0; i--) {
                filename = ff[i];
            }
        }
        for (const pattern of set) {
            let file = ff;
            if (options.matchBase && pattern.length === 1) {
                file = [filename];
            }
            const hit = this.matchOne(file, pattern, partial);
            if (hit) {
                if (options.flipNegate) {
                    return true;
                }
                return !this.negate;
            }
        }
        // didn't get any hits.  this is success if it's a negative
        // pattern, failure otherwise.
        if (options.flipNegate) {
            return false;
        }
        return this.negate;
    }
    static defaults(def) {
        return minimatch.defaults(def).Minimatch;
    }
}
/* c8 ignore start */



/* c8 ignore stop */
minimatch.AST = AST;
minimatch.Minimatch = Minimatch;
minimatch.escape = esm_escape_escape;
minimatch.unescape = unescape_unescape;
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./src/engine/glob.ts
/**
 * Glob matching with minimatch, each pattern compiled once: `minimatch(path, glob)` compiles the glob on every call
 * (minimatch's compile frames summed to about 100 ms in a CPU profile of a 3,000-file scan). Options are always `dot: true` (dotfiles such as `.sot/` match).
 */

const compiled = new Map();
function globMatch(path, glob, opts = {}) {
    const key = `${opts.nocase ? 'i' : 's'}${glob}`;
    let mm = compiled.get(key);
    if (!mm) {
        if (compiled.size > 1024)
            compiled.clear();
        mm = new Minimatch(glob, { dot: true, nocase: opts.nocase === true });
        compiled.set(key, mm);
    }
    return mm.match(path, opts.partial === true);
}

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/target-path.ts



const target_path_REASON = '(Target Repository paths must not appear)';
const target_path_TOKEN = /[^\s"'`()<>[\]{},;|=]{2,2048}/g;
const GLOB = /[*?[{]/;
function literalPrefix(pattern) {
    const i = pattern.search(GLOB);
    return i < 0 ? pattern : pattern.slice(0, i);
}
/**
 * The path a token names, written any way a shell, a JSON string or Windows would read it: escaped slashes (`\\/`) and
 * backslashes are separators, `//` is one, `.` segments go and `..` segments are resolved (`/srv/x/../targets/a` is
 * `/srv/targets/a`). A relative path stays relative.
 */
function normalisePath(token) {
    if (!/[\\]|\/\/|(?:^|\/)\.{1,2}(?:\/|$)/.test(token))
        return token;
    const slashes = token.replace(/\\+\/|\\+/g, '/');
    const n = external_node_path_default().posix.normalize(slashes);
    return n.length > 1 ? n.replace(/\/+$/, '') : n;
}
/** The segment of a pattern's literal prefix every path that matches it must spell (normalising only drops segments). */
function keywordOf(pattern) {
    const segments = literalPrefix(pattern).split(/[\\/]+/).filter((s) => s.length >= 2 && s !== '..');
    const longest = segments.reduce((a, b) => (b.length > a.length ? b : a), '');
    return longest ? longest.toLowerCase() : '/';
}
/** Does a path-like token match a pattern (glob, or plain prefix)? */
function matchesTarget(token, pattern) {
    if (!GLOB.test(pattern)) {
        const p = pattern.replace(/\/+$/, '');
        return token === p || token.startsWith(p + '/');
    }
    return globMatch(token, pattern) || globMatch(token, pattern.replace(/\/+$/, '') + '/**');
}
const targetPath = {
    id: 'path/target-repository',
    title: 'Target Repository path',
    summary: 'Paths that match the configured secrets.target-repository-patterns (minimatch globs or plain prefixes); quiet unless configured.',
    docs: 'Flags any path-like token that matches one of `secrets.target-repository-patterns` in `.github/sot-gate.yml` (minimatch globs such as ' +
        '`/srv/targets/**`, or plain prefixes such as `/home/ci/target-repo`). Paths inside `file://` URLs and after `key=` are checked too. ' +
        'A path is normalised before it is matched: escaped slashes (`\\/` in JSON), backslashes, doubled slashes, `.` and `..` segments ' +
        '(`/srv//targets/./acme`, `/srv/other/../targets/acme`, `\\/srv\\/targets\\/acme`, `\\srv\\targets\\acme` all name `/srv/targets/acme`). ' +
        'With no patterns configured (the default) the rule is silent.',
    keywords: [],
    dynamicKeywords: (opts) => opts.targetRepositoryPatterns.map(keywordOf),
    reason: target_path_REASON,
    find(window, opts) {
        const out = [];
        if (opts.targetRepositoryPatterns.length === 0)
            return out;
        target_path_TOKEN.lastIndex = 0;
        for (let m = target_path_TOKEN.exec(window); m !== null; m = target_path_TOKEN.exec(window)) {
            let token = m[0].replace(/[.:,;!?]+$/, '');
            let offset = 0;
            if (!/[\\/]/.test(token))
                continue;
            const file = /^(?:file:\/\/|[A-Za-z_][\w-]*:)(?=\/)/.exec(token);
            if (file) {
                offset = file[0].length;
                token = token.slice(offset);
            }
            const plain = normalisePath(token);
            if (!opts.targetRepositoryPatterns.some((p) => matchesTarget(plain, p)))
                continue;
            out.push({ index: m.index + offset, value: token, message: `Target Repository path ${redact(token)} ${target_path_REASON}` });
        }
        return out;
    },
    exampleOptions: { targetRepositoryPatterns: ['/srv/targets/**', 'work/target-repo'] },
    examples: {
        // Examples run with targetRepositoryPatterns ['/srv/targets/**', 'work/target-repo'] (see test/scanner/detectors.test.ts).
        tp: [
            'cd /srv/targets/acme-api && git log',
            'copied from file:///srv/targets/acme-api/src/main.ts',
            'see work/target-repo/README.md',
            'cd /srv//targets/acme-api',
            'cd /srv/./targets/acme-api',
            'cd /srv/other/../targets/acme-api',
            '{"cwd":"\\/srv\\/targets\\/acme-api"}',
            'cd \\srv\\targets\\acme-api',
            'see ./work/./target-repo/README.md',
        ],
        fp: [
            '/home/svrnty/.hermes/config.yaml',
            'No Target Repository path may be inspected or copied.',
            '/srv/other/acme',
            'cd /srv/targets/../other/acme',
            '{"cwd":"\\/srv\\/other\\/targets"}',
        ],
    },
};

;// CONCATENATED MODULE: ./src/engine/scanner/detectors/vault.ts



const vault = tokenDetector({
    id: 'secret/vault',
    title: 'HashiCorp Vault token',
    summary: 'HashiCorp Vault service, batch and recovery tokens (hvs., hvb., hvr.).',
    docs: 'Matches Vault tokens with the `hvs.`, `hvb.` or `hvr.` prefix and a random body of 24+ characters. Legacy `s.` tokens are covered by `secret/key-name` when assigned to a token key.',
    keywords: ['hvs.', 'hvb.', 'hvr.'],
    pattern: atTokenStart(/hv[sbr]\.[A-Za-z0-9_-]{24,400}/g, 'A-Za-z0-9_.-'),
    prefix: () => 4,
    accept: (_v, body) => looksRandom(body, 24),
    examples: {
        tp: ['VAULT_TOKEN=hvs.CAESIQw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1Lk3Mj5Nh7Bg9Vf2Cd4', "token = 'hvb.AAAAAQJgxDgq7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4'"],
        fp: ['hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'hvb.tooshortxxx', 'hvr.placeholder', 'xhvs.CAESIQw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7'],
    },
});

;// CONCATENATED MODULE: ./src/engine/scanner/index.ts
/**
 * The no-secret scanner: detector registry and public API. Pure: imports nothing from @actions/*.
 * Flow: prefilter (keywords) → candidate lines → detectors on those lines → overlap resolution
 * → RawFinding with a redacted message and a sha256 fingerprint that never contains the value.
 */













































/** Every detector, specific formats first. Add a detector: copy a file in detectors/, list it here. */
const detectors = [
    openai, anthropic, github, aws, google, slack, huggingface, npm, stripe, privateKey, jwt,
    gitlab, groq, sendgrid, vault, azure, notion, sentry, sourcegraph, onepassword, age, atlassian,
    databricks, flyio, grafana, hashicorp, openshift, clojars, cloudflare, docker,
    urlCredentials, basicAuth, bearer, keyName, highEntropyDetector, endpoint, targetPath,
];
const SCANNER_RULE_IDS = [...new Set(detectors.map((d) => d.id))];
/**
 * Detectors run on decoded base64/hex text: every one but the generic key-name and high-entropy guesses (decoded JSON
 * or config is full of assignments; what counts there is a known token, a credential or the endpoint).
 */
const DECODED_DETECTORS = detectors.filter((d) => d.id !== 'secret/high-entropy' && d.id !== 'secret/key-name');
/** Nesting of encodings followed (base64 of base64 of a token is found; a third layer is not decoded). */
const MAX_DECODE_DEPTH = 2;
/**
 * An encoded finding loses an overlap to a specific format and to the credential detectors (a JWT, whose parts are
 * base64 of JSON, stays a JWT), and wins over the key-name and high-entropy guesses (priority 2 and 3).
 */
const ENCODED_PRIORITY = 1.5;
const DEFAULT_REASON = '(secret value must not appear in SOT or artifacts)';
/**
 * In documentation (a Markdown file), a line carrying this marker is an example: its findings are listed and counted as
 * suppressed with EXAMPLE_REASON, never active. Anywhere else (its front matter, artifacts, logs, JSON) the marker means
 * nothing. A marker the change itself adds counts only once approved (see evaluate()).
 */
const EXAMPLE_MARKER = 'sot-gate:example';
const EXAMPLE_REASON = `documentation example (${EXAMPLE_MARKER})`;
/** Documentation, where EXAMPLE_MARKER counts: a Markdown file. */
function isDocumentation(file) {
    return /\.(?:md|markdown)$/i.test(file);
}
/** 0-based indexes of the lines of a text that carry EXAMPLE_MARKER (one pass: a 1 MB line must not be searched per finding). */
function exampleLines(text) {
    const lines = new Set();
    let line = 0;
    let nl = text.indexOf('\n');
    for (let i = text.indexOf(EXAMPLE_MARKER); i >= 0; i = text.indexOf(EXAMPLE_MARKER, i + 1)) {
        for (; nl >= 0 && nl < i; nl = text.indexOf('\n', nl + 1))
            line++;
        lines.add(line);
    }
    return lines;
}
function scannerOptions(config, kind) {
    return {
        endpointVariables: [...config.secrets['endpoint-variables']],
        targetRepositoryPatterns: [...config.secrets['target-repository-patterns']],
        kind,
    };
}
/** sha256 over rule, file and value; hex, 32 chars. Stable across line moves; never the value itself. */
function fingerprint(ruleId, file, value) {
    return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(`${ruleId}\0${file}\0${value}`).digest('hex').slice(0, 32);
}
function lineStartsOf(text) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1))
        starts.push(i + 1);
    return Int32Array.from(starts);
}
/** Index of the line containing pos (0-based). */
function lineAt(starts, pos) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= pos)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}
/** Disjoint [start, end) spans kept sorted; add() refuses a span that overlaps one already held. */
class SpanSet {
    starts = [];
    ends = [];
    add(start, end) {
        let lo = 0;
        let hi = this.starts.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.starts[mid] < start)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && this.ends[lo - 1] > start)
            return false;
        if (lo < this.starts.length && this.starts[lo] < end)
            return false;
        this.starts.splice(lo, 0, start);
        this.ends.splice(lo, 0, end);
        return true;
    }
}
/**
 * Scan a block of text. `firstLine` is the 1-based number of its first line; `firstColumn` the
 * 0-based column offset of its first character (non-zero when a very long line is scanned in windows).
 */
/** At most this many findings of one rule are listed per file; the rest are counted in one more finding. */
const MAX_FINDINGS_PER_RULE = 1000;
/**
 * What is left to list per rule in one file, shared by the blocks of a streamed file. A hostile file (a finding every
 * few bytes) would otherwise hold millions of findings in memory and print them all.
 */
class FindingBudget {
    max;
    listed = new Map();
    over = new Map();
    constructor(max = MAX_FINDINGS_PER_RULE) {
        this.max = max;
    }
    /** Whether one more finding of `ruleId` (at `line`) is listed; counts it when it is not. */
    take(ruleId, line) {
        const n = this.listed.get(ruleId) ?? 0;
        if (n < this.max) {
            this.listed.set(ruleId, n + 1);
            return true;
        }
        const o = this.over.get(ruleId);
        if (o)
            o.count++;
        else
            this.over.set(ruleId, { count: 1, line });
        return false;
    }
    /** One finding per rule that went over: at the first one not listed, with the count (fails like the others). */
    overflow(file) {
        return [...this.over].map(([ruleId, o]) => ({
            file,
            line: o.line,
            ruleId,
            message: `${o.count} more ${ruleId} finding${o.count === 1 ? '' : 's'} in this file from here on, not listed (at most ${this.max} per rule and file)`,
            fingerprint: fingerprint(ruleId, file, `more than ${this.max}`),
        }));
    }
}
function scanBlock(text, file, opts, firstLine = 1, firstColumn = 0, budget) {
    const { starts, kept } = resolvedMatches(text, opts);
    const examples = isDocumentation(file) && text.includes(EXAMPLE_MARKER) ? exampleLines(text) : undefined;
    // The marker counts in the prose of a Markdown file, never in its YAML front matter.
    const prose = examples && firstLine === 1 ? proseStartLine(text) : 1;
    const out = [];
    const emit = (h, l, rawColumn, quoting, lineStart) => {
        if (budget && !budget.take(h.d.id, firstLine + l))
            return;
        const column = rawColumn + 1 + (l === 0 ? firstColumn : 0);
        const message = h.m.message ?? `${h.d.title} ${redact(h.m.value)} ${h.d.reason ?? DEFAULT_REASON}`;
        out.push({
            file,
            line: firstLine + l,
            column,
            ruleId: h.d.id,
            message: message.includes('"') ? quoting.redact(message, h, lineStart) : message,
            fingerprint: fingerprint(h.d.id, file, h.m.value),
            offset: starts[l] + rawColumn,
            ...(examples?.has(l) && firstLine + l >= prose ? { suppressed: { kind: 'inline', reason: EXAMPLE_REASON } } : {}),
        });
    };
    const quoting = new SafeQuotes(kept, opts);
    for (const h of kept) {
        const l = lineAt(starts, h.abs);
        emit(h, l, h.abs - starts[l], quoting, starts[l]);
    }
    if (isDocumentation(file))
        renderedPass(text, opts, starts, kept, emit);
    return out.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.ruleId.localeCompare(b.ruleId));
}
/**
 * Documentation is also scanned as it renders (render.ts): escapes and character references resolved, table rows read
 * as name/value pairs, code spans unwrapped. Only rendered lines that differ are scanned, in a text of the same line
 * count, so a finding keeps its raw line and the raw column its value starts at. A value the raw scan already reported
 * on that line, or a finding of the same rule over the same raw span, is not reported again.
 */
function renderedPass(text, opts, starts, rawKept, emit) {
    const rendered = renderedLines(text);
    if (rendered.size === 0)
        return;
    const lineCount = starts.length;
    // What the raw scan reported on the rendered lines: rule, line and value; and each rule's raw spans.
    const seen = new Set();
    const rawSpans = new Map();
    for (const h of rawKept) {
        const l = lineAt(starts, h.abs);
        if (!rendered.has(l))
            continue;
        seen.add(`${h.d.id}\0${l}\0${h.m.value}`);
        const list = rawSpans.get(h.d.id) ?? [];
        list.push([h.abs, h.abs + h.m.value.length]);
        rawSpans.set(h.d.id, list);
    }
    const parts = new Array(lineCount).fill('');
    for (const [l, r] of rendered)
        if (l < lineCount)
            parts[l] = r.text;
    const rtext = parts.join('\n');
    const { starts: rstarts, kept } = resolvedMatches(rtext, opts);
    if (kept.length === 0)
        return;
    const quoting = new SafeQuotes(kept, opts);
    for (const h of kept) {
        const l = lineAt(rstarts, h.abs);
        const r = rendered.get(l);
        if (!r)
            continue;
        const at = h.abs - rstarts[l];
        const rawColumn = r.cols[at] ?? 0;
        const rawEnd = (r.cols[Math.min(r.cols.length, at + h.m.value.length) - 1] ?? rawColumn) + 1;
        const key = `${h.d.id}\0${l}\0${h.m.value}`;
        if (seen.has(key))
            continue;
        const s = starts[l] + rawColumn;
        const e = starts[l] + rawEnd;
        if (rawSpans.get(h.d.id)?.some(([a, b]) => a < e && s < b))
            continue;
        seen.add(key);
        emit(h, l, rawColumn, quoting, rstarts[l]);
    }
}
/** How far before its value a quoted key can start: quotes, an 81-character name, `]`, spaces and a separator (keys.ts). */
const KEY_REACH = 160;
/**
 * A message that quotes input (`secret-named key "…"`, `assigned to "…"`) must not carry a secret through the quote: a
 * key name can itself be a token (`ghp_…_SECRET=…`, `{"sk-…": "…"}`). Each quoted part loses any value another detector
 * found just before this finding's value on the same line (where its key is), then anything a detector finds in the
 * quoted part on its own (redactSecrets).
 */
class SafeQuotes {
    kept;
    opts;
    byPosition;
    cache = new Map();
    constructor(kept, opts) {
        this.kept = kept;
        this.opts = opts;
    }
    redact(message, self, lineStart) {
        const others = this.before(self, Math.max(lineStart, self.abs - KEY_REACH));
        return message.replace(/"[^"]*"/g, (quoted) => {
            let q = quoted;
            for (const o of others)
                if (q.includes(o.m.value))
                    q = q.split(o.m.value).join(redact(o.m.value));
            let safe = this.cache.get(q);
            if (safe === undefined) {
                safe = q.length < 10 ? q : redactSecrets(q, { ...this.opts, kind: 'artifact' });
                if (this.cache.size > 1024)
                    this.cache.clear();
                this.cache.set(q, safe);
            }
            return safe;
        });
    }
    /** Other hits of 8+ characters starting in [from, self.abs): kept spans are disjoint, so at most KEY_REACH of them. */
    before(self, from) {
        this.byPosition ??= [...this.kept].sort((a, b) => a.abs - b.abs);
        const sorted = this.byPosition;
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (sorted[mid].abs < from)
                lo = mid + 1;
            else
                hi = mid;
        }
        const out = [];
        for (let i = lo; i < sorted.length && sorted[i].abs < self.abs; i++)
            if (sorted[i] !== self && sorted[i].m.value.length >= 8)
                out.push(sorted[i]);
        return out;
    }
}
/** Every detector match of a text after overlap resolution (specific formats win), with absolute offsets. */
function resolvedMatches(text, opts, list = detectors, depth = 0) {
    const pf = buildPrefilter(list, opts);
    const perDetector = candidates(text, pf, list.length);
    // After the keyword pass: its regex has flattened the string, which the character loop of encodedCandidates reads.
    const encoded = depth < MAX_DECODE_DEPTH ? encodedHits(text, opts, depth) : [];
    if (encoded.length === 0 && perDetector.every((c) => c.length === 0))
        return { starts: new Int32Array([0]), kept: [] };
    const starts = lineStartsOf(text);
    const lineEnd = (l) => (l + 1 < starts.length ? starts[l + 1] - 1 : text.length);
    // (line, detector) pairs, line-major: each line is sliced once, and detectors reading the same line share work (the
    // key-name and high-entropy detectors share its parsed assignments).
    const D = list.length;
    const pairs = [];
    perDetector.forEach((positions, di) => {
        let lastLine = -1;
        for (const pos of positions) {
            const l = lineAt(starts, pos);
            if (l !== lastLine)
                pairs.push(l * D + di);
            lastLine = l;
        }
    });
    pairs.sort((a, b) => a - b);
    const hits = [...encoded];
    let line = -1;
    let lineText = '';
    for (const pair of pairs) {
        const l = Math.floor(pair / D);
        const d = list[pair - l * D];
        const s = starts[l];
        const e = lineEnd(l);
        if (l !== line) {
            line = l;
            lineText = text.slice(s, e);
        }
        const window = d.windowAfter
            ? text.slice(s, Math.min(text.length, s + d.windowAfter))
            : d.nextLine && l + 1 < starts.length
                ? text.slice(s, lineEnd(l + 1))
                : lineText;
        for (const m of d.find(window, opts)) {
            if (d.windowAfter && m.index > e - s)
                continue; // reported from its own line
            hits.push({ d, m, abs: s + m.index });
        }
    }
    // Overlap resolution: specific formats win over generic ones on the same span.
    hits.sort((a, b) => priorityOf(a) - priorityOf(b) || a.abs - b.abs || b.m.value.length - a.m.value.length);
    const kept = [];
    const spans = new SpanSet();
    for (const h of hits)
        if (spans.add(h.abs, h.abs + Math.max(1, h.m.value.length)))
            kept.push(h);
    return { starts, kept };
}
const priorityOf = (h) => h.priority ?? h.d.priority ?? 0;
/**
 * Findings in the decoded text of base64 and hex runs (encoded.ts), one per run: reported under the rule that found the
 * value in the decoded text, at the run, whose written form is the value (hashed into the fingerprint, redacted in
 * every output: redactSecrets replaces the run).
 */
function encodedHits(text, opts, depth) {
    const out = [];
    const candidates = encodedCandidates(text);
    if (candidates.length === 0)
        return out;
    const pf = buildPrefilter(DECODED_DETECTORS, opts);
    // The same run repeated (a log line logged a thousand times) is decoded and scanned once.
    const done = new Map();
    for (const c of candidates) {
        let inner = done.get(c.decoded);
        if (!inner) {
            // No keyword, no trigger: nothing any detector could find (and, but for an encoded run inside, nothing deeper).
            inner = anyCandidate(c.decoded, pf) || (depth + 1 < MAX_DECODE_DEPTH && /[A-Za-z0-9+/_-]{16}/.test(c.decoded)) ? resolvedMatches(c.decoded, opts, DECODED_DETECTORS, depth + 1).kept : [];
            if (done.size < 4096)
                done.set(c.decoded, inner);
        }
        if (inner.length === 0)
            continue;
        const first = inner.reduce((a, b) => (priorityOf(b) < priorityOf(a) ? b : a));
        const encodedAs = first.encodedAs ? `${c.form} of ${first.encodedAs}` : c.form;
        out.push({
            d: first.d,
            abs: c.index,
            m: { index: c.index, value: c.value, message: `${encodedAs}-encoded ${first.d.title} ${redact(c.value)} ${first.d.reason ?? DEFAULT_REASON}` },
            priority: ENCODED_PRIORITY,
            encodedAs,
        });
    }
    return out;
}
/** Scan a whole text. Findings carry ruleId, 1-based line and column, a redacted message and a fingerprint. */
function scanText(text, file, opts) {
    const budget = new FindingBudget();
    return [...scanBlock(text, file, opts, 1, 0, budget).map(({ offset: _o, ...f }) => f), ...budget.overflow(file)];
}
const REDACT_OPTS = { endpointVariables: ['CTO_HARNESS_CASE_LOCAL_BASE_URL'], targetRepositoryPatterns: [], kind: 'artifact' };
/**
 * Replace every detected secret or endpoint value in a text with its redacted form. The last line of defence for text
 * that quotes input (a rule message quoting a field value, an error message): no output may carry a detected value.
 */
function redactSecrets(text, opts = REDACT_OPTS) {
    const { kept } = resolvedMatches(text, opts);
    if (kept.length === 0)
        return text;
    let out = text;
    for (const h of [...kept].sort((a, b) => b.abs - a.abs)) {
        if (!h.m.value)
            continue;
        const at = text.indexOf(h.m.value, h.abs);
        const start = at === -1 ? text.indexOf(h.m.value) : at;
        if (start === -1)
            continue;
        out = out.slice(0, start) + redact(h.m.value) + out.slice(start + h.m.value.length);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/engine/scanner/encoding.ts
/** Bytes looked at to recognise UTF-16 without a byte order mark. */
const SNIFF = 8 * 1024;
function sniffEncoding(head) {
    if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe && !(head.length >= 4 && head[2] === 0 && head[3] === 0))
        return 'utf-16le';
    if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff)
        return 'utf-16be';
    const n = Math.min(head.length, SNIFF) & ~1;
    if (n < 4)
        return 'utf-8';
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
        if (head[i] === 0)
            evenZero++;
        if (head[i + 1] === 0)
            oddZero++;
    }
    const pairs = n / 2;
    // Mostly ASCII as UTF-16: the high byte of most characters is zero, the low byte almost never is.
    if (oddZero >= 0.6 * pairs && evenZero <= 0.02 * pairs)
        return 'utf-16le';
    if (evenZero >= 0.6 * pairs && oddZero <= 0.02 * pairs)
        return 'utf-16be';
    return 'utf-8';
}
/** Whether a file in this encoding is UTF-16. */
function isUtf16(encoding) {
    return encoding !== 'utf-8';
}
/** The whole text of a buffer in its encoding (a UTF-16 byte order mark is dropped; invalid sequences become U+FFFD). */
function decodeAs(bytes, encoding) {
    return new TextDecoder(encoding).decode(bytes);
}

;// CONCATENATED MODULE: ./src/engine/scanner/stream.ts
/**
 * Streaming scan of a file on disk in constant memory: read in chunks, scan blocks of whole lines
 * (64 KiB each), carry the partial last line; a line longer than a block is scanned in
 * overlapping windows. A private key block cut by a block boundary is carried whole into the next one, and a window of a
 * long line never ends inside a token: findings, values and fingerprints are those of an in-memory scan.
 */




const BLOCK = 64 * 1024;
/** Longest secret we promise to find inside an overlong line (window overlap). */
const OVERLAP = 16 * 1024;
/** How far back a window's end (or the next window's start) moves to keep a run of token characters whole. */
const CARRY = OVERLAP / 2;
const TOKEN_CHAR = /[A-Za-z0-9_.~+/=-]/;
const stream_SNIFF = 8 * 1024;
/** Files up to this size are read whole (faster for the many small SOT files). */
const IN_MEMORY_LIMIT = 8 * 1024 * 1024;
/**
 * One open for the common case: size, binary sniff and (for files up to the in-memory limit) the whole content.
 * Synchronous on purpose: thousands of small SOT files read faster without a promise round trip per call, and the
 * scan that follows is CPU-bound anyway. Larger files are only sniffed here, then streamed.
 */
function readSmall(absPath, inMemoryLimit) {
    const fd = (0,external_node_fs_namespaceObject.openSync)(absPath, 'r');
    try {
        const size = (0,external_node_fs_namespaceObject.fstatSync)(fd).size;
        const want = size <= inMemoryLimit ? size : Math.min(stream_SNIFF, size);
        const buf = Buffer.allocUnsafe(want);
        let got = 0;
        while (got < want) {
            const n = (0,external_node_fs_namespaceObject.readSync)(fd, buf, got, want - got, got);
            if (n === 0)
                break;
            got += n;
        }
        const data = buf.subarray(0, got);
        // UTF-16 first: its NUL bytes would make it look binary.
        const encoding = sniffEncoding(data.subarray(0, stream_SNIFF));
        const binary = !isUtf16(encoding) && isBinary(data.subarray(0, stream_SNIFF));
        return size <= inMemoryLimit ? { binary, size, buf: data, encoding } : { binary, size, encoding };
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
/**
 * First bytes of binary formats (PNG, JPEG, ZIP, gzip, zstd, xz, 7z, ELF, Mach-O, Java class, WebAssembly, SQLite): each
 * holds a byte that no text starts with.
 */
const MAGIC = [
    [0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x50, 0x4b, 0x03, 0x04], [0x1f, 0x8b], [0x28, 0xb5, 0x2f, 0xfd],
    [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], [0x7f, 0x45, 0x4c, 0x46],
    [0xcf, 0xfa, 0xed, 0xfe], [0xce, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe], [0x00, 0x61, 0x73, 0x6d],
    [...Buffer.from('SQLite format 3\0')],
].map((b) => Buffer.from(b));
/** Not text: NUL, control characters other than \b \t \n \f \r and ESC, DEL, and invalid UTF-8 (decoded to U+FFFD). */
const NOT_TEXT = /[\0-\x07\x0b\x0e-\x1a\x1c-\x1f\x7f\ufffd]/g;
/**
 * A file is binary when it starts with a known binary magic number or more than 10% of its first 8 KiB is not text. A
 * text log with a stray NUL is text, scanned whole (the NUL is then just a character): skipping it would pass its secrets.
 */
function isBinary(head) {
    if (MAGIC.some((m) => head.subarray(0, m.length).equals(m)))
        return true;
    const text = new TextDecoder().decode(head.subarray(0, stream_SNIFF), { stream: true }); // a character cut at 8 KiB is no error
    return (text.match(NOT_TEXT)?.length ?? 0) > 0.1 * text.length;
}
/**
 * Where a window edge at `at` should go so that it does not cut a run of token characters: the start of the run, when that
 * is at most CARRY characters back; otherwise `at` (a run that long is no token). A run reaching the end of what has been
 * read so far may go on.
 */
function runStart(s, at) {
    if ((at < s.length && !TOKEN_CHAR.test(s[at])) || !TOKEN_CHAR.test(s[at - 1] ?? ''))
        return at;
    for (let i = at - 1; i > at - CARRY; i--)
        if (!TOKEN_CHAR.test(s[i - 1] ?? ''))
            return i;
    return at;
}
const strip = ({ offset: _o, ...f }) => f;
async function scanFile(absPath, relPath, opts, inMemoryLimit = IN_MEMORY_LIMIT) {
    const { binary, size, buf, encoding } = readSmall(absPath, inMemoryLimit);
    if (binary)
        return { findings: [], allows: [], binary: true, bytes: size };
    const utf16 = isUtf16(encoding) ? { encoding } : {};
    if (buf) {
        const text = utf16.encoding ? decodeAs(buf, encoding) : buf.toString('utf8');
        const budget = new FindingBudget();
        const findings = [...scanBlock(text, relPath, opts, 1, 0, budget).map(strip), ...budget.overflow(relPath)];
        return { findings, allows: parseAllowDirectives(text, relPath), binary: false, bytes: size, ...utf16 };
    }
    const budget = new FindingBudget();
    const findings = [];
    const allows = [];
    let seen = new Set();
    let proseFrom;
    let pending = '';
    let line = 1; // line number of pending[0]
    let column = 0; // 0-based column of pending[0] within its line
    let bytes = 0;
    const emit = (block) => {
        const next = new Set();
        for (const f of scanBlock(block, relPath, opts, line, column)) {
            const key = `${f.line}:${f.column}:${f.ruleId}`;
            next.add(key);
            // Overlapping windows find some matches twice: only a new one counts against the budget.
            if (!seen.has(key) && budget.take(f.ruleId, f.line))
                findings.push(strip(f));
        }
        seen = next;
        // The front matter ends in the first block (or the whole file counts as front matter: fail closed).
        if (line === 1 && proseFrom === undefined)
            proseFrom = isMarkdownFile(relPath) ? proseStartLine(block) : Number.POSITIVE_INFINITY;
        if (block.includes('sot-gate:allow')) {
            for (const a of parseAllowDirectives(block, relPath, { proseFrom: (proseFrom ?? Number.POSITIVE_INFINITY) - line + 1 })) {
                allows.push({ ...a, line: a.line + line - 1, at: a.at + line - 1 });
            }
        }
    };
    const drain = (final) => {
        while (pending.length >= BLOCK || (final && pending.length > 0)) {
            if (final && pending.length < BLOCK) {
                emit(pending);
                pending = '';
                return;
            }
            const nl = pending.lastIndexOf('\n', BLOCK - 1);
            if (nl < 0) {
                // One overlong line: scan a window, keep an overlap so a secret across the cut is still whole. The window ends
                // before a token (or a private key block) it would cut, which the next window then reports whole; the next window
                // starts at the start of a token, never inside one.
                let end = runStart(pending, BLOCK);
                const begin = pending.lastIndexOf('-----BEGIN', end);
                if (begin > end - CARRY && pending.lastIndexOf('-----END', end) < begin)
                    end = begin;
                emit(pending.slice(0, end));
                const cut = runStart(pending, BLOCK - OVERLAP);
                column += cut;
                pending = pending.slice(cut);
                continue;
            }
            let cut = nl + 1;
            // keep an unfinished private key block together with its body
            const begin = pending.lastIndexOf('-----BEGIN', cut);
            if (begin > 0 && begin > pending.lastIndexOf('-----END', cut) && cut - begin < 64 * 1024) {
                const lineStart = pending.lastIndexOf('\n', begin) + 1;
                if (lineStart > 0)
                    cut = lineStart;
            }
            const block = pending.slice(0, cut);
            emit(block);
            let n = 0;
            for (let i = block.indexOf('\n'); i >= 0; i = block.indexOf('\n', i + 1))
                n++;
            line += n;
            column = 0;
            pending = pending.slice(cut);
        }
    };
    // UTF-16 is decoded by a streaming TextDecoder (a character cut by a chunk boundary is carried); UTF-8 as before.
    const decoder = utf16.encoding ? new TextDecoder(encoding) : undefined;
    const stream = (0,external_node_fs_namespaceObject.createReadStream)(absPath, decoder ? { highWaterMark: 64 * 1024 } : { encoding: 'utf8', highWaterMark: 64 * 1024 });
    for await (const chunk of stream) {
        if (typeof chunk === 'string') {
            bytes += Buffer.byteLength(chunk, 'utf8');
            pending += chunk;
        }
        else {
            bytes += chunk.length;
            pending += decoder.decode(chunk, { stream: true });
        }
        drain(false);
    }
    if (decoder)
        pending += decoder.decode();
    drain(true);
    findings.push(...budget.overflow(relPath));
    return { findings, allows, binary: false, bytes, ...utf16 };
}

;// CONCATENATED MODULE: ./src/cli/scan-worker.ts
/** The worker side of src/cli/scan-pool.ts: scans each requested file in this thread. Imports the scanner only. */


/** The worker side: scan each requested file, reply with the result or the error's message (no file content). */
function runScanWorker() {
    external_node_worker_threads_namespaceObject.parentPort?.on('message', (req) => {
        scanFile(...req.args).then((result) => external_node_worker_threads_namespaceObject.parentPort?.postMessage({ id: req.id, result }), (e) => external_node_worker_threads_namespaceObject.parentPort?.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) }));
    });
}

;// CONCATENATED MODULE: ./src/scan-worker.ts
/** Entry of `sot-gate scan`'s worker threads (bundled to dist/scan-worker.js): the scanner only, so a worker starts fast. */

runScanWorker();

