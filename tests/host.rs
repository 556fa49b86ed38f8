//! Host checks on files made at run time in a temporary --root, with a fake
//! `etc/passwd` and `etc/group` that name the ids the test process creates
//! files with: the results do not depend on who runs the tests (root in CI).

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use common::{bin, lint_file, run_with_stdin, stdout};
use glance_lint::{LintOptions, LintResult, Severity};

const SECRET_CONF: &str = "[keystone_authtoken]\npassword = Hq3vX9pLm2Wd\n";
const PLAIN_CONF: &str =
    "[DEFAULT]\nenabled_backends = ceph:rbd\n\n[glance_store]\ndefault_backend = ceph\n";

/// A temporary host: `etc/glance/glance-api.conf` with `text` and `mode`,
/// `etc/glance` with `dir_mode`, and accounts where `root` and the group
/// `glance` are the ids of this process when `ours` says so.
struct Host {
    dir: tempfile::TempDir,
    uid: u32,
    gid: u32,
}

impl Host {
    fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        fs::write(&probe, "").unwrap();
        let m = fs::metadata(&probe).unwrap();
        fs::remove_file(probe).unwrap();
        fs::create_dir_all(dir.path().join("etc/glance")).unwrap();
        Host {
            dir,
            uid: m.uid(),
            gid: m.gid(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `root_is_us`: the user `root` has our uid (else another one, and our
    /// uid is `alice`); `glance_group`: None for no such group, Some(true) for
    /// our gid, Some(false) for another.
    fn accounts(&self, root_is_us: bool, glance_group: Option<bool>, glance_user_is_us: bool) {
        let other = self.uid.wrapping_add(4242);
        let (root_uid, alice) = if root_is_us {
            (self.uid, other.wrapping_add(1))
        } else {
            (other, self.uid)
        };
        let glance_uid = if glance_user_is_us {
            self.uid
        } else {
            other.wrapping_add(2)
        };
        // A uid named twice: the first name wins; keep names distinct.
        let mut passwd = format!("root:x:{root_uid}:0:root:/root:/bin/sh\n");
        if !root_is_us && !glance_user_is_us {
            passwd.push_str(&format!(
                "alice:x:{alice}:{}::/home/alice:/bin/sh\n",
                self.gid
            ));
        }
        passwd.push_str(&format!(
            "glance:x:{glance_uid}:{}::/var/lib/glance:/usr/sbin/nologin\n",
            self.gid
        ));
        let mut group = format!("staff:x:{}:\n", self.gid.wrapping_add(7));
        match glance_group {
            Some(true) => group.push_str(&format!("glance:x:{}:\n", self.gid)),
            Some(false) => group.push_str(&format!("glance:x:{}:\n", self.gid.wrapping_add(9))),
            None => {}
        }
        fs::write(self.root().join("etc/passwd"), passwd).unwrap();
        fs::write(self.root().join("etc/group"), group).unwrap();
    }

    fn conf(&self, text: &str, mode: u32, dir_mode: u32) -> PathBuf {
        let path = self.root().join("etc/glance/glance-api.conf");
        fs::write(&path, text).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        fs::set_permissions(
            self.root().join("etc/glance"),
            fs::Permissions::from_mode(dir_mode),
        )
        .unwrap();
        path
    }

    fn options(&self) -> LintOptions {
        LintOptions {
            root: self.root().to_path_buf(),
            ..LintOptions::default()
        }
    }

    fn lint(&self, path: &Path) -> LintResult {
        lint_file(path, &self.options())
    }
}

fn of<'a>(r: &'a LintResult, name: &str) -> Vec<(Severity, &'a str)> {
    r.findings
        .iter()
        .filter(|f| f.rule.name == name)
        .map(|f| (f.severity(), f.message.as_str()))
        .collect()
}

#[test]
fn modes_of_the_file() {
    let h = Host::new();
    h.accounts(true, Some(true), true);
    for mode in [0o600, 0o640, 0o400] {
        let p = h.conf(SECRET_CONF, mode, 0o750);
        assert!(
            of(&h.lint(&p), "config-file-permissions").is_empty(),
            "{mode:o}"
        );
    }
    // Readable by others, with a password in it: an error, at the password.
    let p = h.conf(SECRET_CONF, 0o644, 0o755);
    let r = h.lint(&p);
    let found = of(&r, "config-file-permissions");
    assert!(
        found.contains(&(
            Severity::Error,
            &*format!("`{}` has mode 0644: others can read", p.display())
        )),
        "{found:?}"
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.severity() == Severity::Error)
        .unwrap();
    assert_eq!(f.option.as_deref(), Some("password"));
    assert!(!format!("{f:?}").contains("Hq3vX9pLm2Wd"));
    // The directory others can enter: info, with the host's own path.
    assert!(found.contains(&(
        Severity::Info,
        "the directory `/etc/glance` has mode 0755: others can read and execute"
    )));
    // No secret in it: a warning.
    let p = h.conf(PLAIN_CONF, 0o644, 0o750);
    // The directory shuts others out (0750): the file's bits for others
    // do not matter, as the checklist says.
    assert!(of(&h.lint(&p), "config-file-permissions").is_empty());
    let p = h.conf(PLAIN_CONF, 0o664, 0o751);
    assert_eq!(
        of(&h.lint(&p), "config-file-permissions"),
        [
            (
                Severity::Warning,
                &*format!(
                    "`{}` has mode 0664: group can write, others can read",
                    p.display()
                )
            ),
            (
                Severity::Info,
                "the directory `/etc/glance` has mode 0751: others can execute"
            ),
        ]
    );
    // A directory others can write: a warning.
    let p = h.conf(PLAIN_CONF, 0o640, 0o777);
    assert_eq!(
        of(&h.lint(&p), "config-file-permissions"),
        [(Severity::Warning, "the directory `/etc/glance` has mode 0777: group can write, others can read and write and execute")]
    );
}

#[test]
fn owner_and_group() {
    let h = Host::new();
    let p = h.conf(PLAIN_CONF, 0o640, 0o750);
    h.accounts(true, Some(true), false);
    assert!(of(&h.lint(&p), "config-file-owner").is_empty());

    h.accounts(false, Some(true), false);
    let r = h.lint(&p);
    assert_eq!(
        of(&r, "config-file-owner"),
        [
            (Severity::Warning, &*format!("`{}` is owned by alice:glance, not root:glance", p.display())),
            (Severity::Warning, "the directory `/etc/glance` is owned by alice, not root: that user can replace every file in it"),
        ]
    );

    h.accounts(true, Some(false), false);
    assert_eq!(
        of(&h.lint(&p), "config-file-owner"),
        [(
            Severity::Warning,
            &*format!(
                "`{}` is owned by root:gid {}, not root:glance",
                p.display(),
                h.gid
            )
        )]
    );

    // No glance group: say so, judge nothing else.
    h.accounts(false, None, false);
    assert_eq!(
        of(&h.lint(&p), "config-file-owner"),
        [(
            Severity::Info,
            "the host has no `glance` group (in /etc/group), so the file's group cannot be checked"
        )]
    );
}

#[test]
fn the_image_directory() {
    let h = Host::new();
    let images = h.root().join("var/lib/glance/images");
    fs::create_dir_all(&images).unwrap();
    let conf = "[DEFAULT]\nenabled_backends = fs:file\n[glance_store]\ndefault_backend = fs\n[fs]\nfilesystem_store_datadir = /var/lib/glance/images\n";
    let p = h.conf(conf, 0o640, 0o750);
    h.accounts(true, Some(true), true);
    fs::set_permissions(&images, fs::Permissions::from_mode(0o750)).unwrap();
    assert!(h.lint(&p).findings.is_empty(), "{:?}", h.lint(&p).findings);

    fs::set_permissions(&images, fs::Permissions::from_mode(0o1777)).unwrap();
    assert_eq!(
        of(&h.lint(&p), "datadir-permissions"),
        [(Severity::Warning, "the image directory `/var/lib/glance/images` has mode 1777: every local user can write to it")]
    );

    fs::set_permissions(&images, fs::Permissions::from_mode(0o750)).unwrap();
    h.accounts(true, Some(true), false);
    assert_eq!(
        of(&h.lint(&p), "datadir-permissions"),
        [(
            Severity::Warning,
            "the image directory `/var/lib/glance/images` is owned by root, not by the glance user"
        )]
    );
}

#[test]
fn skipped_host_checks_are_noted_once() {
    let h = Host::new();
    h.accounts(true, Some(true), true);
    let a = h.conf(SECRET_CONF, 0o644, 0o755);
    let b = h.root().join("etc/glance/other.conf");
    fs::copy(&a, &b).unwrap();
    fs::set_permissions(&b, fs::Permissions::from_mode(0o666)).unwrap();

    let out = bin()
        .args(["--no-host-checks", "--root"])
        .arg(h.root())
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(
        text.matches("host checks skipped (--no-host-checks)")
            .count(),
        1,
        "{text}"
    );
    assert!(!text.contains("config-file-permissions"), "{text}");

    let out = bin()
        .args(["--format", "json", "--no-host-checks", "--root"])
        .arg(h.root())
        .arg(&a)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["files"][0]["notes"][0],
        "host checks skipped (--no-host-checks)"
    );
    assert_eq!(json["files"][0]["findings"], 0);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0);

    // With host checks on, the same files are judged and no note is shown.
    let out = bin().arg("--root").arg(h.root()).arg(&a).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("GL302(config-file-permissions)"), "{text}");
    assert!(!text.contains("note:"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn standard_input_and_files_outside_root_are_not_judged() {
    let h = Host::new();
    h.accounts(true, Some(true), true);
    let out = run_with_stdin(
        bin().arg("--root").arg(h.root()).arg("-"),
        SECRET_CONF.as_bytes(),
    );
    assert_eq!(
        stdout(&out),
        "No problems found in 1 file, for Glance 2026.2 Hibiscus (glance 33.0.0).\nnote: file mode and owner not checked for standard input\n"
    );

    let outside = tempfile::tempdir().unwrap();
    let p = outside.path().join("glance-api.conf");
    fs::write(&p, SECRET_CONF).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o666)).unwrap();
    let r = h.lint(&p);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(
        r.notes,
        ["file mode and owner not checked for files outside --root"]
    );
}

#[test]
fn without_accounts_owners_are_noted_not_guessed() {
    let h = Host::new();
    let p = h.conf(PLAIN_CONF, 0o640, 0o750);
    let r = h.lint(&p);
    assert!(of(&r, "config-file-owner").is_empty());
    assert_eq!(
        r.notes,
        ["owners not checked: cannot read `/etc/passwd` under --root"]
    );
}
