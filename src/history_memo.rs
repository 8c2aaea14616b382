//! Results per string kept across the versions of a file, for `keyless history`.
//!
//! Most versions of a file differ from the one before by a few lines, so nearly every literal of a
//! version was already searched in an earlier one. A [`Memo`] keeps the result of a pure function of
//! a string (the secret-pattern search over a literal) keyed by the string itself: a fast hash
//! finds the entry and the stored string is compared byte for byte, so a hit returns exactly what
//! the function would compute, and a hash collision only costs a recomputation.
//!
//! A memo is per thread and off unless the thread turned it on ([`enable_on_this_thread`]): the
//! history's workers do; a working-tree scan (each file once) does not. Its size is bounded: two
//! generations of at most [`GENERATION_BYTES`] of keys each; when the current one is full it becomes
//! the old one (the older is dropped), and an entry found in the old one moves back to the current.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// The bytes of keys one generation of one memo holds (a thread holds two generations).
pub const GENERATION_BYTES: usize = 4 * 1024 * 1024;

/// Strings shorter than this are computed, not looked up: the lookup would cost about as much.
pub const MIN_LEN: usize = 32;

thread_local! {
    static ENABLED: Cell<bool> = const { Cell::new(false) };
}

/// Turns the memos on for the calling thread (for the rest of its life).
pub fn enable_on_this_thread() {
    ENABLED.with(|e| e.set(true));
}

/// A word-at-a-time multiplicative hash (FxHash's mixing step): fast on long strings; collisions
/// are harmless (keys are compared).
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let mut w = [0u8; 8];
    let rest = chunks.remainder();
    w[..rest.len()].copy_from_slice(rest);
    (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K)
}

type Generation<V> = HashMap<u64, (Box<str>, V)>;

/// One thread's memo of a function of a string (see the module's notes).
pub struct Memo<V> {
    inner: RefCell<Inner<V>>,
}

struct Inner<V> {
    current: Generation<V>,
    old: Generation<V>,
    bytes: usize,
}

impl<V: Clone> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            inner: RefCell::new(Inner {
                current: HashMap::new(),
                old: HashMap::new(),
                bytes: 0,
            }),
        }
    }
}

impl<V: Clone> Memo<V> {
    /// `f(text)`, from the memo when this thread turned it on and `text` was seen before.
    pub fn get_or(&self, text: &str, f: impl FnOnce(&str) -> V) -> V {
        if text.len() < MIN_LEN || !ENABLED.with(Cell::get) {
            return f(text);
        }
        let Ok(mut inner) = self.inner.try_borrow_mut() else {
            return f(text);
        };
        let h = hash(text.as_bytes());
        if let Some((k, v)) = inner.current.get(&h) {
            if **k == *text {
                return v.clone();
            }
        }
        let moved = match inner.old.remove(&h) {
            Some((k, v)) if *k == *text => Some((k, v)),
            Some(other) => {
                inner.old.insert(h, other);
                None
            }
            None => None,
        };
        let (key, value) = match moved {
            Some(kv) => kv,
            None => {
                // computed without holding the memo: the function may use other memos
                drop(inner);
                let v = f(text);
                inner = match self.inner.try_borrow_mut() {
                    Ok(i) => i,
                    Err(_) => return v,
                };
                (Box::from(text), v)
            }
        };
        if inner.bytes + key.len() > GENERATION_BYTES {
            inner.old = std::mem::take(&mut inner.current);
            inner.bytes = 0;
        }
        inner.bytes += key.len();
        let out = value.clone();
        inner.current.insert(h, (key, value));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_unless_enabled_then_same_answers_and_bounded() {
        let calls = Cell::new(0);
        let memo: Memo<usize> = Memo::default();
        let f = |s: &str| {
            calls.set(calls.get() + 1);
            s.bytes().filter(|b| *b == b'a').count()
        };
        let long = "a".repeat(40);
        std::thread::scope(|s| {
            s.spawn(|| {
                // off: computed each time
                let local: Memo<usize> = Memo::default();
                let n = Cell::new(0);
                for _ in 0..3 {
                    local.get_or(&long, |t| {
                        n.set(n.get() + 1);
                        t.len()
                    });
                }
                assert_eq!(n.get(), 3);
            });
        });
        enable_on_this_thread();
        assert_eq!(memo.get_or(&long, f), 40);
        assert_eq!(memo.get_or(&long, f), 40);
        assert_eq!(calls.get(), 1);
        // short strings are not kept
        assert_eq!(memo.get_or("aa", f), 2);
        assert_eq!(memo.get_or("aa", f), 2);
        assert_eq!(calls.get(), 3);
        // a different string of the same length is a different key
        let other = format!("{}b", "a".repeat(39));
        assert_eq!(memo.get_or(&other, f), 39);
        assert_eq!(calls.get(), 4);
        // bounded: filling past two generations drops the oldest keys
        let big = GENERATION_BYTES / 4 + 1;
        for i in 0..12 {
            let s = format!("{i:04}{}", "x".repeat(big));
            memo.get_or(&s, f);
        }
        let inner = memo.inner.borrow();
        assert!(inner.bytes <= GENERATION_BYTES);
        let held: usize = inner
            .current
            .values()
            .chain(inner.old.values())
            .map(|(k, _)| k.len())
            .sum();
        assert!(held <= 2 * GENERATION_BYTES, "{held}");
        drop(inner);
        let before = calls.get();
        assert_eq!(memo.get_or(&long, f), 40);
        assert_eq!(calls.get(), before + 1, "the first key was dropped");
    }

    #[test]
    fn hash_differs_on_tail_bytes() {
        assert_ne!(hash(b"0123456789abcdefX"), hash(b"0123456789abcdefY"));
        assert_ne!(hash(b""), hash(b"\0"));
    }
}
