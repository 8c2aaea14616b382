//! Codecs and checksums the secret matcher validates keys with: Marvin32 (Microsoft's
//! identifiable keys), CRC-32 (legacy Azure DevOps PATs), base32 and base64 decoding. Pure
//! functions over bytes, no knowledge of secrets.

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
