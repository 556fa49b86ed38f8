//! The install guide's proof against REAL glance-api (issue 14): for the good state and for each
//! fault class the issue measured, glance-api is started by `scripts/live-stack.sh glance-api
//! start FILE` (glance.wsgi.api under gunicorn, as user glance), the guide's proof runs through
//! the Images API (a token, the catalog's public image endpoint of the region, create an image,
//! upload a small qcow2 made by qemu-img, list it `active`), and `glance-lint --live` runs on the
//! same file. The test asserts that the lint reports an error exactly when the proof fails (and
//! the error is the fault's own rule), and nothing at error level when the proof passes.
//!
//! Needs the stack (`scripts/live-stack.sh start`, as root), qemu-img and root (to start
//! glance-api as another user). Without them the test prints a visible SKIPPED line and passes;
//! with CI=true it fails instead. Every fault is made by `live-stack.sh start` once (a database
//! user with SELECT only, a database with only alembic_version, a directory of root, Keystone
//! regions without registered limits / with endpoints on a port where nothing listens): the test
//! changes nothing shared, only the file glance-api runs with, and puts the correct one back.

#![cfg(feature = "live")]

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Stack {
    dir: String,
    env: BTreeMap<String, String>,
    conf: String,
}

/// The running stack with everything the proof needs, or None after a visible SKIPPED line.
fn stack() -> Option<Stack> {
    let dir =
        std::env::var("GLANCE_LINT_STACK_DIR").unwrap_or_else(|_| "/tmp/glance-lint-stack".into());
    let why = (|| {
        let env = common::read_kv(&format!("{dir}/stack.env")).ok_or("live stack not started")?;
        let keystone_up = env
            .get("KEYSTONE_PORT")
            .and_then(|p| p.parse().ok())
            .is_some_and(common::port_open);
        if !keystone_up {
            return Err("live stack not running (its Keystone does not answer)");
        }
        if !env.contains_key("GLANCE_VENV") || !env.contains_key("REGION_WRONGPORT") {
            return Err(
                "the live stack predates real glance-api (run scripts/live-stack.sh start)",
            );
        }
        let conf = std::fs::read_to_string(format!("{dir}/glance-api.conf"))
            .map_err(|_| "the stack's glance-api.conf is missing")?;
        if unsafe { libc::geteuid() } != 0 {
            return Err("not root: glance-api is started as user glance");
        }
        if Command::new("qemu-img").arg("--version").output().is_err() {
            return Err("qemu-img missing (apt-get install qemu-utils)");
        }
        Ok(Stack {
            dir: dir.clone(),
            env,
            conf,
        })
    })();
    match why {
        Ok(s) => Some(s),
        Err(reason) => {
            common::skip(&format!(
                "{reason}; the end-to-end test needs scripts/live-stack.sh start"
            ));
            None
        }
    }
}

impl Stack {
    fn e(&self, k: &str) -> &str {
        self.env
            .get(k)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("{k} missing in stack.env"))
    }

    /// `scripts/live-stack.sh glance-api start FILE`: whether glance-api came up.
    fn glance_api(&self, conf: &Path) -> bool {
        let out = Command::new("bash")
            .arg(common::project_dir().join("scripts/live-stack.sh"))
            .args(["glance-api", "start"])
            .arg(conf)
            .env("GLANCE_LINT_STACK_DIR", &self.dir)
            .output()
            .unwrap();
        eprintln!("{}", common::stderr(&out).trim_end());
        out.status.success()
    }
}

/// Puts glance-api back on the correct file, whatever happened.
struct Restore<'a>(&'a Stack);

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        let good = PathBuf::from(format!("{}/glance-api.conf", self.0.dir));
        self.0.glance_api(&good);
    }
}

/// The file with `[section] key = value` (replaced where it is; the key must be there).
fn set(text: &str, section: &str, key: &str, value: &str) -> String {
    let (mut cur, mut done) = (String::from("DEFAULT"), false);
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(s) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            cur = s.trim().to_string();
        } else if cur == section && t.split_once('=').is_some_and(|(k, _)| k.trim() == key) {
            out.push(format!("{key} = {value}"));
            done = true;
            continue;
        }
        out.push(line.to_string());
    }
    assert!(done, "no [{section}] {key} in the stack's file");
    out.join("\n") + "\n"
}

// ------------------------------------------------------------------ the guide's proof

/// `glance image-create` + `glance image-list`, through the Images API as the admin user,
/// in `region`: Ok when the image is listed `active`, else why not.
async fn proof(s: &Stack, region: &str, image: &Path, name: &str) -> Result<(), String> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let auth = json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"}, "password": s.e("KEYSTONE_ADMIN_PASS")}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}});
    let r = http
        .post(format!("{}/auth/tokens", s.e("KEYSTONE_AUTH_URL")))
        .json(&auth)
        .send()
        .await
        .map_err(|e| format!("token: {e}"))?;
    let token = r
        .headers()
        .get("x-subject-token")
        .and_then(|v| v.to_str().ok())
        .ok_or("no token")?
        .to_string();
    let body: Value = r.json().await.map_err(|e| e.to_string())?;
    // The client finds Glance as python-glanceclient does: the public image endpoint of the region.
    let url = body["token"]["catalog"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|svc| svc["type"] == "image")
        .flat_map(|svc| svc["endpoints"].as_array().cloned().unwrap_or_default())
        .find(|e| e["interface"] == "public" && e["region_id"] == region)
        .and_then(|e| {
            e["url"]
                .as_str()
                .map(|u| u.trim_end_matches('/').to_string())
        })
        .ok_or(format!(
            "public endpoint for image service in {region} region not found"
        ))?;
    let r = http
        .post(format!("{url}/v2/images"))
        .header("X-Auth-Token", &token)
        .json(&json!({"name": name, "disk_format": "qcow2", "container_format": "bare"}))
        .send()
        .await
        .map_err(|e| format!("image create: {e}"))?;
    if r.status().as_u16() != 201 {
        return Err(format!("image create: HTTP {}", r.status()));
    }
    let id = r.json::<Value>().await.map_err(|e| e.to_string())?["id"]
        .as_str()
        .ok_or("no image id")?
        .to_string();
    let data = std::fs::read(image).map_err(|e| e.to_string())?;
    let r = http
        .put(format!("{url}/v2/images/{id}/file"))
        .header("X-Auth-Token", &token)
        .header("Content-Type", "application/octet-stream")
        .body(data)
        .send()
        .await
        .map_err(|e| format!("upload: {e}"))?;
    let upload = r.status().as_u16();
    let listed = async {
        let r = http
            .get(format!("{url}/v2/images?limit=1000"))
            .header("X-Auth-Token", &token)
            .send()
            .await
            .ok()?;
        let v: Value = r.json().await.ok()?;
        v["images"]
            .as_array()?
            .iter()
            .find(|i| i["id"] == id.as_str())
            .and_then(|i| i["status"].as_str().map(str::to_string))
    }
    .await;
    // Leave nothing behind (the count of images is limited by the registered limits).
    let _ = http
        .delete(format!("{url}/v2/images/{id}"))
        .header("X-Auth-Token", &token)
        .send()
        .await;
    if upload != 204 {
        return Err(format!("upload: HTTP {upload}"));
    }
    match listed.as_deref() {
        Some("active") => Ok(()),
        other => Err(format!("image-list shows it as {other:?}, not active")),
    }
}

// ------------------------------------------------------------------ the lint

/// `glance-lint --live --format json FILE` (host checks on: the image directory is one):
/// the names of the error-level findings, and every finding for the failure message.
fn lint_errors(s: &Stack, file: &Path) -> (Vec<String>, String) {
    let out = common::bin()
        .args(["--live", "--timeout", "5", "--format", "json"])
        .arg(file)
        .output()
        .unwrap();
    let text = common::stdout(&out);
    let all = format!("{text}{}", common::stderr(&out));
    for k in [
        "GLANCE_PASS",
        "DB_PASS",
        "KEYSTONE_ADMIN_PASS",
        "RABBIT_PASS",
    ] {
        assert!(!all.contains(s.e(k)), "{k} leaked:\n{all}");
    }
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {all}"));
    let diags = v["diagnostics"].as_array().cloned().unwrap_or_default();
    let errors = diags
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["name"].as_str().unwrap_or("").to_string())
        .collect();
    let shown = diags
        .iter()
        .map(|d| format!("  {} {}: {}", d["severity"], d["name"], d["message"]))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        out.status.code(),
        Some(if diags.iter().any(|d| d["severity"] == "error") {
            1
        } else {
            0
        }),
        "{all}"
    );
    (errors, shown)
}

// ------------------------------------------------------------------ the cases

struct Case {
    name: &'static str,
    text: String,
    /// The region the client works in (the region the file names).
    region: String,
    /// The rule that must report the fault (None: the good state).
    rule: Option<&'static str>,
}

fn cases(s: &Stack) -> Vec<Case> {
    let good = &s.conf;
    let db = s.e("DB_URL");
    let region = |r: &str, ep: &str| {
        set(
            &set(good, "oslo_limit", "region_name", r),
            "oslo_limit",
            "endpoint_id",
            ep,
        )
    };
    vec![
        Case {
            name: "good",
            text: good.clone(),
            region: "RegionOne".into(),
            rule: None,
        },
        Case {
            name: "no registered limits with use_keystone_limits = true",
            text: region(s.e("REGION_NOLIMITS"), s.e("REGION_NOLIMITS_ENDPOINT_ID")),
            region: s.e("REGION_NOLIMITS").into(),
            rule: Some("registered-limit-missing"),
        },
        Case {
            name: "catalog endpoints on the wrong port",
            text: region(s.e("REGION_WRONGPORT"), s.e("REGION_WRONGPORT_ENDPOINT_ID")),
            region: s.e("REGION_WRONGPORT").into(),
            rule: Some("image-endpoint-unreachable"),
        },
        Case {
            name: "the database user has only SELECT",
            text: set(
                good,
                "database",
                "connection",
                &db.replacen("://glance:", &format!("://{}:", s.e("DB_RO_USER")), 1),
            ),
            region: "RegionOne".into(),
            rule: Some("database-grants-insufficient"),
        },
        Case {
            name: "alembic_version at the head and no table",
            text: set(
                good,
                "database",
                "connection",
                &format!(
                    "{}/{}",
                    db.rsplit_once('/').unwrap().0,
                    s.e("DB_NOTABLES_NAME")
                ),
            ),
            region: "RegionOne".into(),
            rule: Some("database-tables-missing"),
        },
        Case {
            name: "the image directory is not writable by the service user",
            text: set(
                good,
                "fs",
                "filesystem_store_datadir",
                &format!("{}/", s.e("IMAGE_DIR_ROOTONLY")),
            ),
            region: "RegionOne".into(),
            rule: Some("image-dir-not-writable"),
        },
        Case {
            name: "a paste flavor typo",
            text: set(good, "paste_deploy", "flavor", "keystone+cachemanagment"),
            region: "RegionOne".into(),
            rule: Some("paste-flavor-invalid"),
        },
    ]
}

#[test]
fn the_lint_errs_exactly_when_the_install_guides_proof_fails() {
    let Some(s) = stack() else { return };
    let t0 = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("cirros-like.qcow2");
    let made = Command::new("qemu-img")
        .args(["create", "-q", "-f", "qcow2"])
        .arg(&image)
        .arg("1M")
        .status()
        .unwrap();
    assert!(made.success(), "qemu-img create failed");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _restore = Restore(&s);
    let mut report = Vec::new();
    for (i, c) in cases(&s).into_iter().enumerate() {
        let file = dir.path().join(format!("case{i}.conf"));
        std::fs::write(&file, &c.text).unwrap();
        // as a package installs it: not readable by others (config-file-permissions)
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let started = s.glance_api(&file);
        let proof = rt.block_on(proof(&s, &c.region, &image, &format!("cirros-e2e-{i}")));
        let (errors, shown) = lint_errors(&s, &file);
        eprintln!(
            "{}: glance-api {}, proof {:?}, lint errors {errors:?}",
            c.name,
            if started { "started" } else { "did not start" },
            proof
        );
        // The lint errs exactly when the proof fails ...
        assert_eq!(
            !errors.is_empty(),
            proof.is_err(),
            "{}: proof {proof:?} but the lint's errors are {errors:?}:\n{shown}",
            c.name
        );
        // ... and for the fault's own reason.
        match c.rule {
            None => assert!(
                proof.is_ok(),
                "the good state must pass the proof: {proof:?}"
            ),
            Some(rule) => {
                assert!(proof.is_err(), "{}: the fault must fail the proof", c.name);
                assert!(
                    errors.iter().any(|e| e == rule),
                    "{}: {rule} missing among {errors:?}:\n{shown}",
                    c.name
                );
            }
        }
        report.push(format!("{}: {:?}", c.name, proof.err()));
    }
    eprintln!(
        "end-to-end: {} cases in {:.1?}\n{}",
        report.len(),
        t0.elapsed(),
        report.join("\n")
    );
}
