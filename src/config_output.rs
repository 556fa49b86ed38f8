//! `glance-lint config`: the effective configuration, as Glance reads it.

use serde_json::{Map, Value};

use crate::model::{EffectiveConfig, Entry};
use crate::redact::SecretPolicy;
use crate::schema::Catalogue;

/// The value of an assignment with its secrets masked (`None`: shown).
pub fn shown_value(entry: &Entry, secrets: Option<&SecretPolicy>) -> String {
    match secrets {
        Some(policy) => policy.masked_value(entry).into_owned(),
        None => entry.value.clone(),
    }
}

/// The secret policy for `config`, unless secrets are shown.
fn policy(
    config: &EffectiveConfig,
    catalogue: &'static Catalogue,
    show_secrets: bool,
) -> Option<SecretPolicy> {
    (!show_secrets).then(|| SecretPolicy::new(config, catalogue))
}

pub fn json(config: &EffectiveConfig, catalogue: &'static Catalogue, show_secrets: bool) -> String {
    let secrets = policy(config, catalogue, show_secrets);
    let mut sections = Map::new();
    for section in config.sections() {
        let options: Map<String, Value> = config
            .options(section)
            .map(|(k, e)| {
                (
                    k.to_string(),
                    Value::String(shown_value(e, secrets.as_ref())),
                )
            })
            .collect();
        sections.insert(section.to_string(), Value::Object(options));
    }
    let mut out = serde_json::to_string_pretty(&serde_json::json!({ "sections": sections }))
        .expect("JSON values serialize");
    out.push('\n');
    out
}

/// INI that oslo.config reads back to the same values: the first line of a
/// value is quoted when stripping would change it, later lines are indented.
pub fn ini(config: &EffectiveConfig, catalogue: &'static Catalogue, show_secrets: bool) -> String {
    let secrets = policy(config, catalogue, show_secrets);
    let mut out = String::new();
    for section in config.sections() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("[{section}]\n"));
        for (key, entry) in config.options(section) {
            let value = shown_value(entry, secrets.as_ref());
            let mut lines = value.split('\n');
            let first = lines.next().unwrap_or_default();
            out.push_str(key);
            out.push_str(" = ");
            out.push_str(&quote_if_needed(first));
            out.push('\n');
            for line in lines {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn quote_if_needed(first: &str) -> String {
    let trimmed = first.trim_matches(crate::model::parse::py_space);
    let quoted_shape = first.len() >= 2
        && (first.starts_with('"') || first.starts_with('\''))
        && first.ends_with(&first[..1]);
    let lone_quote = first == "\"" || first == "'";
    if trimmed.len() != first.len() || quoted_shape || lone_quote {
        format!("\"{first}\"")
    } else {
        first.to_string()
    }
}
