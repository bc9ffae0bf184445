#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft, single combined broker+controller) for Anvil's tests and benchmarks.
#
# Usage: scripts/services/kafka.sh start|stop|down|status|env
#   start   download the broker jars with Maven (first time only, cached in .cache/kafka/jars-<version>), format KRaft storage
#           under .tmp/kafka/<instance>/data and start the broker on 127.0.0.1 on a free port; waits until it is
#           ready. Idempotent: a running broker is reused. After `down` it starts again on the same port and data.
#   stop    kill the broker and remove its instance folder (data, logs, port).
#   down    kill the broker but keep its data and port (to test a broker restart: `down`, then `start`).
#   status  exit 0 when the broker is running.
#   env     print ANVIL_TEST_KAFKA_BROKERS=127.0.0.1:<port> (nothing when it is not running).
#
# Settings (environment):
#   ANVIL_KAFKA_INSTANCE  name of the broker instance (default "default"); tests may run a private one.
#   ANVIL_KAFKA_VERSION   Kafka version to resolve from Maven Central (default 3.9.1).
#   ANVIL_KAFKA_HEAP      JVM heap options (default "-Xms128m -Xmx512m").
#   ANVIL_KAFKA_OWNER_PID a process owning this instance: once it is gone, any start/stop reaps the instance
#                         (a test killed before its cleanup leaves no broker behind).
# Needs Java 17+ and Maven; installs them with apt-get when they are missing and we are root.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init kafka process apt-ensure
version=${ANVIL_KAFKA_VERSION:-3.9.1}
instance=${ANVIL_KAFKA_INSTANCE:-default}
jars="$root/.cache/kafka/jars-$version"
dir="$root/.tmp/kafka/$instance"
pidfile="$dir/pid"
portfile="$dir/port"

running() { pid_running "$pidfile" kafka.Kafka; }

ensure_tools() {
  mapfile -t pkgs < <(apt_missing java:openjdk-17-jre-headless mvn:maven)
  apt_install --with-recommends "$svc.sh" "${pkgs[@]}"
}

ensure_jars() {
  [ -f "$jars/.complete" ] && return 0
  ensure_tools
  log "resolving org.apache.kafka:kafka_2.13:$version from Maven Central (first run only)"
  rm -rf "$jars.partial"
  mvn -q -B -Dstyle.color=never -f "$root/scripts/kafka/pom.xml" -Dkafka.version="$version" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$jars.partial"
  rm -rf "$jars"
  mv "$jars.partial" "$jars"
  touch "$jars/.complete"
}

write_config() {
  local port=$1 cport=$2
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
log.segment.bytes=1048576
log.retention.ms=3600000
log.retention.check.interval.ms=60000
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
  cat >"$dir/log4j.properties" <<EOF
log4j.rootLogger=WARN, file
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$dir/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

java_run() { # main class + args, foreground
  java -Xms64m -Xmx256m -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$jars/*" "$@"
}

ready() { grep -q 'Kafka Server started' "$dir/server.log" 2>/dev/null && ! port_free "$port"; }

svc_start() {
  if running; then log "broker '$instance' already running on 127.0.0.1:$(cat "$portfile")"; return 0; fi
  ensure_tools
  ensure_jars
  mkdir -p "$dir"
  local port cport
  if [ -f "$portfile" ] && [ -f "$dir/cport" ] && [ -d "$dir/data" ] && port_free "$(cat "$portfile")" && port_free "$(cat "$dir/cport")"; then
    port=$(cat "$portfile"); cport=$(cat "$dir/cport")   # restart after `down`: same port, same data
  else
    rm -rf "$dir/data"
    port=$(free_port); cport=$(free_port)
    while [ "$cport" = "$port" ]; do cport=$(free_port); done
    write_config "$port" "$cport"
    local cluster
    # base64url of 16 random bytes; it may start with "-" (1 start in 64 failed as `-t -…`), hence --cluster-id=…
    cluster=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
    java_run kafka.tools.StorageTool format --cluster-id="$cluster" -c "$dir/server.properties" --ignore-formatted >"$dir/format.log" 2>&1 ||
      { cat "$dir/format.log" >&2; log "formatting KRaft storage failed"; exit 1; }
    echo "$port" >"$portfile"; echo "$cport" >"$dir/cport"
  fi
  : >"$dir/server.log"
  # Class-data sharing: the first broker records the classes it loaded when it exits (down/stop); later starts map
  # that archive and start about twice as fast. A stale or broken archive is ignored by the JVM.
  local cds="-XX:ArchiveClassesAtExit=$dir/kafka.jsa"
  [ -s "$jars/kafka.jsa" ] && cds="-XX:SharedArchiveFile=$jars/kafka.jsa"
  # Its own session, so the broker outlives the shell that started it (stop/down end it).
  # shellcheck disable=SC2086
  spawn_session "$dir/stdout.log" java ${ANVIL_KAFKA_HEAP:--Xms128m -Xmx512m} "$cds" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$jars/*" kafka.Kafka "$dir/server.properties"
  local i pid=""
  for i in $(seq 1 100); do # setsid may fork: find the broker by its (unique) config path
    pid=$(pgrep -n -f -- "kafka.Kafka $dir/server.properties" || true)
    [ -n "$pid" ] && break
    sleep 0.05
  done
  if [ -z "$pid" ]; then cat "$dir/stdout.log" >&2 || true; log "broker did not start"; exit 1; fi
  echo "$pid" >"$pidfile"
  if [ -n "${ANVIL_KAFKA_OWNER_PID:-}" ]; then echo "$ANVIL_KAFKA_OWNER_PID" >"$dir/owner"; fi
  local rc=0
  wait_until 60 "$pid" ready || rc=$?
  case $rc in
    0) log "broker '$instance' ready on 127.0.0.1:$port" ;;
    2) tail_logs "$dir/stdout.log" "$dir/server.log"; log "broker exited during start"; exit 1 ;;
    *) log "broker did not become ready within 60 s (see $dir/server.log)"; svc_down; exit 1 ;;
  esac
}

svc_down() {
  running || { rm -f "$pidfile"; return 0; }
  if stop_group "$pidfile" 15 && [ -s "$dir/kafka.jsa" ] && [ ! -s "$jars/kafka.jsa" ]; then
    mv "$dir/kafka.jsa" "$jars/kafka.jsa.$$" && mv "$jars/kafka.jsa.$$" "$jars/kafka.jsa" # clean exit: keep the archive
  fi
  rm -f "$pidfile" "$dir/kafka.jsa"
}

reap_orphans() { # instances whose owner process is gone
  local d owner pid
  for d in "$root"/.tmp/kafka/*/; do
    [ -f "$d/owner" ] || continue
    owner=$(cat "$d/owner")
    { [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; } && continue
    pid=$(cat "$d/pid" 2>/dev/null || true)
    if [ -n "$pid" ] && grep -q 'kafka.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -rf "$d"
  done
}

svc_stop() { svc_down; rm -rf "$dir"; }
svc_status() { running; }
svc_env() { if running; then echo "ANVIL_TEST_KAFKA_BROKERS=127.0.0.1:$(cat "$portfile")"; fi; }

reap_orphans
service_main "${1:-}"
