//! Documentation derived from rule metadata: `rules/<code>.md`,
//! `rules/README.md`, `glance-lint rules` and `glance-lint explain`.

use super::{RuleMeta, RULES};
use crate::schema::Release;

/// One rule's page (also what `explain` prints).
pub fn page(m: &RuleMeta) -> String {
    let mut out = format!("# {} `{}`\n\n", m.code, m.name);
    out.push_str(&format!(
        "Default severity: **{}**. Category: {}.{}\n\n{}{}\n\n",
        m.severity.as_str(),
        m.category.as_str(),
        m.reference
            .map(|r| format!(" Implements: {r}."))
            .unwrap_or_default(),
        variants_markdown(m),
        m.summary
    ));
    out.push_str(&fixes_markdown(m));
    out.push_str(&m.doc_markdown());
    out
}

/// The fixes a rule can make, as a Markdown list under "Fix" (nothing for
/// a rule that makes none).
pub fn fixes_markdown(m: &RuleMeta) -> String {
    if m.fixes.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "Fix:

",
    );
    for f in m.fixes {
        out.push_str(&format!(
            "- **{}** ({}): {}\n",
            f.applicability.as_str(),
            fix_flag(f.applicability),
            f.description
        ));
    }
    out.push('\n');
    out
}

/// The flag that applies fixes of this level.
fn fix_flag(a: crate::meta::Applicability) -> &'static str {
    match a {
        crate::meta::Applicability::Safe => "applied by `--fix`",
        crate::meta::Applicability::Unsafe => "applied by `--fix --unsafe-fixes`",
        crate::meta::Applicability::Display => "shown, never applied",
    }
}

/// The levels a rule reports at besides its default, as a Markdown list
/// under "Also reported as" (nothing for a rule with one level).
pub fn variants_markdown(m: &RuleMeta) -> String {
    if m.variants.is_empty() {
        return String::new();
    }
    let mut out = String::from("Also reported as:\n\n");
    for v in m.variants {
        out.push_str(&format!(
            "- **{}** when {}\n",
            v.severity().as_str(),
            v.when().unwrap_or_default()
        ));
    }
    out.push('\n');
    out
}

/// The severity column of the catalogue table: the default, then the other
/// levels the rule reports at.
fn levels_column(m: &RuleMeta) -> String {
    let mut out = m.severity.as_str().to_string();
    if !m.variants.is_empty() {
        let mut others: Vec<&str> = m.variants.iter().map(|v| v.severity().as_str()).collect();
        others.dedup();
        out.push_str(&format!(" (or {})", others.join(", ")));
    }
    out
}

/// `rules/README.md`: the catalogue table.
pub fn index() -> String {
    let mut out = String::from(
        "# glance-lint rules\n\nGenerated from the rules' doc comments by `UPDATE_RULE_DOCS=1 cargo test --test docs`; do not edit.\n\n| code | name | severity | category | summary |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        let m = r.meta();
        out.push_str(&format!(
            "| {} | [`{}`]({}.md) | {} | {} | {}{} |\n",
            m.code,
            m.name,
            m.code,
            levels_column(m),
            m.category.as_str(),
            m.summary,
            m.reference.map(|r| format!(" ({r})")).unwrap_or_default()
        ));
    }
    out
}

pub fn catalogue_text() -> String {
    let mut out = String::new();
    for r in RULES {
        let m = r.meta();
        out.push_str(&format!(
            "{}  {:<30} {:<8} {:<12} {}{}\n",
            m.code,
            m.name,
            m.severity.as_str(),
            m.category.as_str(),
            m.summary,
            m.reference.map(|r| format!(" [{r}]")).unwrap_or_default()
        ));
        // The other levels, under the severity column.
        for v in m.variants {
            out.push_str(&format!(
                "{:<38}{:<8} when {}\n",
                "",
                v.severity().as_str(),
                v.when().unwrap_or_default()
            ));
        }
        // The fixes, under the severity column too.
        for f in m.fixes {
            out.push_str(&format!(
                "{:<38}fix ({}): {}\n",
                "",
                f.applicability.as_str(),
                f.description
            ));
        }
    }
    let newest = Release::newest();
    out.push_str(&format!(
        "\nFiles are judged against one Glance release: --target-release RELEASE (default {}, {}, glance {}).\nKnown releases: {}.\n",
        newest.code_name(),
        newest.series(),
        newest.glance(),
        Release::all()
            .map(|r| format!("{} ({}, glance {})", r.code_name(), r.series(), r.glance()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out
}

/// The releases as `rules --format json` lists them, oldest first.
fn releases_json() -> serde_json::Value {
    Release::all()
        .map(|r| {
            serde_json::json!({
                "name": r.code_name(), "series": r.series(), "glance": r.glance(),
                "default": r == Release::newest(),
            })
        })
        .collect()
}

pub fn catalogue_json() -> String {
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            let variants: Vec<_> = m
                .variants
                .iter()
                .map(|v| serde_json::json!({"severity": v.severity(), "when": v.when()}))
                .collect();
            let fixes: Vec<_> = m
                .fixes
                .iter()
                .map(|f| serde_json::json!({"applicability": f.applicability, "description": f.description}))
                .collect();
            serde_json::json!({
                "code": m.code, "name": m.name, "severity": m.severity, "variants": variants,
                "category": m.category, "summary": m.summary, "reference": m.reference,
                "url": m.url(), "fixes": fixes,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&serde_json::json!({
        "releases": releases_json(),
        "rules": rules,
    }))
    .expect("JSON values serialize");
    out.push('\n');
    out
}
