//! Hostile inputs, each through the real binary with a bound on its runtime:
//! the tool must answer every one with a clear message and the exit status of
//! CONTRACT.md (0 clean, 1 findings, 2 could not lint), never hang, never
//! crash, never flood the terminal.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{bin, stderr, stdout};

/// Runs the binary; a run longer than `limit` is killed and fails the test
/// (a hang must fail, not block CI). Debug builds are slow: limits are loose.
fn run_bounded(cmd: &mut Command, stdin: Stdio, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("glance-lint did not finish within {limit:?}: it hangs or is far too slow");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

const QUICK: Duration = Duration::from_secs(30);
const SLOW: Duration = Duration::from_secs(120);

/// Lints with host checks off: the files' own modes and owners in a temp
/// dir are not what these tests are about.
fn lint(args: &[&str], limit: Duration) -> Output {
    run_bounded(
        bin().arg("--no-host-checks").args(args),
        Stdio::null(),
        limit,
    )
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed by a signal")
}

/// Deterministic pseudo-random bytes (xorshift), no dependency needed.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// The JSON report's diagnostics.
fn diagnostics(o: &Output) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON report");
    v["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn random_bytes_are_one_clear_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "glance-api.conf", &noise(64 * 1024, 7));
    let o = lint(&[&path], QUICK);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("GL001(parse-error)"), "{out}");
    assert!(out.contains("this file is binary data"), "{out}");
    // Control bytes are shown as symbols, never sent to the terminal.
    assert!(!out.bytes().any(|b| b < 0x20 && b != b'\n'), "{out:?}");
    let o = lint(&["--format", "json", &path], QUICK);
    assert_eq!(diagnostics(&o).len(), 1, "one finding, not noise");
}

#[test]
fn zip_saved_as_the_config_is_named_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    // The start of every .docx: a ZIP local file header, then deflated data.
    let mut bytes = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
    bytes.extend(b"[Content_Types].xml");
    bytes.extend(noise(20_000, 3));
    let path = write(dir.path(), "glance-api.conf", &bytes);
    let o = lint(&[&path], QUICK);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("a ZIP archive (a .docx or .odt saved under this name?)"),
        "{out}"
    );
    assert!(out.contains("Found 1 error"), "{out}");
}

#[test]
fn nul_bytes_are_named_and_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"[DEFAULT]\ndebug = true\n".to_vec();
    bytes.extend([0u8; 4096]);
    let path = write(dir.path(), "glance-api.conf", &bytes);
    let o = lint(&[&path], QUICK);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("NUL bytes"), "{out}");
    assert!(out.contains("restore it from a backup"), "{out}");
    assert!(!out.contains('\0'));
    assert!(out.contains('␀'));
    // The 4096-byte line is cut, not printed whole.
    assert!(out.len() < 4096, "{} bytes", out.len());
}

#[test]
fn latin1_is_a_decode_error_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "glance-api.conf",
        b"[DEFAULT]\n# caf\xe9\ndebug = true\n",
    );
    let o = lint(&[&path], QUICK);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("'utf-8' codec can't decode byte 0xe9 in position 15"),
        "{out}"
    );
    assert!(out.contains("iconv -f latin1 -t utf-8"), "{out}");
}

#[test]
fn byte_order_mark_is_a_parse_error_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "glance-api.conf",
        b"\xef\xbb\xbf[DEFAULT]\ndebug = true\n",
    );
    let o = lint(&[&path], QUICK);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("byte-order mark"), "{out}");
    assert!(out.contains("without a byte-order mark"), "{out}");
}

#[test]
fn a_50_mb_file_is_refused_with_the_limit_then_linted_when_raised() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("[DEFAULT]\n");
    let line = format!("# {}\n", "padding ".repeat(12));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    text.push_str("debug = false\n");
    let path = write(dir.path(), "glance-api.conf", text.as_bytes());
    let o = lint(&[&path], QUICK);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("over the limit of 33554432 bytes (32.0 MiB)")
            && err.contains("raise the limit with --max-file-size BYTES"),
        "{err}"
    );
    assert!(stdout(&o).contains("1 path could not be read"));

    let o = lint(&["--max-file-size", "60000000", &path], SLOW);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("No problems found in 1 file, for Glance "));

    // The limit itself is bounded: positions are kept in 32 bits.
    let o = lint(&["--max-file-size", "5000000000", &path], QUICK);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not in 1..=4294967295"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stdin_over_the_limit_is_refused_not_read_forever() {
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let o = run_bounded(
        bin().args(["--max-file-size", "1000000", "-"]),
        Stdio::from(zero),
        QUICK,
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("standard input is over the limit of 1000000 bytes"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_20_mb_line_is_shown_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"[DEFAULT]\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 20 * 1024 * 1024));
    bytes.extend(b"\n");
    let path = write(dir.path(), "glance-api.conf", &bytes);
    let o = lint(&[&path], SLOW);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("No ':' or '=' found in assignment"), "{out}");
    assert!(out.contains("x…"), "the line is cut: {out}");
    assert!(out.len() < 4000, "{} bytes of report", out.len());
}

#[test]
fn half_a_million_continuation_lines_stay_linear() {
    let dir = tempfile::tempdir().unwrap();
    // A list value and a URL with a password on every line: the value is
    // joined, mapped back to lines and redacted, 500,000 times.
    let mut text = String::from("[glance_store]\nstores = file,\n");
    text.push_str(&"  http,\n".repeat(500_000));
    text.push_str("[database]\nconnection = mysql+pymysql://glance:pw0@ctl/glance\n");
    text.push_str(&"  ,glance:hunter22@ctl\n".repeat(500_000));
    let path = write(dir.path(), "glance-api.conf", text.as_bytes());
    let o = lint(&[&path], SLOW);
    assert!(matches!(code(&o), 0 | 1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("hunter22"), "a password leaked");
    assert!(out.len() < 100_000, "{} bytes of report", out.len());

    let o = run_bounded(
        bin().args(["config", "--format", "json", "--show-secrets", &path]),
        Stdio::null(),
        SLOW,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let stores = v["sections"]["glance_store"]["stores"].as_str().unwrap();
    assert_eq!(stores.lines().count(), 500_001);
}

#[test]
fn thousands_of_bad_lines_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "[DEFAULT]\n{}",
        "this is prose, not config\n".repeat(100_000)
    );
    let path = write(dir.path(), "glance-api.conf", text.as_bytes());
    let o = lint(&["--format", "json", &path], QUICK);
    assert_eq!(code(&o), 1);
    let d = diagnostics(&o);
    assert_eq!(d.len(), 21, "20 parse errors and one summary");
    assert!(d[20]["message"]
        .as_str()
        .unwrap()
        .contains("99980 more lines oslo.config cannot parse"));
}

#[test]
fn terminal_escapes_in_the_file_are_not_sent_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "glance-api.conf",
        b"[DEFAULT]\n\x1b]0;owned\x07\x1b[2J what\n",
    );
    let o = lint(&["--color", "never", &path], QUICK);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    assert!(out.contains("␛]0;owned␇"), "{out}");
}

#[test]
fn an_empty_file_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "glance-api.conf", b"");
    let o = lint(&[&path], QUICK);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("No problems found in 1 file, for Glance "));
}

#[test]
fn a_directory_without_the_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "nova.conf", b"[DEFAULT]\n");
    let d = dir.path().display().to_string();
    let o = lint(&[&d], QUICK);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("no glance-api.conf found in this directory"),
        "{}",
        stderr(&o)
    );
    let o = run_bounded(bin().args(["config", &d]), Stdio::null(), QUICK);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
}

#[test]
fn a_missing_path_is_an_error_and_the_others_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "glance-api.conf", b"[DEFAULT]\nx = 1\n[\n");
    let missing = dir.path().join("nope.conf").display().to_string();
    let o = lint(&["--format", "json", &missing, &good], QUICK);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("nope.conf: no such file or directory"),
        "{}",
        stderr(&o)
    );
    assert!(
        !diagnostics(&o).is_empty(),
        "the readable file was still linted"
    );
}

#[test]
fn fifos_and_devices_are_refused_never_blocked_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("glance-api.conf");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let fifo = fifo.display().to_string();
    let refused = "is not a regular file (a FIFO, socket or device); refusing to read it";
    for path in [fifo.as_str(), "/dev/zero"] {
        let o = lint(&[path], QUICK);
        assert_eq!(code(&o), 2, "{path}");
        assert!(stderr(&o).contains(refused), "{path}: {}", stderr(&o));
    }
    // A directory walk meets the FIFO too.
    let o = lint(&[&dir.path().display().to_string()], QUICK);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains(refused));
    // /dev/stdin on a pipe nobody writes to or closes.
    let mut child = bin()
        .arg("/dev/stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _keep_open = child.stdin.take();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > QUICK {
            let _ = child.kill();
            panic!("blocked reading /dev/stdin");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(2));
}

#[test]
fn symlink_loops_do_not_trap_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("hosts/ctl1");
    std::fs::create_dir_all(&host).unwrap();
    write(&host, "glance-api.conf", b"[DEFAULT]\n");
    std::os::unix::fs::symlink("../..", host.join("up")).unwrap();
    std::os::unix::fs::symlink("self", dir.path().join("self")).unwrap();
    let o = lint(
        &["--format", "json", &dir.path().display().to_string()],
        QUICK,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "found once");

    let looped = dir.path().join("loop/glance-api.conf");
    std::fs::create_dir(dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("glance-api.conf", &looped).unwrap();
    let o = lint(&[&looped.display().to_string()], QUICK);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("is a loop of symbolic links"),
        "{}",
        stderr(&o)
    );
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .is_some_and(|l| l.split_whitespace().nth(2) == Some("0"))
    })
}

#[test]
fn an_unreadable_file_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = write(dir.path(), "glance-api.conf", b"[DEFAULT]\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file: run the binary as `nobody` instead (setpriv is in
    // util-linux, on every Debian); skip visibly where that is impossible.
    let mut cmd = if is_root() {
        let setpriv = Path::new("/usr/bin/setpriv");
        if !setpriv.exists() {
            common::skip("running as root and setpriv is missing: cannot drop privileges");
            return;
        }
        let mut c = Command::new(setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_glance-lint"));
        c
    } else {
        bin()
    };
    let o = run_bounded(cmd.arg(&path), Stdio::null(), QUICK);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("glance-api.conf: permission denied"),
        "{}",
        stderr(&o)
    );
}
