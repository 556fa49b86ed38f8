//! `glance-lint --live` against REAL Keystone, MariaDB, RabbitMQ and memcached on 127.0.0.1,
//! started by `scripts/live-stack.sh start`. The stack is found through `GLANCE_LINT_LIVE_ENV` /
//! `GLANCE_LINT_LIVE_CONF` (`eval "$(scripts/live-stack.sh env)"`), else in the script's state dir
//! (`$GLANCE_LINT_STACK_DIR`, default /tmp/glance-lint-stack). Without a running stack every test
//! prints a visible SKIPPED line and passes; with CI=true it fails instead.
//!
//! Each case runs the real binary on the correct glance-api.conf the script wrote, or on a copy
//! with one thing changed, and checks the JSON report: exactly the expected rule(s), anchored at
//! the changed assignment (section, option, line), within the timeout, and no password anywhere
//! in stdout or stderr.

#![cfg(feature = "live")]

mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(4);
/// Process start, report and the probes' own slack (their outer deadline is timeout + 0.3 s).
const MARGIN: Duration = Duration::from_millis(1500);
const WRONG_PASSWORDS: [&str; 3] = ["wrong-ks-pw-4711", "wrong-db-pw-4711", "wrong-mq-pw-4711"];

/// One run at a time against the stack: Keystone serves one request at a time (sqlite), so
/// parallel runs would measure the queue, not the probes.
static STACK_LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    STACK_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

struct Stack {
    env: BTreeMap<String, String>,
    conf: String,
}

/// The running stack, or None after a visible SKIPPED line (a failure under CI=true).
fn stack() -> Option<Stack> {
    let dir =
        std::env::var("GLANCE_LINT_STACK_DIR").unwrap_or_else(|_| "/tmp/glance-lint-stack".into());
    let env_path =
        std::env::var("GLANCE_LINT_LIVE_ENV").unwrap_or_else(|_| format!("{dir}/stack.env"));
    let conf_path =
        std::env::var("GLANCE_LINT_LIVE_CONF").unwrap_or_else(|_| format!("{dir}/glance-api.conf"));
    let found = common::read_kv(&env_path).and_then(|env| {
        let conf = std::fs::read_to_string(&conf_path).ok()?;
        let ks_port = env.get("KEYSTONE_PORT")?.parse().ok()?;
        common::port_open(ks_port).then_some(Stack { env, conf })
    });
    if found.is_none() {
        common::skip("live stack not running (start it with scripts/live-stack.sh start)");
    }
    found
}

impl Stack {
    fn e(&self, k: &str) -> &str {
        self.env
            .get(k)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("{k} missing in stack.env"))
    }

    fn passwords(&self) -> Vec<String> {
        [
            "GLANCE_PASS",
            "DB_PASS",
            "RABBIT_PASS",
            "KEYSTONE_ADMIN_PASS",
        ]
        .iter()
        .filter_map(|k| self.env.get(*k).cloned())
        .chain(WRONG_PASSWORDS.iter().map(|s| s.to_string()))
        .collect()
    }

    fn db_url(&self, pass: &str, host: &str, port: &str, db: &str) -> String {
        format!("mysql+pymysql://glance:{pass}@{host}:{port}/{db}")
    }

    fn mq_url(&self, pass: &str, host: &str, port: &str, vhost: &str) -> String {
        format!("rabbit://openstack:{pass}@{host}:{port}/{vhost}")
    }
}

// ------------------------------------------------------------------ editing the file

/// The file with `[section] key = value` set (replaced in place, else added after the header).
fn set(text: &str, section: &str, key: &str, value: &str) -> String {
    let mut out = Vec::new();
    let (mut cur, mut done) = (String::from("DEFAULT"), false);
    for line in text.lines() {
        let t = line.trim();
        if let Some(s) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            cur = s.trim().to_string();
            out.push(line.to_string());
            if cur == section && !done && !text_has(text, section, key) {
                out.push(format!("{key} = {value}"));
                done = true;
            }
            continue;
        }
        match t.split_once('=') {
            Some((k, _)) if cur == section && k.trim() == key => {
                out.push(format!("{key} = {value}"));
                done = true;
            }
            _ => out.push(line.to_string()),
        }
    }
    assert!(done, "no [{section}] in the stack's file");
    out.join("\n") + "\n"
}

fn remove(text: &str, section: &str, key: &str) -> String {
    let mut cur = String::from("DEFAULT");
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(s) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            cur = s.trim().to_string();
        } else if cur == section && t.split_once('=').is_some_and(|(k, _)| k.trim() == key) {
            continue;
        }
        out.push(line);
    }
    out.join("\n") + "\n"
}

fn text_has(text: &str, section: &str, key: &str) -> bool {
    line_of(text, section, key).is_some()
}

/// 1-based line of `[section] key = ...`.
fn line_of(text: &str, section: &str, key: &str) -> Option<u64> {
    let mut cur = String::from("DEFAULT");
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(s) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            cur = s.trim().to_string();
        } else if cur == section && t.split_once('=').is_some_and(|(k, _)| k.trim() == key) {
            return Some(i as u64 + 1);
        }
    }
    None
}

// ------------------------------------------------------------------ running the binary

struct Run {
    out: Output,
    diags: Vec<Value>,
    text: String,
}

/// `glance-lint --live --timeout 4 --no-host-checks --select GL9 [--format json] EXTRA... FILE...`
/// (JSON unless EXTRA names a format), timed, and checked for leaked passwords.
fn lint(stack: &Stack, files: &[&Path], extra: &[&str]) -> Run {
    let _g = lock();
    let json = !extra.contains(&"--format");
    let mut cmd = common::bin();
    cmd.args([
        "--live",
        "--timeout",
        "4",
        "--no-host-checks",
        "--select",
        "GL9",
    ])
    .args(if json { &["--format", "json"][..] } else { &[] })
    .args(extra)
    .args(files);
    let t0 = Instant::now();
    let out = cmd.output().unwrap();
    let took = t0.elapsed();
    assert!(took < TIMEOUT + MARGIN, "the run took {took:?}");
    let all = format!("{}{}", common::stdout(&out), common::stderr(&out));
    for p in stack.passwords() {
        assert!(!all.contains(&p), "a password leaked:\n{all}");
    }
    let text = common::stdout(&out);
    let diags = if json {
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {all}"));
        v["diagnostics"].as_array().unwrap().clone()
    } else {
        Vec::new()
    };
    eprintln!("{took:?}: {text}");
    Run { out, diags, text }
}

/// Lints `text` (written to a temporary file) and returns the run and the file.
fn lint_text(stack: &Stack, text: &str, extra: &[&str]) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("glance-api.conf");
    std::fs::write(&path, text).unwrap();
    (lint(stack, &[&path], extra), dir)
}

fn names(r: &Run) -> Vec<&str> {
    r.diags
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect()
}

/// Exactly one finding: this rule, anchored at `[section] option` of `text`, with `needle` in
/// its message; exit status 1 for an error, else 0.
fn expect_one(text: &str, r: &Run, rule: &str, section: &str, option: &str, needle: &str) {
    assert_eq!(names(r), [rule], "{}", r.text);
    let d = &r.diags[0];
    assert_eq!(d["section"], section, "{d:#}");
    assert_eq!(d["option"], option, "{d:#}");
    let line = line_of(text, section, option).expect("the anchor's option is in the file");
    assert_eq!(d["line"], line, "{d:#}");
    assert!(
        d["message"].as_str().unwrap().contains(needle),
        "message lacks '{needle}': {d:#}"
    );
    // The rule's own severity; only errors fail the run (RabbitMQ and memcached are warnings).
    let severity = glance_lint::rules::meta(rule).unwrap().severity;
    assert_eq!(d["severity"], severity.as_str(), "{d:#}");
    let status = if severity == glance_lint::Severity::Error {
        1
    } else {
        0
    };
    assert_eq!(r.out.status.code(), Some(status), "{}", r.text);
}

/// Changes one thing and expects exactly one finding anchored there.
fn case(
    s: &Stack,
    (section, key, value): (&str, &str, &str),
    rule: &str,
    option: &str,
    needle: &str,
) {
    let text = set(&s.conf, section, key, value);
    let (r, _dir) = lint_text(s, &text, &[]);
    expect_one(&text, &r, rule, section, option, needle);
}

/// A listener that accepts and never answers; kept open while the guard lives.
struct Silent {
    port: u16,
    _stop: std::sync::mpsc::Sender<()>,
}

fn silent() -> Silent {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    l.set_nonblocking(true).unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        loop {
            match l.accept() {
                Ok((s, _)) => held.push(s),
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
            if let Err(std::sync::mpsc::TryRecvError::Disconnected) = rx.try_recv() {
                return;
            }
        }
    });
    Silent { port, _stop: tx }
}

fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The same failure at each of the four network services: (section, option, value, rule).
fn at_each_service(
    s: &Stack,
    host: &str,
    port: &str,
) -> [(&'static str, &'static str, String, &'static str); 4] {
    let pass = s.e("DB_PASS");
    [
        (
            "database",
            "connection",
            s.db_url(pass, host, port, "glance"),
            "database-unreachable",
        ),
        (
            "DEFAULT",
            "transport_url",
            s.mq_url(s.e("RABBIT_PASS"), host, port, ""),
            "rabbitmq-unreachable",
        ),
        (
            "keystone_authtoken",
            "memcached_servers",
            format!("{host}:{port}"),
            "memcached-unreachable",
        ),
        (
            "oslo_limit",
            "auth_url",
            format!("http://{host}:{port}"),
            "keystone-unreachable",
        ),
    ]
}

// ------------------------------------------------------------------ cases

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn correct_file_gives_no_live_finding() {
    let Some(s) = stack() else { return };
    let (r, _d) = lint_text(&s, &s.conf, &[]);
    assert!(r.diags.is_empty(), "{}", r.text);
    assert_eq!(r.out.status.code(), Some(0));
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn wrong_keystone_password() {
    let Some(s) = stack() else { return };
    let pw = WRONG_PASSWORDS[0];
    case(
        &s,
        ("keystone_authtoken", "password", pw),
        "keystone-auth-failed",
        "password",
        "HTTP 401",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn wrong_oslo_limit_password_is_auth_failed_not_role_missing() {
    let Some(s) = stack() else { return };
    let pw = WRONG_PASSWORDS[0];
    case(
        &s,
        ("oslo_limit", "password", pw),
        "keystone-auth-failed",
        "password",
        "HTTP 401",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn wrong_endpoint_id() {
    let Some(s) = stack() else { return };
    let id = "0123456789abcdef0123456789abcdef";
    case(
        &s,
        ("oslo_limit", "endpoint_id", id),
        "keystone-endpoint-not-found",
        "endpoint_id",
        "no endpoint",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn endpoint_of_another_service() {
    let Some(s) = stack() else { return };
    let id = s.e("IDENTITY_ENDPOINT_PUBLIC_ID");
    case(
        &s,
        ("oslo_limit", "endpoint_id", id),
        "keystone-endpoint-not-found",
        "endpoint_id",
        "not to an image service",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn wrong_region() {
    let Some(s) = stack() else { return };
    case(
        &s,
        ("oslo_limit", "region_name", "RegionTwo"),
        "keystone-endpoint-not-found",
        "region_name",
        "RegionOne",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn oslo_limit_user_without_system_role() {
    let Some(s) = stack() else { return };
    // Right password, admin on project service, no role on the system: the system-scoped login
    // gives the same 401 as a wrong password; the project-scoped retry tells them apart.
    let user = s.e("NOSYSTEM_USER");
    case(
        &s,
        ("oslo_limit", "username", user),
        "keystone-role-missing",
        "system_scope",
        "no role there",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn keystone_user_without_role_on_the_scope() {
    let Some(s) = stack() else { return };
    // No role on domain 'default': again a 401, told apart from a bad password by the retry.
    let text = set(
        &remove(&s.conf, "oslo_limit", "system_scope"),
        "oslo_limit",
        "domain_id",
        "default",
    );
    let (r, _d) = lint_text(&s, &text, &[]);
    expect_one(
        &text,
        &r,
        "keystone-role-missing",
        "oslo_limit",
        "username",
        "no role there",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn wrong_database_password() {
    let Some(s) = stack() else { return };
    let url = s.db_url(WRONG_PASSWORDS[1], s.e("DB_HOST"), s.e("DB_PORT"), "glance");
    case(
        &s,
        ("database", "connection", &url),
        "database-auth-failed",
        "connection",
        "1045",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn wrong_database_name() {
    let Some(s) = stack() else { return };
    let url = s.db_url(
        s.e("DB_PASS"),
        s.e("DB_HOST"),
        s.e("DB_PORT"),
        "glance_nope",
    );
    case(
        &s,
        ("database", "connection", &url),
        "database-missing",
        "connection",
        "glance_nope",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn database_without_db_sync() {
    let Some(s) = stack() else { return };
    let url = s.db_url(
        s.e("DB_PASS"),
        s.e("DB_HOST"),
        s.e("DB_PORT"),
        s.e("DB_NOSYNC_NAME"),
    );
    case(
        &s,
        ("database", "connection", &url),
        "database-not-synced",
        "connection",
        "never ran",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn database_with_contract_pending() {
    let Some(s) = stack() else { return };
    let url = s.db_url(
        s.e("DB_PASS"),
        s.e("DB_HOST"),
        s.e("DB_PORT"),
        s.e("DB_EXPAND_NAME"),
    );
    let needle = "contract migrations did not";
    case(
        &s,
        ("database", "connection", &url),
        "database-not-synced",
        "connection",
        needle,
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn wrong_rabbitmq_password() {
    let Some(s) = stack() else { return };
    let url = s.mq_url(WRONG_PASSWORDS[2], "127.0.0.1", s.e("RABBIT_PORT"), "");
    case(
        &s,
        ("DEFAULT", "transport_url", &url),
        "rabbitmq-auth-failed",
        "transport_url",
        "ACCESS_REFUSED",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn wrong_rabbitmq_vhost() {
    let Some(s) = stack() else { return };
    let url = s.mq_url(s.e("RABBIT_PASS"), "127.0.0.1", s.e("RABBIT_PORT"), "nope");
    case(
        &s,
        ("DEFAULT", "transport_url", &url),
        "rabbitmq-vhost-denied",
        "transport_url",
        "'nope'",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn rabbitmq_double_slash_is_the_default_vhost() {
    let Some(s) = stack() else { return };
    let url = s.mq_url(s.e("RABBIT_PASS"), "127.0.0.1", s.e("RABBIT_PORT"), "/");
    let (r, _d) = lint_text(&s, &set(&s.conf, "DEFAULT", "transport_url", &url), &[]);
    assert!(r.diags.is_empty(), "{}", r.text);
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn closed_ports() {
    let Some(s) = stack() else { return };
    let p = closed_port().to_string();
    for (section, key, value, rule) in at_each_service(&s, "127.0.0.1", &p) {
        let text = set(&s.conf, section, key, &value);
        let (r, _d) = lint_text(&s, &text, &[]);
        expect_one(&text, &r, rule, section, key, "refused");
        let msg = r.diags[0]["message"].as_str().unwrap();
        assert!(msg.contains(&format!("127.0.0.1:{p}")), "{msg}");
    }
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn unresolvable_hosts() {
    let Some(s) = stack() else { return };
    let h = "no-such-host.invalid";
    let port = "5000";
    for (section, key, value, rule) in at_each_service(&s, h, port) {
        let text = set(&s.conf, section, key, &value);
        let (r, _d) = lint_text(&s, &text, &[]);
        expect_one(&text, &r, rule, section, key, "does not resolve");
        assert!(r.diags[0]["message"].as_str().unwrap().contains(h));
    }
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn silent_hosts_time_out() {
    let Some(s) = stack() else { return };
    let sil = silent();
    for (section, key, value, rule) in at_each_service(&s, "127.0.0.1", &sil.port.to_string()) {
        let text = set(&s.conf, section, key, &value);
        let (r, _d) = lint_text(&s, &text, &[]);
        expect_one(&text, &r, rule, section, key, "did not answer within 4 s");
    }
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn tls_to_a_plain_port_is_a_tls_failure() {
    let Some(s) = stack() else { return };
    // [oslo_messaging_rabbit] ssl = true against the plain AMQP port: anchored at transport_url.
    let text = format!("{}\n[oslo_messaging_rabbit]\nssl = true\n", s.conf);
    let (r, _d) = lint_text(&s, &text, &[]);
    expect_one(
        &text,
        &r,
        "rabbitmq-unreachable",
        "DEFAULT",
        "transport_url",
        "TLS handshake",
    );
    // https:// against Keystone's plain HTTP port
    let url = format!("https://127.0.0.1:{}", s.e("KEYSTONE_PORT"));
    case(
        &s,
        ("oslo_limit", "auth_url", &url),
        "keystone-unreachable",
        "auth_url",
        "TLS handshake",
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn no_password_in_any_report() {
    let Some(s) = stack() else { return };
    // Every password wrong at once, in URL forms libraries like to echo back; both formats.
    let mut text = s.conf.clone();
    for section in ["keystone_authtoken", "oslo_limit"] {
        text = set(&text, section, "password", WRONG_PASSWORDS[0]);
    }
    let db = s.db_url(WRONG_PASSWORDS[1], s.e("DB_HOST"), s.e("DB_PORT"), "glance");
    let mq = s.mq_url(WRONG_PASSWORDS[2], "127.0.0.1", s.e("RABBIT_PORT"), "");
    text = set(&text, "database", "connection", &db);
    text = set(&text, "DEFAULT", "transport_url", &mq);
    let (r, _d) = lint_text(&s, &text, &[]);
    let mut got = names(&r);
    got.sort();
    assert_eq!(
        got,
        [
            "database-auth-failed",
            "keystone-auth-failed",
            "keystone-auth-failed",
            "rabbitmq-auth-failed"
        ]
    );
    // `lint` checked stdout and stderr for every password; the human report shows source lines.
    let (r, _d) = lint_text(&s, &text, &["--format", "human", "--color", "never"]);
    assert!(r.text.contains("GL906(database-auth-failed)"), "{}", r.text);
    assert!(!r.text.contains(&db) && !r.text.contains(&mq));
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn everything_wrong_at_once_takes_one_timeout() {
    let Some(s) = stack() else { return };
    let sil = silent();
    let p = sil.port.to_string();
    let mut text = s.conf.clone();
    for (section, key, value, _) in at_each_service(&s, "127.0.0.1", &p) {
        text = set(&text, section, key, &value);
    }
    text = set(
        &text,
        "keystone_authtoken",
        "auth_url",
        &format!("http://127.0.0.1:{p}"),
    );
    text = set(
        &text,
        "keystone_authtoken",
        "www_authenticate_uri",
        &format!("http://127.0.0.1:{p}"),
    );
    // Five probes, each waiting the full timeout, concurrently: `lint` asserts about one timeout.
    let (r, _d) = lint_text(&s, &text, &[]);
    let mut got = names(&r);
    got.sort();
    assert_eq!(
        got,
        [
            "database-unreachable",
            "keystone-unreachable",
            "keystone-unreachable",
            "memcached-unreachable",
            "rabbitmq-unreachable"
        ]
    );
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn selection_and_severity_apply_to_live_rules() {
    let Some(s) = stack() else { return };
    let text = set(
        &s.conf,
        "keystone_authtoken",
        "password",
        WRONG_PASSWORDS[0],
    );
    // Ignored: the finding is dropped.
    let (r, _d) = lint_text(&s, &text, &["--ignore", "keystone-auth-failed"]);
    assert!(names(&r).is_empty(), "{}", r.text);
    assert_eq!(r.out.status.code(), Some(0));
    // Severity lowered: reported as a warning, exit 0 under the default --fail-on error.
    let (r, _d) = lint_text(&s, &text, &["--severity", "keystone-auth-failed=warning"]);
    assert_eq!(names(&r), ["keystone-auth-failed"]);
    assert_eq!(r.diags[0]["severity"], "warning");
    assert_eq!(r.out.status.code(), Some(0));
}

#[test]
#[ignore = "needs the live stack (scripts/live-stack.sh start); scripts/test.sh runs it"]
fn several_targets_each_get_their_own_findings() {
    let Some(s) = stack() else { return };
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.conf");
    let bad = dir.path().join("bad.conf");
    std::fs::write(&good, &s.conf).unwrap();
    let url = s.mq_url(s.e("RABBIT_PASS"), "127.0.0.1", s.e("RABBIT_PORT"), "nope");
    std::fs::write(&bad, set(&s.conf, "DEFAULT", "transport_url", &url)).unwrap();
    let r = lint(&s, &[&good, &bad], &[]);
    assert_eq!(names(&r), ["rabbitmq-vhost-denied"]);
    assert!(r.diags[0]["path"].as_str().unwrap().ends_with("bad.conf"));
}
