#!/bin/sh
# The guest's boot: devices, drivers, data disk, network, then the metadata service named by
# the SMBIOS OEM string photon-metadata=<url> (hostname, SSH keys, user-data). Every step
# prints a "photon-guest:" line on the serial console, which is what hosts and tests read.
say() { echo "photon-guest: $*"; }
# HTTP GET over nc: busybox-static's wget crashes inside glibc's resolver without NSS
# libraries, and metadata URLs are literal addresses anyway. Prints the body; fails on non-200.
fetch() {
  rest=${1#http://}
  hostport=${rest%%/*}
  path=/${rest#*/}
  [ "$rest" = "$hostport" ] && path=/
  host=${hostport%:*}
  port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=80
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" | nc -w 5 "$host" "$port" >/tmp/fetch.$$ || return 1
  head -1 /tmp/fetch.$$ | grep -q '^HTTP/1\.[01] 200' || { rm -f /tmp/fetch.$$; return 1; }
  sed '1,/^\r*$/d' /tmp/fetch.$$
  rm -f /tmp/fetch.$$
}
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /var/run /var/log /root/.ssh
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmp /tmp
say "booting kernel $(uname -r)"
while read -r m; do insmod "/lib/modules/$m.ko" || say "driver $m did not load"; done </lib/modules/load-order
ip link set lo up

# The data disk shows up a moment after its driver loads.
i=0
while [ ! -b /dev/vda2 ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
if [ -b /dev/vda2 ] && mount -t ext4 /dev/vda2 /data 2>/dev/null; then
  say "data disk mounted at /data"
else
  say "no data disk"
fi

iface=$(ls /sys/class/net | grep -v '^lo$' | head -1)
if [ -n "$iface" ]; then
  ip link set "$iface" up
  if udhcpc -i "$iface" -q -n -t 10 -T 1 -s /etc/udhcpc.script >/dev/null 2>&1; then
    say "network $iface $(ip -4 -o addr show "$iface" | awk '{print $4}')"
  else
    say "network $iface: no DHCP answer"
  fi
fi

acpid -c /etc/acpi -l /var/log/acpid.log

md=$(tr '\000' '\n' </sys/firmware/dmi/entries/11-0/raw 2>/dev/null | sed -n 's/^.*photon-metadata=//p' | head -1)
id=unknown
if [ -n "$md" ]; then
  id=$(fetch "$md/latest/meta-data/instance-id" || echo unknown)
  hn=$(fetch "$md/latest/meta-data/hostname") && hostname "$hn"
  fetch "$md/latest/meta-data/public-keys" >/root/.ssh/authorized_keys
  if fetch "$md/latest/user-data" >/tmp/user-data && [ -s /tmp/user-data ]; then
    chmod 0700 /tmp/user-data
    (
      if head -c 2 /tmp/user-data | grep -q '^#!'; then /tmp/user-data; else sh /tmp/user-data; fi
      say "user-data exited $?"
    ) </dev/null 2>&1 | sed 's/^/user-data: /' &
  fi
else
  say "no metadata service named"
fi
mkdir -p /www
echo "photon-guest $id $(hostname)" >/www/index.html
say "ready instance-id=$id hostname=$(hostname)"
