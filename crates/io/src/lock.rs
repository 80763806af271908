//! An exclusive lock on an output folder for the whole life of a run, so
//! that two runs never write into one folder at the same time.
//!
//! The lock is an advisory lock (`flock`) on `DIR/.novawireless.lock`,
//! holding the process id of its holder. A second run refuses at once,
//! naming the folder and the holder. The lock file is removed when the
//! holder is done; a run that locks a file another process has just removed
//! notices (the path no longer names the file it locked) and tries again.

use crate::OutputError;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The folders this process writes into, for [`remove_own_temporaries`].
static FOLDERS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Notes that this process writes temporaries into `dir`.
pub(crate) fn note_folder(dir: &Path) {
    if let Ok(mut folders) = FOLDERS.lock() {
        if !folders.iter().any(|d| d == dir) {
            folders.push(dir.to_path_buf());
        }
    }
}

/// Removes this process's temporaries, commit backups and lock files from
/// every folder it wrote into: what an interrupted run (SIGINT, SIGTERM)
/// does before it exits, so that no partial file stays behind. Returns how
/// many files it removed. Earlier outputs are not touched.
pub fn remove_own_temporaries() -> usize {
    let pid = format!(".{}", std::process::id());
    let folders = FOLDERS.lock().map(|f| f.clone()).unwrap_or_default();
    let mut removed = 0;
    for dir in folders {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = [crate::TEMP_SUFFIX, ".novawireless-backup"]
                .iter()
                .any(|suffix| name.strip_suffix(suffix).is_some_and(|n| n.ends_with(&pid)));
            let our_lock = is_lock_file(&name)
                && fs::read_to_string(entry.path())
                    .is_ok_and(|holder| holder.trim() == std::process::id().to_string());
            if (ours || our_lock) && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// Name of the lock file inside a locked folder.
pub const LOCK_FILE: &str = ".novawireless.lock";

/// Whether `name` is a lock file of the tools: [`LOCK_FILE`], or a named
/// one (`.novawireless.part-1-of-2.lock`, see [`FolderLock::acquire_named`]).
fn is_lock_file(name: &str) -> bool {
    name.strip_prefix(".novawireless.")
        .is_some_and(|rest| rest.ends_with("lock"))
}

/// A held folder lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct FolderLock {
    file: File,
    path: PathBuf,
}

impl FolderLock {
    /// Creates `dir` if needed and locks it, or refuses when another run
    /// holds it (`what` names the flag, e.g. `--out_dir`).
    pub fn acquire(dir: &Path, what: &str) -> Result<FolderLock, OutputError> {
        FolderLock::acquire_named(dir, what, LOCK_FILE)
    }

    /// [`FolderLock::acquire`] on the lock file `name` of `dir` (starting
    /// with `.novawireless.`): runs that take different names share the
    /// folder (the shards of one run, each writing only its own files),
    /// runs that take the same name exclude each other.
    pub fn acquire_named(dir: &Path, what: &str, name: &str) -> Result<FolderLock, OutputError> {
        crate::OutputSet::check_folder(dir).map_err(|e| OutputError {
            message: format!("unusable as {what}: {}", e.message),
            ..e
        })?;
        fs::create_dir_all(dir).map_err(|e| {
            OutputError::new(
                dir,
                format!("unusable as {what}: cannot create the folder: {e}"),
            )
        })?;
        let path = dir.join(name);
        note_folder(dir);
        for _ in 0..100 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| {
                    OutputError::new(
                        dir,
                        format!("unusable as {what}: cannot create the lock file: {e}"),
                    )
                })?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    let holder = if holder.is_empty() {
                        "another process".to_string()
                    } else {
                        format!("process {holder}")
                    };
                    return Err(OutputError::new(
                        dir,
                        format!(
                            "{what} is in use by another run ({holder}, lock file {name}); \
                             wait for it to finish or choose another folder"
                        ),
                    ));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(OutputError::new(
                        dir,
                        format!("unusable as {what}: cannot lock the folder: {e}"),
                    ))
                }
            }
            // The holder before us may have removed the file between our
            // open and our lock: then we hold a lock nobody else can see.
            let same = match (file.metadata(), fs::metadata(&path)) {
                (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
                _ => false,
            };
            if !same {
                continue;
            }
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = writeln!(file, "{}", std::process::id());
            let _ = file.flush();
            return Ok(FolderLock { file, path });
        }
        Err(OutputError::new(
            dir,
            "cannot lock the folder: the lock file keeps changing",
        ))
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still locked, so no later run can lock this file.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_refuses_a_second_one_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path(), "--out_dir").unwrap();
        let e = FolderLock::acquire(dir.path(), "--out_dir")
            .unwrap_err()
            .to_string();
        assert!(e.contains("--out_dir is in use by another run"), "{e}");
        assert!(
            e.contains(&format!("process {}", std::process::id())),
            "{e}"
        );
        drop(first);
        assert!(
            !dir.path().join(LOCK_FILE).exists(),
            "the lock file stays behind"
        );
        let again = FolderLock::acquire(dir.path(), "--out_dir").unwrap();
        drop(again);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn named_locks_exclude_their_own_name_only() {
        let dir = tempfile::tempdir().unwrap();
        let one = ".novawireless.part-1-of-2.lock";
        let two = ".novawireless.part-2-of-2.lock";
        let first = FolderLock::acquire_named(dir.path(), "--out_dir", one).unwrap();
        let second = FolderLock::acquire_named(dir.path(), "--out_dir", two).unwrap();
        let e = FolderLock::acquire_named(dir.path(), "--out_dir", one)
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("lock file {one}")), "{e}");
        assert!(is_lock_file(one) && is_lock_file(LOCK_FILE) && !is_lock_file("lines.csv"));
        drop((first, second));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
