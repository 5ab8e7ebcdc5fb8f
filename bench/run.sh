#!/usr/bin/env bash
# The benchmark (issues 11 and 15): Mailpath's transports beside the protocol limits and plain Jakarta Mail / JDK
# HttpClient loops, and the outbox's drain rate, on loopback peers this script starts and stops. Prints one Markdown
# table (BENCHMARKS.md explains it).
#
#   sudo bench/run.sh            # everything, about 8 to 10 minutes on 2 cores
#   BENCH_SUITES="smtp http" bench/run.sh  # some of the suites only
#
# Tunables (environment): BENCH_ROUNDS (3), BENCH_SECONDS (1.5 per row and round), BENCH_SUITES (smtp http tls heap
# outbox liberty), BENCH_JFR (1: record a Java Flight Recorder profile of each plain JVM into bench/target/jfr/),
# BENCH_PG_OPTIONS (more PostgreSQL server options for the outbox rows, e.g. "-c synchronous_commit=off").
# Runs as root: it installs Debian's postfix, dovecot-core (Postfix's SASL backend), nginx-light, wrk and postgresql
# when missing, and runs their daemons under their own users. Every peer listens on 127.0.0.1 only; its files live
# under /tmp/mailpath-bench.* (PostgreSQL's under bench/target/postgresql); everything it started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

if [ "$(id -u)" -ne 0 ]; then
    echo "bench/run.sh runs as root (it installs packages and runs Postfix's daemons)" >&2
    exit 1
fi

ROUNDS="${BENCH_ROUNDS:-3}"
SECONDS_PER_ROW="${BENCH_SECONDS:-1.5}"
SUITES="${BENCH_SUITES:-smtp http tls heap outbox liberty}"
suite() { [[ " $SUITES " == *" $1 "* ]]; }
STARTED=$(date +%s)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- What it needs from Debian ---------------------------------------------------------------------------------
need=()
command -v smtp-sink >/dev/null || need+=(postfix)
command -v dovecot >/dev/null || need+=(dovecot-core)
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v openssl >/dev/null || need+=(openssl)
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
    # Installing postgresql creates and starts a cluster of its own: only this script's may run.
    if [[ " ${need[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null; then
        pg_lsclusters -h 2>/dev/null | while read -r version cluster _; do
            pg_ctlcluster "$version" "$cluster" stop || true
        done
    fi
fi
# The packages may start their system services; nothing but this script's own instances may run.
if [ -e /var/spool/postfix/pid/master.pid ] && postfix status >/dev/null 2>&1; then postfix stop || true; fi
if [ -S /run/dovecot/master ] || [ -s /run/dovecot/master.pid ]; then doveadm stop >/dev/null 2>&1 || true; fi
if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then nginx -s quit || true; fi

# --- Build ------------------------------------------------------------------------------------------------------
MVN_QUIET=(-B -q -Dstyle.color=never -DskipTests -Dspotless.check.skip=true -Dmaven.javadoc.skip=true)
echo "building the bench module..." >&2
mvn "${MVN_QUIET[@]}" package -pl bench -am
CP="$(cat bench/target/classpath.txt):bench/target/classes"

# --- Peers ------------------------------------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/mailpath-bench.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
POSTFIX_STARTED=0
NGINX_STARTED=0
DOVECOT_STARTED=0
LIBERTY_STARTED=0
PG_STARTED=0
PG_BASE="$ROOT/bench/target/postgresql"
cleanup() {
    set +e
    if [ "$PG_STARTED" = 1 ]; then
        runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PG_BASE/data" -m fast -w stop >/dev/null 2>&1
        cp "$PG_BASE/server.log" "$WORK/postgresql.log" 2>/dev/null
    fi
    if [ "$LIBERTY_STARTED" = 1 ]; then
        bench/target/liberty/wlp/bin/server stop bench >/dev/null 2>&1
    fi
    if [ "$POSTFIX_STARTED" = 1 ]; then postfix -c "$WORK/postfix" stop >/dev/null 2>&1; fi
    if [ "$DOVECOT_STARTED" = 1 ]; then doveadm -c "$WORK/dovecot.conf" stop >/dev/null 2>&1; fi
    if [ "$NGINX_STARTED" = 1 ]; then nginx -c "$WORK/nginx.conf" -s quit >/dev/null 2>&1; fi
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    sleep 1
    # The peers' logs stay for a look afterwards.
    mkdir -p "$ROOT/bench/target/peer-logs"
    cp "$WORK"/*.log "$WORK"/*.err "$ROOT/bench/target/peer-logs/" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
SINK_PORT=$(free_port)
RELAY_SINK_PORT=$(free_port)
SUBMISSION_PORT=$(free_port)
NGINX_PORT=$(free_port)
LIBERTY_HTTP=$(free_port)
LIBERTY_HTTPS=$(free_port)
PG_PORT=$(free_port)

# smtp-sink, the plain SMTP peer, counting each message (-c) into a file; and a second one behind Postfix.
smtp-sink -c -u nobody "127.0.0.1:$SINK_PORT" 512 >"$WORK/sink.count" 2>"$WORK/sink.err" &
PIDS+=($!)
smtp-sink -c -u nobody "127.0.0.1:$RELAY_SINK_PORT" 512 >"$WORK/relay-sink.count" 2>"$WORK/relay-sink.err" &
PIDS+=($!)

# A self-signed certificate for 127.0.0.1, and a PKCS12 trust store holding it for the JVMs.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
TRUST_PASSWORD=bench-trust
keytool -importcert -noprompt -alias bench -file "$WORK/cert.pem" -keystore "$WORK/trust.p12" \
    -storetype PKCS12 -storepass "$TRUST_PASSWORD" >/dev/null 2>&1

# Postfix's submission service: STARTTLS required, AUTH (through Dovecot) required, and every accepted message
# handed before the queue (smtpd_proxy_filter) to the second smtp-sink, which counts it: no queue, no disk.
SASL_USER=bench
SASL_PASSWORD=bench-password-4711
PF="$WORK/postfix"
mkdir -p "$PF" "$WORK/postfix-queue" "$WORK/postfix-data"
cp "$WORK/key.pem" "$WORK/cert.pem" "$PF/"
chmod 600 "$PF/key.pem"
# Dovecot's auth service checks the password (a passwd-file) for Postfix over a socket: nothing else of Dovecot runs.
cat >"$WORK/dovecot.conf" <<EOF
base_dir = $WORK/dovecot
state_dir = $WORK/dovecot-state
log_path = $WORK/dovecot.log
protocols =
ssl = no
auth_mechanisms = plain login
disable_plaintext_auth = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $WORK/dovecot-users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
service auth {
  unix_listener auth-client {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
echo "$SASL_USER:{PLAIN}$SASL_PASSWORD" >"$WORK/dovecot-users"
chmod 644 "$WORK/dovecot-users"
mkdir -p "$WORK/dovecot-state"
dovecot -c "$WORK/dovecot.conf"
DOVECOT_STARTED=1
chown postfix "$WORK/postfix-data"
cat >"$PF/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $WORK/postfix-queue
data_directory = $WORK/postfix-data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = bench.localhost
mydestination =
relayhost =
maillog_file = $WORK/postfix.log
maillog_file_prefixes = /tmp
smtpd_tls_cert_file = $PF/cert.pem
smtpd_tls_key_file = $PF/key.pem
smtpd_tls_security_level = encrypt
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $WORK/dovecot/auth-client
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
smtpd_proxy_filter = 127.0.0.1:$RELAY_SINK_PORT
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
EOF
cat >"$PF/master.cf" <<EOF
127.0.0.1:$SUBMISSION_PORT inet n - n - 24 smtpd
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
anvil     unix - - n - 1 anvil
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
proxymap  unix - - n - - proxymap
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
scache    unix - - n - 1 scache
discard   unix - - n - - discard
postlog   unix-dgram n - n - 1 postlogd
EOF
# Postfix reports to a terminal or its log only.
postfix -c "$PF" start >/dev/null 2>&1 || { cat "$WORK/postfix.log" >&2; exit 1; }
POSTFIX_STARTED=1

# nginx: POST /v1/layang/transmissions answers the spec's 200 {"transmissionId": ...}, or 503 while the file
# api-down exists (the Liberty rows' open circuit); one access-log line per request.
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
    log_format counted '\$status';
    access_log $WORK/nginx-access.log counted;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    client_max_body_size 64m;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = /v1/layang/transmissions {
            # Read the whole request body before answering, as a real API does (a mirror subrequest needs it first):
            # an answer before the body would make clients race it.
            mirror /read-body;
            mirror_request_body on;
            default_type application/json;
            if (-f $WORK/api-down) {
                return 503 '{"error":"unavailable","message":"benchmark: the API is down"}';
            }
            return 200 '{"message":"Transmission received","transmissionId":"bench-\$request_id"}';
        }
        location = /read-body {
            internal;
            access_log off;
            return 204;
        }
    }
}
EOF
nginx -c "$WORK/nginx.conf"
NGINX_STARTED=1

# Wait until every peer answers.
for port in $SINK_PORT $RELAY_SINK_PORT $SUBMISSION_PORT $NGINX_PORT; do
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
done

# PostgreSQL for the outbox rows: a cluster of our own under bench/target, run as the postgres user (it refuses root),
# on loopback, with the package's defaults otherwise: every commit is flushed to disk, as a production database does.
# BENCH_PG_OPTIONS adds server options, e.g. "-c synchronous_commit=off" to see what the flushes cost.
if suite outbox; then
    rm -rf "$PG_BASE"
    mkdir -p "$PG_BASE"
    chown postgres: "$PG_BASE"
    runuser -u postgres -- "$(pg_bin)/initdb" -D "$PG_BASE/data" -U postgres --auth=trust --encoding=UTF8 \
        --no-locale >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 1; }
    PG_STARTED=1
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PG_BASE/data" -l "$PG_BASE/server.log" -w -t 120 \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_BASE ${BENCH_PG_OPTIONS:-}" \
        start >/dev/null \
        || { cat "$PG_BASE/server.log" >&2; exit 1; }
fi

RESULTS="$WORK/results.tsv"
HEAP_RESULTS="$WORK/heap.tsv"
COMMON=(-Dbench.results="$RESULTS" -Dbench.rounds="$ROUNDS" -Dbench.seconds="$SECONDS_PER_ROW" -Dbench.work="$WORK")
JAVA=(java -Xmx1g -XX:+UseParallelGC)
# With BENCH_JFR=1, the JVM of suite NAME records bench/target/jfr/NAME.jfr; read one with
# `jfr view hot-methods FILE` or `jfr view contention-by-site FILE` (the jfr tool of JDK 21 or later).
jfr() {
    [ "${BENCH_JFR:-0}" = 1 ] || return 0
    mkdir -p bench/target/jfr
    echo "-XX:StartFlightRecording=settings=profile,filename=bench/target/jfr/$1.jfr"
}

# --- One JVM per protocol ---------------------------------------------------------------------------------------
if suite smtp; then
echo "SMTP rows..." >&2
"${JAVA[@]}" $(jfr smtp) -cp "$CP" "${COMMON[@]}" -Dbench.sink="127.0.0.1:$SINK_PORT" -Dbench.sink.counter="$WORK/sink.count" \
    io.mailpath.bench.Bench smtp
fi
if suite http; then
echo "HTTP rows..." >&2
"${JAVA[@]}" $(jfr http) -cp "$CP" "${COMMON[@]}" -Dbench.nginx="http://127.0.0.1:$NGINX_PORT" \
    -Dbench.nginx.log="$WORK/nginx-access.log" io.mailpath.bench.Bench http
fi
if suite tls; then
echo "STARTTLS + AUTH rows..." >&2
"${JAVA[@]}" $(jfr tls) -cp "$CP" "${COMMON[@]}" -Dbench.submission="127.0.0.1:$SUBMISSION_PORT" \
    -Dbench.submission.counter="$WORK/relay-sink.count" -Dbench.user="$SASL_USER" -Dbench.password="$SASL_PASSWORD" \
    -Dbench.truststore="$WORK/trust.p12" -Dbench.truststore.password="$TRUST_PASSWORD" io.mailpath.bench.Bench tls
fi
if suite outbox; then
echo "outbox rows..." >&2
"${JAVA[@]}" $(jfr outbox) -cp "$CP" "${COMMON[@]}" -Dbench.nginx="http://127.0.0.1:$NGINX_PORT" \
    -Dbench.nginx.log="$WORK/nginx-access.log" -Dbench.postgresql="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
    $([ "${BENCH_JFR:-0}" = 1 ] && echo "-Dbench.jfr=$ROOT/bench/target/jfr") io.mailpath.bench.Bench outbox
fi
if suite heap; then
echo "heap rows..." >&2
"${JAVA[@]}" $(jfr heap) -cp "$CP" "${COMMON[@]}" -Dbench.sink="127.0.0.1:$SINK_PORT" -Dbench.nginx="http://127.0.0.1:$NGINX_PORT" \
    -Dbench.heap.results="$HEAP_RESULTS" io.mailpath.bench.Bench heap
fi

# --- Inside Open Liberty ----------------------------------------------------------------------------------------
if suite liberty; then
    echo "Liberty rows: starting the server..." >&2
    LIBERTY_STARTED=1
    mvn "${MVN_QUIET[@]}" package -pl bench -am -Pliberty -Dbench.liberty.http.port="$LIBERTY_HTTP" \
        -Dbench.liberty.https.port="$LIBERTY_HTTPS" -Dbench.nginx.port="$NGINX_PORT" -Dbench.sink.port="$SINK_PORT"
    # The server is up; wait until the bench WAR is too.
    LOG=bench/target/liberty/wlp/usr/servers/bench/logs/messages.log
    for _ in $(seq 120); do
        grep -q 'CWWKZ0001I.*mailpath-bench' "$LOG" 2>/dev/null && break
        grep -q 'CWWKZ0002E\|CWWKZ0004E' "$LOG" 2>/dev/null && { cat "$LOG" >&2; exit 1; }
        sleep 0.5
    done
    "${JAVA[@]}" -cp "$CP" "${COMMON[@]}" -Dbench.liberty="http://127.0.0.1:$LIBERTY_HTTP/mailpath-bench" \
        -Dbench.nginx.log="$WORK/nginx-access.log" -Dbench.sink.counter="$WORK/sink.count" \
        -Dbench.api.down="$WORK/api-down" io.mailpath.bench.Bench liberty
fi

# --- The table --------------------------------------------------------------------------------------------------
echo
echo "Mailpath benchmark, $(date -u +%Y-%m-%d), $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(java -version 2>&1 | head -1)"
echo "4 KiB messages on loopback; median of $ROUNDS rounds of ${SECONDS_PER_ROW} s per row, rows interleaved;"
echo "load average before the run: $LOAD_BEFORE (other work on the machine lowers every row)."
echo
java -cp "$CP" io.mailpath.bench.Report "$RESULTS" "$HEAP_RESULTS"
echo
echo "bench/run.sh took $(( $(date +%s) - STARTED )) s"
