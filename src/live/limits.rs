//! The registered limits Glance reads with `use_keystone_limits = true`: as oslo.limit does,
//! with the `[oslo_limit]` user's token (the login the Keystone probe makes, shared), read the
//! service and region of `endpoint_id`, then `GET /v3/registered_limits` for them. Read-only.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::live::keystone::{self, KeystoneSection};
use crate::live::net;
use crate::live::{boxed, LiveFinding, Probe, ProbeKind, Target};
use crate::model::views::keystone_limits_on;
use crate::model::EffectiveConfig;
use crate::rules::live as rule;

/// The registered-limits probe.
pub static PROBE: ProbeKind = ProbeKind {
    name: "limits",
    rules: &[&rule::RegisteredLimitMissing::META],
    plan: |config, env| boxed(target(config, env.catalogue)),
};

/// The resources Glance's quota code (glance/quota/keystone.py) asks oslo.limit about.
pub const RESOURCES: [&str; 4] = [
    "image_size_total",
    "image_stage_total",
    "image_count_total",
    "image_count_uploading",
];

const SECTION: &str = "oslo_limit";

/// The `[oslo_limit]` login and its endpoint_id.
pub struct LimitsTarget {
    ks: KeystoneSection,
    endpoint_id: String,
}

/// Planned with `use_keystone_limits = true` and an `[oslo_limit]` the user can log in with and
/// an `endpoint_id` (without one oslo.limit cannot find the service, which the static checks say).
pub fn target(
    config: &EffectiveConfig,
    catalogue: &'static crate::schema::Catalogue,
) -> Option<LimitsTarget> {
    if !keystone_limits_on(config, catalogue) {
        return None;
    }
    let ks = keystone::sections(config, catalogue)
        .into_iter()
        .find(|s| s.ks.section == SECTION)?
        .ks;
    keystone::get(&ks, "auth_url")?;
    keystone::get(&ks, "password")?;
    let endpoint_id = keystone::get(&ks, "endpoint_id")?.to_string();
    Some(LimitsTarget { ks, endpoint_id })
}

impl Target for LimitsTarget {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        vec![Probe {
            fut: Box::pin(probe(&self.ks, &self.endpoint_id, timeout)),
            on_timeout: LiveFinding::new(
                &rule::RegisteredLimitMissing::META,
                SECTION,
                "endpoint_id",
                format!(
                    "the registered limits could not be read within {}",
                    net::secs(timeout)
                ),
                "check that Keystone answers, or raise --timeout",
            ),
        }]
    }

    fn secrets(&self) -> Vec<String> {
        keystone::get(&self.ks, "password")
            .map(str::to_string)
            .into_iter()
            .collect()
    }
}

/// What a registered-limits listing lacks: each resource missing, or registered at 0.
pub fn lacking(listing: &Value) -> (Vec<&'static str>, Vec<&'static str>) {
    let limits = listing["registered_limits"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let limit_of = |name: &str| {
        limits
            .iter()
            .find(|l| l["resource_name"].as_str() == Some(name))
            .map(|l| l["default_limit"].as_i64().unwrap_or(0))
    };
    let missing = RESOURCES
        .into_iter()
        .filter(|r| limit_of(r).is_none())
        .collect();
    let zero = RESOURCES
        .into_iter()
        .filter(|r| limit_of(r) == Some(0))
        .collect();
    (missing, zero)
}

async fn probe(ks: &KeystoneSection, endpoint_id: &str, timeout: Duration) -> Vec<LiveFinding> {
    let deadline = Instant::now() + timeout;
    let Some(s) = keystone::session(ks, timeout, deadline).await else {
        return Vec::new(); // the Keystone probe says why the login failed
    };
    let k = &s.k;
    let get = |path: String| {
        k.client
            .get(format!("{}{path}", s.v3))
            .header("X-Auth-Token", &s.token)
    };
    let user = keystone::get(ks, "username")
        .or(keystone::get(ks, "user_id"))
        .unwrap_or("?");
    let url = format!("{}/endpoints/{}", s.v3, keystone::pct(endpoint_id));
    let listing = |service: &str, region: &str| {
        let mut query = format!("/registered_limits?service_id={}", keystone::pct(service));
        if !region.is_empty() {
            query.push_str(&format!("&region_id={}", keystone::pct(region)));
        }
        keystone::send(k, get(query), deadline)
    };
    let region_of = |ep: &Value| {
        ep["region_id"]
            .as_str()
            .or(ep["region"].as_str())
            .unwrap_or("")
            .to_string()
    };
    // The endpoint's service and region, as oslo.limit reads them (GET /endpoints/<id>, shared
    // with the Keystone probe's check of endpoint_id). When the token's catalog lists the
    // endpoint, the listing is asked for at the same time, not after: one Keystone round trip
    // less on the way (each one a token validation).
    let from_catalog = keystone::catalog_endpoint(&s.body, endpoint_id)
        .filter(|(svc, _)| svc["type"] == "image")
        .map(|(svc, ep)| (svc["id"].as_str().unwrap_or("").to_string(), region_of(ep)));
    let (ep, early) = match &from_catalog {
        Some((service, region)) => {
            let (ep, listed) = tokio::join!(
                keystone::shared_get(k, &url, &s.token, deadline),
                listing(service, region)
            );
            (ep, Some(listed))
        }
        None => (
            keystone::shared_get(k, &url, &s.token, deadline).await,
            None,
        ),
    };
    let Ok(ep) = ep else {
        return Vec::new();
    };
    if ep.status != 200 {
        return Vec::new(); // keystone-endpoint-not-found / keystone-role-missing say it
    }
    let service = ep.body["endpoint"]["service_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    // An endpoint of another service: keystone-endpoint-not-found says it (the token's catalog
    // names each endpoint's service type; without a catalog, the limits are read anyway).
    let of_type = keystone::catalog_endpoint(&s.body, endpoint_id)
        .map(|(svc, _)| svc["type"].as_str().unwrap_or(""));
    if of_type.is_some_and(|t| t != "image") {
        return Vec::new();
    }
    let region = region_of(&ep.body["endpoint"]);
    let region = region.as_str();
    // The listing asked for early holds only if the catalog agreed with the endpoint.
    let early =
        early.filter(|_| from_catalog.as_ref() == Some(&(service.clone(), region.to_string())));
    let r = match early {
        Some(r) => r,
        None => listing(&service, region).await,
    };
    let r = match r {
        Ok(r) => r,
        Err(_) => return Vec::new(), // Keystone stopped answering: the Keystone probe's findings
    };
    let create = |r: &str| {
        format!(
            "openstack registered limit create --service glance --default-limit <N> --region {} {r}",
            if region.is_empty() { "RegionOne" } else { region }
        )
    };
    match r.status {
        200 => {}
        401 | 403 => {
            return vec![LiveFinding::new(
                &rule::RegisteredLimitMissing::META,
                SECTION,
                "endpoint_id",
                format!(
                    "user '{user}' may not read the registered limits (HTTP {}), and oslo.limit reads them with this very token: every upload fails",
                    r.status
                ),
                format!("openstack role add --user {user} --user-domain Default --system all reader (and system_scope = all in [oslo_limit])"),
            )]
        }
        _ => return Vec::new(),
    }
    let (missing, zero) = lacking(&r.body);
    let mut out = Vec::new();
    let place = format!("the image service's endpoint '{endpoint_id}' (region '{region}')");
    if !missing.is_empty() {
        out.push(LiveFinding::new(
            &rule::RegisteredLimitMissing::META,
            SECTION,
            "endpoint_id",
            format!(
                "Keystone has no registered limit {} for {place}: with use_keystone_limits = true oslo.limit counts them as 0 and every image create or upload is refused (413, over limit of 0)",
                missing.join(", ")
            ),
            format!("{} (and the same for each one missing)", create(missing[0])),
        ));
    }
    if !zero.is_empty() {
        out.push(LiveFinding::new(
            &rule::RegisteredLimitMissing::META,
            SECTION,
            "endpoint_id",
            format!(
                "the registered limits {} for {place} are 0: every image create or upload is refused (413)",
                zero.join(", ")
            ),
            "openstack registered limit set --default-limit <N> <id> for each".to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_a_listing_lacks() {
        let l = json!({"registered_limits": [
            {"resource_name": "image_size_total", "default_limit": 1000},
            {"resource_name": "image_count_total", "default_limit": 0}
        ]});
        let (missing, zero) = lacking(&l);
        assert_eq!(missing, ["image_stage_total", "image_count_uploading"]);
        assert_eq!(zero, ["image_count_total"]);
        assert_eq!(lacking(&json!({})).0.len(), 4);
    }

    #[test]
    fn planned_only_with_keystone_limits() {
        let c = |t: &str| crate::effective_config(&[crate::source::SourceFile::from_text("t", t)]);
        let base = "[oslo_limit]\nauth_url = http://k:5000\nusername = glance\npassword = p\nendpoint_id = e\n";
        let cat = crate::schema::catalogue();
        assert!(target(&c(base), cat).is_none());
        let on = format!("[DEFAULT]\nuse_keystone_limits = true\n{base}");
        assert_eq!(target(&c(&on), cat).unwrap().endpoint_id, "e");
    }
}
