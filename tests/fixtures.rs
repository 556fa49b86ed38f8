//! Every rule's fixtures: `fixtures/<code>/bad*.conf` must fire the rule,
//! `good*.conf` must fire nothing at all; the rendered output of each is
//! compared with a reviewed snapshot (`cargo insta review`).
//!
//! Host checks run only for fixtures with a `root/` directory (used as
//! `--root`), so results do not depend on the machine.

mod common;

use std::path::Path;

use common::{lint_file, project_dir, render_plain};
use glance_lint::rules::{Category, RULES};
use glance_lint::schema::{catalogue_for, Release};
use glance_lint::LintOptions;

/// Host checks only with a `root/`; a `target-release` or `upgrade-to`
/// file (one release name) sets that option.
fn options_for(dir: &Path) -> LintOptions {
    let root = dir.join("root");
    let release = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .ok()
            .map(|r| Release::parse(&r).unwrap())
    };
    let target = release("target-release");
    LintOptions {
        host_checks: root.is_dir(),
        root,
        catalogue: catalogue_for(target.unwrap_or_else(Release::newest)),
        release_chosen: target.is_some(),
        upgrade_to: release("upgrade-to"),
        ..LintOptions::default()
    }
}

fn confs(dir: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".conf")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_static_rule_has_fixtures() {
    for rule in RULES {
        let m = rule.meta();
        if m.category == Category::Live {
            continue;
        }
        let dir = project_dir().join("fixtures").join(m.code);
        assert!(
            !confs(&dir, "bad").is_empty() && !confs(&dir, "good").is_empty(),
            "{} ({}) needs fixtures/{}/bad.conf and good.conf",
            m.name,
            m.code,
            m.code
        );
    }
}

#[test]
fn fixture_dirs_name_registered_rules() {
    for entry in std::fs::read_dir(project_dir().join("fixtures")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            glance_lint::rules::meta(&name).is_some_and(|m| m.code == name),
            "fixtures/{name} is not a rule code"
        );
    }
}

#[test]
fn bad_fixtures_fire_their_rule() {
    for rule in RULES {
        let m = rule.meta();
        if m.category == Category::Live {
            continue;
        }
        let dir = project_dir().join("fixtures").join(m.code);
        for bad in confs(&dir, "bad").iter() {
            let result = lint_file(bad, &options_for(&dir));
            assert!(
                result.findings.iter().any(|f| f.rule.code == m.code),
                "{} does not fire {} ({})",
                bad.display(),
                m.name,
                m.code
            );
            insta::assert_snapshot!(snapshot_name(bad), render_plain(result));
        }
    }
}

#[test]
fn good_fixtures_fire_nothing() {
    for rule in RULES {
        let m = rule.meta();
        if m.category == Category::Live {
            continue;
        }
        let dir = project_dir().join("fixtures").join(m.code);
        for good in confs(&dir, "good").iter() {
            let result = lint_file(good, &options_for(&dir));
            let fired: Vec<_> = result
                .findings
                .iter()
                .map(|f| (f.rule.name, f.message.clone()))
                .collect();
            assert!(fired.is_empty(), "{} fires {:?}", good.display(), fired);
            insta::assert_snapshot!(snapshot_name(good), render_plain(result));
        }
    }
}

fn snapshot_name(path: &Path) -> String {
    let rel = path.strip_prefix(project_dir().join("fixtures")).unwrap();
    rel.display().to_string().replace(['/', '.'], "_")
}
