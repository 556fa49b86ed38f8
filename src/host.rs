//! What the host checks read: file metadata, and users and groups from
//! `<root>/etc/passwd` and `<root>/etc/group`.
//!
//! Users and groups are read from those files rather than through libc
//! (`getpwnam`, or the `nix`/`users` crates that wrap it) because with
//! `--root DIR` the host is DIR, not the machine running the linter; the
//! files are the only source that follows `--root`. Accounts that only a
//! directory service (LDAP, SSSD) knows are therefore unknown, and the rules
//! say so instead of guessing.
//!
//! Which files the config-file checks look at: the linted file itself (its
//! real path, symlinks followed like `stat -L`), and only when it lies under
//! `--root` (always true for the default root `/`). Mapping the linted path
//! under DIR again would double the prefix for the usual
//! `--root /mnt/img /mnt/img/etc/glance/glance-api.conf`, and the mode and
//! owner of a copy outside DIR (a checkout, a template) say nothing about
//! DIR's host, whose `etc/passwd` could not name its owner anyway.

use std::path::{Path, PathBuf};

use crate::options::LintOptions;
use crate::source::SourceFile;

/// `path` under the host root.
pub fn under_root(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim_start_matches('/'))
}

/// A path on the host as the host sees it: under `--root DIR`, DIR's part
/// removed (`/etc/glance`, not `/mnt/img/etc/glance`).
pub fn shown(root: &Path, path: &Path) -> String {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    match path.strip_prefix(&root) {
        Ok(rest) => format!("/{}", rest.display()),
        Err(_) => path.display().to_string(),
    }
}

/// Users and groups of the host, by name and by id.
#[derive(Debug, Default)]
pub struct Accounts {
    users: Vec<(String, u32)>,
    groups: Vec<(String, u32)>,
}

/// `name:x:id:...` lines; comments, blank and malformed lines are skipped.
fn parse_db(text: &str) -> Vec<(String, u32)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut fields = l.split(':');
            let name = fields.next()?.trim();
            let id = fields.nth(1)?.trim().parse().ok()?;
            (!name.is_empty()).then(|| (name.to_string(), id))
        })
        .collect()
}

impl Accounts {
    /// Reads `<root>/etc/passwd` and `<root>/etc/group`; the error names the
    /// file that could not be read.
    pub fn load(root: &Path) -> Result<Accounts, String> {
        let read = |p: &str| {
            std::fs::read(under_root(root, p))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|_| format!("cannot read `{p}`"))
        };
        Ok(Accounts {
            users: parse_db(&read("/etc/passwd")?),
            groups: parse_db(&read("/etc/group")?),
        })
    }

    pub fn uid(&self, name: &str) -> Option<u32> {
        self.users
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }

    pub fn gid(&self, name: &str) -> Option<u32> {
        self.groups
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }

    /// `name` for a known uid, `uid N` otherwise.
    pub fn user_name(&self, uid: u32) -> String {
        self.users
            .iter()
            .find(|(_, id)| *id == uid)
            .map_or_else(|| format!("uid {uid}"), |(n, _)| n.clone())
    }

    pub fn group_name(&self, gid: u32) -> String {
        self.groups
            .iter()
            .find(|(_, id)| *id == gid)
            .map_or_else(|| format!("gid {gid}"), |(n, _)| n.clone())
    }
}

/// The note of a target linted without host checks.
pub const NO_HOST_CHECKS_NOTE: &str = "host checks skipped (--no-host-checks)";

/// Whether Glance would read this file on the host: its real path lies under
/// `<root>/etc/glance/` (symlinks followed on both sides, so a kolla-style
/// link into `/etc/glance` counts). Host checks of a checkout, a template or
/// a copy say nothing about the host, so they are judged only there (or
/// with `--host-checks`).
pub fn glance_reads(root: &Path, path: &Path) -> bool {
    let dir = under_root(root, "/etc/glance");
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&dir))
}

/// The note of a target whose host checks were skipped because Glance does
/// not read it from there.
pub fn not_read_here_note(root: &Path) -> String {
    format!(
        "host checks skipped for files outside {}, where Glance reads its configuration (--host-checks judges them anyway)",
        under_root(root, "/etc/glance/").display()
    )
}

/// The real path of a linted file whose mode and owner the host checks may
/// judge, or why they may not.
pub fn config_file_path(options: &LintOptions, src: &SourceFile) -> Result<PathBuf, String> {
    if !options.host_checks {
        return Err(NO_HOST_CHECKS_NOTE.into());
    }
    let Some(disk) = &src.disk_path else {
        return Err("file mode and owner not checked for standard input".into());
    };
    let real = std::fs::canonicalize(disk).map_err(|_| {
        format!(
            "file mode and owner not checked: cannot resolve `{}`",
            src.name
        )
    })?;
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    if real.starts_with(&root) {
        Ok(real)
    } else {
        Err("file mode and owner not checked for files outside --root".into())
    }
}

/// Which parts of the host checks did not run for a target, once each
/// (shown once in the report).
pub fn notes(options: &LintOptions, sources: &[SourceFile]) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for src in sources {
        if let Err(n) = config_file_path(options, src) {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
    }
    if options.host_checks {
        if let Err(e) = Accounts::load(&options.root) {
            notes.push(format!("owners not checked: {e} under --root"));
        }
    }
    notes
}

/// Octal, as `stat -c %a` prints it but with a leading 0 (`0640`).
pub fn octal(mode: u32) -> String {
    format!("{:04o}", mode & 0o7777)
}

/// Who gets which access from permission bits beyond what is allowed:
/// `"others can read, group can write"`.
pub fn describe_bits(bits: u32) -> String {
    let mut parts = Vec::new();
    for (shift, who) in [(3, "group"), (0, "others")] {
        let b = (bits >> shift) & 0o7;
        let mut can = Vec::new();
        if b & 0o4 != 0 {
            can.push("read");
        }
        if b & 0o2 != 0 {
            can.push("write");
        }
        if b & 0o1 != 0 {
            can.push("execute");
        }
        if !can.is_empty() {
            parts.push(format!("{who} can {}", can.join(" and ")));
        }
    }
    if bits & 0o100 != 0 {
        parts.push("the owner can execute".into());
    }
    if bits & 0o7000 != 0 {
        parts.push("setuid, setgid or sticky bits are set".into());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_lines() {
        let db = parse_db("# c\nroot:x:0:0:root:/root:/bin/sh\nglance:x:64062:64062::/var/lib/glance:/usr/sbin/nologin\nbad\n:x:1:1\nn:x:notanumber:1\n");
        assert_eq!(db, [("root".to_string(), 0), ("glance".to_string(), 64062)]);
    }

    #[test]
    fn bits_in_words() {
        assert_eq!(describe_bits(0o004), "others can read");
        assert_eq!(
            describe_bits(0o027),
            "group can write, others can read and write and execute"
        );
        assert_eq!(describe_bits(0o100), "the owner can execute");
        assert_eq!(octal(0o100640), "0640");
    }
}
