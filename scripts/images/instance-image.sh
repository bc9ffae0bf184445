#!/usr/bin/env bash
# The instance image: a whole-disk Debian bookworm (GPT: BIOS boot partition, EFI system partition, ext4 root) with
# Debian's cloud kernel, GRUB for BIOS and UEFI (removable path, no NVRAM needed), Debian's cloud-init reading only the
# ConfigDrive datasource, and a serial console on ttyS0. Built with mmdebstrap from the machine's apt sources.
#
# Usage: scripts/images/instance-image.sh OUTDIR     writes OUTDIR/{disk.raw,build.json} (INSTANCE_IMAGE_MIB: size, 768)
set -euo pipefail
out=${1:?usage: instance-image.sh OUTDIR}
mkdir -p "$out" && out=$(cd "$out" && pwd)
SIZE_MIB=${INSTANCE_IMAGE_MIB:-768}
pkgs=(systemd systemd-sysv udev linux-image-cloud-amd64 initramfs-tools grub2-common grub-pc-bin grub-efi-amd64-bin
  cloud-init openssh-server ifupdown iproute2 netbase sudo)

root=$(mktemp -d "${TMPDIR:-/tmp}/anvil-inst-root.XXXXXX")
mnt=$(mktemp -d "${TMPDIR:-/tmp}/anvil-inst-mnt.XXXXXX")
loop= esp= rootdev=
cleanup() {
  for m in dev proc sys; do umount "$mnt/$m" 2>/dev/null || true; done
  umount "$mnt" 2>/dev/null || true
  for l in $esp $rootdev $loop; do losetup -d "$l" 2>/dev/null || true; done
  loop= esp= rootdev=
  rm -rf "$root" "$mnt"
}
trap cleanup EXIT
t0=$(date +%s)
mmdebstrap --quiet --variant=minbase --aptopt='APT::Install-Recommends "false"' --include="$(IFS=,; echo "${pkgs[*]}")" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  bookworm "$root"
t1=$(date +%s)

cat >"$root/etc/cloud/cloud.cfg.d/90-anvil.cfg" <<'C'
# Anvil's config drive (config-2) is the only data source; no metadata network probing.
datasource_list: [ ConfigDrive, None ]
# the image carries no locale data (stripped): keep the C.UTF-8 locale Debian always has
locale: C.UTF-8
C
echo 'LABEL=anvilroot / ext4 defaults,errors=remount-ro 0 1' >"$root/etc/fstab"
printf 'auto lo\niface lo inet loopback\nsource /etc/network/interfaces.d/*\n' >"$root/etc/network/interfaces"
: >"$root/etc/hostname"
rm -f "$root/etc/ssh/ssh_host_"* # generated per instance (cloud-init's ssh module)
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*

rm -f "$out/disk.raw.tmp"
mkdir -p "$out"
truncate -s "${SIZE_MIB}M" "$out/disk.raw.tmp"
sgdisk -a 2048 -n 1:2048:+1M -t 1:ef02 -c 1:bios -n 2:0:+64M -t 2:ef00 -c 2:esp -n 3:0:0 -t 3:8300 -c 3:root "$out/disk.raw.tmp" >/dev/null
# kernel partition scanning is not available everywhere (containers): each file system gets its own loop device at
# its offset, the whole disk one more (grub finds its files by file-system UUID, with the GPT module built in)
loop=$(losetup --show -f "$out/disk.raw.tmp")
part() { local s n; read -r s n < <(partx -g -n "$1" -o START,SECTORS "$out/disk.raw.tmp"); [ -n "$n" ] || exit 1; losetup --show -f -o $((s * 512)) --sizelimit $((n * 512)) "$out/disk.raw.tmp"; }
esp=$(part 2)
rootdev=$(part 3)
mkfs.vfat -n ESP "$esp" >/dev/null 2>&1
mkfs.ext4 -q -L anvilroot -d "$root" "$rootdev"
mount "$rootdev" "$mnt"
for m in dev proc sys; do mount --bind "/$m" "$mnt/$m"; done
chroot "$mnt" grub-install --target=i386-pc --modules="part_gpt ext2" "$loop" 2>&1 | grep -v "^Installing for\|^Installation finished" || true
# UEFI: grub-install cannot tell that a loop device at an offset is an EFI partition, so the removable-path image is
# made directly (GRUB with its modules built in, finding the root file system by label) and copied in with mtools
mkdir -p "$mnt/boot/grub/x86_64-efi"
cp "$mnt"/usr/lib/grub/x86_64-efi/*.mod "$mnt"/usr/lib/grub/x86_64-efi/*.lst "$mnt/boot/grub/x86_64-efi/"
printf 'search --no-floppy --label --set=root anvilroot\nset prefix=($root)/boot/grub\nconfigfile $prefix/grub.cfg\n' >"$mnt/tmp/early.cfg"
chroot "$mnt" grub-mkimage -O x86_64-efi -o /tmp/BOOTX64.EFI -c /tmp/early.cfg -p /boot/grub \
  part_gpt part_msdos ext2 fat search search_label normal linux configfile echo serial terminal efi_gop all_video gzio test
mmd -i "$esp" ::/EFI ::/EFI/BOOT
mcopy -i "$esp" "$mnt/tmp/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
rm -f "$mnt/tmp/early.cfg" "$mnt/tmp/BOOTX64.EFI"
[ -f "$mnt/boot/grub/i386-pc/core.img" ] && mdir -i "$esp" ::/EFI/BOOT/BOOTX64.EFI >/dev/null || { echo "boot loader install failed" >&2; exit 1; }
cat >"$mnt/boot/grub/grub.cfg" <<'G'
set timeout=1
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
search --no-floppy --label --set=root anvilroot
menuentry "Debian" {
  linux /vmlinuz root=LABEL=anvilroot ro console=tty0 console=ttyS0,115200
  initrd /initrd.img
}
G
sync
cleanup
trap - EXIT
mv "$out/disk.raw.tmp" "$out/disk.raw"
t2=$(date +%s)
printf '{"size_mib":%s,"used_mib":%s,"sha256":"%s","mmdebstrap_s":%s,"disk_s":%s}\n' "$SIZE_MIB" \
  "$(($(du -k "$out/disk.raw" | cut -f1) / 1024))" "$(sha256sum "$out/disk.raw" | cut -d' ' -f1)" $((t1 - t0)) $((t2 - t1)) >"$out/build.json"
cat "$out/build.json"
