#!/usr/bin/env bash
# scripts/live-stack.sh start|stop [--purge]|status|env|glance-api start [CONF]|glance-api stop|glance-api status
#
# Brings up REAL Keystone, MariaDB, RabbitMQ and memcached on 127.0.0.1 for glance-lint's live
# probes (tests/live.rs), installs real Glance (glance==$GLANCE_VERSION from PyPI under OpenStack's
# upper-constraints) and runs its real `glance-manage db_sync`, and can run real glance-api under
# gunicorn as the unprivileged user `glance` (tests/live_e2e.rs), on a fresh Debian 12 machine as
# root, without systemd:
#   start   install what is missing (apt-get; Keystone from PyPI into a venv under the state dir),
#           start what is not already running (judged by our own pid files), create the install
#           guide's users, databases, service and endpoints, and write $STATE/glance-api.conf
#           (correct for this stack, with the real endpoint id), $STATE/stack.env, $STATE/stack.json.
#           Then runs the real `glance-manage db_sync` and starts glance-api with that file.
#           Idempotent: re-running while everything is up changes nothing.
#   stop    stop ONLY the processes whose pids `start` recorded under $STATE/run (each checked
#           against /proc/PID/cmdline first). `stop --purge` also deletes the data (keeps the venvs).
#   status  one line per service; exit 0 when all five run, 3 otherwise (glance-api is reported, not required).
#   glance-api start [CONF]   run glance-api (glance.wsgi.api:application under gunicorn, one worker)
#           as user glance on 127.0.0.1:$GLANCE_PORT with CONF (default $STATE/glance-api.conf):
#           OS_GLANCE_CONFIG_DIR=$STATE/glance-api/etc holds a copy of CONF and the wheel's
#           etc/glance/glance-api-paste.ini. Restarts it if it runs. Exit 0 once GET / answers with
#           Glance's version document; 1 (and the log's tail) when it does not start in 60 s.
#   glance-api stop|status    stop it (by its pid file) / say whether it runs.
#   env     print `export ...` lines for the tests:   eval "$(scripts/live-stack.sh env)"
#           GLANCE_LINT_LIVE_CONF (the correct glance-api.conf), GLANCE_LINT_LIVE_ENV (stack.env),
#           and every stack.env value as GLANCE_LINT_LIVE_<KEY>.
#
# STATE = $GLANCE_LINT_STACK_DIR (default /tmp/glance-lint-stack). Ports overridable: MYSQL_PORT 3306,
# RABBIT_PORT 5672 (+ RABBIT_DIST_PORT 25672, EPMD_PORT 4369), MEMCACHED_PORT 11211, KEYSTONE_PORT 5000.
#
# Databases made for the tests (user glance has all rights on each):
#   glance           the real `glance-manage db_sync` ran on it (every table, alembic_version at the contract head)
#   glance_nosync    exists, db_sync never ran (no alembic_version)
#   glance_expand    the real `glance-manage db expand` ran on it, not contract (contract pending)
#   glance_notables  a FAULT on purpose (issue 14): alembic_version holds the contract head and there is no
#                    other table (db_sync then says "No migrations needed" and glance-api fails with 500)
# Faults for the end-to-end test, made once here (nothing the tests share is changed by a test):
#   MySQL user glance_ro: SELECT only on glance.*; directory $STATE/images-rootonly (root 0755, the
#   glance user cannot write it); Keystone regions RegionNoLimits (image endpoints at :$GLANCE_PORT, no
#   registered limits) and RegionWrongPort (image endpoints at :$WRONG_PORT where nothing listens,
#   registered limits). RegionOne has the image endpoints at :$GLANCE_PORT and the four registered
#   limits Glance reads with use_keystone_limits = true.
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
GLANCE_PORT=${GLANCE_PORT:-9292}   # glance-api (`glance-api start`) and the catalog's image endpoints
WRONG_PORT=${WRONG_PORT:-9293}     # RegionWrongPort's image endpoints: nothing listens there
RUN=$STACK_DIR/run
REPO=$(cd "$(dirname "$0")/.." && pwd)
GLANCE_VERSION=${GLANCE_VERSION:-33.0.0}
GLANCE_STACK_VENV=${GLANCE_STACK_VENV:-$STACK_DIR/glance-venv}
GLANCE_UC=${GLANCE_UC:-$REPO/../shared/releases/upper-constraints/uc-master.txt}
GRUN=$STACK_DIR/glance-run          # owned by the glance user: gunicorn's pid file and log
GETC=$STACK_DIR/glance-api/etc      # OS_GLANCE_CONFIG_DIR of the running glance-api

usage() { echo "usage: $0 start | stop [--purge] | status | env | glance-api start [CONF] | glance-api stop | glance-api status" >&2; exit 2; }
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
  stop_pid glance-api "$GRUN/glance-api.pid" 'gunicorn'
  stop_pid keystone  "$RUN/keystone.pid"  'gunicorn'
  stop_pid rabbitmq  "$RUN/rabbitmq.pid"  'beam' \
    env RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_CONF_ENV_FILE="$STACK_DIR/rabbitmq/rabbitmq-env.conf" \
    ERL_EPMD_ADDRESS=$HOST ERL_EPMD_PORT="$EPMD_PORT" \
    rabbitmqctl -q -n rabbit@localhost stop "$STACK_DIR/rabbitmq/rabbit.pid"
  stop_pid epmd      "$RUN/epmd.pid"      'epmd'
  stop_pid memcached "$RUN/memcached.pid" 'memcached'
  stop_pid mariadb   "$RUN/mariadb.pid"   'mariadbd|mysqld'
  if [[ ${1:-} == --purge && -d $STACK_DIR ]]; then
    say "purging data under $STACK_DIR (keeping keystone-venv and glance-venv)"
    find "$STACK_DIR" -mindepth 1 -maxdepth 1 ! -name keystone-venv ! -name glance-venv -exec rm -rf {} +
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
  # glance-api is started on demand (`glance-api start`): reported, not required
  if pid=$(pid_of_ours "$GRUN/glance-api.pid" gunicorn); then echo "glance-api: running (pid $pid, $HOST:$GLANCE_PORT)"
  else echo "glance-api: not running (optional: $0 glance-api start)"; fi
  ((bad == 0)) || return 3
}

# ---------------------------------------------------------------- glance-api (real, under gunicorn)
glance_api_stop() { stop_pid glance-api "$GRUN/glance-api.pid" 'gunicorn'; }
glance_api_start() {
  local conf=${1:-$STACK_DIR/glance-api.conf} paste
  [[ $(id -u) -eq 0 ]] || { say "glance-api start needs root (it runs glance-api as user glance)"; return 1; }
  [[ -s $conf ]] || { say "$conf missing: run '$0 start' first"; return 1; }
  [[ -x $GLANCE_STACK_VENV/bin/gunicorn ]] || { say "$GLANCE_STACK_VENV has no gunicorn: run '$0 start' first"; return 1; }
  paste=$GLANCE_STACK_VENV/etc/glance/glance-api-paste.ini
  [[ -s $paste ]] || { say "$paste missing (the glance wheel ships it)"; return 1; }
  glance_api_stop >/dev/null 2>&1
  (exec 3<>"/dev/tcp/$HOST/$GLANCE_PORT") 2>/dev/null && { say "port $GLANCE_PORT is taken by something that is not ours"; return 1; }
  rm -rf "$GETC"; mkdir -p "$GETC" "$GRUN"
  cp "$conf" "$GETC/glance-api.conf"; cp "$paste" "$GETC/glance-api-paste.ini"
  # the file holds passwords: readable by root and the glance group only, as a package installs it
  chown -R root:glance "$STACK_DIR/glance-api"; chmod 750 "$STACK_DIR/glance-api" "$GETC"; chmod 640 "$GETC"/*
  chown glance:glance "$GRUN"; chmod 750 "$GRUN"
  : > "$GRUN/glance-api.log"; chown glance:glance "$GRUN/glance-api.log"
  # glance's own WSGI application (33.0.0's glance-api console script refuses to serve); it reads
  # glance-api.conf and the paste file from OS_GLANCE_CONFIG_DIR and parses no argv of its own.
  runuser -u glance -- env -i PATH=/usr/bin:/bin HOME=/var/lib/glance OS_GLANCE_CONFIG_DIR="$GETC" PYTHONWARNINGS=ignore \
    "$GLANCE_STACK_VENV/bin/gunicorn" --chdir "$GRUN" --bind "$HOST:$GLANCE_PORT" --workers 1 --threads 4 \
    --timeout 120 --graceful-timeout 3 --daemon --pid "$GRUN/glance-api.pid" --error-logfile "$GRUN/glance-api.log" --capture-output \
    --no-control-socket glance.wsgi.api:application || { say "gunicorn did not start"; return 1; }
  local end=$(( $(date +%s) + 60 ))
  while (( $(date +%s) < end )); do
    if curl -s -m 5 "http://$HOST:$GLANCE_PORT/" 2>/dev/null | grep -q '"versions"'; then
      say "glance-api: running as glance on http://$HOST:$GLANCE_PORT (pid $(cat "$GRUN/glance-api.pid"), conf $conf)"; return 0
    fi
    # gunicorn's master gives up when the application does not load ("App failed to load")
    [[ -s $GRUN/glance-api.pid ]] && ! pid_of_ours "$GRUN/glance-api.pid" gunicorn >/dev/null && break
    sleep 0.5
  done
  say "glance-api did not start with $conf; the end of $GRUN/glance-api.log:"
  tail -n 15 "$GRUN/glance-api.log" | sed -E 's#(://[^:/@ ]+:)[^@ ]+@#\1***@#g' >&2
  glance_api_stop >/dev/null 2>&1
  return 1
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
  glance-api)
    case ${2:-} in
      start) glance_api_start "${3:-}"; exit $? ;;
      stop) glance_api_stop; exit 0 ;;
      status) if p=$(pid_of_ours "$GRUN/glance-api.pid" gunicorn); then echo "glance-api: running (pid $p)"; exit 0; fi
              echo "glance-api: not running"; exit 3 ;;
      *) usage ;;
    esac ;;
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
if [[ -z ${KEYSTONE_DBPASS:-} ]]; then # a state dir from before Keystone kept its data in MariaDB
  KEYSTONE_DBPASS=keystonedb-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  echo "KEYSTONE_DBPASS=$KEYSTONE_DBPASS" >> "$SECRETS"
fi

# ---------------------------------------------------------------- packages
need_pkgs=()
# qemu-utils: qemu-img makes the image the end-to-end test uploads
for p in mariadb-server rabbitmq-server memcached curl jq python3-venv qemu-utils; do
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
CREATE DATABASE IF NOT EXISTS glance_notables;
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
GRANT ALL PRIVILEGES ON glance_notables.* TO 'glance'@'localhost';
GRANT ALL PRIVILEGES ON glance_notables.* TO 'glance'@'%';
-- Keystone's own database (MariaDB, not sqlite: several workers log users in at once)
CREATE DATABASE IF NOT EXISTS keystone;
CREATE USER IF NOT EXISTS 'keystone'@'localhost' IDENTIFIED BY '$KEYSTONE_DBPASS';
CREATE USER IF NOT EXISTS 'keystone'@'%' IDENTIFIED BY '$KEYSTONE_DBPASS';
ALTER USER 'keystone'@'localhost' IDENTIFIED BY '$KEYSTONE_DBPASS';
ALTER USER 'keystone'@'%' IDENTIFIED BY '$KEYSTONE_DBPASS';
GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost';
GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'%';
-- fault (e2e): a database user that may only read
CREATE USER IF NOT EXISTS 'glance_ro'@'localhost' IDENTIFIED BY '$GLANCE_DBPASS';
CREATE USER IF NOT EXISTS 'glance_ro'@'%' IDENTIFIED BY '$GLANCE_DBPASS';
ALTER USER 'glance_ro'@'localhost' IDENTIFIED BY '$GLANCE_DBPASS';
ALTER USER 'glance_ro'@'%' IDENTIFIED BY '$GLANCE_DBPASS';
GRANT SELECT ON glance.* TO 'glance_ro'@'localhost';
GRANT SELECT ON glance.* TO 'glance_ro'@'%';
FLUSH PRIVILEGES;
-- glance_nosync: a database that exists but on which db_sync never ran (no alembic_version table).
DROP TABLE IF EXISTS glance_nosync.alembic_version;
-- glance_notables: the fault issue 14 measured, on purpose: the contract head recorded, no table made.
CREATE TABLE IF NOT EXISTS glance_notables.alembic_version (version_num VARCHAR(32) NOT NULL, PRIMARY KEY (version_num));
DELETE FROM glance_notables.alembic_version;
INSERT INTO glance_notables.alembic_version VALUES ('2024_1_contract01');
EOF
log "mariadb ready: databases glance, glance_nosync, glance_expand, glance_notables; users glance, glance_ro (db_sync runs below, with glance)"

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

# ---------------------------------------------------------------- the glance user and real Glance (PyPI)
# glance-api runs as an unprivileged `glance` user, as the distribution packages run it; the
# image-dir check (--live) reads that user from /etc/passwd.
if ! id -u glance >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/glance --no-create-home --shell /usr/sbin/nologin glance
  log "created system user glance"
fi
# glance==$GLANCE_VERSION under the upper-constraints it was released with (as scripts/test.sh
# installs it), plus PyMySQL (the install guide's mysql+pymysql driver), python-memcached
# (keystonemiddleware's memcached_servers) and gunicorn. The
# interpreter must be one the glance user can run: Python 3.12 (3.11, 3.10) via `pyenv prefix`
# when its directory is readable by others, else Debian's python3 (pyenv usually lives under
# /root, which the glance user cannot enter).
if [[ ! -x $GLANCE_STACK_VENV/bin/gunicorn ]] || ! "$GLANCE_STACK_VENV/bin/python" -c 'import glance, glance_store, pymysql, memcache' 2>/dev/null; then
  [[ -f $GLANCE_UC ]] || die "$GLANCE_UC missing (../shared/releases beside the repository)"
  GPY=""
  for v in 3.12 3.11 3.10; do
    cand=""
    if p=$(command -v "python$v") && "$p" -c '' 2>/dev/null; then cand=$p
    elif command -v pyenv >/dev/null 2>&1; then
      pv=$(pyenv versions --bare 2>/dev/null | grep -E "^$v\." | tail -n 1 || true)
      [[ -n $pv && -x "$(pyenv prefix "$pv")/bin/python$v" ]] && cand="$(pyenv prefix "$pv")/bin/python$v"
    fi
    if [[ -n $cand ]] && runuser -u glance -- "$cand" -c '' 2>/dev/null; then GPY=$cand; break; fi
  done
  GPY=${GPY:-/usr/bin/python3}
  log "pip install glance==$GLANCE_VERSION PyMySQL gunicorn into $GLANCE_STACK_VENV ($("$GPY" -V 2>&1), $GPY)"
  rm -rf "$GLANCE_STACK_VENV"; "$GPY" -m venv "$GLANCE_STACK_VENV"
  "$GLANCE_STACK_VENV/bin/pip" install -q --disable-pip-version-check -c "$GLANCE_UC" "glance==$GLANCE_VERSION" \
    PyMySQL gunicorn python-memcached python-cinderclient os-brick python-swiftclient boto3 > "$STACK_DIR/pip-glance.log" 2>&1 \
    || { tail -20 "$STACK_DIR/pip-glance.log" >&2; die "pip install glance failed"; }
  chmod -R go+rX "$GLANCE_STACK_VENV"
  log "pip glance done"
fi

# ---------------------------------------------------------------- Keystone (PyPI) under gunicorn
KS=$STACK_DIR/keystone
KSPID=$RUN/keystone.pid
KSURL=http://$HOST:$KEYSTONE_PORT
if [[ ! -x $KEYSTONE_VENV/bin/keystone-manage || ! -x $KEYSTONE_VENV/bin/gunicorn ]] || ! "$KEYSTONE_VENV/bin/python" -c 'import pymysql, pymemcache' 2>/dev/null; then
  log "pip install keystone==$KEYSTONE_VERSION gunicorn PyMySQL pymemcache into $KEYSTONE_VENV"
  [[ -x $KEYSTONE_VENV/bin/python ]] || python3 -m venv "$KEYSTONE_VENV"
  "$KEYSTONE_VENV/bin/pip" install -q --disable-pip-version-check "keystone==$KEYSTONE_VERSION" gunicorn PyMySQL pymemcache \
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
connection = mysql+pymysql://keystone:$KEYSTONE_DBPASS@$HOST:$MYSQL_PORT/keystone
[identity]
# bcrypt's cheapest cost (default 12): a login is then milliseconds, not ~0.4 s of CPU, so the
# probes' timings (scripts/bench-live.sh) measure the probes, not this 2-CPU machine's bcrypt.
# Hashes are made when a password is set: the REST setup below sets the glance users' each run.
password_hash_rounds = 4
# Keystone's cache in the stack's memcached, as devstack, kolla-ansible and OpenStack-Ansible
# configure it: without it every request's token validation rebuilds the token from the database
# (~90 ms of Python CPU here), and three concurrent probe requests saturate the 2 CPUs, so
# scripts/bench-live.sh measured this Keystone's CPU rather than the probes' concurrency.
[cache]
enabled = true
backend = dogpile.cache.pymemcache
memcache_servers = $HOST:$MEMCACHED_PORT
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
  if [[ ! -e $KS/bootstrapped-mariadb ]]; then
    log "keystone-manage db_sync / fernet_setup / credential_setup / bootstrap"
    export PYTHONWARNINGS=ignore
    "${KM[@]}" db_sync 2>>"$KS/manage.err"
    "${KM[@]}" fernet_setup --keystone-user root --keystone-group root 2>>"$KS/manage.err"
    "${KM[@]}" credential_setup --keystone-user root --keystone-group root 2>>"$KS/manage.err"
    "${KM[@]}" bootstrap --bootstrap-password "$ADMIN_PASS" \
      --bootstrap-admin-url "$KSURL/v3/" --bootstrap-internal-url "$KSURL/v3/" \
      --bootstrap-public-url "$KSURL/v3/" --bootstrap-region-id RegionOne 2>>"$KS/manage.err"
    touch "$KS/bootstrapped-mariadb"
  fi
  log "starting keystone (gunicorn) on $KSURL"
  # two workers of two threads: the probes log in concurrently (a password login is ~0.4 s of
  # bcrypt), as glance-api's middleware and oslo.limit do. On sqlite concurrent logins failed with
  # "database is locked" (HTTP 500), hence MariaDB.
  OS_KEYSTONE_CONFIG_FILES=$KS/keystone.conf PYTHONWARNINGS=ignore "$KEYSTONE_VENV/bin/gunicorn" \
    --chdir "$KS/wsgi" --bind "$HOST:$KEYSTONE_PORT" --workers 2 --threads 2 --daemon \
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
  EP[$iface]=$(api GET "/endpoints?service_id=$SERVICE_ID&interface=$iface&region_id=RegionOne" | first_id endpoints)
  [[ -n ${EP[$iface]} ]] || EP[$iface]=$(api POST /endpoints \
    "{\"endpoint\":{\"service_id\":\"$SERVICE_ID\",\"interface\":\"$iface\",\"url\":\"http://$HOST:$GLANCE_PORT\",\"region_id\":\"RegionOne\"}}" \
    | jq -r .endpoint.id)
done
# The four registered limits Glance reads with use_keystone_limits = true (configure-quotas guide), in MiB/counts.
ensure_limits() { # ensure_limits REGION
  local r
  for r in image_size_total:1000 image_stage_total:1000 image_count_total:1000 image_count_uploading:100; do
    [[ -n $(api GET "/registered_limits?service_id=$SERVICE_ID&region_id=$1&resource_name=${r%%:*}" | first_id registered_limits) ]] && continue
    api POST /registered_limits "{\"registered_limits\":[{\"service_id\":\"$SERVICE_ID\",\"region_id\":\"$1\",\"resource_name\":\"${r%%:*}\",\"default_limit\":${r#*:}}]}" >/dev/null
  done
}
ensure_limits RegionOne
# Fault regions for the end-to-end test: the whole catalog is right except one thing each.
declare -A FEP
for spec in RegionNoLimits:$GLANCE_PORT RegionWrongPort:$WRONG_PORT; do
  region=${spec%%:*}; port=${spec#*:}
  api GET "/regions/$region" >/dev/null 2>&1 || api POST /regions "{\"region\":{\"id\":\"$region\"}}" >/dev/null
  for iface in public internal admin; do
    id=$(api GET "/endpoints?service_id=$SERVICE_ID&interface=$iface&region_id=$region" | first_id endpoints)
    [[ -n $id ]] || id=$(api POST /endpoints \
      "{\"endpoint\":{\"service_id\":\"$SERVICE_ID\",\"interface\":\"$iface\",\"url\":\"http://$HOST:$port\",\"region_id\":\"$region\"}}" \
      | jq -r .endpoint.id)
    FEP[$region.$iface]=$id
  done
done
ensure_limits RegionWrongPort
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
REGION_NOLIMITS=RegionNoLimits
REGION_NOLIMITS_ENDPOINT_ID=${FEP[RegionNoLimits.public]}
REGION_WRONGPORT=RegionWrongPort
REGION_WRONGPORT_ENDPOINT_ID=${FEP[RegionWrongPort.public]}
WRONG_PORT=$WRONG_PORT
GLANCE_URL=http://$HOST:$GLANCE_PORT
GLANCE_PORT=$GLANCE_PORT
GLANCE_VENV=$GLANCE_STACK_VENV
SERVICE_USER=glance
IMAGE_DIR=$STACK_DIR/images
IMAGE_DIR_ROOTONLY=$STACK_DIR/images-rootonly
STAGING_DIR=$STACK_DIR/staging
DB_RO_USER=glance_ro
DB_NOTABLES_NAME=glance_notables
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
# The image directory belongs to the user glance-api runs as; images-rootonly is the fault.
mkdir -p "$STACK_DIR/images" "$STACK_DIR/staging" "$STACK_DIR/tasks" "$STACK_DIR/images-rootonly"
chown glance:glance "$STACK_DIR/images" "$STACK_DIR/staging" "$STACK_DIR/tasks"
chown root:root "$STACK_DIR/images-rootonly"; chmod 755 "$STACK_DIR/images-rootonly"
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

# glance-api's reserved stores (staging for image import, tasks): writable by the glance user
[os_glance_staging_store]
filesystem_store_datadir = $STACK_DIR/staging/

[os_glance_tasks_store]
filesystem_store_datadir = $STACK_DIR/tasks/

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

# ---------------------------------------------------------------- the real glance-manage
# db_sync on glance (idempotent: "No migrations needed" once done) and db expand alone on
# glance_expand (contract pending), each with a file that names only that database.
gmanage() { # gmanage DATABASE ARGS...
  local db=$1 f; shift
  f=$(mktemp); chmod 600 "$f"
  printf '[database]\nconnection = mysql+pymysql://glance:%s@%s:%s/%s\n' "$GLANCE_DBPASS" "$HOST" "$MYSQL_PORT" "$db" > "$f"
  PYTHONWARNINGS=ignore "$GLANCE_STACK_VENV/bin/glance-manage" --config-file "$f" "$@" >> "$STACK_DIR/glance-manage.log" 2>&1
  local rc=$?; rm -f "$f"; return $rc
}
has_table() { mysql_root -N -e "SELECT 1 FROM information_schema.tables WHERE table_schema='$1' AND table_name='$2'" | grep -q 1; }
# A state dir from before real db_sync (a hand-written alembic_version row, no tables): start afresh.
for db in glance glance_expand; do
  if has_table "$db" alembic_version && ! has_table "$db" images; then
    log "$db has alembic_version but no Glance table (left by an older live-stack.sh): recreating it"
    mysql_root -e "DROP DATABASE $db; CREATE DATABASE $db;"
  fi
done
gmanage glance db_sync || { tail -20 "$STACK_DIR/glance-manage.log" >&2; die "glance-manage db_sync failed"; }
if ! has_table glance_expand alembic_version; then
  gmanage glance_expand db expand || { tail -20 "$STACK_DIR/glance-manage.log" >&2; die "glance-manage db expand failed"; }
fi
log "glance-manage: glance synced ($(mysql_root -N -e 'SELECT version_num FROM glance.alembic_version' | tr '\n' ' ')), glance_expand expanded ($(mysql_root -N -e 'SELECT version_num FROM glance_expand.alembic_version' | tr '\n' ' '))"
# glance-api itself, with the correct file: the catalog's RegionOne endpoints answer as Glance.
if pid_of_ours "$GRUN/glance-api.pid" gunicorn >/dev/null; then
  log "glance-api already running (pid $(cat "$GRUN/glance-api.pid"))"
else
  glance_api_start "$STACK_DIR/glance-api.conf" || die "glance-api did not start"
  log "glance-api ready"
fi
log "start done: eval \"\$($0 env)\" exports GLANCE_LINT_LIVE_CONF=$STACK_DIR/glance-api.conf"
