//! Removed options the catalogue's release masks cannot date, with the
//! release that dropped them, what replaces them and a citation: options gone
//! before the oldest release the catalogue knows, and options registered only
//! at run time (absent from every option dump). Rows for options that some
//! release of the catalogue has are advice only (what replaces them): the
//! catalogue says when they went. Tests in `mod.rs` hold both to that.

/// When a listed option went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovedIn {
    /// Before the oldest release of the catalogue: the OpenStack release.
    Before(&'static str),
    /// Registered only at run time; gone from this series (`2026.2`) on.
    Series(&'static str),
    /// The catalogue's release masks say when; the row is advice only.
    Catalogue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedOption {
    pub group: &'static str,
    pub name: &'static str,
    pub removed_in: RemovedIn,
    pub replacement: Option<&'static str>,
    pub note: &'static str,
    pub source: &'static str,
}

const fn rm(
    group: &'static str,
    name: &'static str,
    removed_in: RemovedIn,
    replacement: Option<&'static str>,
    note: &'static str,
    source: &'static str,
) -> RemovedOption {
    RemovedOption {
        group,
        name,
        removed_in,
        replacement,
        note,
        source,
    }
}

/// keystonemiddleware's legacy admin-endpoint login (`AuthTokenPlugin`, the
/// options it read, deprecated since Mitaka): in keystonemiddleware 12.0.0
/// (glance 32.0.0's upper-constraints) `auth_token/_auth.py` still has it, in
/// 13.0.0 (glance 33.0.0's) the module and the options are gone, so nothing
/// reads them whatever `auth_type` says.
const fn legacy(name: &'static str, replacement: Option<&'static str>) -> RemovedOption {
    rm(
        "keystone_authtoken",
        name,
        RemovedIn::Series("2026.2"),
        replacement,
        "the Identity v2 admin-endpoint login; keystonemiddleware now logs in only through an auth_type plugin",
        "keystonemiddleware af18800 \"Remove AuthTokenPlugin\" (13.0.0, 2026.2 Hibiscus; 12.0.0 of 2026.1 still has auth_token/_auth.py)",
    )
}

// Each release below was confirmed by diffing the option's registration
// between the last tag that has it and the first that does not, mapped to a
// series with openstack/releases' deliverables (citations per row).
const KSM_SIGNING: RemovedIn = RemovedIn::Before("Train (keystonemiddleware 7.0.0)");
const STEIN: RemovedIn = RemovedIn::Before("Stein (oslo.messaging 9.0.0)");
const QPID: RemovedIn = RemovedIn::Before("Mitaka (oslo.messaging 3.1.0)");
const ROCKY: RemovedIn = RemovedIn::Before("Rocky (glance 17.0.0)");
const VICTORIA: RemovedIn = RemovedIn::Before("Victoria (glance 21.0.0)");
const KILO: RemovedIn = RemovedIn::Before("Kilo (glance_store 0.1.11)");
const SQLITE_DB: RemovedIn = RemovedIn::Before("Pike (oslo.db 4.19.0)");
const SHEEPDOG: RemovedIn = RemovedIn::Before("Ussuri (glance_store 1.1.0)");
const PIKE_KOMBU: RemovedIn = RemovedIn::Before("Pike (oslo.messaging 5.18.0)");
const CATALOGUE: RemovedIn = RemovedIn::Catalogue;
const SRC_STEIN: &str = "oslo.messaging b0d3bfce \"Remove deprecated rabbit options\" and d3f6ca0b \"Remove rpc_backend\" (9.0.0); releasenotes/oslo.messaging/stein.html";
const SRC_QPID: &str = "oslo.messaging 925eb734 \"Remove qpidd's driver from the tree\" (3.1.0)";
const SRC_V1: &str = "glance 3dde3204d \"Remove Images API v1 entry points\" (17.0.0); releasenotes/glance/rocky.html";
const SRC_REGISTRY: &str = "glance 673666cbf \"Deprecation cleanout Registry and related\" and 306809619 (21.0.0, Victoria)";
const SRC_WSGI: &str = "the catalogue: glance 33.0.0 has no standalone server options; glance/cmd/api.py prints 'Standalone glance-api is no longer supported.'";
const TRANSPORT: Option<&str> =
    Some("[DEFAULT] transport_url (rabbit://user:password@host:5672/vhost)");

pub static REMOVED: &[RemovedOption] = &[
    // --- keystonemiddleware -------------------------------------------------------
    rm(
        "keystone_authtoken",
        "auth_uri",
        CATALOGUE,
        Some("[keystone_authtoken] www_authenticate_uri"),
        "the old name of www_authenticate_uri, deprecated since Queens",
        "keystonemiddleware af18800 (13.0.0, 2026.2): auth_uri left with AuthTokenPlugin; the catalogue dates it",
    ),
    legacy("identity_uri", Some("[keystone_authtoken] auth_url with auth_type = password")),
    legacy("auth_host", Some("[keystone_authtoken] auth_url with auth_type = password")),
    legacy("auth_port", Some("[keystone_authtoken] auth_url with auth_type = password")),
    legacy("auth_protocol", Some("[keystone_authtoken] auth_url with auth_type = password")),
    legacy("auth_admin_prefix", Some("[keystone_authtoken] auth_url with auth_type = password")),
    legacy("admin_user", Some("[keystone_authtoken] username")),
    legacy("admin_password", Some("[keystone_authtoken] password")),
    legacy("admin_tenant_name", Some("[keystone_authtoken] project_name")),
    legacy("admin_token", None),
    rm(
        "keystone_authtoken",
        "signing_dir",
        KSM_SIGNING,
        None,
        "PKI tokens are no longer supported, so there is nothing to sign",
        "keystonemiddleware b3e84aa \"Remove PKI/PKIZ support\" (7.0.0, Train); releasenotes/keystonemiddleware/train.html",
    ),
    // --- oslo.messaging --------------------------------------------------------------
    rm("DEFAULT", "rpc_backend", STEIN, TRANSPORT, "deprecated in Ocata: the driver is the transport_url scheme", SRC_STEIN),
    rm("DEFAULT", "rabbit_host", STEIN, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", SRC_STEIN),
    rm("DEFAULT", "rabbit_hosts", STEIN, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", SRC_STEIN),
    rm("DEFAULT", "rabbit_port", STEIN, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", SRC_STEIN),
    rm("DEFAULT", "rabbit_userid", STEIN, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", SRC_STEIN),
    rm("DEFAULT", "rabbit_password", STEIN, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", SRC_STEIN),
    rm("DEFAULT", "rabbit_virtual_host", STEIN, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", SRC_STEIN),
    rm("oslo_messaging_rabbit", "rabbit_host", STEIN, TRANSPORT, "dropped for transport_url", SRC_STEIN),
    rm("oslo_messaging_rabbit", "rabbit_hosts", STEIN, TRANSPORT, "dropped for transport_url", SRC_STEIN),
    rm("oslo_messaging_rabbit", "rabbit_port", STEIN, TRANSPORT, "dropped for transport_url", SRC_STEIN),
    rm("oslo_messaging_rabbit", "rabbit_userid", STEIN, TRANSPORT, "dropped for transport_url", SRC_STEIN),
    rm("oslo_messaging_rabbit", "rabbit_password", STEIN, TRANSPORT, "dropped for transport_url", SRC_STEIN),
    rm("oslo_messaging_rabbit", "rabbit_virtual_host", STEIN, TRANSPORT, "dropped for transport_url", SRC_STEIN),
    rm("DEFAULT", "qpid_hostname", QPID, TRANSPORT, "the qpid driver was removed from oslo.messaging", SRC_QPID),
    rm("DEFAULT", "qpid_port", QPID, TRANSPORT, "the qpid driver was removed from oslo.messaging", SRC_QPID),
    rm("DEFAULT", "qpid_username", QPID, TRANSPORT, "the qpid driver was removed from oslo.messaging", SRC_QPID),
    rm("DEFAULT", "qpid_password", QPID, TRANSPORT, "the qpid driver was removed from oslo.messaging", SRC_QPID),
    rm(
        "DEFAULT",
        "notification_driver",
        CATALOGUE,
        Some("[oslo_messaging_notifications] driver"),
        "was a deprecated name of [oslo_messaging_notifications] driver; no longer recognised",
        "oslo.messaging c0ffd6c6 \"Remove deprecated aliases of notification options\" (16.0.0, 2025.1); mustafatoraman-controller.conf (field-mistakes.md #11)",
    ),
    rm(
        "DEFAULT",
        "notification_topics",
        CATALOGUE,
        Some("[oslo_messaging_notifications] topics"),
        "was a deprecated name of [oslo_messaging_notifications] topics; no longer recognised",
        "oslo.messaging c0ffd6c6 \"Remove deprecated aliases of notification options\" (16.0.0, 2025.1)",
    ),
    // --- glance ------------------------------------------------------------------------
    rm("DEFAULT", "enable_v1_api", ROCKY, None, "the v1 API is gone; v2 is always on", SRC_V1),
    rm("DEFAULT", "enable_v1_registry", VICTORIA, None, "the registry is gone", SRC_REGISTRY),
    rm("DEFAULT", "enable_v2_api", VICTORIA, None, "v2 is always enabled", "glance bbb3ede89 \"Removal of 'enable_v2_api'\" (21.0.0, Victoria)"),
    rm("DEFAULT", "enable_v2_registry", VICTORIA, None, "the registry is gone", SRC_REGISTRY),
    rm("DEFAULT", "registry_host", VICTORIA, None, "the registry is gone", SRC_REGISTRY),
    rm("DEFAULT", "registry_port", VICTORIA, None, "the registry is gone", SRC_REGISTRY),
    rm("DEFAULT", "registry_client_protocol", VICTORIA, None, "the registry is gone", SRC_REGISTRY),
    rm("DEFAULT", "data_api", VICTORIA, None, "glance talks to its database directly", SRC_REGISTRY),
    rm(
        "DEFAULT",
        "workers",
        CATALOGUE,
        Some("the WSGI server's process count (uWSGI / mod_wsgi `processes`)"),
        "the standalone eventlet server is gone: glance-api only runs under a WSGI server",
        SRC_WSGI,
    ),
    rm("DEFAULT", "bind_host", CATALOGUE, Some("the WSGI server's listen address"), "the standalone eventlet server is gone", SRC_WSGI),
    rm("DEFAULT", "bind_port", CATALOGUE, Some("the WSGI server's listen port"), "the standalone eventlet server is gone", SRC_WSGI),
    rm(
        "DEFAULT",
        "known_stores",
        KILO,
        Some("[DEFAULT] enabled_backends (legacy: [glance_store] stores)"),
        "renamed to [glance_store] stores in Juno",
        "glance_store ad6d0b1 \"Remove deprecated options\" (0.1.11, first required by Kilo's glance); ceph/ceph#10629 (field-mistakes.md #1)",
    ),
    rm(
        "DEFAULT",
        "default_store",
        KILO,
        Some("[glance_store] default_backend with enabled_backends (legacy: [glance_store] default_store)"),
        "store options moved to [glance_store] in Juno; in [DEFAULT] they are ignored",
        "glance_store ad6d0b1 \"Remove deprecated options\" (0.1.11); blueboxgroup/ursula#1189; crowbar/crowbar-openstack#46",
    ),
    rm(
        "DEFAULT",
        "stores",
        KILO,
        Some("[DEFAULT] enabled_backends (legacy: [glance_store] stores)"),
        "store options moved to [glance_store] in Juno; [DEFAULT] never had `stores` (that was `known_stores`)",
        "glance_store ad6d0b1 \"Remove deprecated options\" (0.1.11); ceph/ceph#10629 (field-mistakes.md #1)",
    ),
    // --- oslo.db -----------------------------------------------------------------------
    rm(
        "database",
        "sqlite_db",
        SQLITE_DB,
        Some("[database] connection = sqlite:////path/to/glance.sqlite"),
        "the SQLite file is part of the connection URL",
        "oslo.db cc64f70 \"Remove deprecated config option sqlite_db\" (4.19.0); releasenotes/oslo.db/pike.html",
    ),
];

/// Whole families of options, by name prefix, that went away with a driver.
/// An exact entry of [`REMOVED`] wins over a family.
pub static REMOVED_FAMILIES: &[RemovedOption] = &[
    rm("DEFAULT", "rabbit_", STEIN, TRANSPORT,
       "RabbitMQ options moved to [oslo_messaging_rabbit] in Liberty; their [DEFAULT] names went with the deprecated rabbit options",
       SRC_STEIN),
    rm("DEFAULT", "kombu_", PIKE_KOMBU, None,
       "kombu options moved to [oslo_messaging_rabbit] in Liberty; their [DEFAULT] names are no longer read",
       "oslo.messaging 0c369cbc \"RabbitMQ: Standardize SSL parameter names\" (5.18.0)"),
    rm("DEFAULT", "qpid_", QPID, TRANSPORT,
       "the qpid driver was removed from oslo.messaging",
       SRC_QPID),
    rm("glance_store", "sheepdog_store_", SHEEPDOG, None,
       "the Sheepdog store driver was removed from glance_store",
       "glance_store 5c9db72 \"Remove sheepdog store driver\" (1.1.0, Ussuri)"),
];
