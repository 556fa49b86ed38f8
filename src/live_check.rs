//! `--live`: plans the probes of [`crate::live::PROBES`] whose rules are selected (each probe
//! reads the effective configuration through the model's typed views), runs them, and turns
//! each [`LiveFinding`] into a [`Finding`] of its rule, anchored at the assignment the probe
//! used.
//!
//! Values are the effective ones (last file, last assignment wins; a deprecated name counts when
//! the new one is unset). A `[keystone_authtoken]` or `[oslo_limit]` with `auth_section` takes
//! its auth plugin options from the section it names, as keystoneauth does
//! ([`crate::model::views::keystone::KeystoneAuth`]).

use std::time::Duration;

use crate::finding::Finding;
use crate::live::{self, LiveFinding, PlanEnv, ProbeKind, Target};
use crate::model::views::{effective, keystone_limits_on};
use crate::model::EffectiveConfig;
use crate::options::Selection;
use crate::schema::Catalogue;

/// What the probes will look at: the targets of every probe with a selected rule.
pub struct Plan<'a> {
    /// (probe, one of its targets), in [`live::PROBES`] order.
    pub targets: Vec<(&'static ProbeKind, Box<dyn Target + 'a>)>,
    /// The catalogue the file is judged against (deprecated names).
    catalogue: &'static Catalogue,
}

/// Runs the probes of the selected live rules against the services `config` names.
pub fn check(
    config: &EffectiveConfig,
    env: &PlanEnv<'_>,
    selection: &Selection,
    timeout: Duration,
) -> Vec<Finding> {
    let plan = plan(config, env, selection);
    live::run_probes(&plan.boxes(), timeout)
        .into_iter()
        .filter_map(|lf| plan.finding(config, selection, lf))
        .collect()
}

/// Plans every probe with at least one selected rule; the others are left out.
pub fn plan<'a>(config: &'a EffectiveConfig, env: &PlanEnv<'_>, selection: &Selection) -> Plan<'a> {
    let targets = live::PROBES
        .iter()
        .copied()
        .filter(|p| p.rules.iter().any(|m| selection.enabled(m)))
        .flat_map(|p| (p.plan)(config, env).into_iter().map(move |t| (p, t)))
        .collect();
    Plan {
        targets,
        catalogue: env.catalogue,
    }
}

impl<'a> Plan<'a> {
    /// The names of the probes with something to look at.
    pub fn probes(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.targets.iter().map(|(p, _)| p.name).collect();
        v.dedup();
        v
    }

    fn boxes(&self) -> Vec<&(dyn Target + 'a)> {
        self.targets.iter().map(|(_, t)| t.as_ref()).collect()
    }

    /// The finding for one probe result, or None when its rule is deselected.
    fn finding(
        &self,
        config: &EffectiveConfig,
        selection: &Selection,
        lf: LiveFinding,
    ) -> Option<Finding> {
        let meta = lf.rule;
        if !selection.enabled(meta) {
            return None;
        }
        let mut f = Finding::new(meta, lf.message);
        if !lf.help.is_empty() {
            f = f.help(lf.help);
        }
        if let Some(variant) = lf.variant {
            f = f.variant(variant);
        }
        if lf.section == "oslo_limit" && !keystone_limits_on(config, self.catalogue) {
            if let Some(variant) = crate::rules::live::limits_off_variant(meta) {
                f = f.variant(variant);
            }
        }
        let entry = self
            .targets
            .iter()
            .find_map(|(_, t)| t.origin(lf.section, lf.option))
            .or_else(|| effective(config, self.catalogue, lf.section, lf.option));
        if let Some(entry) = entry {
            return Some(f.at_value(entry));
        }
        // Not set in the file (a default, or a probe-level failure): the section header.
        let header = config
            .docs
            .iter()
            .flat_map(|d| &d.sections)
            .find(|h| h.name == lf.section);
        if let Some(h) = header {
            f = f.at(h.span);
        }
        f.section = Some(lf.section.to_string());
        f.option = (!lf.option.is_empty()).then(|| lf.option.to_string());
        Some(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::{keystone, memcached, mysql, rabbitmq};
    use crate::schema::catalogue;
    use crate::source::SourceFile;

    fn config(text: &str) -> EffectiveConfig {
        crate::effective_config(&[SourceFile::from_text("t.conf", text)])
    }

    #[test]
    fn targets_follow_auth_section_and_deprecated_names() {
        let c = config(
            "[DEFAULT]\ntransport_url = rabbit://u:p@h:5672/\n\
             [database]\nconnection = mysql+pymysql://g:x@db/glance\n\
             [oslo_messaging_rabbit]\nssl = True\nssl_ca_file = /ca.pem\n\
             [keystone_authtoken]\nauth_section = svc\nwww_authenticate_uri = http://k:5000\n\
             password = ignored\nmemcache_servers = m1:11211, m2:11211\n\
             [svc]\nauth_url = http://k:5000\npassword = used\nmemcached_servers = not-read\n",
        );
        let plan = plan(&c, &PlanEnv::new(catalogue()), &Selection::default());
        assert_eq!(
            plan.probes(),
            [
                "keystone",
                "database",
                "rabbitmq",
                "memcached",
                "catalog",
                "grants",
                "tables"
            ]
        );
        let sections = keystone::sections(&c, catalogue());
        assert_eq!(sections.len(), 1, "no [oslo_limit] target");
        let ks = &sections[0].ks;
        assert_eq!(ks.section, "keystone_authtoken");
        assert_eq!(ks.values["password"], "used");
        assert_eq!(ks.values["www_authenticate_uri"], "http://k:5000");
        assert_eq!(ks.values["auth_url"], "http://k:5000");
        assert_eq!(
            memcached::target(&c, catalogue()).unwrap().servers,
            ["m1:11211", "m2:11211"]
        );
        let mq = rabbitmq::target(&c, catalogue()).unwrap();
        assert_eq!(mq.url, "rabbit://u:p@h:5672/");
        assert!(mq.ssl.enabled);
        assert_eq!(mq.ssl.ca_file.as_deref(), Some("/ca.pem"));
        assert_eq!(
            mysql::target(&c, catalogue()).unwrap().url,
            "mysql+pymysql://g:x@db/glance"
        );
        let origin = sections[0]
            .origin("keystone_authtoken", "password")
            .unwrap();
        assert_eq!(origin.section, "svc");
    }

    #[test]
    fn deselected_services_are_not_probed() {
        let c = config(
            "[database]\nconnection = mysql://a:b@h/g\n[keystone_authtoken]\nauth_url = http://k\n",
        );
        let sel = Selection {
            ignore: vec!["GL9".into()],
            ..Selection::default()
        };
        assert!(plan(&c, &PlanEnv::new(catalogue()), &sel)
            .probes()
            .is_empty());
        let sel = Selection {
            select: vec!["database-missing".into()],
            ..Selection::default()
        };
        assert_eq!(
            plan(&c, &PlanEnv::new(catalogue()), &sel).probes(),
            ["database"]
        );
        assert_eq!(
            plan(&c, &PlanEnv::new(catalogue()), &Selection::default()).probes(),
            ["keystone", "database", "grants", "tables"]
        );
    }

    #[test]
    fn findings_anchor_at_the_assignment_or_the_section() {
        let c = config("[keystone_authtoken]\nauth_section = svc\n[svc]\npassword = pw\n");
        let sel = Selection::default();
        let plan = plan(&c, &PlanEnv::new(catalogue()), &sel);
        let lf = |option| LiveFinding {
            rule: &crate::rules::live::KeystoneAuthFailed::META,
            section: "keystone_authtoken",
            option,
            message: "m".into(),
            help: String::new(),
            variant: None,
        };
        let f = plan.finding(&c, &sel, lf("password")).unwrap();
        assert_eq!(f.section.as_deref(), Some("svc"));
        assert_eq!(f.span, Some(c.get("svc", "password").unwrap().value_span));
        assert!(f.help.is_none());
        let f = plan.finding(&c, &sel, lf("region_name")).unwrap();
        assert_eq!(f.span, Some(c.docs[0].sections[0].span));
        assert_eq!(f.option.as_deref(), Some("region_name"));
        let ignored = Selection {
            ignore: vec!["keystone-auth-failed".into()],
            ..Selection::default()
        };
        assert!(plan.finding(&c, &ignored, lf("password")).is_none());
    }
}
