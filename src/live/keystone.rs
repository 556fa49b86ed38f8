//! Keystone probes for `[keystone_authtoken]` and `[oslo_limit]`: version discovery on
//! `www_authenticate_uri` and `auth_url`, a password login as the section's user with the
//! section's scope, the roles that user needs, and (with `endpoint_id`) GET /v3/endpoints/{id}.
//! Read-only: a token request and GETs. TLS per the section (cafile, certfile, keyfile,
//! insecure; verification on by default). No redirect is followed and no proxy is used, so the
//! password only ever goes to the auth_url host the file names.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use crate::live::net::{self, NetError};
use crate::rules::live as rule;
use std::collections::BTreeMap;

use crate::live::{boxed, LiveFinding, Probe, ProbeKind, Target};
use crate::model::views::keystone::{KeystoneAuth, KEYSTONE_SECTIONS};
use crate::model::views::parse_bool;
use crate::model::{EffectiveConfig, Entry};

/// The Keystone probe: `[keystone_authtoken]` and `[oslo_limit]`.
pub static PROBE: ProbeKind = ProbeKind {
    name: "keystone",
    rules: &[
        &rule::KeystoneUnreachable::META,
        &rule::KeystoneAuthFailed::META,
        &rule::KeystoneEndpointNotFound::META,
        &rule::KeystoneRoleMissing::META,
    ],
    plan: |config, env| boxed(sections(config, env.catalogue)),
};

/// One Keystone client section (`keystone_authtoken` or `oslo_limit`).
#[derive(Debug, Clone)]
pub struct KeystoneSection {
    /// "keystone_authtoken" | "oslo_limit"
    pub section: &'static str,
    /// option -> effective value
    pub values: BTreeMap<String, String>,
}

/// A Keystone section to probe and, for each value, the assignment it was read from.
pub struct SectionTarget<'a> {
    pub ks: KeystoneSection,
    origins: BTreeMap<String, &'a Entry>,
}

/// The Keystone sections the file has, each read through the auth view
/// (`auth_section` followed as keystoneauth does).
pub fn sections<'a>(
    config: &'a EffectiveConfig,
    catalogue: &'static crate::schema::Catalogue,
) -> Vec<SectionTarget<'a>> {
    KEYSTONE_SECTIONS
        .into_iter()
        .filter(|s| config.has_section(s))
        .map(|section| {
            let auth = KeystoneAuth::new(config, catalogue, section);
            let mut values = BTreeMap::new();
            let mut origins = BTreeMap::new();
            for (key, entry) in auth.options() {
                values.insert(key.to_string(), entry.value.clone());
                origins.insert(key.to_string(), entry);
            }
            SectionTarget {
                ks: KeystoneSection { section, values },
                origins,
            }
        })
        .collect()
}

impl Target for SectionTarget<'_> {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        probes(&self.ks, timeout)
    }

    fn secrets(&self) -> Vec<String> {
        self.ks
            .values
            .iter()
            .filter(|(k, _)| k.contains("password") || k.contains("secret"))
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn origin(&self, section: &str, option: &str) -> Option<&Entry> {
        (section == self.ks.section)
            .then(|| self.origins.get(option).copied())
            .flatten()
    }
}

/// Keystone answers with JSON; this is all the probe needs from a response.
#[derive(Clone)]
pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) token: Option<String>,
    pub(crate) body: Value,
}

/// One section's client and settings.
pub(crate) struct Ks {
    pub(crate) section: &'static str,
    pub(crate) client: reqwest::Client,
    pub(crate) timeout: Duration,
}

pub(crate) fn get<'a>(ks: &'a KeystoneSection, key: &str) -> Option<&'a str> {
    ks.values
        .get(key)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
}

/// The v3 API root for an auth_url: `http://h:5000` -> `http://h:5000/v3`, `.../v3/` -> `.../v3`.
pub fn v3_root(auth_url: &str) -> String {
    let base = auth_url.trim().trim_end_matches('/');
    if base.ends_with("/v3") {
        base.to_string()
    } else if let Some(b) = base.strip_suffix("/v2.0") {
        format!("{b}/v3")
    } else {
        format!("{base}/v3")
    }
}

/// host and port of a URL for messages (never its userinfo).
pub(crate) fn url_host_port(u: &str) -> (String, u16) {
    match url::Url::parse(u) {
        Ok(p) => (
            p.host_str()
                .unwrap_or("")
                .trim_matches(['[', ']'])
                .to_string(),
            p.port_or_known_default().unwrap_or(0),
        ),
        Err(_) => (u.to_string(), 0),
    }
}

pub(crate) fn build_client(
    ks: &KeystoneSection,
    timeout: Duration,
) -> Result<reqwest::Client, String> {
    let tls = net::tls_config(
        get(ks, "cafile"),
        get(ks, "certfile"),
        get(ks, "keyfile"),
        get(ks, "insecure").and_then(parse_bool) == Some(true),
    )?;
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .connect_timeout(timeout)
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent("glance-lint live probe")
        .build()
        .map_err(|e| e.without_url().to_string())
}

/// The probes of one section: discovery of www_authenticate_uri (when it differs from
/// auth_url), and the auth_url chain (discovery, login, roles, endpoint).
pub(crate) fn probes<'a>(ks: &'a KeystoneSection, timeout: Duration) -> Vec<Probe<'a>> {
    let section = ks.section;
    let auth_url = get(ks, "auth_url");
    let www = get(ks, "www_authenticate_uri")
        .map(|v| ("www_authenticate_uri", v))
        .or_else(|| get(ks, "auth_uri").map(|v| ("auth_uri", v)));
    if auth_url.is_none() && www.is_none() {
        return Vec::new();
    }
    let client = match build_client(ks, timeout) {
        Ok(c) => c,
        Err(e) => {
            let option = if e.contains("private key") {
                "keyfile"
            } else if e.contains("certificate file") || e.contains("client certificate") {
                "certfile"
            } else {
                "cafile"
            };
            let f = LiveFinding::new(
                &rule::KeystoneUnreachable::META,
                section,
                option,
                format!("cannot set up TLS for [{section}]: {e}"),
                "fix cafile, certfile and keyfile so they name readable PEM files",
            );
            return vec![Probe {
                fut: Box::pin(async move { vec![f] }),
                on_timeout: LiveFinding::new(
                    &rule::KeystoneUnreachable::META,
                    section,
                    option,
                    "",
                    "",
                ),
            }];
        }
    };
    let k = std::rc::Rc::new(Ks {
        section,
        client,
        timeout,
    });
    let mut out = Vec::new();
    if let Some((opt, www)) = www {
        let same = auth_url.is_some_and(|a| a.trim_end_matches('/') == www.trim_end_matches('/'));
        if !same {
            let k2 = k.clone();
            let (h, p) = url_host_port(www);
            out.push(Probe {
                fut: Box::pin(async move {
                    let deadline = Instant::now() + k2.timeout;
                    discovery(&k2, www, opt, deadline)
                        .await
                        .err()
                        .into_iter()
                        .collect()
                }),
                on_timeout: unreachable(section, opt, &h, p, &NetError::Timeout(timeout)),
            });
        }
    }
    if let Some(auth_url) = auth_url {
        let (h, p) = url_host_port(auth_url);
        out.push(Probe {
            fut: Box::pin(async move { auth_chain(&k, ks, auth_url).await }),
            on_timeout: unreachable(section, "auth_url", &h, p, &NetError::Timeout(timeout)),
        });
    }
    out
}

fn unreachable(
    section: &'static str,
    option: &'static str,
    host: &str,
    port: u16,
    e: &NetError,
) -> LiveFinding {
    let help = match e {
        NetError::Tls(_) => format!(
            "check https vs http in {option}, and [{section}] cafile (the CA that signed Keystone's certificate), certfile and keyfile"
        ),
        NetError::Dns(_) => format!("fix the host name in [{section}] {option}, or make it resolvable on this host"),
        _ => format!(
            "check [{section}] {option}: Keystone must answer there (for the install guide: http://controller:5000)"
        ),
    };
    LiveFinding::new(
        &rule::KeystoneUnreachable::META,
        section,
        option,
        e.describe("Keystone", host, port),
        help,
    )
}

pub(crate) fn classify(e: &reqwest::Error, timeout: Duration) -> NetError {
    if e.is_timeout() {
        return NetError::Timeout(timeout);
    }
    if let Some(t) = net::find_tls_error(e) {
        return NetError::Tls(t);
    }
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    let mut texts = Vec::new();
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            let c = net::classify_io(io, timeout);
            if !matches!(c, NetError::Other(_)) {
                return c;
            }
        }
        if let Some(t) = s.downcast_ref::<tokio_rustls::rustls::Error>() {
            return NetError::Tls(t.to_string());
        }
        texts.push(s.to_string());
        src = s.source();
    }
    let joined = texts.join(": ");
    if net::looks_like_dns(&joined) {
        NetError::Dns(texts.last().cloned().unwrap_or_default())
    } else if joined.contains("certificate") || joined.to_ascii_lowercase().contains("tls") {
        NetError::Tls(joined)
    } else if e.is_connect() {
        NetError::Other(format!("connection failed: {joined}"))
    } else {
        NetError::Protocol(if joined.is_empty() {
            "bad HTTP answer".into()
        } else {
            joined
        })
    }
}

pub(crate) async fn send(
    k: &Ks,
    rb: reqwest::RequestBuilder,
    deadline: Instant,
) -> Result<Resp, NetError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(NetError::Timeout(k.timeout));
    }
    let r = rb
        .timeout(left)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| classify(&e, k.timeout))?;
    let status = r.status().as_u16();
    let token = r
        .headers()
        .get("x-subject-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = r.bytes().await.map_err(|e| classify(&e, k.timeout))?;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Resp {
        status,
        token,
        body,
    })
}

/// GET the URL and expect a Keystone version document (200 or 300 with "version(s)").
async fn discovery(
    k: &Ks,
    url: &str,
    option: &'static str,
    deadline: Instant,
) -> Result<(), LiveFinding> {
    let (h, p) = url_host_port(url);
    let r = send(k, k.client.get(url), deadline)
        .await
        .map_err(|e| unreachable(k.section, option, &h, p, &e))?;
    let is_doc = r.body.get("version").is_some() || r.body.get("versions").is_some();
    if matches!(r.status, 200 | 300) && is_doc {
        return Ok(());
    }
    Err(LiveFinding::new(
        &rule::KeystoneUnreachable::META,
        k.section,
        option,
        format!(
            "{} at {} answered HTTP {} to version discovery, not a Keystone version document",
            url_path_only(url),
            net::host_port(&h, p),
            r.status
        ),
        format!(
            "point [{}] {option} at Keystone's public endpoint (e.g. http://controller:5000)",
            k.section
        ),
    ))
}

/// scheme://host:port/path of a URL, without userinfo or query.
pub(crate) fn url_path_only(u: &str) -> String {
    match url::Url::parse(u) {
        Ok(mut p) => {
            let _ = p.set_username("");
            let _ = p.set_password(None);
            p.set_query(None);
            p.to_string()
        }
        Err(_) => "the URL".to_string(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scope {
    System,
    Project,
    Domain,
    Unscoped,
}

fn user_json(ks: &KeystoneSection, password: &str) -> Value {
    if let Some(id) = get(ks, "user_id") {
        return json!({"id": id, "password": password});
    }
    let domain = if let Some(id) = get(ks, "user_domain_id") {
        json!({"id": id})
    } else if let Some(n) = get(ks, "user_domain_name") {
        json!({"name": n})
    } else {
        json!({"id": "default"})
    };
    json!({"name": get(ks, "username").unwrap_or(""), "domain": domain, "password": password})
}

pub(crate) fn configured_scope(ks: &KeystoneSection) -> Scope {
    if get(ks, "system_scope").is_some() {
        Scope::System
    } else if get(ks, "project_id").is_some() || get(ks, "project_name").is_some() {
        Scope::Project
    } else if get(ks, "domain_id").is_some() || get(ks, "domain_name").is_some() {
        Scope::Domain
    } else {
        Scope::Unscoped
    }
}

fn scope_json(ks: &KeystoneSection, s: Scope) -> Option<Value> {
    match s {
        Scope::System => Some(json!({"system": {"all": true}})),
        Scope::Project => {
            if let Some(id) = get(ks, "project_id") {
                return Some(json!({"project": {"id": id}}));
            }
            let domain = if let Some(id) = get(ks, "project_domain_id") {
                json!({"id": id})
            } else if let Some(n) = get(ks, "project_domain_name") {
                json!({"name": n})
            } else {
                json!({"id": "default"})
            };
            Some(
                json!({"project": {"name": get(ks, "project_name").unwrap_or(""), "domain": domain}}),
            )
        }
        Scope::Domain => Some(match get(ks, "domain_id") {
            Some(id) => json!({"domain": {"id": id}}),
            None => json!({"domain": {"name": get(ks, "domain_name").unwrap_or("")}}),
        }),
        Scope::Unscoped => None,
    }
}

async fn login(
    k: &Ks,
    v3: &str,
    ks: &KeystoneSection,
    scope: Scope,
    deadline: Instant,
) -> Result<Resp, NetError> {
    let password = get(ks, "password").unwrap_or("");
    let mut auth = json!({"identity": {"methods": ["password"], "password": {"user": user_json(ks, password)}}});
    if let Some(s) = scope_json(ks, scope) {
        auth["scope"] = s;
    }
    let body = json!({ "auth": auth });
    send(
        k,
        k.client.post(format!("{v3}/auth/tokens")).json(&body),
        deadline,
    )
    .await
}

/// One login of a run, made once and awaited by every probe that needs it.
type SharedLogin = std::rc::Rc<tokio::sync::OnceCell<Result<Resp, NetError>>>;

thread_local! {
    /// The logins of the current run (one per user, scope and TLS settings), shared by every
    /// probe that needs the same token: Keystone sees each login once, so the probes that read
    /// with a token (catalog, registered limits) cost no extra bcrypt round. Cleared by
    /// [`forget_logins`] when a run starts; the runtime is single-threaded, so one map per thread.
    static LOGINS: std::cell::RefCell<BTreeMap<String, SharedLogin>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// Forget the logins and GETs of an earlier run (their tokens are not reused across runs).
pub(crate) fn forget_logins() {
    LOGINS.with(|l| l.borrow_mut().clear());
    GETS.with(|g| g.borrow_mut().clear());
}

/// [`login`], once per run for the same section values and scope.
async fn shared_login(
    k: &Ks,
    v3: &str,
    ks: &KeystoneSection,
    scope: Scope,
    deadline: Instant,
) -> Result<Resp, NetError> {
    let tls = ["cafile", "certfile", "keyfile", "insecure"].map(|o| get(ks, o).unwrap_or(""));
    let key = format!(
        "{v3}\0{scope:?}\0{}\0{}",
        serde_json::to_string(&(
            user_json(ks, get(ks, "password").unwrap_or("")),
            scope_json(ks, scope)
        ))
        .unwrap_or_default(),
        tls.join("\0")
    );
    let cell = LOGINS.with(|l| l.borrow_mut().entry(key).or_default().clone());
    cell.get_or_init(|| login(k, v3, ks, scope, deadline))
        .await
        .clone()
}

thread_local! {
    /// GETs of the current run with a shared token (the `[oslo_limit]` endpoint, read by the
    /// Keystone probe and the registered-limits probe alike): Keystone answers each once.
    static GETS: std::cell::RefCell<BTreeMap<String, SharedLogin>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// `GET url` with `token`, once per run.
pub(crate) async fn shared_get(
    k: &Ks,
    url: &str,
    token: &str,
    deadline: Instant,
) -> Result<Resp, NetError> {
    let key = format!("{url}\0{token}");
    let cell = GETS.with(|g| g.borrow_mut().entry(key).or_default().clone());
    cell.get_or_init(|| send(k, k.client.get(url).header("X-Auth-Token", token), deadline))
        .await
        .clone()
}

/// A token of the section's user with the section's scope, for the probes that read with it.
pub(crate) struct Session {
    pub(crate) k: Ks,
    /// The v3 API root of auth_url.
    pub(crate) v3: String,
    pub(crate) token: String,
    /// The token's body (`token.catalog`, `token.roles`).
    pub(crate) body: Value,
}

/// Log in as the section's user (shared with the Keystone probe's own login); `None` when the
/// login fails or cannot be made: the Keystone probe reports that.
pub(crate) async fn session(
    ks: &KeystoneSection,
    timeout: Duration,
    deadline: Instant,
) -> Option<Session> {
    let auth_url = get(ks, "auth_url")?;
    let auth_type = get(ks, "auth_type").unwrap_or("password");
    if !matches!(auth_type, "password" | "v3password") || get(ks, "password").is_none() {
        return None;
    }
    let k = Ks {
        section: ks.section,
        client: build_client(ks, timeout).ok()?,
        timeout,
    };
    let v3 = v3_root(auth_url);
    let r = shared_login(&k, &v3, ks, configured_scope(ks), deadline)
        .await
        .ok()?;
    let token = r.token.filter(|_| matches!(r.status, 200 | 201))?;
    Some(Session {
        k,
        v3,
        token,
        body: r.body,
    })
}

fn roles_of(r: &Resp) -> Vec<String> {
    r.body["token"]["roles"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn who(ks: &KeystoneSection) -> String {
    get(ks, "username")
        .or(get(ks, "user_id"))
        .unwrap_or("?")
        .to_string()
}

fn scope_words(ks: &KeystoneSection, s: Scope) -> String {
    match s {
        Scope::System => "the system (system_scope = all)".into(),
        Scope::Project => format!(
            "project '{}'",
            get(ks, "project_name")
                .or(get(ks, "project_id"))
                .unwrap_or("?")
        ),
        Scope::Domain => format!(
            "domain '{}'",
            get(ks, "domain_name")
                .or(get(ks, "domain_id"))
                .unwrap_or("?")
        ),
        Scope::Unscoped => "no scope".into(),
    }
}

/// Discovery of auth_url, login, role checks, endpoint check.
async fn auth_chain(k: &Ks, ks: &KeystoneSection, auth_url: &str) -> Vec<LiveFinding> {
    let deadline = Instant::now() + k.timeout;
    let section = k.section;
    if let Err(f) = discovery(k, auth_url, "auth_url", deadline).await {
        return vec![f];
    }
    let auth_type = get(ks, "auth_type").unwrap_or("password");
    if !matches!(auth_type, "password" | "v3password") || get(ks, "password").is_none() {
        return Vec::new(); // nothing we can log in with; static checks cover missing options
    }
    let (h, p) = url_host_port(auth_url);
    let v3 = v3_root(auth_url);
    let user = who(ks);
    let scope = configured_scope(ks);
    let r = match shared_login(k, &v3, ks, scope, deadline).await {
        Ok(r) => r,
        Err(e) => return vec![unreachable(section, "auth_url", &h, p, &e)],
    };
    let token = match r.status {
        201 | 200 => r.token.clone(),
        401 if scope != Scope::Unscoped => {
            // Same 401 for a wrong password and for a missing role on the scope: retry without
            // the configured scope (project for a system scope when one is set, else unscoped).
            let retry = if scope == Scope::System
                && get(ks, "project_name").or(get(ks, "project_id")).is_some()
            {
                Scope::Project
            } else {
                Scope::Unscoped
            };
            match login(k, &v3, ks, retry, deadline).await {
                Ok(r2) if matches!(r2.status, 200 | 201) => {
                    let (option, help) = match scope {
                        Scope::System => (
                            "system_scope",
                            format!(
                                "give the user a role on the system: openstack role add --user {user} --user-domain Default --system all reader (oslo.limit reads limits system-wide)"
                            ),
                        ),
                        _ => (
                            "username",
                            format!(
                                "give the user a role there: openstack role add --project {} --user {user} admin",
                                get(ks, "project_name").or(get(ks, "project_id")).unwrap_or("service")
                            ),
                        ),
                    };
                    return vec![LiveFinding::new(
                        &rule::KeystoneRoleMissing::META,
                        section,
                        option,
                        format!(
                            "Keystone accepts the password of user '{user}' but refuses a token scoped to {}: the user has no role there",
                            scope_words(ks, scope)
                        ),
                        help,
                    )];
                }
                Ok(_) => return vec![auth_failed(section, &user, &h, p)],
                Err(e) => return vec![unreachable(section, "auth_url", &h, p, &e)],
            }
        }
        401 => return vec![auth_failed(section, &user, &h, p)],
        s if s >= 500 => {
            return vec![LiveFinding::new(
                &rule::KeystoneUnreachable::META,
                section,
                "auth_url",
                format!(
                    "Keystone at {} failed the token request with HTTP {s} (a server-side error: see Keystone's log)",
                    net::host_port(&h, p)
                ),
                "fix Keystone itself (its database, fernet keys, log), then run the check again",
            )]
        }
        s => {
            let msg = r.body["error"]["message"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>();
            return vec![LiveFinding::new(
                &rule::KeystoneAuthFailed::META,
                section,
                "username",
                format!("Keystone at {} refused the login of user '{user}' with HTTP {s}: {msg}", net::host_port(&h, p)),
                format!("check username, the user and project domain options and the scope options in [{section}]"),
            )];
        }
    };
    let mut out = Vec::new();
    let roles = roles_of(&r);
    if section == "keystone_authtoken"
        && scope == Scope::Project
        && !roles.iter().any(|x| x == "admin" || x == "service")
    {
        out.push(LiveFinding::new(
            &rule::KeystoneRoleMissing::META,
            section,
            "username",
            format!(
                "user '{user}' has roles [{}] on {} but keystonemiddleware needs 'admin' or 'service' there to validate users' tokens",
                roles.join(", "),
                scope_words(ks, scope)
            ),
            format!(
                "openstack role add --project {} --user {user} admin (as the install guide does)",
                get(ks, "project_name").or(get(ks, "project_id")).unwrap_or("service")
            ),
        ));
    }
    if scope == Scope::System
        && !roles
            .iter()
            .any(|x| matches!(x.as_str(), "reader" | "member" | "admin"))
    {
        out.push(LiveFinding::new(
            &rule::KeystoneRoleMissing::META,
            section,
            "system_scope",
            format!(
                "user '{user}' has roles [{}] on the system; oslo.limit needs at least 'reader'",
                roles.join(", ")
            ),
            format!("openstack role add --user {user} --user-domain Default --system all reader"),
        ));
    }
    if let (Some(endpoint_id), Some(token)) = (get(ks, "endpoint_id"), token) {
        out.extend(check_endpoint(k, ks, &v3, &token, &r.body, endpoint_id, &h, p, deadline).await);
    }
    out
}

fn auth_failed(section: &'static str, user: &str, host: &str, port: u16) -> LiveFinding {
    LiveFinding::new(
        &rule::KeystoneAuthFailed::META,
        section,
        "password",
        format!(
            "Keystone at {} refused the password of user '{user}' (HTTP 401): wrong password, unknown user or wrong user domain",
            net::host_port(host, port)
        ),
        format!(
            "set [{section}] password to the one given to `openstack user create ... {user}` (and check username and user_domain_name)"
        ),
    )
}

#[allow(clippy::too_many_arguments)]
async fn check_endpoint(
    k: &Ks,
    ks: &KeystoneSection,
    v3: &str,
    token: &str,
    token_body: &Value,
    endpoint_id: &str,
    host: &str,
    port: u16,
    deadline: Instant,
) -> Vec<LiveFinding> {
    let section = k.section;
    let user = who(ks);
    let url = format!("{v3}/endpoints/{}", pct(endpoint_id));
    let r = match shared_get(k, &url, token, deadline).await {
        Ok(r) => r,
        Err(e) => return vec![unreachable(section, "auth_url", host, port, &e)],
    };
    match r.status {
        200 => {}
        404 => {
            return vec![LiveFinding::new(
                &rule::KeystoneEndpointNotFound::META,
                section,
                "endpoint_id",
                format!("Keystone has no endpoint with id '{endpoint_id}'"),
                "set endpoint_id to the id of Glance's endpoint: openstack endpoint list --service image --interface public -f value -c ID",
            )]
        }
        403 => {
            return vec![LiveFinding::new(
                &rule::KeystoneRoleMissing::META,
                section,
                "username",
                format!("user '{user}' may not read endpoint '{endpoint_id}' (HTTP 403), which oslo.limit does at start-up"),
                format!("openstack role add --user {user} --user-domain Default --system all reader"),
            )]
        }
        _ => return Vec::new(),
    }
    let ep = &r.body["endpoint"];
    let mut out = Vec::new();
    if let Some(service_id) = ep["service_id"].as_str() {
        // The token's catalog names the service of every endpoint it lists: no request
        // (each GET costs Keystone a token validation). Else ask for the service.
        let service = match catalog_service(token_body, |svc| svc["id"] == service_id) {
            Some(svc) => Some(svc.clone()),
            None => {
                let rq = k
                    .client
                    .get(format!("{v3}/services/{}", pct(service_id)))
                    .header("X-Auth-Token", token);
                match send(k, rq, deadline).await {
                    Ok(s) if s.status == 200 => Some(s.body["service"].clone()),
                    _ => None,
                }
            }
        };
        if let Some(svc) = service {
            let ty = svc["type"].as_str().unwrap_or("");
            if ty != "image" {
                out.push(LiveFinding::new(
                    &rule::KeystoneEndpointNotFound::META,
                    section,
                    "endpoint_id",
                    format!(
                        "endpoint '{endpoint_id}' belongs to service '{}' of type '{ty}', not to an image service",
                        svc["name"].as_str().unwrap_or("?")
                    ),
                    "set endpoint_id to the id of Glance's endpoint: openstack endpoint list --service image --interface public -f value -c ID",
                ));
            }
        }
    }
    if let Some(want) = get(ks, "region_name") {
        let have = ep["region_id"]
            .as_str()
            .or(ep["region"].as_str())
            .unwrap_or("");
        if have != want {
            out.push(LiveFinding::new(
                &rule::KeystoneEndpointNotFound::META,
                section,
                "region_name",
                format!("endpoint '{endpoint_id}' is in region '{have}', not in region_name '{want}'"),
                format!("set region_name = {have}, or endpoint_id to the image endpoint of region '{want}'"),
            ));
        }
    }
    out
}

/// The first service of a token's catalog (`token.catalog`, absent from a `nocatalog`
/// token) that `pick` accepts.
pub(crate) fn catalog_service(token_body: &Value, pick: impl Fn(&Value) -> bool) -> Option<&Value> {
    token_body["token"]["catalog"]
        .as_array()?
        .iter()
        .find(|svc| pick(svc))
}

/// The service of a token's catalog that lists the endpoint `endpoint_id`, and that endpoint.
pub(crate) fn catalog_endpoint<'b>(
    token_body: &'b Value,
    endpoint_id: &str,
) -> Option<(&'b Value, &'b Value)> {
    token_body["token"]["catalog"]
        .as_array()?
        .iter()
        .find_map(|svc| {
            let ep = svc["endpoints"]
                .as_array()?
                .iter()
                .find(|e| e["id"] == endpoint_id)?;
            Some((svc, ep))
        })
}

/// Percent-encode a path segment.
pub(crate) fn pct(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_roots() {
        assert_eq!(
            v3_root("http://controller:5000"),
            "http://controller:5000/v3"
        );
        assert_eq!(
            v3_root("http://controller:5000/"),
            "http://controller:5000/v3"
        );
        assert_eq!(
            v3_root("http://controller:5000/v3/"),
            "http://controller:5000/v3"
        );
        assert_eq!(v3_root("https://k/identity/v2.0"), "https://k/identity/v3");
    }

    #[test]
    fn host_port_never_shows_userinfo() {
        assert_eq!(
            url_host_port("http://u:secret@k:5000/v3"),
            ("k".to_string(), 5000)
        );
        assert_eq!(url_host_port("https://k/v3"), ("k".to_string(), 443));
        assert!(!url_path_only("http://u:secret@k:5000/v3?x=secret").contains("secret"));
    }

    #[test]
    fn unreadable_cafile_is_reported_not_ignored() {
        let ks = KeystoneSection {
            section: "keystone_authtoken",
            values: [
                ("auth_url".to_string(), "https://127.0.0.1:1".to_string()),
                ("cafile".to_string(), "/nonexistent/ca.pem".to_string()),
            ]
            .into(),
        };
        let t = SectionTarget {
            ks,
            origins: BTreeMap::new(),
        };
        let f = crate::live::run_probes(&[&t], Duration::from_secs(1));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].rule.name, f[0].option),
            ("keystone-unreachable", "cafile")
        );
        assert!(
            f[0].message.contains("/nonexistent/ca.pem"),
            "{}",
            f[0].message
        );
    }

    /// The endpoint's service (type, id) and region come from the token's catalog, so the
    /// probes ask Keystone neither for the service nor, first, for the endpoint.
    #[test]
    fn endpoints_are_found_in_the_tokens_catalog() {
        let body = serde_json::json!({"token": {"catalog": [
            {"id": "s1", "type": "identity", "name": "keystone",
             "endpoints": [{"id": "e1", "interface": "public", "region_id": "RegionOne"}]},
            {"id": "s2", "type": "image", "name": "glance",
             "endpoints": [{"id": "e2", "interface": "public", "region_id": "RegionTwo"}]}
        ]}});
        let (svc, ep) = catalog_endpoint(&body, "e2").unwrap();
        assert_eq!(
            (svc["id"].as_str(), svc["type"].as_str()),
            (Some("s2"), Some("image"))
        );
        assert_eq!(ep["region_id"], "RegionTwo");
        assert!(catalog_endpoint(&body, "e3").is_none());
        assert_eq!(
            catalog_service(&body, |s| s["id"] == "s1").unwrap()["type"],
            "identity"
        );
        // A token without a catalog (`nocatalog`): the probes ask Keystone instead.
        let bare = serde_json::json!({"token": {}});
        assert!(catalog_endpoint(&bare, "e2").is_none());
        assert!(catalog_service(&bare, |_| true).is_none());
    }

    #[test]
    fn scopes() {
        let mut ks = KeystoneSection {
            section: "oslo_limit",
            values: Default::default(),
        };
        assert_eq!(configured_scope(&ks), Scope::Unscoped);
        ks.values.insert("project_name".into(), "service".into());
        assert_eq!(configured_scope(&ks), Scope::Project);
        assert_eq!(
            scope_json(&ks, Scope::Project).unwrap(),
            json!({"project": {"name": "service", "domain": {"id": "default"}}})
        );
        ks.values.insert("system_scope".into(), "all".into());
        assert_eq!(configured_scope(&ks), Scope::System);
    }
}
