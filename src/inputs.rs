//! Turning command-line paths into lint targets: a file plus its overlays,
//! read with bounds (size, file type) so that no input can hang or exhaust
//! the tool.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::report::InputError;
use crate::source::SourceFile;

/// The name of the file Glance reads, and of its overlay directory.
pub const CONF_NAME: &str = "glance-api.conf";
pub const OVERLAY_DIR: &str = "glance-api.conf.d";

/// Default bound on one input (the largest real glance-api.conf is ~200 KB).
pub const DEFAULT_MAX_BYTES: u64 = 32 * 1024 * 1024;

pub use crate::parallel::parallel_map;
pub use crate::source::MAX_INPUT_BYTES;

/// The files Glance would read together: the main file first, then its
/// overlays in the order oslo.config applies them.
#[derive(Debug)]
pub struct Target {
    pub sources: Vec<SourceFile>,
}

/// Reads one regular file, refusing anything else (a FIFO or a device would
/// block or never end). The file is opened without blocking and checked on
/// the open handle, so it cannot be swapped for a FIFO in between.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<SourceFile, String> {
    let meta = fs::metadata(path).map_err(|e| describe_io(&e))?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        return Err(not_regular());
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| describe_io(&e))?;
    let meta = file.metadata().map_err(|e| describe_io(&e))?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > max_bytes {
        return Err(too_big(Some(meta.len()), max_bytes));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    read_bounded(file, max_bytes, &mut bytes)?;
    Ok(SourceFile::from_bytes(
        path.display().to_string(),
        Some(path),
        bytes,
    ))
}

fn not_regular() -> String {
    "is not a regular file (a FIFO, socket or device); refusing to read it".into()
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// The refusal of an input over `--max-file-size`, with the way out.
fn too_big(size: Option<u64>, max_bytes: u64) -> String {
    let size = match size {
        Some(n) => format!("is {n} bytes ({}), over", mib(n)),
        None => "is over".into(),
    };
    format!(
        "{size} the limit of {max_bytes} bytes ({}); a glance-api.conf is rarely over 1 MiB: \
         if this file is meant to be linted, raise the limit with --max-file-size BYTES",
        mib(max_bytes)
    )
}

pub fn read_stdin(name: &str, max_bytes: u64) -> Result<SourceFile, String> {
    let mut bytes = Vec::new();
    read_bounded(std::io::stdin().lock(), max_bytes, &mut bytes)?;
    Ok(SourceFile::from_bytes(name, None, bytes))
}

fn read_bounded(reader: impl Read, max_bytes: u64, bytes: &mut Vec<u8>) -> Result<(), String> {
    reader
        .take(max_bytes + 1)
        .read_to_end(bytes)
        .map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > max_bytes {
        // The size grew while it was read, or a stream has no size.
        return Err(too_big(None, max_bytes));
    }
    Ok(())
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        #[cfg(unix)]
        _ if e.raw_os_error() == Some(libc::ELOOP) => "is a loop of symbolic links".into(),
        _ => e.to_string(),
    }
}

/// `*.conf` files of an overlay directory, sorted as oslo.config sorts them
/// (`sorted(glob(DIR/*.conf))`: byte order, hidden files excluded).
pub fn overlay_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| describe_io(&e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.ends_with(".conf") && !name.starts_with('.')
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Every `glance-api.conf` below `dir`, sorted; symlinked directories are not
/// followed, so a symlink loop cannot trap the walk.
pub fn find_confs(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                if path.file_name().is_some_and(|n| n != OVERLAY_DIR) {
                    stack.push(path);
                }
            } else if path.file_name().is_some_and(|n| n == CONF_NAME) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A path to lint, before reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    /// A file; `walked` when it was found below a directory (so
    /// `exclude` applies) rather than named.
    File {
        path: PathBuf,
        walked: bool,
    },
}

/// Resolves command-line paths into inputs: `-`, files as named, and every
/// `glance-api.conf` below a directory. A directory with none is an error;
/// errors do not stop the other paths.
pub fn resolve(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let confs = find_confs(path);
                if confs.is_empty() {
                    errors.push(InputError {
                        path: path.display().to_string(),
                        message: format!("no {CONF_NAME} found in this directory"),
                    });
                }
                inputs.extend(
                    confs
                        .into_iter()
                        .map(|path| Input::File { path, walked: true }),
                );
            }
            _ => inputs.push(Input::File {
                path: main_of_overlay(path).unwrap_or_else(|| path.clone()),
                walked: false,
            }),
        }
    }
    // A file named twice (or an overlay and its main file) is linted once.
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|i| match i {
        Input::File { path, .. } => seen.insert(path.clone()),
        Input::Stdin => true,
    });
    (inputs, errors)
}

/// For `DIR/glance-api.conf.d/NAME.conf` with a `DIR/glance-api.conf`, that
/// file: Glance never reads an overlay alone.
fn main_of_overlay(path: &Path) -> Option<PathBuf> {
    let dir = path.parent()?;
    if dir.file_name()? != OVERLAY_DIR || path.extension()? != "conf" {
        return None;
    }
    let main = dir.with_file_name(CONF_NAME);
    main.is_file().then_some(main)
}

/// Options for reading an input.
pub struct ReadOptions<'a> {
    pub config_dirs: &'a [PathBuf],
    pub stdin_name: &'a str,
    pub max_bytes: u64,
}

/// Reads an input and its overlays (a sibling `glance-api.conf.d/`, then
/// `--config-dir`s). `None` when the main file cannot be read; an unreadable
/// overlay is an error, and the rest is still linted.
pub fn read(input: &Input, c: &ReadOptions, errors: &mut Vec<InputError>) -> Option<Target> {
    let mut error = |path: &Path, message: String| {
        errors.push(InputError {
            path: path.display().to_string(),
            message,
        })
    };
    let main = match input {
        Input::Stdin => {
            return match read_stdin(c.stdin_name, c.max_bytes) {
                Ok(src) => Some(Target { sources: vec![src] }),
                Err(m) => {
                    error(Path::new("-"), format!("standard input {m}"));
                    None
                }
            };
        }
        Input::File { path, .. } => path,
    };
    let mut sources = match read_file(main, c.max_bytes) {
        Ok(s) => vec![s],
        Err(m) => {
            error(main, m);
            return None;
        }
    };
    let mut overlays = Vec::new();
    if main.file_name().is_some_and(|n| n == CONF_NAME) {
        let sibling = main.with_file_name(OVERLAY_DIR);
        if sibling.is_dir() {
            overlays.push(sibling);
        }
    }
    overlays.extend(c.config_dirs.iter().cloned());
    for dir in overlays {
        match overlay_files(&dir) {
            Ok(files) => {
                for f in files {
                    match read_file(&f, c.max_bytes) {
                        Ok(s) => sources.push(s),
                        Err(m) => error(&f, m),
                    }
                }
            }
            Err(m) => error(&dir, m),
        }
    }
    Some(Target { sources })
}
