//! Helpers shared by the report's integration tests.

use novawireless_report::{write_profile, ReportError, PROFILE_FILE};
use std::fs;
use std::path::Path;

/// Runs `write_profile` on the folder `dir` spoiled by `spoil`, expects an
/// error whose one line holds every needle, and no file changed or added
/// (an earlier profile included).
pub fn refused_in(dir: &Path, spoil: impl FnOnce(&Path), needles: &[&str]) -> ReportError {
    fs::write(dir.join(PROFILE_FILE), "earlier\n").unwrap();
    spoil(dir);
    let before = listing(dir);
    let err = write_profile(dir).unwrap_err();
    let message = err.to_string();
    assert!(!message.contains('\n'), "not one line: {message}");
    for needle in needles {
        assert!(message.contains(needle), "{message:?} lacks {needle:?}");
    }
    assert_eq!(listing(dir), before, "a refused run changed the folder");
    err
}

/// Every file of `dir` by name, with its bytes, sorted.
pub fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}
