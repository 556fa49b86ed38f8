//! The rule pages in `rules/` and the rule table in the README are generated
//! from the rules' metadata and doc comments; these tests fail when they are
//! stale. Regenerate with `UPDATE_RULE_DOCS=1 cargo test --test docs`.

mod common;

use common::project_dir;
use glance_lint::rules::{docs, Category, RULES};

fn check_or_update(path: &std::path::Path, expected: &str) {
    if std::env::var_os("UPDATE_RULE_DOCS").is_some() {
        std::fs::write(path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run `UPDATE_RULE_DOCS=1 cargo test --test docs`",
        path.display()
    );
}

#[test]
fn rule_pages_are_fresh() {
    let dir = project_dir().join("rules");
    for rule in RULES {
        let m = rule.meta();
        check_or_update(&dir.join(format!("{}.md", m.code)), &docs::page(m));
    }
    check_or_update(&dir.join("README.md"), &docs::index());
    // No page for a rule that no longer exists.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name != "README.md" {
            let code = name.trim_end_matches(".md");
            assert!(
                glance_lint::rules::meta(code).is_some(),
                "rules/{name} has no rule"
            );
        }
    }
}

#[test]
fn readme_rule_table_is_fresh() {
    let path = project_dir().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let a = readme
        .find(start)
        .expect("README has the rules:start marker")
        + start.len();
    let b = readme.find(end).expect("README has the rules:end marker");
    let table = docs::index();
    let table = &table[table.find("| code").unwrap()..];
    if std::env::var_os("UPDATE_RULE_DOCS").is_some() {
        let updated = format!("{}{}{}", &readme[..a], table, &readme[b..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        &readme[a..b] == table,
        "README rule table is stale: run `UPDATE_RULE_DOCS=1 cargo test --test docs`"
    );
}

#[test]
fn metadata_is_consistent() {
    let mut codes = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for rule in RULES {
        let m = rule.meta();
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(
            m.code.len() == 5
                && m.code.starts_with("GL")
                && m.code[2..].bytes().all(|b| b.is_ascii_digit()),
            "bad code {}",
            m.code
        );
        assert!(
            m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "name {} is not kebab-case",
            m.name
        );
        let group = match m.category {
            Category::File => '0',
            Category::Catalogue => '1',
            Category::Consistency => '2',
            Category::Security => '3',
            Category::Live => '9',
        };
        assert_eq!(
            m.code.as_bytes()[2] as char,
            group,
            "{} is in the wrong hundred for {:?}",
            m.code,
            m.category
        );
        let doc = m.doc_markdown();
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(doc.contains(heading), "{} doc lacks `{heading}`", m.name);
        }
    }
}

/// Every name CONTRACT.md promises exists (the names are fixed).
#[test]
fn contract_names_are_registered() {
    let contract = [
        "parse-error",
        "inline-comment",
        "duplicate-option",
        "suspicious-continuation",
        "unresolved-interpolation",
        "unused-suppression",
        "default-backend-missing",
        "default-backend-not-enabled",
        "unknown-store-type",
        "reserved-backend-id",
        "auth-url-mismatch",
        "endpoint-id-format",
        "placeholder-password",
        "placeholder-value",
        "datadir-missing",
        "config-file-permissions",
        "config-file-owner",
        "insecure-identity-uri",
        "tls-verification-disabled",
        "debug-enabled",
        "image-locations-exposed",
        "keystone-unreachable",
        "keystone-auth-failed",
        "keystone-endpoint-not-found",
        "keystone-role-missing",
        "database-unreachable",
        "database-auth-failed",
        "database-missing",
        "database-not-synced",
        "rabbitmq-unreachable",
        "rabbitmq-auth-failed",
        "rabbitmq-vhost-denied",
        "memcached-unreachable",
        "image-endpoint-missing",
        "image-endpoint-unreachable",
        "registered-limit-missing",
        "database-grants-insufficient",
        "database-tables-missing",
        "image-dir-not-writable",
    ];
    for name in contract {
        assert!(
            glance_lint::rules::meta(name).is_some(),
            "{name} is not registered"
        );
    }
}

/// Each probe declares the rules it reports (typed references to their
/// metadata); together they are exactly the registered live rules, in code
/// order, each declared by one probe.
#[cfg(feature = "live")]
#[test]
fn live_probe_rules_are_the_registered_live_rules() {
    let registered: Vec<&str> = RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.category == Category::Live)
        .map(|m| m.name)
        .collect();
    let declared: Vec<&str> = glance_lint::live::PROBES
        .iter()
        .flat_map(|p| p.rules)
        .map(|m| m.name)
        .collect();
    assert_eq!(registered, declared);
    let live: Vec<&str> = glance_lint::rules::live_rules().map(|m| m.name).collect();
    assert_eq!(live, registered);
    for m in glance_lint::live::PROBES.iter().flat_map(|p| p.rules) {
        let registered = glance_lint::rules::meta(m.code).expect("registered");
        assert_eq!((registered.name, registered.summary), (m.name, m.summary));
    }
}
