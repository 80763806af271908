//! Output folders: locks, the folders a failed run removes again, the
//! mirror check and the commit of a step's files.

use crate::files::Place;
use crate::{Format, PipelineError};
use novawireless_io::{FileRecord, FolderLock, OutputError, OutputSet};
use std::path::{Path, PathBuf};

/// How a receipt names the folder a step read: `.` for its own output
/// folder, else `another folder`. Receipts hold no path of the machine, so
/// the same run gives the same bytes in any folder.
pub(crate) fn input_folder(in_dir: &Path, out_dir: &Path) -> String {
    let same = std::fs::canonicalize(in_dir).ok() == std::fs::canonicalize(out_dir).ok();
    if same { "." } else { "another folder" }.to_string()
}

/// Refuses an unusable `--params_dir` before any work (exit code 2).
pub(crate) fn check_mirror(mirror_dir: Option<&Path>) -> Result<(), PipelineError> {
    match mirror_dir {
        Some(dir) => novawireless_io::OutputSet::check_folder(dir).map_err(|e| {
            PipelineError::Folder(OutputError {
                message: format!("unusable as --params_dir: {}", e.message),
                ..e
            })
        }),
        None => Ok(()),
    }
}

/// Commits a step's files in one go: its tables and receipts, the copies
/// of `mirrored` in the params mirror, and the removal from both folders of
/// the same tables in the other format, an earlier run's files that no
/// receipt of this run describes. Either folder is the old run's or the new
/// run's, never a mix, and the two change together.
pub(crate) fn commit(
    mut out: OutputSet,
    mirror_dir: Option<&Path>,
    mirrored: &[impl AsRef<str>],
) -> Result<Vec<FileRecord>, PipelineError> {
    let mirrored: Vec<&str> = mirrored.iter().map(AsRef::as_ref).collect();
    let mirrored = mirrored.as_slice();
    let written: Vec<String> = out.records().iter().map(|r| r.path.clone()).collect();
    for name in written.iter().flat_map(|n| Format::other_names(n)) {
        out.remove_on_commit(&name);
    }
    if let Some(dir) = mirror_dir {
        let stale: Vec<String> = mirrored
            .iter()
            .flat_map(|n| Format::other_names(n))
            .collect();
        let stale: Vec<&str> = stale.iter().map(String::as_str).collect();
        out.mirror_to(dir, mirrored, &stale).map_err(|e| {
            PipelineError::Output(OutputError {
                message: format!("cannot mirror (--params_dir): {}", e.message),
                ..e
            })
        })?;
    }
    let dir = out.dir().to_path_buf();
    let records = out.commit()?;
    // The data dictionary of what the folder now holds, in the format of
    // the tables just written.
    let format = records
        .iter()
        .find_map(|r| Format::stem(&r.path).map(|(_, format)| format));
    if let Some(format) = format {
        crate::package::write_package(&dir, format)?;
    }
    Ok(records)
}

/// Runs `run` holding exclusive locks on `out_dir` and `mirror_dir` (see
/// [`novawireless_io::FolderLock`]) for its whole life; folders it had to
/// create are removed again, while empty, when it fails. The lock is the
/// folder's, or with the tables layout the shard's in the folder
/// ([`Place::lock_file`]): shards share a folder, two runs of one shard
/// do not.
pub(crate) fn locked<T>(
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    place: Place,
    run: impl FnOnce() -> Result<T, PipelineError>,
) -> Result<T, PipelineError> {
    let created_out = CreatedDirs::before(out_dir);
    let created_mirror = mirror_dir.map(CreatedDirs::before);
    let lock_file = place.lock_file();
    let lock = |dir: &Path, what: &str| {
        FolderLock::acquire_named(dir, what, &lock_file).map_err(PipelineError::Folder)
    };
    let result = (|| {
        let _out = lock(out_dir, "--out_dir")?;
        let same = mirror_dir
            .is_some_and(|m| std::fs::canonicalize(m).ok() == std::fs::canonicalize(out_dir).ok());
        let _mirror = match mirror_dir {
            Some(m) if !same => Some(lock(m, "--params_dir")?),
            _ => None,
        };
        run()
    })();
    if result.is_err() {
        created_out.remove_if_empty();
        if let Some(created) = created_mirror {
            created.remove_if_empty();
        }
    }
    result
}

/// The folders a run into `dir` creates (`dir` and its missing parents,
/// innermost first), so that a run that fails after opening its outputs can
/// remove them again and leave the file system as it found it.
pub(crate) struct CreatedDirs(Vec<PathBuf>);

impl CreatedDirs {
    /// Notes which of `dir` and its parents do not exist yet.
    pub(crate) fn before(dir: &Path) -> Self {
        let mut missing = Vec::new();
        let mut next = Some(dir);
        while let Some(d) = next {
            if d.as_os_str().is_empty() || d.exists() {
                break;
            }
            missing.push(d.to_path_buf());
            next = d.parent();
        }
        CreatedDirs(missing)
    }

    /// Removes those folders again, innermost first, while they are empty.
    pub(crate) fn remove_if_empty(&self) {
        for dir in &self.0 {
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
        }
    }
}
