//! What rules declare about themselves: severity, category, the levels a
//! rule may report at, and the rest of its metadata. A leaf module: findings,
//! the rule registry and every reporter read it, and it reads none of them.

/// Where each rule's documentation page is published.
pub const RULES_URL: &str = "https://github.com/glance-lint/glance-lint/blob/main/rules";

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    File,
    Catalogue,
    Consistency,
    Security,
    Live,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::File => "file",
            Category::Catalogue => "catalogue",
            Category::Consistency => "consistency",
            Category::Security => "security",
            Category::Live => "live",
        }
    }
}

/// How far a fix may be trusted: `safe` fixes are applied by `--fix`,
/// `unsafe` ones only with `--unsafe-fixes`, `display` ones are only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Display,
    Unsafe,
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Display => "display",
        }
    }
}

/// The fix a rule can make, as `rules`, `explain` and the rule pages show
/// it (`declare_rule!`'s `fix:`).
#[derive(Debug, PartialEq, Eq)]
pub struct FixMeta {
    pub applicability: Applicability,
    /// What the fix does, in words ("removes the earlier duplicate").
    pub description: &'static str,
}

/// A level a rule declares it reports at: its default, or a variant with the
/// condition under which it applies ("error when others can read a
/// secret"). Only `declare_rule!` makes them, and a finding takes its
/// severity from one of its own rule's ([`crate::finding::Finding::variant`]),
/// so `rules`, `explain`, the rule pages and SARIF list every level a report
/// can show.
#[derive(Debug, PartialEq, Eq)]
pub struct Variant {
    rule: &'static str,
    severity: Severity,
    /// `None` for the rule's default level.
    when: Option<&'static str>,
}

impl Variant {
    /// For `declare_rule!` only: a variant not listed in its rule's
    /// [`RuleMeta::variants`] is refused when a finding picks it.
    #[doc(hidden)]
    pub const fn declared(
        rule: &'static str,
        severity: Severity,
        when: Option<&'static str>,
    ) -> Self {
        Variant {
            rule,
            severity,
            when,
        }
    }

    /// The code of the rule that declares it.
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// When the rule reports at this level (the words after "when");
    /// `None` for the default level.
    pub fn when(&self) -> Option<&'static str> {
        self.when
    }
}

/// What every rule declares about itself. The docs page, the catalogue row,
/// `explain` and SARIF's rule metadata are all derived from this.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    /// The default level: what the rule reports unless a variant applies.
    pub severity: Severity,
    /// The other levels the rule reports at, each with its condition.
    pub variants: &'static [Variant],
    pub category: Category,
    pub summary: &'static str,
    /// The rule's doc comment (Markdown), one line per `///` line.
    pub doc: &'static str,
    /// The checklist item or security note the rule implements, if any.
    pub reference: Option<&'static str>,
    /// The fixes the rule can make (none for most rules).
    pub fixes: &'static [FixMeta],
}

impl RuleMeta {
    /// The doc comment with the one leading space of each `/// ` line removed.
    pub fn doc_markdown(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    pub fn url(&self) -> String {
        format!("{}/{}.md", RULES_URL, self.code)
    }

    /// Whether a finding of this rule may report at `variant`: the rule's
    /// own default, or one of the variants it declares.
    pub fn declares(&self, variant: &Variant) -> bool {
        variant.rule == self.code
            && match variant.when {
                None => variant.severity == self.severity,
                Some(_) => self.variants.contains(variant),
            }
    }

    /// Every level the rule can report at, in words: "warning; error when
    /// ...; info when ...".
    pub fn levels_text(&self) -> String {
        let mut out = self.severity.as_str().to_string();
        for v in self.variants {
            out.push_str(&format!(
                "; {} when {}",
                v.severity.as_str(),
                v.when.unwrap_or_default()
            ));
        }
        out
    }
}
