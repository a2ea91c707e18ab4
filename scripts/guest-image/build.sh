#!/usr/bin/env bash
# Builds PhotonCloud's default guest image from Debian packages, reproducibly: the same
# package versions give the same image bytes (every timestamp, id and ordering is fixed).
#
#   scripts/guest-image/build.sh [OUT_DIR]     (default .cache/guest-image)
#
# Output: OUT_DIR/photon-guest.raw (a BIOS-bootable raw disk: MBR + syslinux, partition 1
# FAT with the Debian cloud kernel and a busybox initramfs, partition 2 an empty ext4
# labelled photon-data that the guest mounts at /data) and OUT_DIR/manifest.json (inputs,
# size, sha256). The guest's init: network by DHCP, metadata URL from SMBIOS OEM string
# `photon-metadata=<url>`, hostname and user-data from the metadata service, user-data run
# as a script, ACPI power button → clean poweroff. See scripts/guest-image/README.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-$repo/.cache/guest-image}"
epoch=1700000000 # every timestamp in the image
disk_uuid="5a0e1c6e-7a11-4b6e-9d2e-70a1c0ffee00"
data_mib=96
boot_mib=32

for tool in apt-get dpkg-deb cpio gzip mkfs.fat mcopy syslinux sfdisk mkfs.ext4 sha256sum; do
  command -v "$tool" >/dev/null || {
    echo "build-guest-image: $tool is missing; run: bash scripts/setup-host.sh" >&2
    exit 1
  }
done
busybox_bin=/bin/busybox
[ -x "$busybox_bin" ] || { echo "build-guest-image: busybox-static is missing; run: bash scripts/setup-host.sh" >&2; exit 1; }
mbr=/usr/lib/syslinux/mbr/mbr.bin
[ -f "$mbr" ] || { echo "build-guest-image: $mbr is missing (syslinux-common); run: bash scripts/setup-host.sh" >&2; exit 1; }

# Downloaded packages are inputs, kept outside OUT_DIR so that rebuilds and tests share them.
debs="${PHOTON_DEB_CACHE:-$repo/.cache/debs}"
mkdir -p "$out" "$debs"
work="$(mktemp -d "$out/work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The kernel package linux-image-cloud-amd64 points at today; the .deb is kept as an input.
kpkg="$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')"
[ -n "$kpkg" ] || { echo "build-guest-image: cannot resolve linux-image-cloud-amd64 (apt-get update?)" >&2; exit 1; }
kdeb="$(ls "$debs/${kpkg}_"*.deb 2>/dev/null | head -1 || true)"
if [ -z "$kdeb" ]; then
  (cd "$debs" && apt-get download "$kpkg" 2>/dev/null)
  kdeb="$(ls "$debs/${kpkg}_"*.deb | head -1)"
fi
dpkg-deb -x "$kdeb" "$work/kernel"
kver="${kpkg#linux-image-}"
moddir="$work/kernel/lib/modules/$kver/kernel"

# --- initramfs: busybox, a few virtio/ACPI modules (the cloud kernel builds them as modules)
root="$work/initramfs"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,data,www,lib/modules,usr/bin,usr/sbin,root}
cp "$busybox_bin" "$root/bin/busybox"
for applet in $("$busybox_bin" --list-full); do
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$root/$(dirname "$applet")"
  ln -sf /bin/busybox "$root/$applet"
done
ln -sf /bin/busybox "$root/init"
modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk failover net_failover virtio_net evdev button"
: >"$root/lib/modules/load-order"
for m in $modules; do
  f="$(find "$moddir" -name "$m.ko" | head -1)"
  [ -n "$f" ] || { echo "build-guest-image: module $m not in $kpkg" >&2; exit 1; }
  cp "$f" "$root/lib/modules/$m.ko"
  echo "$m" >>"$root/lib/modules/load-order"
done
cp -r "$here/rootfs/." "$root/"
chmod 0755 "$root/etc/rc.boot" "$root/etc/rc.halt" "$root/etc/udhcpc.script" "$root/etc/acpi/PWRF/00000080"
find "$root" -exec touch -h -d "@$epoch" {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) |
  gzip -n -9 >"$work/initrd.img"

# --- partition 1: FAT with syslinux, the kernel and the initramfs
cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"
cp "$here/syslinux.cfg" "$work/syslinux.cfg"
touch -d "@$epoch" "$work/vmlinuz" "$work/initrd.img" "$work/syslinux.cfg"
boot="$work/boot.img"
mkfs.fat --invariant -i 50484f54 -n PHOTONBOOT -C "$boot" $((boot_mib * 1024)) >/dev/null
SOURCE_DATE_EPOCH=$epoch syslinux --install "$boot"
SOURCE_DATE_EPOCH=$epoch MTOOLS_SKIP_CHECK=1 mcopy -m -i "$boot" "$work/vmlinuz" "$work/initrd.img" "$work/syslinux.cfg" ::/

# --- partition 2: empty ext4 for the guest's persistent data
data="$work/data.img"
mkdir -p "$work/data-root"
touch -d "@$epoch" "$work/data-root"
E2FSPROGS_FAKE_TIME=$epoch mkfs.ext4 -q -F -L photon-data -U "$disk_uuid" \
  -E "hash_seed=$disk_uuid,root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0,nodiscard" \
  -d "$work/data-root" "$data" "${data_mib}M" >/dev/null

# --- the disk: MBR (syslinux boot code), FAT at 1 MiB, ext4 after it
disk="$work/photon-guest.raw"
total_mib=$((1 + boot_mib + data_mib))
truncate -s "${total_mib}M" "$disk"
sfdisk --quiet "$disk" <<PARTS
label: dos
label-id: 0x50484f54
start=2048, size=$((boot_mib * 2048)), type=6, bootable
start=$(((1 + boot_mib) * 2048)), size=$((data_mib * 2048)), type=83
PARTS
dd if="$mbr" of="$disk" bs=440 count=1 conv=notrunc status=none
dd if="$boot" of="$disk" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$data" of="$disk" bs=1M seek=$((1 + boot_mib)) conv=notrunc,sparse status=none

# Some tools stamp build time anyway: the second FAT copy of syslinux's files is the known
# one. Check reproducibility here rather than trust it: the manifest records the hash.
sha="$(sha256sum "$disk" | cut -d' ' -f1)"
mv "$disk" "$out/photon-guest.raw"
kdeb_sha="$(sha256sum "$kdeb" | cut -d' ' -f1)"
bb_ver="$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || echo unknown)"
sl_ver="$(dpkg-query -W -f '${Version}' syslinux 2>/dev/null || echo unknown)"
cat >"$out/manifest.json" <<JSON
{
  "name": "photon-guest",
  "format": "raw",
  "sizeBytes": $((total_mib * 1024 * 1024)),
  "sha256": "$sha",
  "kernel": { "package": "$kpkg", "deb": "$(basename "$kdeb")", "debSha256": "$kdeb_sha" },
  "busyboxStatic": "$bb_ver",
  "syslinux": "$sl_ver"
}
JSON
echo "$out/photon-guest.raw sha256 $sha"
