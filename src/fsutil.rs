//! Writing files safely: a temp file in the same directory, fsync, then linked to its
//! final name without ever replacing an existing file, then the directory fsynced. A
//! half-written file never appears under its final name.
//!
//! The two halves are separate (`prepare_new`, then `Pending::finish`) so a command that
//! also commits to the database can write and sync the file *before* it commits: a full
//! disk then refuses the whole command and leaves the database unchanged.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, Usage};

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Test failpoint (README "Reliability"): `LIUYI_TEST_FAIL_WRITE=create|write|sync|link`
/// makes that step of every file write fail as a full disk would (`write` after writing
/// half the bytes).
fn failpoint(step: &str) -> std::io::Result<()> {
    match std::env::var("LIUYI_TEST_FAIL_WRITE") {
        // A file system without hard links (FAT32 and exFAT USB sticks).
        Ok(s) if s == "link-unsupported" && step == "link" => Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "injected: no hard links on this file system (LIUYI_TEST_FAIL_WRITE)",
        )),
        Ok(s) if s == step => Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            format!("injected failure at {step} (LIUYI_TEST_FAIL_WRITE)"),
        )),
        _ => Ok(()),
    }
}

/// A file written in full and fsynced under a temporary name, not yet under its final
/// name. Dropped without `finish`, the temporary file is removed.
pub struct Pending {
    tmp: PathBuf,
    path: PathBuf,
}

/// Writes `bytes` to a temporary file beside `path`; refuses if `path` exists.
pub fn prepare_new(path: &Path, bytes: &[u8]) -> Result<Pending> {
    if path.exists() {
        return Err(Usage::OutputExists(path.to_path_buf()).into());
    }
    let tmp = temp_name(path);
    let result = (|| -> std::io::Result<()> {
        failpoint("create")?;
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        let (first, second) = bytes.split_at(bytes.len() / 2);
        f.write_all(first)?;
        failpoint("write")?;
        f.write_all(second)?;
        failpoint("sync")?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(Pending {
            tmp,
            path: path.to_path_buf(),
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Error::io(path, e))
        }
    }
}

impl Pending {
    /// Links the file to its final name (never replacing one) and syncs the directory.
    pub fn finish(self) -> Result<()> {
        let result = failpoint("link").and_then(|_| std::fs::hard_link(&self.tmp, &self.path));
        match result {
            Ok(()) => {
                sync_dir(&self.path);
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && self.path.exists() => {
                Err(Usage::OutputExists(self.path.clone()).into())
            }
            // FAT32 and exFAT (the USB sticks secretaries carry notices on) have no hard
            // links: Linux says EPERM, others "unsupported". Rename without replacing
            // instead, as the bundle writer does.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::Unsupported
                ) =>
            {
                use crate::bundle::{WriteError, rename_noreplace};
                match rename_noreplace(&self.tmp, &self.path) {
                    Ok(()) => {
                        sync_dir(&self.path);
                        Ok(())
                    }
                    Err(WriteError::Exists { .. }) => {
                        Err(Usage::OutputExists(self.path.clone()).into())
                    }
                    Err(WriteError::Io(c)) => Err(Error::io(&self.path, c)),
                    Err(_) => Err(Error::io(&self.path, e)),
                }
            }
            Err(e) => Err(Error::io(&self.path, e)),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Writes `bytes` to a new file at `path`; refuses if `path` exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    prepare_new(path, bytes)?.finish()
}

/// fsync the directory holding `path`, so the new name survives a power cut.
pub fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
