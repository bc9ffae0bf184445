#!/usr/bin/env bash
# The agent ramdisk: Debian bookworm's kernel + an initramfs holding python3, the real ironic-python-agent (PyPI,
# pinned, installed --no-deps over Debian's python3-oslo.* etc. of the same OpenStack era) and the tools it calls.
# Built with mmdebstrap from the machine's apt sources; /init (agent-ramdisk-init.sh) brings up udev and DHCP on the boot
# NIC, then runs the agent, which reads ipa-api-url & co. from the kernel command line itself.
#
# Usage: scripts/images/agent-ramdisk.sh OUTDIR     writes OUTDIR/{vmlinuz,initramfs,build.json}
set -euo pipefail
out=${1:?usage: agent-ramdisk.sh OUTDIR}
mkdir -p "$out" && out=$(cd "$out" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IPA_VERSION=9.4.1
# Debian packages: python deps of IPA 9.4 + the commands it runs (lsblk/blkid/wipefs in util-linux, sgdisk, parted,
# qemu-img, mkfs.*, efibootmgr, dmidecode, lshw, hdparm, mdadm, fuser, hexdump, udev, ip) + busybox (udhcpc)
pkgs=(linux-image-amd64 udev kmod iproute2 busybox python3-minimal python3 python3-pip
  python3-oslo.config python3-oslo.log python3-oslo.service python3-oslo.concurrency python3-oslo.utils
  python3-ironic-lib python3-eventlet python3-pint python3-werkzeug python3-tooz python3-pyudev python3-netifaces
  python3-stevedore python3-tenacity python3-pbr python3-psutil python3-requests python3-cryptography
  parted gdisk qemu-utils dosfstools efibootmgr dmidecode lshw hdparm mdadm pciutils psmisc bsdextrautils)
# kernel modules kept (with their dependencies): virtual and common NICs and disks, the file systems IPA touches
mods=(virtio_pci virtio_net virtio_blk virtio_scsi virtio_rng e1000 e1000e ahci ata_piix sd_mod sr_mod nvme
  ext4 vfat isofs nls_cp437 nls_iso8859-1 nls_utf8 nls_ascii loop efivarfs raid1 dm_mod)

root=$(mktemp -d "${TMPDIR:-/tmp}/anvil-ipa-root.XXXXXX")
trap 'rm -rf "$root"' EXIT
t0=$(date +%s)
# the wheel comes from PyPI through this machine's pip (its index and CA settings); installed offline in the chroot
wheels=$root.wheels
trap 'rm -rf "$root" "$wheels"' EXIT
pip download --quiet --no-deps --only-binary=:all: -d "$wheels" "ironic-python-agent==$IPA_VERSION"
wheel=$(ls "$wheels"/ironic_python_agent-"$IPA_VERSION"-*.whl)
mmdebstrap --quiet --variant=minbase --include="$(IFS=,; echo "${pkgs[*]}")" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook="copy-in $wheel /tmp" \
  --customize-hook="chroot \"\$1\" python3 -m pip install --quiet --root-user-action=ignore --no-index --no-deps --no-compile --break-system-packages /tmp/${wheel##*/}" \
  --customize-hook="rm -f \"\$1/tmp/${wheel##*/}\"" \
  --customize-hook="chroot \"\$1\" apt-get purge -y -q python3-pip >/dev/null || true" \
  bookworm "$root"
t1=$(date +%s)

kver=$(basename "$(ls -d "$root"/lib/modules/*)")
mkdir -p "$out"
cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
# keep only the listed modules and what they depend on
keep=$(for m in "${mods[@]}"; do modprobe -d "$root" -S "$kver" --show-depends "$m" 2>/dev/null; done | awk '$1=="insmod"{print $2}' | sort -u)
moddir=$root/lib/modules/$kver
tmpmods=$(mktemp -d)
for f in $keep; do mkdir -p "$tmpmods/$(dirname "${f#"$root"}")"; cp "$f" "$tmpmods/${f#"$root"}"; done
rm -rf "$moddir/kernel"
cp -a "$tmpmods/lib/modules/$kver/kernel" "$moddir/"
rm -rf "$tmpmods"
depmod -b "$root" "$kver"
printf '%s\n' "${mods[@]}" > "$root/etc/agent-modules"

# strip what a ramdisk never reads
rm -rf "$root"/boot/* "$root"/usr/share/{doc,man,locale,info,lintian,bash-completion,zoneinfo/right} \
  "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/lib/x86_64-linux-gnu/gconv \
  "$root"/lib/firmware "$root"/usr/lib/firmware "$root"/usr/share/python-wheels "$root"/var/log/*
find "$root" -name __pycache__ -type d -prune -exec rm -rf {} +
find "$root"/usr/lib/python3* -type d \( -name tests -o -name test \) -prune -exec rm -rf {} +
rm -rf "$root"/usr/lib/python3.11/{ensurepip,idlelib,tkinter,lib2to3,pydoc_data}

install -m 0755 "$here/agent-ramdisk-init.sh" "$root/init"
for c in poweroff reboot; do
  printf '#!/bin/sh\nsync\necho 1 > /proc/sys/kernel/sysrq\necho %s > /proc/sysrq-trigger\n' "$([ $c = poweroff ] && echo o || echo b)" > "$root/usr/local/sbin/$c"
  chmod 0755 "$root/usr/local/sbin/$c"
done
# the agent writes the hashed rescue password into /etc/ipa-rescue-config (a ramdisk's rescue element provides it)
mkdir -p "$root/etc/ironic-python-agent" "$root/etc/ipa-rescue-config"
# IPA's defaults: enable_auto_tls on, so the agent serves https with a certificate it makes at start and sends as
# agent_verify_ca (Anvil verifies it); options come from the kernel command line
printf '[DEFAULT]\n' >"$root/etc/ironic-python-agent/ironic-python-agent.conf"
echo anvil-agent > "$root/etc/hostname"
rawsize=$(du -sm "$root" | cut -f1)
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | zstd -q -T0 -15 -o "$out/initramfs.tmp")
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
mv "$out/initramfs.tmp" "$out/initramfs"
t2=$(date +%s)
printf '{"ipa_version":"%s","ipa_wheel_sha256":"%s","kernel":"%s","root_mib":%s,"initramfs_bytes":%s,"mmdebstrap_s":%s,"pack_s":%s}\n' \
  "$IPA_VERSION" "$(sha256sum "$wheel" | cut -d' ' -f1)" "$kver" "$rawsize" "$(stat -c %s "$out/initramfs")" $((t1 - t0)) $((t2 - t1)) > "$out/build.json"
cat "$out/build.json"
