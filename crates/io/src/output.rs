//! Atomic output: every file is written beside its target under a temporary
//! name and renamed into place only when the whole run succeeded.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Suffix of temporary files; stray ones from a killed run are removed by
/// the next run into the same folder.
pub const TEMP_SUFFIX: &str = ".novawireless-partial";

/// Every file name the tools write, and the folder probe's: only their
/// temporaries are ever removed as strays.
const OWN_NAMES: &[&str] = &[
    "customers",
    "customers_v1",
    "lines",
    "devices",
    "eip_agreements",
    "line_device_usage",
    "master_account_ledger",
    "master_account_ledger__anomalies",
    "master_account_ledger__clean",
    "master_account_ledger__pre_contract_fix",
    "imei_anomaly_examples",
    "anomaly_manifest",
    "customers_v1_profile",
];

/// The temporary name of `name` in `dir`, unique to this process and
/// beside its target, which may lie in a subfolder of `dir` (a table
/// folder: `customers/part-1-of-2.csv`): `.FILE.PID.novawireless-partial`.
fn temp_path(dir: &Path, name: &str) -> PathBuf {
    let target = dir.join(name);
    let folder = target.parent().unwrap_or(dir);
    crate::lock::note_folder(folder);
    let file = target
        .file_name()
        .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
    folder.join(format!(".{file}.{}{TEMP_SUFFIX}", std::process::id()))
}

/// Whether `stem` names a part of a table folder: `part-K-of-N`.
fn is_part(stem: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    stem.strip_prefix("part-")
        .and_then(|rest| rest.split_once("-of-"))
        .is_some_and(|(k, n)| digits(k) && digits(n))
}

/// The subfolders of an output folder that hold the tools' files (table
/// folders, `_receipts` and its shard folders), where stray temporaries
/// are looked for too.
fn is_own_folder(name: &str) -> bool {
    name == RECEIPTS_FOLDER || is_part(name) || OWN_NAMES.contains(&name)
}

/// The folder of the receipts of a run with the tables layout; its name
/// starts with `_`, so engines reading the folder skip it.
const RECEIPTS_FOLDER: &str = "_receipts";

/// Opens `temp` with `open`, creating its folder again when it vanished
/// meanwhile (a concurrent run into the same folder that failed removes
/// the empty table folders it created).
fn in_folder<T>(temp: &Path, open: impl Fn(&Path) -> std::io::Result<T>) -> std::io::Result<T> {
    match open(temp) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(folder) = temp.parent() {
                fs::create_dir_all(folder)?;
            }
            open(temp)
        }
        result => result,
    }
}

/// The backup name of `target` while a commit replaces it.
fn backup_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{}{BACKUP_SUFFIX}", std::process::id()))
}

/// Suffix of the hard-linked copies a commit keeps of the files it replaces.
const BACKUP_SUFFIX: &str = ".novawireless-backup";

/// Whether `file` is a temporary this tool wrote for a run that is over:
/// `.NAME[.PID].novawireless-partial` with NAME one of the tools' outputs
/// and PID, when given, not a live process. A run holds its folder's lock
/// while it writes there, so such a file is a leftover of a killed run.
fn is_stale_temporary(file: &str) -> bool {
    let Some(inner) = file.strip_prefix('.').and_then(|f| {
        f.strip_suffix(TEMP_SUFFIX)
            .or_else(|| f.strip_suffix(BACKUP_SUFFIX))
    }) else {
        return false;
    };
    let (name, pid) = match inner.rsplit_once('.') {
        Some((name, pid)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
            (name, pid.parse::<u32>().ok())
        }
        _ => (inner, None),
    };
    let own = name == "write-check"
        || matches!(name, "report.html")
        || name.strip_suffix("_receipt.json").is_some_and(|stem| {
            matches!(
                stem,
                "customer_generation" | "master_account_ledger" | "imei_anomaly_injection"
            )
        })
        || name
            .strip_suffix(".csv")
            .or_else(|| name.strip_suffix(".parquet"))
            .is_some_and(|stem| OWN_NAMES.contains(&stem) || is_part(stem));
    let live =
        pid.is_some_and(|p| p == std::process::id() || Path::new(&format!("/proc/{p}")).exists());
    own && !live
}

/// Rows are formatted into a buffer and written in blocks of this size.
const BLOCK: usize = 1 << 20;

/// An output error, naming the path.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct OutputError {
    /// The file or folder.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl OutputError {
    pub(crate) fn new(path: &Path, error: impl std::fmt::Display) -> Self {
        OutputError {
            path: path.display().to_string(),
            message: error.to_string(),
        }
    }

    /// A failure to write `target` (through its temporary file): the message
    /// names the file the user asked for, not the hidden temporary.
    fn write(target: &Path, error: impl std::fmt::Display) -> Self {
        OutputError::new(target, format!("cannot write: {error}"))
    }
}

/// One written file as a receipt lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRecord {
    /// Path relative to the output folder.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
}

struct Pending {
    temp: PathBuf,
    target: PathBuf,
}

/// The files of one run into one folder, committed together.
///
/// Dropping an `OutputSet` without [`OutputSet::commit`] removes its
/// temporary files and leaves every earlier output untouched.
pub struct OutputSet {
    dir: PathBuf,
    pending: Vec<Pending>,
    stale: Vec<PathBuf>,
    records: Vec<FileRecord>,
    direct: bool,
    provenance: Vec<(String, String)>,
    /// Subfolders this set created (table folders), innermost first per
    /// file; removed again, while empty, when the set is not committed.
    created: Vec<PathBuf>,
}

impl OutputSet {
    /// Checks, leaving nothing behind, that `dir` is a folder that accepts
    /// new files, or that it can be created: no part of its path is a file.
    /// A step calls it for every folder it will write (the params mirror
    /// too) before any work, so that a bad folder is refused before anything
    /// changes.
    pub fn check_folder(dir: &Path) -> Result<(), OutputError> {
        if dir.as_os_str().is_empty() {
            return Err(OutputError::new(dir, "the folder name is empty"));
        }
        let missing = match fs::metadata(dir) {
            Ok(m) if m.is_dir() => return probe(dir),
            Ok(_) => return Err(OutputError::new(dir, "is not a folder")),
            Err(e) => e,
        };
        if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(OutputError::new(
                dir,
                "is a symbolic link to nothing: cannot create the folder",
            ));
        }
        // The nearest ancestor that exists must be a folder ("" is the
        // working folder).
        for ancestor in dir.ancestors().skip(1) {
            if ancestor.as_os_str().is_empty() {
                break;
            }
            match fs::metadata(ancestor) {
                Ok(m) if m.is_dir() => break,
                Ok(_) => {
                    return Err(OutputError::new(
                        dir,
                        format!("cannot create the folder: {} is a file", ancestor.display()),
                    ))
                }
                Err(_) => {}
            }
        }
        if missing.kind() == std::io::ErrorKind::NotFound {
            Ok(())
        } else {
            Err(OutputError::new(dir, missing))
        }
    }

    /// Opens (creating if needed) the output folder, checks that it can be
    /// written, and removes temporary files left by an interrupted run.
    pub fn create(dir: &Path) -> Result<Self, OutputError> {
        Self::check_folder(dir)?;
        fs::create_dir_all(dir)
            .map_err(|e| OutputError::new(dir, format!("cannot create the output folder: {e}")))?;
        remove_stale_temporaries(dir)?;
        // A read-only folder is refused here, by name, rather than through
        // the first table's temporary file.
        probe(dir)?;
        Ok(OutputSet {
            dir: dir.to_path_buf(),
            pending: Vec::new(),
            stale: Vec::new(),
            records: Vec::new(),
            direct: false,
            provenance: Vec::new(),
            created: Vec::new(),
        })
    }

    /// Key-value pairs that every Parquet file started from now on carries
    /// in its footer (README, *Parquet*: the tool, the seed, the receipt).
    pub fn set_provenance(&mut self, pairs: Vec<(String, String)>) {
        self.provenance = pairs;
    }

    /// The pairs of [`OutputSet::set_provenance`].
    pub fn provenance(&self) -> &[(String, String)] {
        &self.provenance
    }

    /// Writes the tables started from now on with direct I/O (`O_DIRECT`,
    /// on Linux): their blocks go from the process straight to the disk,
    /// without a copy into the page cache, so a run whose output is larger
    /// than memory does not spend its CPU on filling, writing back and
    /// evicting the cache. The last partial block of a file, and any file on
    /// a file system that refuses direct I/O, are written as usual. The
    /// bytes written are the same either way.
    pub fn set_direct_io(&mut self, direct: bool) {
        self.direct = direct;
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Starts a table written to each of `names` (identical copies); its
    /// encoder appends the header like any other bytes.
    pub fn table(&mut self, names: &[&str]) -> Result<TableWriter, OutputError> {
        let mut files = Vec::with_capacity(names.len());
        for name in names {
            let target = self.dir.join(name);
            let temp = self.staging(&self.dir.clone(), name)?;
            let (file, direct) = in_folder(&temp, |t| open_staged(t, self.direct))
                .map_err(|e| OutputError::write(&target, e))?;
            self.pending.push(Pending {
                temp: temp.clone(),
                target: target.clone(),
            });
            let staged = StagedFile::new(name, target.clone(), temp, file, direct)
                .map_err(|e| OutputError::write(&target, e))?;
            files.push(staged);
        }
        Ok(TableWriter {
            files,
            buffer: Vec::with_capacity(BLOCK + 4096),
            hasher: Sha256::new(),
            bytes: 0,
            rows: 0,
        })
    }

    /// Flushes a finished table, syncs it and records its size and hash.
    pub fn finish(&mut self, mut table: TableWriter) -> Result<u64, OutputError> {
        table.flush()?;
        let digest = hex(&table.hasher.finalize());
        for f in &mut table.files {
            f.finish().map_err(|e| OutputError::write(&f.target, e))?;
            self.records.push(FileRecord {
                path: f.name.clone(),
                bytes: table.bytes,
                sha256: digest.clone(),
            });
        }
        Ok(table.rows)
    }

    /// Writes a JSON document (pretty-printed, trailing newline).
    pub fn json(&mut self, name: &str, value: &impl Serialize) -> Result<(), OutputError> {
        let mut text =
            serde_json::to_vec_pretty(value).map_err(|e| OutputError::new(Path::new(name), e))?;
        text.push(b'\n');
        self.bytes(name, &text)
    }

    /// Writes a file with the given content.
    pub fn bytes(&mut self, name: &str, content: &[u8]) -> Result<(), OutputError> {
        let target = self.dir.join(name);
        let temp = self.staging(&self.dir.clone(), name)?;
        self.pending.push(Pending {
            temp: temp.clone(),
            target: target.clone(),
        });
        let mut file =
            in_folder(&temp, |t| File::create(t)).map_err(|e| OutputError::write(&target, e))?;
        file.write_all(content)
            .and_then(|()| file.sync_all())
            .map_err(|e| OutputError::write(&target, e))?;
        self.records.push(FileRecord {
            path: name.to_string(),
            bytes: content.len() as u64,
            sha256: hex(&Sha256::digest(content)),
        });
        Ok(())
    }

    /// Copies an existing file (streamed in blocks, hashed on the way).
    pub fn copy_file(&mut self, name: &str, source: &Path) -> Result<(), OutputError> {
        use std::io::Read;
        let mut input = File::open(source)
            .map_err(|e| OutputError::new(source, format!("cannot read: {e}")))?;
        let target = self.dir.join(name);
        let temp = self.staging(&self.dir.clone(), name)?;
        self.pending.push(Pending {
            temp: temp.clone(),
            target: target.clone(),
        });
        let mut file =
            in_folder(&temp, |t| File::create(t)).map_err(|e| OutputError::write(&target, e))?;
        let mut hasher = Sha256::new();
        let mut block = vec![0u8; BLOCK];
        let mut bytes = 0u64;
        loop {
            let n = input
                .read(&mut block)
                .map_err(|e| OutputError::new(source, e))?;
            if n == 0 {
                break;
            }
            hasher.update(&block[..n]);
            file.write_all(&block[..n])
                .map_err(|e| OutputError::write(&target, e))?;
            bytes += n as u64;
        }
        file.sync_all()
            .map_err(|e| OutputError::write(&target, e))?;
        self.records.push(FileRecord {
            path: name.to_string(),
            bytes,
            sha256: hex(&hasher.finalize()),
        });
        Ok(())
    }

    /// Removes `name` from the folder when the set commits: an optional
    /// output of an earlier run (a clean twin, a profile) that this run does
    /// not write would otherwise stay beside tables it does not describe.
    pub fn remove_on_commit(&mut self, name: &str) {
        self.stale.push(self.dir.join(name));
    }

    /// Stages copies of the finished files `names` of this set in a second
    /// folder `to` (the params mirror), and removes `stale` from it, both
    /// done by the same [`OutputSet::commit`]: the two folders change
    /// together or not at all. A copy that fails (a full disk, say) fails
    /// here, before anything is committed. The copies are not listed in
    /// [`OutputSet::records`]. A `to` that is this set's own folder needs
    /// no copy.
    pub fn mirror_to(
        &mut self,
        to: &Path,
        names: &[&str],
        stale: &[&str],
    ) -> Result<(), OutputError> {
        Self::check_folder(to)?;
        fs::create_dir_all(to)
            .map_err(|e| OutputError::new(to, format!("cannot create the folder: {e}")))?;
        remove_stale_temporaries(to)?;
        self.stale.extend(stale.iter().map(|name| to.join(name)));
        if fs::canonicalize(to).ok() == fs::canonicalize(&self.dir).ok() {
            return Ok(());
        }
        for name in names {
            let own = self.dir.join(name);
            let Some(source) = self.pending.iter().find(|p| p.target == own) else {
                return Err(OutputError::new(
                    &own,
                    "cannot mirror: not written by this run",
                ));
            };
            let source = source.temp.clone();
            let target = to.join(name);
            let temp = self.staging(to, name)?;
            self.pending.push(Pending {
                temp: temp.clone(),
                target: target.clone(),
            });
            in_folder(&temp, |t| fs::copy(&source, t))
                .and_then(|_| File::open(&temp)?.sync_all())
                .map_err(|e| OutputError::write(&target, e))?;
        }
        Ok(())
    }

    /// The files written so far, in order.
    pub fn records(&self) -> &[FileRecord] {
        &self.records
    }

    /// Renames every file into place, in the order they were started: all
    /// or nothing. Every final name is checked first (absent, or a file or
    /// symbolic link that a rename can replace), and every file it replaces
    /// is kept under a hard-linked backup name until the last rename, so a
    /// rename that still fails puts the earlier files back: the folder holds
    /// the old run's files or the new run's, never a mix.
    pub fn commit(mut self) -> Result<Vec<FileRecord>, OutputError> {
        for p in &self.pending {
            if let Ok(m) = fs::symlink_metadata(&p.target) {
                if m.is_dir() {
                    return Err(OutputError::new(&p.target, "cannot replace: is a folder"));
                }
                if !(m.is_file() || m.file_type().is_symlink()) {
                    return Err(OutputError::new(
                        &p.target,
                        "cannot replace: not a regular file",
                    ));
                }
            }
        }
        let mut backups: Vec<(PathBuf, PathBuf)> = Vec::new();
        let restore = |backups: &[(PathBuf, PathBuf)], renamed: &[&Pending]| {
            for p in renamed {
                match backups.iter().find(|(target, _)| *target == p.target) {
                    Some((target, backup)) => {
                        let _ = fs::rename(backup, target);
                    }
                    None => {
                        let _ = fs::remove_file(&p.target);
                    }
                }
            }
            for (_, backup) in backups {
                let _ = fs::remove_file(backup);
            }
        };
        for p in &self.pending {
            if fs::symlink_metadata(&p.target).is_ok() {
                let backup = backup_path(&p.target);
                if let Err(e) = fs::hard_link(&p.target, &backup) {
                    restore(&backups, &[]);
                    return Err(OutputError::new(
                        &p.target,
                        format!("cannot keep a backup: {e}"),
                    ));
                }
                backups.push((p.target.clone(), backup));
            }
        }
        for i in 0..self.pending.len() {
            let p = &self.pending[i];
            if let Err(e) = fs::rename(&p.temp, &p.target) {
                let renamed: Vec<&Pending> = self.pending[..i].iter().collect();
                restore(&backups, &renamed);
                return Err(OutputError::write(&p.target, e));
            }
        }
        self.pending.clear();
        for (_, backup) in &backups {
            let _ = fs::remove_file(backup);
        }
        for stale in &self.stale {
            if fs::symlink_metadata(stale).is_ok_and(|m| !m.is_dir()) {
                let _ = fs::remove_file(stale);
            }
        }
        for folder in std::iter::once(self.dir.clone()).chain(self.written_folders()) {
            if let Ok(dir) = File::open(&folder) {
                let _ = dir.sync_all();
            }
        }
        self.created.clear();
        Ok(std::mem::take(&mut self.records))
    }
}

impl OutputSet {
    /// The temporary name of `name` in `base` (this set's folder or its
    /// mirror), its subfolder created first when it has one.
    fn staging(&mut self, base: &Path, name: &str) -> Result<PathBuf, OutputError> {
        let target = base.join(name);
        if let Some(folder) = target.parent().filter(|f| *f != base) {
            let mut missing = Vec::new();
            let mut next = Some(folder);
            while let Some(f) = next.filter(|f| *f != base && !f.exists()) {
                missing.push(f.to_path_buf());
                next = f.parent();
            }
            fs::create_dir_all(folder)
                .map_err(|e| OutputError::new(folder, format!("cannot create the folder: {e}")))?;
            self.created.extend(missing);
        }
        Ok(temp_path(base, name))
    }

    /// The subfolders of the files this set renames into place.
    fn written_folders(&self) -> Vec<PathBuf> {
        let mut folders: Vec<PathBuf> = Vec::new();
        for record in &self.records {
            let target = self.dir.join(&record.path);
            if let Some(folder) = target.parent().filter(|f| *f != self.dir) {
                if !folders.iter().any(|f| f == folder) {
                    folders.push(folder.to_path_buf());
                }
            }
        }
        folders
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        for p in &self.pending {
            let _ = fs::remove_file(&p.temp);
        }
        // Table folders this uncommitted set created, while empty (another
        // run's files in one keep it).
        for folder in &self.created {
            let _ = fs::remove_dir(folder);
        }
    }
}

/// Removes the temporaries in `dir`, and in its table and receipt
/// folders, that a killed run of this tool left. Those of live processes
/// (a concurrent shard writing into the same folder) are kept.
fn remove_stale_temporaries(dir: &Path) -> Result<(), OutputError> {
    remove_stale_in(dir, 2).map_err(|e| OutputError::new(dir, e))
}

/// [`remove_stale_temporaries`] in `dir` and, `depth` levels down, in the
/// tools' own subfolders.
fn remove_stale_in(dir: &Path, depth: u32) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && depth > 0 && is_own_folder(&name) {
            // A folder that cannot be read holds nothing of this run.
            let _ = remove_stale_in(&entry.path(), depth - 1);
        } else if !is_dir && is_stale_temporary(&name) {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Creates and removes a file in `dir`: whether the folder accepts new files
/// (permissions, a read-only mount, an immutable folder, even for root).
fn probe(dir: &Path) -> Result<(), OutputError> {
    let probe = temp_path(dir, "write-check");
    File::create(&probe)
        .map_err(|e| OutputError::new(dir, format!("cannot write in the folder: {e}")))?;
    let _ = fs::remove_file(&probe);
    Ok(())
}

/// Bytes per direct write: whole blocks of [`ALIGN`].
const DIRECT_BLOCK: usize = 1 << 20;

/// The alignment direct I/O needs of buffers, offsets and lengths (the
/// largest logical block size of common disks).
const ALIGN: usize = 4096;

/// Opens a temporary file for writing, with direct I/O when `direct` and
/// the file system accepts it; says whether it did.
fn open_staged(temp: &Path, direct: bool) -> std::io::Result<(File, bool)> {
    #[cfg(target_os = "linux")]
    if direct {
        use std::os::unix::fs::OpenOptionsExt;
        match fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .custom_flags(libc::O_DIRECT)
            .open(temp)
        {
            Ok(file) => return Ok((file, true)),
            // EINVAL: the file system does not do direct I/O.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {}
            Err(e) => return Err(e),
        }
    }
    let _ = direct;
    File::create(temp).map(|file| (file, false))
}

/// A buffer of [`DIRECT_BLOCK`] bytes starting on an [`ALIGN`] boundary.
struct Aligned {
    storage: Vec<u8>,
    start: usize,
    filled: usize,
}

impl Aligned {
    /// `None` in the (theoretical) case that no aligned start can be found.
    fn new() -> Option<Self> {
        let storage = vec![0u8; DIRECT_BLOCK + ALIGN];
        let start = storage.as_ptr().align_offset(ALIGN);
        (start < ALIGN).then_some(Aligned {
            storage,
            start,
            filled: 0,
        })
    }

    /// The bytes gathered so far.
    fn bytes(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.filled]
    }
}

/// Full blocks a direct file may have in flight, besides the one filling.
const DIRECT_IN_FLIGHT: usize = 2;

/// The writes of a file opened with direct I/O, done on a thread of their
/// own, so that hashing and formatting go on while the disk works: full
/// blocks go to the thread, which hands each back once written.
struct DirectWrites {
    /// The block being filled.
    block: Box<Aligned>,
    /// Blocks allocated so far.
    allocated: usize,
    full: Option<std::sync::mpsc::SyncSender<Box<Aligned>>>,
    spare: std::sync::mpsc::Receiver<Box<Aligned>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<File>>>,
}

impl DirectWrites {
    fn start(mut file: File, name: &str) -> std::io::Result<Option<Self>> {
        let Some(block) = Aligned::new() else {
            return Ok(None);
        };
        let (full, blocks) = std::sync::mpsc::sync_channel::<Box<Aligned>>(DIRECT_IN_FLIGHT);
        let (give_back, spare) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(format!("write {name}"))
            .spawn(move || {
                for mut block in blocks {
                    file.write_all(block.bytes())?;
                    block.filled = 0;
                    // The writer may have finished and gone: nothing to hand back to.
                    let _ = give_back.send(block);
                }
                Ok(file)
            })?;
        Ok(Some(DirectWrites {
            block: Box::new(block),
            allocated: 1,
            full: Some(full),
            spare,
            thread: Some(thread),
        }))
    }

    fn write_all(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            let b = &mut self.block;
            let n = (DIRECT_BLOCK - b.filled).min(bytes.len());
            let at = b.start + b.filled;
            b.storage[at..at + n].copy_from_slice(&bytes[..n]);
            b.filled += n;
            bytes = &bytes[n..];
            if b.filled == DIRECT_BLOCK {
                self.send_block()?;
            }
        }
        Ok(())
    }

    /// Hands the full block to the thread and takes an empty one.
    fn send_block(&mut self) -> std::io::Result<()> {
        let next = match self.spare.try_recv() {
            Ok(block) => block,
            Err(_) if self.allocated <= DIRECT_IN_FLIGHT => {
                self.allocated += 1;
                Box::new(Aligned::new().ok_or_else(|| std::io::Error::other("no aligned buffer"))?)
            }
            Err(_) => match self.spare.recv() {
                Ok(block) => block,
                Err(_) => return Err(self.stopped()),
            },
        };
        let full = std::mem::replace(&mut self.block, next);
        let sent = self.full.as_ref().map(|f| f.send(full));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(self.stopped()),
        }
    }

    /// The error the thread stopped on.
    fn stopped(&mut self) -> std::io::Error {
        self.full = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(Err(e))) => e,
            _ => std::io::Error::other("the writing thread stopped"),
        }
    }

    /// Waits for the thread's writes; returns the file and the bytes of the
    /// last, partly filled block.
    fn finish(mut self) -> std::io::Result<(File, Box<Aligned>)> {
        self.full = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(Ok(file))) => Ok((file, self.block)),
            Some(Ok(Err(e))) => Err(e),
            _ => Err(std::io::Error::other("the writing thread stopped")),
        }
    }
}

struct StagedFile {
    name: String,
    target: PathBuf,
    temp: PathBuf,
    /// The file; `None` while a direct file's thread has it.
    file: Option<File>,
    direct: Option<DirectWrites>,
}

impl StagedFile {
    fn new(
        name: &str,
        target: PathBuf,
        temp: PathBuf,
        file: File,
        direct: bool,
    ) -> std::io::Result<Self> {
        let (file, direct) = if direct {
            match DirectWrites::start(file.try_clone()?, name)? {
                Some(writes) => (None, Some(writes)),
                None => (Some(file), None),
            }
        } else {
            (Some(file), None)
        };
        Ok(StagedFile {
            name: name.to_string(),
            target,
            temp,
            file,
            direct,
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match (&mut self.direct, &mut self.file) {
            (Some(direct), _) => direct.write_all(bytes),
            (None, Some(file)) => file.write_all(bytes),
            (None, None) => Err(std::io::Error::other("the file is closed")),
        }
    }

    /// Writes what is left and syncs the file. A direct file's last block is
    /// written directly up to its last whole [`ALIGN`] bytes, the rest
    /// through a second, ordinary handle (direct I/O writes whole blocks
    /// only).
    fn finish(&mut self) -> std::io::Result<()> {
        if let Some(direct) = self.direct.take() {
            let (mut file, block) = direct.finish()?;
            let bytes = block.bytes();
            let whole = bytes.len() / ALIGN * ALIGN;
            file.write_all(&bytes[..whole])?;
            if whole < bytes.len() {
                file = fs::OpenOptions::new().append(true).open(&self.temp)?;
                file.write_all(&bytes[whole..])?;
            }
            self.file = Some(file);
        }
        match &self.file {
            Some(file) => file.sync_all(),
            None => Err(std::io::Error::other("the file is closed")),
        }
    }
}

/// A CSV table being written: rows are formatted into a reused buffer, which
/// is hashed and written out in large blocks.
pub struct TableWriter {
    files: Vec<StagedFile>,
    buffer: Vec<u8>,
    hasher: Sha256,
    bytes: u64,
    rows: u64,
}

impl TableWriter {
    /// Appends one row formatted by `format` (which must end it with `\n`).
    pub fn row(&mut self, format: impl FnOnce(&mut Vec<u8>)) -> Result<(), OutputError> {
        format(&mut self.buffer);
        self.rows += 1;
        if self.buffer.len() >= BLOCK {
            self.flush()?;
        }
        Ok(())
    }

    /// Appends many rows.
    pub fn rows<T>(
        &mut self,
        items: &[T],
        format: impl Fn(&mut Vec<u8>, &T),
    ) -> Result<(), OutputError> {
        for item in items {
            self.row(|out| format(out, item))?;
        }
        Ok(())
    }

    /// Appends rows formatted elsewhere (e.g. on another thread): `bytes`
    /// holds `rows` complete rows.
    pub fn append(&mut self, bytes: &[u8], rows: u64) -> Result<(), OutputError> {
        if self.buffer.len() + bytes.len() < BLOCK {
            self.buffer.extend_from_slice(bytes);
        } else {
            self.flush()?;
            self.write_through(bytes)?;
        }
        self.rows += rows;
        Ok(())
    }

    /// Rows written so far (header excluded).
    pub fn row_count(&self) -> u64 {
        self.rows
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        let buffer = std::mem::take(&mut self.buffer);
        self.write_through(&buffer)?;
        self.buffer = buffer;
        self.buffer.clear();
        Ok(())
    }

    fn write_through(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        self.hasher.update(bytes);
        for f in &mut self.files {
            f.write_all(bytes)
                .map_err(|e| OutputError::write(&f.target, e))?;
        }
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}

impl OutputSet {
    /// Starts a file written through [`std::io::Write`] (a Parquet table,
    /// say): staged under a temporary name like every other file, hashed and
    /// counted as it is written. Hand it back to [`OutputSet::finish_writer`]
    /// once complete.
    pub fn writer(&mut self, name: &str) -> Result<StagedWriter, OutputError> {
        let target = self.dir.join(name);
        let temp = self.staging(&self.dir.clone(), name)?;
        let (file, direct) = in_folder(&temp, |t| open_staged(t, self.direct))
            .map_err(|e| OutputError::write(&target, e))?;
        self.pending.push(Pending {
            temp: temp.clone(),
            target: target.clone(),
        });
        let file = StagedFile::new(name, target.clone(), temp, file, direct)
            .map_err(|e| OutputError::write(&target, e))?;
        Ok(StagedWriter {
            file,
            buffer: Vec::with_capacity(BLOCK),
            hasher: Sha256::new(),
            bytes: 0,
        })
    }

    /// Syncs a finished [`StagedWriter`] and records its size and hash.
    pub fn finish_writer(&mut self, mut writer: StagedWriter) -> Result<(), OutputError> {
        let target = writer.file.target.clone();
        let buffer = std::mem::take(&mut writer.buffer);
        writer
            .file
            .write_all(&buffer)
            .and_then(|()| writer.file.finish())
            .map_err(|e| OutputError::write(&target, e))?;
        self.records.push(FileRecord {
            path: writer.file.name,
            bytes: writer.bytes,
            sha256: hex(&writer.hasher.finalize()),
        });
        Ok(())
    }
}

/// A file of an [`OutputSet`] written through [`std::io::Write`]: bytes are
/// gathered into blocks of a megabyte for its temporary file, and go into
/// its SHA-256. Write errors name the target.
pub struct StagedWriter {
    file: StagedFile,
    buffer: Vec<u8>,
    hasher: Sha256,
    bytes: u64,
}

impl StagedWriter {
    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("{}: cannot write: {e}", self.file.target.display()),
            )
        })
    }
}

impl Write for StagedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.buffer.len() + buf.len() > BLOCK {
            self.flush()?;
        }
        if buf.len() >= BLOCK {
            self.put(buf)?;
        } else {
            self.buffer.extend_from_slice(buf);
        }
        self.hasher.update(buf);
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let buffer = std::mem::take(&mut self.buffer);
        let written = self.put(&buffer);
        self.buffer = buffer;
        self.buffer.clear();
        written
    }
}

/// The SHA-256 of `bytes`, lowercase hex, as receipts spell it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The table with the header line `x`.
    fn with_header(mut t: TableWriter) -> TableWriter {
        t.append(b"x\n", 0).unwrap();
        t
    }

    /// Writes a table of `sizes` appends (bytes cycling through the digits,
    /// each append ending in `\n`) to `a.csv` and `b.csv`, with direct I/O
    /// or not; returns both files' bytes, the records, and whether the
    /// table's files were direct.
    fn write_table(dir: &Path, sizes: &[usize], direct: bool) -> (Vec<u8>, Vec<FileRecord>, bool) {
        let mut set = OutputSet::create(dir).unwrap();
        set.set_direct_io(direct);
        let mut t = with_header(set.table(&["a.csv", "b.csv"]).unwrap());
        let was_direct = t.files.iter().all(|f| f.direct.is_some());
        let mut digit = 0u8;
        for &size in sizes {
            let mut part: Vec<u8> = (0..size.saturating_sub(1))
                .map(|_| {
                    digit = (digit + 1) % 10;
                    b'0' + digit
                })
                .collect();
            part.push(b'\n');
            t.append(&part, 1).unwrap();
        }
        set.finish(t).unwrap();
        let records = set.commit().unwrap();
        let a = fs::read(dir.join("a.csv")).unwrap();
        assert!(a == fs::read(dir.join("b.csv")).unwrap());
        (a, records, was_direct)
    }

    #[test]
    fn direct_io_writes_the_same_bytes_at_every_block_boundary() {
        let mb = DIRECT_BLOCK;
        for sizes in [
            vec![],
            vec![1],
            vec![ALIGN - 2],
            vec![ALIGN - 1],
            vec![ALIGN],
            vec![mb - 2],
            vec![mb - 2, 1],
            vec![mb + 123, 5, 3 * mb, ALIGN, 7],
            (0..40).map(|i| 100_000 + 37 * i).collect(),
        ] {
            let buffered = tempfile::tempdir().unwrap();
            let direct = tempfile::tempdir().unwrap();
            let (want, want_records, was) = write_table(buffered.path(), &sizes, false);
            assert!(!was);
            let probe = direct.path().join("probe");
            let supported = open_staged(&probe, true).unwrap().1;
            fs::remove_file(&probe).unwrap();
            let (got, records, was) = write_table(direct.path(), &sizes, true);
            // Direct I/O wherever the file system takes it (ext4 and tmpfs do).
            assert_eq!(was, supported);
            assert!(
                got == want,
                "sizes {sizes:?}: {} vs {} bytes",
                got.len(),
                want.len()
            );
            assert_eq!(records, want_records);
            assert_eq!(records[0].sha256, hex(&Sha256::digest(&want)));
            assert_eq!(fs::read_dir(direct.path()).unwrap().count(), 2);
        }
    }

    /// A final name that is a folder is refused before the first rename:
    /// the earlier files stay as they were.
    #[test]
    fn a_folder_under_a_final_name_is_refused_before_any_rename() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a.csv"), "old\n").unwrap();
        fs::create_dir(d.join("b.csv")).unwrap();
        fs::write(d.join("b.csv/inside"), "x").unwrap();
        let mut set = OutputSet::create(d).unwrap();
        set.bytes("a.csv", b"new\n").unwrap();
        set.bytes("b.csv", b"new\n").unwrap();
        let e = set.commit().unwrap_err().to_string();
        assert!(e.contains("b.csv: cannot replace: is a folder"), "{e}");
        assert_eq!(fs::read_to_string(d.join("a.csv")).unwrap(), "old\n");
        let names: Vec<_> = fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    /// A rename that fails after others succeeded puts the replaced files
    /// back and removes the new ones: the old run's folder, not a mix.
    #[test]
    fn a_failed_rename_rolls_the_commit_back() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a.csv"), "old a\n").unwrap();
        let mut set = OutputSet::create(d).unwrap();
        set.bytes("a.csv", b"new a\n").unwrap();
        set.bytes("new.csv", b"new\n").unwrap();
        set.bytes("c.csv", b"new c\n").unwrap();
        // The third rename fails: its temporary is gone.
        fs::remove_file(&set.pending[2].temp).unwrap();
        assert!(set.commit().is_err());
        assert_eq!(fs::read_to_string(d.join("a.csv")).unwrap(), "old a\n");
        assert!(!d.join("new.csv").exists() && !d.join("c.csv").exists());
        let names: Vec<_> = fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn nothing_appears_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.csv"), "old\n").unwrap();
        {
            let mut set = OutputSet::create(dir.path()).unwrap();
            let mut t = with_header(set.table(&["a.csv", "b.csv"]).unwrap());
            t.row(|o| o.extend_from_slice(b"1\n")).unwrap();
            set.finish(t).unwrap();
            // Dropped without commit.
        }
        assert_eq!(
            fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "old\n"
        );
        assert!(!dir.path().join("b.csv").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

        let mut set = OutputSet::create(dir.path()).unwrap();
        let mut t = with_header(set.table(&["a.csv", "b.csv"]).unwrap());
        t.row(|o| o.extend_from_slice(b"1\n")).unwrap();
        set.finish(t).unwrap();
        let records = set.commit().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("b.csv")).unwrap(),
            "x\n1\n"
        );
        assert_eq!(records[0].bytes, 4);
        // sha256("x\n1\n")
        assert_eq!(records[0].sha256, hex(&Sha256::digest(b"x\n1\n")));
        assert_eq!(records[0].sha256, records[1].sha256);
    }

    #[test]
    fn only_stale_temporaries_of_own_files_count_as_strays() {
        assert!(is_stale_temporary(".customers.csv.novawireless-partial"));
        assert!(is_stale_temporary(
            ".lines.parquet.4294967295.novawireless-partial"
        ));
        assert!(is_stale_temporary(
            ".customer_generation_receipt.json.novawireless-partial"
        ));
        assert!(is_stale_temporary(".write-check.novawireless-partial"));
        // Another tool's file, a live process's temporary, our own.
        assert!(!is_stale_temporary(".notes.txt.novawireless-partial"));
        assert!(!is_stale_temporary(".customers.csv.1.novawireless-partial"));
        let own = format!(".lines.csv.{}{TEMP_SUFFIX}", std::process::id());
        assert!(!is_stale_temporary(&own));
        assert!(!is_stale_temporary("customers.csv"));
    }

    #[test]
    fn parts_of_table_folders_are_own_names() {
        assert!(is_part("part-1-of-2") && is_part("part-10-of-12"));
        assert!(!is_part("part-1-of-") && !is_part("part-x-of-2") && !is_part("part1"));
        assert!(is_stale_temporary(".part-2-of-3.csv.novawireless-partial"));
        assert!(!is_stale_temporary(".part-2-of-3.txt.novawireless-partial"));
    }

    /// Files in table folders are staged beside their targets, and a
    /// stray there is removed by the next run, but never a live
    /// process's temporary (a concurrent shard's).
    #[test]
    fn files_in_subfolders_are_staged_beside_their_targets() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let stray = d.join("customers");
        fs::create_dir(&stray).unwrap();
        let stray = stray.join(format!(".part-1-of-2.csv{TEMP_SUFFIX}"));
        fs::write(&stray, "partial").unwrap();
        let live = d.join(format!("customers/.part-2-of-2.csv.1{TEMP_SUFFIX}"));
        fs::write(&live, "pid 1 is alive").unwrap();
        let receipts = d.join("_receipts/part-1-of-2");
        fs::create_dir_all(&receipts).unwrap();
        let stray_receipt = receipts.join(format!(".lines_receipt.json{TEMP_SUFFIX}"));
        let receipt = receipts.join(format!(".customer_generation_receipt.json{TEMP_SUFFIX}"));
        fs::write(&stray_receipt, "not ours").unwrap();
        fs::write(&receipt, "partial").unwrap();
        let mut set = OutputSet::create(d).unwrap();
        assert!(!stray.exists() && !receipt.exists());
        assert!(live.exists() && stray_receipt.exists());
        set.bytes("customers/part-1-of-2.csv", b"a\n").unwrap();
        set.bytes("_receipts/part-1-of-2/r.json", b"{}").unwrap();
        let temp = d.join(format!(
            "customers/.part-1-of-2.csv.{}{TEMP_SUFFIX}",
            std::process::id()
        ));
        assert!(temp.exists());
        let records = set.commit().unwrap();
        assert_eq!(records[0].path, "customers/part-1-of-2.csv");
        assert_eq!(
            listing(&d.join("customers")),
            [
                format!(".part-2-of-2.csv.1{TEMP_SUFFIX}"),
                "part-1-of-2.csv".into()
            ]
        );
    }

    #[test]
    fn an_uncommitted_set_removes_the_table_folders_it_created() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("lines")).unwrap();
        {
            let mut set = OutputSet::create(d).unwrap();
            set.bytes("customers/part-1-of-1.csv", b"a\n").unwrap();
            set.bytes("lines/part-1-of-1.csv", b"a\n").unwrap();
            set.bytes("_receipts/part-1-of-1/r.json", b"{}").unwrap();
        }
        // The folder that was there stays.
        assert_eq!(listing(d), ["lines"]);
        assert!(listing(&d.join("lines")).is_empty());
    }

    #[test]
    fn stray_temporaries_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stray = dir.path().join(format!(".customers.csv{TEMP_SUFFIX}"));
        let foreign = dir.path().join(format!(".a.csv{TEMP_SUFFIX}"));
        fs::write(&stray, "partial").unwrap();
        fs::write(&foreign, "someone else's").unwrap();
        let _set = OutputSet::create(dir.path()).unwrap();
        assert!(!stray.exists());
        assert!(foreign.exists(), "a file the tool never writes was removed");
    }

    #[test]
    fn check_folder_refuses_files_in_the_path_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "").unwrap();
        let err = OutputSet::check_folder(&file.join("a/b")).unwrap_err();
        assert!(err.to_string().contains("f is a file"), "{err}");
        let err = OutputSet::check_folder(&file).unwrap_err();
        assert!(err.to_string().contains("is not a folder"), "{err}");
        assert!(OutputSet::check_folder(Path::new("")).is_err());
        OutputSet::check_folder(&dir.path().join("new/nested")).unwrap();
        OutputSet::check_folder(dir.path()).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_commit_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = OutputSet::create(dir.path()).unwrap();
        set.bytes("a.txt", b"a").unwrap();
        set.bytes("b.txt", b"b").unwrap();
        // A folder where b.txt goes: refused before any rename, so a.txt
        // does not appear either (all or nothing).
        fs::create_dir(dir.path().join("b.txt")).unwrap();
        fs::write(dir.path().join("b.txt/x"), "").unwrap();
        assert!(set.commit().is_err());
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["b.txt"]);
    }

    /// The names in `dir`, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_mirror_is_committed_with_its_folder_and_its_stale_files_go() {
        let out = tempfile::tempdir().unwrap();
        let to = tempfile::tempdir().unwrap();
        fs::write(to.path().join("a.csv"), "old a").unwrap();
        fs::write(to.path().join("a.parquet"), "other format").unwrap();
        let mut set = OutputSet::create(out.path()).unwrap();
        set.bytes("a.csv", b"new a").unwrap();
        set.bytes("b.json", b"{}").unwrap();
        set.mirror_to(to.path(), &["a.csv", "b.json"], &["a.parquet"])
            .unwrap();
        // Nothing is in place before the commit, in either folder.
        assert_eq!(
            fs::read_to_string(to.path().join("a.csv")).unwrap(),
            "old a"
        );
        assert!(!out.path().join("a.csv").exists());
        assert_eq!(set.records().len(), 2);
        set.commit().unwrap();
        assert_eq!(listing(to.path()), ["a.csv", "b.json"]);
        assert_eq!(
            fs::read_to_string(to.path().join("a.csv")).unwrap(),
            "new a"
        );
        assert_eq!(listing(out.path()), ["a.csv", "b.json"]);
    }

    #[test]
    fn a_failed_mirror_changes_neither_folder_and_leaves_no_temporary() {
        let out = tempfile::tempdir().unwrap();
        let to = tempfile::tempdir().unwrap();
        fs::write(out.path().join("a.csv"), "old out").unwrap();
        fs::write(to.path().join("a.csv"), "old a").unwrap();
        let mut set = OutputSet::create(out.path()).unwrap();
        set.bytes("a.csv", b"new a").unwrap();
        // b.csv is not part of the set: the second copy is refused.
        let err = set
            .mirror_to(to.path(), &["a.csv", "b.csv"], &[])
            .unwrap_err();
        assert!(err.to_string().contains("not written by this run"), "{err}");
        drop(set);
        assert_eq!(listing(to.path()), ["a.csv"]);
        assert_eq!(
            fs::read_to_string(to.path().join("a.csv")).unwrap(),
            "old a"
        );
        assert_eq!(listing(out.path()), ["a.csv"]);
        assert_eq!(
            fs::read_to_string(out.path().join("a.csv")).unwrap(),
            "old out"
        );
    }

    #[test]
    fn a_rename_failing_in_the_mirror_rolls_back_both_folders() {
        let out = tempfile::tempdir().unwrap();
        let to = tempfile::tempdir().unwrap();
        fs::write(out.path().join("a.csv"), "old out").unwrap();
        let mut set = OutputSet::create(out.path()).unwrap();
        set.bytes("a.csv", b"new a").unwrap();
        set.mirror_to(to.path(), &["a.csv"], &[]).unwrap();
        // A folder appears under the mirror's final name after staging.
        fs::create_dir(to.path().join("a.csv")).unwrap();
        fs::write(to.path().join("a.csv").join("x"), "x").unwrap();
        assert!(set.commit().is_err());
        assert_eq!(
            fs::read_to_string(out.path().join("a.csv")).unwrap(),
            "old out"
        );
        assert_eq!(listing(out.path()), ["a.csv"]);
        assert_eq!(listing(to.path()), ["a.csv"]);
    }

    #[test]
    fn a_mirror_into_the_own_folder_copies_nothing() {
        let out = tempfile::tempdir().unwrap();
        let mut set = OutputSet::create(out.path()).unwrap();
        set.bytes("a.csv", b"new a").unwrap();
        set.mirror_to(out.path(), &["a.csv"], &[]).unwrap();
        set.commit().unwrap();
        assert_eq!(listing(out.path()), ["a.csv"]);
        assert_eq!(
            fs::read_to_string(out.path().join("a.csv")).unwrap(),
            "new a"
        );
    }

    #[test]
    fn write_errors_name_the_target_not_the_temporary() {
        let err = OutputError::write(Path::new("out/a.csv"), "No space left on device");
        assert_eq!(
            err.to_string(),
            "out/a.csv: cannot write: No space left on device"
        );
    }

    #[test]
    fn a_file_as_output_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "").unwrap();
        let err = OutputSet::create(&file).err().unwrap();
        assert!(err.to_string().contains("is not a folder"), "{err}");
    }
}
