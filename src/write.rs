//! What `--fix` and `--diff` do with a fixed target: write each changed
//! file in place, atomically, or show the change as a unified diff with
//! every secret masked.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::autofix::Fixed;

/// Replaces the file at `path` with `bytes`, atomically: a temporary file in
/// the same directory, given the file's mode, owner and group, then renamed
/// over it. A symbolic link is followed: its target is rewritten and the
/// link stays a link. On any failure the file is left as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let target = fs::canonicalize(path).map_err(|e| io_text(&e))?;
    let meta = fs::metadata(&target).map_err(|e| io_text(&e))?;
    let dir = target.parent().unwrap_or(Path::new("/"));
    let mut tmp = tempfile::Builder::new()
        .prefix(".glance-lint-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            format!(
                "cannot write the fixed file: {} (a temporary file in {} is needed); the file is unchanged",
                io_text(&e),
                dir.display()
            )
        })?;
    let fail = |what: &str, e: std::io::Error| {
        format!(
            "cannot write the fixed file: {what}: {}; the file is unchanged",
            io_text(&e)
        )
    };
    tmp.write_all(bytes).map_err(|e| fail("writing", e))?;
    tmp.as_file().sync_all().map_err(|e| fail("writing", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = tmp.as_file().metadata().map_err(|e| fail("writing", e))?;
        if (mine.uid(), mine.gid()) != (meta.uid(), meta.gid()) {
            // A file owned by someone else (root:glance, 0640) must keep its
            // owner and group, or Glance may no longer read it.
            std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid())).map_err(
                |e| {
                    fail(
                        &format!(
                            "keeping its owner and group ({}:{})",
                            meta.uid(),
                            meta.gid()
                        ),
                        e,
                    )
                },
            )?;
        }
    }
    // After chown, which may clear set-id bits.
    fs::set_permissions(tmp.path(), meta.permissions()).map_err(|e| fail("keeping its mode", e))?;
    tmp.persist(&target)
        .map_err(|e| fail("replacing it", e.error))?;
    Ok(())
}

fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        _ => e.to_string(),
    }
}

/// The unified diff of every file of the target the fixes change, secrets
/// masked on both sides (`***`, as in every report): such a line shows
/// that it changes, never what it holds. Empty when nothing changes.
pub fn diff(fixed: &Fixed) -> String {
    let mut out = String::new();
    for (i, before) in fixed.original.iter().enumerate() {
        if !fixed.changed(i) {
            continue;
        }
        let after = &fixed.result.sources[i];
        let old = fixed.original_redactor.source(i, &before.text);
        let new = fixed.result.redactor.source(i, &after.text);
        let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&before.name, &after.name)
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn keeps_mode_and_follows_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.conf");
        fs::write(&real, "a\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.conf");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"b\n").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "b\n");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
