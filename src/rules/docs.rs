//! Documentation derived from rule metadata: `rules/<code>.md`,
//! `rules/README.md`, `glance-lint rules` and `glance-lint explain`.

use super::{RuleMeta, RULES};

/// One rule's page (also what `explain` prints).
pub fn page(m: &RuleMeta) -> String {
    let mut out = format!("# {} `{}`\n\n", m.code, m.name);
    out.push_str(&format!(
        "Default severity: **{}**. Category: {}.{}\n\n{}\n\n",
        m.severity.as_str(),
        m.category.as_str(),
        m.reference
            .map(|r| format!(" Implements: {r}."))
            .unwrap_or_default(),
        m.summary
    ));
    out.push_str(&m.doc_markdown());
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
            m.severity.as_str(),
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
    }
    out
}

pub fn catalogue_json() -> String {
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            serde_json::json!({
                "code": m.code, "name": m.name, "severity": m.severity, "category": m.category,
                "summary": m.summary, "reference": m.reference, "url": m.url(),
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&serde_json::json!({ "rules": rules }))
        .expect("JSON values serialize");
    out.push('\n');
    out
}
