//! The live probes' findings (`--live`). Their checks run in `crate::live`,
//! against the services the file names; these declarations give them codes,
//! names and documentation like every other rule.

use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Probes (with `--live`) version discovery at `www_authenticate_uri` and `auth_url` of `[keystone_authtoken]` and `[oslo_limit]`, telling apart a DNS failure, a refused connection, a timeout and a TLS failure.
    ///
    /// ## Why is this bad?
    /// keystonemiddleware cannot validate any token, so every API request fails with `503 Service Unavailable` (or `401`), and oslo.limit cannot check quotas.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
/// auth_url = http://controler:5000
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
/// auth_url = http://controller:5000
    /// ```
    pub struct KeystoneUnreachable {
        code: "GL901",
        name: "keystone-unreachable",
        severity: Error,
        variants: {
            LIMITS_OFF: Warning when "the finding is about [oslo_limit] and `use_keystone_limits` is off: Glance does not use that section until it is turned on",
        },
        category: Live,
        summary: "Keystone does not answer at the URL the file names",
    }
}

impl Rule for KeystoneUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Logs in (with `--live`) as the service user of `[keystone_authtoken]`, scoped to its project, and as the user of `[oslo_limit]` (system-scoped with `system_scope = all`). Only a token request is made.
    ///
    /// ## Why is this bad?
    /// The auth middleware cannot get its own token, so it cannot validate users' tokens: every request gets `401 Unauthorized`. A failing `[oslo_limit]` login breaks every upload once quotas are enforced.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
/// password = an-old-password
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
/// password = the-password-set-in-keystone
    /// ```
    pub struct KeystoneAuthFailed {
        code: "GL902",
        name: "keystone-auth-failed",
        severity: Error,
        variants: {
            LIMITS_OFF: Warning when "the finding is about [oslo_limit] and `use_keystone_limits` is off: Glance does not use that section until it is turned on",
        },
        category: Live,
        summary: "the service user cannot log in to Keystone",
    }
}

impl Rule for KeystoneAuthFailed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// With the `[oslo_limit]` user's token, reads `GET /v3/endpoints/{endpoint_id}` (with `--live`): the endpoint must exist, belong to the `image` service, and be in `region_name`.
    ///
    /// ## Why is this bad?
    /// oslo.limit reads the registered limits of that endpoint's service and region. A wrong id makes every quota check fail, so uploads fail with `500` once `use_keystone_limits = true`.
    ///
    /// ## Example
    /// ```ini
    /// [oslo_limit]
/// endpoint_id = 0123456789abcdef0123456789abcdef
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [oslo_limit]
/// endpoint_id = 340be3625e9b4239a6415d034e98aace
    /// ```
    pub struct KeystoneEndpointNotFound {
        code: "GL903",
        name: "keystone-endpoint-not-found",
        severity: Error,
        variants: {
            LIMITS_OFF: Warning when "the finding is about [oslo_limit] and `use_keystone_limits` is off: Glance does not use that section until it is turned on",
        },
        category: Live,
        summary: "[oslo_limit] endpoint_id is not an image endpoint of this region",
    }
}

impl Rule for KeystoneEndpointNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Checks (with `--live`, where Keystone lets the user see it) that the `[keystone_authtoken]` user has a role on its project and that the `[oslo_limit]` user has a system role (`reader`) when `system_scope = all`.
    ///
    /// ## Why is this bad?
    /// A system-scoped login without a system role fails with the same `401` as a wrong password; oslo.limit cannot read limits and uploads fail once quotas are enforced.
    ///
    /// ## Example
    /// ```ini
    /// # openstack role add --user glance --user-domain Default --system all reader   (never run)
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # openstack role add --user glance --user-domain Default --system all reader
    /// ```
    pub struct KeystoneRoleMissing {
        code: "GL904",
        name: "keystone-role-missing",
        severity: Error,
        variants: {
            LIMITS_OFF: Warning when "the finding is about [oslo_limit] and `use_keystone_limits` is off: Glance does not use that section until it is turned on",
        },
        category: Live,
        summary: "the service user lacks a role Glance needs",
    }
}

impl Rule for KeystoneRoleMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Connects (with `--live`) to the server of `[database] connection`, telling apart a DNS failure, a refused connection and a timeout.
    ///
    /// ## Why is this bad?
    /// Glance cannot read or write image records: the API returns `500` for every request that touches the database, and `glance-manage db_sync` fails.
    ///
    /// ## Example
    /// ```ini
    /// [database]
/// connection = mysql+pymysql://glance:secret@controler/glance
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [database]
/// connection = mysql+pymysql://glance:secret@controller/glance
    /// ```
    pub struct DatabaseUnreachable {
        code: "GL905",
        name: "database-unreachable",
        severity: Error,
        category: Live,
        summary: "the database server does not answer",
    }
}

impl Rule for DatabaseUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Logs in (with `--live`) with the user and password of `[database] connection`.
    ///
    /// ## Why is this bad?
    /// Every database access fails with `Access denied for user 'glance'`: the API returns `500`.
    ///
    /// ## Example
    /// ```ini
    /// [database]
/// connection = mysql+pymysql://glance:wrong@controller/glance
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [database]
/// connection = mysql+pymysql://glance:the-granted-password@controller/glance
    /// ```
    pub struct DatabaseAuthFailed {
        code: "GL906",
        name: "database-auth-failed",
        severity: Error,
        category: Live,
        summary: "the database refuses the user and password",
    }
}

impl Rule for DatabaseAuthFailed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Opens (with `--live`) the database named in `[database] connection`. MariaDB answers `1044 Access denied ... to database` rather than `1049 Unknown database` when the user has no rights on a database that does not exist; both are reported here.
    ///
    /// ## Why is this bad?
    /// Glance's queries fail with `Unknown database` or `Access denied`: the API returns `500`.
    ///
    /// ## Example
    /// ```ini
    /// [database]
/// connection = mysql+pymysql://glance:secret@controller/glance_db
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [database]
/// connection = mysql+pymysql://glance:secret@controller/glance
    /// ```
    pub struct DatabaseMissing {
        code: "GL907",
        name: "database-missing",
        severity: Error,
        category: Live,
        summary: "the database named in the connection URL does not exist or the user has no rights on it",
    }
}

impl Rule for DatabaseMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Reads (with `--live`) the `alembic_version` table: it must hold Glance's contract head (`2024_1_contract01` for Glance 33.0.0). Missing means `glance-manage db_sync` never ran; an expand head alone means the contract step is pending.
    ///
    /// ## Why is this bad?
    /// Glance's queries hit missing tables and columns: `ProgrammingError (1146, "Table 'glance.images' doesn't exist")` and `500` for every image call.
    ///
    /// ## Example
    /// ```ini
    /// # (the schema was never created)
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # glance-manage db_sync   (run once after creating the database)
    /// ```
    pub struct DatabaseNotSynced {
        code: "GL908",
        name: "database-not-synced",
        severity: Error,
        category: Live,
        summary: "the database schema is not at Glance's current migration",
    }
}

impl Rule for DatabaseNotSynced {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Connects (with `--live`) to each host of `[DEFAULT] transport_url`, with the `[oslo_messaging_rabbit] ssl` options.
    ///
    /// ## Why is this bad?
    /// Glance sends image notifications through RabbitMQ. Image operations keep working, but oslo.messaging logs `AMQP server on host:5672 is unreachable` and retries, and Ceilometer or Searchlight never hear of new images.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
/// transport_url = rabbit://openstack:secret@controller:15672/
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
/// transport_url = rabbit://openstack:secret@controller:5672/
    /// ```
    pub struct RabbitmqUnreachable {
        code: "GL909",
        name: "rabbitmq-unreachable",
        severity: Warning,
        category: Live,
        summary: "a RabbitMQ host of transport_url does not answer",
    }
}

impl Rule for RabbitmqUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Logs in (with `--live`, PLAIN) with each host's credentials from `[DEFAULT] transport_url`.
    ///
    /// ## Why is this bad?
    /// RabbitMQ closes the connection with `ACCESS_REFUSED`; notifications are lost while oslo.messaging retries forever.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
/// transport_url = rabbit://openstack:wrong@controller
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
/// transport_url = rabbit://openstack:the-rabbitmq-password@controller
    /// ```
    pub struct RabbitmqAuthFailed {
        code: "GL910",
        name: "rabbitmq-auth-failed",
        severity: Warning,
        category: Live,
        summary: "RabbitMQ refuses the user and password of transport_url",
    }
}

impl Rule for RabbitmqAuthFailed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Opens (with `--live`) the virtual host named by the path of `[DEFAULT] transport_url` (`/` when the path is empty or `/`).
    ///
    /// ## Why is this bad?
    /// RabbitMQ answers `NOT_ALLOWED - access to vhost refused`: notifications are lost.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
/// transport_url = rabbit://openstack:secret@controller/openstack
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
/// transport_url = rabbit://openstack:secret@controller/
    /// ```
    pub struct RabbitmqVhostDenied {
        code: "GL911",
        name: "rabbitmq-vhost-denied",
        severity: Warning,
        category: Live,
        summary: "the RabbitMQ user may not open the virtual host of transport_url",
    }
}

impl Rule for RabbitmqVhostDenied {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Connects (with `--live`) to each server of `[keystone_authtoken] memcached_servers` and sends `version`.
    ///
    /// ## Why is this bad?
    /// keystonemiddleware caches validated tokens there. Without it, every API request costs a round trip to Keystone, and the middleware logs connection errors.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
/// memcached_servers = controller:11212
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
/// memcached_servers = controller:11211
    /// ```
    pub struct MemcachedUnreachable {
        code: "GL912",
        name: "memcached-unreachable",
        severity: Warning,
        category: Live,
        summary: "a memcached server of memcached_servers does not answer",
    }
}

impl Rule for MemcachedUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Logs in (with `--live`) as the `[keystone_authtoken]` user, scoped to its project, and reads the service catalog of the token: the `image` service must have a `public`, an `internal` and an `admin` endpoint in the region (`[oslo_limit] region_name`, else `[keystone_authtoken] region_name`, else `RegionOne`).
    ///
    /// ## Why is this bad?
    /// Clients (`glance image-create`, Nova, Cinder) find Glance through the catalog. Without an image endpoint of the interface they use in their region, they fail before reaching Glance (`public endpoint for image service in RegionOne region not found`).
    ///
    /// ## Example
    /// ```ini
    /// # openstack endpoint create --region RegionOne image public http://controller:9292   (never run)
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # openstack endpoint create --region RegionOne image public http://controller:9292
    /// # openstack endpoint create --region RegionOne image internal http://controller:9292
    /// # openstack endpoint create --region RegionOne image admin http://controller:9292
    /// ```
    pub struct ImageEndpointMissing {
        code: "GL913",
        name: "image-endpoint-missing",
        severity: Error,
        category: Live,
        summary: "the catalog has no image endpoint of an interface in the region",
    }
}

impl Rule for ImageEndpointMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// GETs (with `--live`, without a token, under `--timeout`) the URL of each image endpoint of the region in the service catalog, and expects Glance's version document (`{"versions": [...]}` with a `v2` version).
    ///
    /// ## Why is this bad?
    /// An endpoint on the wrong host or port is found by every client and then cannot be reached: `glance image-create` fails with a connection error although glance-api runs.
    ///
    /// ## Example
    /// ```ini
    /// # openstack endpoint create --region RegionOne image public http://controller:9293
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # openstack endpoint create --region RegionOne image public http://controller:9292
    /// ```
    pub struct ImageEndpointUnreachable {
        code: "GL914",
        name: "image-endpoint-unreachable",
        severity: Error,
        category: Live,
        summary: "an image endpoint of the catalog does not answer as Glance",
    }
}

impl Rule for ImageEndpointUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// With `use_keystone_limits = true`, reads (with `--live`, with the `[oslo_limit]` user's token, as oslo.limit does) the registered limits of the service and region of `[oslo_limit] endpoint_id`: `image_size_total`, `image_stage_total`, `image_count_total` and `image_count_uploading` must exist.
    ///
    /// ## Why is this bad?
    /// oslo.limit counts a missing registered limit as a limit of 0: every image create or upload is refused (`413 Request Entity Too Large`, "over limit of 0").
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// use_keystone_limits = true
    /// # and no `openstack registered limit create --service glance ...`
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # openstack registered limit create --service glance --default-limit 1000 --region RegionOne image_size_total
    /// # (the same for image_stage_total, image_count_total, image_count_uploading)
    /// ```
    pub struct RegisteredLimitMissing {
        code: "GL915",
        name: "registered-limit-missing",
        severity: Error,
        category: Live,
        summary: "a registered limit Glance reads with use_keystone_limits = true is missing",
    }
}

impl Rule for RegisteredLimitMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Logs in (with `--live`) with `[database] connection` and reads `SHOW GRANTS`: on the database (or on `*.*`) the user needs `SELECT`, `INSERT`, `UPDATE` and `DELETE` (what glance-api does) and `CREATE`, `ALTER`, `INDEX`, `DROP` and `REFERENCES` (what `glance-manage db_sync` does).
    ///
    /// ## Why is this bad?
    /// Without the write privileges glance-api starts, lists images, and fails every create with `500`. Without the schema privileges the next `glance-manage db_sync` (an upgrade) fails half-way.
    ///
    /// ## Example
    /// ```ini
    /// # GRANT SELECT ON glance.* TO 'glance'@'%';
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # GRANT ALL PRIVILEGES ON glance.* TO 'glance'@'localhost' IDENTIFIED BY 'GLANCE_DBPASS';
    /// # GRANT ALL PRIVILEGES ON glance.* TO 'glance'@'%' IDENTIFIED BY 'GLANCE_DBPASS';
    /// ```
    pub struct DatabaseGrantsInsufficient {
        code: "GL916",
        name: "database-grants-insufficient",
        severity: Error,
        variants: {
            SYNC_ONLY: Warning when "only privileges `glance-manage db_sync` needs are missing: glance-api works until the next schema upgrade",
        },
        category: Live,
        summary: "the database user lacks privileges glance-api or db_sync needs",
    }
}

impl Rule for DatabaseGrantsInsufficient {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// When `alembic_version` holds the contract head (with `--live`), lists the tables of the database (`information_schema.tables`) and compares them with the tables `glance-manage db_sync` makes for the release being linted (generated from the openstack/glance repository by `tools/gen-glance-tables.py`).
    ///
    /// ## Why is this bad?
    /// A database whose `alembic_version` says "synced" but whose tables are missing (dropped, restored from a partial dump, or a hand-made version row) makes `glance-manage db_sync` answer "No migrations needed" while glance-api fails every request with `500`.
    ///
    /// ## Example
    /// ```ini
    /// # mysql> SHOW TABLES FROM glance;   -> alembic_version
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # DROP DATABASE glance; CREATE DATABASE glance; (grants) then glance-manage db_sync
    /// ```
    pub struct DatabaseTablesMissing {
        code: "GL917",
        name: "database-tables-missing",
        severity: Error,
        category: Live,
        summary: "the database is marked synced but Glance's tables are missing",
    }
}

impl Rule for DatabaseTablesMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

declare_rule! {
    /// ## What it does
    /// Checks (with `--live` and host checks) that each file store's `filesystem_store_datadir` is writable and searchable by the user glance-api runs as (the `glance` user of `<root>/etc/passwd`, or `--service-user NAME`), from the mode, owner and group of the directory and of every directory above it, and the user's groups in `<root>/etc/group`.
    ///
    /// ## Why is this bad?
    /// glance_store finds the directory read-only when glance-api starts and disables adding images: every upload fails with `410 Gone` ("Adding images to store is disabled").
    ///
    /// ## Example
    /// ```ini
    /// # drwxr-xr-x root root /var/lib/glance/images
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # chown glance:glance /var/lib/glance/images
    /// ```
    pub struct ImageDirNotWritable {
        code: "GL918",
        name: "image-dir-not-writable",
        severity: Error,
        category: Live,
        summary: "the image directory is not writable by the user glance-api runs as",
    }
}

impl Rule for ImageDirNotWritable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Findings come from the live probes, not from the file.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}

/// The level of a Keystone probe's finding about `[oslo_limit]` while
/// `use_keystone_limits` is off: Glance never logs in with that section then,
/// so a problem there is a warning for later, not a failure now.
#[cfg(feature = "live")]
pub(crate) fn limits_off_variant(rule: &RuleMeta) -> Option<&'static crate::meta::Variant> {
    match rule.code {
        "GL901" => Some(&KeystoneUnreachable::LIMITS_OFF),
        "GL902" => Some(&KeystoneAuthFailed::LIMITS_OFF),
        "GL903" => Some(&KeystoneEndpointNotFound::LIMITS_OFF),
        "GL904" => Some(&KeystoneRoleMissing::LIMITS_OFF),
        _ => None,
    }
}
