#!/bin/sh
# /init of the agent ramdisk (scripts/images/agent-ramdisk.sh): mounts, kernel modules, udev, DHCP on the NIC named
# by BOOTIF (pxelinux "01-aa-bb-.." or iPXE "aa:bb:..") or else the first one, then ironic-python-agent, which reads
# ipa-api-url and the other ipa-* options from /proc/cmdline. After `finalize_rescue` the agent exits; the rescue
# password it wrote is set for the `rescue` user. Everything is logged to the serial console.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts /run /tmp; mount -t devpts devpts /dev/pts; mount -t tmpfs run /run; mount -t tmpfs tmp /tmp
[ -d /sys/firmware/efi ] && mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
exec </dev/console >/dev/console 2>&1
log() { echo "anvil-agent-init: $*"; }
hostname "$(cat /etc/hostname)"
ip link set lo up
while read -r m; do modprobe -q "$m"; done </etc/agent-modules
/lib/systemd/systemd-udevd --daemon
udevadm trigger --type=devices --action=add
udevadm settle --timeout=30

bootif=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^BOOTIF=//p' | tail -1 | sed 's/^01-//; s/-/:/g' | tr 'A-F' 'a-f')
iface=
for d in /sys/class/net/*; do
  n=${d##*/}; [ "$n" = lo ] && continue
  [ -z "$iface" ] && iface=$n
  [ -n "$bootif" ] && [ "$(cat "$d/address")" = "$bootif" ] && { iface=$n; break; }
done
log "BOOTIF=${bootif:-none} interface=${iface:-none}"
cat >/run/udhcpc.sh <<'S'
#!/bin/sh
[ "$1" = bound ] || [ "$1" = renew ] || exit 0
ip addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface"
[ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
: >/etc/resolv.conf; for s in $dns; do echo "nameserver $s" >>/etc/resolv.conf; done
echo "anvil-agent-init: $interface has $ip/${mask:-24}"
S
chmod +x /run/udhcpc.sh
ip link set "$iface" up
until busybox udhcpc -i "$iface" -s /run/udhcpc.sh -q -n -t 5 -T 2; do log "no DHCP answer yet"; sleep 2; done

while :; do
  log "starting ironic-python-agent"
  ironic-python-agent --config-file /etc/ironic-python-agent/ironic-python-agent.conf
  log "ironic-python-agent exited ($?)"
  if [ -f /etc/ipa-rescue-config/ipa-rescue-password ]; then
    grep -q '^rescue:' /etc/passwd || { echo 'rescue:x:1000:1000:rescue:/tmp:/bin/sh' >>/etc/passwd; echo 'rescue:!:19000::::::' >>/etc/shadow; }
    sed -i "s|^rescue:[^:]*:|rescue:$(cat /etc/ipa-rescue-config/ipa-rescue-password):|" /etc/shadow
    log "rescue mode: user rescue has the rescue password"
    while :; do sleep 3600; done
  fi
  sleep 3
done
