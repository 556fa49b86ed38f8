//! The parts of [`Selection`] that need the rule registry.

use super::{meta, RULES};
use crate::meta::Severity;
use crate::options::{matches_rule, Selection};

impl Selection {
    /// Sets the severity of every rule a pattern matches; a more specific
    /// pattern (a name or full code over a prefix, a longer prefix over a
    /// shorter one) wins whatever the order.
    pub fn set_severities(&mut self, overrides: &[(String, Severity)]) {
        let specificity = |p: &str| {
            if meta(p).is_some() {
                usize::MAX
            } else {
                p.len()
            }
        };
        let mut sorted: Vec<_> = overrides.iter().collect();
        sorted.sort_by_key(|(p, _)| specificity(p));
        for (pattern, severity) in sorted {
            for r in RULES {
                if matches_rule(pattern, r.meta()) {
                    self.severity.insert(r.meta().code, *severity);
                }
            }
        }
    }

    /// Checks that every pattern names a rule, a code or a code prefix.
    pub fn validate(patterns: &[String]) -> Result<(), String> {
        for p in patterns {
            if !RULES.iter().any(|r| matches_rule(p, r.meta())) {
                return Err(format!(
                    "`{p}` is not a rule name, code or code prefix{}",
                    super::did_you_mean(p)
                ));
            }
        }
        Ok(())
    }
}
