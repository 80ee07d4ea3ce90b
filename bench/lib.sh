# Helpers the bench scripts share; source it after setting py (the Python to run).

# Loopback only: a shoal a bench starts joins no DHT router on the internet (Dht:Bootstrap defaults to the
# well-known ones), asks no router for a port mapping and sends no local discovery multicast.
export SHOAL_Dht__Bootstrap=none SHOAL_Net__PortMapping=false SHOAL_Net__LocalDiscovery=false

free_port() { "${py:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

# Waits until FILE has a line matching PATTERN while PID lives; at most SECONDS.
wait_for_line() {
    local file="$1" pattern="$2" pid="$3" seconds="$4" end
    end=$(($(date +%s) + seconds))
    while [ "$(date +%s)" -le "$end" ]; do
        grep -qE "$pattern" "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# The median of the numbers on stdin, one a line (the lower middle one of an even count); "null" for none.
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "null" }'; }
