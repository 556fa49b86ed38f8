//! The project config, `.glance-lint.toml`: found from the linted file's
//! directory upward (stopping at a repository's top, the directory holding
//! `.git`), or named with `--config`. Every error points at its line.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::cli::FailOn;
use crate::finding::Severity;
use crate::rules;
use crate::schema::Release;

pub const FILE_NAME: &str = ".glance-lint.toml";

/// A glob over `/`-separated paths relative to the config's directory:
/// `*` and `?` stay inside one path component, `**` crosses them. A pattern
/// without `/` matches a file or directory name at any depth; a pattern that
/// matches a directory matches everything below it.
#[derive(Debug, Clone)]
pub struct Glob {
    pub pattern: String,
    re: Regex,
}

impl Glob {
    pub fn new(pattern: &str) -> Result<Glob, String> {
        if pattern.is_empty() {
            return Err("an empty pattern matches nothing".into());
        }
        let anchored = pattern.trim_start_matches('/');
        let body = if pattern.contains('/') {
            anchored.to_string()
        } else {
            format!("**/{anchored}")
        };
        let mut re = String::from("^");
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' if chars.peek() == Some(&'*') => {
                    chars.next();
                    if chars.peek() == Some(&'/') {
                        chars.next();
                        re.push_str("(?:.*/)?");
                    } else {
                        re.push_str(".*");
                    }
                }
                '*' => re.push_str("[^/]*"),
                '?' => re.push_str("[^/]"),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push_str("(?:/.*)?$");
        let re = Regex::new(&re).map_err(|e| e.to_string())?;
        Ok(Glob {
            pattern: pattern.to_string(),
            re,
        })
    }

    pub fn matches(&self, relative: &str) -> bool {
        self.re.is_match(relative)
    }
}

/// A loaded `.glance-lint.toml`.
#[derive(Debug, Clone, Default)]
pub struct ProjectConfig {
    /// The file, and the directory globs are relative to.
    pub path: PathBuf,
    pub dir: PathBuf,
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub fail_on: Option<FailOn>,
    /// Rule pattern (name, code, code prefix) → severity, in file order.
    pub severity: Vec<(String, Severity)>,
    pub exclude: Vec<Glob>,
    pub per_file_ignores: Vec<(Glob, Vec<String>)>,
    /// Files merged into a base file elsewhere (kolla overrides ...): linted
    /// without the checks that need the whole file.
    pub fragments: Vec<Glob>,
    /// Jinja templates of glance-api.conf; `None`: the default, `*.j2`.
    pub templates: Option<Vec<Glob>>,
    /// `target-release`: the Glance release files are judged against.
    pub target_release: Option<Release>,
    /// `per-file-target-release`: glob → release, in file order (the first
    /// match wins), for repositories that hold several environments.
    pub per_file_target_release: Vec<(Glob, Release)>,
    /// `service-user`: the user glance-api runs as, for the host checks of `--live`.
    pub service_user: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    fragments: Option<Vec<Spanned<String>>>,
    templates: Option<Vec<Spanned<String>>>,
    target_release: Option<Spanned<String>>,
    per_file_target_release: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    service_user: Option<Spanned<String>>,
}

fn release(
    path: &Path,
    text: &str,
    value: &Spanned<String>,
    what: &str,
) -> Result<Release, String> {
    Release::parse(value.get_ref())
        .map_err(|m| located_error(path, text, value.span().start, &format!("{what}: {m}")))
}

/// `path:line:column: message`, then the line itself.
fn located_error(path: &Path, text: &str, offset: usize, message: &str) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_no = text[..offset].matches('\n').count() + 1;
    let column = text[line_start..offset].chars().count() + 1;
    let line = text[line_start..].lines().next().unwrap_or_default();
    format!(
        "{}:{line_no}:{column}: {}\n  {line_no} | {line}",
        path.display(),
        message.trim_end()
    )
}

fn patterns(
    path: &Path,
    text: &str,
    items: Vec<Spanned<String>>,
    what: &str,
) -> Result<Vec<String>, String> {
    items
        .into_iter()
        .map(|item| {
            if rules::RULES
                .iter()
                .any(|r| crate::options::matches_rule(item.get_ref(), r.meta()))
            {
                Ok(item.into_inner())
            } else {
                Err(located_error(
                    path,
                    text,
                    item.span().start,
                    &format!(
                        "{what}: `{}` is not a rule name, code or code prefix{}",
                        item.get_ref(),
                        rules::rule_hint(item.get_ref())
                    ),
                ))
            }
        })
        .collect()
}

fn glob(path: &Path, text: &str, item: &Spanned<String>) -> Result<Glob, String> {
    Glob::new(item.get_ref()).map_err(|m| {
        located_error(
            path,
            text,
            item.span().start,
            &format!("bad glob `{}`: {m}", item.get_ref()),
        )
    })
}

impl ProjectConfig {
    pub fn load(path: &Path) -> Result<ProjectConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read project config {}: {e}", path.display()))?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<ProjectConfig, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            located_error(path, text, offset, e.message())
        })?;
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut config = ProjectConfig {
            path: path.to_path_buf(),
            dir,
            ..ProjectConfig::default()
        };
        if let Some(items) = raw.select {
            config.select = Some(patterns(path, text, items, "select")?);
        }
        if let Some(items) = raw.ignore {
            config.ignore = Some(patterns(path, text, items, "ignore")?);
        }
        if let Some(value) = raw.fail_on {
            config.fail_on = Some(FailOn::parse(value.get_ref()).ok_or_else(|| {
                located_error(
                    path,
                    text,
                    value.span().start,
                    &format!(
                        "fail-on: `{}` is not one of error, warning, info, never",
                        value.get_ref()
                    ),
                )
            })?);
        }
        for (name, level) in raw.severity.unwrap_or_default() {
            let pattern = patterns(path, text, vec![name], "severity")?.remove(0);
            let severity = Severity::parse(level.get_ref()).ok_or_else(|| {
                located_error(
                    path,
                    text,
                    level.span().start,
                    &format!(
                        "severity: `{}` is not error, warning or info",
                        level.get_ref()
                    ),
                )
            })?;
            config.severity.push((pattern, severity));
        }
        for item in raw.exclude.unwrap_or_default() {
            config.exclude.push(glob(path, text, &item)?);
        }
        for item in raw.fragments.unwrap_or_default() {
            config.fragments.push(glob(path, text, &item)?);
        }
        if let Some(items) = raw.templates {
            let globs: Result<Vec<Glob>, String> =
                items.iter().map(|item| glob(path, text, item)).collect();
            config.templates = Some(globs?);
        }
        if let Some(value) = &raw.service_user {
            let user = value.get_ref().trim();
            // A POSIX account name: what <root>/etc/passwd can hold.
            if user.is_empty()
                || user.contains([':', '/', '\n'])
                || user.contains(char::is_whitespace)
            {
                return Err(located_error(
                    path,
                    text,
                    value.span().start,
                    &format!("service-user: `{}` is not a user name", value.get_ref()),
                ));
            }
            config.service_user = Some(user.to_string());
        }
        if let Some(value) = &raw.target_release {
            config.target_release = Some(release(path, text, value, "target-release")?);
        }
        let mut per_file: Vec<_> = raw
            .per_file_target_release
            .unwrap_or_default()
            .into_iter()
            .collect();
        per_file.sort_by_key(|(pattern, _)| pattern.span().start);
        for (pattern, value) in per_file {
            let g = glob(path, text, &pattern)?;
            let r = release(path, text, &value, "per-file-target-release")?;
            config.per_file_target_release.push((g, r));
        }
        for (pattern, items) in raw.per_file_ignores.unwrap_or_default() {
            let g = glob(path, text, &pattern)?;
            config
                .per_file_ignores
                .push((g, patterns(path, text, items, "per-file-ignores")?));
        }
        Ok(config)
    }

    /// `path` relative to the config's directory, `/`-separated; `None`
    /// when it lies elsewhere.
    fn relative(&self, path: &Path) -> Option<String> {
        let abs = absolute(path);
        let rel = abs.strip_prefix(absolute(&self.dir)).ok()?;
        Some(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    pub fn excludes(&self, path: &Path) -> bool {
        self.relative(path)
            .is_some_and(|rel| self.exclude.iter().any(|g| g.matches(&rel)))
    }

    /// `fragments` names this file.
    pub fn is_fragment(&self, path: &Path) -> bool {
        self.relative(path)
            .is_some_and(|rel| self.fragments.iter().any(|g| g.matches(&rel)))
    }

    /// `templates` names this file (`None` when the config leaves the
    /// default, `*.j2`, in force).
    pub fn is_template(&self, path: &Path) -> Option<bool> {
        let globs = self.templates.as_ref()?;
        Some(
            self.relative(path)
                .is_some_and(|rel| globs.iter().any(|g| g.matches(&rel))),
        )
    }

    /// The release this file is judged against: the first
    /// `per-file-target-release` glob that matches it, else `target-release`.
    pub fn release_for(&self, path: &Path) -> Option<Release> {
        let rel = self.relative(path);
        rel.and_then(|rel| {
            self.per_file_target_release
                .iter()
                .find(|(g, _)| g.matches(&rel))
                .map(|(_, r)| *r)
        })
        .or(self.target_release)
    }

    /// The rules `per-file-ignores` turns off for this file.
    pub fn ignores_for(&self, path: &Path) -> Vec<String> {
        let Some(rel) = self.relative(path) else {
            return Vec::new();
        };
        self.per_file_ignores
            .iter()
            .filter(|(g, _)| g.matches(&rel))
            .flat_map(|(_, rules)| rules.iter().cloned())
            .collect()
    }
}

/// An absolute, lexically normalized path (no filesystem access: the file
/// may be a name given to standard input).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The `.glance-lint.toml` that applies to files in `dir`: the nearest one
/// in `dir` or above it, not looking above a directory holding `.git`.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    Discovery::default().find(dir)
}

/// [`discover`] over many directories, remembering each directory's answer:
/// a thousand host directories under one repository cost two lookups each,
/// not two per level up to the root.
#[derive(Default)]
pub struct Discovery {
    known: HashMap<PathBuf, Option<PathBuf>>,
}

impl Discovery {
    pub fn find(&mut self, dir: &Path) -> Option<PathBuf> {
        let dir = absolute(dir);
        if let Some(found) = self.known.get(&dir) {
            return found.clone();
        }
        let candidate = dir.join(FILE_NAME);
        let found = if candidate.is_file() {
            Some(candidate)
        } else if dir.join(".git").exists() {
            None
        } else {
            dir.parent().and_then(|parent| self.find(parent))
        };
        self.known.insert(dir, found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ProjectConfig, String> {
        ProjectConfig::parse(Path::new("/p/.glance-lint.toml"), text)
    }

    #[test]
    fn reads_the_contract_example() {
        let c = parse(
            "select = [\"GL\"]\nignore = [\"placeholder-value\"]\nfail-on = \"warning\"\n[severity]\nauth-url-mismatch = \"error\"\n",
        )
        .unwrap();
        assert_eq!(c.select, Some(vec!["GL".to_string()]));
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(
            c.severity,
            vec![("auth-url-mismatch".to_string(), Severity::Error)]
        );
    }

    #[test]
    fn errors_point_at_the_line() {
        let e = parse("select = [\"GL\"]\nselct = []\n").unwrap_err();
        assert!(
            e.starts_with("/p/.glance-lint.toml:2:1: unknown field `selct`"),
            "{e}"
        );
        let e = parse("\n\nfail-on = \"sometimes\"\n").unwrap_err();
        assert!(e.starts_with("/p/.glance-lint.toml:3:11: fail-on"), "{e}");
        let e = parse("[severity]\nno-such-rule = \"error\"\n").unwrap_err();
        assert!(e.contains(":2:1: severity: `no-such-rule`"), "{e}");
        let e = parse("[severity]\nGL2 = \"fatal\"\n").unwrap_err();
        assert!(e.contains(":2:7: severity: `fatal`"), "{e}");
        let e = parse("ignore = [\"GL\"\n").unwrap_err();
        assert!(e.starts_with("/p/.glance-lint.toml:1:"), "{e}");
        assert!(e.contains("1 | ignore = [\"GL\""), "{e}");
    }

    #[test]
    fn service_user_is_an_account_name() {
        let c = parse("service-user = \"glance-svc\"\n").unwrap();
        assert_eq!(c.service_user.as_deref(), Some("glance-svc"));
        let e = parse("\nservice-user = \"glance api\"\n").unwrap_err();
        assert!(
            e.starts_with("/p/.glance-lint.toml:2:16: service-user"),
            "{e}"
        );
        assert!(parse("service-user = \"\"\n").is_err());
    }

    #[test]
    fn globs() {
        let g = Glob::new("staging").unwrap();
        assert!(g.matches("staging/glance-api.conf"));
        assert!(g.matches("envs/staging/glance-api.conf"));
        assert!(!g.matches("envs/staging2/glance-api.conf"));
        let g = Glob::new("envs/*/glance-api.conf").unwrap();
        assert!(g.matches("envs/dev/glance-api.conf"));
        assert!(!g.matches("envs/a/b/glance-api.conf"));
        let g = Glob::new("envs/**/test-*").unwrap();
        assert!(g.matches("envs/test-1/glance-api.conf"));
        assert!(g.matches("envs/a/b/test-x/glance-api.conf"));
        assert!(!g.matches("other/test-1/glance-api.conf"));
    }

    #[test]
    fn per_file() {
        let c =
            parse("exclude = [\"vendor\"]\n[per-file-ignores]\n\"dev/*\" = [\"GL2\"]\n").unwrap();
        assert!(c.excludes(Path::new("/p/vendor/x/glance-api.conf")));
        assert!(!c.excludes(Path::new("/q/vendor/glance-api.conf")));
        assert_eq!(
            c.ignores_for(Path::new("/p/dev/glance-api.conf")),
            vec!["GL2".to_string()]
        );
        assert!(c
            .ignores_for(Path::new("/p/prod/glance-api.conf"))
            .is_empty());
    }

    #[test]
    fn target_releases() {
        let c = parse(
            "target-release = \"2024.1\"\n[per-file-target-release]\n\"zed/*\" = \"zed\"\n\"*/old/*\" = \"25\"\n\"z*/*\" = \"antelope\"\n",
        )
        .unwrap();
        let caracal = Release::parse("caracal").unwrap();
        assert_eq!(
            c.release_for(Path::new("/p/prod/glance-api.conf")),
            Some(caracal)
        );
        // The first glob in file order wins.
        assert_eq!(
            c.release_for(Path::new("/p/zed/glance-api.conf")),
            Release::parse("zed").ok()
        );
        assert_eq!(c.release_for(Path::new("/elsewhere/g.conf")), Some(caracal));
        let e = parse("target-release = \"queens\"\n").unwrap_err();
        assert!(
            e.contains(":1:18: target-release: unknown release `queens`"),
            "{e}"
        );
        assert!(e.contains("caracal (2024.1, glance 28.2.0)"), "{e}");
        let e = parse("[per-file-target-release]\n\"a\" = \"2030.1\"\n").unwrap_err();
        assert!(
            e.contains("per-file-target-release: unknown release"),
            "{e}"
        );
    }
}
