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
        for (section, key, entry) in effective_entries(ctx) {
            let urls = url_password_ranges(&entry.value);
            let candidates: Vec<(usize, usize)> = if !urls.is_empty() {
                urls
            } else if ctx.is_secret(entry) {
                vec![(0, entry.value.len())]
            } else {
                continue;
            };
            for (s, e) in candidates {
                let Some(why) = password_placeholder(&entry.value[s..e]) else {
                    continue;
                };
                let in_url = !(s == 0 && e == entry.value.len());
                let what = if in_url {
                    format!("the password in `{key}`")
                } else {
                    format!("`{key}`")
                };
                out.push(
                    Finding::new(&Self::META, format!("{what} in [{section}] is {why}"))
                        .on(entry)
                        .at(entry.value_subspan(s, e))
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
}

/// The effective assignment of every option, with its section and key.
pub(crate) fn effective_entries<'a>(
    ctx: &Context<'a>,
) -> impl Iterator<Item = (&'a str, &'a str, &'a crate::model::Entry)> + 'a {
    let cfg = ctx.config;
    cfg.sections()
        .flat_map(move |s| cfg.options(s).map(move |(k, e)| (s, k, e)))
}
