#!/usr/bin/env bash
# The virtual rack's parts (tools/vm-lab, test/vm): qemu (TCG; KVM only when a probe boot shows it runs guests),
# SeaBIOS + iPXE ROMs, OVMF, dnsmasq, ipmi_sim, mmdebstrap and the disk tools, then the two images built from
# Debian packages and PyPI (scripts/images/build.sh: cached under .tmp/images, rebuilt only when a script changes).
#
# Usage: scripts/services/vm-lab.sh start|stop|env
#   start  install what is missing, build the images if needed, probe KVM once (result kept in .tmp/images/accel)
#   stop   nothing to stop (each test and `anvil lab down` remove their own VMs and namespaces)
#   env    ANVIL_VM_IMAGES (served directory), ANVIL_VM_AGENT / ANVIL_VM_INSTANCE (sub-directories), ANVIL_VM_ACCEL
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
service_init vm-lab apt-ensure
tools=(qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils mmdebstrap:mmdebstrap dnsmasq:dnsmasq-base
  ipmi_sim:openipmi sgdisk:gdisk mkfs.vfat:dosfstools mkfs.ext4:e2fsprogs zstd:zstd cpio:cpio losetup:mount
  ip:iproute2 pip:python3-pip mcopy:mtools debugfs:e2fsprogs partx:util-linux)
missing() {
  apt_missing "${tools[@]}"
  [ -f /usr/lib/ipxe/qemu/efi-virtio.rom ] || echo ipxe-qemu
  [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || echo ovmf
  [ -f /usr/share/seabios/bios-256k.bin ] || echo seabios
}

# KVM only if a guest kernel really runs under it: boot the agent kernel without a root and wait for its panic line
probe_accel() {
  local kernel=$1 log
  [ -w /dev/kvm ] || { echo tcg; return; }
  log=$(mktemp)
  timeout 25 qemu-system-x86_64 -accel kvm -m 256 -display none -vga none -no-reboot -kernel "$kernel" \
    -append 'console=ttyS0 panic=-1' -serial "file:$log" >/dev/null 2>&1 || true
  if grep -q 'VFS: Unable to mount root' "$log"; then echo kvm; else echo tcg; fi
  rm -f "$log"
}

svc_start() {
  mapfile -t pkgs < <(missing | sort -u)
  apt_install "$svc.sh" "${pkgs[@]}"
  agent=$(bash "$root/scripts/images/build.sh" agent-ramdisk)
  instance=$(bash "$root/scripts/images/build.sh" instance-image)
  [ -f "$root/.tmp/images/accel" ] || probe_accel "$agent/vmlinuz" >"$root/.tmp/images/accel"
  log "agent $(cat "$agent/build.json")"
  log "instance $(cat "$instance/build.json")"
  log "accelerator $(cat "$root/.tmp/images/accel")"
}
svc_env() {
  [ -n "$(missing)" ] && exit 0
  built() { local d; for d in "$root/.tmp/images/$1"-*/; do [ -f "$d/build.json" ] && { basename "$d"; return; }; done; }
  agent=$(built agent-ramdisk)
  instance=$(built instance-image)
  [ -n "$agent" ] && [ -n "$instance" ] || exit 0
  echo "ANVIL_VM_IMAGES=$root/.tmp/images"
  echo "ANVIL_VM_AGENT=$agent"
  echo "ANVIL_VM_INSTANCE=$instance"
  echo "ANVIL_VM_ACCEL=$(cat "$root/.tmp/images/accel" 2>/dev/null || echo tcg)"
}

service_main "${1:-}"
