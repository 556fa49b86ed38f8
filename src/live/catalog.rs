//! The image service in Keystone's catalog: the `[keystone_authtoken]` user's token (the login
//! the Keystone probe makes, shared) carries the catalog; the `image` service must have a public,
//! an internal and an admin endpoint in the region, and each endpoint URL must answer a plain
//! `GET` with Glance's version document. Read-only: the login and GETs without a token.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::live::keystone::{self, KeystoneSection};
use crate::live::net;
use crate::live::{boxed, join_all, LiveFinding, Probe, ProbeKind, Target};
use crate::model::EffectiveConfig;
use crate::rules::live as rule;

/// The catalog probe.
pub static PROBE: ProbeKind = ProbeKind {
    name: "catalog",
    rules: &[
        &rule::ImageEndpointMissing::META,
        &rule::ImageEndpointUnreachable::META,
    ],
    plan: |config, env| boxed(target(config, env.catalogue)),
};

/// The interfaces the install guide creates, in its order.
pub const INTERFACES: [&str; 3] = ["public", "internal", "admin"];

/// The region the catalog is read in, and where it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    /// `("oslo_limit" | "keystone_authtoken", "region_name")`, or `None` for the default.
    pub from: Option<&'static str>,
}

/// The region Glance's endpoints are looked up in: `[oslo_limit] region_name` (when
/// `use_keystone_limits` is on: Glance reads that section only then), else
/// `[keystone_authtoken] region_name`, else `RegionOne` (the install guide's region).
pub fn region(config: &EffectiveConfig, limits_on: bool) -> Region {
    let sections: &[&'static str] = if limits_on {
        &["oslo_limit", "keystone_authtoken"]
    } else {
        &["keystone_authtoken"]
    };
    for &section in sections {
        if let Some(e) = config.get(section, "region_name") {
            let v = e.value.trim();
            if !v.is_empty() {
                return Region {
                    name: v.to_string(),
                    from: Some(section),
                };
            }
        }
    }
    Region {
        name: "RegionOne".into(),
        from: None,
    }
}

/// The `[keystone_authtoken]` login and the region.
pub struct CatalogTarget {
    ks: KeystoneSection,
    region: Region,
    /// `[oslo_limit] endpoint_id` is set (the Keystone probe then checks its region).
    endpoint_id_set: bool,
}

/// Planned when `[keystone_authtoken]` has an auth_url and a password to log in with.
pub fn target(
    config: &EffectiveConfig,
    catalogue: &'static crate::schema::Catalogue,
) -> Option<CatalogTarget> {
    let section = keystone::sections(config, catalogue)
        .into_iter()
        .find(|s| s.ks.section == "keystone_authtoken")?;
    let ks = section.ks;
    keystone::get(&ks, "auth_url")?;
    keystone::get(&ks, "password")?;
    let endpoint_id_set = config
        .get("oslo_limit", "endpoint_id")
        .is_some_and(|e| !e.value.trim().is_empty());
    Some(CatalogTarget {
        ks,
        region: region(
            config,
            crate::model::views::keystone_limits_on(config, catalogue),
        ),
        endpoint_id_set,
    })
}

impl Target for CatalogTarget {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        let (section, option) = self.anchor();
        vec![Probe {
            fut: Box::pin(probe(&self.ks, &self.region, self.endpoint_id_set, timeout)),
            on_timeout: LiveFinding::new(
                &rule::ImageEndpointUnreachable::META,
                section,
                option,
                format!(
                    "the image endpoints of region '{}' could not be read and tried within {}",
                    self.region.name,
                    net::secs(timeout)
                ),
                "check that Keystone and glance-api answer, or raise --timeout",
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

impl CatalogTarget {
    /// Where the findings anchor: the region_name that chose the region, else the section.
    fn anchor(&self) -> (&'static str, &'static str) {
        match self.region.from {
            Some(section) => (section, "region_name"),
            None => ("keystone_authtoken", ""),
        }
    }
}

/// One image endpoint of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub interface: String,
    pub region: String,
    pub url: String,
}

/// The image services' endpoints of a token's catalog (`token.catalog`); `None` when the
/// catalog has no service of type `image`.
pub fn image_endpoints(token_body: &Value) -> Option<Vec<Endpoint>> {
    let services = token_body["token"]["catalog"].as_array()?;
    let images: Vec<&Value> = services
        .iter()
        .filter(|s| s["type"].as_str() == Some("image"))
        .collect();
    if images.is_empty() {
        return None;
    }
    Some(
        images
            .iter()
            .flat_map(|s| s["endpoints"].as_array().into_iter().flatten())
            .map(|e| Endpoint {
                interface: e["interface"].as_str().unwrap_or("").to_string(),
                region: e["region_id"]
                    .as_str()
                    .or(e["region"].as_str())
                    .unwrap_or("")
                    .to_string(),
                url: e["url"].as_str().unwrap_or("").to_string(),
            })
            .collect(),
    )
}

/// Whether a body is Glance's version document: `{"versions": [{"id": "v2.x", ...}, ...]}`.
pub fn is_glance_versions(body: &Value) -> bool {
    body["versions"].as_array().is_some_and(|vs| {
        vs.iter()
            .any(|v| v["id"].as_str().is_some_and(|id| id.starts_with("v2")))
    })
}

async fn probe(
    ks: &KeystoneSection,
    region: &Region,
    endpoint_id_set: bool,
    timeout: Duration,
) -> Vec<LiveFinding> {
    let deadline = Instant::now() + timeout;
    let (section, option) = match region.from {
        Some(s) => (s, "region_name"),
        None => ("keystone_authtoken", ""),
    };
    let Some(session) = keystone::session(ks, timeout, deadline).await else {
        return Vec::new(); // the Keystone probe says why the login failed
    };
    let name = &region.name;
    let Some(all) = image_endpoints(&session.body) else {
        if session.body["token"]["catalog"].is_array() {
            return vec![LiveFinding::new(
                &rule::ImageEndpointMissing::META,
                section,
                option,
                "Keystone's catalog has no service of type 'image': no client can find Glance",
                format!(
                    "openstack service create --name glance --description \"OpenStack Image\" image, then its endpoints: openstack endpoint create --region {name} image public http://controller:9292 (and internal, admin)"
                ),
            )];
        }
        return Vec::new(); // a token without a catalog (nocatalog): nothing to read
    };
    let here: Vec<&Endpoint> = all.iter().filter(|e| &e.region == name).collect();
    if here.is_empty() && region.from == Some("oslo_limit") && endpoint_id_set {
        // No image endpoint at all in [oslo_limit] region_name: the region name is what is
        // wrong, and keystone-endpoint-not-found says so at region_name (endpoint_id's region).
        return Vec::new();
    }
    let mut out = Vec::new();
    let missing: Vec<&str> = INTERFACES
        .into_iter()
        .filter(|i| !here.iter().any(|e| e.interface == *i))
        .collect();
    if !missing.is_empty() {
        let mut elsewhere: Vec<&str> = all.iter().map(|e| e.region.as_str()).collect();
        elsewhere.sort();
        elsewhere.dedup();
        out.push(LiveFinding::new(
            &rule::ImageEndpointMissing::META,
            section,
            option,
            format!(
                "the image service has no {} endpoint in region '{name}' (image endpoints exist in: {})",
                missing.join(", "),
                if elsewhere.is_empty() { "no region".to_string() } else { elsewhere.join(", ") }
            ),
            format!(
                "openstack endpoint create --region {name} image {} http://controller:9292{}",
                missing[0],
                if missing.len() > 1 { " (and the same for the others)" } else { "" }
            ),
        ));
    }
    // Each distinct URL once, all at the same time.
    let mut urls: Vec<(&str, Vec<&str>)> = Vec::new();
    for e in &here {
        match urls.iter_mut().find(|(u, _)| *u == e.url) {
            Some((_, ifaces)) => ifaces.push(&e.interface),
            None => urls.push((&e.url, vec![&e.interface])),
        }
    }
    let checks = urls
        .iter()
        .map(|(url, ifaces)| check_url(&session.k, url, ifaces, name, deadline));
    out.extend(
        join_all(checks.collect())
            .await
            .into_iter()
            .flatten()
            .map(|(message, help)| {
                LiveFinding::new(
                    &rule::ImageEndpointUnreachable::META,
                    section,
                    option,
                    message,
                    help,
                )
            }),
    );
    out
}

/// GET the endpoint URL; `Some((message, help))` when it is not Glance answering there.
async fn check_url(
    k: &keystone::Ks,
    url: &str,
    ifaces: &[&str],
    region: &str,
    deadline: Instant,
) -> Option<(String, String)> {
    let shown = keystone::url_path_only(url);
    let which = format!(
        "the {} image endpoint {shown} of region '{region}'",
        ifaces.join("/")
    );
    let help = format!(
        "point the endpoint at glance-api (the install guide's http://controller:9292): openstack endpoint set --url http://controller:9292 <id of the {} image endpoint>",
        ifaces[0]
    );
    if url::Url::parse(url).is_err() {
        return Some((format!("{which} is not a URL"), help));
    }
    let (h, p) = keystone::url_host_port(url);
    let r = keystone::send(k, k.client.get(url), deadline).await;
    match r {
        Err(e) => Some((format!("{which}: {}", e.describe("Glance", &h, p)), help)),
        Ok(r) if matches!(r.status, 200 | 300) && is_glance_versions(&r.body) => None,
        Ok(r) => Some((
            format!(
                "{which} answered HTTP {} to GET, not with Glance's version document (is something else listening on {}?)",
                r.status,
                net::host_port(&h, p)
            ),
            help,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn image_endpoints_of_a_catalog() {
        let body = json!({"token": {"catalog": [
            {"type": "identity", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "http://k:5000/v3/"}]},
            {"type": "image", "endpoints": [
                {"interface": "public", "region_id": "RegionOne", "url": "http://c:9292"},
                {"interface": "admin", "region": "RegionTwo", "url": "http://c2:9292"}
            ]}
        ]}});
        let eps = image_endpoints(&body).unwrap();
        assert_eq!(eps.len(), 2);
        assert_eq!(eps[1].region, "RegionTwo");
        assert_eq!(eps[0].url, "http://c:9292");
        assert!(image_endpoints(&json!({"token": {"catalog": []}})).is_none());
    }

    #[test]
    fn glance_version_document() {
        assert!(is_glance_versions(
            &json!({"versions": [{"id": "v2.15", "status": "CURRENT"}]})
        ));
        // Keystone's own document is not Glance's
        assert!(!is_glance_versions(
            &json!({"versions": {"values": [{"id": "v3.14"}]}})
        ));
        assert!(!is_glance_versions(&json!({"version": {"id": "v3.14"}})));
    }

    /// A one-shot HTTP server answering every request with `body`.
    async fn serve(body: &'static str) -> u16 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = l.accept().await {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf).await;
                let resp = format!(
                    "HTTP/1.1 300 Multiple Choices\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(resp.as_bytes()).await;
            }
        });
        port
    }

    #[tokio::test(flavor = "current_thread")]
    async fn an_endpoint_must_answer_as_glance() {
        let ks = KeystoneSection {
            section: "keystone_authtoken",
            values: Default::default(),
        };
        let k = keystone::Ks {
            section: "keystone_authtoken",
            client: keystone::build_client(&ks, Duration::from_secs(2)).unwrap(),
            timeout: Duration::from_secs(2),
        };
        let deadline = Instant::now() + Duration::from_secs(2);
        let glance = serve(r#"{"versions": [{"id": "v2.15", "status": "CURRENT"}]}"#).await;
        let url = format!("http://127.0.0.1:{glance}");
        assert_eq!(check_url(&k, &url, &["public"], "R", deadline).await, None);
        let other = serve(r#"{"versions": {"values": [{"id": "v3.14"}]}}"#).await;
        let url = format!("http://127.0.0.1:{other}");
        let (m, _) = check_url(&k, &url, &["public", "internal"], "R", deadline)
            .await
            .unwrap();
        assert!(m.contains("not with Glance's version document"), "{m}");
        assert!(m.contains("public/internal"), "{m}");
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{closed}");
        let (m, _) = check_url(&k, &url, &["admin"], "R", deadline)
            .await
            .unwrap();
        assert!(m.contains("refused"), "{m}");
    }

    #[test]
    fn region_order() {
        let c = |t: &str| crate::effective_config(&[crate::source::SourceFile::from_text("t", t)]);
        assert_eq!(region(&c("[DEFAULT]\n"), true).name, "RegionOne");
        let both = c("[keystone_authtoken]\nregion_name = B\n[oslo_limit]\nregion_name = A\n");
        let r = region(&both, true);
        assert_eq!((r.name.as_str(), r.from), ("A", Some("oslo_limit")));
        // without use_keystone_limits Glance never reads [oslo_limit]
        assert_eq!(region(&both, false).name, "B");
        let r = region(&c("[keystone_authtoken]\nregion_name = B\n"), true);
        assert_eq!(r.from, Some("keystone_authtoken"));
    }
}
