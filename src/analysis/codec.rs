//! Codecs and checksums the secret matcher validates keys with: Marvin32 (Microsoft's
//! identifiable keys), CRC-32 (legacy Azure DevOps PATs), base32 and base64 decoding, and the
//! first levels of DER to tell private keys and PKCS#12 archives from certificates. Pure functions
//! over bytes.

/// Marvin32 (SymCrypt / .NET): returns `(p0, p1)` after hashing `data` with `seed`.
pub fn marvin(data: &[u8], seed: u64) -> (u32, u32) {
    fn block(p0: &mut u32, p1: &mut u32) {
        *p1 ^= *p0;
        *p0 = p0.rotate_left(20);
        *p0 = p0.wrapping_add(*p1);
        *p1 = p1.rotate_left(9);
        *p1 ^= *p0;
        *p0 = p0.rotate_left(27);
        *p0 = p0.wrapping_add(*p1);
        *p1 = p1.rotate_left(19);
    }
    let mut p0 = seed as u32;
    let mut p1 = (seed >> 32) as u32;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        p0 = p0.wrapping_add(u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        block(&mut p0, &mut p1);
    }
    let rem = chunks.remainder();
    let last: u32 = match rem.len() {
        0 => 0x80,
        1 => 0x8000 | u32::from(rem[0]),
        2 => 0x80_0000 | u32::from(rem[0]) | (u32::from(rem[1]) << 8),
        _ => 0x8000_0000 | u32::from(rem[0]) | (u32::from(rem[1]) << 8) | (u32::from(rem[2]) << 16),
    };
    p0 = p0.wrapping_add(last);
    block(&mut p0, &mut p1);
    block(&mut p0, &mut p1);
    (p0, p1)
}

/// Marvin32 collapsed to 32 bits, as .NET's `Marvin.ComputeHash32`.
pub fn marvin32(data: &[u8], seed: u64) -> u32 {
    let (p0, p1) = marvin(data, seed);
    p0 ^ p1
}

/// CRC-32 (IEEE 802.3, reflected).
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for b in data {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// Base32 (RFC 4648 alphabet, either case) without padding.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut acc, mut bits) = (0u64, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'a'..=b'z' => c - b'a',
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u64::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Decodes base64 (standard, or URL-safe when `url`), padding optional. `None` on a bad character.
pub fn base64_decode(s: &str, url: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' if !url => 62,
            b'/' if !url => 63,
            b'-' if url => 62,
            b'_' if url => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// One DER (or BER) element at the start of `b`: its tag, its contents and what follows it.
/// An indefinite length (BER, as Java's keytool writes PKCS#12) takes the rest as contents.
/// `None` when the element is truncated or its length is malformed.
pub fn der_next(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = b.split_first()?;
    let (&l0, rest) = rest.split_first()?;
    if l0 == 0x80 {
        return Some((tag, rest, &[]));
    }
    let (len, rest) = if l0 < 0x80 {
        (usize::from(l0), rest)
    } else {
        let n = usize::from(l0 & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, &x| (a << 8) | usize::from(x));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// What a DER blob holding private key material is, told apart by its first ASN.1 levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DerKey {
    /// A PKCS#12 (PFX) archive with a key bag or a shrouded (PKCS#8) key bag in sight.
    PfxWithKey,
    /// A PKCS#12 archive whose bags are all encrypted: it may hold a private key (OpenSSL,
    /// Windows and Java keep the key's shrouded bag in sight and encrypt the certificates, so
    /// this is most often an archive of certificates; a lower tier).
    PfxEncrypted,
    /// An unencrypted private key: PKCS#8 `PrivateKeyInfo`, PKCS#1 `RSAPrivateKey`, SEC1
    /// `ECPrivateKey`.
    PrivateKey,
    /// A password-encrypted PKCS#8 `EncryptedPrivateKeyInfo`.
    EncryptedPrivateKey,
}

/// `1.2.840.113549` (RSA Data Security), the arc of PKCS OIDs, as DER contents.
const PKCS: [u8; 6] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D];

/// Private key material in a DER blob, or `None` for anything else (an X.509 certificate, a
/// certificate request, a PKCS#7 certificate chain, a PKCS#12 archive of certificates only, a
/// public key, random bytes).
pub fn der_private_key(b: &[u8]) -> Option<DerKey> {
    let (0x30, body, _) = der_next(b)? else {
        return None;
    };
    let (t1, c1, r1) = der_next(body)?;
    match t1 {
        0x02 => {
            let (t2, c2, r2) = der_next(r1)?;
            match (c1, t2) {
                // PFX { version 3, authSafe ContentInfo { pkcs7 data | signedData }, macData }
                ([3], 0x30) => {
                    let (0x06, oid, _) = der_next(c2)? else {
                        return None;
                    };
                    let pkcs7 = [&PKCS[..], &[0x01, 0x07]].concat();
                    if !oid.starts_with(&pkcs7) {
                        return None;
                    }
                    // bag ids 1.2.840.113549.1.12.10.1.{1 key, 2 shrouded key, 3 certificate}
                    let bag = |n: u8| {
                        let mut id = vec![0x06, 0x0B];
                        id.extend_from_slice(&PKCS);
                        id.extend_from_slice(&[0x01, 0x0C, 0x0A, 0x01, n]);
                        b.windows(id.len()).any(|w| w == id.as_slice())
                    };
                    if bag(1) || bag(2) {
                        Some(DerKey::PfxWithKey)
                    } else if bag(3) {
                        None
                    } else {
                        Some(DerKey::PfxEncrypted)
                    }
                }
                // PrivateKeyInfo { version 0|1, AlgorithmIdentifier { OID, … }, OCTET STRING }
                ([0] | [1], 0x30) => {
                    let (0x06, _, _) = der_next(c2)? else {
                        return None;
                    };
                    let (0x04, _, _) = der_next(r2)? else {
                        return None;
                    };
                    Some(DerKey::PrivateKey)
                }
                // RSAPrivateKey { version 0, n, e, d, p, q, dp, dq, qinv }
                ([0], 0x02) => {
                    let mut rest = r1;
                    let mut integers = 0;
                    while let Some((0x02, _, r)) = der_next(rest) {
                        integers += 1;
                        rest = r;
                    }
                    (integers >= 8).then_some(DerKey::PrivateKey)
                }
                // ECPrivateKey { version 1, privateKey OCTET STRING, … }
                ([1], 0x04) if (16..=66).contains(&c2.len()) => Some(DerKey::PrivateKey),
                _ => None,
            }
        }
        // EncryptedPrivateKeyInfo { AlgorithmIdentifier { PBES2 | PKCS#12 PBE, … }, OCTET STRING }
        0x30 => {
            let (0x06, oid, _) = der_next(c1)? else {
                return None;
            };
            let pbes = [&PKCS[..], &[0x01, 0x05]].concat();
            let pkcs12_pbe = [&PKCS[..], &[0x01, 0x0C, 0x01]].concat();
            if !(oid.starts_with(&pbes) || oid.starts_with(&pkcs12_pbe)) {
                return None;
            }
            let (0x04, _, after) = der_next(r1)? else {
                return None;
            };
            after.is_empty().then_some(DerKey::EncryptedPrivateKey)
        }
        _ => None,
    }
}

#[cfg(test)]
mod der_tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match content.len() {
            n @ 0..=0x7f => out.push(n as u8),
            n @ 0x80..=0xff => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(content);
        out
    }

    fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }

    fn pkcs_oid(tail: &[u8]) -> Vec<u8> {
        tlv(0x06, &[&PKCS[..], tail].concat())
    }

    fn pfx(bag: Option<u8>) -> Vec<u8> {
        let safe = match bag {
            Some(n) => seq(&[
                pkcs_oid(&[1, 7, 1]),
                tlv(
                    0xA0,
                    &tlv(
                        0x04,
                        &seq(&[seq(&[pkcs_oid(&[1, 12, 10, 1, n]), tlv(0xA0, &[7; 40])])]),
                    ),
                ),
            ]),
            None => seq(&[pkcs_oid(&[1, 7, 6]), tlv(0xA0, &[9; 300])]),
        };
        let auth = seq(&[pkcs_oid(&[1, 7, 1]), tlv(0xA0, &tlv(0x04, &seq(&[safe])))]);
        seq(&[tlv(0x02, &[3]), auth, seq(&[tlv(0x04, &[1; 20])])])
    }

    #[test]
    fn der_tells_private_keys_from_certificates() {
        let int = |b: &[u8]| tlv(0x02, b);
        let pkcs8 = seq(&[
            int(&[0]),
            seq(&[pkcs_oid(&[1, 1, 1]), vec![5, 0]]),
            tlv(0x04, &[4; 200]),
        ]);
        assert_eq!(der_private_key(&pkcs8), Some(DerKey::PrivateKey));
        let rsa = seq(&[
            int(&[0]),
            int(&[5; 129]),
            int(&[1, 0, 1]),
            int(&[6; 128]),
            int(&[7; 65]),
            int(&[8; 65]),
            int(&[9; 64]),
            int(&[10; 64]),
            int(&[11; 64]),
        ]);
        assert_eq!(der_private_key(&rsa), Some(DerKey::PrivateKey));
        let ec = seq(&[int(&[1]), tlv(0x04, &[3; 32])]);
        assert_eq!(der_private_key(&ec), Some(DerKey::PrivateKey));
        let encrypted = seq(&[
            seq(&[pkcs_oid(&[1, 5, 13]), seq(&[])]),
            tlv(0x04, &[2; 300]),
        ]);
        assert_eq!(
            der_private_key(&encrypted),
            Some(DerKey::EncryptedPrivateKey)
        );
        assert_eq!(der_private_key(&pfx(Some(2))), Some(DerKey::PfxWithKey));
        assert_eq!(der_private_key(&pfx(Some(1))), Some(DerKey::PfxWithKey));
        assert_eq!(der_private_key(&pfx(None)), Some(DerKey::PfxEncrypted));
        // silent: a PFX of certificates, an X.509 certificate, a PKCS#7 chain, an RSA public
        // key, truncated or garbage bytes
        assert_eq!(der_private_key(&pfx(Some(3))), None);
        let cert = seq(&[
            seq(&[
                tlv(0xA0, &int(&[2])),
                int(&[1; 16]),
                seq(&[pkcs_oid(&[1, 1, 11])]),
            ]),
            seq(&[pkcs_oid(&[1, 1, 11]), vec![5, 0]]),
            tlv(0x03, &[0; 257]),
        ]);
        assert_eq!(der_private_key(&cert), None);
        let chain = seq(&[pkcs_oid(&[1, 7, 2]), tlv(0xA0, &[1; 100])]);
        assert_eq!(der_private_key(&chain), None);
        let public = seq(&[int(&[5; 129]), int(&[1, 0, 1])]);
        assert_eq!(der_private_key(&public), None);
        assert_eq!(der_private_key(&pkcs8[..pkcs8.len() / 2]), None);
        assert_eq!(der_private_key(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(der_private_key(&[]), None);
    }
}
