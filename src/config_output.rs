//! `glance-lint config`: the effective configuration, as Glance reads it.

use serde_json::{Map, Value};

use crate::model::{EffectiveConfig, Entry};
use crate::redact::{secret_spans, MASK};

/// The value of an assignment with its secrets masked (unless shown).
pub fn shown_value(entry: &Entry, show_secrets: bool) -> String {
    if show_secrets {
        return entry.value.clone();
    }
    let spans = secret_spans(entry);
    if spans.is_empty() {
        return entry.value.clone();
    }
    if spans.len() == 1 && spans[0] == entry.value_span {
        return MASK.to_string();
    }
    // URL passwords: mask each inside the value.
    let mut out = entry.value.clone();
    for (s, e) in crate::redact::url_secret_ranges(&entry.value)
        .into_iter()
        .rev()
    {
        out.replace_range(s..e, MASK);
    }
    out
}

pub fn json(config: &EffectiveConfig, show_secrets: bool) -> String {
    let mut sections = Map::new();
    for section in config.sections() {
        let options: Map<String, Value> = config
            .options(section)
            .map(|(k, e)| (k.to_string(), Value::String(shown_value(e, show_secrets))))
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
pub fn ini(config: &EffectiveConfig, show_secrets: bool) -> String {
    let mut out = String::new();
    for section in config.sections() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("[{section}]\n"));
        for (key, entry) in config.options(section) {
            let value = shown_value(entry, show_secrets);
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
