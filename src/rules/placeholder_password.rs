use super::{placeholder::password_placeholder, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::url_password_ranges;

declare_rule! {
    /// ## What it does
    /// Finds passwords still set to the install guide's placeholders
    /// (`GLANCE_PASS`, `GLANCE_DBPASS`, `RABBIT_PASS` ...) or to obvious
    /// stand-ins (`changeme`, `<password>`, an unexpanded `$GLANCE_PASS`),
    /// in password options and inside the database and transport URLs.
    ///
    /// ## Why is this bad?
    /// Unless Keystone, MariaDB and RabbitMQ were set up with the very same
    /// placeholder, Glance fails at the first request: `401 Unauthorized`
    /// from the auth middleware for every API call, `Access denied for user
    /// 'glance'` from the database, `ACCESS_REFUSED` from RabbitMQ. And if
    /// they were set up with it, anyone who has read the guide knows the
    /// password.
    ///
    /// ## Example
    /// ```ini
    /// [database]
    /// connection = mysql+pymysql://glance:GLANCE_DBPASS@controller/glance
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [database]
    /// connection = mysql+pymysql://glance:k7Qp2mZx9vLw@controller/glance
    /// ```
    pub struct PlaceholderPassword {
        code: "GL212",
        name: "placeholder-password",
        severity: Error,
        category: Consistency,
        summary: "a password is still the install guide's placeholder",
    }
}

impl Rule for PlaceholderPassword {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for c in password_candidates(ctx) {
            let Some(why) = password_placeholder(c.password()) else {
                continue;
            };
            // A value Glance ignores (misplaced, unknown, removed) cannot break it: the
            // catalogue rules report the line.
            if !ctx.is_read(c.entry) {
                continue;
            }
            let (section, entry) = (c.section, c.entry);
            out.push(
                Finding::new(&Self::META, format!("{} in [{section}] is {why}", c.what()))
                    .on(entry)
                    .at(entry.value_subspan(c.start, c.end))
                    .label("placeholder")
                    .help(format!(
                        "set the real password of this account{}",
                        if section == "keystone_authtoken" || section == "oslo_limit" {
                            " (the one given to `openstack user create ... glance`)"
                        } else {
                            ""
                        }
                    )),
            );
        }
    }
}

/// A password the file sets: a password option's whole value, or the
/// password part of a URL.
pub(crate) struct PasswordCandidate<'a> {
    pub section: &'a str,
    pub key: &'a str,
    pub entry: &'a crate::model::Entry,
    /// The password's byte range in `entry.value`.
    pub start: usize,
    pub end: usize,
    /// The account the password belongs to, when the file names it: the
    /// URL's user, or the section's `username`.
    pub user: Option<&'a str>,
}

impl<'a> PasswordCandidate<'a> {
    pub fn password(&self) -> &'a str {
        &self.entry.value[self.start..self.end]
    }

    pub fn in_url(&self) -> bool {
        !(self.start == 0 && self.end == self.entry.value.len())
    }

    /// How messages name it (never its value).
    pub fn what(&self) -> String {
        if self.in_url() {
            format!("the password in `{}`", self.key)
        } else {
            format!("`{}`", self.key)
        }
    }
}

/// Every password the effective configuration sets.
pub(crate) fn password_candidates<'a>(ctx: &Context<'a>) -> Vec<PasswordCandidate<'a>> {
    let mut out = Vec::new();
    for (section, key, entry) in effective_entries(ctx) {
        let urls = url_password_ranges(&entry.value);
        if !urls.is_empty() {
            for (s, e) in urls {
                let user = url_user(&entry.value, s);
                out.push(PasswordCandidate {
                    section,
                    key,
                    entry,
                    start: s,
                    end: e,
                    user,
                });
            }
        } else if ctx.is_secret(entry) {
            let user = ctx.config.value(section, "username").map(str::trim);
            out.push(PasswordCandidate {
                section,
                key,
                entry,
                start: 0,
                end: entry.value.len(),
                user,
            });
        }
    }
    out
}

/// The user of the URL userinfo whose password starts at `pw_start`
/// (`//USER:` or `,USER:` right before it).
fn url_user(value: &str, pw_start: usize) -> Option<&str> {
    let before = value[..pw_start].strip_suffix(':')?;
    let start = before.rfind(['/', ',']).map_or(0, |i| i + 1);
    Some(&before[start..])
}

/// The effective assignment of every option, with its section and key.
pub(crate) fn effective_entries<'a>(
    ctx: &Context<'a>,
) -> impl Iterator<Item = (&'a str, &'a str, &'a crate::model::Entry)> + 'a {
    let cfg = ctx.config;
    cfg.sections()
        .flat_map(move |s| cfg.options(s).map(move |(k, e)| (s, k, e)))
}

#[cfg(test)]
mod tests {
    use crate::source::SourceFile;

    fn names(text: &str) -> Vec<&'static str> {
        let options = crate::LintOptions {
            host_checks: false,
            ..crate::LintOptions::default()
        };
        let r = crate::lint(vec![SourceFile::from_text("t.conf", text)], &options);
        r.findings.iter().map(|f| f.rule.name).collect()
    }

    /// A placeholder is an error where Glance reads it; where Glance ignores the line
    /// (a misplaced or removed option), the catalogue rule's warning is the finding.
    #[test]
    fn placeholders_in_lines_glance_ignores_are_not_errors() {
        let read =
            "[database]\nconnection = mysql+pymysql://glance:GLANCE_DBPASS@controller/glance\n";
        assert!(names(read).contains(&"placeholder-password"));
        let misplaced = "[database]\nconnection = mysql+pymysql://glance:s3cr3t-Pw@db/glance\n\
                         [keystone_authtoken]\nconnection = mysql+pymysql://glance:GLANCE_DBPASS@controller/glance\n";
        let found = names(misplaced);
        assert!(found.contains(&"misplaced-option"), "{found:?}");
        assert!(!found.contains(&"placeholder-password"), "{found:?}");
        let removed = "[database]\nconnection = mysql+pymysql://glance:s3cr3t-Pw@db/glance\n\
                       [DEFAULT]\nrabbit_password = RABBIT_PASS\nregistry_host = {{ controller }}\n";
        let found = names(removed);
        assert!(!found.contains(&"placeholder-password"), "{found:?}");
        assert!(!found.contains(&"placeholder-value"), "{found:?}");
    }
}
