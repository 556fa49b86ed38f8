//! Options that glance 33.0.0's option list no longer has, with the release that
//! dropped them (as far as confirmed) and what replaces them. A name that still
//! exists in the catalogue, even as a deprecated name, must not be listed here
//! (enforced by a test in `mod.rs`).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedOption {
    pub group: &'static str,
    pub name: &'static str,
    /// A release, or "before <release>" when the exact one is not confirmed.
    pub removed_in: &'static str,
    pub replacement: Option<&'static str>,
    pub note: &'static str,
    pub source: &'static str,
}

const fn rm(
    group: &'static str,
    name: &'static str,
    removed_in: &'static str,
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
        "in keystonemiddleware 13.0.0 (2026.2), with the legacy admin-endpoint login deprecated since Mitaka",
        replacement,
        "the Identity v2 admin-endpoint login; keystonemiddleware now logs in only through an auth_type plugin",
        "keystonemiddleware 12.0.0 vs 13.0.0 wheels: auth_token/_auth.py AuthTokenPlugin removed",
    )
}

const KSM_13: &str = "before keystonemiddleware 13.0.1 (exact release not confirmed)";
const OSLO_MSG: &str =
    "before the oslo.messaging used by glance 33.0.0 (exact release not confirmed)";
const GLANCE_33: &str = "before glance 33.0.0 (exact release not confirmed)";
const SRC_JSON: &str = "absent from shared/oslo/glance-api-options.json (glance 33.0.0)";
const TRANSPORT: Option<&str> =
    Some("[DEFAULT] transport_url (rabbit://user:password@host:5672/vhost)");

pub static REMOVED: &[RemovedOption] = &[
    // --- keystonemiddleware -------------------------------------------------------
    rm(
        "keystone_authtoken",
        "auth_uri",
        "after Rocky, before keystonemiddleware 13.0.1 (deprecated in Queens, announced for removal in S)",
        Some("[keystone_authtoken] www_authenticate_uri"),
        "no longer even a deprecated name of www_authenticate_uri in keystonemiddleware 13.0.1",
        "keystonemiddleware auth_token/_opts.py (Queens: deprecated_since='Queens', 'will be removed in the S \
         release'); review 508522 via juju/charm-helpers#749; absent from the 13.0.1 option list",
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
        KSM_13,
        None,
        "PKI tokens are no longer supported, so there is nothing to sign",
        "deprecated for removal ('PKI token format is no longer supported.'); puppet-glance Ocata release notes",
    ),
    // --- oslo.messaging --------------------------------------------------------------
    rm("DEFAULT", "rpc_backend", OSLO_MSG, TRANSPORT, "deprecated in Ocata: the driver is the transport_url scheme", "oslo.messaging"),
    rm("DEFAULT", "rabbit_host", OSLO_MSG, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", "oslo.messaging"),
    rm("DEFAULT", "rabbit_hosts", OSLO_MSG, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", "oslo.messaging"),
    rm("DEFAULT", "rabbit_port", OSLO_MSG, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", "oslo.messaging"),
    rm("DEFAULT", "rabbit_userid", OSLO_MSG, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", "oslo.messaging"),
    rm("DEFAULT", "rabbit_password", OSLO_MSG, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", "oslo.messaging"),
    rm("DEFAULT", "rabbit_virtual_host", OSLO_MSG, TRANSPORT, "moved to [oslo_messaging_rabbit] in Liberty, then dropped for transport_url", "oslo.messaging"),
    rm("oslo_messaging_rabbit", "rabbit_host", OSLO_MSG, TRANSPORT, "dropped for transport_url", "oslo.messaging"),
    rm("oslo_messaging_rabbit", "rabbit_hosts", OSLO_MSG, TRANSPORT, "dropped for transport_url", "oslo.messaging"),
    rm("oslo_messaging_rabbit", "rabbit_port", OSLO_MSG, TRANSPORT, "dropped for transport_url", "oslo.messaging"),
    rm("oslo_messaging_rabbit", "rabbit_userid", OSLO_MSG, TRANSPORT, "dropped for transport_url", "oslo.messaging"),
    rm("oslo_messaging_rabbit", "rabbit_password", OSLO_MSG, TRANSPORT, "dropped for transport_url", "oslo.messaging"),
    rm("oslo_messaging_rabbit", "rabbit_virtual_host", OSLO_MSG, TRANSPORT, "dropped for transport_url", "oslo.messaging"),
    rm("DEFAULT", "qpid_hostname", OSLO_MSG, TRANSPORT, "the qpid driver was removed from oslo.messaging", "oslo.messaging"),
    rm("DEFAULT", "qpid_port", OSLO_MSG, TRANSPORT, "the qpid driver was removed from oslo.messaging", "oslo.messaging"),
    rm("DEFAULT", "qpid_username", OSLO_MSG, TRANSPORT, "the qpid driver was removed from oslo.messaging", "oslo.messaging"),
    rm("DEFAULT", "qpid_password", OSLO_MSG, TRANSPORT, "the qpid driver was removed from oslo.messaging", "oslo.messaging"),
    rm(
        "DEFAULT",
        "notification_driver",
        OSLO_MSG,
        Some("[oslo_messaging_notifications] driver"),
        "was a deprecated name of [oslo_messaging_notifications] driver; no longer recognised",
        "oslo.messaging; mustafatoraman-controller.conf (field-mistakes.md #11)",
    ),
    rm(
        "DEFAULT",
        "notification_topics",
        OSLO_MSG,
        Some("[oslo_messaging_notifications] topics"),
        "was a deprecated name of [oslo_messaging_notifications] topics; no longer recognised",
        "oslo.messaging",
    ),
    // --- glance ------------------------------------------------------------------------
    rm("DEFAULT", "enable_v1_api", "Rocky (with the Images API v1; option removal release not confirmed)", None, "the v1 API is gone; v2 is always on", SRC_JSON),
    rm("DEFAULT", "enable_v1_registry", "Rocky or later (with the v1 API and the registry)", None, "the registry is gone", SRC_JSON),
    rm("DEFAULT", "enable_v2_api", "Ussuri (registry removal; not confirmed against release notes)", None, "v2 is always enabled", SRC_JSON),
    rm("DEFAULT", "enable_v2_registry", "Ussuri (registry removal; not confirmed against release notes)", None, "the registry is gone", SRC_JSON),
    rm("DEFAULT", "registry_host", "Ussuri (registry removal; not confirmed against release notes)", None, "the registry is gone", SRC_JSON),
    rm("DEFAULT", "registry_port", "Ussuri (registry removal; not confirmed against release notes)", None, "the registry is gone", SRC_JSON),
    rm("DEFAULT", "registry_client_protocol", "Ussuri (registry removal; not confirmed against release notes)", None, "the registry is gone", SRC_JSON),
    rm("DEFAULT", "data_api", "Ussuri (registry removal; not confirmed against release notes)", None, "glance talks to its database directly", SRC_JSON),
    rm(
        "DEFAULT",
        "workers",
        GLANCE_33,
        Some("the WSGI server's process count (uWSGI / mod_wsgi `processes`)"),
        "the standalone eventlet server is gone: glance-api only runs under a WSGI server",
        "absent from glance 33.0.0's options; glance/cmd/api.py prints 'Standalone glance-api is no longer supported.' (store-options.md)",
    ),
    rm("DEFAULT", "bind_host", GLANCE_33, Some("the WSGI server's listen address"), "the standalone eventlet server is gone", SRC_JSON),
    rm("DEFAULT", "bind_port", GLANCE_33, Some("the WSGI server's listen port"), "the standalone eventlet server is gone", SRC_JSON),
    rm(
        "DEFAULT",
        "known_stores",
        "after Juno (renamed; exact release not confirmed)",
        Some("[DEFAULT] enabled_backends (legacy: [glance_store] stores)"),
        "renamed to [glance_store] stores in Juno",
        "ceph/ceph#10629; redhat-openstack/astapor#483 (field-mistakes.md #1)",
    ),
    rm(
        "DEFAULT",
        "default_store",
        "Juno (moved to [glance_store])",
        Some("[glance_store] default_backend with enabled_backends (legacy: [glance_store] default_store)"),
        "store options moved to [glance_store] in Juno; in [DEFAULT] they are ignored",
        "blueboxgroup/ursula#1189; rcbops/ansible-lxc-rpc#361; crowbar/crowbar-openstack#46",
    ),
    rm(
        "DEFAULT",
        "stores",
        "Juno (moved to [glance_store])",
        Some("[DEFAULT] enabled_backends (legacy: [glance_store] stores)"),
        "store options moved to [glance_store] in Juno; in [DEFAULT] they are ignored",
        "ceph/ceph#10629 (field-mistakes.md #1)",
    ),
    // --- oslo.db -----------------------------------------------------------------------
    rm(
        "database",
        "sqlite_db",
        "before the oslo.db used by glance 33.0.0 (exact release not confirmed)",
        Some("[database] connection = sqlite:////path/to/glance.sqlite"),
        "the SQLite file is part of the connection URL",
        SRC_JSON,
    ),
];

/// Whole families of options, by name prefix, that went away with a driver.
/// An exact entry of [`REMOVED`] wins over a family.
pub static REMOVED_FAMILIES: &[RemovedOption] = &[
    rm("DEFAULT", "rabbit_", OSLO_MSG, TRANSPORT,
       "RabbitMQ options moved to [oslo_messaging_rabbit] in Liberty; the connection ones were then dropped for transport_url",
       "oslo.messaging release notes (Liberty: options moved to [oslo_messaging_rabbit])"),
    rm("DEFAULT", "kombu_", OSLO_MSG, None,
       "kombu options moved to [oslo_messaging_rabbit] in Liberty",
       "oslo.messaging release notes (Liberty)"),
    rm("DEFAULT", "qpid_", OSLO_MSG, TRANSPORT,
       "the qpid driver was removed from oslo.messaging",
       "oslo.messaging release notes (qpid driver removal)"),
    rm("glance_store", "sheepdog_store_", "before glance_store 5.7.0 (exact release not confirmed)", None,
       "the Sheepdog store driver was removed from glance_store",
       "glance_store release notes (sheepdog driver removal); absent from glance_store 5.7.0's drivers"),
];
