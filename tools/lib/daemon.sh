# Shared by the tools/*-local wrappers: run one background server per data folder, with its pid file, log and
# readiness wait. Source it, then call the functions; NAME (for messages) must be set by the caller.
#
#   daemon_running PIDFILE                 true while the process in PIDFILE lives
#   daemon_launch PIDFILE LOG CMD...       start CMD detached (stdin closed, output to LOG), record its pid
#   daemon_watch PIDFILE WATCH_PID         stop the server when WATCH_PID (e.g. a test session) ends
#   daemon_wait PIDFILE LOG TIMEOUT PROBE...
#                                          poll PROBE (a command) until it succeeds; when the server dies or
#                                          TIMEOUT seconds pass, show the log's tail, stop it and fail
#   daemon_stop PIDFILE                    TERM, then KILL after 10 s; forget the pid

die() { echo "$NAME: $*" >&2; exit 2; }

daemon_running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

daemon_launch() {
  local pidfile=$1 log=$2; shift 2
  nohup "$@" > "$log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

daemon_watch() {
  local pid; pid=$(cat "$1")
  nohup bash -c "while kill -0 $2 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 2; done; kill $pid 2>/dev/null" \
    > /dev/null 2>&1 < /dev/null &
}

daemon_wait() {
  local pidfile=$1 log=$2 timeout=$3; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if ! daemon_running "$pidfile"; then tail -n 30 "$log" >&2; die "the server exited during start-up (log: $log)"; fi
    if [ $SECONDS -ge "$deadline" ]; then
      tail -n 30 "$log" >&2; daemon_stop "$pidfile" >/dev/null; die "not ready after ${timeout}s (log: $log)"
    fi
    sleep 0.5
  done
}

daemon_stop() {
  if daemon_running "$1"; then
    local pid; pid=$(cat "$1")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    echo "$NAME: stopped"
  else
    echo "$NAME: not running"
  fi
  rm -f "$1"
}
