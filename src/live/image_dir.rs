//! The image directory of each file store must be writable by the user glance-api runs as: the
//! `glance` user of `<root>/etc/passwd` (or `--service-user NAME`), judged from the mode, owner
//! and group of the directory and the search bit of every directory above it, with the user's
//! primary group and its groups in `<root>/etc/group`. Read-only: `stat` and two files. Runs
//! on tokio's blocking pool, so a hung network file system costs one timeout.

use std::collections::BTreeSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::host::{octal, under_root};
use crate::live::{boxed, net, LiveFinding, Probe, ProbeKind, Target};
use crate::model::views::{enabled_backends, store_type};
use crate::model::{EffectiveConfig, Entry};
use crate::rules::live as rule;

/// The image-dir probe (a host check: not with `--no-host-checks`).
pub static PROBE: ProbeKind = ProbeKind {
    name: "image-dir",
    rules: &[&rule::ImageDirNotWritable::META],
    plan: |config, env| {
        if !env.host_checks {
            return Vec::new();
        }
        boxed(
            datadirs(config, env.catalogue)
                .into_iter()
                .map(|(section, entry)| DirTarget {
                    section,
                    entry,
                    root: env.root.to_path_buf(),
                    user: env.service_user.to_string(),
                }),
        )
    },
};

const OPTION: &str = "filesystem_store_datadir";

/// A section name for a finding: backend ids are the file's own, so each distinct one is kept
/// once for the life of the process (findings name their section as `&'static str`).
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    let n: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(n);
    n
}

/// The explicitly set image directories of the file stores Glance uses, with their sections:
/// each `file` backend of enabled_backends (its own section, else `[backend_defaults]`), or
/// `[glance_store]` without enabled_backends.
pub fn datadirs<'a>(
    config: &'a EffectiveConfig,
    catalogue: &crate::schema::Catalogue,
) -> Vec<(&'static str, &'a Entry)> {
    let mut out: Vec<(&'static str, &'a Entry)> = Vec::new();
    match enabled_backends(config) {
        Some((_, backends)) => {
            for b in backends
                .iter()
                .filter(|b| store_type(catalogue, &b.store_type) == Some("file"))
            {
                if let Some(e) = config.get(&b.id, OPTION) {
                    out.push((intern(&b.id), e));
                } else if let Some(e) = config.get("backend_defaults", OPTION) {
                    out.push(("backend_defaults", e));
                }
            }
        }
        None => out.extend(
            config
                .get("glance_store", OPTION)
                .map(|e| ("glance_store", e)),
        ),
    }
    out.retain(|(_, e)| !e.value.trim().is_empty());
    out.dedup_by_key(|(s, _)| *s);
    out
}

/// One image directory and who must write it.
pub struct DirTarget<'a> {
    section: &'static str,
    entry: &'a Entry,
    root: PathBuf,
    user: String,
}

impl Target for DirTarget<'_> {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        let (root, user, dir) = (
            self.root.clone(),
            self.user.clone(),
            self.entry.value.trim().to_string(),
        );
        let section = self.section;
        let on_timeout = LiveFinding::new(
            &rule::ImageDirNotWritable::META,
            section,
            OPTION,
            format!(
                "the image directory `{dir}` could not be examined within {} (a hung network file system?)",
                net::secs(timeout)
            ),
            "check the file system the directory is on, or raise --timeout",
        );
        vec![Probe {
            fut: Box::pin(async move {
                let task = tokio::task::spawn_blocking(move || judge(&root, &user, &dir, section));
                task.await.ok().into_iter().flatten().collect()
            }),
            on_timeout,
        }]
    }

    fn secrets(&self) -> Vec<String> {
        Vec::new()
    }

    fn origin(&self, section: &str, option: &str) -> Option<&Entry> {
        (section == self.section && option == OPTION).then_some(self.entry)
    }
}

/// A user as the kernel sees it: uid, primary gid and every group it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub groups: BTreeSet<u32>,
}

/// The user `name` of `<root>/etc/passwd`, with its primary group and the groups of
/// `<root>/etc/group` that list it; `None` when it is not there (or the files cannot be read).
pub fn account(root: &Path, name: &str) -> Option<Account> {
    let passwd = std::fs::read_to_string(under_root(root, "/etc/passwd")).ok()?;
    let (uid, gid) = passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 4 && f[0] == name).then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))?
    })?;
    let mut groups = BTreeSet::from([gid]);
    if let Ok(group) = std::fs::read_to_string(under_root(root, "/etc/group")) {
        for l in group.lines() {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() >= 4 && f[3].split(',').any(|m| m.trim() == name) {
                if let Ok(g) = f[2].parse() {
                    groups.insert(g);
                }
            }
        }
    }
    Some(Account {
        name: name.to_string(),
        uid,
        groups,
    })
}

/// Whether `acct` has every bit of `need` (4 read, 2 write, 1 search) on a file of this
/// mode, owner and group: the owner's bits, else the group's, else the others' (as the
/// kernel picks them, without ACLs). uid 0 may do everything.
pub fn permits(mode: u32, owner: u32, group: u32, acct: &Account, need: u32) -> bool {
    if acct.uid == 0 {
        return true;
    }
    let bits = if owner == acct.uid {
        (mode >> 6) & 7
    } else if acct.groups.contains(&group) {
        (mode >> 3) & 7
    } else {
        mode & 7
    };
    bits & need == need
}

fn judge(root: &Path, user: &str, dir: &str, section: &'static str) -> Option<LiveFinding> {
    let acct = account(root, user)?; // no such user here: nothing to judge against
    let path = under_root(root, dir);
    let meta = std::fs::metadata(&path).ok()?; // missing: datadir-missing says it
    if !meta.is_dir() {
        return None; // datadir-missing says it
    }
    let who = format!("user '{user}' (uid {})", acct.uid);
    let finding = |why: String, help: String| {
        LiveFinding::new(
            &rule::ImageDirNotWritable::META,
            section,
            OPTION,
            format!("{why}: glance_store disables adding images to this store and every upload fails (410 \"Adding images to store is disabled\")"),
            help,
        )
    };
    // Every directory above must let the user through.
    let mut above = Vec::new();
    let mut p = Path::new(dir.trim_end_matches('/'));
    while let Some(parent) = p.parent() {
        above.push(parent.to_path_buf());
        p = parent;
    }
    for a in above.iter().rev() {
        let shown = a.display().to_string();
        let Ok(m) = std::fs::metadata(under_root(root, &shown)) else {
            continue;
        };
        if !permits(m.mode(), m.uid(), m.gid(), &acct, 1) {
            return Some(finding(
                format!(
                    "{who} cannot enter `{shown}` (mode {}, owner uid {} gid {}), above the image directory `{dir}`",
                    octal(m.mode() & 0o7777),
                    m.uid(),
                    m.gid()
                ),
                format!("chmod o+x {shown} (or make {user} a member of its group)"),
            ));
        }
    }
    if permits(meta.mode(), meta.uid(), meta.gid(), &acct, 3) {
        return None;
    }
    Some(finding(
        format!(
            "{who}, whom glance-api runs as, cannot write the image directory `{dir}` (mode {}, owner uid {} gid {})",
            octal(meta.mode() & 0o7777),
            meta.uid(),
            meta.gid()
        ),
        format!("chown {user}:{user} {dir} (the user glance-api runs as; --service-user names another)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acct(uid: u32, groups: &[u32]) -> Account {
        Account {
            name: "glance".into(),
            uid,
            groups: groups.iter().copied().collect(),
        }
    }

    #[test]
    fn kernel_permission_classes() {
        let g = acct(999, &[999, 50]);
        // owner class wins even when the group's bits would allow
        assert!(!permits(0o575, 999, 999, &g, 2));
        assert!(permits(0o755, 999, 0, &g, 3));
        assert!(!permits(0o755, 0, 0, &g, 2));
        assert!(permits(0o775, 0, 50, &g, 3));
        assert!(permits(0o777, 0, 0, &g, 3));
        assert!(!permits(0o770, 0, 0, &g, 1));
        assert!(permits(0o700, 0, 0, &acct(0, &[0]), 3));
    }

    #[test]
    fn accounts_come_from_the_root() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("etc")).unwrap();
        std::fs::write(
            d.path().join("etc/passwd"),
            "root:x:0:0::/root:/bin/sh\nglance:x:161:162::/var/lib/glance:/usr/sbin/nologin\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("etc/group"),
            "root:x:0:\nglance:x:162:\nimages:x:500:nova,glance\n",
        )
        .unwrap();
        let a = account(d.path(), "glance").unwrap();
        assert_eq!(a.uid, 161);
        assert_eq!(a.groups, BTreeSet::from([162, 500]));
        assert!(account(d.path(), "nobody").is_none());
    }

    #[test]
    fn a_directory_of_root_is_not_writable_by_the_user() {
        let d = tempfile::tempdir().unwrap();
        let me = unsafe { libc::getuid() };
        std::fs::create_dir_all(d.path().join("etc")).unwrap();
        // the service user is someone else than the owner of the directory
        std::fs::write(
            d.path().join("etc/passwd"),
            format!("svc:x:{}:{}::/:/bin/false\n", me + 4242, me + 4242),
        )
        .unwrap();
        std::fs::write(d.path().join("etc/group"), "").unwrap();
        let img = d.path().join("images");
        std::fs::create_dir(&img).unwrap();
        std::fs::set_permissions(&img, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let f = judge(d.path(), "svc", "/images", "fs").unwrap();
        assert_eq!(f.rule.name, "image-dir-not-writable");
        assert!(f.message.contains("`/images`"), "{}", f.message);
        std::fs::set_permissions(&img, std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .unwrap();
        assert!(judge(d.path(), "svc", "/images", "fs").is_none());
        // no such user: nothing to judge
        assert!(judge(d.path(), "glance", "/images", "fs").is_none());
    }
}
