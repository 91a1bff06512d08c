//! RFC 6962 / RFC 9162 Merkle tree hashing over the log's entries.
//!
//! This file owns the hash functions (leaf and node, domain-separated), the tree root, the
//! compact range (the frontier a writer keeps so it can append without rehashing the whole
//! log), and inclusion and consistency proofs. It does not know where leaves come from or
//! how checkpoints are signed (`note.rs`), and it never touches the database.
//!
//! An odd last node is promoted, never duplicated: duplicating it would let two different
//! lists share a root (the CVE-2012-2459 flaw of early Bitcoin trees).

use sha2::{Digest, Sha256};

/// A SHA-256 output.
pub type Hash = [u8; 32];

/// Largest tree size a stored [`CompactRange`] may claim.
pub const MAX_TREE_SIZE: u64 = 1 << 62;

/// Why a proof or a stored frontier was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MerkleError {
    /// A leaf index at or beyond the tree size.
    IndexOutOfRange { index: u64, size: u64 },
    /// Sizes that cannot describe an old tree and a newer one (old > new, or old = 0 with
    /// a non-empty proof).
    BadSizes { old: u64, new: u64 },
    /// The proof has the wrong number of hashes for these sizes.
    WrongProofLength,
    /// The proof does not lead to the expected root.
    RootMismatch,
    /// A stored compact range whose length does not match its size.
    BadCompactRange,
}

impl std::fmt::Display for MerkleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::record::describe_merkle(
            self,
            crate::i18n::Lang::En,
        ))
    }
}

impl std::error::Error for MerkleError {}

/// SHA-256 of the empty string: the root of a tree with no leaves.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// RFC 6962 leaf hash: SHA-256(0x00 ‖ entry bytes).
pub fn leaf_hash(entry_bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(entry_bytes);
    h.finalize().into()
}

/// RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(l: &Hash, r: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(l);
    h.update(r);
    h.finalize().into()
}

/// Largest power of two strictly less than `n` (n ≥ 2): RFC 6962's split point.
fn split_point(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// The Merkle tree hash (RFC 6962 §2.1) over already-hashed leaves.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split_point(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The roots of the perfect subtrees that make up a tree of `size` leaves, largest (leftmost)
/// first: one hash per set bit of `size`. Enough to append and to compute the root.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompactRange {
    size: u64,
    hashes: Vec<Hash>,
}

impl CompactRange {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the frontier for all of `leaves` (for tests and for a first import).
    pub fn from_leaves(leaves: &[Hash]) -> Self {
        let mut cr = Self::new();
        for l in leaves {
            cr.push(*l);
        }
        cr
    }

    /// Number of leaves covered.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends one leaf hash. Merges equal-sized subtrees exactly as the binary counter
    /// `size` carries.
    pub fn push(&mut self, leaf: Hash) {
        let mut h = leaf;
        let mut s = self.size;
        while s & 1 == 1 {
            // The invariant hashes.len() == popcount(size) guarantees a hash is there.
            let Some(left) = self.hashes.pop() else {
                break;
            };
            h = node_hash(&left, &h);
            s >>= 1;
        }
        self.hashes.push(h);
        self.size += 1;
    }

    /// The RFC 6962 root of the leaves pushed so far.
    pub fn root(&self) -> Hash {
        let mut it = self.hashes.iter().rev();
        let Some(last) = it.next() else {
            return empty_root();
        };
        it.fold(*last, |acc, left| node_hash(left, &acc))
    }

    /// Serialised form: size as 8 bytes big-endian, then the hashes in order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + 32 * self.hashes.len());
        out.extend_from_slice(&self.size.to_be_bytes());
        for h in &self.hashes {
            out.extend_from_slice(h);
        }
        out
    }

    /// Parses [`CompactRange::to_bytes`] output, checking the length against the size.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MerkleError> {
        let (size_bytes, rest) = bytes
            .split_first_chunk::<8>()
            .ok_or(MerkleError::BadCompactRange)?;
        let size = u64::from_be_bytes(*size_bytes);
        // No real log comes near 2^62 entries; refusing such sizes means `push` can never
        // overflow on a frontier read back from a damaged or hostile database.
        if size > MAX_TREE_SIZE {
            return Err(MerkleError::BadCompactRange);
        }
        let count = size.count_ones() as usize;
        if rest.len() != count * 32 {
            return Err(MerkleError::BadCompactRange);
        }
        let hashes = rest
            .chunks_exact(32)
            .map(|c| {
                let mut h = [0u8; 32];
                h.copy_from_slice(c);
                h
            })
            .collect();
        Ok(Self { size, hashes })
    }
}

fn to_usize(x: u64) -> Option<usize> {
    usize::try_from(x).ok()
}

/// The audit path for leaf `index` (RFC 9162 §2.1.3.1), leaf sibling first.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, MerkleError> {
    let size = leaves.len() as u64;
    let idx = to_usize(index)
        .filter(|&i| i < leaves.len())
        .ok_or(MerkleError::IndexOutOfRange { index, size })?;
    let mut proof = Vec::new();
    path(idx, leaves, &mut proof);
    Ok(proof)
}

fn path(m: usize, d: &[Hash], out: &mut Vec<Hash>) {
    let n = d.len();
    if n <= 1 {
        return;
    }
    let k = split_point(n);
    if m < k {
        path(m, &d[..k], out);
        out.push(root(&d[k..]));
    } else {
        path(m - k, &d[k..], out);
        out.push(root(&d[..k]));
    }
}

/// Verifies an inclusion proof (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), MerkleError> {
    if index >= size {
        return Err(MerkleError::IndexOutOfRange { index, size });
    }
    let mut fn_ = index;
    let mut sn = size - 1;
    let mut r = *leaf;
    for p in proof {
        if sn == 0 {
            return Err(MerkleError::WrongProofLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(MerkleError::WrongProofLength);
    }
    if &r != root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}

/// Proof that the tree of the first `old_size` leaves is a prefix of the tree of all
/// `leaves` (RFC 9162 §2.1.4.1). `old_size` must be between 1 and `leaves.len()`; equal
/// sizes give an empty proof.
pub fn consistency_proof(leaves: &[Hash], old_size: u64) -> Result<Vec<Hash>, MerkleError> {
    let new = leaves.len() as u64;
    let m = to_usize(old_size)
        .filter(|&m| m >= 1 && m <= leaves.len())
        .ok_or(MerkleError::BadSizes { old: old_size, new })?;
    let mut proof = Vec::new();
    subproof(m, leaves, true, &mut proof);
    Ok(proof)
}

fn subproof(m: usize, d: &[Hash], b: bool, out: &mut Vec<Hash>) {
    let n = d.len();
    if m == n {
        if !b {
            out.push(root(d));
        }
        return;
    }
    let k = split_point(n);
    if m <= k {
        subproof(m, &d[..k], b, out);
        out.push(root(&d[k..]));
    } else {
        subproof(m - k, &d[k..], false, out);
        out.push(root(&d[..k]));
    }
}

/// Verifies a consistency proof between an old tree (`old_size`, `old_root`) and a new one
/// (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots; an empty old tree
/// is consistent with anything but must carry the empty root.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), MerkleError> {
    if old_size > new_size {
        return Err(MerkleError::BadSizes {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(MerkleError::WrongProofLength);
        }
        return if old_root == new_root {
            Ok(())
        } else {
            Err(MerkleError::RootMismatch)
        };
    }
    if old_size == 0 {
        if !proof.is_empty() {
            return Err(MerkleError::BadSizes {
                old: old_size,
                new: new_size,
            });
        }
        return if *old_root == empty_root() {
            Ok(())
        } else {
            Err(MerkleError::RootMismatch)
        };
    }
    if proof.is_empty() {
        return Err(MerkleError::WrongProofLength);
    }
    // Step 1: if the old size is a power of two, the old root itself starts the path.
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let mut fn_ = old_size - 1;
    let mut sn = new_size - 1;
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let mut fr = path[0];
    let mut sr = path[0];
    for c in &path[1..] {
        if sn == 0 {
            return Err(MerkleError::WrongProofLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(MerkleError::WrongProofLength);
    }
    if &fr != old_root || &sr != new_root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Hash {
        let v = hex::decode(s).unwrap();
        v.try_into().unwrap()
    }

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("entry {i}").as_bytes()))
            .collect()
    }

    /// Vectors from transparency-dev/merkle rfc6962/rfc6962_test.go (TestRFC6962Hasher).
    #[test]
    fn rfc6962_hasher_vectors() {
        assert_eq!(
            empty_root(),
            h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        assert_eq!(root(&[]), empty_root());
        assert_eq!(
            leaf_hash(b""),
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        );
        assert_eq!(
            leaf_hash(b"L123456"),
            h("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56")
        );
        // HashChildren takes raw byte strings there; ours takes hashes, so hash by hand.
        let mut hh = Sha256::new();
        hh.update([0x01]);
        hh.update(b"N123");
        hh.update(b"N456");
        let got: Hash = hh.finalize().into();
        assert_eq!(
            got,
            h("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb")
        );
    }

    /// TestRFC6962HasherCollisions.
    #[test]
    fn rfc6962_hasher_collisions() {
        let h1 = leaf_hash(b"Hello");
        let h2 = leaf_hash(b"World");
        assert_ne!(h1, h2);
        let sub = node_hash(&h1, &h2);
        let mut pre = h1.to_vec();
        pre.extend_from_slice(&h2);
        assert_ne!(sub, leaf_hash(&pre), "second-preimage resistance");
        assert_ne!(sub, node_hash(&h2, &h1), "children order matters");
    }

    #[test]
    fn odd_node_is_promoted_not_duplicated() {
        let l = leaves(3);
        let dup = [l[0], l[1], l[2], l[2]];
        assert_ne!(root(&l), root(&dup));
        assert_eq!(
            root(&l),
            node_hash(&node_hash(&l[0], &l[1]), &l[2]),
            "three leaves: ((0,1),2)"
        );
    }

    #[test]
    fn compact_range_matches_root_for_every_size_to_300() {
        let all = leaves(300);
        let mut cr = CompactRange::new();
        assert_eq!(cr.root(), empty_root());
        for n in 1..=300 {
            cr.push(all[n - 1]);
            assert_eq!(cr.size(), n as u64);
            assert_eq!(cr.root(), root(&all[..n]), "size {n}");
            // Persist and resume: the frontier alone is enough to continue.
            let bytes = cr.to_bytes();
            assert_eq!(bytes.len(), 8 + 32 * (n as u64).count_ones() as usize);
            let back = CompactRange::from_bytes(&bytes).unwrap();
            assert_eq!(back, cr);
        }
        assert_eq!(
            CompactRange::from_bytes(&[]),
            Err(MerkleError::BadCompactRange)
        );
        let mut bytes = CompactRange::from_leaves(&all[..5]).to_bytes();
        bytes.pop();
        assert_eq!(
            CompactRange::from_bytes(&bytes),
            Err(MerkleError::BadCompactRange)
        );
        let mut huge = u64::MAX.to_be_bytes().to_vec();
        huge.extend_from_slice(&[0u8; 64 * 32]);
        assert_eq!(
            CompactRange::from_bytes(&huge),
            Err(MerkleError::BadCompactRange)
        );
        // A size claiming more subtrees than hashes given.
        let mut forged = 7u64.to_be_bytes().to_vec();
        forged.extend_from_slice(&[0u8; 64]);
        assert_eq!(
            CompactRange::from_bytes(&forged),
            Err(MerkleError::BadCompactRange)
        );
    }

    fn flipped(proof: &[Hash], i: usize, byte: usize, bit: u8) -> Vec<Hash> {
        let mut p = proof.to_vec();
        p[i][byte] ^= 1 << bit;
        p
    }

    /// Modelled on Go sumdb/tlog TestTree: every size, every leaf, every proof hash
    /// mutated must fail.
    #[test]
    fn inclusion_proofs_all_sizes() {
        let all = leaves(64);
        for n in 1..=64usize {
            let d = &all[..n];
            let r = root(d);
            for i in 0..n {
                let p = inclusion_proof(d, i as u64).unwrap();
                let (i64_, n64) = (i as u64, n as u64);
                verify_inclusion(&d[i], i64_, n64, &p, &r).unwrap();
                for j in 0..p.len() {
                    for (byte, bit) in [(0, 0), (31, 7), (j % 32, (j % 8) as u8)] {
                        assert!(
                            verify_inclusion(&d[i], i64_, n64, &flipped(&p, j, byte, bit), &r)
                                .is_err()
                        );
                    }
                }
                let other = leaf_hash(b"not in the tree");
                assert!(verify_inclusion(&other, i64_, n64, &p, &r).is_err());
                assert!(verify_inclusion(&d[i], i64_ + 1, n64, &p, &r).is_err());
                if i > 0 {
                    assert!(verify_inclusion(&d[i], i64_ - 1, n64, &p, &r).is_err());
                }
                assert!(verify_inclusion(&d[i], i64_, n64 * 2, &p, &r).is_err());
                if n > 1 {
                    assert!(verify_inclusion(&d[i], i64_, n64 / 2, &p, &r).is_err());
                }
                let mut longer = p.clone();
                longer.push(r);
                assert!(verify_inclusion(&d[i], i64_, n64, &longer, &r).is_err());
                let mut prefixed = vec![d[i]];
                prefixed.extend_from_slice(&p);
                assert!(verify_inclusion(&d[i], i64_, n64, &prefixed, &r).is_err());
                if !p.is_empty() {
                    assert!(verify_inclusion(&d[i], i64_, n64, &p[1..], &r).is_err());
                    assert!(verify_inclusion(&d[i], i64_, n64, &p[..p.len() - 1], &r).is_err());
                }
                let mut wrong_root = r;
                wrong_root[5] ^= 0x10;
                assert!(verify_inclusion(&d[i], i64_, n64, &p, &wrong_root).is_err());
                assert!(verify_inclusion(&d[i], i64_, n64, &p, &empty_root()).is_err());
            }
            assert!(inclusion_proof(d, n as u64).is_err());
        }
    }

    #[test]
    fn consistency_proofs_all_size_pairs() {
        let all = leaves(64);
        for n in 1..=64usize {
            let d = &all[..n];
            let new_root = root(d);
            for m in 1..=n {
                let old_root = root(&d[..m]);
                let p = consistency_proof(d, m as u64).unwrap();
                let (m64, n64) = (m as u64, n as u64);
                verify_consistency(m64, n64, &old_root, &new_root, &p)
                    .unwrap_or_else(|e| panic!("m={m} n={n}: {e:?}"));
                if m == n {
                    assert!(p.is_empty());
                }
                for j in 0..p.len() {
                    for (byte, bit) in [(0, 0), (31, 7), (j % 32, (j % 8) as u8)] {
                        assert!(
                            verify_consistency(
                                m64,
                                n64,
                                &old_root,
                                &new_root,
                                &flipped(&p, j, byte, bit)
                            )
                            .is_err(),
                            "m={m} n={n} j={j}"
                        );
                    }
                }
                if m != n {
                    // Swapped roots, wrong roots, wrong sizes, truncated or padded proofs.
                    assert!(verify_consistency(m64, n64, &new_root, &old_root, &p).is_err());
                    assert!(verify_consistency(m64, n64, &old_root, &old_root, &p).is_err());
                    assert!(verify_consistency(m64, n64, &new_root, &new_root, &p).is_err());
                    assert!(verify_consistency(m64 - 1, n64, &old_root, &new_root, &p).is_err());
                    assert!(verify_consistency(m64 + 1, n64, &old_root, &new_root, &p).is_err());
                    assert!(verify_consistency(m64, n64 * 2, &old_root, &new_root, &p).is_err());
                    // Not tested: n - 1. A proof may also fit a smaller new size with the
                    // same root (e.g. 4→6 and 4→5 have the same shape); the signed checkpoint,
                    // not the proof, binds a root to its size.
                    assert!(
                        verify_consistency(m64, n64, &old_root, &new_root, &p[..p.len() - 1])
                            .is_err()
                    );
                    let mut longer = p.clone();
                    longer.push(new_root);
                    assert!(verify_consistency(m64, n64, &old_root, &new_root, &longer).is_err());
                    let mut prefixed = vec![old_root];
                    prefixed.extend_from_slice(&p);
                    assert!(verify_consistency(m64, n64, &old_root, &new_root, &prefixed).is_err());
                } else {
                    assert!(
                        verify_consistency(m64, n64, &old_root, &new_root, &[new_root]).is_err()
                    );
                }
            }
            assert!(consistency_proof(d, 0).is_err());
            assert!(consistency_proof(d, n as u64 + 1).is_err());
            // Any tree extends the empty tree, but only with an empty proof and the empty root.
            verify_consistency(0, n as u64, &empty_root(), &new_root, &[]).unwrap();
            assert!(verify_consistency(0, n as u64, &new_root, &new_root, &[]).is_err());
            assert!(
                verify_consistency(0, n as u64, &empty_root(), &new_root, &[new_root]).is_err()
            );
            assert!(verify_consistency(n as u64, 0, &new_root, &empty_root(), &[]).is_err());
        }
    }
}
