use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::is_true;

declare_rule! {
    /// ## What it does
    /// Flags `[DEFAULT] show_multiple_locations = true` (warning) and
    /// `[DEFAULT] show_image_direct_url = true`. The file cannot tell
    /// whether this glance-api is the one users reach; the finding asks.
    ///
    /// ## Why is this bad?
    /// With `show_multiple_locations`, a user who owns an image can add a
    /// location pointing at altered data and delete the original one
    /// (OSSN-0065); everyone who boots that image, or a snapshot of it, runs
    /// the attacker's data. The checksum does not save them when Nova or
    /// Cinder clone the image inside a shared Ceph or Cinder backend, which
    /// never hashes the data (OSSN-0090), and policies do not close the hole.
    /// `show_image_direct_url` shows users where each image lives in the
    /// backend (pool, cluster id, container), a map for attacking the storage
    /// directly.
    ///
    /// Nova, Cinder and Ironic need these fields for copy-on-write clones.
    /// OSSN-0090's fix is a second, internal-only glance-api with these
    /// options on, firewalled from users and named in Nova's and Ironic's
    /// `[glance] endpoint_override` and Cinder's `glance_api_servers`, and
    /// the user-facing glance-api (the one in the service catalogue) with
    /// them off.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// show_multiple_locations = true
    /// show_image_direct_url = true
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # the user-facing glance-api; an internal-only one, for Nova and
    /// # Cinder, may set both options to true
    /// [DEFAULT]
    /// show_multiple_locations = false
    /// show_image_direct_url = false
    /// ```
    pub struct ImageLocationsExposed {
        code: "GL307",
        name: "image-locations-exposed",
        severity: Warning,
        variants: {
            DIRECT_URL: Info when "the option is `show_image_direct_url`: users see where each image is stored, but cannot change it",
        },
        category: Security,
        summary: "image locations or direct URLs are shown, which must not reach users",
        reference: "OSSN-0065, OSSN-0090",
    }
}

const HELP: &str = "on the glance-api that users reach, turn it off; run a second, firewalled glance-api with it on for Nova ([glance] endpoint_override) and Cinder (glance_api_servers)";

impl Rule for ImageLocationsExposed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if let Some(e) = is_true(ctx.config, "DEFAULT", "show_multiple_locations") {
            out.push(
                Finding::new(
                    &Self::META,
                    "`show_multiple_locations` lets image owners swap an image's data for other data (OSSN-0065)",
                )
                .at_value(e)
                .label("unless only Nova and Cinder reach this API")
                .help(HELP),
            );
        }
        if let Some(e) = is_true(ctx.config, "DEFAULT", "show_image_direct_url") {
            let f = Finding::new(
                &Self::META,
                "`show_image_direct_url` shows users where each image is stored in the backend (OSSN-0090)",
            )
            .at_value(e)
            .label("unless only Nova and Cinder reach this API")
            .help(HELP)
            .variant(&Self::DIRECT_URL);
            out.push(f);
        }
    }
}
