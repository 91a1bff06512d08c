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

/// The hidden temporary name beside `path` that a file is written under before it takes
/// its name: `.<name>.partial-<pid>-<16 hex>`. The process id says whose it is (for
/// [`remove_stale_partials`]); the random part keeps two runs from ever meeting on one name,
/// even when a stale file of a process long gone carries this process's id (ids repeat
/// after a reboot).
fn partial_name(path: &Path) -> std::io::Result<PathBuf> {
    Ok(partial_name_with(path, &random_suffix()?))
}

/// 16 random hex digits, for a temporary name no other run will pick.
pub fn random_suffix() -> std::io::Result<String> {
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(hex::encode(suffix))
}

/// The folder `path` is in (an empty parent is the current folder).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Whether a file left beside an output is old enough to be taken for stale
/// ([`STALE_AFTER`]): untouched for an hour.
pub fn untouched_long(entry: &std::fs::DirEntry) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age >= STALE_AFTER)
}

fn partial_name_with(path: &Path, suffix: &str) -> PathBuf {
    let mut name = partial_prefix(path);
    name.push(format!("{}-{suffix}", std::process::id()));
    path.with_file_name(name)
}

/// `.<name>.partial-`: what every temporary name of `path` begins with.
fn partial_prefix(path: &Path) -> std::ffi::OsString {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".partial-");
    name
}

/// Temporary files this process is writing. The interrupt handler ([`on_interrupt`])
/// removes them when Ctrl-C or SIGTERM stops the program part-way; they are also how
/// [`remove_stale_partials`] knows a file carrying this process's id is not its own.
static TEMPS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn temps() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Puts `path` on the list of temporary files removed if the program is interrupted.
pub fn register_temp(path: &Path) {
    temps().push(path.to_path_buf());
}

/// Takes `path` off that list (it was removed, or took its final name).
pub fn unregister_temp(path: &Path) {
    temps().retain(|p| p != path);
}

/// Held by the main thread over the moment between a commit and the file that goes with
/// it taking its name; the interrupt handler waits for it.
static HELD: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Set by the interrupt handler before it waits for a held moment to end.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn held_lock() -> std::sync::MutexGuard<'static, ()> {
    HELD.lock().unwrap_or_else(|p| p.into_inner())
}

/// A held moment ([`hold_interrupts`]); an interrupt that came during it is acted on when
/// it is dropped.
pub struct Held {
    lock: Option<std::sync::MutexGuard<'static, ()>>,
}

/// Holds off Ctrl-C and SIGTERM until the guard is dropped: for the moment between a
/// commit and the file that belongs with it taking its name (a notice's PDF after its
/// `publish`; a new record after its key file), and the messages saying so, so an
/// interrupt there cannot leave one without the other, nor the secretary unaware of it.
pub fn hold_interrupts() -> Held {
    Held {
        lock: Some(held_lock()),
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        drop(self.lock.take());
        if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
            // The handler, waiting for the lock released above, removes the temporary
            // files and exits with 130; this thread goes no further meanwhile (a return
            // from main would exit with 0 first).
            loop {
                std::thread::park();
            }
        }
    }
}

/// Test hook: `LIUYI_TEST_FAIL_WRITE=hang-held` says `held` on standard error inside a
/// held moment and stays there three seconds, for tests that interrupt it.
pub fn test_pause_held() {
    if std::env::var("LIUYI_TEST_FAIL_WRITE").is_ok_and(|s| s == "hang-held") {
        eprintln!("held");
        std::thread::sleep(std::time::Duration::from_secs(3));
    }
}

/// Ctrl-C (SIGINT) or SIGTERM: removes this process's temporary files and exits with 130.
/// Runs on the signal thread `ctrlc` keeps (not in a signal handler), so taking the lock
/// and removing files is safe; a write in progress on the main thread simply stops with
/// the process. A database transaction cut short is rolled back by SQLite, as after a kill.
/// Inside a held moment ([`hold_interrupts`]) it waits for the moment to end.
pub fn on_interrupt() -> ! {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
    let _held = held_lock();
    // The main thread holds the list only to add or take off a name.
    for p in temps().iter() {
        let _ = std::fs::remove_file(p);
    }
    std::process::exit(130)
}

/// A temporary file beside `path`, created new (never opened if it exists), readable and
/// writable, and put on the interrupt list. Stale temporary files of `path` left by
/// processes that are gone are removed first. The caller removes the file (or links it
/// into place) and calls [`unregister_temp`].
pub fn create_partial(path: &Path) -> std::io::Result<(File, PathBuf)> {
    remove_stale_partials(path);
    create_partial_with(|| partial_name(path))
}

fn create_partial_with(
    mut name: impl FnMut() -> std::io::Result<PathBuf>,
) -> std::io::Result<(File, PathBuf)> {
    let mut tries = 0;
    loop {
        let tmp = name()?;
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => {
                register_temp(&tmp);
                test_hang();
                return Ok((f, tmp));
            }
            // Someone else's temporary file under this name: pick another. The final name
            // is not concerned (it is checked when linking), so this is never "exists".
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 16 => {
                tries += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Test hook: `LIUYI_TEST_FAIL_WRITE=hang` stops the program for a minute right after it
/// created a temporary file, for tests that interrupt a write part-way.
fn test_hang() {
    if std::env::var("LIUYI_TEST_FAIL_WRITE").is_ok_and(|s| s == "hang") {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// How old a temporary file must be before it may be taken for stale: a process id means
/// something only on the computer that wrote the name, and a run in a container or on
/// another computer sharing the folder may be writing a file whose id is unknown here.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the temporary files of `path` (`.<name>.partial-<pid>…`, this version's names
/// and the older `.<name>.partial-<pid>`) whose process is gone: killed, or stopped by a
/// power cut, and untouched for an hour ([`STALE_AFTER`]). A file whose process is alive is
/// left alone (it may be writing it now), and so is one whose id is taken by another
/// process since (it cannot be told from a live one). One carrying this process's own id
/// and not on its list is from before a reboot.
pub fn remove_stale_partials(path: &Path) {
    let prefix = partial_prefix(path);
    let prefix = prefix.as_encoded_bytes();
    let dir = dir_of(path);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.as_encoded_bytes().strip_prefix(prefix) else {
            continue;
        };
        let Some(pid) = partial_pid(rest) else {
            continue;
        };
        let tmp = dir.join(&name);
        // This process's own files, by name in this folder (a path may be spelt `x.pdf`
        // or `./x.pdf`).
        let gone = if pid == own {
            !temps()
                .iter()
                .any(|t| t.file_name() == Some(name.as_os_str()) && same_dir(t, dir))
        } else {
            process_gone(pid)
        };
        if gone && untouched_long(&entry) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Whether `file` lies in `dir`.
fn same_dir(file: &Path, dir: &Path) -> bool {
    let parent = dir_of(file);
    parent == dir || parent.canonicalize().ok() == dir.canonicalize().ok()
}

/// The process id of a temporary name's tail: `<pid>` or `<pid>-<hex>`.
fn partial_pid(rest: &[u8]) -> Option<u32> {
    let rest = std::str::from_utf8(rest).ok()?;
    let (pid, suffix) = rest.split_once('-').unwrap_or((rest, ""));
    if pid.is_empty()
        || !pid.bytes().all(|b| b.is_ascii_digit())
        || !suffix.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    pid.parse().ok()
}

/// Whether no process has id `pid` (a kill of signal 0 finds none). Elsewhere than Linux
/// every process counts as alive: nothing is removed.
#[cfg(target_os = "linux")]
fn process_gone(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

#[cfg(not(target_os = "linux"))]
fn process_gone(_pid: u32) -> bool {
    false
}

/// Test failpoint (README "Reliability"): `LIUYI_TEST_FAIL_WRITE=create|write|sync|link`
/// makes that step of every file write fail as a full disk would (`write` after writing
/// half the bytes).
pub(crate) fn failpoint(step: &str) -> std::io::Result<()> {
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

/// Refuses (exit 2, before any work) an output path that names no file: `-` (there is no
/// writing to standard output) and a path ending in a separator (`newdir/`, which the
/// system would answer with "Not a directory" or "Is a directory").
pub fn check_output(path: &Path) -> Result<()> {
    let raw = path.as_os_str().as_encoded_bytes();
    if raw == b"-" {
        return Err(Usage::OutputDash.into());
    }
    if raw
        .last()
        .is_some_and(|&b| std::path::is_separator(char::from(b)))
        || path.file_name().is_none()
    {
        return Err(Usage::OutputIsDirectory(path.to_path_buf()).into());
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`; refuses if `path` exists.
pub fn prepare_new(path: &Path, bytes: &[u8]) -> Result<Pending> {
    check_output(path)?;
    if path.exists() {
        return Err(Usage::OutputExists(path.to_path_buf()).into());
    }
    let mut tmp = None;
    let result = (|| -> std::io::Result<()> {
        failpoint("create")?;
        let (mut f, t) = create_partial(path)?;
        tmp = Some(t);
        let (first, second) = bytes.split_at(bytes.len() / 2);
        f.write_all(first)?;
        failpoint("write")?;
        f.write_all(second)?;
        failpoint("sync")?;
        f.sync_all()
    })();
    match (result, tmp) {
        (Ok(()), Some(tmp)) => Ok(Pending {
            tmp,
            path: path.to_path_buf(),
        }),
        (Err(e), tmp) => {
            if let Some(tmp) = tmp {
                let _ = std::fs::remove_file(&tmp);
                unregister_temp(&tmp);
            }
            Err(Error::io(path, e))
        }
        (Ok(()), None) => Err(Error::Internal("no temporary file".into())),
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
        unregister_temp(&self.tmp);
    }
}

/// Writes `bytes` to a new file at `path`; refuses if `path` exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    prepare_new(path, bytes)?.finish()
}

/// fsync the directory holding `path`, so the new name survives a power cut.
pub fn sync_dir(path: &Path) {
    if let Ok(d) = File::open(dir_of(path)) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_name_taken_is_passed_over_never_reported_as_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.pdf");
        let taken = partial_name_with(&out, "aaaa");
        std::fs::write(&taken, b"someone else's").unwrap();
        let mut names = ["aaaa", "bbbb"].into_iter();
        let (_, tmp) =
            create_partial_with(|| Ok(partial_name_with(&out, names.next().unwrap()))).unwrap();
        assert_eq!(tmp, partial_name_with(&out, "bbbb"));
        assert_eq!(std::fs::read(&taken).unwrap(), b"someone else's");
        std::fs::remove_file(&tmp).unwrap();
        unregister_temp(&tmp);
    }

    /// A stale file with this process's id (ids repeat after a reboot), in the old name
    /// form the new process would have picked, made `publish` and the rest refuse with
    /// "<final> already exists" though the final file did not exist.
    #[test]
    fn a_stale_file_with_this_process_id_neither_blocks_nor_stays() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.pdf");
        let mut old = partial_prefix(&out);
        old.push(std::process::id().to_string());
        let old = dir.path().join(old);
        std::fs::write(&old, b"stale").unwrap();
        let stale = partial_name_with(&out, "0123456789abcdef");
        std::fs::write(&stale, b"stale").unwrap();
        // Process 1 is alive: its file is left alone.
        let mut init = partial_prefix(&out);
        init.push("1-ab");
        let init = dir.path().join(init);
        std::fs::write(&init, b"live").unwrap();
        // An hour old, as a stale file must be; a fresh one of a process unknown here (a
        // container, another computer on a shared folder) is left.
        let fresh = dir.path().join({
            let mut n = partial_prefix(&out);
            n.push("4194305-aa");
            n
        });
        std::fs::write(&fresh, b"someone's").unwrap();
        for f in [&old, &stale, &init] {
            age(f);
        }
        write_new(&out, b"%PDF").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"%PDF");
        assert!(!old.exists() && !stale.exists());
        assert!(init.exists() && fresh.exists());
    }

    /// Sets `f`'s time two hours back.
    fn age(f: &Path) {
        let then = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(then)
            .unwrap();
    }

    #[test]
    fn process_ids_are_read_from_both_name_forms_only() {
        assert_eq!(partial_pid(b"123"), Some(123));
        assert_eq!(partial_pid(b"123-00ff"), Some(123));
        assert_eq!(partial_pid(b"123-xyz"), None);
        assert_eq!(partial_pid(b"-00ff"), None);
        assert_eq!(partial_pid(b"12a"), None);
    }
}
