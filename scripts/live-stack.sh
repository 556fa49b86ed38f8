#!/usr/bin/env bash
# scripts/live-stack.sh start|stop [--purge]|status|env
#
# Brings up REAL Keystone, MariaDB, RabbitMQ and memcached on 127.0.0.1 for glance-lint's live
# probes (tests/live.rs), on a fresh Debian 12 machine as root, without systemd:
#   start   install what is missing (apt-get; Keystone from PyPI into a venv under the state dir),
#           start what is not already running (judged by our own pid files), create the install
#           guide's users, databases, service and endpoints, and write $STATE/glance-api.conf
#           (correct for this stack, with the real endpoint id), $STATE/stack.env, $STATE/stack.json.
#           Idempotent: re-running while everything is up changes nothing.
#   stop    stop ONLY the processes whose pids `start` recorded under $STATE/run (each checked
#           against /proc/PID/cmdline first). `stop --purge` also deletes the data (keeps the venv).
#   status  one line per service; exit 0 when all five run, 3 otherwise.
#   env     print `export ...` lines for the tests:   eval "$(scripts/live-stack.sh env)"
#           GLANCE_LINT_LIVE_CONF (the correct glance-api.conf), GLANCE_LINT_LIVE_ENV (stack.env),
#           and every stack.env value as GLANCE_LINT_LIVE_<KEY>.
#
# STATE = $GLANCE_LINT_STACK_DIR (default /tmp/glance-lint-stack). Ports overridable: MYSQL_PORT 3306,
# RABBIT_PORT 5672 (+ RABBIT_DIST_PORT 25672, EPMD_PORT 4369), MEMCACHED_PORT 11211, KEYSTONE_PORT 5000.
#
# Databases made for the tests (user glance has all rights on each):
#   glance         synced: alembic_version = 2024_1_contract01 (what glance-manage db_sync leaves)
#   glance_nosync  exists, db_sync never ran (no alembic_version)
#   glance_expand  alembic_version = 2024_1_expand01 only (expand done, contract pending)
#
# Measured on this 2-CPU Debian 12 machine (gVisor, no systemd): see README of the live tests / the
# report printed by `start` (the last log line carries the elapsed time).
set -euo pipefail

STACK_DIR=${GLANCE_LINT_STACK_DIR:-${STACK_DIR:-/tmp/glance-lint-stack}}
KEYSTONE_VENV=${KEYSTONE_VENV:-$STACK_DIR/keystone-venv}
KEYSTONE_VERSION=${KEYSTONE_VERSION:-30.0.0}
HOST=127.0.0.1
MYSQL_PORT=${MYSQL_PORT:-3306}
RABBIT_PORT=${RABBIT_PORT:-5672}
RABBIT_DIST_PORT=${RABBIT_DIST_PORT:-25672}
EPMD_PORT=${EPMD_PORT:-4369}
MEMCACHED_PORT=${MEMCACHED_PORT:-11211}
KEYSTONE_PORT=${KEYSTONE_PORT:-5000}
GLANCE_PORT=${GLANCE_PORT:-9292}   # only used in the catalog; nothing listens there
RUN=$STACK_DIR/run

usage() { echo "usage: $0 start | stop [--purge] | status | env" >&2; exit 2; }
say() { echo "[live-stack] $*" >&2; }

# ---------------------------------------------------------------- stop
# stop_pid NAME PIDFILE CMDLINE-REGEX [graceful command...]
stop_pid() {
  local name=$1 f=$2 re=$3; shift 3
  [[ -s $f ]] || { say "$name: not started by us (no pid file)"; return 0; }
  local pid; pid=$(tr -dc '0-9' < "$f")
  if [[ -z $pid || ! -r /proc/$pid/cmdline ]] || ! tr '\0' ' ' < "/proc/$pid/cmdline" | grep -Eq "$re"; then
    say "$name: pid ${pid:-?} not running (or not ours); removing stale pid file"; rm -f "$f"; return 0
  fi
  if (($#)); then "$@" >/dev/null 2>&1 || true; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do [[ -e /proc/$pid ]] || break; sleep 0.2; done
  if [[ -e /proc/$pid ]]; then say "$name: pid $pid ignored TERM for 30s, sending KILL"; kill -KILL "$pid" 2>/dev/null; fi
  rm -f "$f"; say "$name: stopped (pid $pid)"
}
cmd_stop() {
  set +e
  stop_pid keystone  "$RUN/keystone.pid"  'gunicorn'
  stop_pid rabbitmq  "$RUN/rabbitmq.pid"  'beam' \
    env RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_CONF_ENV_FILE="$STACK_DIR/rabbitmq/rabbitmq-env.conf" \
    ERL_EPMD_ADDRESS=$HOST ERL_EPMD_PORT="$EPMD_PORT" \
    rabbitmqctl -q -n rabbit@localhost stop "$STACK_DIR/rabbitmq/rabbit.pid"
  stop_pid epmd      "$RUN/epmd.pid"      'epmd'
  stop_pid memcached "$RUN/memcached.pid" 'memcached'
  stop_pid mariadb   "$RUN/mariadb.pid"   'mariadbd|mysqld'
  if [[ ${1:-} == --purge && -d $STACK_DIR ]]; then
    say "purging data under $STACK_DIR (keeping keystone-venv)"
    find "$STACK_DIR" -mindepth 1 -maxdepth 1 ! -name keystone-venv -exec rm -rf {} +
  fi
  return 0
}

# ---------------------------------------------------------------- status
pid_of_ours() { # pid_of_ours PIDFILE REGEX: prints the pid if it is alive and its cmdline matches
  local f=$1 re=$2 pid
  [[ -s $f ]] || return 1
  pid=$(tr -dc '0-9' < "$f")
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -Eq "$re" || return 1
  echo "$pid"
}
cmd_status() {
  local bad=0 name f re port pid
  while read -r name f re port; do
    if pid=$(pid_of_ours "$RUN/$f" "$re"); then
      if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then echo "$name: running (pid $pid, $HOST:$port)"
      else echo "$name: pid $pid alive but $HOST:$port is not listening"; bad=1; fi
    else echo "$name: not running"; bad=1; fi
  done <<LIST
mariadb mariadb.pid mariadbd|mysqld $MYSQL_PORT
epmd epmd.pid epmd $EPMD_PORT
rabbitmq rabbitmq.pid beam $RABBIT_PORT
memcached memcached.pid memcached $MEMCACHED_PORT
keystone keystone.pid gunicorn $KEYSTONE_PORT
LIST
  ((bad == 0)) || return 3
}

# ---------------------------------------------------------------- env
cmd_env() {
  local f=$STACK_DIR/stack.env k v
  [[ -s $f ]] || { say "$f missing: run '$0 start' first"; return 1; }
  printf 'export GLANCE_LINT_STACK_DIR=%q\n' "$STACK_DIR"
  printf 'export GLANCE_LINT_LIVE_ENV=%q\n' "$f"
  printf 'export GLANCE_LINT_LIVE_CONF=%q\n' "$STACK_DIR/glance-api.conf"
  while IFS='=' read -r k v; do
    [[ $k =~ ^[A-Z_][A-Z0-9_]*$ && $k != CONF ]] || continue
    v=${v#\'}; v=${v%\'}
    printf 'export GLANCE_LINT_LIVE_%s=%q\n' "$k" "$v"
  done < "$f"
}

case ${1:-} in
  start) ;;
  stop) shift; cmd_stop "$@"; exit 0 ;;
  status) cmd_status; exit $? ;;
  env) cmd_env; exit $? ;;
  *) usage ;;
esac

# ---------------------------------------------------------------- start
[[ $(id -u) -eq 0 ]] || { say "start needs root (apt-get, service users, chown)"; exit 1; }
mkdir -p "$STACK_DIR" "$RUN"
chmod 755 "$STACK_DIR"
T0=$(date +%s.%N)
log() { printf '[live-stack start %6.1fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN{print a-b}')" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# pid_alive PIDFILE NAME-REGEX : true if the pid file names a live process whose cmdline matches
pid_alive() {
  local f=$1 re=$2 pid
  [[ -s $f ]] || return 1
  pid=$(tr -dc '0-9' < "$f")
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' < /proc/$pid/cmdline | grep -Eq "$re"
}
port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
wait_for() { # wait_for SECONDS DESCRIPTION CMD...
  local secs=$1 what=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s) < end )) || die "timed out after ${secs}s waiting for $what"
    sleep 0.2
  done
}

# ---------------------------------------------------------------- passwords (persisted)
SECRETS=$STACK_DIR/secrets.env
if [[ ! -s $SECRETS ]]; then
  gen() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
  umask 077
  cat > "$SECRETS" <<EOF
ADMIN_PASS=admin-$(gen)
GLANCE_PASS=glance-$(gen)
GLANCE_DBPASS=glancedb-$(gen)
RABBIT_PASS=rabbit-$(gen)
EOF
  umask 022
fi
# shellcheck disable=SC1090
source "$SECRETS"

# ---------------------------------------------------------------- packages
need_pkgs=()
for p in mariadb-server rabbitmq-server memcached curl jq python3-venv; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  log "apt-get install ${need_pkgs[*]}"
  # keep the packages' init scripts from starting system-wide daemons on the default ports
  added_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; added_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" > "$STACK_DIR/apt.log" 2>&1 \
    || { tail -20 "$STACK_DIR/apt.log" >&2; die "apt-get install failed"; }
  ((added_policy)) && rm -f /usr/sbin/policy-rc.d
  log "apt-get done"
fi

# ---------------------------------------------------------------- MariaDB
MY=$STACK_DIR/mysql
MYSOCK=$MY/mysqld.sock
MYPID=$RUN/mariadb.pid
# shellcheck disable=SC2120  # callers feed SQL on stdin
mysql_root() { mariadb --no-defaults --socket="$MYSOCK" -uroot "$@"; }
if pid_alive "$MYPID" 'mariadbd|mysqld'; then
  log "mariadb already running (pid $(cat "$MYPID"))"
else
  port_busy "$MYSQL_PORT" && die "port $MYSQL_PORT is taken by something that is not ours"
  mkdir -p "$MY"; chown mysql:mysql "$MY"; chown mysql:mysql "$RUN" 2>/dev/null || true
  if [[ ! -d $MY/data/mysql ]]; then
    log "mariadb-install-db"
    mariadb-install-db --no-defaults --user=mysql --datadir="$MY/data" \
      --auth-root-authentication-method=socket --skip-test-db > "$MY/install-db.log" 2>&1 \
      || { cat "$MY/install-db.log" >&2; die "mariadb-install-db failed"; }
  fi
  log "starting mariadbd on $HOST:$MYSQL_PORT"
  start-stop-daemon --start --background --pidfile "$MY/mariadbd.pid" --exec /usr/sbin/mariadbd -- --no-defaults --user=mysql \
    --datadir="$MY/data" --socket="$MYSOCK" --pid-file="$MY/mariadbd.pid" \
    --bind-address=$HOST --port="$MYSQL_PORT" --log-error="$MY/error.log"
  wait_for 60 "mariadb" mariadb-admin --no-defaults --socket="$MYSOCK" -uroot ping
  cp "$MY/mariadbd.pid" "$MYPID"
fi
mysql_root <<EOF
CREATE DATABASE IF NOT EXISTS glance;
CREATE DATABASE IF NOT EXISTS glance_nosync;
CREATE DATABASE IF NOT EXISTS glance_expand;
CREATE USER IF NOT EXISTS 'glance'@'localhost' IDENTIFIED BY '$GLANCE_DBPASS';
CREATE USER IF NOT EXISTS 'glance'@'%' IDENTIFIED BY '$GLANCE_DBPASS';
ALTER USER 'glance'@'localhost' IDENTIFIED BY '$GLANCE_DBPASS';
ALTER USER 'glance'@'%' IDENTIFIED BY '$GLANCE_DBPASS';
GRANT ALL PRIVILEGES ON glance.* TO 'glance'@'localhost';
GRANT ALL PRIVILEGES ON glance.* TO 'glance'@'%';
GRANT ALL PRIVILEGES ON glance_nosync.* TO 'glance'@'localhost';
GRANT ALL PRIVILEGES ON glance_nosync.* TO 'glance'@'%';
GRANT ALL PRIVILEGES ON glance_expand.* TO 'glance'@'localhost';
GRANT ALL PRIVILEGES ON glance_expand.* TO 'glance'@'%';
FLUSH PRIVILEGES;
-- glance: as "glance-manage db_sync" leaves it. We do not install glance here (a slow pip install):
-- the live probe only reads alembic_version, and glance 33.0.0's db_sync was measured (shared/live/README.md,
-- step 5) to leave exactly the table alembic_version(version_num varchar(32) PRIMARY KEY) with the single
-- row '2024_1_contract01' (the contract head; the expand head 2024_1_expand01 is its dependency).
CREATE TABLE IF NOT EXISTS glance.alembic_version (version_num VARCHAR(32) NOT NULL, PRIMARY KEY (version_num));
DELETE FROM glance.alembic_version;
INSERT INTO glance.alembic_version VALUES ('2024_1_contract01');
-- glance_nosync: a database that exists but on which db_sync never ran (no alembic_version table).
CREATE DATABASE IF NOT EXISTS glance_nosync;
DROP TABLE IF EXISTS glance_nosync.alembic_version;
-- glance_expand: "glance-manage db expand" done, contract pending (only the expand head recorded).
CREATE DATABASE IF NOT EXISTS glance_expand;
CREATE TABLE IF NOT EXISTS glance_expand.alembic_version (version_num VARCHAR(32) NOT NULL, PRIMARY KEY (version_num));
DELETE FROM glance_expand.alembic_version;
INSERT INTO glance_expand.alembic_version VALUES ('2024_1_expand01');
EOF
log "mariadb ready: db glance (synced), glance_nosync (never synced), glance_expand (contract pending), user glance"

# ---------------------------------------------------------------- epmd + RabbitMQ
RQ=$STACK_DIR/rabbitmq
RQPID=$RUN/rabbitmq.pid
EPMDPID=$RUN/epmd.pid
export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_CONF_ENV_FILE=$RQ/rabbitmq-env.conf
export ERL_EPMD_ADDRESS=$HOST ERL_EPMD_PORT=$EPMD_PORT
rmqctl() { rabbitmqctl -q -n "$RABBITMQ_NODENAME" "$@"; }
if pid_alive "$RQPID" 'beam'; then
  log "rabbitmq already running (pid $(cat "$RQPID"))"
else
  port_busy "$RABBIT_PORT" && die "port $RABBIT_PORT is taken by something that is not ours"
  mkdir -p "$RQ"
  cat > "$RQ/rabbitmq-env.conf" <<EOF
NODENAME=$RABBITMQ_NODENAME
NODE_IP_ADDRESS=$HOST
NODE_PORT=$RABBIT_PORT
DIST_PORT=$RABBIT_DIST_PORT
MNESIA_BASE=$RQ/mnesia
LOG_BASE=$RQ/log
PID_FILE=$RQ/rabbit.pid
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
  chown -R rabbitmq:rabbitmq "$RQ"
  if ! pid_alive "$EPMDPID" 'epmd'; then
    port_busy "$EPMD_PORT" && die "port $EPMD_PORT (epmd) is taken by something that is not ours"
    start-stop-daemon --start --background --make-pidfile --pidfile "$EPMDPID" --chuid rabbitmq \
      --exec /usr/bin/epmd -- -address $HOST -port "$EPMD_PORT"
    wait_for 10 epmd port_busy "$EPMD_PORT"
  fi
  log "starting rabbitmq-server on $HOST:$RABBIT_PORT"
  rm -f "$RQ/rabbit.pid"
  rabbitmq-server -detached
  wait_for 60 "rabbitmq pid file" test -s "$RQ/rabbit.pid"
  rmqctl wait --timeout 120 "$RQ/rabbit.pid" >/dev/null
  cp "$RQ/rabbit.pid" "$RQPID"
fi
rmqctl list_users | grep -q '^openstack\b' || rmqctl add_user openstack "$RABBIT_PASS" >/dev/null
rmqctl change_password openstack "$RABBIT_PASS" >/dev/null
rmqctl set_permissions -p / openstack '.*' '.*' '.*' >/dev/null
log "rabbitmq ready: user openstack on vhost /"

# ---------------------------------------------------------------- memcached
MCPID=$RUN/memcached.pid
mc_version() { exec 3<>"/dev/tcp/$HOST/$MEMCACHED_PORT" && printf 'version\r\n' >&3 && read -r -t 2 l <&3 && [[ $l == VERSION* ]]; }
if pid_alive "$MCPID" 'memcached'; then
  log "memcached already running (pid $(cat "$MCPID"))"
else
  port_busy "$MEMCACHED_PORT" && die "port $MEMCACHED_PORT is taken by something that is not ours"
  start-stop-daemon --start --background --make-pidfile --pidfile "$MCPID" --exec /usr/bin/memcached -- \
    -l $HOST -p "$MEMCACHED_PORT" -U 0 -m 64 -u memcache
  wait_for 10 memcached mc_version
fi
log "memcached ready"

# ---------------------------------------------------------------- Keystone (PyPI) under gunicorn
KS=$STACK_DIR/keystone
KSPID=$RUN/keystone.pid
KSURL=http://$HOST:$KEYSTONE_PORT
if [[ ! -x $KEYSTONE_VENV/bin/keystone-manage || ! -x $KEYSTONE_VENV/bin/gunicorn ]]; then
  log "pip install keystone==$KEYSTONE_VERSION gunicorn into $KEYSTONE_VENV"
  [[ -x $KEYSTONE_VENV/bin/python ]] || python3 -m venv "$KEYSTONE_VENV"
  "$KEYSTONE_VENV/bin/pip" install -q --disable-pip-version-check "keystone==$KEYSTONE_VERSION" gunicorn \
    > "$STACK_DIR/pip.log" 2>&1 || { tail -20 "$STACK_DIR/pip.log" >&2; die "pip install failed"; }
  log "pip done"
fi
if pid_alive "$KSPID" 'gunicorn'; then
  log "keystone already running (pid $(cat "$KSPID"))"
else
  port_busy "$KEYSTONE_PORT" && die "port $KEYSTONE_PORT is taken by something that is not ours"
  mkdir -p "$KS/wsgi"
  cat > "$KS/keystone.conf" <<EOF
[DEFAULT]
log_file = $KS/keystone.log
[database]
connection = sqlite:///$KS/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = $KS/fernet-keys
[fernet_receipts]
key_repository = $KS/fernet-keys
[credential]
key_repository = $KS/credential-keys
EOF
  # oslo.config would parse gunicorn's argv and exit(2); give it an empty one.
  printf 'import sys\nsys.argv = sys.argv[:1]\nfrom keystone.wsgi.api import application  # noqa: E402,F401\n' > "$KS/wsgi/ks_wsgi.py"
  KM=("$KEYSTONE_VENV/bin/keystone-manage" --config-file "$KS/keystone.conf")
  if [[ ! -s $KS/keystone.db ]]; then
    log "keystone-manage db_sync / fernet_setup / credential_setup / bootstrap"
    export PYTHONWARNINGS=ignore
    "${KM[@]}" db_sync 2>>"$KS/manage.err"
    "${KM[@]}" fernet_setup --keystone-user root --keystone-group root 2>>"$KS/manage.err"
    "${KM[@]}" credential_setup --keystone-user root --keystone-group root 2>>"$KS/manage.err"
    "${KM[@]}" bootstrap --bootstrap-password "$ADMIN_PASS" \
      --bootstrap-admin-url "$KSURL/v3/" --bootstrap-internal-url "$KSURL/v3/" \
      --bootstrap-public-url "$KSURL/v3/" --bootstrap-region-id RegionOne 2>>"$KS/manage.err"
  fi
  log "starting keystone (gunicorn) on $KSURL"
  # one worker, one thread: Keystone on sqlite fails concurrent logins with "database is locked"
  # (HTTP 500; each password login updates local_user). Requests are serialised instead.
  OS_KEYSTONE_CONFIG_FILES=$KS/keystone.conf PYTHONWARNINGS=ignore "$KEYSTONE_VENV/bin/gunicorn" \
    --chdir "$KS/wsgi" --bind "$HOST:$KEYSTONE_PORT" --workers 1 --threads 1 --daemon \
    --pid "$KSPID" --error-logfile "$KS/gunicorn.log" --no-control-socket ks_wsgi:application
  wait_for 90 "keystone GET /v3" curl -sf -o /dev/null "$KSURL/v3"
fi

# ---- Keystone resources via REST (idempotent; no python-openstackclient needed)
token_for() { # token_for USER PASS SCOPE-JSON
  curl -sf -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"$1\",\"domain\":{\"id\":\"default\"},\"password\":\"$2\"}}},\"scope\":$3}}" \
    "$KSURL/v3/auth/tokens" | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r'
}
ADMIN_TOKEN=$(token_for admin "$ADMIN_PASS" '{"project":{"name":"admin","domain":{"id":"default"}}}')
[[ -n $ADMIN_TOKEN ]] || die "could not get an admin token"
api() { # api METHOD PATH [JSON]
  curl -sS -f -X "$1" -H "X-Auth-Token: $ADMIN_TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"} "$KSURL/v3$2"
}
first_id() { jq -r ".$1[0].id // empty"; }

PROJECT_ID=$(api GET '/projects?name=service&domain_id=default' | first_id projects)
[[ -n $PROJECT_ID ]] || PROJECT_ID=$(api POST /projects \
  '{"project":{"name":"service","domain_id":"default","description":"Service Project"}}' | jq -r .project.id)
GLANCE_USER_ID=$(api GET '/users?name=glance&domain_id=default' | first_id users)
if [[ -z $GLANCE_USER_ID ]]; then
  GLANCE_USER_ID=$(api POST /users "{\"user\":{\"name\":\"glance\",\"domain_id\":\"default\",\"password\":\"$GLANCE_PASS\"}}" | jq -r .user.id)
else
  api PATCH "/users/$GLANCE_USER_ID" "{\"user\":{\"password\":\"$GLANCE_PASS\"}}" >/dev/null
fi
ADMIN_ROLE_ID=$(api GET '/roles?name=admin' | first_id roles)
READER_ROLE_ID=$(api GET '/roles?name=reader' | first_id roles)
api PUT "/projects/$PROJECT_ID/users/$GLANCE_USER_ID/roles/$ADMIN_ROLE_ID" >/dev/null
# oslo_limit with system_scope=all needs a system role (Glance configure-quotas doc)
api PUT "/system/users/$GLANCE_USER_ID/roles/$READER_ROLE_ID" >/dev/null
# a second service user WITHOUT a system role (tests: [oslo_limit] system_scope = all must then
# give keystone-role-missing, not keystone-auth-failed); same password, admin on project service
NOSYS_USER_ID=$(api GET '/users?name=glance_nosystem&domain_id=default' | first_id users)
if [[ -z $NOSYS_USER_ID ]]; then
  NOSYS_USER_ID=$(api POST /users "{\"user\":{\"name\":\"glance_nosystem\",\"domain_id\":\"default\",\"password\":\"$GLANCE_PASS\"}}" | jq -r .user.id)
else
  api PATCH "/users/$NOSYS_USER_ID" "{\"user\":{\"password\":\"$GLANCE_PASS\"}}" >/dev/null
fi
api PUT "/projects/$PROJECT_ID/users/$NOSYS_USER_ID/roles/$ADMIN_ROLE_ID" >/dev/null
IDENTITY_SERVICE_ID=$(api GET '/services?type=identity' | first_id services)
IDENTITY_EP_PUBLIC=$(api GET "/endpoints?service_id=$IDENTITY_SERVICE_ID&interface=public" | first_id endpoints)
SERVICE_ID=$(api GET '/services?type=image' | first_id services)
[[ -n $SERVICE_ID ]] || SERVICE_ID=$(api POST /services \
  '{"service":{"name":"glance","type":"image","description":"OpenStack Image"}}' | jq -r .service.id)
declare -A EP
for iface in public internal admin; do
  EP[$iface]=$(api GET "/endpoints?service_id=$SERVICE_ID&interface=$iface" | first_id endpoints)
  [[ -n ${EP[$iface]} ]] || EP[$iface]=$(api POST /endpoints \
    "{\"endpoint\":{\"service_id\":\"$SERVICE_ID\",\"interface\":\"$iface\",\"url\":\"http://$HOST:$GLANCE_PORT\",\"region_id\":\"RegionOne\"}}" \
    | jq -r .endpoint.id)
done
# verify as the glance user, like keystonemiddleware / oslo.limit would
GT=$(token_for glance "$GLANCE_PASS" '{"project":{"name":"service","domain":{"id":"default"}}}')
[[ -n $GT ]] || die "glance project-scoped login failed"
curl -sf -o /dev/null -H "X-Auth-Token: $GT" "$KSURL/v3/endpoints/${EP[public]}" || die "GET endpoint failed"
[[ -n $(token_for glance "$GLANCE_PASS" '{"system":{"all":true}}') ]] || die "glance system-scoped login failed"
log "keystone ready: image public endpoint ${EP[public]}"

# ---------------------------------------------------------------- outputs
DB_URL="mysql+pymysql://glance:$GLANCE_DBPASS@$HOST:$MYSQL_PORT/glance"
RABBIT_URL="rabbit://openstack:$RABBIT_PASS@$HOST:$RABBIT_PORT/"
cat > "$STACK_DIR/stack.env" <<EOF
STACK_DIR=$STACK_DIR
KEYSTONE_URL=$KSURL
KEYSTONE_AUTH_URL=$KSURL/v3
KEYSTONE_ADMIN_USER=admin
KEYSTONE_ADMIN_PASS=$ADMIN_PASS
GLANCE_USER=glance
GLANCE_PASS=$GLANCE_PASS
GLANCE_PROJECT=service
GLANCE_PROJECT_ID=$PROJECT_ID
GLANCE_USER_ID=$GLANCE_USER_ID
IMAGE_SERVICE_ID=$SERVICE_ID
IMAGE_ENDPOINT_PUBLIC_ID=${EP[public]}
IMAGE_ENDPOINT_INTERNAL_ID=${EP[internal]}
IMAGE_ENDPOINT_ADMIN_ID=${EP[admin]}
IDENTITY_ENDPOINT_PUBLIC_ID=$IDENTITY_EP_PUBLIC
NOSYSTEM_USER=glance_nosystem
REGION=RegionOne
DB_HOST=$HOST
DB_PORT=$MYSQL_PORT
DB_NAME=glance
DB_NOSYNC_NAME=glance_nosync
DB_EXPAND_NAME=glance_expand
MYSQL_PORT=$MYSQL_PORT
RABBIT_PORT=$RABBIT_PORT
MEMCACHED_PORT=$MEMCACHED_PORT
KEYSTONE_PORT=$KEYSTONE_PORT
CONF=$STACK_DIR/glance-api.conf
DB_USER=glance
DB_PASS=$GLANCE_DBPASS
DB_URL='$DB_URL'
RABBIT_USER=openstack
RABBIT_PASS=$RABBIT_PASS
TRANSPORT_URL='$RABBIT_URL'
MEMCACHED_SERVERS=$HOST:$MEMCACHED_PORT
EOF
jq -n --arg ks "$KSURL/v3" --arg gp "$GLANCE_PASS" --arg ap "$ADMIN_PASS" --arg ep "${EP[public]}" \
  --arg sid "$SERVICE_ID" --arg db "$DB_URL" --arg dbp "$GLANCE_DBPASS" --arg mq "$RABBIT_URL" \
  --arg mqp "$RABBIT_PASS" --arg mc "$HOST:$MEMCACHED_PORT" --arg dir "$STACK_DIR" \
  '{stack_dir:$dir, keystone:{auth_url:$ks, admin_password:$ap, glance_user:"glance", glance_password:$gp,
    project:"service", image_service_id:$sid, image_public_endpoint_id:$ep, region:"RegionOne"},
    database:{connection:$db, password:$dbp}, rabbitmq:{transport_url:$mq, password:$mqp},
    memcached:{servers:$mc}}' > "$STACK_DIR/stack.json"
mkdir -p "$STACK_DIR/images"
cat > "$STACK_DIR/glance-api.conf" <<EOF
[DEFAULT]
enabled_backends = fs:file
# as the install guide sets it: Glance then logs in with [oslo_limit]
use_keystone_limits = true
transport_url = $RABBIT_URL

[database]
connection = $DB_URL

[keystone_authtoken]
www_authenticate_uri = $KSURL
auth_url = $KSURL
memcached_servers = $HOST:$MEMCACHED_PORT
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = glance
password = $GLANCE_PASS

[paste_deploy]
flavor = keystone

[glance_store]
default_backend = fs

[fs]
filesystem_store_datadir = $STACK_DIR/images/

[oslo_limit]
auth_url = $KSURL
auth_type = password
user_domain_id = default
username = glance
system_scope = all
password = $GLANCE_PASS
endpoint_id = ${EP[public]}
region_name = RegionOne
EOF
log "all up; wrote $STACK_DIR/stack.env, stack.json, glance-api.conf"
chmod 600 "$STACK_DIR/stack.env" "$STACK_DIR/stack.json" "$STACK_DIR/glance-api.conf"
log "start done: eval \"\$($0 env)\" exports GLANCE_LINT_LIVE_CONF=$STACK_DIR/glance-api.conf"
